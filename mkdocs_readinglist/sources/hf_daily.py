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
# The author/date block on one line, as some copies give it: `• 3 authors · Nov 21, 2025`,
# `• NVIDIA · Jul 15, 2024 27`, `HKUSTGZ HKUSTGZ · Nov 3, 2025 1`.
_ONE_LINE_META = re.compile(r"^\s*(?P<who>•?[^·•]{1,120}?)\s*·\s*(?P<date>[^·•]{3,40}?)\s*$")
# A daily page's other elements, each on a line of its own: an upvote count (`42`) and who
# submitted the paper (`Submitted by akhaliq`). Page text, never a title or an organisation.
_PAGE_ELEMENT = re.compile(r"^\s*(?:\d{1,6}|Submitted by(?:\s+\S.{0,80})?)\s*$")
_SUBMITTED_BY_ALONE = re.compile(r"^\s*Submitted by\s*$")
_USER_NAME = re.compile(r"^\s*[\w.\-]{1,40}\s*$")
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
        if "•" in line and (_AUTHORS.match(line) or _one_line_meta(line, signed=True)):  # (the character first: a search in C)
            return 15.0
        stripped = line.strip()  # (a line without spaces around it: itself, not a copy)
        if len(stripped) == 12 and stripped.lower() == "daily papers":  # (not an abstract lower-cased)
            value = max(value, 5.0)
    return value


def is_signature(line: str) -> bool:
    """A line only daily-papers listings have: `• N authors` or a lone `·`."""
    return bool((_AUTHORS.match(line) and "•" in line) or _SEPARATOR.match(line)
                or ("·" in line and _one_line_meta(line, signed=True)))


def _one_line_meta(line: str, signed: bool = False) -> tuple[str, str] | None:
    """(`• 3 authors`, `Nov 21, 2025`) from `• 3 authors · Nov 21, 2025`; None for another line.
    `signed`: only with the bullet or an author count (a line no other format has)."""
    match = _ONE_LINE_META.match(line)
    if match is None or parse_month_day(match.group("date")) is None:
        return None
    who = match.group("who")
    if signed and not (who.startswith("•") or _AUTHORS.match(who)):
        return None
    return who, match.group("date")


def _meta_lines(block: Block) -> list[str]:
    """The lines of an author/date block, a one-line block's parts as lines of their own."""
    lines: list[str] = []
    for line in block.lines:
        parts = _one_line_meta(line) if "·" in line and not _SEPARATOR.match(line) else None
        lines.extend(parts or (line,))
    return lines


def _is_meta(block: Block) -> bool:
    """The author/date block: ends with a date (and maybe an upvote count), or holds `• N authors`,
    a lone `·` or all of them on one line (`• 3 authors · Nov 21, 2025`)."""
    if any(_AUTHORS.match(line) or _SEPARATOR.match(line) or ("·" in line and _one_line_meta(line))
           for line in block.lines):
        return True
    last = block.lines[-1]
    if len(block.lines) >= 2 and last.strip().isdigit():  # `Jul 15, 2024` / `27`
        last = block.lines[-2]
    return len(block.lines) <= 3 and parse_month_day(last) is not None


