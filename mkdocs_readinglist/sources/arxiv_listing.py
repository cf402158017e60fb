"""arXiv listings: abstract, optional comment line, `arXiv:ID`, `Created:` dates; no titles."""

from __future__ import annotations

import re
from datetime import date

from ..latex.decode import decode_latex
from ..makers import make_record, make_source_ref
from ..venues import comment_venue
from .base import Block, ReaderOutput, SourceOptions

FORMAT = "arxiv-listing"
DESCRIPTION = "arXiv listing: abstract, optional comment, `arXiv:ID`, `Created: YYYY-MM-DD`"

# arxiv.org prints an id with trailers: `arXiv:2502.03836 [cs.CV]` (its primary category),
# `arXiv:2502.03836 [pdf, html, other]` (its links), `(replaced)`, `(cross-list from cs.LG)`, and
# on a PDF's margin `arXiv:2502.03836v2 [cs.CV] 6 Feb 2025`: the id is the line's first word.
_ARXIV_LINE = re.compile(
    r"^\s*arXiv\s*:\s*(?P<id>[^\s\[(]+)\s*(?P<trailer>(?:[\[(][^\[\]()]{0,80}[\])]\s*){0,4}"
    r"(?:\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s*)?)$", re.IGNORECASE)
# An arXiv category in brackets (`[cs.CV]`, `[hep-th]`, `[q-bio.NC]`): the paper's primary class.
_CATEGORY = re.compile(r"\[(?P<category>[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2,3})?)\]")
_CREATED_LINE = re.compile(r"^\s*Created\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
# `Updated: YYYY-MM-DD` on a line of its own, after `Created:` (as a listing folds the two).
_UPDATED_LINE = re.compile(r"^\s*Updated\s*:\s*(?P<updated>\S+)\s*$", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CREATED = re.compile(
    r"^(?P<created>\d{4}-\d{2}-\d{2})?\s*(?:Updated\s*:\s*(?P<updated>\S+))?\s*$", re.IGNORECASE)
NEW_ID = re.compile(r"^(?P<id>\d{4}\.\d{4,5})(?:v(?P<version>\d+))?$")
OLD_ID = re.compile(r"^(?P<id>(?P<archive>[a-z][a-z\-]*)(?P<subject>\.[A-Z]{2})?/(?P<number>\d{7}))(?:v(?P<version>\d+))?$")


def score(lines: list[str]) -> float:
    value = 0.0
    for line in lines[:2000]:
        if _ARXIV_LINE.match(line):
            value = max(value, 10.0)
        if _CREATED_LINE.match(line) and _ISO_DATE.search(line):
            return 15.0
    return value


def is_signature(line: str) -> bool:
    """A line only arXiv listings have: `arXiv:ID` or `Created: YYYY-MM-DD`."""
    return bool(_ARXIV_LINE.match(line) or (_CREATED_LINE.match(line) and _ISO_DATE.search(line)))


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """(`2507.02565`, 2) from `2507.02565v2`; old ids (`cs/0112017`) too; None if malformed.
    An old id's subject class is no part of the id: `math.GT/0309136` is `math/0309136`."""
    text = text.strip().removeprefix("arXiv:").removeprefix("arxiv:")
    match = NEW_ID.match(text) or OLD_ID.match(text)
    if not match:
        return None
    if match.re is NEW_ID:
        month, number = int(text[2:4]), match.group("id").split(".")[1]
        # YYMM.NNNN until 2014, YYMM.NNNNN from 2015 on
        if not 1 <= month <= 12 or len(number) != (5 if int(text[:4]) >= 1501 else 4):
            return None
    version = match.group("version")
    if match.re is OLD_ID and match.group("subject"):
        return f"{match.group('archive')}/{match.group('number')}", int(version) if version else None
    return match.group("id"), int(version) if version else None


def _valid_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    text_blocks: list[Block] = []
    meta: dict[str, tuple[int, str]] = {}

    def flush() -> None:
        nonlocal text_blocks, meta
        if not text_blocks and not meta:
            return
        _emit(out, text_blocks, meta, options)
        text_blocks, meta = [], {}

    for block in out.blocks(lines):
        text_lines: list[tuple[int, str]] = []
        for offset, raw in enumerate(block.lines):
            number = block.line + offset
            if _ARXIV_LINE.match(raw):
                if "created" in meta or "arxiv" in meta or (text_lines and meta):
                    flush()
                if text_lines:
                    text_blocks.append(Block(text_lines[0][0], tuple(t for _, t in text_lines)))
                    text_lines = []
                meta["arxiv"] = (number, raw)
            elif meta and "updated" not in meta and not text_lines and _UPDATED_LINE.match(raw):
                meta["updated"] = (number, raw)  # (an `arXiv:` or `Created:` line before it, no text between)
            elif _CREATED_LINE.match(raw):
                if "created" in meta:
                    flush()
                if text_lines:
                    text_blocks.append(Block(text_lines[0][0], tuple(t for _, t in text_lines)))
                    text_lines = []
                meta["created"] = (number, raw)
            else:
                if meta:  # text after a paper's meta lines starts the next paper
                    flush()
                text_lines.append((number, raw))
        if text_lines:
            text_blocks.append(Block(text_lines[0][0], tuple(t for _, t in text_lines)))
    flush()


def _emit(out: ReaderOutput, blocks: list[Block], meta: dict[str, tuple[int, str]],
          options: SourceOptions) -> None:
    out.detected += 1
    line = blocks[0].line if blocks else min(number for number, _ in meta.values())
    comment: str | None = None
    # A comment is told apart by position: a last short paragraph after the abstract.
    if len(blocks) >= 2 and len(blocks[-1].lines) == 1 and len(blocks[-1].text) <= 300:
        comment = blocks[-1].text
        blocks = blocks[:-1]
    abstract = decode_latex(out.capped(line, " ".join(b.text for b in blocks), "abstract"),
                            tie_is_space=True) if blocks else None
    if abstract:
        out.text_problems(line, abstract.problems)
    else:
        out.warn(line, "no abstract before the arXiv id", "no-abstract")
    arxiv_id = version = None
    fields: tuple[tuple[str, str], ...] = ()
    if "arxiv" in meta:
        id_line, raw = meta["arxiv"]
        id_match = _ARXIV_LINE.match(raw)
        assert id_match is not None
        raw_id, trailer = id_match.group("id"), id_match.group("trailer").strip()
        if trailer:
            category = _CATEGORY.search(trailer)
            if category:
                fields = (("primaryclass", category.group("category")),)
            out.info(id_line, f"{trailer!r} after the arXiv id is arxiv.org's " + (
                f"category ({category.group('category')}, exported as primaryClass) and page text" if category
                else "page text (its links or a note): not read"), "arxiv-line-trailer")
        parsed = parse_arxiv_id(raw_id)
        if parsed:
            arxiv_id, version = parsed
        else:
            out.warn(id_line, f"malformed arXiv id {raw_id!r}; the paper is kept without an id", "bad-arxiv-id")
    else:
        out.warn(line, "no `arXiv:` line for this paper; kept without an id", "no-arxiv-id")
    created = updated = None
    if "created" in meta:
        date_line, raw = meta["created"]
        rest = _CREATED_LINE.match(raw).group("rest")  # type: ignore[union-attr]
        match = _CREATED.match(rest.strip())
        created_date = _valid_date(match.group("created")) if match else None
        updated_date = _valid_date(match.group("updated")) if match else None
        if created_date is None:
            out.warn(date_line, f"unreadable `Created:` date {rest.strip()!r}; paper kept without a date", "bad-date")
        if match and match.group("updated") and updated_date is None:
            out.warn(date_line, f"unreadable `Updated:` date {match.group('updated')!r}; ignored", "bad-date")
        if created_date and updated_date and updated_date < created_date:
            out.warn(date_line, f"updated {updated_date} is before created {created_date}; update ignored", "bad-date")
            updated_date = None
        created = created_date.isoformat() if created_date else None
        updated = updated_date.isoformat() if updated_date else None
    else:
        out.warn(line, "no `Created:` date for this paper; kept without a date", "no-date")
    if "updated" in meta:  # `Updated:` on a line of its own
        own_line, own = meta["updated"]
        own_text = _UPDATED_LINE.match(own).group("updated")  # type: ignore[union-attr]
        own_date = _valid_date(own_text)
        if own_date is None:
            out.warn(own_line, f"unreadable `Updated:` date {own_text!r}; ignored", "bad-date")
        elif created and own_date.isoformat() < created:
            out.warn(own_line, f"updated {own_date} is before created {created}; update ignored", "bad-date")
        elif updated is None:
            updated = own_date.isoformat()
    # Only a comment that says the paper was accepted somewhere names its venue; the venue's
    # year is the paper's (`Accepted to CVPR 2025`, created 2024-11: 2025).
    venue, venue_year = comment_venue(comment) if comment else (None, None)
    if comment and venue and comment.replace(" ", "").lower() == venue.replace(" ", "").lower():
        comment = None
    decoded_comment = decode_latex(out.capped(line, comment, "comment"), tie_is_space=True).text if comment else None
    out.records.append(make_record(
        source=make_source_ref(out.file, line), format=FORMAT, abstract=abstract.text if abstract else None,
        date=created, year=venue_year or (int(created[:4]) if created else None), updated=updated,
        arxiv_id=arxiv_id, arxiv_version=version, comment=decoded_comment, venue=venue, fields=fields))
