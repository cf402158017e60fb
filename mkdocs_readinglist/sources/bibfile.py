"""`.bib` files: the blocks bibtexparser v2 read, after the block repairs, mapped to records.

bib_repairs does the parsing and every repair of the file's blocks (a missing comma, fields
after an extra `}`, an unclosed entry, invalid or duplicate keys, ...), recording each; they
are reported here at FILE:LINE. What is left here is the mapping of each entry to a Record:
its facts (title, authors, year, venue, ids) read from its fields, and the entry itself (a
BibEntry on the record) with its type, key and every field as written, so that the export
writes it back as it came. A value whose text would stop LaTeX (an unescaped `&`, a bare `$`,
an undefined `\\eg`, a `"` inside a quoted value) is reported at its line and listed as a
repair for the export.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from urllib.parse import unquote

from bibtexparser import model as bib
from bibtexparser.middlewares.names import split_multiple_persons_names

from ..latex.decode import (
    decode_latex,
    repair_latex,
    undefined_macros,
    verbatim_arguments,
    without_math,
    without_verbatim,
)
from ..latex.defined import EVERY_MACRO, NEEDS_PREAMBLE, loads_definitions
from ..latex.html_markup import converted, has_markup, markup_text, markup_to_latex
from ..latex.journal_macros import AAS_JOURNALS, JOURNAL_FIELDS, journal_macros_written_out
from ..latex.required import REQUIRED_FIELDS
from ..makers import make_record, make_source_ref
from ..model import BibEntry, Record
from ..text import DOI_PREFIX, any_of, bare_doi, braces_balanced, clean_text, unescaped_verbatim
from ..venues import venue_and_year
from . import bib_repairs
from .arxiv_listing import parse_arxiv_id
from .base import CONTAINER_TYPES, MONTHS, ReaderOutput, SourceOptions
from .bib_cache import name_problem
from .bib_repairs import BAD_KEY, LINE_OFFSET, REBRACE, Repair, block_line, entry_label
from .bib_values import (
    PREDEFINED_STRINGS,
    TYPESET_FIELDS,
    has_entry_start,
    resolve,
    split_at,
    string_table,
    top_level_offsets,
    used_names,
)

FORMAT = "bibtex"
DESCRIPTION = "BibTeX database (@article{key, ...})"

# In prose (math taken out first): `& % # $` not after a backslash, `_ ^` not after a backslash or `$`
# (the character first, then the look behind: the engine skips ahead to the character in C).
_UNESCAPED = re.compile(r"[&%#$_^](?:(?<=[&%#$])(?<!\\.)|(?<=[_^])(?<![\\$].))")
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
NAME_FIELDS = ("author", "editor")
_DEFINED = re.compile(r"\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)\*?\s*\{?\s*\\([A-Za-z]+)"
                      r"|\\def\s*\\([A-Za-z]+)")
# Fields bibtex's styles print as written, not read as text here (TYPESET_FIELDS are): a macro
# LaTeX does not define in them stops pdflatex.
_PRINTED_AS_IS = frozenset({"year", "volume", "number", "pages", "edition", "month", "day", "issue", "version"})
_MACRO_NAME = re.compile(r"\\([A-Za-z]+)")
MONTH_MACROS = tuple(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
_MONTH_NAMES = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_VERBATIM = {"url", "doi", "eprint", "file", "urldate", "isbn", "issn"}
_NOT_VERBATIM = re.compile(r"[\s{}\\]")
_CONTAINERS = CONTAINER_TYPES
KEPT_FIELDS = {
    "pages", "volume", "number", "publisher", "address", "editor", "isbn", "issn", "doi", "url",
    "note", "school", "institution", "organization", "edition", "series", "howpublished",
    "primaryclass", "journal", "booktitle", "month", "pdf",
}
_EXTRA_FIELDS = tuple(sorted(KEPT_FIELDS - {"journal", "booktitle", "month"}))  # a record's `fields`, in order
_YEAR = re.compile(r"\s*\d{4}\s*")
_DATE_YEAR = re.compile(r"\d{4}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


def _iso_date(value: str) -> str | None:
    """A biblatex date's month or day as a paper's date (`2021-03-15`, `2021-03`; a range
    `2020-05/2020-06` or `2020-05/` by its start); None for a year alone or anything else."""
    found = _ISO_DATE.fullmatch(value.strip().split("/", 1)[0].strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or (found.group(3) and not 1 <= int(found.group(3)) <= 31):
        return None
    return found.group(0)
# `arXiv:ID`, an arxiv.org address (abs/ or pdf/, a version, `.pdf`: Citavi's `url`)
# Required fields reported otherwise (a paper without a title or year) or that a style makes do without
_NAMED_ELSEWHERE = frozenset({"author", "title", "year"})
# biblatex's names of those fields (an entry for biber: `journaltitle`, a thesis's `institution`)
_BIBLATEX_NAMES = {"journal": ("journaltitle",), "school": ("institution",)}
_ARXIV_MENTION = re.compile(r"arxiv(?:\.org/(?:abs|pdf)/|:)\s*([\w./\-]+?)(?:\.pdf)?"
                            r"(?:[\s},?#]|$)", re.I)
_S2_ARXIV_VOLUME = re.compile(r"\s*abs/(\S+)\s*")  # Semantic Scholar: `journal={ArXiv}, volume={abs/1706.03762}`
_WRITTEN_TYPE = re.compile(rf"\s*@\s*({bib_repairs.TYPE_PLACEHOLDER}\w*|[A-Za-z]+)")  # (a repair's placeholder)
_TYPESET_SPECIALS = "\\$&%#_^{}"


def score(lines: list[str]) -> float:
    return 20.0 if has_entry_start("\n".join(lines[:5000])) else 0.0


def report(out: ReaderOutput, repair: Repair) -> None:
    """A repair of bib_repairs as a diagnostic at its line."""
    if repair.skipped:
        out.skipped(repair.line, repair.message, repair.code, error=repair.level == "error")
    else:
        {"info": out.info, "warning": out.warn, "error": out.error}[repair.level](repair.line, repair.message,
                                                                                 repair.code)


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    parsed = bib_repairs.parse("\n".join(lines))
    for repair in parsed.repairs:
        report(out, repair)
    # the file's @string, @preamble and @comment blocks, in order, after the definitions of other
    # files it uses (BibTeX reads `\\bibliography{a,b}` as one database: a.bib's strings serve b.bib)
    blocks: list[tuple[str, str, str]] = [("string", name, raw) for name, raw in options.strings
                                          if name.lower() not in options.inlined_strings]
    defined: set[str] = set()
    for block in parsed.blocks:
        if isinstance(block, bib.String):
            out.strings.append((block.key, str(block.value)))
            if block.key.lower() not in options.inlined_strings:  # an earlier file's definition is written
                blocks.append(("string", block.key, str(block.value)))
        elif isinstance(block, bib.Preamble):
            blocks.append(("preamble", "", str(block.value)))
            defined.update(a or b for a, b in _DEFINED.findall(str(block.value)))
        elif isinstance(block, bib.ExplicitComment) and "@" not in str(block.comment):
            blocks.append(("comment", "", str(block.comment)))
    strings = string_table(parsed.blocks, options.strings)
    context = _FileContext(strings, tuple(blocks), frozenset(defined),
                           any(kind == "preamble" and loads_definitions(value) for kind, _, value in blocks),
                           options.inlined_strings)
    entries = [block for block in parsed.blocks if isinstance(block, bib.Entry)]
    out.detected += len(entries)
    first: dict[str, bib.Entry] = {}
    for entry in entries:
        first.setdefault(entry.key.lower(), entry)
    parents: dict[str, dict[str, str] | None] = {}

    elsewhere = dict(options.parents)

    def parent_fields(key: str) -> dict[str, str] | None:
        """The fields of the entry a crossref names (the first with that key; else another .bib
        file's, as the pipeline gives it), resolved when first asked."""
        if key not in parents:
            parent = first.get(key)
            if parent is not None:
                parents[key] = {f.key.lower(): resolve(str(f.value), strings) for f in parent.fields}
            else:
                parents[key] = dict(elsewhere[key]) if key in elsewhere else None
        return parents[key]

    for entry in entries:
        out.records.append(_record(entry, context, out, parent_fields))
    # The parsed file let go now, not when the cycle collector runs: pylatexenc's exception at
    # the end of a text it read keeps the frames that called it alive in a cycle (see
    # read_source), this one's locals with them (at 20k papers, collecting took 8.6 µs per
    # entry with them, 4.7 without).
    parsed.blocks.clear()
    entries.clear()
    first.clear()


# _record makes a Record and a BibEntry by position: a change of their fields stops the import.
if tuple(f.name for f in dataclass_fields(Record)) != (
        "source", "format", "title", "abstract", "summary", "authors", "author_count", "organisation", "date", "year",
        "updated", "venue", "arxiv_id", "arxiv_version", "comment", "key", "entry_type", "fields", "topics", "notes",
        "doi", "bib") or tuple(f.name for f in dataclass_fields(BibEntry)) != (
        "entry_type", "key", "fields", "source", "repairs", "blocks", "left_out"):  # pragma: no cover
    raise ImportError("bibfile._record passes Record's or BibEntry's fields by position: update it")


@dataclass(frozen=True, slots=True)
class _FileContext:
    strings: dict[str, str]  # @string name (lower case) -> its text
    blocks: tuple[tuple[str, str, str], ...]
    defined: frozenset[str]  # macros the file's @preamble defines (`\\noopsort`)
    loads_definitions: bool = False  # its @preamble reads a file or package (`\\input tugboat.def`)
    inlined: frozenset[str] = frozenset()  # names another file defines otherwise: values using them written out


def _record(entry: bib.Entry, context: _FileContext, out: ReaderOutput,
            parent_fields: Callable[[str], dict[str, str] | None]) -> Record:
    """The record of an entry the block repairs left (bib_repairs): its facts read from its
    fields, and the entry itself, with what the export must write repaired."""
    line = block_line(entry)
    strings = context.strings
    key: str | None = None if BAD_KEY in entry.parser_metadata else entry.key
    values: dict[str, tuple[str, int]] = {}
    raw_fields: list[tuple[str, str, int]] = []  # (name as written, raw value, line), in order
    label = entry_label(entry)
    first_line = 1 + int(entry.parser_metadata.get(LINE_OFFSET, 0))  # field_line(entry, fld) - fld.start_line
    lowers: list[str] = []  # each of raw_fields' names in lower case
    for fld in entry.fields:
        name = fld.key
        lower = name.lower()
        if lower in values:
            continue
        raw = str(fld.value).strip()
        where = (fld.start_line or 0) + first_line
        raw_fields.append((sys.intern(name), raw, where))  # one string per name, not per entry
        lowers.append(lower)
        values[lower] = (resolve(raw, strings), where)
        if raw[:1] not in "{\"" or "#" in raw:  # a value that may name a @string
            for used in used_names(raw):
                if used not in strings and used not in PREDEFINED_STRINGS:
                    out.wanted_strings.setdefault(used, where)
    written_out: set[str] = set()  # fields whose journal macros are written out
    for lower in sorted(JOURNAL_FIELDS & values.keys()):
        if not context.loads_definitions:  # (a @preamble that reads aas_macros.sty defines them)
            journal, at = values[lower]
            written, macros = journal_macros_written_out(journal, context.defined)
            if macros:
                shown = ", ".join(f"`\\{name}` as `{AAS_JOURNALS[name]}`" for name in dict.fromkeys(macros))
                out.info(at, f"{lower}: the AAS journal macro{'s' if len(set(macros)) > 1 else ''} of NASA ADS "
                         f"(aas_macros.sty, undefined elsewhere) written out: {shown}", "journal-macro")
                values[lower] = (written, at)
                written_out.add(lower)
    for lower, (written, at) in values.items():  # (a value replaced in place: the dict keeps its size)
        if lower in TYPESET_FIELDS and ("&" in written or "<" in written) and has_markup(written):
            latex, changed, left = markup_to_latex(written)
            if changed:
                out.info(at, f"{lower}: HTML (as Crossref writes titles) written as LaTeX: "
                         f"{', '.join(converted(written)[:4])}", "html-entity")
                values[lower] = (latex, at)
                written_out.add(lower)
            if left:
                out.warn(at, f"{lower}: HTML markup LaTeX prints as text ({', '.join(f'<{t}>' for t in left[:4])}"
                         f"{', ...' if len(left) > 4 else ''}); written as it is: write it as LaTeX "
                         "(math as $...$)", "html-markup")
    own = set(values)
    left_out: list[str] = []
    if "crossref" in values:
        target, crossref_line = values["crossref"]
        parent = parent_fields(target.strip().lower())
        if parent is None:
            out.warn(crossref_line, f"crossref to {target.strip()!r}, which is not an entry of this file or of the "
                     "other .bib sources; nothing inherited, and left out on export (bibtex stops on a crossref to "
                     "a missing entry)", "missing-crossref")
            out.wanted_parents.setdefault(target.strip().lower(), crossref_line)
            left_out.append("crossref")
        else:
            for name, inherited in parent.items():
                if name not in values and name not in ("crossref", "ids"):
                    values[name] = (inherited, crossref_line)
    written_type = sys.intern(_written_type(str(entry.raw)) or bib_repairs.type_as_written(entry.entry_type))
    entry_type = sys.intern(bib_repairs.type_as_written(entry.entry_type).lower())
    if entry_type not in KNOWN_TYPES:
        out.warn(line, f"unknown entry type @{written_type}; kept as written (BibTeX styles print it as @misc)",
                 "unknown-type")
    repairs: dict[str, str] = {}
    for (name, raw, at), lower in zip(raw_fields, lowers, strict=True):
        if context.inlined and (raw[:1] not in "{\"" or "#" in raw) \
                and (clashing := [used for used in used_names(raw) if used in context.inlined]):
            out.info(at, f"{name}: @string {clashing[0]!r} is defined otherwise in an earlier .bib of the corpus, "
                     f"whose definition the export writes; this value is written out in full, as this file defines "
                     f"it", "string-inlined")
            repairs[lower] = values[lower][0]
        if not braces_balanced(raw):  # `"}}"`: a quoted value whose braces do not pair breaks the .bib written back
            out.warn(at, f"{name}: unbalanced braces: its braces are dropped on export", "unbalanced-braces")
            repairs[lower] = values[lower][0].replace("{", "").replace("}", "")
        elif lower in TYPESET_FIELDS:
            repaired = _check_typeset(name, values[lower][0], at, context, out,
                                      lower in entry.parser_metadata.get(REBRACE, ()))
            if repaired is not None:
                repairs[lower] = repaired
        elif lower in _PRINTED_AS_IS and "\\" in values[lower][0]:
            # `year = "{\noopsort{1992b}}1992"` with no @preamble defining `\noopsort` (Beebe's font.bib)
            _undefined_kept(name, values[lower][0], at, context, out, every=True)
        if lower in written_out and lower not in repairs:
            repairs[lower] = values[lower][0]

    verbatim: dict[str, str | None] = {}

    def text(name: str) -> str | None:
        if name not in values:
            return None
        raw, at = values[name]
        if name in _VERBATIM:
            if name in verbatim:  # (asked twice, a `doi` of the fields and the identity: one warning)
                return verbatim[name]
            value = raw.strip()
            value = unescaped_verbatim(value)
            # `DOI: 10.1000/x`, `doi.org/10...`: a DOI written with its resolver (reported below, `doi-url`)
            bare = value[prefix.end():] if name == "doi" and (prefix := DOI_PREFIX.match(value)) else value
            if bare and _NOT_VERBATIM.search(bare):
                verbatim[name] = None
                if name in own:
                    out.warn(at, f"{name} {_quoted(value[:80] + ('...' if len(value) > 80 else ''))} holds spaces, braces "
                             "or backslashes, so it is not "
                             f"{'an' if name[:1] in 'aeiou' else 'a'} {name}; not used as one (written as it is)", "bad-field")
                return None
            verbatim[name] = value or None
            return value or None
        raw = out.capped(at, raw, name, exported_whole=True)
        read = clean_text(decode_latex(raw, tie_is_space=True).text)
        if "<" in read and has_markup(read):  # MathML left in the field (html-markup): its text
            read = markup_text(read)
        return read or None

    title = text("title")  # a paper left without a title is reported once the corpus is merged
    authors, names_repaired = _authors(values, out)
    if names_repaired is not None and "author" in own:
        repairs["author"] = names_repaired
    year = None
    if "year" in values:
        raw_year, year_line = values["year"]
        if _YEAR.fullmatch(raw_year):
            year = int(raw_year)
        elif "\\" in raw_year and _YEAR.fullmatch(shown := decode_latex(raw_year).text):  # `{\\noopsort{1973b}}1973`
            year = int(shown)
        else:
            out.warn(year_line, f"year {_quoted(raw_year)} is not a year; left out of the paper's facts, written as it is",
                     "bad-year")
    elif "date" in values and _DATE_YEAR.match(values["date"][0]):
        year = int(values["date"][0][:4])
    elif entry_type not in _CONTAINERS:
        out.warn(line, f"entry {label!r} has no year", "no-year")
    for one_of in REQUIRED_FIELDS.get(entry_type, ()):
        if one_of[0] not in _NAMED_ELSEWHERE and not any(values.get(alias, ("", 0))[0].strip() for name in one_of
                                                         for alias in (name, *_BIBLATEX_NAMES.get(name, ()))):
            out.warn(line, f"@{written_type} {label!r} has no {' or '.join(one_of)}: bibtex's standard styles warn "
                     f"\"empty {one_of[0]}\" and print it without one (biber says nothing); written as "
                     f"@{written_type}, the type you wrote. Add the field, or make it a @misc", "missing-field")
    month = None
    month_raw = raw_fields[lowers.index("month")][1] if "month" in own else ""
    written_month = month_raw[1:-1].strip().lower()
    if written_month.endswith(".") and not written_month.endswith(".."):  # `{Jan.}`, `{Sept.}`, `{12.}`
        written_month = written_month[:-1]
    if written_month.isdigit() and month_raw[1:-1].strip().endswith(".") and 1 <= int(written_month) <= 12:
        written_month = MONTH_MACROS[int(written_month) - 1]  # (`{12}` biber reads; `{12.}` it does not)
    if month_raw[:1] in "{\"" and written_month[:3] in MONTHS and \
            written_month in (*MONTHS, *_MONTH_NAMES, "sept"):
        macro = written_month[:3]
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
        elif (named := _months_named(cleaned)) is not None:  # `"10~" # jan`, `apr # "-" # may`: valid BibTeX
            month = named
            out.warn(month_line, f"month {_quoted(raw_month)} is more than a month: bibtex's styles print it as "
                     f"written; biber warns (\"legacy month field ... is not an integer\") and biblatex prints the "
                     f"month alone. Written as it is; for biber, write `month = {MONTH_MACROS[named - 1]}` (and a day in "
                     "biblatex's `day`), or a `date` (`2020-12-15`, `2020-04/2020-05`)", "month-text")
        elif not cleaned:  # `month = {}` (IEEE Xplore): no month, and neither bibtex nor biber says a word
            pass
        else:
            out.warn(month_line, f"month {_quoted(raw_month)} is not a month; left out of the paper's facts, written as "
                     "it is", "bad-month")
    date = f"{year:04d}-{month:02d}" if year and month else None
    if date is None and "year" not in values and "month" not in values and "date" in values:
        date = _iso_date(values["date"][0])  # biblatex's `date = {2021-03-15}` (a range: its start)
    arxiv = None
    eprint = values.get("eprint", ("", 0))[0]
    if eprint and values.get("archiveprefix", values.get("eprinttype", ("arxiv", 0)))[0].lower() == "arxiv":
        arxiv = parse_arxiv_id(eprint)
    if arxiv is None:
        for name in ("journal", "url", "note"):
            found = _ARXIV_MENTION.search(values.get(name, ("", 0))[0])
            if found and (arxiv := parse_arxiv_id(found.group(1))):
                break
    if arxiv is None and values.get("journal", ("", 0))[0].strip().lower() == "arxiv" \
            and (s2 := _S2_ARXIV_VOLUME.fullmatch(values.get("volume", ("", 0))[0])):
        arxiv = parse_arxiv_id(s2.group(1))
    venue_text = text("booktitle") or text("journal") or text("journaltitle")
    venue = None
    if venue_text and not venue_text.lower().startswith("arxiv"):
        short, _ = venue_and_year(venue_text)
        venue = venue_text if short is None else short
        if short and year and not short.endswith(str(year)):
            venue = f"{short.rsplit(' ', 1)[0]} {year}"
    extra = tuple(
        (name, value) for name in _EXTRA_FIELDS if name in values and (value := text(name)))
    # A DOI the entry inherits through its crossref is the volume's (each chapter of a proceedings
    # had its book's): the identity of no paper. Its own DOI is.
    doi = text("doi") if "doi" in own else None
    if doi and (prefix := DOI_PREFIX.match(doi)) and doi[prefix.end():].startswith("10."):
        # ScienceDirect's, EndNote's `doi = {https://doi.org/10.1016/...}`: styles put their own resolver before it
        bare = doi[prefix.end():]
        if "%" in bare and "/" in prefix.group(0):  # an address's `%28` `%29` `%2F`: the DOI's `(` `)` `/`
            bare = unquote(bare)
        out.info(values["doi"][1], f"doi {_quoted(doi)} is written as an address, not a DOI: biblatex links a doi "
                 f"field as https://doi.org/ and the field (here https://doi.org/{doi[:24]}...), natbib's styles "
                 f"print \"doi: \" before it; written as the DOI alone on export, {bare}", "doi-url")
        repairs["doi"] = doi = bare
    source = make_source_ref(out.file, line)
    abstract = text("abstract")
    entry_record = BibEntry(  # (by position, as Record: keywords cost more than the making)
        written_type, key or "", [(name, raw) for name, raw, _ in raw_fields], source,
        tuple(repairs.items()), context.blocks, tuple(left_out),
        texts=(("title", title), ("abstract", abstract)))  # (held once: model.BibEntry)
    return make_record(  # source, format, title, abstract, summary, authors, author_count, organisation, date, year,
        # updated, venue, arxiv_id, arxiv_version, comment, key, entry_type, fields, topics, notes, doi, bib
        source, FORMAT, title, abstract, None, authors, len(authors) - authors.count("others") or None,
        None, date, year, None, venue, arxiv[0] if arxiv else None, arxiv[1] if arxiv else None, None, key,
        entry_type, extra, (), text("annote"), _doi_identity(doi), entry_record)


def _doi_identity(doi: str | None) -> str | None:
    if not doi:
        return None
    value = bare_doi(doi).lower()
    return value if value.startswith("10.") else None


def _months_named(text: str) -> int | None:
    """The first month of a month field whose words are all month names or macros, with a day
    or a range around them (xampl.bib's `"10~" # jan`, `apr # "-" # may`); None otherwise."""
    words = _WORDS.findall(text)
    months = [MONTHS.get(word[:3]) if word in MONTHS or word == "sept" else _MONTH_NAMES.get(word) for word in words]
    return months[0] if months and all(months) else None


_WORDS = re.compile(r"[a-z]+")


def _quoted(value: str) -> str:
    """A value in a message as the file has it (repr doubles each backslash: `'{\\\\noopsort}'`), on
    one line (a message is one `FILE:LINE: ...` line: a value's line breaks are spaces there)."""
    return f"'{' '.join(value.split())}'"


def _written_type(raw: str) -> str | None:
    match = _WRITTEN_TYPE.match(raw)
    return bib_repairs.type_as_written(match.group(1)) if match else None


def _undefined_kept(name: str, text: str, line: int, context: _FileContext, out: ReaderOutput, every: bool) -> None:
    """Report the macros of a value written as it is that no @preamble of the file defines and LaTeX
    does not either: `\\noopsort` (NEEDS_PREAMBLE), or with `every` any undefined one (a `year`'s)."""
    if context.loads_definitions:
        return
    for macro in dict.fromkeys(_MACRO_NAME.findall(text)):
        if macro in context.defined or not (macro in NEEDS_PREAMBLE or (every and undefined_macros(f"\\{macro}"))):
            continue
        define = (f"@preamble{{\"\\providecommand{{\\{macro}}}[1]{{}}\"}}, as xampl.bib does"
                  if macro in NEEDS_PREAMBLE else "a @preamble")
        out.warn(line, f"{name}: undefined LaTeX macro \\{macro} (no @preamble of this file defines it): bibtex "
                 f"writes it into the .bbl and pdflatex stops (\"Undefined control sequence\"); written as it is. "
                 f"Define it in {define}", "bib-undefined-macro")


def _check_typeset(name: str, text: str, line: int, context: _FileContext, out: ReaderOutput,
                   rebrace: bool) -> str | None:
    """Report what in a typeset field would stop LaTeX; the LaTeX to write instead (in braces), or None.
    `rebrace`: the block repairs found a `"` inside its quoted value (reported there)."""
    broken = rebrace
    if not text.isascii():
        out.info(line, f"{name}: non-ASCII characters are written as LaTeX (accents; a stand-in for what pdflatex "
                 "cannot set) on export", "non-ascii")
        broken = True
    if not any_of(text, _TYPESET_SPECIALS):
        return text if broken else None
    keep = EVERY_MACRO if context.loads_definitions else context.defined
    if "noop" in text.lower():  # (`\noopsort`, `\SortNoop`: DEFINED for pages, not for LaTeX)
        _undefined_kept(name, text, line, context, out, every=False)
    decoded = decode_latex(text, tie_is_space=True)
    for code, problem in decoded.problems:
        if code != "undefined-macro":
            out.warn(line, f"{name}: {problem}", code)
            broken = True
    latex = without_verbatim(text)  # a URL argument's `_ & % #` are the address's own (the url package's)
    if latex is not text:
        for start, end in verbatim_arguments(text):
            if found := _URL_BREAKS_BIBLATEX.findall(text[start:end]):
                out.warn(line, f"{name}: {' and '.join(dict.fromkeys(f'`{c}`' for c in found))} in "
                         f"the URL {text[start:end][:60]!r}: bibtex's styles print it, but biblatex (biber) stops on "
                         "it (a `%` cuts the field, a `#` is a macro parameter there); written as it is. For both, "
                         "put the address in the `url` field", "url-special")
    for macro in () if context.loads_definitions else undefined_macros(latex):
        if macro not in keep:
            out.warn(line, f"{name}: undefined LaTeX macro \\{macro}; replaced by its text on export",
                     "bib-undefined-macro")
            broken = True
    prose = without_math(latex)  # (split_math reads decoded text, where math is `\\(..\\)`)
    special = _UNESCAPED.search(prose)
    if special:
        found = list(dict.fromkeys(m.group(0) for m in _UNESCAPED.finditer(prose)))
        what = ", ".join(f"'{c}'" for c in found)
        out.warn(line, f"{name}: unescaped LaTeX special character{'s' if len(found) > 1 else ''} ({what}) would "
                 "stop LaTeX; escaped on export", "latex-special")
        broken = True
    return repair_latex(text, keep) if broken else None


_URL_BREAKS_BIBLATEX = re.compile(r"[%#](?<!\\[%#])")  # raw in a URL argument: biblatex's field macro breaks


_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[\s\-]*)+$")
_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv|v)\.?$", re.IGNORECASE)
_OTHERS = {"others", "et al.", "et al", "et. al.", "etc."}


