"""A raw `.bib` value as BibTeX reads it: `{...}` or `"..."` parts joined by `#`, `@string` names.

Pure functions shared by the block repairs (bib_repairs), the mapping to records (bibfile) and
the LaTeX lint (which skips the `#` between parts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bibtexparser import model as bib

ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_AFTER_AT = re.compile(r"\s*[A-Za-z]+\s*[{(]")


def lines_first_at(text: str) -> Iterator[tuple[int, int]]:
    """(where its line starts, where it is) for each line's first `@`, found by str.find: an
    entry starts only where a line does, so nothing else need be tried. Linear."""
    at = text.find("@")
    while at >= 0:
        yield text.rfind("\n", 0, at) + 1, at
        line_end = text.find("\n", at)
        if line_end < 0:
            return
        at = text.find("@", line_end)


def has_entry_start(text: str) -> bool:
    """Whether `ENTRY_START.search(text)` finds an entry start (`@type{` where a line starts,
    after spaces): the same answer, looked for at each line's first `@` instead of tried at
    every position of the text."""
    return any((line_start == at or text[line_start:at].isspace()) and _AFTER_AT.match(text, at + 1)
               for line_start, at in lines_first_at(text))


# Fields LaTeX typesets through the standard BibTeX and biblatex styles: a value that would stop
# LaTeX there is repaired on export. Other fields (abstract, file, keywords, tool fields) go as written.
TYPESET_FIELDS = {
    "title", "subtitle", "titleaddon", "booktitle", "booksubtitle", "booktitleaddon", "maintitle",
    "mainsubtitle", "journal", "journaltitle", "journalsubtitle", "issuetitle", "eventtitle", "note",
    "addendum", "howpublished", "publisher", "address", "location", "institution", "school", "organization",
    "series", "edition", "chapter", "type", "venue", "origtitle", "shorttitle",
    "abstract", "annotation", "annote",  # biber writes these into the .bbl too
}


def unwrap(value: str) -> str:
    """A value without its outer `{...}` or `"..."`."""
    value = value.strip()
    if len(value) >= 2 and ((value[0] == "{" and value[-1] == "}") or (value[0] == '"' and value[-1] == '"')):
        return value[1:-1]
    return value


def top_level_offsets(value: str, separator: str, quotes: bool = True) -> list[int]:
    """Offsets of `separator` outside braces (and, with `quotes`, outside a quoted part): BibTeX's
    `#` joining a value's parts, the commas of a name."""
    if separator not in value:
        return []
    found, depth, quoted = [], 0, False
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif quotes and char == '"' and depth == 0 and (index == 0 or value[index - 1] != "\\"):
            quoted = not quoted
        elif char == separator and depth == 0 and not quoted:
            found.append(index)
    return found


def concatenation_offsets(value: str) -> list[int]:
    """Offsets of the `#` that join the parts of a raw value (BibTeX's concatenation: outside
    braces and quotes)."""
    return top_level_offsets(value, "#")


def split_at(value: str, cuts: list[int]) -> list[str]:
    """`value` cut at the offsets `cuts`, the characters there left out."""
    if not cuts:
        return [value]
    return [value[start + 1:end] for start, end in zip([-1, *cuts], [*cuts, len(value)], strict=True)]


def parts(value: str) -> list[str]:
    """A raw value split at its top-level `#`."""
    return split_at(value, concatenation_offsets(value))


def resolve(value: str, strings: dict[str, str]) -> str:
    """The text of a raw value: `{...}` and `"..."` unwrapped, `@string` names expanded, `#` joined."""
    value = value.strip()
    if value[:1] in "{\"" and value[-1:] in "}\"" and "#" not in value:
        return value[1:-1]
    pieces = parts(value)
    if value[:1] in "{\"" and value[-1:] in "}\"" and len(pieces) == 1:
        return value[1:-1]
    return "".join(strings.get(p.strip().lower(), unwrap(p)) for p in pieces)


def string_table(blocks: Iterable[bib.Block], given: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """The file's `@string` names (lower case) and their texts, each defined by those before it
    (`given`: definitions from other files, (name, raw value), before the file's own)."""
    strings: dict[str, str] = {}
    for name, raw in given:
        strings[name.lower()] = resolve(raw, strings)
    for block in blocks:
        if isinstance(block, bib.String):
            strings[block.key.lower()] = resolve(str(block.value), strings)
    return strings


# BibTeX's own month macros: defined by every style, never by a file.
PREDEFINED_STRINGS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})


def used_names(raw: str) -> list[str]:
    """The `@string` names a raw value uses (lower case): its parts that are neither braced,
    quoted nor a number (`jn # " 2020"`: `jn`)."""
    raw = raw.strip()
    if raw[:1] in "{\"" and "#" not in raw:
        return []
    names = []
    for part in parts(raw):
        part = part.strip()
        if part and part[0] not in "{\"" and not part.isdigit():
            names.append(part.lower())
    return names


def quote_inside_quotes(raw: str) -> bool:
    """`"A "quoted" Word"`: a `"` at brace depth 0 inside a quoted value ends it for BibTeX."""
    if raw.count('"') < 2:
        return False
    for part in parts(raw):
        part = part.strip()
        if len(part) < 2 or part[0] != '"':
            continue
        depth = 0
        for index, char in enumerate(part[1:-1], start=1):
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0 and part[index - 1] != "\\":
                return True
    return False
