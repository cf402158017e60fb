"""Rows 35-38 of tests/cases/bad-inputs.md (mistakes in mkdocs.yml) and the plugin side of
every other row: real `mkdocs build`s of a tiny Material site holding every bad file next to the
four samples. Configuration mistakes stop the build with a clear message; data warnings are logged
as `FILE:LINE: warning: ...` and fail the build only under `--strict`; scraped text never
becomes markup in the built pages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mkdocs_readinglist.settings import ConfigError, settings_from_mapping
from tests.fixtures.bad.catalogue import CATALOGUE, SAMPLE_FILES, SAMPLES, by_name, cli, papers, write

SITE = "site_name: Bad inputs\ntheme:\n  name: material\n  font: false\n"


def project(tmp_path: Path, options: str, with_bad: bool = False, samples: bool = True) -> Path:
    """A tiny MkDocs project: docs/index.md, bib/ with the samples (and every bad file), mkdocs.yml."""
    (tmp_path / "docs").mkdir(parents=True, exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nA site with a reading list.\n", encoding="utf-8")
    bib = tmp_path / "bib"
    bib.mkdir(exist_ok=True)
    if samples:
        for name in SAMPLE_FILES:
            shutil.copy(SAMPLES / name, bib / name)
    if with_bad:
        for case in CATALOGUE:
            write(bib, case)
    plugin = "plugins:\n  - readinglist" + (":\n" + "\n".join("      " + line for line in options.strip("\n").split("\n"))
                                            if options.strip() else "") + "\n"
    (tmp_path / "mkdocs.yml").write_text(SITE + plugin, encoding="utf-8")
    return tmp_path


def build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def logged(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


# ---- row 35: an unknown topic name -----------------------------------------------------------

def test_row_35_unknown_topic_in_config_stops_with_valid_topics_and_did_you_mean(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping(tmp_path, {"topics": [{"name": "humna-pose", "keywords": ["posture"]}]})
    message = str(caught.value)
    assert "unknown topic 'humna-pose'" in message and "Did you mean 'human-pose'?" in message
    assert "Valid topics: Human Pose, Motion Generation, Hands" in message and "`new: true`" in message
    settings, _ = settings_from_mapping(tmp_path, {"topics": [{"name": "humna-pose", "keywords": ["x"], "new": True}]})
    assert "humna-pose" in settings.taxonomy.names
    settings, _ = settings_from_mapping(tmp_path, {"topics": [{"name": "Skating", "keywords": ["skater"]}]})
    assert "Skating" in settings.taxonomy.names  # a new topic that is no typo needs nothing


def test_row_35_unknown_topic_on_the_command_line_and_in_overrides(tmp_path: Path) -> None:
    project(tmp_path, "")
    run = cli(tmp_path, "bib", "bib", "--topic", "humna-pose")
    assert run.code == 2
    assert "error: unknown topic 'humna-pose'. Did you mean 'human-pose'? Valid topics: Human Pose" in run.err
    (tmp_path / "bib" / "overrides.yml").write_text('papers:\n  "2507.02565":\n    topics: [humna-pose]\n',
                                                    encoding="utf-8")
    run = cli(tmp_path, "check", "bib")
    # the place once, as every message has it (it was repeated: `...: warning[unknown-topic]: bib/overrides.yml:2: unknown ...`)
    assert re.search(r"bib/overrides\.yml:2: warning\[unknown-topic\]: unknown topic 'humna-pose'\. Did you mean 'human-pose'\?"
                     r".*Valid topics: .*; topic ignored", run.err), run.err


@pytest.mark.slow
def test_row_35_unknown_topic_stops_the_mkdocs_build(tmp_path: Path) -> None:
    result = build(project(tmp_path, "topics:\n  - name: humna-pose\n    keywords: [posture]"))
    assert result.returncode == 1
    assert "unknown topic 'humna-pose'. Did you mean 'human-pose'? Valid topics: Human Pose" in logged(result)


# ---- row 36: a missing source, a glob matching nothing ---------------------------------------

def test_row_36_missing_source_is_a_config_error_empty_glob_a_warning(tmp_path: Path) -> None:
    project(tmp_path, "sources: [bib, missing.txt]")
    run = cli(tmp_path, "check", "--config", "mkdocs.yml")
    assert run.code == 2 and "error: source 'missing.txt' does not exist" in run.err
    project(tmp_path, "sources: [bib, 'nothing/*.bib']")
    run = cli(tmp_path, "check", "--config", "mkdocs.yml")
    assert run.code == 0
    assert "nothing/*.bib: warning[empty-glob]: source glob 'nothing/*.bib' matches 0 files" in run.err
    assert cli(tmp_path, "check", "--config", "mkdocs.yml", "--strict").code == 1


@pytest.mark.slow
def test_row_36_missing_source_stops_the_build_empty_glob_fails_it_under_strict(tmp_path: Path) -> None:
    result = build(project(tmp_path, "sources: [bib, missing.txt]"))
    assert result.returncode == 1 and "readinglist: source 'missing.txt' does not exist" in logged(result)
    result = build(project(tmp_path, "sources: [bib, 'nothing/*.bib']"), "--strict")
    assert result.returncode == 1
    assert "nothing/*.bib: warning[empty-glob]: source glob 'nothing/*.bib' matches 0 files" in logged(result)


# ---- row 37: not a list, a wrong type, a misspelled option -----------------------------------

@pytest.mark.parametrize(("options", "message"), [
    ("sources: bib", r"sources: `sources` must be a list of paths, e\.g\. `sources: \[bib\]` \(got str 'bib'\)"),
    ("paper_pages: 'yes'", r"paper_pages: `paper_pages` must be bool \(got str 'yes'\)"),
    ("sorces: [bib]", r"sorces: unknown readinglist option 'sorces' \(did you mean 'sources'\?\)"),
    ("sources:\n  - path: bib\n    yeer: 2026", r"sources: `sources` item 1: unknown option\(s\) yeer; known: path, year, format"),
    ("sources:\n  - path: bib\n    format: hf-serach", r"sources: `sources` item 1: unknown format 'hf-serach'; known: bibtex"),
    ("topic_page_size: -3", r"topic_page_size: `topic_page_size` must be 0 \(no pagination\) or a positive number"),
])
def test_row_37_config_mistakes_are_clear_errors(tmp_path: Path, options: str, message: str) -> None:
    """Each message names the file, the option's place in it and the option."""
    project(tmp_path, options)
    run = cli(tmp_path, "check", "--config", "mkdocs.yml")
    assert run.code == 2, run.err
    assert re.search(r"^error: mkdocs\.yml, plugins\.readinglist\." + message, run.err, re.MULTILINE), run.err


