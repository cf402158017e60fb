"""Plain-text normalisation shared by every stage: NFC, invisible characters, ids, slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARACTERS), None)
# Letters NFKD does not take apart, folded the way bibliographies spell them in ASCII.
_ASCII_FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe",
     "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "Þ": "Th", "ı": "i"}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_CONTROL_BYTES = bytes([*range(0x20), 0x7F])


def printable(text: str) -> bool:
    """`text.isprintable()`: for a long ASCII text (whose unprintable characters are the control
    characters 0-31 and 127), by deleting those from its bytes in C, which is twice as fast on
    an abstract as the per-character lookup of isprintable; a short text is quicker to look up
    (tests/test_reading_fast_paths.py)."""
    if len(text) > 200 and text.isascii():
        return len(text.encode("ascii").translate(None, _CONTROL_BYTES)) == len(text)
    return text.isprintable()


def any_of(text: str, characters: str) -> bool:
    """Whether `text` holds any of a few `characters`: `re.search("[...]", text)`, but each
    character looked for by str's own search (memchr), ~15x faster on an abstract than a
    character class, which the regular expression engine tests at every position. A short text
    (a name, a venue) is looked up character by character in a set instead: 4x faster there."""
    if len(text) <= 40:
        return not _character_set(characters).isdisjoint(text)
    return any(char in text for char in characters)


@lru_cache(maxsize=32)
def _character_set(characters: str) -> frozenset[str]:
    return frozenset(characters)


def clean_text(text: str) -> str:
    """NFC, no zero-width characters, one ordinary space between words.

    The spaces are every character str.split() splits at (those `\\s` matches: no-break and
    typographic spaces, U+3000 included; tests/test_text_clean.py checks every code point)."""
    if not text.isascii():
        if any_of(text, _INVISIBLE_CHARACTERS):  # str.translate looks up every character in a dict
            text = text.translate(_INVISIBLE)
        text = unicodedata.normalize("NFC", text)
    if "  " not in text and text[:1] != " " and text[-1:] != " " and printable(text):
        return text  # clean already: every space character but the ASCII space is unprintable
    return " ".join(text.split())


def ascii_fold(text: str) -> str:
    """Best ASCII spelling of a text: accents dropped, ligatures spelled out."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return decomposed.encode("ascii", "ignore").decode("ascii")


# Every byte but ASCII digits and lower-case letters: what normalize_title deletes.
_NOT_ALNUM_BYTES = bytes(byte for byte in range(256) if not (48 <= byte <= 57 or 97 <= byte <= 122))


def normalize_title(title: str) -> str:
    """The identity of a title: letters and digits only, case and accents folded.
    (`_NON_ALNUM.sub("", folded)`, as bytes deleted in C: ascii_fold gives ASCII; 5x faster.)
    Letters with no ASCII spelling (`α`, `人`, `П`) are kept, case-folded: folded away, "α-Net for
    Pose" and "β-Net for Pose" were one title, and a Chinese title none."""
    if title.isascii():
        return title.lower().encode("ascii").translate(None, _NOT_ALNUM_BYTES).decode("ascii")
    decomposed = unicodedata.normalize("NFKD", title.translate(_ASCII_FOLD))
    if decomposed.isascii() or not any(c.isalnum() and not c.isascii() and not unicodedata.combining(c)
                                       for c in decomposed):
        return decomposed.encode("ascii", "ignore").lower().translate(None, _NOT_ALNUM_BYTES).decode("ascii")
    return "".join(c for c in decomposed.casefold()
                   if (c.isascii() and ("0" <= c <= "9" or "a" <= c <= "z"))
                   or (not c.isascii() and c.isalnum() and not unicodedata.combining(c)))


def title_is_identity(norm: str) -> bool:
    """Whether a normalised title is long enough to name one paper: 8 letters or digits, or 4 of a
    script whose characters are words or syllables (a Chinese title of 6 characters names one)."""
    return len(norm) >= 8 or (len(norm) >= 4 and not norm.isascii())


_NOT_WORD = re.compile(r"[\W_]+")


