"""`.bib` files through bibtexparser v2: good entries kept, every failed block a diagnostic.

bibtexparser reports 0-based lines and lets a few mistakes through silently (a missing
comma merges two fields, an extra `}` leaves fields behind); both are caught here.

The file is parsed without middlewares, so each entry keeps its type, key and every field
with its value as written (a BibEntry on the record): the export writes it back as it came.
A value whose text would stop LaTeX (an unescaped `&`, a bare `$`, an undefined `\\eg`, a
`"` inside a quoted value) is reported at its line and listed as a repair for the export.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.middlewares.names import split_multiple_persons_names
from pybtex.database import Person
from pybtex.exceptions import PybtexError

from ..latex.decode import decode_latex, repair_latex, split_math, undefined_macros
from ..model import BibEntry, Record, SourceRef
from ..text import braces_balanced, clean_text
from ..venues import venue_and_year
from .arxiv_listing import parse_arxiv_id
from .base import MONTHS, ReaderOutput, SourceOptions

FORMAT = "bibtex"
DESCRIPTION = "BibTeX database (@article{key, ...})"

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_MERGED_FIELD = re.compile(r"[}\"]?\s*\n?\s*(?P<name>[A-Za-z][\w\-]*)\s*=\s*(?=[{\"\d])")
_FIELDS_AFTER_END = re.compile(r"^[\s,}]*[A-Za-z][\w\-]*\s*=\s*\S")
_BAD_KEY = re.compile(r"[\s,{}#%\"()=\\']")
_UNESCAPED = re.compile(r"(?<!\\)[&%#]|(?<![\\$])[_^]|(?<!\\)\$")  # in prose, math taken out first
# BibTeX's types and biblatex's (its manual, section 2.1), with their aliases: kept as written.
KNOWN_TYPES = {
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings",
    "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    "online", "report", "thesis", "software", "dataset", "mvbook", "bookinbook", "suppbook", "collection",
    "mvcollection", "suppcollection", "periodical", "suppperiodical", "mvproceedings", "reference",
    "mvreference", "inreference", "patent", "set", "xdata", "customa", "customb", "customc", "customd",
    "custome", "customf", "electronic", "www", "artwork", "audio", "bibnote", "commentary", "image",
    "jurisdiction", "legislation", "legal", "letter", "movie", "music", "performance", "review",
    "standard", "video", "datatype",
}
# Fields LaTeX typesets through the standard BibTeX and biblatex styles: a value that would stop
# LaTeX there is repaired on export. Other fields (abstract, file, keywords, tool fields) go as written.
TYPESET_FIELDS = {
    "title", "subtitle", "titleaddon", "booktitle", "booksubtitle", "booktitleaddon", "maintitle",
    "mainsubtitle", "journal", "journaltitle", "journalsubtitle", "issuetitle", "eventtitle", "note",
    "addendum", "howpublished", "publisher", "address", "location", "institution", "school", "organization",
    "series", "edition", "chapter", "type", "venue", "origtitle", "shorttitle",
    "abstract", "annotation", "annote",  # biber writes these into the .bbl too
}
NAME_FIELDS = ("author", "editor")
# Macros of biblatex and of common packages that pylatexenc does not know: defined, so not repaired.
KNOWN_MACROS = {
    "mkbibquote", "mkbibemph", "mkbibitalic", "mkbibbold", "autocap", "textcite", "cite", "parencite",
    "printfield", "bibstring", "mkbibacro", "addcomma", "addspace", "adddot", "addcolon", "addperiod",
    "nopunct", "noopsort", "TeX", "LaTeX", "BibTeX", "AMSTeX", "AmS", "emph", "textsc", "texttt", "url",
    "mbox", "hbox", "path", "lowercase", "uppercase", "MakeUppercase", "MakeLowercase", "relax", "hskip",
    "vphantom", "hphantom", "textendash", "textemdash", "texorpdfstring", "ensuremath", "mathrm",
    "mkbibsuperscript", "mkbibsubscript", "mkbibparens", "mkbibbrackets", "noindent", "newblock", "hyphen",
    "slash", "break", "allowbreak", "nobreakspace", "citeauthor", "citetitle", "ifmmode", "else", "fi",
}
_DEFINED = re.compile(r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)\*?\s*\{?\s*\\([A-Za-z]+)"
                      r"|\\def\s*\\([A-Za-z]+)")
_MONTH_NAMES = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
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


def concatenation_offsets(value: str) -> list[int]:
    """Offsets of the `#` that join the parts of a raw value (BibTeX's concatenation: outside
    braces and quotes)."""
    if "#" not in value:
        return []
    found, depth, quoted = [], 0, False
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0 and (index == 0 or value[index - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            found.append(index)
    return found


def _parts(value: str) -> list[str]:
    """A raw value split at its top-level `#`."""
    cuts = concatenation_offsets(value)
    return [value[start + 1 if start >= 0 else 0:end] for start, end in zip([-1, *cuts], [*cuts, len(value)], strict=True)]


def _resolve(value: str, strings: dict[str, str]) -> str:
    """The text of a raw value: `{...}` and `"..."` unwrapped, `@string` names expanded, `#` joined."""
    value = value.strip()
    if value[:1] in "{\"" and value[-1:] in "}\"" and len(_parts(value)) == 1:
        return value[1:-1]
    return "".join(strings.get(p.strip().lower(), _unwrap(p)) for p in _parts(value))


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
        return bibtexparser.parse_string(text, parse_stack=[])
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
    strings: dict[str, str] = {}
    blocks: list[tuple[str, str, str]] = []  # the file's @string, @preamble and @comment blocks, in order
    defined: set[str] = set()
    for _, library in parts:
        for block in library.blocks:
            if isinstance(block, bib.String):
                strings[block.key.lower()] = _resolve(str(block.value), strings)
                blocks.append(("string", block.key, str(block.value)))
            elif isinstance(block, bib.Preamble):
                blocks.append(("preamble", "", str(block.value)))
                defined.update(a or b for a, b in _DEFINED.findall(str(block.value)))
            elif isinstance(block, bib.ExplicitComment) and "@" not in str(block.comment):
                blocks.append(("comment", "", str(block.comment)))
    context = _FileContext(strings, tuple(blocks), frozenset(defined))
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
                        kept[fld.key.lower()] = bib.Field(fld.key, str(fld.value), fld.start_line)
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
        by_key.setdefault(entry.key.lower(), {f.key.lower(): _resolve(str(f.value), strings) for f in fields})
    for entry, fields, offset in entries:
        record = _record(entry, fields, context, out, offset, bad_keys, first_keys, by_key)
        if record is not None:
            out.records.append(record)


@dataclass(frozen=True, slots=True)
class _FileContext:
    strings: dict[str, str]  # @string name (lower case) -> its text
    blocks: tuple[tuple[str, str, str], ...]
    defined: frozenset[str]  # macros the file's @preamble defines (`\\noopsort`)


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


def _balanced(raw: str) -> bool:
    """A raw value whose braces all close: where a value glued to the next field can end."""
    return not _unclosed_braces(raw) and raw.count("}") - raw.count("\\}") <= raw.count("{") - raw.count("\\{")


_BARE_VALUE = re.compile(r"[\w\-:.+/']+")


def _closed_value(head: str) -> bool:
    """Whether a value glued to what looks like a next field ends there: a whole `{...}` or
    `"..."`, or a bare number or macro name. `"A = {B}"` over two lines is one value, not two."""
    if head[:1] == "{":
        return head.endswith("}") and _balanced(head)
    if head[:1] == '"':
        return head.endswith('"') and len(head) >= 2 and _balanced(head)
    return _BARE_VALUE.fullmatch(head) is not None


def _split_merged(fields: list[bib.Field], out: ReaderOutput, key: str, offset: int) -> list[bib.Field]:
    """A missing comma makes bibtexparser glue the next field onto a value: split it back."""
    result: list[bib.Field] = []
    pending = list(reversed(fields))
    while pending:
        fld = pending.pop()
        value = str(fld.value)
        match = _MERGED_FIELD.search(value) if "=" in value else None
        if not (match and ("\n" in value[: match.end()] or value[: match.start() + 1].rstrip().endswith(("}", '"')))
                and _closed_value(value[: match.start() + 1].strip())):
            result.append(fld)
            continue
        line = fld.start_line + value.count("\n", 0, match.start() + 1)  # where the next field starts
        out.error(fld.start_line + value.count("\n", 0, match.start()) + 1 + offset, f"missing comma between fields {fld.key!r} and {match.group('name')!r} "
                  f"in {key!r}; read as two fields", "missing-comma")
        result.append(bib.Field(fld.key, value[: match.start() + 1].strip(), fld.start_line))
        rest = _silenced_parse("@misc{x," + value[match.start() + 1:] + "\n}")
        if rest.entries:
            # the rest holds the next field (and any further glued ones): checked again
            pending.extend(reversed([bib.Field(f.key, f.value, line + f.start_line) for f in rest.entries[0].fields]))
    return result


def _record(entry: bib.Entry, fields: list[bib.Field], context: _FileContext, out: ReaderOutput, offset: int,
            bad_keys: dict[str, str], first_keys: dict[str, tuple[str, int]],
            by_key: dict[str, dict[str, str]]) -> Record | None:
    line = (entry.start_line or 0) + 1 + offset
    strings = context.strings
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
    raw_fields: list[tuple[str, str, int]] = []  # (name as written, raw value, line), in order
    label = shown_key or f"at line {line}"
    for fld in _split_merged(fields, out, label, offset):
        raw = str(fld.value).strip()
        if fld.key.lower() in values:
            continue
        field_line = fld.start_line + 1 + offset
        raw_fields.append((fld.key, raw, field_line))
        values[fld.key.lower()] = (_resolve(raw, strings), field_line)
    own = set(values)
    left_out: list[str] = []
    if "crossref" in values:
        target, crossref_line = values["crossref"]
        parent = by_key.get(target.strip().lower())
        if parent is None:
            out.warn(crossref_line, f"crossref to {target.strip()!r}, which is not an entry of this file; "
                     "nothing inherited, and left out on export (bibtex stops on a crossref to a missing entry)",
                     "missing-crossref")
            left_out.append("crossref")
        else:
            for name, inherited in parent.items():
                if name not in values and name not in ("crossref", "ids"):
                    values[name] = (inherited, crossref_line)
    written_type = _written_type(str(entry.raw)) or entry.entry_type
    entry_type = entry.entry_type.lower()
    if entry_type not in KNOWN_TYPES:
        out.warn(line, f"unknown entry type @{written_type}; kept as written (BibTeX styles print it as @misc)",
                 "unknown-type")
    repairs: dict[str, str] = {}
    for name, raw, field_line in raw_fields:
        lower = name.lower()
        if not braces_balanced(raw):  # `"}}"`: a quoted value whose braces do not pair breaks the .bib written back
            out.warn(field_line, f"{name}: unbalanced braces: its braces are dropped on export", "unbalanced-braces")
            repairs[lower] = values[lower][0].replace("{", "").replace("}", "")
        elif lower in TYPESET_FIELDS:
            repaired = _check_typeset(name, raw, values[lower][0], field_line, context, out)
            if repaired is not None:
                repairs[lower] = repaired

    def text(name: str) -> str | None:
        if name not in values:
            return None
        raw, field_line = values[name]
        if name in _VERBATIM:
            value = raw.strip()
            if value and _NOT_VERBATIM.search(value):
                if name in own:
                    out.warn(field_line, f"{name} {value[:80]!r} holds spaces, braces or backslashes, so it is not "
                             f"a {name}; not used as one (written as it is)", "bad-field")
                return None
            return value or None
        raw = out.capped(field_line, raw, name)
        return clean_text(decode_latex(raw, tie_is_space=True).text) or None

    title = text("title")  # a paper left without a title is reported once the corpus is merged
    authors, names_repaired = _authors(values, out)
    if names_repaired is not None and "author" in own:
        repairs["author"] = names_repaired
    year = None
    if "year" in values:
        raw_year, year_line = values["year"]
        if re.fullmatch(r"\s*\d{4}\s*", raw_year):
            year = int(raw_year)
        else:
            out.warn(year_line, f"year {raw_year!r} is not a year; left out of the paper's facts, written as it is",
                     "bad-year")
    elif "date" in values and re.match(r"\d{4}", values["date"][0]):
        year = int(values["date"][0][:4])
    else:
        out.warn(line, f"entry {label!r} has no year", "no-year")
    month = None
    month_raw = next((raw for name, raw, _ in raw_fields if name.lower() == "month"), "")
    if month_raw[:1] in "{\"" and month_raw[1:-1].strip().lower()[:3] in MONTHS and \
            month_raw[1:-1].strip().lower() in (*MONTHS, *_MONTH_NAMES, "sept"):
        macro = month_raw[1:-1].strip().lower()[:3]
        out.info(values["month"][1], f"month {month_raw} is written as BibTeX's month macro `{macro}` on export "
                 "(biber reads only that, or a number, as a month)", "month-macro")
        repairs["month"] = macro
    if "month" in values:
        raw_month, month_line = values["month"]
        cleaned = raw_month.strip().lower().rstrip(".")
        if cleaned.isdigit() and 1 <= int(cleaned) <= 12:
            month = int(cleaned)
        elif cleaned in MONTHS or cleaned == "sept":
            month = MONTHS[cleaned[:3]]
        elif cleaned in _MONTH_NAMES:
            month = _MONTH_NAMES[cleaned]
        else:
            out.warn(month_line, f"month {raw_month!r} is not a month; left out of the paper's facts, written as "
                     "it is", "bad-month")
    date = f"{year:04d}-{month:02d}" if year and month else None
    arxiv = None
    eprint = values.get("eprint", ("", 0))[0]
    if eprint and values.get("archiveprefix", values.get("eprinttype", ("arxiv", 0)))[0].lower() == "arxiv":
        arxiv = parse_arxiv_id(eprint)
    if arxiv is None:
        for name in ("journal", "url", "note"):
            found = re.search(r"arxiv(?:\.org/abs/|:)\s*([\w./\-]+?)(?:\.pdf)?(?:[\s},]|$)", values.get(name, ("", 0))[0], re.I)
            if found and (arxiv := parse_arxiv_id(found.group(1))):
                break
    venue_text = text("booktitle") or text("journal") or text("journaltitle")
    venue = None
    if venue_text and not venue_text.lower().startswith("arxiv"):
        short, _ = venue_and_year(venue_text)
        venue = venue_text if short is None else short
        if short and year and not short.endswith(str(year)):
            venue = f"{short.rsplit(' ', 1)[0]} {year}"
    extra = tuple(
        (name, value) for name in sorted(KEPT_FIELDS - {"journal", "booktitle", "month"})
        if name in values and (value := text(name)))
    doi = text("doi")
    entry_record = BibEntry(
        entry_type=written_type, key=key or "", fields=tuple((name, raw) for name, raw, _ in raw_fields),
        source=SourceRef(out.file, line), repairs=tuple(repairs.items()), blocks=context.blocks,
        left_out=tuple(left_out))
    return Record(
        source=SourceRef(out.file, line), format=FORMAT, title=title, abstract=text("abstract"),
        authors=authors, author_count=len([a for a in authors if a != "others"]) or None,
        date=date, year=year, venue=venue, arxiv_id=arxiv[0] if arxiv else None,
        arxiv_version=arxiv[1] if arxiv else None, key=key, entry_type=entry_type, fields=extra,
        notes=text("annote"), doi=_doi_identity(doi), bib=entry_record)


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def _doi_identity(doi: str | None) -> str | None:
    if not doi:
        return None
    value = _DOI_PREFIX.sub("", doi.strip()).lower()
    return value if value.startswith("10.") else None


def _written_type(raw: str) -> str | None:
    match = re.match(r"\s*@\s*([A-Za-z]+)", raw)
    return match.group(1) if match else None


def _quote_inside_quotes(raw: str) -> bool:
    """`"A "quoted" Word"`: a `"` at brace depth 0 inside a quoted value ends it for BibTeX."""
    for part in _parts(raw):
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


def _check_typeset(name: str, raw: str, text: str, line: int, context: _FileContext,
                   out: ReaderOutput) -> str | None:
    """Report what in a typeset field would stop LaTeX; the LaTeX to write instead (in braces), or None."""
    broken = False
    if _quote_inside_quotes(raw):
        out.warn(line, f"{name}: a `\"` inside a value delimited by quotes ends the value for BibTeX (a syntax "
                 f"error); read as {text[:80]!r}, written in braces on export", "bib-syntax")
        broken = True
    if not text.isascii():
        out.info(line, f"{name}: non-ASCII characters are written as LaTeX (accents; a stand-in for what pdflatex "
                 "cannot set) on export", "non-ascii")
        broken = True
    if not any(c in text for c in "\\$&%#_^{}"):
        return text if broken else None
    keep = KNOWN_MACROS | context.defined
    decoded = decode_latex(text, tie_is_space=True)
    for code, problem in decoded.problems:
        if code != "undefined-macro":
            out.warn(line, f"{name}: {problem}", code)
            broken = True
    for macro in undefined_macros(text):
        if macro not in keep:
            out.warn(line, f"{name}: undefined LaTeX macro \\{macro}; replaced by its text on export",
                     "bib-undefined-macro")
            broken = True
    prose = "".join(piece for is_math, piece in split_math(text) if not is_math)
    special = _UNESCAPED.search(prose)
    if special:
        out.warn(line, f"{name}: unescaped LaTeX special character ({special.group(0)!r}) would stop LaTeX; "
                 "escaped on export", "latex-special")
        broken = True
    return repair_latex(text, keep) if broken else None


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


def _top_level_split(name: str) -> list[str]:
    """A name split at its commas outside braces (`{Barnes, and Noble}` is one piece)."""
    if "{" not in name:
        return name.split(",")
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(name):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            pieces.append(name[start:index])
            start = index + 1
    pieces.append(name[start:])
    return pieces


_DOTLESS_ACCENT = re.compile(r"(\\[`'^\"~=.uvHc]\s*\{?\s*)\\([ij])(?![A-Za-z])")


def _authors(values: dict[str, tuple[str, int]], out: ReaderOutput) -> tuple[tuple[str, ...], str | None]:
    """The names of `author`, and the names to write instead when the list as written would
    mislead BibTeX or biber (each such repair is reported here), else None."""
    if "author" not in values:
        return (), None
    raw, line = values["author"]
    parts = split_multiple_persons_names(raw)
    repaired = False
    if len(parts) == 1 and (apa := _apa_names(parts[0])) is not None:
        out.warn(line, f"author list is comma-separated (APA style); read as {len(apa)} authors "
                 f"({'; '.join(apa)}); BibTeX needs `and` between names, written so on export", "apa-authors")
        parts = apa
        repaired = True
    if not raw.isascii():
        out.info(line, "author: names with non-ASCII letters are written with LaTeX accents on export (bibtex's "
                 "alpha style cuts UTF-8 surnames mid-byte)", "non-ascii")
        repaired = True
    if _DOTLESS_ACCENT.search(raw):
        out.warn(line, "author: an accent on a dotless `\\i`/`\\j` (`{\\'\\i}`) becomes characters pdflatex "
                 "rejects under biber; written as the accented letter on export", "repaired")
        repaired = True
    names: list[str] = []
    written: list[str] = []  # the names as LaTeX, repaired
    for name in parts:
        if name.strip().lower() in _OTHERS:
            written.append("others")
            if name.strip() != "others":
                out.warn(line, f"author: {name.strip()!r} prints \"et al.\" only as lowercase `others`; written "
                         "as `others` on export", "repaired")
                repaired = True
            names.append("others")
            continue
        pieces = [p.strip() for p in _top_level_split(name)]
        if len(pieces) > 3 or (len(pieces) == 3 and not _SUFFIX.match(pieces[1]) and _SUFFIX.match(pieces[2])):
            fixed = f"{pieces[0]}, {pieces[2]}, {pieces[1]}" if _SUFFIX.match(pieces[2]) else f"{pieces[0]}, {pieces[1]}"
            out.error(line, f"author name {name!r} has too many commas (BibTeX reads `Last, First` or "
                      f"`Last, Jr, First`); read and written as {fixed!r}", "bad-name")
            name = fixed
            repaired = True
        try:
            Person(name)
        except PybtexError as exc:
            out.error(line, f"author name {name!r} cannot be read ({exc}); left out", "bad-name")
            repaired = True
            continue
        decoded = decode_latex(name, tie_is_space=True)
        if cleaned := clean_text(decoded.text):
            names.append(cleaned)
            written.append(_DOTLESS_ACCENT.sub(r"\1\2", name.strip()))
    if "," in raw and " and " not in raw and raw.count(",") > 2 and len(parts) == 1:
        out.warn(line, "author list looks comma-separated (APA style); BibTeX needs `and` between names",
                 "apa-authors")
    return tuple(names), (" and ".join(written) if repaired else None)