@pytest.mark.slow
def test_row_37_config_mistakes_stop_the_mkdocs_build(tmp_path: Path) -> None:
    result = build(project(tmp_path, "sources: bib"))
    assert result.returncode == 1 and "option 'sources': `sources` must be a list of paths" in logged(result)
    result = build(project(tmp_path / "b", "paper_pages: 'yes'"))
    assert result.returncode == 1 and "option 'paper_pages'" in logged(result)
    result = build(project(tmp_path / "c", "sorces: [bib]"))
    assert result.returncode == 1
    assert "Unrecognised configuration name: sorces" in logged(result)
    assert "mkdocs.yml, plugins.readinglist.sorces: unknown readinglist option 'sorces' (did you mean 'sources'?)" \
        in logged(result)


# ---- row 38: colliding topic slugs, a page over a hand-written one, an unwritable path -------

def test_row_38_topic_slugs_that_collide_stop(tmp_path: Path) -> None:
    project(tmp_path, "topics:\n  - name: Multimodal VLM\n    keywords: [vlm]")
    run = cli(tmp_path, "check", "--config", "mkdocs.yml")
    assert run.code == 2
    assert "topics 'Multimodal/VLM' and 'Multimodal VLM' would share the page `multimodal-vlm`" in run.err


def test_row_38_pages_never_overwrite_a_hand_written_page(tmp_path: Path) -> None:
    project(tmp_path, "")
    mine = tmp_path / "out" / "reading-list" / "index.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# My own reading list\n", encoding="utf-8")
    run = cli(tmp_path, "pages", "bib", "--out", "out")
    assert run.code == 1 and "exists and was not written by readinglist; not overwritten" in run.err
    assert mine.read_text(encoding="utf-8") == "# My own reading list\n"
    assert not (tmp_path / "out" / "reading-list" / "topics").exists()  # nothing else written either


