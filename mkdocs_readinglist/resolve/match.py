"""Deciding whether a service's candidate is the paper: pure functions, no I/O.

A wrong match is worse than none. A candidate is accepted when its normalised title (LaTeX
decoded, accents folded, punctuation and spaces dropped, case folded) equals the paper's, or is
very similar (>= ACCEPT, at most MAX_EDITS letters differ) with a clear gap to the next candidate
(GAP less similar, or GAP_EDITS more letters different); and the year is within one (where
both are known), the first author's surname agrees (where both are known) and the number of
authors agrees (where the listing counted them). A near title whose numbers differ from the
paper's (`Pose Anything 2` for `Pose Anything`, `YOLOv8` for `YOLOv7`, another year) is a sequel,
a version or an edition, never the paper: at most pending. Weaker candidates (>= PENDING) are kept
for review and never applied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..latex.decode import decode_latex
from ..model import Paper
from ..text import ascii_fold

ACCEPT = 0.95  # similarity of normalised titles accepted without equality ...
MAX_EDITS = 2  # ... when at most this many letters differ (`modelling`/`modeling`, a plural, a typo) ...
GAP = 0.10  # ... and the second-best candidate is at least this much less similar,
GAP_EDITS = 5  # ... or differs in at least this many more letters (a decoy with words added)
PENDING = 0.80  # below this a candidate is not worth a reviewer's time

_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_MACRO = re.compile(r"\\([A-Za-z]+)")
_MATH_FORMAT = frozenset({"mathcal", "mathbf", "mathrm", "mathit", "mathbb", "text", "textbf", "textit", "emph"})


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
    kind: str | None = None  # the published version's entry type: inproceedings or article
    urls: tuple[tuple[str, str], ...] = ()  # (kind, url): openreview, code, project, pdf
    extra: tuple[tuple[str, str], ...] = field(default=())  # further ids: dblp, s2

    def facts(self) -> dict[str, object]:
        """What this candidate knows, as resolved.yml stores it (empty facts left out)."""
        facts: dict[str, object] = {"title": self.title}
        if self.authors:
            facts["authors"] = list(self.authors)
        for name in ("arxiv_id", "year", "date", "venue", "doi", "primary_class"):
            value = getattr(self, name)
            if value:
                facts[name] = value
        if self.kind and self.venue:
            facts["entry_type"] = self.kind
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


def _greek(match: re.Match[str]) -> str:
    name = unicodedata.name(match.group(), "")
    return f" {name.rsplit(' ', 1)[-1].lower()} " if name.startswith("GREEK") else " "


def normalise(title: str) -> str:
    """`Flow-based {HOI}: \\'Etude $\\alpha$` -> `flow based hoi etude alpha` (math macros dropped
    to their names, Greek letters spelled out, so `$\\alpha$` and `α` agree)."""
    text = decode_latex(title).text if any(c in title for c in "\\{$~") else title
    if not text.isascii():
        text = _GREEK.sub(_greek, text)
    text = _MACRO.sub(lambda m: " " + m.group(1) + " " if m.group(1) not in _MATH_FORMAT else " ", text)
    return " ".join(_WORD.findall(ascii_fold(text).lower()))


def compare(a: str, b: str) -> tuple[float, int]:
    """(similarity, edit distance) of two titles, normalised and with spaces dropped (so
    `Pre-training` and `Pretraining` are equal): difflib's ratio, and the characters that differ
    (a replaced run counts its longer side)."""
    left, right = normalise(a).replace(" ", ""), normalise(b).replace(" ", "")
    if not left or not right:
        return 0.0, max(len(left), len(right))
    if left == right:
        return 1.0, 0
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    distance = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return round(matcher.ratio(), 4), distance


_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "xi": "11", "xii": "12"}
_PLUS = re.compile(r"(?<=[\w)])\+\+?(?![\w+])")  # `PoseNet++`, `Model+`: a sequel's mark, which normalising drops


def numbers(title: str) -> list[str]:
    """The numbers of a normalised title, in order, leading zeros dropped (`YOLOv7: 3D ... 2024` ->
    7, 3, 2024), Roman numerals of a sequel as numbers (`Segment Anything II` -> 2), and a `++`."""
    words = normalise(title).split()
    found = [n.lstrip("0") or "0" for word in words for n in _NUMBER.findall(word)]
    found += [_ROMAN[word] for word in words if word in _ROMAN]
    return found + (["++"] * len(_PLUS.findall(title)) if "+" in title else [])


def numbers_differ(a: str, b: str) -> str:
    """Why two titles are not the same work by their numbers (`2` and none; `7` and `8`); "" when they agree."""
    left, right = numbers(a), numbers(b)
    if left == right:
        return ""
    return f"numbers differ ({' '.join(right) or 'none'} in the candidate, {' '.join(left) or 'none'} in the listing)"


def similarity(a: str, b: str) -> float:
    return compare(a, b)[0]


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
    compared = {id(c): compare(paper.title, c.title) for c in candidates if c.title}
    scored = sorted(((c, compared[id(c)][0]) for c in candidates if c.title), key=lambda pair: -pair[1])
    scored = [pair for pair in scored if pair[1] >= PENDING]
    if not scored:
        return Verdict("none", reason="no candidate with a similar title")
    best, score = scored[0]
    fitting = [(c, s) for c, s in scored if not _conflict(paper, c)]
    if score == 1.0:
        # (equal once normalised, which drops a sequel's `++`: its numbers must agree too)
        equal = [(c, s) for c, s in fitting if s == 1.0 and not numbers_differ(paper.title, c.title)]
        if not equal and (differ := numbers_differ(paper.title, best.title)):
            return Verdict("pending", best, score, differ, tuple(scored[1:4]))
        distinct = {c.arxiv_id or c.doi or c.service_id for c, _ in equal}
        if len(distinct) == 1:
            return Verdict("found", equal[0][0], 1.0, "equal titles", tuple(scored[1:4]))
        if len(distinct) > 1:
            return Verdict("pending", equal[0][0], 1.0, f"{len(distinct)} different papers have this title",
                           tuple(scored[:4]))
        return Verdict("pending", best, score, _conflict(paper, best), tuple(scored[1:4]))
    second = scored[1][1] if len(scored) > 1 else 0.0
    second_edits = compared[id(scored[1][0])][1] if len(scored) > 1 else 10**6
    conflict = _conflict(paper, best) or numbers_differ(paper.title, best.title)
    edits = compared[id(best)][1]
    clear = score - second >= GAP or second_edits - edits >= GAP_EDITS
    if score >= ACCEPT and edits <= MAX_EDITS and clear and not conflict:
        return Verdict("found", best, score, f"similar titles ({score:.2f}, next {second:.2f})", tuple(scored[1:4]))
    reason = conflict or (f"titles differ (similarity {score:.2f}, {edits} letters)"
                          if score < ACCEPT or edits > MAX_EDITS
                          else f"no clear gap to the next candidate ({score:.2f} vs {second:.2f})")
    return Verdict("pending", best, score, reason, tuple(scored[1:4]))