def _apa_names(raw: str) -> list[str] | None:
    """`Roe, R., Doe, J., & Smith, K.` (or `Roe, Rick, Doe, Jane`): names separated by commas
    instead of `and`; None when the text is not pairs of a surname and given names. BibTeX reads
    no name of three commas or more, so pairs are the one reading that keeps every name; a
    `Jr` among the pieces is BibTeX's `Last, Jr, First` and no list."""
    pieces = [p.strip() for p in _AMPERSAND.sub(", ", raw.strip()).removesuffix(",").split(",")]
    others = bool(pieces) and pieces[-1].lower() in _OTHERS  # `Smith, J., Jones, K., et al.`
    if others:
        pieces.pop()
    if len(pieces) < 4 - 2 * others or len(pieces) % 2 or not all(pieces) or any(_SUFFIX.match(p) for p in pieces):
        return None
    pairs = [(pieces[i], pieces[i + 1]) for i in range(0, len(pieces), 2)]
    if not all(_INITIALS.match(given) or _GIVEN.match(given) for _, given in pairs):
        return None
    return [f"{surname}, {given}" for surname, given in pairs] + (["others"] if others else [])


_GIVEN = re.compile(r"^[^\W\d_][^\d,&]*$")  # given names written out: a letter first, no digit
_AMPERSAND = re.compile(r"\s*,?\s*\\?&\s*")  # APA's `& ` (or `\&`) before the last name, a comma or not


