"""The MkDocs plugin in real builds (Material theme), on the demo and on an existing site."""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mkdocs_readinglist.written import digest, parse_manifest

from .helpers import REPO, copy_samples, mkdocs_build, run_cli

EXISTING = Path(__file__).parent / "fixtures" / "existing_site"
pytestmark = pytest.mark.slow


def _demo_copy(target: Path) -> Path:
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, target / name)
    for folder in ("docs", "demo"):
        shutil.copytree(REPO / folder, target / folder)
    copy_samples(target, with_lock=True)
    return target


def test_existing_site_keeps_its_pages_and_nav(tmp_path: Path) -> None:
    project = tmp_path / "site_project"
    shutil.copytree(EXISTING, project)
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for page in ("index.html", "guide/setup/index.html", "guide/survey/index.html"):
        assert (site / page).is_file()
    assert not (project / "docs" / "reading-list").exists()  # generated in memory, never in docs/
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', home)
    order = [n for n in nav if n in ("Welcome", "Guide", "Setup", "Survey draft", "Lab reading list")]
    assert order.index("Welcome") < order.index("Guide") < order.index("Lab reading list")
    assert (site / "reading-list" / "papers" / "Roe2024Gait" / "index.html").is_file()
    assert "reading-list/papers/Roe2024Gait" not in home  # paper pages stay out of the nav
    survey = (site / "guide" / "survey" / "index.html").read_text(encoding="utf-8")
    assert '<a class="citation" href="../../reading-list/papers/Roe2024Gait/"' in survey
    assert "References" in survey and "[@NotACitation]" in survey and "[@AlsoNotACitation]" in survey
    gait = (site / "reading-list" / "papers" / "Roe2024Gait" / "index.html").read_text(encoding="utf-8")
    assert "Gait Recognition in the Wild with Transformers" in gait and 'class="language-bibtex"' in gait


