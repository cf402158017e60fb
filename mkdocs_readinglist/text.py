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
        spaced = " ".join(text.split())
        return text if spaced == text else spaced  # the text itself, not a copy another cache keeps beside it
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


# A brace, with the backslash before it when it has one (`\\{` is a character, not a brace).
_BRACE = re.compile(r"\\?[{}]")


def brace_problem(text: str) -> str | None:
    """What is wrong with a text's braces: `"closes nothing"` (a `}` with no `{` open),
    `"never closed"` (a `{` left open), or None. `\\{` and `\\}` are characters, not braces.
    Only the braces are visited (a regular expression finds them), not every character."""
    if "{" not in text and "}" not in text:
        return None
    depth = 0
    for match in _BRACE.finditer(text):
        brace = match.group()
        if len(brace) == 2:  # escaped
            continue
        if brace == "{":
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                return "closes nothing"
    return "never closed" if depth else None


def braces_balanced(text: str) -> bool:
    """Every `{` closed and no `}` closing nothing (`\\{` and `\\}` are characters, not braces)."""
    return brace_problem(text) is None
