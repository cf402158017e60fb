"""Two listings pasted into one file: find where the format changes, read each part as its own.

Each format has lines no other format has (an `arXiv:` line, `• 8 authors`, a `·` line, a
notes page's `ICLR2026 · 45 paper notes` header, an `@article{` entry) or, for Hugging Face
search results, a block of title and abstract lines with no blank line between them. When
the signatures of two formats appear in one file, the file is cut between them: the next
format starts with its first paper (for arXiv listings and daily papers, the abstract and
title before the first signature) and the page text before it (`Subscribe`, `Daily Papers`).
Every scan here is linear.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from .arxiv_listing import FORMAT as ARXIV
from .arxiv_listing import is_signature as arxiv_signature
from .base import SENTENCE_END, Block, blocks_of, looks_like_title, parse_month_day
from .bibfile import FORMAT as BIBTEX
from .hf_daily import FORMAT as DAILY
from .hf_daily import UI_LINES as DAILY_UI
from .hf_daily import is_signature as daily_signature
from .hf_search import FORMAT as SEARCH
from .hf_search import UI_LINES as SEARCH_UI
from .notes_page import BOILERPLATE as NOTES_BOILERPLATE
from .notes_page import FORMAT as NOTES
from .notes_page import is_signature as notes_signature

_BIB_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]")
_MAX_BIB_ENTRY_LINES = 500
# The first character (after spaces) of a line that can be an arXiv listing's signature (`arXiv:`,
# `Created:`, matched ignoring case) or a daily listing's (`• 8 authors`, a lone `·`, or a count's
# digit): only such lines are matched against their patterns. tests/test_reading_fast_paths.py
# checks every character against the patterns.
_ARXIV_HEADS = frozenset("aAcC")
_DAILY_HEADS = frozenset("•·*-")


@dataclass(frozen=True, slots=True)
class Segment:
    """Lines `start`..`end` (1-based, inclusive) of one format."""

    format: str
    start: int
    end: int


@dataclass
class _Run:
    format: str
    first: int  # first signature line
    last: int  # last line the run's signatures cover (end of their block or entry)


def _brace_delta(line: str) -> int:
    if "\\" not in line:
        return line.count("{") - line.count("}")
    return line.count("{") - line.count("\\{") - line.count("}") + line.count("\\}")


def _is_search_block(block: Block) -> bool:
    """Title lines each followed by a long abstract line, no blank line between: two papers or more.
    (A hard-wrapped paragraph has no line long enough to count as an abstract.)"""
    # Each pair's abstract is a line of its own, longer than 150 characters once stripped, or
    # longer than 100 and ending a sentence (a short abstract; a hard-wrapped paragraph's lines are
    # shorter): a block without two such lines (an author/date block, a title and its abstract) is none.
    if sum(len(line) > 100 for line in block.lines) < 2:
        return False
    lines = [line.strip() for line in block.lines]
    pairs = sum(1 for title, abstract in itertools.pairwise(lines)
                if len(title) <= 250 and looks_like_title(title) and _abstract_line(abstract))
    return pairs >= 2 and 2 * pairs >= 0.6 * len(lines)


def _abstract_line(line: str) -> bool:
    return len(line) > 150 or (len(line) > 100 and SENTENCE_END.search(line) is not None)


def _signatures(lines: list[str], blocks: list[Block]) -> list[_Run]:
    runs: list[_Run] = []

    def add(fmt: str, first: int, last: int) -> None:
        if runs and runs[-1].format == fmt:
            runs[-1].last = max(runs[-1].last, last)
        else:
            runs.append(_Run(fmt, first, last))

    for block in blocks:
        end = block.line + len(block.lines) - 1
        if len(block.lines) >= 3 and not _BIB_START.match(block.lines[0]) and _is_search_block(block) and not any(
                _BIB_START.match(line) or arxiv_signature(line) or daily_signature(line) for line in block.lines):
            add(SEARCH, block.line, end)  # (two pairs of lines take three; an entry's block is no search block)
            continue
        index = 0
        while index < len(block.lines):
            line = block.lines[index]
            number = block.line + index
            head = line.lstrip()[:1]  # the signatures but the notes page's start with one of a few characters
            if head == "@" and _BIB_START.match(line):
                depth = _brace_delta(line)
                last = index
                while depth > 0 and last + 1 < len(block.lines) and last - index < _MAX_BIB_ENTRY_LINES \
                        and not ("@" in block.lines[last + 1] and _BIB_START.match(block.lines[last + 1])):
                    last += 1
                    depth += _brace_delta(block.lines[last])
                add(BIBTEX, number, block.line + last)
                index = last + 1
                continue
            if head in _ARXIV_HEADS and arxiv_signature(line):
                add(ARXIV, number, end)
            elif (head in _DAILY_HEADS or head.isdigit()) and daily_signature(line):
                add(DAILY, number, end)
            elif notes_signature(line):
                add(NOTES, number, end)
            index += 1
    return runs


def _is_preamble(fmt: str, text: str) -> bool:
    """Page text a listing of this format starts with (`Subscribe`, `Daily Papers`, `May 13`)."""
    lowered = text.lower()
    if fmt == DAILY:
        return lowered in DAILY_UI or lowered in SEARCH_UI or parse_month_day(text) is not None
    if fmt == SEARCH:
        return lowered in SEARCH_UI
    if fmt == NOTES:
        return lowered in NOTES_BOILERPLATE
    return False


def _start_of(fmt: str, first: int, blocks: list[Block], starts: list[int], floor: int) -> int:
    """Where the first paper of a run starts: its text may come before the first signature."""
    at = bisect.bisect_right(starts, first) - 1  # the block holding the first signature line
    containing = blocks[at] if at >= 0 and first <= blocks[at].line + len(blocks[at].lines) - 1 else None
    before = blocks[bisect.bisect_left(starts, floor): at if containing is not None else at + 1]
    start = containing.line if containing else first
    take = 0
    at_block_start = containing is not None and containing.line == first
    if fmt == ARXIV and at_block_start and before:
        # abstract, blank, optional comment line, blank, `arXiv:` ...
        take = 1
        if len(before) >= 2 and len(before[-1].lines) == 1 and len(before[-1].text) <= 300 \
                and len(before[-2].text) > len(before[-1].text):
            take = 2
    elif fmt == DAILY and at_block_start and before:
        # title, blank, abstract, blank, `• N authors` ...
        take = 2 if len(before) >= 2 and len(before[-2].lines) == 1 and looks_like_title(before[-2].text, 400) \
            and not looks_like_title(before[-1].text, 300) else 1
    elif fmt == NOTES and before and len(before[-1].lines) == 1 and len(before[-1].text) <= 80:
        take = 1  # the area line (`Human Understanding`) stands right before the venue header
    if take:
        start = before[-take].line
    while len(before) > take and _is_preamble(fmt, before[-take - 1].text):
        take += 1
        start = before[-take].line
    return max(start, floor)


def segments(lines: list[str], blocks: list[Block] | None = None) -> list[Segment] | None:
    """The parts of a file in different formats, or None when the file holds one format.
    (`blocks`: blocks_of(lines), when the caller has them.)"""
    if blocks is None:
        blocks = blocks_of(lines)
    runs = _signatures(lines, blocks)
    if len({run.format for run in runs}) < 2:
        return None
    starts = [block.line for block in blocks]
    cuts: list[tuple[str, int]] = [(runs[0].format, 1)]
    for previous, run in itertools.pairwise(runs):
        cuts.append((run.format, _start_of(run.format, run.first, blocks, starts, previous.last + 1)))
    result = []
    for index, (fmt, start) in enumerate(cuts):
        end = cuts[index + 1][1] - 1 if index + 1 < len(cuts) else len(lines)
        if end >= start:
            result.append(Segment(fmt, start, end))
    return result
