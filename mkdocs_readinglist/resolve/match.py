"""Deciding whether a service's candidate is the paper: pure functions, no I/O.

A wrong match is worse than none. A candidate is accepted when its normalised title (LaTeX
decoded, accents folded, punctuation dropped, case folded) equals the paper's, or is very similar
(>= ACCEPT) with a clear gap (>= GAP) to the next candidate; and the year is within one (where
both are known), the first author's surname agrees (where both are known) and the number of
authors agrees (where the listing counted them). Weaker candidates (>= PENDING) are kept for
review and never applied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..latex_text import decode_latex
from ..model import Paper
from ..text import ascii_fold

ACCEPT = 0.95  # similarity of normalised titles accepted without equality ...
GAP = 0.10  # ... when the second-best candidate is at least this much further away
PENDING = 0.80  # below this a candidate is not worth a reviewer's time

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A paper as one service describes it; every fact optional, never guessed."""

    service: str
    service_id: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    date: str | None = None
    arxiv_id: str | None = None
    venue: str | None = None  # a published venue, `ICLR 2025`; never "arXiv"/"CoRR"
    doi: str | None = None
    primary_class: str | None = None
    urls: tuple[tuple[str, str], ...] = ()  # (kind, url): openreview, code, project, pdf
    extra: tuple[tuple[str, str], ...] = field(default=())  # further ids: dblp, s2

    def facts(self) -> dict[str, object]:
        """What this candidate knows, as resolved.yml stores it (empty facts left out)."""
        facts: dict[str, object] = {}
        if self.authors:
            facts["authors"] = list(self.authors)
        for name in ("arxiv_id", "year", "date", "venue", "doi", "primary_class"):
            value = getattr(self, name)
            if value:
                facts[name] = value
        for kind, url in self.urls:
            facts.setdefault(kind, url)
        for kind, value in self.extra:
            facts.setdefault(kind, value)
        return facts


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # "found", "pending" or "none"
    candidate: Candidate | None = None
    score: float = 0.0
    reason: str = ""
    others: tuple[tuple[Candidate, float], ...] = ()  # runners-up worth showing a reviewer


def normalise(title: str) -> str:
    """`Flow-based {HOI}: \\'Etude` -> `flow based hoi etude`."""
    text = decode_latex(title).text if any(c in title for c in "\\{$~") else title
    return " ".join(_WORD.findall(ascii_fold(text).lower()))


def similarity(a: str, b: str) -> float:
    """1.0 for equal normalised titles, else difflib's ratio of the two normalised strings."""
    left, right = normalise(a), normalise(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return round(SequenceMatcher(None, left, right, autojunk=False).ratio(), 4)


def surname(name: str) -> str:
    """The family name, folded: `Huang, Buzhen` and `Buzhen Huang` -> `huang`."""
    name = ascii_fold(name).strip()
    if "," in name:
        name = name.split(",", 1)[0]
    else:
        parts = name.split()
        name = parts[-1] if parts else ""
    return "".join(_WORD.findall(name.lower()))


def _conflict(paper: Paper, candidate: Candidate) -> str:
    """Why a candidate with a matching title is still not this paper; "" when nothing disagrees."""
    if paper.year and candidate.year and abs(paper.year - candidate.year) > 1:
        return f"year {candidate.year} is not within one of the listing's {paper.year}"
    named = [a for a in paper.authors if a != "others"]
    if named and candidate.authors and surname(named[0]) != surname(candidate.authors[0]):
        return f"first author {candidate.authors[0]!r} is not the listing's {named[0]!r}"
    if paper.author_count and candidate.authors and not named and paper.author_count != len(candidate.authors):
        return f"{len(candidate.authors)} authors, the listing counts {paper.author_count}"
    return ""


def judge(paper: Paper, candidates: Sequence[Candidate]) -> Verdict:
    """The candidate that is this paper, or the ones a reviewer should look at, or none."""
    if not paper.title:
        return Verdict("none", reason="the paper has no title to match")
    scored = sorted(((c, similarity(paper.title, c.title)) for c in candidates if c.title),
                    key=lambda pair: -pair[1])
    scored = [pair for pair in scored if pair[1] >= PENDING]
    if not scored:
        return Verdict("none", reason="no candidate with a similar title")
    best, score = scored[0]
    fitting = [(c, s) for c, s in scored if not _conflict(paper, c)]
    if score == 1.0:
        equal = [(c, s) for c, s in fitting if s == 1.0]
        distinct = {c.arxiv_id or c.doi or c.service_id for c, _ in equal}
        if len(distinct) == 1:
            return Verdict("found", equal[0][0], 1.0, "equal titles", tuple(scored[1:4]))
        if len(distinct) > 1:
            return Verdict("pending", equal[0][0], 1.0, f"{len(distinct)} different papers have this title",
                           tuple(scored[:4]))
        return Verdict("pending", best, score, _conflict(paper, best), tuple(scored[1:4]))
    second = scored[1][1] if len(scored) > 1 else 0.0
    conflict = _conflict(paper, best)
    if score >= ACCEPT and score - second >= GAP and not conflict:
        return Verdict("found", best, score, f"similar titles ({score:.2f}, next {second:.2f})", tuple(scored[1:4]))
    reason = conflict or (f"titles differ (similarity {score:.2f})" if score < ACCEPT
                          else f"no clear gap to the next candidate ({score:.2f} vs {second:.2f})")
    return Verdict("pending", best, score, reason, tuple(scored[1:4]))
