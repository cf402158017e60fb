"""Hugging Face paper search results: a title line, then an abstract line, no blank lines."""

from __future__ import annotations

import re

from ..latex.decode import decode_latex
from ..makers import make_record, make_source_ref
from ..text import clean_text
from .base import SITE_FOOTER, ReaderOutput, SourceOptions, looks_like_title, reads_as_heading

FORMAT = "hf-search"
DESCRIPTION = "Hugging Face paper search: title line, abstract line, no blank lines"

UI_LINES = {
    "get trending papers in your email inbox once a day!", "get trending papers in your email inbox!",
    "subscribe", "papers", "search", "sort by", "trending", "most recent", "upvoted",
}
_LONGEST_UI_LINE = max(map(len, UI_LINES | SITE_FOOTER))
# The lines a search page starts with (and no footer has): after papers, another page pasted.
PAGE_HEADER = frozenset({
    "get trending papers in your email inbox once a day!", "get trending papers in your email inbox!", "subscribe"})
# UI text a copy-paste glues to the first title: "SubscribePose as Clinical Prior".
_GLUED_UI = re.compile(
    r"^(?:(?:Subscribe|Get trending papers in your email inbox(?: once a day)?!?)\s*)+(?=[A-Z0-9\"“(])")
_TRENDING = re.compile(r"get trending papers in your email inbox", re.IGNORECASE)


def score(lines: list[str]) -> float:
    head = lines[:20]
    value = 0.0
    if any(_TRENDING.search(line) for line in head):
        value += 5
    window = lines[:400]
    while window and not window[-1].strip():
        window = window[:-1]
    non_blank = [line for line in window if line.strip()]
    if len(non_blank) >= 2 and len(non_blank) >= 0.9 * len(window):
        # title lines and abstract lines alternate: about half the lines read like prose
        prose = sum(1 for line in non_blank if len(line) > 100 and not looks_like_title(line.strip(), 400))
        if 0.3 <= prose / len(non_blank) <= 0.7:
            value += 4
    return value


def _is_title(text: str) -> bool:
    return looks_like_title(text, 400)


def _abstract_by_position(lines: list[str], number: int, text: str) -> bool:
    """A short line after a title that reads like one (`We propose a tiny model`, no final period):
    its title's abstract when it is in sentence case and the next line is a title too (or none
    follows): title and abstract lines alternate. Before a long abstract line, it is a title."""
    if reads_as_heading(text):
        return False
    for index in range(number, len(lines)):  # (the lines after line `number`, without a copy of them)
        following = clean_text(lines[index])
        lowered = following.lower() if len(following) <= _LONGEST_UI_LINE else ""
        if not following or lowered in SITE_FOOTER or lowered in UI_LINES or (len(following) <= 6 and following.isdigit()):
            continue
        return _is_title(following) and len(following) < 200
    return True


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    pending: tuple[int, str] | None = None  # (line, title) waiting for its abstract
    upvotes: list[int] = []  # lines of upvote counts, skipped
    seen_paper = False

    def emit(line: int, title: str | None, abstract: str | None, abstract_line: int = 0) -> None:
        out.detected += 1
        decoded_title = decode_latex(out.capped(line, title, "title")) if title else None
        decoded_abstract = decode_latex(out.capped(abstract_line or line, abstract, "abstract")) if abstract else None
        out.text_problems(line, decoded_title.problems if decoded_title else ())
        out.text_problems(abstract_line or line, decoded_abstract.problems if decoded_abstract else ())
        out.records.append(make_record(
            source=make_source_ref(out.file, line), format=FORMAT,
            title=decoded_title.text if decoded_title else None,
            abstract=decoded_abstract.text if decoded_abstract else None, year=options.year))

    for number, raw in enumerate(lines, start=1):
        text = clean_text(raw)
        if not text:
            continue
        lowered = text.lower() if len(text) <= _LONGEST_UI_LINE else ""  # (an abstract line is no UI text)
        if lowered in PAGE_HEADER and seen_paper:
            # a second page's header (`Get trending papers ...`): another page pasted into this file
            if pending is not None:
                out.warn(pending[0], f"title {pending[1]!r} has no abstract line after it; kept without one",
                         "no-abstract")
                emit(pending[0], pending[1], None)
                pending = None
            out.warn(number, "a second page's header (`Get trending papers ...`, `Subscribe`) starts here: another "
                     "page pasted into this file? Its page text is skipped, its papers are read", "page-pasted")
            seen_paper = False
            continue
        if lowered in UI_LINES or lowered in SITE_FOOTER:  # (`Papers`, `Sort by` after the papers too)
            continue
        if len(text) <= 6 and text.isdigit():  # an upvote count: page text
            upvotes.append(number)
            continue
        if not seen_paper:
            text = _GLUED_UI.sub("", text)
        seen_paper = True
        if pending is None:
            if _is_title(text):
                pending = (number, text)
            else:
                out.warn(number, "an abstract with no title line before it; kept as a paper without a title", "no-title")
                emit(number, None, text)
        elif _is_title(text) and len(text) < 200 and not _abstract_by_position(lines, number, text):
            out.warn(pending[0], f"title {pending[1]!r} has no abstract line after it; kept without one", "no-abstract")
            emit(pending[0], pending[1], None)
            pending = (number, text)
        else:
            if len(text) < 200 and _is_title(text):
                out.warn(number, f"the short line {text!r} after title {pending[1]!r} is read as its abstract, "
                         "by position (title and abstract lines alternate, and a title follows it)",
                         "abstract-by-position")
            emit(pending[0], pending[1], text, number)
            pending = None
    if pending is not None:
        out.warn(pending[0], f"title {pending[1]!r} has no abstract line after it; kept without one", "no-abstract")
        emit(pending[0], pending[1], None)
    if upvotes:
        out.info(upvotes[0], f"{len(upvotes)} upvote count(s) of the page skipped (first here): page text, "
                 "not titles or abstracts", "page-elements")
