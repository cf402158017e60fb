"""A note style's notes and the page's own footnotes as one numbered list, as Pandoc numbers them.

Python-Markdown's `footnotes` extension has written the page's footnotes (`[^1]`) by the time a
page's citations are formatted; a note style's citations are footnotes too. Both kinds are
numbered in the order their marks come in the page and listed in one `<div class="footnote">`,
so that no two marks show the same number. This works on the extension's own markup (its
`footnote-ref` links and its list), which it documents and has kept for years.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

_DIV = re.compile(r'<div class="footnote">')
_DIV_TAG = re.compile(r"<div\b|</div>")
_LI_TAG = re.compile(r"<li\b|</li>")
_LI_ID = re.compile(r'<li id="([^"]+)">')
# (the number inside what the extension's SUPERSCRIPT_TEXT puts around it: `[1]`)
_REF = re.compile(r'(<a class="footnote-ref" href="#([^"]+)">([^<0-9]*))(\d+)(([^<]*)</a>)')
_BACKREF_TITLE = re.compile(r'(<a class="footnote-backref" href="#[^"]+" title="[^"]*?)\d+')
_CITE_NOTE = re.compile(r'(<a class="footnote-ref" href="#cite-note-(\d+)">)\d+(</a>)')


@dataclass(frozen=True, slots=True)
class PageFootnotes:
    start: int  # the span of the footnotes extension's `<div class="footnote">` in the page's HTML
    end: int
    items: tuple[tuple[str, str], ...]  # (id, `<li>...</li>` as written), in the list's order


def page_footnotes(text: str) -> PageFootnotes | None:
    """The page's own footnotes list, if the footnotes extension wrote one."""
    found = _DIV.search(text)
    if found is None:
        return None
    depth, end = 0, -1
    for tag in _DIV_TAG.finditer(text, found.start()):
        depth += 1 if tag.group(0) == "<div" else -1
        if depth == 0:
            end = tag.end()
            break
    if end < 0:
        return None
    items: list[tuple[str, str]] = []
    depth, opened = 0, -1
    for tag in _LI_TAG.finditer(text, found.start(), end):
        if tag.group(0) == "<li":
            if depth == 0:
                opened = tag.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0 and opened >= 0:
                item = text[opened:tag.end()]
                named = _LI_ID.match(item)
                items.append((named.group(1) if named else "", item))
    return PageFootnotes(found.start(), end, tuple(items))


def footnote_marks(text: str, footnotes: PageFootnotes) -> Callable[[int], int | None]:
    """For a place inside the page's footnotes list: where the mark of the footnote holding it is
    in the page (its first mark outside the list), or None."""
    spans: list[tuple[int, int, str]] = []
    start = footnotes.start
    for name, item in footnotes.items:
        at = text.find(item, start, footnotes.end)
        if at >= 0:
            spans.append((at, at + len(item), name))
            start = at + len(item)
    first: dict[str, int] = {}
    for found in _REF.finditer(text):
        if not footnotes.start <= found.start() < footnotes.end:
            first.setdefault(found.group(2), found.start())

    def mark(place: int) -> int | None:
        return next((first.get(name) for begin, end, name in spans if begin <= place < end), None)

    return mark


def numbers(text: str, footnotes: PageFootnotes, note_places: Sequence[int]) -> tuple[dict[str, int], list[int]]:
    """The number of each page footnote (by its id) and of each citation note (placed at
    `note_places` in `text`): in the order of their first marks outside the list; footnotes no
    mark points to come last, in the list's order."""
    marks = [(found.start(), 0, found.group(2)) for found in _REF.finditer(text)
             if not footnotes.start <= found.start() < footnotes.end]
    marks += [(place, 1, str(index)) for index, place in enumerate(note_places)]
    page: dict[str, int] = {}
    notes = [0] * len(note_places)
    number = 0
    for _, kind, name in sorted(marks):
        if kind == 1:
            number += 1
            notes[int(name)] = number
        elif name not in page:
            number += 1
            page[name] = number
    for name, _ in footnotes.items:
        if name not in page:
            number += 1
            page[name] = number
    return page, notes


def merged(text: str, footnotes: PageFootnotes, page: Mapping[str, int], notes: Sequence[tuple[int, str]]) -> str:
    """`text` with the page's footnote marks renumbered and its list holding the citation notes
    (`(number, <li>...</li>)`) too, each at its number's place."""
    def renumbered(found: re.Match[str]) -> str:
        number = page.get(found.group(2))
        return found.group(0) if number is None else f"{found.group(1)}{number}{found.group(5)}"

    def with_number(item: str, number: int) -> str:  # its own marks, and its "Jump back to footnote N" titles
        return _REF.sub(renumbered, _BACKREF_TITLE.sub(lambda found: f"{found.group(1)}{number}", item))

    items = [(page.get(name, 0), with_number(item, page.get(name, 0))) for name, item in footnotes.items]
    items += list(notes)
    listed = "\n".join(item for _, item in sorted(items, key=lambda pair: pair[0]))
    block = f'<div class="footnote">\n<hr />\n<ol>\n{listed}\n</ol>\n</div>'
    before, after = _REF.sub(renumbered, text[:footnotes.start]), _REF.sub(renumbered, text[footnotes.end:])
    return before + block + after


def citation_notes(block: str) -> list[str]:
    """The `<li>` of each note in a note style's rendered notes block, in order."""
    return re.findall(r'<li id="cite-note-\d+">.*?</li>', block, re.DOTALL)


def renumbered_mark(mark: str, number: int, text: str = "") -> str:
    """A citation's note mark showing `number`, written as the page's own marks are (`[2]` with
    the footnotes extension's SUPERSCRIPT_TEXT `[{}]`, found in `text`)."""
    found = _REF.search(text)
    before, after = (found.group(3), found.group(6)) if found else ("", "")
    return _CITE_NOTE.sub(lambda mark_found: f"{mark_found.group(1)}{before}{number}{after}{mark_found.group(3)}", mark)
