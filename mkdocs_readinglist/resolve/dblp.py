"""DBLP's publication search API (JSON): the published venue of a paper by its title.

https://dblp.org/faq/How+to+use+the+dblp+search+API.html; DBLP asks for restraint, so one
request per 2 seconds. Only conference papers and journal articles give a venue; a hit of type
"Informal and Other Publications" (CoRR) is a preprint.
"""

from __future__ import annotations

import re
from typing import Any

from .http import Client, answer_shape, env_url
from .match import Candidate
from .semantic_scholar import short_venue

NAME = "dblp"
DEFAULT_URL = "https://dblp.org/search/publ/api"
INTERVAL = 2.0
# DBLP's publication types that are published versions (an entry type each); "Informal and Other
# Publications" (CoRR preprints) and the rest give no venue.
_KINDS = {"Conference and Workshop Papers": "inproceedings", "Journal Articles": "article"}
_HOMONYM = re.compile(r"\s+\d{4}$")  # `Wei Li 0003`: DBLP's number for one of several namesakes


def client() -> Client:
    return Client(NAME, env_url(NAME, DEFAULT_URL), INTERVAL)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def candidate(info: dict[str, Any]) -> Candidate | None:
    title = str(info.get("title") or "").rstrip(".")
    if not title:
        return None
    year = int(info["year"]) if str(info.get("year", "")).isdigit() else None
    authors = tuple(_HOMONYM.sub("", str(a.get("text") if isinstance(a, dict) else a))
                    for a in _list((info.get("authors") or {}).get("author")))
    kind = _KINDS.get(str(info.get("type", "")))
    venue = short_venue(" ".join(str(v) for v in _list(info.get("venue"))[:1]), year) if kind else None
    urls = tuple(("openreview", str(u)) for u in _list(info.get("ee")) if "openreview.net" in str(u))
    return Candidate(NAME, str(info.get("key") or ""), title, authors, year, None, None, venue,
                     str(info.get("doi")) if info.get("doi") else None, kind=kind if venue else None, urls=urls[:1],
                     extra=(("dblp", str(info.get("key"))),) if info.get("key") else ())


def search(api: Client, title: str) -> tuple[str, list[Candidate]]:
    data = api.get_json(params={"q": title, "format": "json", "h": 10})
    with answer_shape(NAME, "the publication search"):
        hits = (data.get("result") or {}).get("hits") or {}
        found = [candidate(hit.get("info") or {}) for hit in _list(hits.get("hit"))]
    return title, [c for c in found if c]
