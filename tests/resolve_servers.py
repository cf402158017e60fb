"""Local stand-ins for the services `readinglist resolve` asks, on 127.0.0.1 (port 0), answering
in each service's real response format (taken from the APIs' documentation: the arXiv API user
manual's Atom example, Semantic Scholar's Graph API reference, DBLP's search API, OpenReview's
API v2 notes, Crossref's REST works list, the Hugging Face papers API)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from mkdocs_readinglist.resolve.match import normalise

Answer = tuple[int, dict[str, str], bytes]
Route = Callable[[str, str, dict[str, list[str]], bytes], Answer]


@dataclass
class Log:
    requests: list[tuple[float, str, str, dict[str, list[str]]]] = field(default_factory=list)  # (time, method, path, query)
    user_agents: list[str] = field(default_factory=list)

    def count(self, path_part: str = "") -> int:
        return sum(1 for r in self.requests if path_part in r[2])


@contextmanager
def serve(route: Route) -> Iterator[tuple[str, Log]]:
    """An HTTP server on 127.0.0.1 (an ephemeral port) answering with `route`; yields its base URL and log."""
    log = Log()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            query = parse_qs(parts.query)
            log.requests.append((time.monotonic(), self.command, parts.path, query))
            log.user_agents.append(self.headers.get("User-Agent", ""))
            status, headers, payload = route(self.command, parts.path, query, body)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = _answer
        do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> str:
    """A URL on 127.0.0.1 where nothing listens (a port bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def json_answer(data: object, status: int = 200) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()


# -- arXiv -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArxivPaper:
    arxiv_id: str  # with version: 2501.01234v2
    title: str
    authors: tuple[str, ...]
    published: str  # 2025-01-02
    primary: str = "cs.CV"
    doi: str | None = None
    summary: str = "An abstract."


_ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(entries: list[ArxivPaper], query: str, total: int | None = None) -> bytes:
    """An arXiv API answer, laid out as the API user manual's example feed."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<feed xmlns="{_ATOM}">',
           f'  <link href="http://arxiv.org/api/query?{escape(query)}" rel="self" type="application/atom+xml"/>',
           f'  <title type="html">ArXiv Query: {escape(query)}</title>',
           "  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>",
           "  <updated>2026-11-24T00:00:00-05:00</updated>",
           '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
           f"{len(entries) if total is None else total}</opensearch:totalResults>",
           '  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>',
           f'  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(entries)}'
           "</opensearch:itemsPerPage>"]
    for paper in entries:
        # arXiv wraps long titles over lines with two spaces of indent, as the example shows.
        words = paper.title.split(" ")
        title = " ".join(words[:6]) + ("\n  " + " ".join(words[6:]) if len(words) > 6 else "")
        out += ["  <entry>",
                f"    <id>http://arxiv.org/abs/{paper.arxiv_id}</id>",
                f"    <published>{paper.published}T17:59:59Z</published>",
                f"    <updated>{paper.published}T17:59:59Z</updated>",
                f"    <title>{escape(title)}</title>",
                f"    <summary>  {escape(paper.summary)}\n</summary>"]
        out += [f"    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in paper.authors]
        if paper.doi:
            out.append(f'    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">{escape(paper.doi)}</arxiv:doi>')
        out += [f'    <link href="http://arxiv.org/abs/{paper.arxiv_id}" rel="alternate" type="text/html"/>',
                f'    <link title="pdf" href="http://arxiv.org/pdf/{paper.arxiv_id}" rel="related" '
                'type="application/pdf"/>',
                f'    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{paper.primary}" '
                'scheme="http://arxiv.org/schemas/atom"/>',
                f'    <category term="{paper.primary}" scheme="http://arxiv.org/schemas/atom"/>',
                "  </entry>"]
    out.append("</feed>")
    return "\n".join(out).encode()


def atom_error(message: str, slug: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="{_ATOM}">\n'
            '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1'
            "</opensearch:totalResults>\n"
            f"  <entry>\n    <id>http://arxiv.org/api/errors#{slug}</id>\n    <title>Error</title>\n"
            f"    <summary>{escape(message)}</summary>\n  </entry>\n</feed>").encode()


class FakeArxiv:
    """The arXiv API over a fixed set of papers: `id_list` and `search_query` (`ti:w AND ti:w`)."""

    def __init__(self, papers: list[ArxivPaper]) -> None:
        self.papers = papers
        self.by_id = {p.arxiv_id.rsplit("v", 1)[0]: p for p in papers}
        self.words = [(set(normalise(p.title).split()), p) for p in papers]

    def __call__(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> Answer:
        headers = {"Content-Type": "application/atom+xml; charset=utf-8"}
        raw_query = "&".join(f"{k}={v[0]}" for k, v in query.items())
        limit = int(query.get("max_results", ["10"])[0])
        if "id_list" in query:
            ids = [i for i in query["id_list"][0].split(",") if i]
            found = [self.by_id[i] for i in ids if i in self.by_id]
            return 200, headers, atom_feed(found, raw_query)
        terms = query.get("search_query", [""])[0]
        wanted = [t.strip()[3:] for t in terms.split(" AND ") if t.strip().startswith("ti:")]
        if not wanted:
            return 400, headers, atom_error("malformed query", "malformed_query")
        # arXiv's search engine stems words; a plural matching its singular stands in for that
        hits = [p for words, p in self.words if all(w in words or w.rstrip("s") in {x.rstrip("s") for x in words}
                                                    for w in wanted)]
        hits.sort(key=lambda p: p.arxiv_id, reverse=True)  # no help from the order: newest ids first
        return 200, headers, atom_feed(hits[:limit], raw_query, len(hits))


# -- the JSON services -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    """A paper as the JSON services know it (each answers with its own part)."""

    title: str
    authors: tuple[str, ...]
    year: int
    arxiv_id: str | None = None
    doi: str | None = None
    venue_full: str | None = None  # Semantic Scholar's `venue`
    dblp_venue: str | None = None  # DBLP's short venue, `ICLR`
    dblp_type: str = "Conference and Workshop Papers"
    openreview: tuple[str, str, str] | None = None  # (forum id, venueid, venue text)
    github: str | None = None
    project: str | None = None


def s2_paper(p: Published) -> dict[str, Any]:
    ids: dict[str, Any] = {"CorpusId": 1000 + len(p.title)}
    if p.arxiv_id:
        ids["ArXiv"] = p.arxiv_id
    if p.doi:
        ids["DOI"] = p.doi
    if p.dblp_venue:
        ids["DBLP"] = f"conf/{p.dblp_venue.lower()}/{p.authors[0].split()[-1]}{p.year % 100}"
    return {"paperId": f"{abs(hash(p.title)) % 10**12:040x}"[:40], "externalIds": ids, "title": p.title,
            "venue": p.venue_full or ("arXiv.org" if p.arxiv_id else ""),
            "publicationVenue": {"id": "x", "name": p.venue_full, "type": "conference"} if p.venue_full else None,
            "year": p.year, "publicationDate": f"{p.year}-05-01",
            "authors": [{"authorId": str(i), "name": a} for i, a in enumerate(p.authors)]}


class World:
    """Every service on one local server, each under its own path prefix."""

    prefixes: ClassVar[dict[str, str]] = {"arxiv": "/arxiv/api/query", "semantic_scholar": "/s2/graph/v1", "dblp": "/dblp/search/publ/api",
                "openreview": "/openreview", "crossref": "/crossref", "huggingface": "/hf/api"}

    def __init__(self, arxiv: list[ArxivPaper], published: list[Published]) -> None:
        self.arxiv = FakeArxiv(arxiv)
        self.published = published
        self.fail: dict[str, Callable[[], Answer | None]] = {}  # service -> answer instead (fault injection)

    def env(self, base: str) -> dict[str, str]:
        return {f"READINGLIST_{name.upper()}_API": base + prefix for name, prefix in self.prefixes.items()}

    def _similar(self, text: str) -> list[Published]:
        words = set(normalise(text).split())
        return [p for p in self.published if len(words & set(normalise(p.title).split())) >= max(1, len(words) // 2)]

    def __call__(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> Answer:
        service = next(name for name, prefix in self.prefixes.items() if path.startswith(prefix))
        fault = self.fail.get(service)
        if fault is not None:
            answer = fault()
            if answer is not None:
                return answer
        rest = path[len(self.prefixes[service]):]
        if service == "arxiv":
            return self.arxiv(method, rest, query, body)
        if service == "semantic_scholar":
            if rest == "/paper/search/match":
                hits = [p for p in self.published if normalise(p.title) == normalise(query["query"][0])]
                if not hits:
                    return json_answer({"error": "Title match not found"}, 404)
                return json_answer({"data": [{**s2_paper(hits[0]), "matchScore": 212.5}]})
            if rest == "/paper/batch":
                asked = json.loads(body)["ids"]
                by = {f"ARXIV:{p.arxiv_id}": p for p in self.published if p.arxiv_id}
                by.update({f"DOI:{p.doi}": p for p in self.published if p.doi})
                return json_answer([s2_paper(by[i]) if i in by else None for i in asked])
        if service == "dblp":
            assert "q" in query, (path, query)
            hits = [p for p in self._similar(query["q"][0]) if p.dblp_venue]
            return json_answer({"result": {"query": query["q"][0], "status": {"@code": "200", "text": "OK"},
                                           "hits": {"@total": str(len(hits)), "@computed": str(len(hits)),
                                                    "@sent": str(len(hits)), "@first": "0",
                                                    "hit": [self._dblp_hit(p) for p in hits]}}})
        if service == "openreview" and rest == "/notes":
            wanted = query["content.venueid"][0]
            notes = [self._note(p) for p in self.published if p.openreview and p.openreview[1] == wanted]
            offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["1000"])[0])
            return json_answer({"notes": notes[offset:offset + limit], "count": len(notes)})
        if service == "crossref" and rest == "/works":
            hits = [p for p in self._similar(query["query.bibliographic"][0]) if p.doi]
            return json_answer({"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                                "message": {"total-results": len(hits), "items-per-page": 5, "items": [
                                    {"DOI": p.doi, "title": [p.title], "type": "proceedings-article", "score": 80.1,
                                     "author": [{"given": a.split()[0], "family": a.split()[-1], "sequence": "first"}
                                                for a in p.authors],
                                     "issued": {"date-parts": [[p.year, 6, 1]]},
                                     "container-title": [p.venue_full or ""]} for p in hits]}})
        if service == "huggingface" and rest.startswith("/papers/"):
            wanted_id = rest.rsplit("/", 1)[1]
            hit = next((p for p in self.published if p.arxiv_id == wanted_id), None)
            if hit is None:
                return json_answer({"error": "Paper not found"}, 404)
            return json_answer({"id": wanted_id, "title": hit.title, "summary": "An abstract.",
                                "publishedAt": f"{hit.year}-02-06T18:59:58.000Z", "upvotes": 3, "numComments": 0,
                                "authors": [{"_id": str(i), "name": a, "hidden": False} for i, a in enumerate(hit.authors)],
                                **({"githubRepo": hit.github} if hit.github else {}),
                                **({"projectPage": hit.project} if hit.project else {})})
        return json_answer({"error": f"no route {path}"}, 404)

    @staticmethod
    def _dblp_hit(p: Published) -> dict[str, Any]:
        info: dict[str, Any] = {
            "authors": {"author": [{"@pid": f"00/{i}", "text": a} for i, a in enumerate(p.authors)]},
            "title": p.title + ".", "venue": p.dblp_venue, "year": str(p.year), "type": p.dblp_type,
            "key": f"conf/{str(p.dblp_venue).lower()}/{p.authors[0].split()[-1]}{p.year % 100}",
            "url": "https://dblp.org/rec/x"}
        if p.doi:
            info["doi"] = p.doi
        if p.openreview:
            info["ee"] = f"https://openreview.net/forum?id={p.openreview[0]}"
        return {"@score": "7", "@id": "123", "info": info, "url": "URL#123"}

    @staticmethod
    def _note(p: Published) -> dict[str, Any]:
        assert p.openreview is not None
        forum, venueid, venue = p.openreview
        return {"id": forum, "forum": forum, "number": 17, "cdate": 1727000000000, "invitations": [f"{venueid}/-/Submission"],
                "content": {"title": {"value": p.title}, "authors": {"value": list(p.authors)},
                            "venue": {"value": venue}, "venueid": {"value": venueid},
                            "pdf": {"value": f"/pdf/{forum}.pdf"}}}