def test_row_38_an_unwritable_or_damaged_key_lock_stops(tmp_path: Path) -> None:
    project(tmp_path, "lock_file: afile/readinglist.lock")
    (tmp_path / "afile").write_text("not a folder\n", encoding="utf-8")
    run = cli(tmp_path, "bib", "--config", "mkdocs.yml", "-o", "out.bib")
    assert run.code == 2 and "error: cannot write the key lock" in run.err and "Not a directory" in run.err
    project(tmp_path, "")
    (tmp_path / "bib" / "readinglist.lock").write_text("[1, 2\n", encoding="utf-8")
    run = cli(tmp_path, "check", "--config", "mkdocs.yml")
    assert run.code == 2 and "error: cannot read the key lock" in run.err


def test_row_38_an_unwritable_output_path_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    project(tmp_path, "")
    (tmp_path / "afile").write_text("not a folder\n", encoding="utf-8")
    try:
        run = cli(tmp_path, "bib", "bib", "-o", "afile/refs.bib")
    except (OSError, AssertionError):
        pytest.fail("a traceback instead of `error: ...`")
    assert run.code != 0 and run.err.startswith("error:")


@pytest.mark.slow
def test_row_38_build_stops_on_colliding_slugs_and_on_a_hand_written_page(tmp_path: Path) -> None:
    result = build(project(tmp_path, "topics:\n  - name: Multimodal VLM\n    keywords: [vlm]"))
    assert result.returncode == 1 and "would share the page `multimodal-vlm`" in logged(result)
    root = project(tmp_path / "b", "")
    mine = root / "docs" / "reading-list" / "index.md"
    mine.parent.mkdir()
    mine.write_text("# My own reading list\n", encoding="utf-8")
    result = build(root)
    assert result.returncode == 1
    assert "the generated page 'reading-list/index.md' would replace your own" in logged(result)
    assert mine.read_text(encoding="utf-8") == "# My own reading list\n"


# ---- every bad file in a real build ----------------------------------------------------------

@pytest.fixture(scope="module")
def bad_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = project(tmp_path_factory.mktemp("bad-site"), "sources:\n  - path: bib\n    year: 2026", with_bad=True)
    return root, build(root)