def _top_level_split(name: str) -> list[str]:
    """A name split at its commas outside braces (`{Barnes, and Noble}` is one piece)."""
    if "{" not in name:
        return name.split(",")
    pieces = name.split(",")
    if all(piece.count("{") == piece.count("}") for piece in pieces):
        return pieces  # each comma has as many `{` as `}` before it: none is inside braces
    return split_at(name, top_level_offsets(name, ",", quotes=False))


# BibTeX's ` and ` between names, as bibtexparser's split_multiple_persons_names finds it in a
# list of names with no brace and no backslash (it steps through them one character at a time).
_AND = re.compile(r"[ \r\n\t]+[aA][nN][dD][ \r\n\t]+")


_BRACE_OR_BACKSLASH = re.compile(r"[{}\\]")
_ESCAPED_BRACE = re.compile(r"\\[{}\\]")
# A name whose braces pair, none inside another, with no backslash outside them (`Chlo{\\'e}`): at
# the end of such a name the depth is 0 again, so every ` and ` after it is one between names.
_FLAT_BRACED = re.compile(r"[^{}\\]*(?:\{[^{}]*\}[^{}\\]*)*")


def _split_names(raw: str) -> list[str]:
    """`split_multiple_persons_names(raw)`, as bibtexparser's splitter splits a list of names at
    ` and ` outside braces, with a regular expression instead of a step per character. Lists
    with a backslash outside braces, or one before a brace or a backslash, are left to it (its
    backslash hides the next character from it); tests/test_reading_fast_paths.py compares both."""
    names = raw.strip(" \r\n\t")
    if not names:
        return []
    if "{" not in names and "}" not in names and "\\" not in names:
        return _AND.split(names)
    if "\\" in names and _ESCAPED_BRACE.search(names):
        return split_multiple_persons_names(raw)
    flat = _AND.split(names)
    if all(map(_FLAT_BRACED.fullmatch, flat)):
        return flat  # each name's braces pair, none inside another, no backslash outside them: most lists
    braces: list[tuple[int, int]] = []  # (offset, brace depth after it)
    depth = 0
    for found in _BRACE_OR_BACKSLASH.finditer(names):
        char = found.group()
        if char == "\\":
            if depth == 0:
                return split_multiple_persons_names(raw)
            continue  # in braces, where the character it hides (no brace) is not looked at
        depth = depth + 1 if char == "{" else max(depth - 1, 0)  # a `}` too many closes nothing
        braces.append((found.start(), depth))
    pieces: list[str] = []
    start = depth = seen = 0
    for match in _AND.finditer(names):  # ` and ` holds no brace: it is in braces or not, all of it
        while seen < len(braces) and braces[seen][0] < match.start():
            depth = braces[seen][1]
            seen += 1
        if depth == 0 and names[match.end():match.end() + 1] != "}":  # (bibtexparser: a `}` there undoes it)
            pieces.append(names[start:match.start()])
            start = match.end()
    pieces.append(names[start:])
    return pieces


