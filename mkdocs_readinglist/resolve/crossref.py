"""Crossref REST API: a DOI for a published paper, by `query.bibliographic` on its title.

https://api.crossref.org/swagger-ui/index.html; a `mailto` (READINGLIST_CONTACT) puts requests
in the polite pool. One request per second.
"""

from __future__ import annotations

import os
from typing import Any

from ..latex.html_markup import markup_text
from .http import Client, answer_shape, env_url
from .match import Candidate

NAME = "crossref"
DEFAULT_URL = "https://api.crossref.org"
INTERVAL = 1.0


def client() -> Client:
    return Client(NAME, env_url(NAME, DEFAULT_URL), INTERVAL)


def _name(author: dict[str, Any]) -> str:
    return " ".join(p for p in (author.get("given"), author.get("family")) if p) or str(author.get("name") or "")


def candidate(item: dict[str, Any]) -> Candidate | None:
    titles = item.get("title") or []
    if not titles or not item.get("DOI"):
        return None
    parts = ((item.get("issued") or {}).get("date-parts") or [[None]])[0]
    year = parts[0] if parts and isinstance(parts[0], int) else None
    return Candidate(NAME, str(item["DOI"]), markup_text(str(titles[0])),  # JATS: `Q&amp;A`, `<i>`, MathML
                     tuple(n for n in (_name(a) for a in item.get("author") or []) if n), year,
                     doi=str(item["DOI"]))


def search(api: Client, title: str) -> tuple[str, list[Candidate]]:
    params: dict[str, Any] = {"query.bibliographic": title, "rows": 5,
                              "select": "DOI,title,author,issued,container-title,type"}
    contact = os.environ.get("READINGLIST_CONTACT")
    if contact:
        params["mailto"] = contact
    data = api.get_json("/works", params)
    with answer_shape(NAME, "/works"):
        items = (data.get("message") or {}).get("items") or []
        return title, [c for c in (candidate(i) for i in items) if c]