class _Page(HTMLParser):
    """The tags and the text of a built page's article."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.h1: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "script"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
            return
        self.text.append(data)
        if self._in == "h1":
            self.h1.append(data)


def page_of(site: Path, title_start: str) -> _Page:
    for path in sorted((site / "reading-list" / "papers").glob("*/index.html")):
        parsed = _Page()
        parsed.feed(path.read_text(encoding="utf-8"))
        if "".join(parsed.h1).startswith(title_start):
            return parsed
    raise AssertionError(f"no paper page titled {title_start!r}")


@pytest.mark.slow
def test_plugin_build_reports_every_problem_and_keeps_every_sample_paper(
        bad_site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, result = bad_site
    output = logged(result)
    assert result.returncode == 0, output
    assert "Traceback" not in output
    for case in CATALOGUE:
        for expect in case.expect:
            if expect.severity == "info":
                continue  # info goes to MkDocs' debug log
            level = "ERROR" if expect.severity == "error" else "WARNING"
            pattern = (rf"^{level}\s+-\s+mkdocs_readinglist: bib/{re.escape(case.name)}:{expect.line}"
                       rf"{f':{expect.column}' if expect.column else ''}: {expect.severity}\[[a-z-]+\]: .*"
                       + expect.text.replace("{file}", re.escape(f"bib/{case.name}")))
            assert re.search(pattern, output, re.MULTILINE | re.IGNORECASE), pattern
    site = root / "site"
    built = {p.parent.name for p in (site / "reading-list" / "papers").glob("*/index.html")}
    alone = project(root / "alone", "")
    sample_papers = papers(alone, "bib")
    assert len(sample_papers) == 224
    everything = papers(root, "bib", "--year", "2026")  # same keys: the build wrote the lock
    keys_by_title = {p["title"]: p["key"] for p in everything if p["title"]}
    keys_by_arxiv = {p["arxiv_id"]: p["key"] for p in everything if p["arxiv_id"]}
    for paper in sample_papers:
        key = keys_by_title.get(paper["title"]) if paper["title"] else keys_by_arxiv.get(paper["arxiv_id"])
        assert key in built, paper["title"] or paper["arxiv_id"]


@pytest.mark.slow
def test_plugin_build_fails_under_strict_on_data_warnings(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    write(root / "bib", by_name("r15-count-mismatch.txt"))
    result = build(root, "--strict")
    assert result.returncode == 1
    assert re.search(r"WARNING\s+-\s+mkdocs_readinglist: bib/r15-count-mismatch\.txt:\d+: warning\[count-mismatch\]: the header declares 45",
                     logged(result))


@pytest.mark.slow
def test_row_13_html_markdown_and_latex_in_titles_render_as_text(
        bad_site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    site = bad_site[0] / "site"
    attack = page_of(site, "<script>")
    assert "".join(attack.h1).strip() == "<script>alert('x')</script> Pose Attacks"
    text = "".join(attack.text)
    for literal in ("<https://example.org/x>", "*stars*", "__dunder__", "<b>bold</b>"):
        assert literal in text, literal  # shown as typed, not turned into a link, emphasis or HTML
    assert not [script for script in attack.scripts if "alert" in script]
    assert not [tag for tag, _ in attack.tags if tag in ("b", "em")]
    heading = page_of(site, "# Not a Heading")
    assert "".join(heading.h1).strip() == "# Not a Heading: Pose"
    numbered = page_of(site, "1. Not a List")
    assert "".join(numbered.h1).strip() == "1. Not a List: Motion" and ("ol", {}) not in numbered.tags
    link = page_of(site, "[Not a Link]")
    assert "".join(link.h1).strip() == "[Not a Link](https://example.org) and `not code`"
    assert not [a for t, a in link.tags if t == "a" and a.get("href") == "https://example.org"]
    arrows = page_of(site, "Arrows")
    assert "".join(arrows.h1).strip() == "Arrows ↔ and Bold Claims, e.g. in https://example.org/x"


@pytest.mark.slow
def test_row_14_pages_keep_emoji_symbols_and_accents(bad_site: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    site = bad_site[0] / "site"
    page = page_of(site, "Méthode")
    assert "".join(page.h1).strip() == "Méthode \U0001F600 Pose · Motion • Gait — Hands → Faces × 3"



def test_empty_sources_are_a_config_error_naming_the_option(tmp_path: Path) -> None:
    """`sources: []` built an empty reading list (0 papers, said at info level), and `--strict` passed."""
    with pytest.raises(ConfigError, match=r"`sources` is empty: name the folders or files"):
        settings_from_mapping(tmp_path, {"sources": []})
    project(tmp_path, "      sources: []\n")
    result = build(tmp_path)
    assert result.returncode != 0 and "option 'sources': `sources` is empty" in logged(result)