# `{G{\'o}mez}`, `{M{\"u}ller-L{\"u}denscheidt}`, `{L{\'o}pez Garc{\'\i}a}` before the comma of a name:
# words in braces joined by a hyphen or a space, each with a capital or an accented capital first
# (so no `von` part either way), and an accent in braces after the first letter
_CAPITAL = r"(?:[A-Z]|\{\\[^A-Za-z{}\s]\s*\{?[A-Z]\}?\}|\{\\[A-Z]{1,2}\})"
_ACCENT = r"\{\\[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
_WORD = _CAPITAL + r"(?:[^{}\s~,\-]|" + _ACCENT + r")*"
_BRACED_ACCENTED_SURNAME = re.compile(
    r"\{(" + _CAPITAL + r"[^{}\s~,\-]*" + _ACCENT + r"(?:[^{}\s~,\-]|" + _ACCENT + r")*(?:[- ]" + _WORD + r")*"
    r"|" + _WORD + r"(?:[- ]" + _WORD + r")*[- ]" + _CAPITAL + r"[^{}\s~,\-]*" + _ACCENT + r"(?:[^{}\s~,\-]|"
    + _ACCENT + r")*(?:[- ]" + _WORD + r")*)\}(?=\s*,)")
_DOTLESS_ACCENT = re.compile(r"(\\[`'^\"~=.uvHc]\s*\{?\s*)\\([ij])(?![A-Za-z])")


