"""OpenReview API v2: a venue's accepted papers listed once, titles matched locally.

`GET /notes?content.venueid=ICLR.cc/2025/Conference` gives only accepted papers (rejected and
withdrawn submissions carry another venueid, `.../Rejected_Submission`, `.../Withdrawn_Submission`);
a note whose venue text still says submitted, rejected or withdrawn is skipped too.
"""

from __future__ import annotations

from typing import Any

from .http import Client, answer_shape, env_url
from .match import Candidate

NAME = "openreview"
DEFAULT_URL = "https://api2.openreview.net"
SITE = "https://openreview.net"
INTERVAL = 1.0
PAGE = 1000
VENUE_IDS = {"ICLR": "ICLR.cc/{year}/Conference", "NeurIPS": "NeurIPS.cc/{year}/Conference",
             "NIPS": "NeurIPS.cc/{year}/Conference", "TMLR": "TMLR", "COLM": "colmweb.org/COLM/{year}/Conference"}
_NOT_ACCEPTED = ("submitted", "rejected", "withdrawn", "desk")


def client() -> Client:
    return Client(NAME, env_url(NAME, DEFAULT_URL), INTERVAL)


def venue_id(venue: str) -> str | None:
    """`ICLR 2025` -> `ICLR.cc/2025/Conference`; None for venues not on OpenReview."""
    name, _, year = venue.rpartition(" ")
    if not year.isdigit() or name not in VENUE_IDS:
        return None
    return VENUE_IDS[name].format(year=year)


def _value(content: dict[str, Any], name: str) -> Any:
    item = content.get(name)
    return item.get("value") if isinstance(item, dict) else item


def candidate(note: dict[str, Any], wanted: str, venue: str) -> Candidate | None:
    content = note.get("content") or {}
    title = _value(content, "title")
    if not title or _value(content, "venueid") != wanted:
        return None
    if any(word in str(_value(content, "venue") or "").lower() for word in _NOT_ACCEPTED):
        return None
    forum = str(note.get("forum") or note.get("id") or "")
    urls = [("openreview", f"{SITE}/forum?id={forum}")]
    authors = tuple(str(a) for a in _value(content, "authors") or [])
    year = int(venue.rsplit(" ", 1)[1])
    return Candidate(NAME, forum, " ".join(str(title).split()), authors, year, None, None, venue, urls=tuple(urls))


def accepted(api: Client, venue: str) -> tuple[str, list[Candidate]]:
    """Every accepted paper of a venue (`ICLR 2025`), page by page."""
    wanted = venue_id(venue)
    if not wanted:
        return "", []
    found: list[Candidate] = []
    offset = 0
    while True:
        data = api.get_json("/notes", {"content.venueid": wanted, "limit": PAGE, "offset": offset})
        with answer_shape(NAME, "/notes"):
            if "notes" not in data:  # an error object ({"name": "RateLimitError", ...}) answered with 200
                raise ValueError(f"no `notes`: {str(data.get('message') or data.get('name') or data)[:80]}")
            notes = data.get("notes") or []
            found.extend(c for c in (candidate(n, wanted, venue) for n in notes) if c)
        offset += len(notes)
        total = data.get("count")
        if not notes or len(notes) < PAGE or (isinstance(total, int) and offset >= total):
            break
    return f"content.venueid={wanted}", found
