"""Services answering wrongly with a success or a 404: arXiv's empty feeds and HTML pages, ids it
refuses, a JSON service at a wrong address, well-formed JSON of another shape, a Retry-After of an
hour. None of them may leave "not found" in resolved.yml or a traceback: the run fails in one clear
line (and the next run asks again), or skips one paper with a warning naming it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mkdocs_readinglist.enrich.resolved import read_resolution
from mkdocs_readinglist.model import Paper, SourceRef
from mkdocs_readinglist.resolve import arxiv, http
from mkdocs_readinglist.resolve.http import ServiceError
from mkdocs_readinglist.resolve.run import Resolver

from .resolve_servers import (
    Answer,
    ArxivPaper,
    FakeArxiv,
    Published,
    World,
    atom_error,
    atom_feed,
    closed_port,
    json_answer,
    serve,
)

POSEFLOW = "PoseFlow: Rectified Flow for Whole-Body Pose Estimation"
HANDDIFF = "HandDiff: Diffusion for 3D Hand Reconstruction"
SERVED = [ArxivPaper("2511.00002v2", POSEFLOW, ("Alice Smith", "Bob Jones"), "2025-11-03"),
          ArxivPaper("2511.00003v1", HANDDIFF, ("Dan Lee",), "2025-11-04"),
          ArxivPaper("hep-th/9901001v2", "Strings in Every Dimension", ("Old Timer",), "1999-01-01", "hep-th")]
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}


def _by_id(arxiv_id: str, line: int = 1) -> Paper:
    return Paper(id=f"arxiv:{arxiv_id}", title=None, arxiv_id=arxiv_id, provenance=(SourceRef("bib/refs.bib", line),))


def _titled(title: str) -> Paper:
    return Paper(id=f"title:{title.lower()}", title=title, year=2025)


@pytest.fixture(autouse=True)
def _no_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINGLIST_RESOLVE_DELAY", "0")


def _run(tmp_path: Path, papers: list[Paper], services: list[str]) -> tuple[Resolver, dict[str, object]]:
    path = tmp_path / "resolved.yml"
    resolver = Resolver(path, dict(read_resolution(path).papers), services, today="2026-11-25")
    resolver.run(papers)
    return resolver, dict(read_resolution(path).papers)


# -- arXiv: empty feeds, HTML pages, ids it refuses ---------------------------------------------------

def test_an_empty_arxiv_feed_or_an_html_page_is_a_failure_never_not_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    papers = [_by_id("2511.00002"), _by_id("2511.00003"), _titled(HANDDIFF)]
    healthy = FakeArxiv(SERVED)
    answers = {"empty": lambda q: (200, ATOM, atom_feed([], "id_list", 0)),
               "html": lambda q: (200, {"Content-Type": "text/html"},
                                  b"<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>")}
    for name, answer in answers.items():
        with serve(lambda m, p, q, b, answer=answer: answer(q)) as (url, log):  # type: ignore[misc]
            monkeypatch.setenv("READINGLIST_ARXIV_API", url)
            resolver, entries = _run(tmp_path, papers, ["arxiv"])
        failure = resolver.summary.failed["arxiv"]
        assert entries == {} and resolver.summary.not_found["arxiv"] == 0, name  # nothing recorded as not found
        if name == "empty":  # asked again once, then one clear line
            assert log.count() == 2 and "answered twice without any of the 2 ids asked" in failure
        else:
            assert log.count() == 1 and "not an Atom feed (its root is <html>)" in failure
    # the next run asks again (nothing was recorded), and gets the answers
    with serve(healthy) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        resolver, entries = _run(tmp_path, papers, ["arxiv"])
    assert not resolver.summary.failed and resolver.summary.found["arxiv"] == 3 and log.count() == 2


def test_an_id_missing_from_an_answer_is_asked_again_and_never_recorded_as_not_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeArxiv(SERVED)
    forgetful = {"left": 1}

    def route(method: str, path: str, query: dict[str, list[str]], body: bytes) -> Answer:
        if "id_list" in query and forgetful["left"]:  # the first answer lacks 2511.00003, as arXiv's do at times
            forgetful["left"] -= 1
            return 200, ATOM, atom_feed([SERVED[0]], "id_list", 1)
        return api(method, path, query, body)

    with serve(route) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        resolver, entries = _run(tmp_path, [_by_id("2511.00002"), _by_id("2511.00003"), _by_id("2511.00099")],
                                 ["arxiv"])
    assert [r[3]["id_list"][0] for r in log.requests] == ["2511.00002,2511.00003,2511.00099", "2511.00003,2511.00099"]
    assert set(entries) == {"arxiv:2511.00002", "arxiv:2511.00003"}  # both found; the unknown id not recorded
    assert not resolver.summary.failed and resolver.summary.not_found["arxiv"] == 0
    [warning] = resolver.summary.diagnostics
    assert warning.code == "resolve-id" and "`2511.00099` is missing from arXiv's answers" in warning.message


def test_a_search_feed_saying_it_has_results_but_holding_none_is_asked_again_then_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(lambda m, p, q, b: (200, ATOM, atom_feed([], "q", total=7))) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        with pytest.raises(ServiceError, match=r"said 7 results .* but sent none, twice"):
            arxiv.search(arxiv.client(), HANDDIFF)
    assert log.count() == 2


def test_an_id_arxiv_refuses_is_skipped_with_a_warning_and_the_others_are_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeArxiv(SERVED)

    def route(method: str, path: str, query: dict[str, list[str]], body: bytes) -> Answer:
        ids = query.get("id_list", [""])[0].split(",")
        for bad in ("quantph/0201082", "math/0000001"):
            if bad in ids:  # arXiv's error feed names the id it cannot read
                return 200, ATOM, atom_error(f"incorrect id format for {bad}", f"incorrect_id_format_for_{bad}")
        if "cs/9912001" in ids:  # ... or names none
            return 200, ATOM, atom_error("malformed id_list", "malformed")
        return api(method, path, query, body)

    papers = [_by_id("2511.00002", 3), _by_id("quantph/0201082", 9), _by_id("math/0000001", 12),
              _by_id("hep-th/9901001", 15), _by_id("cs/9912001", 18), _by_id("2511.00003", 21)]
    with serve(route) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        resolver, entries = _run(tmp_path, papers, ["arxiv"])
        again = log.count()
        resolver, _ = _run(tmp_path, papers, ["arxiv"])  # the next run asks only the skipped papers
    assert not resolver.summary.failed
    assert set(entries) == {"arxiv:2511.00002", "arxiv:hep-th/9901001", "arxiv:2511.00003"}
    assert all(entries[i].found for i in entries)  # type: ignore[attr-defined]
    assert all("quantph" not in r[3]["id_list"][0] for r in log.requests)  # never sent: no such archive
    warnings = [d.format() for d in resolver.summary.diagnostics]
    assert warnings == [
        "bib/refs.bib:9: warning[resolve-id]: arxiv: `quantph/0201082` is not an arXiv id (`quantph` is not one "
        "of arXiv's archives); the paper is not asked about",
        "bib/refs.bib:12: warning[resolve-id]: arxiv: the API refused the id `math/0000001` (the API refused the "
        "query: incorrect id format for math/0000001); the paper is not asked about",
        "bib/refs.bib:18: warning[resolve-id]: arxiv: the API refused the id `cs/9912001` (the API refused the "
        "query: malformed id_list); the paper is not asked about"]
    assert log.count() > again  # asked again about the two refused ids, not about the ones answered
    assert all("2511.00002" not in r[3]["id_list"][0] for r in log.requests[again:])


# -- the JSON services: 404s, shapes ------------------------------------------------------------------

WORLD_PAPERS = [Published(HANDDIFF, ("Dan Lee",), 2025, arxiv_id="2511.00003", doi="10.1/hd", venue_full="CVPR",
                          dblp_venue="CVPR")]


def _world_env(monkeypatch: pytest.MonkeyPatch, world: World, url: str) -> None:
    for name, value in world.env(url).items():
        monkeypatch.setenv(name, value)


def test_a_json_service_at_a_wrong_address_fails_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = World([], WORLD_PAPERS)
    world.fail["semantic_scholar"] = lambda: (404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>")
    world.fail["dblp"] = lambda: json_answer({"error": "Not Found"}, 404)  # a search is never "no such paper"
    papers = [_titled(HANDDIFF), Paper(id="title:x", title="Nothing Like This At All", venue="CVPR 2025")]
    with serve(world) as (url, _):
        _world_env(monkeypatch, world, url)
        resolver, entries = _run(tmp_path, papers, ["semantic_scholar", "dblp", "crossref"])
    failed = resolver.summary.failed
    assert set(failed) == {"semantic_scholar", "dblp"} and resolver.summary.asked["crossref"] == 1
    assert "answered HTTP 404 Not Found: no such address; is READINGLIST_SEMANTIC_SCHOLAR_API" in failed["semantic_scholar"]
    assert "/paper/search/match answered" in failed["semantic_scholar"] and "?" not in failed["semantic_scholar"][:-1]
    assert list(entries) == ["title:x"] and entries["title:x"].not_found == ("crossref",)  # type: ignore[attr-defined]


def test_a_documented_404_is_no_such_paper_and_all_of_them_are_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = World([], [])  # knows nothing: Semantic Scholar's match and Hugging Face's papers answer JSON 404s
    papers = [_by_id("2511.00002"), _by_id("2511.00003"), _titled("Nothing Like This At All")]
    with serve(world) as (url, _):
        _world_env(monkeypatch, world, url)
        resolver, entries = _run(tmp_path, papers, ["huggingface", "semantic_scholar"])
    assert set(entries) == {p.id for p in papers}  # recorded as not found: the API says so
    assert not resolver.summary.failed
    assert resolver.summary.not_found["huggingface"] == 2 and resolver.summary.not_found["semantic_scholar"] == 3
    [warning] = resolver.summary.diagnostics  # semantic_scholar's batch answered 200 with nulls: not all 404s
    assert warning.code == "resolve-all-absent" and warning.file == world.env(url)["READINGLIST_HUGGINGFACE_API"]
    assert warning.message.startswith("huggingface: all 2 answers were HTTP 404")


@pytest.mark.parametrize(("service", "answer"), [
    ("semantic_scholar", {"data": [{"paperId": "x", "title": HANDDIFF, "authors": ["Dan Lee"], "year": 2025}]}),
    ("dblp", {"result": {"hits": {"@total": "1", "hit": [{"info": {
        "title": HANDDIFF + ".", "authors": "Dan Lee", "venue": "CVPR", "year": "2025",
        "type": "Conference and Workshop Papers", "key": "conf/cvpr/Lee25"}}]}}}),
    ("crossref", {"status": "ok", "message": ["not", "an", "object"]}),
    ("openreview", {"name": "RateLimitError", "message": "Too many requests", "status": 429}),
])
def test_json_of_an_unexpected_shape_is_one_line_and_the_next_services_are_asked(
        service: str, answer: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = World([], [])  # knows none of them: each service's own answer is "nothing"
    world.fail[service] = lambda: json_answer(answer)
    papers = [_titled(HANDDIFF),  # asked by semantic_scholar and dblp
              Paper(id="title:iclr", title="Flow Matching for Poses", year=2025, venue="ICLR 2025"),  # openreview
              Paper(id="title:cvpr", title="Gait Sets for Everyone", year=2025, venue="CVPR 2025")]  # crossref
    services = ["semantic_scholar", "dblp", "openreview", "crossref"]
    with serve(world) as (url, _):
        _world_env(monkeypatch, world, url)
        resolver, _ = _run(tmp_path, papers, services)
    summary = resolver.summary
    assert set(summary.failed) == {service}
    assert "answered JSON of an unexpected shape" in summary.failed[service] and "\n" not in summary.failed[service]
    assert all(summary.asked[other] for other in services if other != service)  # the others still asked


# -- Retry-After, counts ------------------------------------------------------------------------------

def test_a_retry_after_beyond_the_limit_is_reported_not_obeyed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_RETRY_AFTER", 1.5)  # the test's "hour": anything above is not waited for
    with serve(lambda m, p, q, b: (429, {"Retry-After": "2", "Content-Type": "text/plain"}, b"slow down")) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        api = arxiv.client()
        with pytest.raises(ServiceError, match=r"HTTP 429 .* asking to wait 2 s \(Retry-After\); not waiting more "
                                               r"than 1.5 s$"):
            arxiv.search(api, HANDDIFF)
    assert log.count() == 1 and api.stats.tries == 1


def test_the_requests_column_counts_every_try(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(lambda m, p, q, b: (503, {"Content-Type": "text/html"}, b"<html>down</html>")) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        resolver, _ = _run(tmp_path, [_titled(HANDDIFF)], ["arxiv"])
    assert log.count() == 4 and resolver.summary.requests["arxiv"] == 4 and "HTTP 503" in resolver.summary.failed["arxiv"]


# -- the command: warnings, --strict, the summary, Ctrl-C ---------------------------------------------

BIB = """@article{good,
  title = {PoseFlow: Rectified Flow for Whole-Body Pose Estimation},
  eprint = {2511.00002},
  archivePrefix = {arXiv},
  year = {2025},
}

