"""Paper-notes pages (a Material site's topic page): header facts, then title + summary."""

from __future__ import annotations

import re

from ..latex.decode import decode_latex
from ..makers import make_record, make_source_ref
from ..model import Listing, TopicCount
from ..text import clean_text
from ..venues import venue_and_year
from .base import Block, ReaderOutput, SourceOptions, looks_like_title

FORMAT = "notes-page"
DESCRIPTION = "paper-notes page: header, then title line, blank line, summary paragraph"

# Bounded, word-anchored venue names: a 100,000-letter line is scanned in linear time.
_VENUE_LINE = re.compile(
    r"(?<![A-Za-z&\-])(?P<venue>[A-Za-z][A-Za-z&\-]{0,30}(?:\s[A-Za-z&\-]{1,30})?)\s*'?"
    r"(?P<year>(?:19|20)\d{2})\s*[·•|\-]\s*"
    r"(?P<count>[\d,]+)\s+(?:paper\s+notes?|notes?|papers?)\b", re.IGNORECASE)
# The end of _VENUE_LINE, from its year on: a line without it has no venue line. Searched
# first, because it starts with digits it is cheap; _VENUE_LINE tries every word of a line.
_VENUE_LINE_END = re.compile(r"(?:19|20)\d{2}\s*[·•|\-]\s*[\d,]+\s+(?:paper\s+notes?|notes?|papers?)\b", re.IGNORECASE)
_TOP_TOPICS = re.compile(r"top topics\s*:\s*(?P<items>.+)$", re.IGNORECASE)
# `top top` as _TOP_TOPICS matches it ignoring case (t, o and p have no other case than their
# ASCII ones), without the engine's slower case-blind search.
_TOP_TOP = re.compile(r"[Tt][Oo][Pp] [Tt][Oo][Pp]")
_OTHER_VENUES = re.compile(r"other venues\s*:\s*(?P<items>.+)$", re.IGNORECASE)
_TOPIC_ITEM = re.compile(r"^\s*(?P<name>.+?)\s*[×x✕]\s*(?P<count>\d+)\s*$")
_VENUE_ITEM = re.compile(r"(?<![A-Za-z&\-])(?P<venue>[A-Za-z][A-Za-z&\-]{0,30}?)\s*'?(?P<year>(?:19|20)\d{2})\s*\((?P<count>\d+)\)")
_SENTENCE_BREAK = re.compile(r"[a-z)][.!]\s+[A-Z]")
_LEADING_SYMBOLS = re.compile(r"^[^\w(\"“'‘]+")
# The labels of a paper's links on a notes page (`📄 Paper · 💻 Code`).
LINK_LABELS = frozenset({
    "paper", "code", "pdf", "arxiv", "project", "project page", "page", "github", "website", "demo", "video",
    "slides", "poster", "openreview", "data", "dataset", "model", "models", "hugging face", "huggingface",
    "bibtex", "abstract", "html", "supplementary", "supp", "blog",
})
# (the first label's first word, after any symbols: a title rarely starts with one, and is not looked at further)
_LINK_WORDS = "|".join(sorted({label.split()[0] for label in LINK_LABELS}))
_LINK_HEAD = re.compile(rf"^\W*(?:{_LINK_WORDS})\b", re.IGNORECASE)
# Between two links: `·`, `|`, or only their icons (`📄 Paper 💻 Code`).
_LINK_SEPARATOR = re.compile(r"\s*(?:[^\w\s]+\s*)+")
BOILERPLATE = {
    "skip to content", "back to top", "made with material for mkdocs", "table of contents",
    "previous", "next", "search", "initializing search", "cookie consent",
}


def _strip_symbols(text: str) -> str:
    return _LEADING_SYMBOLS.sub("", text).strip()


def _venue_line(text: str) -> re.Match[str] | None:
    """`_VENUE_LINE.search(text)`, tried only where its end is found."""
    return _VENUE_LINE.search(text) if _VENUE_LINE_END.search(text) else None