_BARE_SPECIAL = re.compile(r"(?<!\\)([&#%])")


def _names_clean(raw: str) -> bool:
    """Whether a name list's `& # %` are all escaped (`Smith \\& Co`) and it holds no HTML: nothing to repair."""
    return _BARE_SPECIAL.search(raw) is None and not has_markup(raw)


def _authors(values: dict[str, tuple[str, int]], out: ReaderOutput) -> tuple[tuple[str, ...], str | None]:
    """The names of `author`, and the names to write instead when the list as written would
    mislead BibTeX or biber (each such repair is reported here), else None."""
    if "author" not in values:
        return (), None
    raw, line = values["author"]
    repaired = False
    if ("&" in raw or "#" in raw or "%" in raw) and not _names_clean(raw):
        # `Jos&#233; Garc&#237;a`, `Smith &amp; Co` (HTML, as services write it), `Smith & Co`, `Jos# Doe`:
        # LaTeX stops on a bare & # % in a name as in any field
        fixed = markup_to_latex(raw)[0] if has_markup(raw) else raw
        if fixed != raw:
            out.info(line, f"author: HTML written as LaTeX: {', '.join(converted(raw)[:4])}", "html-entity")
        escaped = _BARE_SPECIAL.sub(r"\\\1", fixed)
        if escaped != fixed:
            found = ", ".join(f"'{c}'" for c in dict.fromkeys(_BARE_SPECIAL.findall(fixed)))
            out.warn(line, f"author: unescaped LaTeX special character ({found}) would stop LaTeX; escaped on "
                     "export", "latex-special")
        raw, repaired = escaped, True
    parts = _split_names(raw)
    if "," in raw and any(part.count(",") >= 3 for part in parts):
        # `Smith, J., Jones, K., and Brown, L.`: the names before the `and` are one comma-separated list
        apa = [name for part in parts for name in (_apa_names(part) if part.count(",") >= 3 else None) or [part]]
        if len(apa) > len(parts):
            out.warn(line, f"author list is comma-separated (APA style); read as {len(apa)} authors "
                     f"({'; '.join(n.strip() for n in apa)}); BibTeX needs `and` between names, written so on "
                     "export", "apa-authors")
            parts = apa
            repaired = True
    if not raw.isascii():
        out.info(line, "author: names with non-ASCII letters are written with LaTeX accents on export (bibtex's "
                 "alpha style cuts UTF-8 surnames mid-byte)", "non-ascii")
        repaired = True
    dotless = _DOTLESS_ACCENT.search(raw) is not None  # (a name's match is one of the list's)
    if dotless:
        out.warn(line, "author: an accent on a dotless `\\i`/`\\j` (`{\\'\\i}`) becomes characters pdflatex "
                 "rejects under biber; written as the accented letter on export", "repaired")
        repaired = True
    names: list[str] = []
    written: list[str] = []  # the names as LaTeX, repaired
    too_many = False  # a name of too many commas, reported as such (no second word on the list)
    for name in parts:
        stripped = name.strip()
        if stripped.lower() in _OTHERS:
            written.append("others")
            if stripped != "others":
                out.warn(line, f"author: {stripped!r} prints \"et al.\" only as lowercase `others`; written "
                         "as `others` on export", "repaired")
                repaired = True
            names.append("others")
            continue
        if stripped.endswith(",") and stripped.count("{") == stripped.count("}"):
            # `Smith, John and Jones, Kate, and Brown, Lee`: BibTeX reads `Jones, Kate,` as a last
            # name, a `Jr` part and no first name
            fixed = stripped.rstrip(", ")
            out.error(line, f"author name {_quoted(stripped)} ends with a comma (BibTeX reads no first name "
                      f"after it); read and written as {_quoted(fixed)}", "bad-name")
            name = stripped = fixed
            repaired = True
        # (a name of fewer than two commas has fewer than three pieces, in braces or not)
        pieces = [p.strip() for p in _top_level_split(name)] if name.count(",") >= 2 else ()
        if len(pieces) > 3 or (len(pieces) == 3 and not _SUFFIX.match(pieces[1]) and _SUFFIX.match(pieces[2])):
            fixed = f"{pieces[0]}, {pieces[2]}, {pieces[1]}" if _SUFFIX.match(pieces[2]) else f"{pieces[0]}, {pieces[1]}"
            out.error(line, f"author name {_quoted(name)} has too many commas (BibTeX reads `Last, First` or "
                      f"`Last, Jr, First`); read and written as {_quoted(fixed)}", "bad-name")
            name, stripped = fixed, fixed.strip()
            repaired = too_many = True
        if (braced := _BRACED_ACCENTED_SURNAME.match(stripped)) is not None:
            # ADS's `{{G{\'o}mez}, Leonardo}`: bibtex's alpha style cuts the label inside the accent
            # (`{G{\'}`), which stops pdflatex. One word that begins with a capital is the last name
            # with its braces or without them: the braces go.
            fixed = braced.group(1) + stripped[braced.end():]
            out.warn(line, f"author name {_quoted(stripped)}: an accent inside the braces around a surname makes "
                     "bibtex's alpha style cut its label inside the accent (`{{G{\\'o}mez}, Leonardo}` gives "
                     f"`\\bibitem[{{G{{\\'}}}}18]`, on which pdflatex stops); written as {_quoted(fixed)} on export, the "
                     "same name to BibTeX", "repaired")
            name = stripped = fixed
            repaired = True
        if (problem := name_problem(name)) is not None:
            out.error(line, f"author name {_quoted(name)} cannot be read ({problem}); left out", "bad-name")
            repaired = True
            continue
        decoded = decode_latex(name, tie_is_space=True)
        if cleaned := clean_text(decoded.text):
            names.append(cleaned)
            written.append(_DOTLESS_ACCENT.sub(r"\1\2", stripped) if dotless else stripped)
    if "," in raw and " and " not in raw and raw.count(",") > 2 and len(parts) == 1 and not too_many:
        out.warn(line, "author list looks comma-separated (APA style); BibTeX needs `and` between names",
                 "apa-authors")
    return tuple(names), (" and ".join(written) if repaired else None)
