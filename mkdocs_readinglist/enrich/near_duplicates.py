"""Papers kept apart whose titles differ only by small words or a version note: a hint each.

Merging goes by identity (arXiv id, DOI, or the same title with nothing that contradicts it),
so "Pose as a Clinical Prior" and "Pose as Clinical Prior" stay two papers, and a survey's
.bib then cites one work twice. Nothing is merged here: the user is told where both come from
and how to make them one, as a reference manager's duplicate check would.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ..model import Diagnostic, Paper, Severity
from ..text import normalize_title

# Words whose presence or absence does not make another title.
_SMALL_WORDS = frozenset(word.encode("ascii") for word in (
    "a", "an", "the", "of", "for", "and", "on", "in", "to", "with", "as", "via", "by", "at", "from", "into", "is",
    "are", "its"))
# A version note after the title proper: `(v2)`, `[extended version]`, `(preprint)`.
_VERSION_NOTE = re.compile(r"\s*[(\[]\s*(?:v\d+|extended(?: version)?|full version|long version|preprint|"
                           r"extended abstract|supplementary(?: material)?)\s*[)\]]\s*$", re.IGNORECASE)
# Every byte but ASCII letters and digits, as a space (bytes.translate: one pass in C).
_TO_WORDS = bytes.maketrans(bytes(b for b in range(256) if not chr(b).isalnum() or b > 127),
                            b" " * sum(1 for b in range(256) if not chr(b).isalnum() or b > 127))
_WORD_BREAKS = re.compile(r"[\W_]+")
# Shorter loose titles ("the survey" / "survey") say too little to call two papers one.
_MIN_LOOSE = 12


def _loose(title: str) -> bytes:
    if title.endswith((")", "]")):
        title = _VERSION_NOTE.sub("", title)
    if not title.isascii():  # each word as a title's identity keeps it: `α`, `人体` are letters too
        folded = (normalize_title(word) for word in _WORD_BREAKS.split(title))
        return " ".join(word for word in folded if word and word.encode() not in _SMALL_WORDS).encode()
    words = title.lower().encode("ascii").translate(_TO_WORDS).split()
    return b" ".join([word for word in words if word not in _SMALL_WORDS])


def loose_title(title: str) -> str:
    """The title's words, folded, without small words or a version note at its end."""
    return _loose(title).decode()


def _surname(paper: Paper) -> str | None:
    named = next((a for a in paper.authors if a != "others"), None)
    if not named:
        return None
    return normalize_title(named.split(",")[0] if "," in named else (named.split() or [""])[-1]) or None


def _stated_type(paper: Paper) -> str | None:
    """The entry type a .bib states (a listing's papers are `misc` by default, which says nothing)."""
    return paper.bib[0].entry_type.lower() if paper.bib else None


def _pages(paper: Paper) -> str | None:
    return next((pages for entry in paper.bib if (pages := entry.field("pages"))), None)


def _told_apart(first: Paper, other: Paper) -> bool:
    """Facts both papers state that make them two works: two arXiv ids, DOIs, years, first
    authors, kinds of entry (a chapter and the book named alike) or pages (a journal's note, then
    its article)."""
    for a, b in ((first.arxiv_id, other.arxiv_id), (first.doi, other.doi), (first.year, other.year),
                 (_stated_type(first), _stated_type(other)), (_pages(first), _pages(other))):
        if a and b and a != b:
            return True
    a, b = _surname(first), _surname(other)
    return bool(a and b and a != b)


def near_duplicates(papers: Sequence[Paper]) -> list[Diagnostic]:
    """An info line at each paper whose title is nearly an earlier paper's, with nothing both
    state (arXiv id, DOI, year, first author, entry type) that tells them apart. Papers of the very same title
    were judged by the merge already (merged, or kept apart with a `same-title` warning)."""
    firsts: dict[bytes, Paper] = {}
    hints: list[Diagnostic] = []
    for paper in papers:
        if not paper.title or not paper.provenance:
            continue
        loose = _loose(paper.title)
        if len(loose) < _MIN_LOOSE:
            continue
        first = firsts.setdefault(loose, paper)
        if first is paper or normalize_title(first.title or "") == normalize_title(paper.title) \
                or _told_apart(first, paper):
            continue
        place, there = paper.provenance[0], first.provenance[0]
        # Two entries of one .bib never merge on their title (the merge's rule): say what fits.
        advice = "perhaps one work entered twice" if place.file == there.file and first.bib and paper.bib \
            else "if they are one, give both the same title (in a source, or by an override of an arXiv id) " \
                 "and they are merged"
        hints.append(Diagnostic(
            place.file, place.line, Severity.INFO,
            f"title {paper.title!r} is nearly that of {first.key or first.id} ({there}: {first.title!r}); kept as "
            f"two papers: {advice}", code="near-duplicate"))
    return hints


def shared_identities(papers: Sequence[Paper], reported: Collection[tuple[str, int]] = ()) -> list[Diagnostic]:
    """A warning at each paper that holds the arXiv id or DOI of an earlier paper. The merge makes
    one paper of records that share one; an id given after it (by `readinglist resolve`, or an
    override's `arxiv_id:`/`doi:`) leaves two papers of one id, two entries of one work in the .bib."""
    seen: dict[str, Paper] = {}
    found: list[Diagnostic] = []
    for paper in papers:
        for kind, value in (("arXiv id", paper.arxiv_id), ("DOI", paper.doi)):
            if not value:
                continue
            first = seen.setdefault(f"{kind}:{value.lower()}", paper)
            if first is paper or not paper.provenance or (paper.provenance[0].file, paper.provenance[0].line) in reported:
                continue  # (the merge kept them apart for their titles, and said so)
            there = first.provenance[0] if first.provenance else "?"
            place = paper.provenance[0]
            found.append(Diagnostic(
                place.file, place.line, Severity.WARNING,
                f"paper {paper.key or paper.id} has the {kind} {value} of paper {first.key or first.id} ({there}) "
                "(given after the papers were merged, by `readinglist resolve` or an override, or by a record whose "
                "other id or facts disagree with the other paper's): if they are one "
                "paper, give both the same title in the overrides file and they are merged; if not, reject the "
                "wrong one (`reject:` in the overrides file)", code="shared-id"))
            break
    return found
