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
from typing import Any
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
        hits = [p for words, p in self.words if all(w in words for w in wanted)]
        hits.sort(key=lambda p: p.arxiv_id, reverse=True)  # no help from the order: newest ids first
        return 200, headers, atom_feed(hits[:limit], raw_query, len(hits))