@article{bad,
  title = {Entanglement in Old Systems},
  eprint = {quantph/0201082},
  archivePrefix = {arXiv},
  year = {2002},
}

@inproceedings{hand,
  title = {HandDiff: Diffusion for 3D Hand Reconstruction},
  author = {Lee, Dan},
  booktitle = {CVPR},
  year = {2025},
  month = {foo},
}
"""


def _cli(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs_readinglist.cli", "resolve", "bib", *args], cwd=project,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "READINGLIST_RESOLVE_DELAY": "0", **env})


def test_resolve_shows_warnings_honours_strict_and_counts_papers_still_to_ask(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "refs.bib").write_text(BIB, encoding="utf-8")
    with serve(FakeArxiv(SERVED)) as (url, _):
        env = {"READINGLIST_ARXIV_API": url, "READINGLIST_DBLP_API": closed_port()}
        first = _cli(tmp_path, env, "--services", "arxiv")
        strict = _cli(tmp_path, env, "--services", "arxiv", "--strict")
        failing = _cli(tmp_path, env, "--services", "arxiv,dblp")
    assert first.returncode == 0, first.stderr
    assert "bib/refs.bib:20: warning[bad-month]" in first.stderr  # the sources' own warnings, as `check` shows
    assert "bib/refs.bib:8: warning[resolve-id]: arxiv: `quantph/0201082` is not an arXiv id" in first.stderr
    assert "3 papers: 2 with facts found, 0 pending review, 0 with nothing found, 1 still to ask" in first.stdout
    assert strict.returncode == 1 and "warning[resolve-id]" in strict.stderr
    assert failing.returncode == 1 and "error: dblp: cannot connect to" in failing.stderr
    # dblp failed for everyone it would ask (the two papers without a venue), and quantph/... stays to ask
    assert "0 with nothing found, 2 still to ask" in failing.stdout
    assert re.search(r"^dblp +0 +0 +0 +0 +4 +FAILED$", failing.stdout, re.MULTILINE), failing.stdout


def test_ctrl_c_before_any_answer_says_nothing_was_written(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "refs.bib").write_text(BIB, encoding="utf-8")
    import threading

    release = threading.Event()

    def hang(method: str, path: str, query: dict[str, list[str]], body: bytes) -> Answer:
        release.wait(30)
        return 503, {}, b""

    try:
        with serve(hang) as (url, log):
            process = subprocess.Popen(
                [sys.executable, "-m", "mkdocs_readinglist.cli", "resolve", "bib", "--services", "arxiv"],
                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "READINGLIST_ARXIV_API": url, "READINGLIST_RESOLVE_DELAY": "0"},
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in test_resolve_faults
            deadline = time.monotonic() + 120
            while log.count() < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
            release.set()
    finally:
        release.set()
    assert process.returncode == 130
    assert "interrupted: nothing was found yet, nothing written; run the same command again" in stderr
    assert not (tmp_path / "bib" / "resolved.yml").exists()


def test_a_retry_after_that_names_no_wait_is_retried_with_the_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Retry-After: soon` (no number, no date): urllib3's parse raised InvalidHeader and the
    service failed on it; it names no wait, so the retry waits the backoff's and asks again."""
    answers = iter([(503, {"Retry-After": "soon", "Content-Type": "text/plain"}, b"busy")])

    def answer(m: str, p: str, q: object, b: bytes) -> tuple[int, dict[str, str], bytes]:
        return next(answers, (200, {"Content-Type": "application/atom+xml"}, atom_feed([], "q", 0)))

    with serve(answer) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        api = arxiv.client()
        arxiv.search(api, HANDDIFF)
    assert log.count() == 2 and api.stats.tries == 2