def _top_topics(text: str) -> re.Match[str] | None:
    """`_TOP_TOPICS.search(text)`, tried only where there is a colon and `top top`."""
    return _TOP_TOPICS.search(text) if ":" in text and _TOP_TOP.search(text) else None


def score(lines: list[str]) -> float:
    head = lines[:60]
    value = 0.0
    if any(_venue_line(line) for line in head):
        value += 10
    if any(_top_topics(line) for line in head):
        value += 5
    return value


def is_signature(line: str) -> bool:
    """A line only notes pages have: `ICLR2026 · 45 paper notes` or `Top topics: ...`."""
    # (a venue line's year holds `19` or `20`: looked for by str's search before the pattern)
    return len(line) <= 300 and bool((("20" in line or "19" in line) and _venue_line(line)) or _top_topics(line))


def _split_items(items: str) -> list[str]:
    return [item for item in re.split(r"\s*[·•|]\s*", items) if item.strip()]


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    blocks = out.blocks(lines)
    pages = _pages(blocks)
    for number, (start, end) in enumerate(pages):
        page = blocks[start:end]
        listing, declared_line, body_start = _header(page, out.file, options)
        if number == 0:
            out.listing = listing
        else:
            out.warn(page[0].line, f"a second page's header ({listing.venue or 'no venue'}"
                     f"{f', {listing.declared_count} papers' if listing.declared_count is not None else ''}) "
                     "starts here: another page pasted into this file? Its papers are read with its own venue",
                     "page-pasted")
        before = len(out.records)
        _read_papers(page[body_start:], out, listing.venue, listing.year)
        read_here = len(out.records) - before
        if listing.declared_count is not None and listing.declared_count != read_here:
            out.warn(declared_line, f"the header declares {listing.declared_count} paper notes but {read_here} "
                     "were read", "count-mismatch")


def _is_header_line(block: Block) -> bool:
    """A page's venue line (`ICLR2026 · 45 paper notes`): one short line."""
    return len(block.lines) == 1 and len(block.lines[0]) <= 300 and _venue_line(block.text) is not None


def _pages(blocks: list[Block]) -> list[tuple[int, int]]:
    """(start, end) of each page pasted into the file: a page starts at its venue line (with the
    area line just before it); the first page's header is looked for in its first 40 blocks."""
    first = next((index for index, block in enumerate(blocks[:40]) if _is_header_line(block)), None)
    starts = [0]
    for index in range(first + 1 if first is not None else 40, len(blocks)):
        block = blocks[index]
        # (the pattern only where the line holds a year's digits: a summary line rarely is one line)
        line = block.lines[0]
        if len(block.lines) == 1 and len(line) <= 300 and ("20" in line or "19" in line) and _is_header_line(block):
            start = index - 1 if index - 1 > starts[-1] and len(blocks[index - 1].lines) == 1 \
                and len(blocks[index - 1].text) <= 80 else index
            starts.append(start)
    return [(start, starts[number + 1] if number + 1 < len(starts) else len(blocks))
            for number, start in enumerate(starts)]


def _header(blocks: list[Block], file: str, options: SourceOptions) -> tuple[Listing, int, int]:
    """A page's header facts (in its first 40 blocks), the line of its venue line, where its papers start."""
    area = venue = None
    year = declared = None
    declared_line = 0
    header_topics: list[TopicCount] = []
    other_venues: list[TopicCount] = []
    body_start = 0
    previous_text: str | None = None
    for index, block in enumerate(blocks[:40]):
        text = block.text
        venue_match = _venue_line(text)
        if venue_match and venue is None:
            venue, year = venue_and_year(venue_match.group("venue") + venue_match.group("year"))
            declared = int(venue_match.group("count").replace(",", ""))
            declared_line = block.line
            if previous_text and previous_text.lower() not in BOILERPLATE:
                area = _strip_symbols(previous_text)
            body_start = index + 1
        elif (topics := _top_topics(text)) is not None:
            for item in _split_items(topics.group("items")):
                if (match := _TOPIC_ITEM.match(_strip_symbols(item))) is not None:
                    header_topics.append(TopicCount(match.group("name"), int(match.group("count"))))
            body_start = index + 1
        elif (others := _OTHER_VENUES.search(text)) is not None:
            for match in _VENUE_ITEM.finditer(others.group("items")):
                name, _ = venue_and_year(match.group("venue") + match.group("year"))
                other_venues.append(TopicCount(name or match.group("venue"), int(match.group("count"))))
            body_start = index + 1
        previous_text = text
    if year is None and options.year:
        year = options.year
    listing = Listing(
        file, FORMAT, area=area, venue=venue, year=year, declared_count=declared,
        header_topics=tuple(header_topics), other_venues=tuple(other_venues))
    return listing, declared_line, body_start


