"""Services that misbehave: 429 with Retry-After, 503, a server that hangs, a run interrupted by
Ctrl-C. The command waits, retries, times out, says which service failed in one line, exits 1,
keeps everything it found, and the next run resumes without asking again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from mkdocs_readinglist.resolve import arxiv

from .helpers import copy_samples
from .resolve_servers import Answer, ArxivPaper, FakeArxiv, serve

PAPERS = [ArxivPaper("2507.19673v1", "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions",
                     ("Babak Taati", "Muhammad Muzammil"), "2025-07-31")]
# the samples' three title-less arXiv listing papers: arXiv knows every id it lists
PAPERS += [ArxivPaper(f"{arxiv_id}v1", f"Listed paper {arxiv_id}", ("Ann Author",), "2025-01-01")
           for arxiv_id in ("2507.02565", "2502.03836", "2404.11291")]


class Flaky:
    """The arXiv API, but answering `fault` from request number `start` on (1-based), `times` times."""

    def __init__(self, fault: str, start: int = 1, times: int = 10**9, retry_after: str = "1") -> None:
        self.api = FakeArxiv(PAPERS)
        self.fault, self.start, self.times, self.retry_after = fault, start, times, retry_after
        self.seen = 0
        self.healthy = threading.Event()
        self.release = threading.Event()
        self.answered: list[str] = []  # search queries answered normally

    def __call__(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> Answer:
        self.seen += 1
        if not self.healthy.is_set() and self.start <= self.seen < self.start + self.times:
            if self.fault == "429":
                return 429, {"Retry-After": self.retry_after, "Content-Type": "text/plain"}, b"Rate exceeded."
            if self.fault == "503":
                return 503, {"Content-Type": "text/html"}, b"<html><body>Service Unavailable</body></html>"
            if self.fault == "hang":
                self.release.wait(30)
        self.answered.append(query.get("search_query", query.get("id_list", [""]))[0])
        return self.api(method, path, query, body)


def test_429_retry_after_is_waited_for_then_the_answer_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINGLIST_RESOLVE_DELAY", "0")
    flaky = Flaky("429", times=1, retry_after="1")
    with serve(flaky) as (url, log):
        monkeypatch.setenv("READINGLIST_ARXIV_API", url)
        api = arxiv.client()
        _, found = arxiv.search(api, PAPERS[0].title)
    assert [c.arxiv_id for c in found] == ["2507.19673"]
    assert log.count() == 2 and api.stats.retries == 1
    assert log.requests[1][0] - log.requests[0][0] >= 1.0  # Retry-After: 1 honoured (a lower bound, not a stopwatch)


def test_the_interval_spaces_requests_to_one_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READINGLIST_RESOLVE_DELAY", raising=False)
    waits: list[float] = []
    api = arxiv.client()
    assert api.interval == 3.0  # arXiv asks for 3 s between requests
    monkeypatch.setenv("READINGLIST_RESOLVE_DELAY", "0.25")
    with serve(FakeArxiv(PAPERS)) as (url, log):
        api = arxiv.Client("arxiv", url, arxiv.INTERVAL, sleep=waits.append)
        for _ in range(3):
            api.request("GET", params={"id_list": "2507.19673"})
    assert api.interval == 0.25 and log.count() == 3
    assert len(waits) == 2 and all(0 < w <= 0.25 for w in waits)
    assert api.session.headers["User-Agent"].startswith("mkdocs-readinglist/")


def _project(tmp_path: Path) -> Path:
    copy_samples(tmp_path)
    return tmp_path


def _resolve(project: Path, url: str, *extra: str, timeout: float = 300,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs_readinglist.cli", "resolve", "bib", "--services", "arxiv",
                           *extra], cwd=project, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "READINGLIST_ARXIV_API": url, "READINGLIST_RESOLVE_DELAY": "0",
                               **(env or {})})


def _asked(project: Path) -> dict[str, object]:
    data = yaml.safe_load((project / "bib" / "resolved.yml").read_text(encoding="utf-8"))
    return dict(data["papers"])


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


@pytest.mark.slow
def test_a_503_is_one_clear_line_exit_1_nothing_lost_and_the_next_run_resumes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    flaky = Flaky("503", start=31)
    with serve(flaky) as (url, log):
        first = _resolve(project, url)
        assert first.returncode == 1
        errors = _error_lines(first.stderr)
        assert len(errors) == 1, first.stderr
        assert errors[0].startswith("error: arxiv: ") and "HTTP 503" in errors[0] and "retries" in errors[0]
        assert log.count() == 30 + 4  # 30 answers, then the 31st request tried 1 + 3 times
        assert "224 papers: " in first.stdout and "192 still to ask" in first.stdout
        kept = _asked(project)
        assert len(kept) == 30 + 2  # the id batch (3 papers) and 29 searches, all kept
        flaky.healthy.set()
        answered_before = list(flaky.answered)
        second = _resolve(project, url)
        again = flaky.answered[len(answered_before):]
        after_second = log.count()
        third = _resolve(project, url)  # everything asked: nothing to ask
        assert third.returncode == 0 and log.count() == after_second
        refreshed = _resolve(project, url, "--refresh")  # asks every paper again
        assert refreshed.returncode == 0 and log.count() == after_second + 1 + 221
    assert second.returncode == 0, second.stderr
    assert not set(again) & set(answered_before)  # nothing asked twice
    assert len(_asked(project)) == 224


@pytest.mark.slow
def test_a_hanging_server_times_out_in_one_line(tmp_path: Path) -> None:
    project = _project(tmp_path)
    flaky = Flaky("hang", start=2)
    try:
        with serve(flaky) as (url, _):
            result = _resolve(project, url, env={"READINGLIST_RESOLVE_TIMEOUT": "0.3"})
            flaky.release.set()
    finally:
        flaky.release.set()
    assert result.returncode == 1
    errors = _error_lines(result.stderr)
    assert len(errors) == 1 and errors[0].startswith("error: arxiv: ") and "did not answer within 0.3 s" in errors[0]
    assert len(_asked(project)) == 3  # the batch answered before the server hung: kept


@pytest.mark.slow
def test_ctrl_c_keeps_what_was_found_and_the_next_run_resumes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    flaky = Flaky("hang", start=12)
    try:
        with serve(flaky) as (url, log):
            process = subprocess.Popen(
                [sys.executable, "-m", "mkdocs_readinglist.cli", "resolve", "bib", "--services", "arxiv"],
                cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "READINGLIST_ARXIV_API": url, "READINGLIST_RESOLVE_DELAY": "0"},
                # Ctrl-C reaches it even when this suite runs as a background job (a shell without job
                # control starts those with SIGINT ignored, and Python then never raises KeyboardInterrupt)
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
            deadline = time.monotonic() + 120
            while log.count() < 12 and time.monotonic() < deadline:
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
            assert process.returncode == 130, stderr
            assert "interrupted" in stderr and "resume" in stderr
            assert len(_asked(project)) == 3 + 10  # the batch and ten searches answered before Ctrl-C
            flaky.healthy.set()
            flaky.release.set()
            before = list(flaky.answered)
            second = _resolve(project, url)
    finally:
        flaky.release.set()
    assert second.returncode == 0, second.stderr
    assert not set(flaky.answered[len(before):]) & set(before)
    assert len(_asked(project)) == 224
