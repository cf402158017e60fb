"""`.bib` files through bibtexparser v2: good entries kept, every failed block a diagnostic.

bibtexparser reports 0-based lines and lets a few mistakes through silently (a missing
comma merges two fields, an extra `}` leaves fields behind); both are caught here.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.middlewares.names import split_multiple_persons_names
from pybtex.database import Person
from pybtex.exceptions import PybtexError

from ..latex_text import decode_latex, split_math
from ..model import Record, SourceRef
from ..venues import venue_and_year
from .arxiv_listing import parse_arxiv_id
from .base import MONTHS, ReaderOutput, SourceOptions

FORMAT = "bibtex"
DESCRIPTION = "BibTeX database (@article{key, ...})"

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_MERGED_FIELD = re.compile(r"[}\"]?\s*\n?\s*(?P<name>[A-Za-z][\w\-]*)\s*=\s*(?=[{\"\d])")
_FIELDS_AFTER_END = re.compile(r"^\s*,?\s*[A-Za-z][\w\-]*\s*=\s*\S")
_BAD_KEY = re.compile(r"[\s,{}#%\"()=\\']")
_UNESCAPED = re.compile(r"(?<!\\)[&%#]|(?<![\\$])[_^]")  # in prose, math taken out first
KNOWN_TYPES = {
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings",
    "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    "online", "report", "thesis", "software", "dataset",
}
_VERBATIM = {"url", "doi", "eprint", "file", "urldate", "isbn", "issn"}
KEPT_FIELDS = {
    "pages", "volume", "number", "publisher", "address", "editor", "isbn", "issn", "doi", "url",
    "note", "school", "institution", "organization", "edition", "series", "howpublished",
    "primaryclass", "journal", "booktitle", "month",
}


def score(lines: list[str]) -> float:
    text = "\n".join(lines[:5000])
    return 20.0 if _ENTRY_START.search(text) else 0.0


def _unwrap(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and ((value[0] == "{" and value[-1] == "}") or (value[0] == '"' and value[-1] == '"')):
        return value[1:-1]
    return value


def _concatenate(value: str, strings: dict[str, str]) -> str:
    """`cv # " Journal"`: the `#` concatenation bibtexparser leaves to the caller."""
    if "#" not in value:
        return value
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0 and (index == 0 or value[index - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index])
            start = index + 1
    if not parts:
        return value
    parts.append(value[start:])
    return "".join(strings.get(p.strip().lower(), _unwrap(p)) for p in parts)


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    library = bibtexparser.parse_string("\n".join(lines))
    strings = {s.key.lower(): _unwrap(str(s.value)) for s in library.strings}
    keys_seen: dict[str, tuple[str, int]] = {}
    entries: list[tuple[bib.Entry, list[bib.Field]]] = []
    for block in library.blocks:
        line = block.start_line + 1
        if isinstance(block, bib.ParsingFailedBlock) and not isinstance(
                block, (bib.DuplicateBlockKeyBlock, bib.DuplicateFieldKeyBlock)):
            out.detected += 1
            reason = str(block.error).split("\n")[-1].strip() or "syntax error"
            if "Unexpected block start" in reason or "closing" in reason:
                reason = "entry not closed (missing `}` or `,`?): " + reason
            out.error(line, f"BibTeX entry could not be parsed: {reason}; entry skipped")
        elif isinstance(block, bib.DuplicateBlockKeyBlock):
            out.detected += 1
            first = keys_seen.get(block.key.lower())
            where = f" (first at line {first[1]})" if first else ""
            out.warn(line, f"duplicate key {block.key!r}{where}; the first entry is kept, this one dropped")
        elif isinstance(block, bib.DuplicateFieldKeyBlock):
            out.detected += 1
            entry = block.ignore_error_block
            if entry is None:
                out.error(line, "entry with duplicate fields could not be read; skipped")
                continue
            kept: dict[str, bib.Field] = {}
            for fld in entry.fields:
                if fld.key.lower() in kept:
                    out.warn(line, f"field {fld.key!r} appears twice in {entry.key!r}; the first is kept")
                else:
                    kept[fld.key.lower()] = bib.Field(fld.key, _unwrap(str(fld.value)), fld.start_line)
            entries.append((entry, list(kept.values())))
        elif isinstance(block, bib.Entry):
            out.detected += 1
            entries.append((block, list(block.fields)))
        elif isinstance(block, bib.ImplicitComment) and _FIELDS_AFTER_END.match(str(block.comment)):
            out.warn(line, "fields after the end of the entry (an extra `}` closed it early); "
                     "those fields are ignored")
    for entry, fields in entries:
        record = _record(entry, fields, strings, keys_seen, out)
        if record is not None:
            out.records.append(record)


def _split_merged(fields: list[bib.Field], out: ReaderOutput, key: str) -> list[bib.Field]:
    """A missing comma makes bibtexparser glue the next field onto a value: split it back."""
    result: list[bib.Field] = []
    for fld in fields:
        value = str(fld.value)
        match = _MERGED_FIELD.search(value) if "=" in value else None
        if match and ("\n" in value[: match.end()] or value[: match.start() + 1].rstrip().endswith(("}", '"'))):
            line = fld.start_line + 1 + value.count("\n", 0, match.start() + 1)
            out.error(line, f"missing comma between fields {fld.key!r} and {match.group('name')!r} "
                      f"in {key!r}; read as two fields")
            head = value[: match.start() + 1].rstrip()
            result.append(bib.Field(fld.key, _unwrap(head if head.endswith(("}", '"')) else head), fld.start_line))
            rest = bibtexparser.parse_string("@misc{x," + value[match.start() + 1:] + "}")
            if rest.entries:
                result.extend(rest.entries[0].fields)
        else:
            result.append(fld)
    return result


def _record(entry: bib.Entry, fields: list[bib.Field], strings: dict[str, str],
            keys_seen: dict[str, tuple[str, int]], out: ReaderOutput) -> Record | None:
    line = entry.start_line + 1
    key: str | None = entry.key
    if not key or _BAD_KEY.search(key):
        out.error(line, f"invalid citation key {entry.key!r} (empty, or holds a space or one of "
                  ",{}#%\"()=\\'); the entry is kept and given a new key")
        key = None
    elif key.lower() in keys_seen:
        first_key, first_line = keys_seen[key.lower()]
        out.warn(line, f"key {key!r} differs only in case from {first_key!r} (line {first_line}); "
                 "the first is kept, this entry dropped")
        return None
    else:
        keys_seen[key.lower()] = (key, line)
    values: dict[str, tuple[str, int]] = {}
    for fld in _split_merged(fields, out, entry.key):
        raw = _concatenate(str(fld.value), strings)
        values.setdefault(fld.key.lower(), (raw, fld.start_line + 1))
    entry_type = entry.entry_type.lower()
    if entry_type not in KNOWN_TYPES:
        out.warn(line, f"unknown entry type @{entry.entry_type}; written as @misc")
        entry_type = "misc"

    def text(name: str) -> str | None:
        if name not in values:
            return None
        raw, field_line = values[name]
        if name in _VERBATIM:
            return raw.strip() or None
        decoded = decode_latex(raw, tie_is_space=True)
        for code, problem in decoded.problems:
            out.warn(field_line, f"{name}: {problem}", code)
        prose = "".join(piece for is_math, piece in split_math(raw) if not is_math)
        if _UNESCAPED.search(prose):
            out.warn(field_line, f"{name}: unescaped LaTeX special character "
                     f"({_UNESCAPED.search(prose).group(0)!r}) would stop LaTeX; escaped on export")  # type: ignore[union-attr]
        return decoded.text.strip() or None

    title = text("title")
    if title is None:
        out.warn(line, f"entry {entry.key!r} has no title")
    authors = _authors(values, out)
    year = None
    if "year" in values:
        raw_year, year_line = values["year"]
        if re.fullmatch(r"\s*\d{4}\s*", raw_year):
            year = int(raw_year)
        else:
            out.warn(year_line, f"year {raw_year!r} is not a year; left out")
    elif "date" in values and re.match(r"\d{4}", values["date"][0]):
        year = int(values["date"][0][:4])
    else:
        out.warn(line, f"entry {entry.key!r} has no year")
    month = None
    if "month" in values:
        raw_month, month_line = values["month"]
        cleaned = raw_month.strip().lower()
        if cleaned.isdigit() and 1 <= int(cleaned) <= 12:
            month = int(cleaned)
        elif cleaned[:3] in MONTHS:
            month = MONTHS[cleaned[:3]]
        else:
            out.warn(month_line, f"month {raw_month!r} is not a month; left out")
    date = f"{year:04d}-{month:02d}" if year and month else None
    arxiv = None
    eprint = values.get("eprint", ("", 0))[0]
    if eprint and values.get("archiveprefix", ("arxiv", 0))[0].lower() == "arxiv":
        arxiv = parse_arxiv_id(eprint)
    if arxiv is None:
        for name in ("journal", "url", "note"):
            found = re.search(r"arxiv(?:\.org/abs/|:)\s*([\w./\-]+?)(?:\.pdf)?(?:[\s},]|$)", values.get(name, ("", 0))[0], re.I)
            if found and (arxiv := parse_arxiv_id(found.group(1))):
                break
    if "crossref" in values:
        out.warn(values["crossref"][1], f"crossref to {values['crossref'][0]!r}: cross-referenced "
                 "entries are not resolved; fields are not inherited")
    venue_text = text("booktitle") or text("journal")
    venue = None
    if venue_text and not venue_text.lower().startswith("arxiv"):
        short, _ = venue_and_year(venue_text)
        venue = venue_text if short is None else short
        if short and year and not short.endswith(str(year)):
            venue = f"{short.rsplit(' ', 1)[0]} {year}"
    extra = tuple(
        (name, value) for name in sorted(KEPT_FIELDS - {"journal", "booktitle", "month"})
        if name in values and (value := text(name)))
    return Record(
        source=SourceRef(out.file, line), format=FORMAT, title=title, abstract=text("abstract"),
        authors=authors, author_count=len([a for a in authors if a != "others"]) or None,
        date=date, year=year, venue=venue, arxiv_id=arxiv[0] if arxiv else None,
        arxiv_version=arxiv[1] if arxiv else None, key=key, entry_type=entry_type, fields=extra,
        notes=text("annote"))


def _authors(values: dict[str, tuple[str, int]], out: ReaderOutput) -> tuple[str, ...]:
    if "author" not in values:
        return ()
    raw, line = values["author"]
    names: list[str] = []
    for name in split_multiple_persons_names(raw):
        if name.strip().lower() == "others":
            names.append("others")
            continue
        try:
            Person(name)
        except PybtexError as exc:
            out.error(line, f"author name {name!r} cannot be read ({exc}); left out")
            continue
        decoded = decode_latex(name, tie_is_space=True)
        names.append(" ".join(decoded.text.split()))
    if "," in raw and " and " not in raw and raw.count(",") > 2:
        out.warn(line, "author list looks comma-separated (APA style); BibTeX needs `and` between names")
    return tuple(names)
