"""The arXiv API (Atom 1.0 feed): `id_list` batches for known ids, `search_query` on title words.

https://info.arxiv.org/help/api/user-manual.html: one request every 3 seconds, one connection.
The feed is parsed with defusedxml's ElementTree (no entity expansion from a remote document).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

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
# The archives of arXiv's old-style ids (`hep-th/9901001`), from its identifier scheme: the only
# names before the slash arXiv knows (any other, `quantph/...`, makes it refuse the whole id_list).
ARCHIVES = frozenset([
    "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn", "chem-ph",
    "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex", "hep-lat", "hep-ph",
    "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph",
    "q-alg", "q-bio", "q-fin", "quant-ph", "solv-int", "stat", "supr-con"])


def client() -> Client:
    return Client(NAME, env_url(NAME, DEFAULT_URL), INTERVAL)


def _text(element: object, path: str) -> str:
    found = element.find(path, _NS)  # type: ignore[attr-defined]
    return " ".join((found.text or "").split()) if found is not None else ""


@dataclass(frozen=True, slots=True)
class Feed:
    candidates: list[Candidate]
    total: int | None  # opensearch:totalResults: how many results the query has in all


class Refused(ServiceError):
    """arXiv's error feed: the API refused the query (a malformed id, a bad search)."""


def read_feed(text: str | bytes) -> Feed:
    """An arXiv Atom feed: its entries as candidates and its totalResults. Anything else (an HTML
    page, a truncated feed) raises ServiceError; an API error feed raises Refused."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise ServiceError(NAME, f"the answer is not an Atom feed ({exc})") from exc
    if root.tag != f"{{{_NS['a']}}}feed":
        raise ServiceError(NAME, f"the answer is not an Atom feed (its root is <{root.tag.rsplit('}', 1)[-1]}>)")
    candidates = []
    for entry in root.findall("a:entry", _NS):
        raw_id = _text(entry, "a:id")
        if "/api/errors" in raw_id:
            raise Refused(NAME, f"the API refused the query: {_text(entry, 'a:summary') or raw_id}")
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
    total = _text(root, "os:totalResults")
    return Feed(candidates, int(total) if total.isdigit() else None)


def parse_feed(text: str | bytes) -> list[Candidate]:
    """The entries of an arXiv Atom feed as candidates; an API error feed raises ServiceError."""
    return read_feed(text).candidates


def known_id(arxiv_id: str) -> str:
    """Why arXiv cannot have this id ("" when it may): an old-style id's archive must be one of
    arXiv's (`quant-ph/0201082`, not `quantph/0201082`)."""
    if "/" not in arxiv_id:
        return ""
    archive = arxiv_id.split("/", 1)[0].split(".", 1)[0]
    return "" if archive in ARCHIVES else f"`{archive}` is not one of arXiv's archives"


def title_query(title: str) -> str:
    """`ti:word AND ti:word ...` on the title's significant words (phrases break on punctuation)."""
    # a one-letter word says little; a one-digit number (`Pose Anything 2`) tells a sequel apart
    words = [w for w in normalise(title).split() if w not in _STOP and (len(w) > 1 or w.isdigit())]
    words = list(dict.fromkeys(words))[:_QUERY_WORDS]
    return " AND ".join(f"ti:{w}" for w in words)


@dataclass
class IdAnswer:
    """What arXiv said about a list of ids: the candidates, the ids it refused (with its reason)
    and the ids missing from its answers (asked twice)."""

    found: list[Candidate] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _ask_ids(api: Client, ids: list[str], answer: IdAnswer) -> list[Candidate]:
    """One `id_list` request; a refused list is asked again without the id arXiv names (or
    halved when it names none), so one bad id never stops the others."""
    try:
        response = api.request("GET", params={"id_list": ",".join(ids), "max_results": len(ids)})
        return read_feed(response.content).candidates
    except Refused as exc:
        if len(ids) == 1:
            answer.refused[ids[0]] = exc.message
            return []
        named = [i for i in ids if re.search(rf"(?<![\w./-]){re.escape(i)}(?![\w./-])", exc.message)]
        if named:
            for one in named:
                answer.refused[one] = exc.message
            rest = [i for i in ids if i not in named]
            return _ask_ids(api, rest, answer) if rest else []
        half = len(ids) // 2
        return _ask_ids(api, ids[:half], answer) + _ask_ids(api, ids[half:], answer)


def by_ids(api: Client, ids: Sequence[str]) -> IdAnswer:
    """`id_list` batches. arXiv now and then answers an empty feed (lukasschwab/arxiv.py#43,
    #129): ids missing from an answer are asked once more; a batch of several ids none of which
    comes back is a failure (ServiceError), never "not found"."""
    answer = IdAnswer()
    for start in range(0, len(ids), BATCH):
        batch = list(ids[start:start + BATCH])
        got = _ask_ids(api, batch, answer)
        seen = {c.arxiv_id for c in got}
        missing = [i for i in batch if i not in seen and i not in answer.refused]
        if missing:
            again = _ask_ids(api, missing, answer)
            got += again
            seen |= {c.arxiv_id for c in again}
            missing = [i for i in missing if i not in seen and i not in answer.refused]
        if len(missing) > 1 and not seen:
            shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
            raise ServiceError(NAME, f"{api.base_url} answered twice without any of the {len(missing)} ids asked "
                               f"({shown}); arXiv's API does this now and then: nothing recorded")
        answer.found.extend(got)
        answer.missing.extend(missing)
    return answer


def search(api: Client, title: str) -> tuple[str, list[Candidate]]:
    """A title search; a feed saying it has results but holding none (arXiv's empty pages) is
    asked once more, then a failure."""
    query = title_query(title)
    if not query:
        return query, []
    params = {"search_query": query, "start": 0, "max_results": SEARCH_RESULTS}
    for _ in range(2):
        feed = read_feed(api.request("GET", params=params).content)
        if feed.candidates or not feed.total:
            return query, feed.candidates
    raise ServiceError(NAME, f"{api.base_url} said {feed.total} results for `{query}` but sent none, twice; "
                       "arXiv's API does this now and then")


def bare_id(text: str) -> str:
    return re.sub(r"v\d+$", "", text)