def slugify(text: str) -> str:
    """A URL- and file-safe name: `Multimodal/VLM` -> `multimodal-vlm`. Letters with no ASCII
    spelling are kept (`人体姿态` -> `人体姿态`, not `untitled`: two Chinese topics shared one page)."""
    folded = ascii_fold(text)
    if not text.isascii() and any(c.isalnum() and not c.isascii() and not unicodedata.combining(c)
                                  for c in unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))):
        kept = "".join(c for c in unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD)).casefold()
                       if not unicodedata.combining(c))
        return _NOT_WORD.sub("-", kept).strip("-") or "untitled"
    return _NON_ALNUM.sub("-", folded.lower()).strip("-") or "untitled"


# A brace, or an escaped backslash or brace as one token (`\\\\}`: the `}` is a brace, as TeX and
# BibTeX read it; `\\}` is a character).
_BRACE = re.compile(r"\\[\\{}]|[{}]")


def brace_problem(text: str) -> str | None:
    """What is wrong with a text's braces: `"closes nothing"` (a `}` with no `{` open),
    `"never closed"` (a `{` left open), or None. `\\{` and `\\}` are characters, not braces;
    after `\\\\` (an escaped backslash) a brace is one. Only the braces and backslashes are
    visited (a regular expression finds them), not every character."""
    if "{" not in text and "}" not in text:
        return None
    if len(text) >= 2 and text[0] == "{" and text[-1] == "}" and text[-2] != "\\" \
            and text.find("{", 1, -1) < 0 and text.find("}", 1, -1) < 0:
        return None  # a value in its braces, no brace inside (found by str.find, faster than the pattern)
    braces = _BRACE.findall(text)
    if braces == ["{", "}"]:  # a value in its braces, nothing braced inside: most .bib values
        return None
    depth = 0
    for brace in braces:
        if brace[0] == "\\":
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


_ESCAPED_IN_VERBATIM = re.compile(r"\\([_%#&$~])")


def unescaped_verbatim(value: str) -> str:
    """A `url`/`doi` value as written escaped for BibTeX's plain styles (dblp's
    `10.1007/978-3-030-01231-1\\_29`): the characters themselves."""
    return _ESCAPED_IN_VERBATIM.sub(r"\1", value) if "\\" in value else value


# `https://doi.org/`, `http://dx.doi.org/`, `www.doi.org/`, `doi.org/`, `doi:`, `DOI: ` before a DOI
DOI_PREFIX = re.compile(r"^(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def bare_doi(doi: str) -> str:
    """A DOI without the resolver or `doi:` a field may be written with (ScienceDirect's and
    EndNote's `doi = {https://doi.org/10.1016/...}`), its case kept: what a link to doi.org adds
    to, and what a reference prints."""
    return DOI_PREFIX.sub("", doi.strip())


_NAME_SUFFIX = re.compile(r"(?:[JS]r\.?|II|III|IV|V|VI)", re.IGNORECASE)
_ROMAN = re.compile(r"II|III|IV|V|VI")  # (upper-case only: `Vi` or `iv` is no suffix)


def is_name_suffix(word: str) -> bool:
    """`Jr.`, `Sr`, `II`, `III`, `IV`: a suffix of a name, no name of its own."""
    return bool(_NAME_SUFFIX.fullmatch(word)) and (word[0].lower() in "js" or bool(_ROMAN.fullmatch(word)))


def bibtex_name(name: str) -> str:
    """A person's name as BibTeX reads it without a guess: `Martin Luther King, Jr.` and
    `Martin Luther King Jr.` are `King, Jr., Martin Luther` (BibTeX took `Jr.` for the first
    name, or for the last); a name in BibTeX's own forms (`King, Martin Luther`, `King, Jr.,
    Martin`) or with no suffix is as written. A lower-case particle stays with the last name
    (`Ludwig van Beethoven Jr.` -> `van Beethoven, Jr., Ludwig`)."""
    if "," not in name and " " not in name.strip():
        return name
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2 and is_name_suffix(parts[1]) and " " in parts[0]:
        words, suffix = parts[0].split(), parts[1]
    elif len(parts) == 1 and len(words := name.split()) >= 3 and is_name_suffix(words[-1]):
        words, suffix = words[:-1], words[-1]
    else:
        return name
    first = 1 + next((i for i, word in enumerate(words[1:-1]) if word[:1].islower()), len(words) - 2)
    return f"{' '.join(words[first:])}, {suffix}, {' '.join(words[:first])}"
