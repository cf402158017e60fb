"""What every reader shares: its options, its output and the small grammar of listings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Diagnostic, Listing, Override, Record, Severity
from ..text import clean_text

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_DAY = re.compile(
    r"^(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?(?:\s+(?P<votes>\d+))?$",
    re.IGNORECASE,
)
_SHORT_NAME_BEFORE_COLON = re.compile(r"^\s*([^:]{1,40}?)\s*:\s+\S")
_PAREN_ACRONYM = re.compile(r"\s\(([A-Z][A-Za-z0-9\-]*[A-Z0-9][A-Za-z0-9\-]*)\)")
# A title that is only a sentence-like paragraph is not a title.
_SENTENCE_END = SENTENCE_END = re.compile(r"[.!。]\s*[\"”’)]?$")

# Hugging Face's page footer and pager, as a copy of the whole page brings them along after the
# last paper: page text, not papers, wherever they come.
SITE_FOOTER = frozenset({
    "previous", "next", "system theme", "company", "tos", "privacy", "about", "jobs", "website", "models",
    "datasets", "spaces", "pricing", "docs",
})

# biblatex's entries that hold other entries (@set) or fields others share (@xdata): they have no
# year or title of their own, and that is not a problem to report.
CONTAINER_TYPES = frozenset({"set", "xdata"})


# No field of a record is longer: a 100,000-character line stays cheap to read, render and export.
MAX_TEXT = 20_000
# Codes of diagnostics that report a record left out: read + reported = detected.
SKIPPED_PREFIX = "skipped-"


def reports_skipped_record(diagnostic: Diagnostic) -> bool:
    return diagnostic.code.startswith(SKIPPED_PREFIX)


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """Per-source facts a user can state: the year of year-less dates, a forced format. And,
    for a .bib file, what the other .bib files of the corpus give it (BibTeX reads them as one
    database): `@string` definitions its entries use and it lacks, the names it defines
    otherwise than an earlier file (its entries' values using them are written out in full),
    and the entries of other files its entries crossref."""

    year: int | None = None
    format: str | None = None
    strings: tuple[tuple[str, str], ...] = ()
    inlined_strings: frozenset[str] = frozenset()
    parents: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # crossref target (lower) -> its fields' texts


@dataclass
class ReaderOutput:
    """A reader's mutable scratch pad; frozen into a SourceResult at the end."""

    file: str
    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    listing: Listing | None = None
    detected: int = 0
    overrides: list[Override] = field(default_factory=list)
    strings: list[tuple[str, str]] = field(default_factory=list)
    wanted_strings: dict[str, int] = field(default_factory=dict)
    wanted_parents: dict[str, int] = field(default_factory=dict)
    # The paragraphs of the lines being read, when the caller made them already (to look for
    # pasted listings): (those very lines, their blocks).
    known_blocks: tuple[list[str], list[Block]] | None = field(default=None, repr=False)

    def blocks(self, lines: list[str]) -> list[Block]:
        """blocks_of(lines), made once per file: the caller's, when it made them of these very lines."""
        if self.known_blocks is not None and self.known_blocks[0] is lines:
            return self.known_blocks[1]
        return blocks_of(lines)

    def warn(self, line: int, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, line, Severity.WARNING, message, code=code))

    def error(self, line: int, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, line, Severity.ERROR, message, code=code))

    def info(self, line: int, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, line, Severity.INFO, message, code=code))

    def capped(self, line: int, text: str, what: str = "text", exported_whole: bool = False) -> str:
        """Text of a sane length: a field past MAX_TEXT characters is cut at a word, with a warning.
        `exported_whole`: the text shown is cut, but the export writes the field as written (a
        `.bib` entry's own field): the message must not say it was cut there."""
        if len(text) <= MAX_TEXT:
            return text
        cut = text[:MAX_TEXT].rsplit(" ", 1)[0] or text[:MAX_TEXT]
        where = "on the pages; the export writes it whole, as the entry has it" if exported_whole else \
            "(an abstract is rarely over 5,000); the whole text is in the source"
        self.warn(line, f"{what} of {len(text):,} characters cut to {len(cut):,} {where}", "too-long")
        return cut + " …"

    def skipped(self, line: int, message: str, code: str, error: bool = False) -> None:
        """A record the reader saw but left out: counted as detected and reported here."""
        self.detected += 1
        (self.error if error else self.warn)(line, message, SKIPPED_PREFIX + code)

    def text_problems(self, line: int, problems: tuple[tuple[str, str], ...], prefix: str = "") -> None:
        """LaTeX problems of scraped text: an undefined macro is shown as its name (info)."""
        for code, message in problems:
            report = self.info if code == "undefined-macro" else self.warn
            report(line, prefix + message, code)