def _prose_follows(blocks: list[Block], index: int) -> bool:
    """The block after `index` is a paragraph no title: an abstract (not an author/date block)."""
    if index + 1 >= len(blocks):
        return False
    following = blocks[index + 1]
    if _is_meta(following):
        return False
    return len(following.lines) > 1 or not looks_like_title(following.text, 300)


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
            for raw in _meta_lines(meta):
                text = raw.strip()
                if not text or _SEPARATOR.match(text) or text.isdigit():  # (a number: its upvote count)
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
                elif organisation is None:
                    organisation = _organisation(text)
                else:
                    out.warn(meta.line, f"a second name {text!r} in this paper's author/date block; "
                             f"organisation {organisation!r} kept", "bad-meta")
            if date is None:
                out.warn(meta.line, "no readable date in this paper's author/date block", "bad-meta")
        out.records.append(make_record(
            source=make_source_ref(out.file, line), format=FORMAT, title=title.text,
            abstract=abstract.text if abstract else None, author_count=count,
            organisation=organisation, date=date, year=year))

    elements: list[int] = []  # lines of upvote counts and `Submitted by` lines, skipped
    in_header = True  # in a page's header (`Subscribe`, `Daily Papers`, its date), before its papers

    def page_break(line: int) -> None:
        """A second page's header where papers were read: another page pasted into this file."""
        nonlocal in_header
        if current is not None and current.abstract:
            flush(None)  # the page's last paper had no author/date block
        if not in_header:
            out.warn(line, "a second page's header (`Subscribe`, `Daily Papers`, its date) starts here: another "
                     "page pasted into this file? Its page text is skipped, its papers are read", "page-pasted")
        in_header = True

    blocks = out.blocks(lines)
    for index, block in enumerate(blocks):
        if _PAGE_ELEMENT.match(block.lines[0]) and not _is_meta(block):
            start = 0  # the block's first lines that are page text
            while start < len(block.lines) and _PAGE_ELEMENT.match(block.lines[start]):
                if _SUBMITTED_BY_ALONE.match(block.lines[start]) and start + 1 < len(block.lines) \
                        and _USER_NAME.match(block.lines[start + 1]):
                    start += 1  # `Submitted by` / `akhaliq`
                start += 1
            elements.append(block.line)
            if start == len(block.lines):
                continue
            block = Block(block.line + start, block.lines[start:])
        trailing_ui = False  # the next page's first line (`new`) glued to this block's end
        if len(block.lines) > 1 and len(block.lines[-1]) <= _LONGEST_UI_LINE + 8 \
                and block.lines[-1].strip().lower() in UI_LINES:
            end = len(block.lines)  # (its pager too: `Previous` / `Next`)
            while end > 1 and len(block.lines[end - 1]) <= _LONGEST_UI_LINE + 8 \
                    and (glued := block.lines[end - 1].strip().lower()) in UI_LINES:
                trailing_ui = trailing_ui or glued not in SITE_FOOTER
                end -= 1
            block = Block(block.line, block.lines[:end])
        first = block.text
        lowered = first.lower() if len(first) <= _LONGEST_UI_LINE else ""  # (an abstract is no UI text)
        if lowered in UI_LINES and (current is None or current.abstract):
            if (current is not None or out.records) and lowered not in SITE_FOOTER:  # (a pager is no header)
                page_break(block.line)
            continue
        if len(block.lines) == 1 and lowered in SITE_FOOTER:
            continue
        if _is_meta(block):
            if current is None:
                parsed = parse_month_day(block.lines[-1])
                if parsed and not out.records and page_date is None and len(block.lines) == 1:
                    month, day, year = parsed
                    page_date = iso_date(month, day, year or options.year)
                elif parsed and in_header and len(block.lines) == 1:
                    pass  # a later page's date, in its header (reported there)
                else:
                    out.warn(block.line, "an author/date block with no paper before it; ignored", "bad-meta")
                continue
            if not current.abstract:
                out.warn(current.title.line, "no abstract between the title and its author/date block", "no-abstract")
            flush(block)
        elif current is None:
            if len(block.lines) == 1 and looks_like_title(first, 400):
                current = _Paper(block)
                in_header = False
            else:
                out.skipped(block.line, "a paragraph with no title before it; skipped", "orphan-paragraph")
        elif not current.abstract:
            if len(block.lines) == 1 and len(first) < 200 and looks_like_title(first, 300) \
                    and _prose_follows(blocks, index):
                # a title, its abstract next: the line before it had no abstract (a paper without one,
                # or a line of the page no rule knows): kept as a paper, with its warnings
                flush(None)
                current = _Paper(block)
            else:
                current.abstract.append(block)
        elif len(block.lines) == 1 and looks_like_title(first, 300):
            flush(None)  # the previous paper had no author/date block
            current = _Paper(block)
            in_header = False
        else:
            out.info(block.line, "abstract continues in a second paragraph; joined", "summary-joined")
            current.abstract.append(block)
        if trailing_ui:
            page_break(block.line + len(block.lines))
    flush(None)
    if elements:
        out.info(elements[0], f"{len(elements)} upvote count(s) or `Submitted by` line(s) of the page skipped "
                 "(first here): page text, not titles", "page-elements")
    if yearless:
        out.warn(yearless[0], f"{len(yearless)} date(s) have no year (first here); "
                 "set `year:` for this source to date them, until then they stay year-less", "yearless-date")
    out.listing = Listing(out.file, FORMAT, page_date=page_date)