def _read_papers(blocks: list[Block], out: ReaderOutput, venue: str | None, year: int | None) -> None:
    title_block: Block | None = None
    summary: list[str] = []
    summary_line = 0

    def flush() -> None:
        nonlocal title_block, summary, summary_line
        if title_block is None:
            return
        out.detected += 1
        title = decode_latex(out.capped(title_block.line, title_block.text, "title"))
        text = decode_latex(out.capped(summary_line, " ".join(summary), "summary")) if summary else None
        out.text_problems(title_block.line, title.problems)
        out.text_problems(summary_line, text.problems if text else ())
        if not summary:
            out.warn(title_block.line, f"paper {title.text!r} has no summary; kept without one", "no-summary")
        out.records.append(make_record(
            source=make_source_ref(out.file, title_block.line), format=FORMAT, title=title.text,
            summary=text.text if text else None, venue=venue, year=year))
        title_block, summary = None, []

    body: list[Block] = []
    links: list[Block] = []
    for block in blocks:
        if not _is_boilerplate(block):
            (links if _is_link_line(block) else body).append(block)
    if links:
        out.info(links[0].line, f"{len(links)} line(s) of a paper's links ({links[0].text!r}) skipped (first here): "
                 "a copied page keeps their labels, not their addresses", "notes-link-line")
    for index, block in enumerate(body):
        text = block.text
        title_like = _is_title(block)
        if title_like and title_block is not None and summary:
            following = body[index + 1] if index + 1 < len(body) else None
            if (following is None or _is_title(following)) and _reads_like_prose(text):
                # no summary follows it: a short last paragraph of the summary, not a title
                out.info(block.line, "summary continues in a second paragraph; joined", "summary-joined")
                summary.append(text)
                continue
        if title_like and (title_block is None or summary):
            flush()
            title_block = block
        elif title_block is None:
            out.skipped(block.line, "a paragraph with no title line before it; skipped", "orphan-paragraph")
        elif title_like and len(text) <= 200 and not summary:
            flush()  # two titles in a row: the first had no summary
            title_block = block
        else:
            if summary:
                out.info(block.line, "summary continues in a second paragraph; joined", "summary-joined")
            if not summary:
                summary_line = block.line
            summary.append(text)
    flush()


def _is_link_line(block: Block) -> bool:
    """A paper's links as a copy of the page gives them: `📄 Paper · 💻 Code`, `arXiv | Project page`."""
    if len(block.lines) != 1 or len(block.lines[0]) > 120 or _LINK_HEAD.match(block.lines[0]) is None:
        return False
    items = [item for item in _LINK_SEPARATOR.split(block.text) if item]
    return bool(items) and all(item.lower() in LINK_LABELS for item in items)


def _is_boilerplate(block: Block) -> bool:
    """Page text: `Back to top`, or lines of it run together (`Made with Material for MkDocs` /
    `Skip to content`, where one page pasted after another)."""
    if len(block.lines) == 1:
        return block.text.lower() in BOILERPLATE
    return len(block.lines) <= 4 and all(clean_text(line).lower() in BOILERPLATE for line in block.lines)


def _is_title(block: Block) -> bool:
    return len(block.lines) == 1 and looks_like_title(block.text)


def _reads_like_prose(text: str) -> bool:
    """A short paragraph that is a sentence's end, a link or a note, not a title."""
    return (text[:1].islower() or "http" in text or "www." in text or text.endswith((",", ";", ":"))
            or len(text) > 200 or _SENTENCE_BREAK.search(text) is not None)
