"""Plain-text normalisation shared by every stage: NFC, invisible characters, ids, slugs."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Letters NFKD does not take apart, folded the way bibliographies spell them in ASCII.
_ASCII_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe",
     "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "Th", "ı": "i"}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def clean_text(text: str) -> str:
    """NFC, no zero-width characters, one ordinary space between words."""
    if text.isascii():
        return " ".join(text.split())
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return _SPACES.sub(" ", text).strip()


def ascii_fold(text: str) -> str:
    """Best ASCII spelling of a text: accents dropped, ligatures spelled out."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def normalize_title(title: str) -> str:
    """The identity of a title: letters and digits only, case and accents folded."""
    return _NON_ALNUM.sub("", ascii_fold(title).lower())


def slugify(text: str) -> str:
    """A URL- and file-safe name: `Multimodal/VLM` -> `multimodal-vlm`."""
    return _NON_ALNUM.sub("-", ascii_fold(text).lower()).strip("-") or "untitled"


def braces_balanced(text: str) -> bool:
    """Every `{` closed and no `}` closing nothing (`\\{` and `\\}` are characters, not braces)."""
    depth = 0
    for index, char in enumerate(text):
        if char in "{}" and index and text[index - 1] == "\\":
            continue
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            return False
    return depth == 0