def test_generated_page_over_a_hand_written_one_stops_the_build(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(EXISTING, project)
    (project / "docs" / "reading-list").mkdir()
    (project / "docs" / "reading-list" / "index.md").write_text("# Mine\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "would replace your own 'reading-list/index.md'" in result.stderr
    assert (project / "docs" / "reading-list" / "index.md").read_text(encoding="utf-8") == "# Mine\n"


def test_unknown_citation_key_is_a_warning_with_page_and_line(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(EXISTING, project)
    page = project / "docs" / "guide" / "survey.md"
    page.write_text("---\ntitle: Survey\n---\n\n# Survey\n\nSee [@Roe2024Gait].\n\nAnd [@NoSuchKey2020].\n",
                    encoding="utf-8")
    relaxed = mkdocs_build(project)
    assert relaxed.returncode == 0
    assert "guide/survey.md:9: warning[unknown-citation]: unknown citation key 'NoSuchKey2020'" in relaxed.stderr
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0


def test_missing_source_is_a_config_error(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(EXISTING, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("sources: [papers]", "sources: [nowhere]"),
                      encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "source 'nowhere' does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_scraped_markup_renders_as_text(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(EXISTING, project)
    (project / "papers" / "evil.txt").write_text(
        "<script>alert(1)</script> Title With __Bold__ and *Stars*\n"
        "# Not a heading: an abstract with <b>tags</b>, [a](javascript:x) link, \\(x^2\\) math, "
        "1. a list marker and ~~strike~~ text, long enough to be read as an abstract by the reader here.\n",
        encoding="utf-8")
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    pages = list((project / "site" / "reading-list" / "papers").glob("script*/index.html"))
    assert len(pages) == 1
    html = pages[0].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "__Bold__" in html and "*Stars*" in html and "<b>tags</b>" not in html
    assert ('href="javascript:x"' not in html and "x²" in html) or "x^2" in html


def test_cli_pages_equal_the_plugin_pages(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = _demo_copy(tmp_path)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "built"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    plugin = config.plugins["readinglist"]
    in_memory = {page.path: page.content for page in plugin.pages}  # type: ignore[attr-defined]
    assert len([p for p in in_memory if "/papers/" in p]) == 224
    out = tmp_path / "written"
    result = run_cli("pages", "--config", "mkdocs.yml", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    written = {str(p.relative_to(out)).replace(os.sep, "/"): p.read_text(encoding="utf-8")
               for p in out.rglob("*") if p.is_file() and p.name != ".readinglist-files"}
    assert written == in_memory
    manifest = parse_manifest((out / ".readinglist-files").read_text(encoding="utf-8"))
    assert sorted(manifest) == sorted(in_memory)
    assert all(manifest[path] == digest(text.encode("utf-8")) for path, text in in_memory.items())
    mine = out / "reading-list" / "mine.md"
    mine.write_text("# My notes\n", encoding="utf-8")
    again = run_cli("pages", "--config", "mkdocs.yml", "--out", str(out), cwd=project)
    assert again.returncode == 0 and mine.read_text(encoding="utf-8") == "# My notes\n"  # ours replaced, yours kept
    home = out / "reading-list" / "index.md"
    (tmp_path / "other").mkdir()
    clash = tmp_path / "other" / "reading-list"
    clash.mkdir()
    (clash / "index.md").write_text("---\ntitle: Mine\n---\n# Hand-written\n", encoding="utf-8")
    refused = run_cli("pages", "--config", "mkdocs.yml", "--out", str(tmp_path / "other"), cwd=project)
    assert refused.returncode == 1 and "was not written by readinglist" in refused.stderr
    assert (clash / "index.md").read_text(encoding="utf-8").endswith("# Hand-written\n")
    assert not (clash / "papers").exists() and home.exists()


def test_rebuild_rereads_only_the_changed_listing(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = _demo_copy(tmp_path)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "built"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    plugin = config.plugins["readinglist"]
    assert plugin.cache.reads == 5  # type: ignore[attr-defined]
    listing = project / "bib" / "hf-search-skeleton-pose.txt"
    listing.write_text(listing.read_text(encoding="utf-8") + "A New Paper Title\n" + "An abstract sentence. " * 20 + "\n",
                       encoding="utf-8")
    config2 = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "built"))
    config2.plugins["readinglist"] = plugin  # what `mkdocs serve` does with plugins that have on_startup
    build(config2)
    assert plugin.cache.reads == 6  # type: ignore[attr-defined]  # one more file read: the changed one
    assert len(plugin.corpus.papers) == 225  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Served:
    """A real `mkdocs serve` of a project on a free local port, its log read line by line."""

    def __init__(self, project: Path) -> None:
        port = _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                       cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.server.stdout is not None
        for line in self.server.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.output.append(line)
            if re.search(pattern, line):
                return
        raise AssertionError(f"no {pattern!r} in:\n" + "".join(self.output))

    def lines_within(self, seconds: float) -> list[str]:
        """The log lines of the next `seconds` (a quiet server gives none)."""
        deadline, seen = time.monotonic() + seconds, []
        while time.monotonic() < deadline:
            try:
                seen.append(self.lines.get(timeout=0.2))
            except queue.Empty:
                continue
        self.output += seen
        return seen

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


def test_mkdocs_serve_watches_the_listings(tmp_path: Path) -> None:
    project = _demo_copy(tmp_path)
    served = _Served(project)
    try:
        served.wait_for(r"Serving on")
        assert any("arxiv-close-interaction.txt" in line or "'bib" in line for line in served.output if "Watching" in line)
        time.sleep(1.0)
        listing = project / "bib" / "arxiv-close-interaction.txt"
        listing.write_text(listing.read_text(encoding="utf-8").replace("6 pages, 7 figures", "7 pages, 8 figures"),
                           encoding="utf-8")
        served.wait_for(r"224 papers from 4 sources and an overrides file \(1 read this build\)")
    finally:
        served.stop()


def test_a_serve_rebuild_says_again_only_what_is_new(tmp_path: Path) -> None:
    """At survey size every save reprinted hundreds of data warnings about the sources, and the
    one new warning was lost among them: a rebuild shows the new ones and counts the others."""
    project = _demo_copy(tmp_path)
    (project / "bib" / "mine.bib").write_text(
        "@misc{undated1,\n  title = {An Undated Note},\n}\n\n@misc{undated2,\n  title = {Another Undated Note},\n}\n",
        encoding="utf-8")
    served = _Served(project)
    try:
        served.wait_for(r"Serving on")
        first = "".join(served.output)
        assert "mine.bib:1: warning[no-year]" in first and "mine.bib:5: warning[no-year]" in first
        time.sleep(1.0)
        (project / "bib" / "mine.bib").write_text(
            (project / "bib" / "mine.bib").read_text(encoding="utf-8") + "\n@misc{undated3,\n  title = {A Third},\n}\n",
            encoding="utf-8")
        served.wait_for(r"Detected file changes")
        start = len(served.output)
        served.wait_for(r"papers from 5 sources")
        rebuild = "".join(served.output[start:])
        assert "mine.bib:9: warning[no-year]" in rebuild  # the new one, in full
        assert "mine.bib:1: warning[no-year]" not in rebuild and "mine.bib:5: warning[no-year]" not in rebuild
        assert re.search(r"WARNING +-  mkdocs_readinglist: \d+ data warnings as at the last build, not shown again", rebuild)
    finally:
        served.stop()


def test_the_key_lock_a_build_writes_rebuilds_nothing_and_an_edit_of_it_does(tmp_path: Path) -> None:
    """A paper added to a watched folder gets a key, which the build writes into the lock in that
    folder: that write was a change too, and every such edit was built (and reloaded) twice."""
    project = _demo_copy(tmp_path)
    served = _Served(project)
    try:
        served.wait_for(r"Serving on")
        time.sleep(1.0)
        lock = project / "bib" / "readinglist.lock"
        before = lock.read_text(encoding="utf-8")
        (project / "bib" / "added.bib").write_text(
            "@article{lee2021hands,\n  author = {Lee, Kim},\n  title = {Hands and Objects in the Wild},\n"
            "  journal = {IJCV},\n  year = {2021},\n}\n", encoding="utf-8")
        served.wait_for(r"225 papers from 5 sources")
        served.wait_for(r"Reloading browsers")
        assert "lee2021hands:" in lock.read_text(encoding="utf-8") and lock.read_text(encoding="utf-8") != before
        later = served.lines_within(6.0)
        assert not [line for line in later if "Detected file changes" in line], "".join(later)
        # A writer's own edit of the lock is a change: rebuilt.
        lock.write_text(lock.read_text(encoding="utf-8").replace("lee2021hands:", "lee2021objects:"), encoding="utf-8")
        served.wait_for(r"Detected file changes", timeout=30)
        served.wait_for(r"225 papers from 5 sources")
    finally:
        served.stop()


def test_a_code_set_to_error_is_an_error_line_and_fails_strict_builds_only(tmp_path: Path) -> None:
    """diagnostics.md: bad input never stops the build; `--strict` fails on errors as on warnings."""
    project = tmp_path / "p"
    shutil.copytree(EXISTING, project)
    (project / "papers" / "cost.bib").write_text(
        "@article{cost2021,\n  title = {Costs $5 per Image},\n  author = {Doe, Jane},\n  year = {2021},\n}\n",
        encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      title: Lab reading list\n", "      title: Lab reading list\n      diagnostics: {latex-special: error}\n"),
        encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert "ERROR" in built.stderr and "papers/cost.bib:2: error[latex-special]" in built.stderr
    assert list((project / "site").rglob("cost2021/index.html"))
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0
