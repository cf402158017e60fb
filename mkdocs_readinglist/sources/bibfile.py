"""`.bib` files through bibtexparser v2: good entries kept, every failed block a diagnostic.

bibtexparser reports 0-based lines and lets a few mistakes through silently (a missing
comma merges two fields, an extra `}` leaves fields behind); both are caught here.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.middlewares.names import split_multiple_persons_names
from pybtex.database import Person
from pybtex.exceptions import PybtexError

from ..latex.decode import decode_latex, split_math
from ..model import Record, SourceRef
from ..text import clean_text
from ..venues import venue_and_year
from .arxiv_listing import parse_arxiv_id
from .base import MONTHS, ReaderOutput, SourceOptions

FORMAT = "bibtex"
DESCRIPTION = "BibTeX database (@article{key, ...})"

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_MERGED_FIELD = re.compile(r"[}\"]?\s*\n?\s*(?P<name>[A-Za-z][\w\-]*)\s*=\s*(?=[{\"\d])")
_FIELDS_AFTER_END = re.compile(r"^[\s,}]*[A-Za-z][\w\-]*\s*=\s*\S")
_BAD_KEY = re.compile(r"[\s,{}#%\"()=\\']")
_UNESCAPED = re.compile(r"(?<!\\)[&%#]|(?<![\\$])[_^]")  # in prose, math taken out first
KNOWN_TYPES = {
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings",
    "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    "online", "report", "thesis", "software", "dataset",
}
_VERBATIM = {"url", "doi", "eprint", "file", "urldate", "isbn", "issn"}
_NOT_VERBATIM = re.compile(r"[\s{}\\]")
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


def _enclosed_fields(entry: bib.Entry) -> set[str]:
    """Fields whose value was one `{...}` or `"..."`: a `#` inside them is text, not concatenation."""
    removed = (entry.parser_metadata or {}).get("removed_enclosing") or {}
    return {name for name, enclosing in removed.items() if enclosing != "no-enclosing"}


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


_ENTRY_HEAD = re.compile(r"^(?P<head>[ \t]*@[ \t]*(?P<type>[A-Za-z]+)[ \t]*[{(][ \t]*)(?P<key>[^,\n]*)",
                         re.MULTILINE)
_FIELD_START = re.compile(r"^\s*[A-Za-z][\w\-]*\s*=")
_NOT_ENTRIES = {"string", "preamble", "comment"}
_PLACEHOLDER = "readinglist-invalid-key-line-"
_UNCLOSED = ("Unexpected block start", "Unexpectedly reached end", "but found `@")


def _silenced_parse(text: str) -> bibtexparser.Library:
    """bibtexparser logs each failed block to stderr; our diagnostics say it better."""
    logger = logging.getLogger("bibtexparser.splitter")
    disabled, logger.disabled = logger.disabled, True
    try:
        return bibtexparser.parse_string(text)
    finally:
        logger.disabled = disabled


def _parse(text: str, out: ReaderOutput) -> list[tuple[int, bibtexparser.Library]]:
    """(line offset, library) pairs: the whole text at once, or entry by entry if the parser fails."""
    try:
        return [(0, _silenced_parse(text))]
    except Exception:  # a parser bug must not lose the file: parse each entry on its own
        pass
    starts = [m.start() for m in _ENTRY_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    parts: list[tuple[int, bibtexparser.Library]] = []
    line = 0
    for begin, finish in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:finish]
        try:
            parts.append((line, _silenced_parse(chunk)))
        except Exception as exc:
            out.skipped(line + 1, f"BibTeX entry could not be read by the parser ({type(exc).__name__}); "
                        "entry skipped", "unreadable-entry", error=True)
        line += chunk.count("\n")
    return parts


def _fix_keys(text: str) -> tuple[str, dict[str, str]]:
    """Entries whose key is missing, empty or holds `,{}#%"()=\\` or a space get a placeholder key,
    so that bibtexparser reads the entry instead of dropping it; line numbers stay the same."""
    bad: dict[str, str] = {}

    def fix(match: re.Match[str]) -> str:
        if match.group("type").lower() in _NOT_ENTRIES:
            return match.group(0)
        key = match.group("key")
        line_end = text.find("\n", match.end())
        rest_of_line = text[match.end(): line_end if line_end >= 0 else len(text)]
        placeholder = f"{_PLACEHOLDER}{match.start()}"
        if _FIELD_START.match(key):  # `@article{title = {...},`: no key at all
            bad[placeholder] = ""
            return f"{match.group('head')}{placeholder}, {key}"
        stripped = key.strip()
        if not stripped and rest_of_line.startswith(","):
            bad[placeholder] = ""
            return f"{match.group('head')}{placeholder}"
        if stripped and rest_of_line.startswith(",") and _BAD_KEY.search(stripped):
            bad[placeholder] = stripped
            return f"{match.group('head')}{placeholder}"
        return match.group(0)

    if "@" not in text:
        return text, bad
    return _ENTRY_HEAD.sub(fix, text), bad


def _entry_key(raw: str) -> str:
    match = re.match(r"\s*@\s*[A-Za-z]+\s*[{(]\s*([^,\s=]*)", raw)
    return match.group(1) if match and match.group(1) else "?"


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    text, bad_keys = _fix_keys("\n".join(lines))
    parts = _parse(text, out)
    strings = {s.key.lower(): _unwrap(str(s.value)) for _, library in parts for s in library.strings}
    first_keys: dict[str, tuple[str, int]] = {}
    for offset, library in parts:
        for block in library.blocks:
            if isinstance(block, bib.DuplicateFieldKeyBlock) and isinstance(block.ignore_error_block, bib.Entry):
                block = block.ignore_error_block
            if isinstance(block, bib.Entry):
                first_keys.setdefault(block.key.lower(), (block.key, (block.start_line or 0) + 1 + offset))
    entries: list[tuple[bib.Entry, list[bib.Field], int]] = []
    for offset, library in parts:
        previous: tuple[bib.Entry, list[bib.Field], int] | None = None
        for block in library.blocks:
            line = (block.start_line or 0) + 1 + offset
            if isinstance(block, bib.DuplicateBlockKeyBlock):
                first = first_keys.get(block.key.lower())
                where = f" (first at line {first[1]})" if first else ""
                out.skipped(line, f"duplicate key {block.key!r}{where}; the first entry is kept, this one dropped",
                            "duplicate-key")
            elif isinstance(block, bib.DuplicateFieldKeyBlock):
                entry = block.ignore_error_block
                if not isinstance(entry, bib.Entry):
                    out.skipped(line, "entry with duplicate fields could not be read; skipped", "unreadable-entry",
                                error=True)
                    continue
                kept: dict[str, bib.Field] = {}
                for fld in entry.fields:
                    if fld.key.lower() in kept:
                        out.warn(fld.start_line + 1 + offset, f"field {fld.key!r} appears twice in {entry.key!r}; "
                                 "the first is kept", "duplicate-field")
                    else:
                        kept[fld.key.lower()] = bib.Field(fld.key, _unwrap(str(fld.value)), fld.start_line)
                out.detected += 1
                previous = (entry, list(kept.values()), offset)
                entries.append(previous)
            elif isinstance(block, bib.ParsingFailedBlock):
                previous = None
                if (rescued := _failed_block(block, line - offset, out)) is not None:
                    out.detected += 1
                    previous = (rescued[0], list(rescued[0].fields), rescued[1] + offset)
                    entries.append(previous)
            elif isinstance(block, bib.Entry):
                out.detected += 1
                previous = (block, list(block.fields), offset)
                entries.append(previous)
            elif isinstance(block, bib.ImplicitComment) and _FIELDS_AFTER_END.match(str(block.comment)):
                _fields_after_end(block, line, previous, out)
            elif isinstance(block, bib.ExplicitComment) and _ENTRY_START.search(str(block.comment)):
                out.info(line, "an @comment holds an entry; it stays a comment (not read, not written)",
                         "commented-entry")
    by_key: dict[str, dict[str, str]] = {}
    for entry, fields, _ in entries:
        enclosed = _enclosed_fields(entry)
        by_key.setdefault(entry.key.lower(), {
            f.key.lower(): str(f.value) if f.key in enclosed else _concatenate(str(f.value), strings) for f in fields})
    for entry, fields, offset in entries:
        record = _record(entry, fields, strings, out, offset, bad_keys, first_keys, by_key)
        if record is not None:
            out.records.append(record)


def _failed_block(block: bib.ParsingFailedBlock, line: int, out: ReaderOutput) -> tuple[bib.Entry, int] | None:
    """Report a block bibtexparser gave up on; an entry missing only its closing `}` is read back."""
    reason = str(getattr(block.error, "abort_reason", "") or block.error or "syntax error").strip().rstrip(".")
    raw = str(block.raw).rstrip()
    key = _entry_key(raw)
    if not any(marker in reason for marker in _UNCLOSED):
        out.skipped(line, f"entry {key!r} could not be parsed: {reason}; entry skipped", "unparsable-entry",
                    error=True)
        return None
    last = line + raw.count("\n")
    unclosed = _unclosed_braces(raw)
    if len(unclosed) == 1:  # only the entry's own `}` is missing: read it as if it were there
        rescued = _silenced_parse(raw + "\n}")
        if len(rescued.entries) == 1 and not rescued.failed_blocks:
            out.error(last, f"entry {key!r} (line {line}) is not closed: its `}}` is missing here; read as if "
                      "it were there", "unclosed-entry")
            return rescued.entries[0], line - 1
    if len(unclosed) >= 2:
        out.skipped(line + unclosed[1], f"entry {key!r} (line {line}) is not closed: the `{{` opened on this line "
                    f"is never closed (a `}}` is missing); entry skipped, the entries after it are read",
                    "unclosed-entry", error=True)
        return None
    out.skipped(last, f"entry {key!r} (line {line}) is not closed: a `}}` is missing by this line "
                f"({reason}); entry skipped, the entries after it are read", "unclosed-entry", error=True)
    return None


def _unclosed_braces(raw: str) -> list[int]:
    """0-based lines (relative to the entry) of the `{` that are never closed, outermost first."""
    stack: list[int] = []
    line = 0
    previous = ""
    for char in raw:
        if char == "\n":
            line += 1
        elif char == "{" and previous != "\\":
            stack.append(line)
        elif char == "}" and previous != "\\" and stack:
            stack.pop()
        previous = char
    return stack


def _fields_after_end(block: bib.ImplicitComment, line: int,
                      previous: tuple[bib.Entry, list[bib.Field], int] | None, out: ReaderOutput) -> None:
    """`title = {X}},` then more fields: BibTeX ignores the rest silently; we read them back."""
    comment = str(block.comment)
    body = comment.lstrip(" \t\n,}")
    skipped_lines = comment[: len(comment) - len(body)].count("\n")
    body = body.rstrip()
    if body.endswith(("}", ")")):
        body = body[:-1]
    rescued = _silenced_parse("@misc{x,\n" + body + "\n}")
    names = [f.key for f in rescued.entries[0].fields] if rescued.entries else []
    if previous is None or not names:
        out.warn(line + skipped_lines, "fields after the end of the entry (an extra `}` closed it early); "
                 "those fields are ignored", "fields-after-end")
        return
    entry, fields, offset = previous
    known = {f.key.lower() for f in fields}
    first_line = (block.start_line or 0) + skipped_lines - offset
    for fld in rescued.entries[0].fields:
        if fld.key.lower() not in known:
            fields.append(bib.Field(fld.key, fld.value, first_line + fld.start_line - 1))
    out.warn(line + skipped_lines, f"fields after the end of the entry {entry.key!r} (an extra `}}` closed it "
             f"early): {', '.join(names)}; read as part of the entry", "fields-after-end")


def _split_merged(fields: list[bib.Field], out: ReaderOutput, key: str, offset: int) -> list[bib.Field]:
    """A missing comma makes bibtexparser glue the next field onto a value: split it back."""
    result: list[bib.Field] = []
    pending = list(reversed(fields))
    while pending:
        fld = pending.pop()
        value = str(fld.value)
        match = _MERGED_FIELD.search(value) if "=" in value else None
        if not (match and ("\n" in value[: match.end()] or value[: match.start() + 1].rstrip().endswith(("}", '"')))):
            result.append(fld)
            continue
        line = fld.start_line + value.count("\n", 0, match.start() + 1)  # where the next field starts
        out.error(fld.start_line + value.count("\n", 0, match.start()) + 1 + offset, f"missing comma between fields {fld.key!r} and {match.group('name')!r} "
                  f"in {key!r}; read as two fields", "missing-comma")
        result.append(bib.Field(fld.key, _unwrap(value[: match.start() + 1]), fld.start_line))
        rest = _silenced_parse("@misc{x," + value[match.start() + 1:] + "\n}")
        if rest.entries:
            # the rest holds the next field (and any further glued ones): checked again
            pending.extend(reversed([bib.Field(f.key, f.value, line + f.start_line) for f in rest.entries[0].fields]))
    return result


def _record(entry: bib.Entry, fields: list[bib.Field], strings: dict[str, str], out: ReaderOutput, offset: int,
            bad_keys: dict[str, str], first_keys: dict[str, tuple[str, int]],
            by_key: dict[str, dict[str, str]]) -> Record | None:
    line = (entry.start_line or 0) + 1 + offset
    key: str | None = entry.key
    shown_key = entry.key
    if key in bad_keys:
        shown_key = bad_keys[key]
        problem = f"invalid citation key {shown_key!r} (it holds a space or one of ,{{}}#%\"()=\\')" if shown_key \
            else "entry without a citation key"
        out.error(line, f"{problem}; the entry is kept and given a new key", "bad-key")
        key = None
    elif not key or _BAD_KEY.search(key):
        out.error(line, f"invalid citation key {key!r} (empty, or holds a space or one of "
                  ",{}#%\"()=\\'); the entry is kept and given a new key", "bad-key")
        key = None
    else:
        first_key, first_line = first_keys.get(key.lower(), (key, line))
        if first_line != line:
            out.skipped(line, f"key {key!r} differs only in case from {first_key!r} (line {first_line}); "
                        "the first is kept, this entry dropped", "duplicate-key")
            out.detected -= 1  # counted once already as an entry
            return None
    values: dict[str, tuple[str, int]] = {}
    label = shown_key or f"at line {line}"
    enclosed = _enclosed_fields(entry)
    for fld in _split_merged(fields, out, label, offset):
        raw = str(fld.value) if fld.key in enclosed else _concatenate(str(fld.value), strings)
        values.setdefault(fld.key.lower(), (raw, fld.start_line + 1 + offset))
    if "crossref" in values:
        target, crossref_line = values["crossref"]
        parent = by_key.get(target.strip().lower())
        if parent is None:
            out.warn(crossref_line, f"crossref to {target.strip()!r}, which is not an entry of this file; "
                     "nothing inherited", "missing-crossref")
        else:
            for name, inherited in parent.items():
                if name not in values and name not in ("crossref", "ids"):
                    values[name] = (inherited, crossref_line)
    entry_type = entry.entry_type.lower()
    if entry_type not in KNOWN_TYPES:
        out.warn(line, f"unknown entry type @{entry.entry_type}; written as @misc", "unknown-type")
        entry_type = "misc"

    def text(name: str) -> str | None:
        if name not in values:
            return None
        raw, field_line = values[name]
        if name in _VERBATIM:
            value = raw.strip()
            if value and _NOT_VERBATIM.search(value):
                out.warn(field_line, f"{name} {value[:80]!r} holds spaces, braces or backslashes, so it is not a "
                         f"{name}; left out", "bad-field")
                return None
            return value or None
        raw = out.capped(field_line, raw, name)
        decoded = decode_latex(raw, tie_is_space=True)
        for code, problem in decoded.problems:
            out.warn(field_line, f"{name}: {problem}", code)
        prose = "".join(piece for is_math, piece in split_math(raw) if not is_math)
        if _UNESCAPED.search(prose):
            out.warn(field_line, f"{name}: unescaped LaTeX special character "
                     f"({_UNESCAPED.search(prose).group(0)!r}) would stop LaTeX; escaped on export")  # type: ignore[union-attr]
        return clean_text(decoded.text) or None

    title = text("title")  # a paper left without a title is reported once the corpus is merged
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
        out.warn(line, f"entry {label!r} has no year", "no-year")
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


_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[\s\-]*)+$")
_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv|v)\.?$", re.IGNORECASE)
_OTHERS = {"others", "et al.", "et al", "et. al.", "etc."}


def _apa_names(raw: str) -> list[str] | None:
    """`Roe, R., Doe, J., & Smith, K.`: names separated by commas instead of `and`."""
    pieces = [p.strip().removeprefix("&").strip() for p in raw.split(",")]
    if len(pieces) < 4 or len(pieces) % 2 or not all(
            pieces[i] and _INITIALS.match(pieces[i + 1]) for i in range(0, len(pieces), 2)):
        return None
    return [f"{pieces[i]}, {pieces[i + 1]}" for i in range(0, len(pieces), 2)]


def _authors(values: dict[str, tuple[str, int]], out: ReaderOutput) -> tuple[str, ...]:
    if "author" not in values:
        return ()
    raw, line = values["author"]
    parts = split_multiple_persons_names(raw)
    if len(parts) == 1 and (apa := _apa_names(parts[0])) is not None:
        out.warn(line, f"author list is comma-separated (APA style); read as {len(apa)} authors "
                 f"({'; '.join(apa)}); BibTeX needs `and` between names", "apa-authors")
        parts = apa
    names: list[str] = []
    for name in parts:
        if name.strip().lower() in _OTHERS:
            names.append("others")
            continue
        pieces = [p.strip() for p in name.split(",")]
        if len(pieces) > 3 or (len(pieces) == 3 and not _SUFFIX.match(pieces[1]) and _SUFFIX.match(pieces[2])):
            fixed = f"{pieces[0]}, {pieces[2]}, {pieces[1]}" if _SUFFIX.match(pieces[2]) else f"{pieces[0]}, {pieces[1]}"
            out.error(line, f"author name {name!r} has too many commas (BibTeX reads `Last, First` or "
                      f"`Last, Jr, First`); read as {fixed!r}", "bad-name")
            name = fixed
        try:
            Person(name)
        except PybtexError as exc:
            out.error(line, f"author name {name!r} cannot be read ({exc}); left out", "bad-name")
            continue
        decoded = decode_latex(name, tie_is_space=True)
        if cleaned := clean_text(decoded.text):
            names.append(cleaned)
    if "," in raw and " and " not in raw and raw.count(",") > 2 and len(parts) == 1:
        out.warn(line, "author list looks comma-separated (APA style); BibTeX needs `and` between names",
                 "apa-authors")
    return tuple(names)
