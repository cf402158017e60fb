"""Semantic Scholar Graph API: `paper/search/match` by title, `paper/batch` by arXiv id or DOI.

https://api.semanticscholar.org/api-docs/graph: an API key (`S2_API_KEY`, sent as `x-api-key`)
gives 1 request per second; without one the shared pool is smaller, so we keep to 1 s as well.
Gives the published venue, DOI and DBLP key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from ..enrich.resolved import is_not_a_venue
from ..venues import CANONICAL_VENUES
from .http import Client, ServiceError, answer_shape, env_url
from .match import Candidate

NAME = "semantic_scholar"
DEFAULT_URL = "https://api.semanticscholar.org/graph/v1"
INTERVAL = 1.0
BATCH = 100
FIELDS = "title,authors,year,venue,publicationVenue,externalIds,publicationDate"
_FULL_NAMES = {full.lower(): short for short, (_, full) in CANONICAL_VENUES.items()}
# The names Semantic Scholar gives the big venues, where they differ from the proceedings' names.
_FULL_NAMES.update({
    "computer vision and pattern recognition": "CVPR", "neural information processing systems": "NeurIPS",
    "ieee international conference on computer vision": "ICCV", "international conference on computer vision": "ICCV",
    "european conference on computer vision": "ECCV", "international conference on machine learning": "ICML",
    "aaai conference on artificial intelligence": "AAAI", "ieee workshop/winter conference on applications of "
    "computer vision": "WACV", "annual meeting of the association for computational linguistics": "ACL",
    "conference on empirical methods in natural language processing": "EMNLP",
    "international conference on 3d vision": "3DV", "british machine vision conference": "BMVC",
})
_VOLUME = re.compile(r"\s*\(\d+\)$")  # DBLP's `ECCV (12)`: a volume of the proceedings


def client() -> Client:
    key = os.environ.get("S2_API_KEY") or os.environ.get("SEMANTIC_SCHOLAR_API_KEY")
    return Client(NAME, env_url(NAME, DEFAULT_URL), INTERVAL, {"x-api-key": key} if key else None)


def short_venue(name: str, year: int | None) -> str | None:
    """`International Conference on Learning Representations`, 2024 -> `ICLR 2024`; preprint servers -> None."""
    name = _VOLUME.sub("", " ".join(name.split()))
    if not name or is_not_a_venue(name):
        return None
    short = _FULL_NAMES.get(name.lower()) or (name if name in CANONICAL_VENUES else None)
    if short:
        return f"{short} {year}" if year else short
    return name


def candidate(data: dict[str, Any]) -> Candidate | None:
    if not isinstance(data, dict) or not data.get("title"):
        return None
    ids = data.get("externalIds") or {}
    year = data.get("year") if isinstance(data.get("year"), int) else None
    venue_name = data.get("venue") or (data.get("publicationVenue") or {}).get("name") or ""
    extra = [("s2", str(data.get("paperId") or ""))]
    if ids.get("DBLP"):
        extra.append(("dblp", str(ids["DBLP"])))
    venue = short_venue(str(venue_name), year)
    kind = {"journal": "article", "conference": "inproceedings"}.get(
        str((data.get("publicationVenue") or {}).get("type") or "")) if venue else None
    return Candidate(NAME, str(data.get("paperId") or ""), str(data["title"]),
                     tuple(str(a.get("name")) for a in data.get("authors") or [] if a.get("name")),
                     year, data.get("publicationDate") or None, ids.get("ArXiv") or None,
                     venue, ids.get("DOI") or None, kind=kind, extra=tuple(e for e in extra if e[1]))


def match_title(api: Client, title: str) -> tuple[str, list[Candidate]]:
    # a 404 {"error": "Title match not found"} is the API's documented "no such paper"
    data = api.get_json("/paper/search/match", {"query": title, "fields": FIELDS}, absent_on_404=True)
    with answer_shape(NAME, "/paper/search/match"):
        found = [candidate(d) for d in (data or {}).get("data") or []] if data is not None else []
    return f"match:{title}", [c for c in found if c]


def batch(api: Client, ids: Sequence[str]) -> dict[str, Candidate]:
    """`ARXIV:2106.15928` / `DOI:10.x/y` -> candidate, for the ids Semantic Scholar knows."""
    found: dict[str, Candidate] = {}
    for start in range(0, len(ids), BATCH):
        chunk = list(ids[start:start + BATCH])
        data = api.post_json("/paper/batch", {"ids": chunk}, {"fields": FIELDS})
        if not isinstance(data, list):  # the API documents a list, null where it knows no paper
            raise ServiceError(NAME, f"/paper/batch answered JSON of an unexpected shape ({type(data).__name__}, "
                               "not a list); the API may have changed")
        with answer_shape(NAME, "/paper/batch"):
            for asked, item in zip(chunk, data, strict=False):
                made = candidate(item) if item else None
                if made:
                    found[asked] = made
    return found
