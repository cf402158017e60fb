"""The arXiv API (Atom 1.0 feed): `id_list` batches for known ids, `search_query` on title words.

https://info.arxiv.org/help/api/user-manual.html: one request every 3 seconds, one connection.
The feed is parsed with defusedxml's ElementTree (no entity expansion from a remote document).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from defusedxml import ElementTree

from ..sources.arxiv_listing import parse_arxiv_id
from .http import Client, ServiceError, env_url
from .match import Candidate, normalise

NAME = "arxiv"
DEFAULT_URL = "https://export.arxiv.org/api/query"
INTERVAL = 3.0
BATCH = 50  # ids per id_list request
SEARCH_RESULTS = 10
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
       "os": "http://a9.com/-/spec/opensearch/1.1/"}
# Words arXiv's search ignores or that match everything; left out of title queries.
_STOP = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "the", "to", "via", "with", "without"])
_QUERY_WORDS = 12


def client() -> Client:
    return Client(NAME, env_url(NAME, DEFAULT_URL), INTERVAL)


def _text(element: object, path: str) -> str:
    found = element.find(path, _NS)  # type: ignore[attr-defined]
    return " ".join((found.text or "").split()) if found is not None else ""


def parse_feed(text: str | bytes) -> list[Candidate]:
    """The entries of an arXiv Atom feed as candidates; an API error feed raises ServiceError."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise ServiceError(NAME, f"the answer is not an Atom feed ({exc})") from exc
    candidates = []
    for entry in root.findall("a:entry", _NS):
        raw_id = _text(entry, "a:id")
        if "/api/errors" in raw_id:
            raise ServiceError(NAME, f"the API refused the query: {_text(entry, 'a:summary') or raw_id}")
        title = _text(entry, "a:title")
        parsed = parse_arxiv_id(raw_id.rsplit("/abs/", 1)[-1])
        if not title or not parsed:
            continue
        arxiv_id, _version = parsed
        published = _text(entry, "a:published")[:10]
        authors = tuple(name for name in (_text(a, "a:name") for a in entry.findall("a:author", _NS)) if name)
        primary = entry.find("arxiv:primary_category", _NS)
        candidates.append(Candidate(
            NAME, raw_id.rsplit("/abs/", 1)[-1], title, authors,
            int(published[:4]) if published[:4].isdigit() else None, published or None, arxiv_id,
            doi=_text(entry, "arxiv:doi") or None,
            primary_class=primary.get("term") if primary is not None else None))
    return candidates


def title_query(title: str) -> str:
    """`ti:word AND ti:word ...` on the title's significant words (phrases break on punctuation)."""
    words = [w for w in normalise(title).split() if w not in _STOP and len(w) > 1]
    words = list(dict.fromkeys(words))[:_QUERY_WORDS]
    return " AND ".join(f"ti:{w}" for w in words)


def by_ids(api: Client, ids: Sequence[str]) -> list[Candidate]:
    found: list[Candidate] = []
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        response = api.request("GET", params={"id_list": ",".join(batch), "max_results": len(batch)})
        found.extend(parse_feed(response.content))
    return found


def search(api: Client, title: str) -> tuple[str, list[Candidate]]:
    query = title_query(title)
    if not query:
        return query, []
    response = api.request("GET", params={"search_query": query, "start": 0, "max_results": SEARCH_RESULTS})
    return query, parse_feed(response.content)


def bare_id(text: str) -> str:
    return re.sub(r"v\d+$", "", text)
