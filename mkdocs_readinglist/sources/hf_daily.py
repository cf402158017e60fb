"""Hugging Face daily papers: title, abstract, then `• N authors` (or an organisation), `·`, date."""

from __future__ import annotations

import re

from ..latex.decode import decode_latex
from ..makers import make_record, make_source_ref
from ..model import Listing
from .base import SITE_FOOTER, Block, ReaderOutput, SourceOptions, iso_date, looks_like_title, parse_month_day

FORMAT = "hf-daily"
DESCRIPTION = "Hugging Face daily papers: title, abstract, `• N authors` · date"

_AUTHORS = re.compile(r"^\s*[•·*\-]?\s*(?P<count>\d+)\s+authors?\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*[·•]\s*$")
UI_LINES = {
    "new", "get trending papers in your email inbox!", "get trending papers in your email inbox once a day!",
    "subscribe", "daily papers", "byak and the research community", "by ak and the research community",
    "submit paper", "previous", "next",
}


# The longest page-text line: a longer block or line is no UI text (`str.lower` never makes a text
# shorter, so its lower case cannot be one either): not lower-cased to be looked up.
_LONGEST_UI_LINE = max(map(len, UI_LINES | SITE_FOOTER))


def score(lines: list[str]) -> float:
    value = 0.0
    for line in lines[:3000]:
        if "•" in line and _AUTHORS.match(line):  # (the character first: a search in C)
            return 15.0
        stripped = line.strip()  # (a line without spaces around it: itself, not a copy)
        if len(stripped) == 12 and stripped.lower() == "daily papers":  # (not an abstract lower-cased)
            value = max(value, 5.0)
    return value


def is_signature(line: str) -> bool:
    """A line only daily-papers listings have: `• N authors` or a lone `·`."""
    return bool((_AUTHORS.match(line) and "•" in line) or _SEPARATOR.match(line))


def _is_meta(block: Block) -> bool:
    """The author/date block: ends with a date, or holds `• N authors` or a lone `·`."""
    if any(_AUTHORS.match(line) or _SEPARATOR.match(line) for line in block.lines):
        return True
    return len(block.lines) <= 3 and parse_month_day(block.lines[-1]) is not None


def _organisation(text: str) -> str:
    """`HKUSTGZ HKUSTGZ` (avatar text + name) -> `HKUSTGZ`."""
    words = text.lstrip("•· ").split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        words = words[:half]
    return " ".join(words)


class _Paper:
    def __init__(self, block: Block) -> None:
        self.title = block
        self.abstract: list[Block] = []


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    yearless: list[int] = []
    page_date: str | None = None
    current: _Paper | None = None

    def flush(meta: Block | None) -> None:
        nonlocal current
        if current is None:
            return
        paper, current = current, None
        out.detected += 1
        line = paper.title.line
        title = decode_latex(out.capped(line, paper.title.text, "title"))
        abstract = decode_latex(out.capped(paper.abstract[0].line, " ".join(b.text for b in paper.abstract),
                                           "abstract")) if paper.abstract else None
        out.text_problems(line, title.problems)
        if abstract:
            out.text_problems(paper.abstract[0].line, abstract.problems)
        if abstract is None:
            out.warn(line, f"paper {title.text!r} has no abstract; kept without one", "no-abstract")
        count = organisation = date = None
        year: int | None = None
        if meta is None:
            out.warn(line, f"paper {title.text!r} has no `• N authors · date` block; kept without them", "missing-meta")
        else:
            for raw in meta.lines:
                text = raw.strip()
                if not text or _SEPARATOR.match(text):
                    continue
                if (authors := _AUTHORS.match(text)) is not None:
                    count = int(authors.group("count"))
                elif (parsed := parse_month_day(text)) is not None:
                    month, day, parsed_year = parsed
                    if parsed_year is None:
                        parsed_year = options.year
                        if parsed_year is None:
                            yearless.append(meta.line)
                    date, year = iso_date(month, day, parsed_year), parsed_year
                else:
                    organisation = _organisation(text)
            if date is None:
                out.warn(meta.line, "no readable date in this paper's author/date block", "bad-meta")
        out.records.append(make_record(
            source=make_source_ref(out.file, line), format=FORMAT, title=title.text,
            abstract=abstract.text if abstract else None, author_count=count,
            organisation=organisation, date=date, year=year))

    for block in out.blocks(lines):
        first = block.text
        lowered = first.lower() if len(first) <= _LONGEST_UI_LINE else ""  # (an abstract is no UI text)
        if (current is None and lowered in UI_LINES) or (len(block.lines) == 1 and lowered in SITE_FOOTER):
            continue
        if _is_meta(block):
            if current is None:
                parsed = parse_month_day(block.lines[-1])
                if parsed and not out.records and page_date is None and len(block.lines) == 1:
                    month, day, year = parsed
                    page_date = iso_date(month, day, year or options.year)
                else:
                    out.warn(block.line, "an author/date block with no paper before it; ignored", "bad-meta")
                continue
            if not current.abstract:
                out.warn(current.title.line, "no abstract between the title and its author/date block", "no-abstract")
            flush(block)
        elif current is None:
            if len(block.lines) == 1 and looks_like_title(first, 400):
                current = _Paper(block)
            else:
                out.skipped(block.line, "a paragraph with no title before it; skipped", "orphan-paragraph")
        elif not current.abstract:
            current.abstract.append(block)
        elif len(block.lines) == 1 and looks_like_title(first, 300):
            flush(None)  # the previous paper had no author/date block
            current = _Paper(block)
        else:
            out.info(block.line, "abstract continues in a second paragraph; joined", "summary-joined")
            current.abstract.append(block)
    flush(None)
    if yearless:
        out.warn(yearless[0], f"{len(yearless)} date(s) have no year (first here); "
                 "set `year:` for this source to date them, until then they stay year-less", "yearless-date")
    out.listing = Listing(out.file, FORMAT, page_date=page_date)