class Block:
    """A run of non-blank lines; `line` is the 1-based number of its first line. Its `text` (the
    lines joined and cleaned), which readers ask for several times, is made when first asked."""

    __slots__ = ("_text", "line", "lines")

    def __init__(self, line: int, lines: tuple[str, ...]) -> None:
        self.line = line
        self.lines = lines
        self._text: str | None = None

    def __repr__(self) -> str:
        return f"Block(line={self.line!r}, lines={self.lines!r})"

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = clean_text(" ".join(self.lines))
        return self._text


def blocks_of(lines: list[str]) -> list[Block]:
    """Paragraphs: runs of non-blank lines, each with its first line number."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        if raw and not raw.isspace():  # (`raw.strip()`, without a copy: the same characters are spaces)
            if not current:
                start = number
            current.append(raw)
        elif current:
            blocks.append(Block(start, tuple(current)))
            current = []
    if current:
        blocks.append(Block(start, tuple(current)))
    return blocks


_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)
_TAG_LINE = re.compile(r"^\s*</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def looks_like_html(lines: list[str]) -> bool:
    """A saved web page rather than its text: it starts with `<!DOCTYPE html>` or `<html>`, or most
    of its first lines are tags (`<div class="entry"><p>...`). Listings' text starts with none."""
    head = [line for line in lines[:200] if line and not line.isspace()][:40]
    if not head:
        return False
    if _HTML_START.match("\n".join(head[:5])):
        return True
    tags = sum(1 for line in head if _TAG_LINE.match(line))
    return len(head) >= 3 and tags >= 0.6 * len(head) and any("</" in line for line in head)


def looks_like_title(text: str, max_length: int = 300) -> bool:
    """A title is one short line with a letter that does not end like a sentence, or that does but reads as a
    title: short, one sentence, and named (`Beta: Pose It Like You Mean It!`) or title-cased
    (`Attention Is All You Need.`); a summary or an abstract is longer, or in sentence case."""
    if not 0 < len(text) <= max_length:
        return False
    if not (text[0].isalpha() or any(character.isalpha() for character in text[:40])):  # `42`, `·`: no title
        return False
    if not _SENTENCE_END.search(text):
        return True
    return len(text) <= _SHORT_TITLE and _SENTENCE_BREAK.search(text) is None and (
        _NAMED_TITLE.match(text) is not None or _title_cased(text))


_SHORT_TITLE = 160
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")  # a sentence ends inside: prose
_NAMED_TITLE = re.compile(r"^[A-Z0-9][\w.+-]*(?:\s[\w.+-]+)?:\s+[A-Z0-9]")  # `Beta: ...`, `GPT-4 V: ...`
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def reads_as_heading(text: str) -> bool:
    """Named (`Beta: ...`) or title-cased (`Attention Is All You Need`): a title, not a sentence."""
    return _NAMED_TITLE.match(text) is not None or _title_cased(text)


def _title_cased(text: str) -> bool:
    """Most words of four letters or more start with a capital."""
    words = _TITLE_WORD.findall(text)
    return len(words) >= 2 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def parse_month_day(text: str) -> tuple[int, int, int | None] | None:
    """`Jul 31, 2025` / `May 13` / `Apr 26, 2025 2` (an upvote count) -> (month, day, year)."""
    match = _MONTH_DAY.match(text.strip())
    if not match:
        return None
    month = MONTHS[match.group("mon")[:3].lower()]
    day = int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    year = int(match.group("year")) if match.group("year") else None
    return month, day, year


def iso_date(month: int, day: int, year: int | None) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def short_name_of(title: str) -> str | None:
    """The acronym before a colon (`CLUTCH: ...`), or one in parentheses (`... (DynaIP): ...`)."""
    match = _SHORT_NAME_BEFORE_COLON.match(title) if ":" in title else None  # (the pattern needs one)
    if match:
        head = match.group(1)
        paren = _PAREN_ACRONYM.search(head)
        if paren:
            return paren.group(1)
        if len(head.split()) <= 2:
            return head
    return None
