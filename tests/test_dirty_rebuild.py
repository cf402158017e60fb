"""`mkdocs build --dirty` with the plugin: a generated page whose text did not change is not
rebuilt, one whose text changed is, and the dirty site's generated pages are byte for byte
those of a clean build. Counted as files written (modification times), not timed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .helpers import copy_samples, mkdocs_build

pytestmark = pytest.mark.slow

CONFIG = """site_name: Dirty rebuilds
theme:
  name: material
  font: false
nav:  # titles in the nav: a dirty build does not read the pages it does not rebuild
  - Home: index.md
  - Survey: survey.md
plugins:
  - search
  - readinglist:
      sources: [bib]
"""

SURVEY = """# Survey

Pose estimation has moved fast [@{key}]. This paragraph is the one we edit.
"""


def _written(site: Path) -> dict[str, int]:
    """Every HTML page of the site with its modification time (ns)."""
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def _rebuilt(before: dict[str, int], after: dict[str, int], prefix: str = "") -> set[str]:
    return {path for path, stamp in after.items() if path.startswith(prefix) and before.get(path) != stamp}


def _generated_html(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in (site / "reading-list").rglob("*.html")}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dirty")
    copy_samples(root, with_lock=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "survey.md").write_text(SURVEY.format(key="synpain2025"), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    return root


def _dirty_build(project: Path) -> dict[str, int]:
    before = _written(project / "site")
    result = mkdocs_build(project, "--dirty")
    assert result.returncode == 0, result.stderr
    return before


def test_editing_a_survey_page_rebuilds_no_generated_page(project: Path) -> None:
    generated = [p for p in _written(project / "site") if p.startswith("reading-list/")]
    assert len(generated) > 224  # a page per paper, topic pages, home, datasets
    survey = project / "docs" / "survey.md"
    survey.write_text(survey.read_text(encoding="utf-8").replace("the one we edit", "the one we changed"),
                      encoding="utf-8")
    before = _dirty_build(project)
    after = _written(project / "site")
    assert _rebuilt(before, after, "reading-list/") == set()
    assert "survey/index.html" in _rebuilt(before, after)
    assert "the one we changed" in (project / "site" / "survey" / "index.html").read_text(encoding="utf-8")


def test_editing_one_listing_rebuilds_the_pages_whose_text_changed(project: Path, tmp_path: Path) -> None:
    listing = project / "bib" / "hf-search-skeleton-pose.txt"
    original = listing.read_text(encoding="utf-8")
    position = original.find(" the ", len(original) // 2)
    assert position > 0
    listing.write_text(original[:position] + " this " + original[position + 5:], encoding="utf-8")
    before = _dirty_build(project)
    rebuilt = _rebuilt(before, _written(project / "site"), "reading-list/")
    total = sum(1 for p in before if p.startswith("reading-list/"))
    # One abstract changed: its paper's page and the few pages that show it (its topic pages,
    # the datasets page), a bounded number, not the site.
    assert any(p.startswith("reading-list/papers/") for p in rebuilt), rebuilt
    assert 1 <= len(rebuilt) <= 12, (len(rebuilt), total, sorted(rebuilt))

    # Back as it was (text A -> B -> A): the pages are rebuilt again, to the old text.
    listing.write_text(original, encoding="utf-8")
    before = _dirty_build(project)
    rebuilt_back = _rebuilt(before, _written(project / "site"), "reading-list/")
    assert rebuilt_back == rebuilt

    # Nothing stale: the dirty site's generated pages are those of a clean build.
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site", ".cache"))
    result = mkdocs_build(clean)
    assert result.returncode == 0, result.stderr
    dirty_pages, clean_pages = _generated_html(project / "site"), _generated_html(clean / "site")
    assert dirty_pages.keys() == clean_pages.keys()
    stale = [p for p in clean_pages if dirty_pages[p] != clean_pages[p]]
    assert not stale, stale[:5]


def test_an_unchanged_rebuild_writes_no_backing_file(project: Path) -> None:
    backing = project / ".cache" / "readinglist" / "pages"
    stamps = {p: p.stat().st_mtime_ns for p in backing.rglob("*") if p.is_file()}
    assert len(stamps) > 224
    before = _dirty_build(project)
    assert _rebuilt(before, _written(project / "site"), "reading-list/") == set()
    assert {p: p.stat().st_mtime_ns for p in backing.rglob("*") if p.is_file()} == stamps


def test_a_page_citing_an_edited_paper_is_rebuilt(project: Path, tmp_path: Path) -> None:
    """The survey's own file did not change, but the reference it shows on hover did (the
    paper's year: its key stays, pinned by the lock)."""
    listing = project / "bib" / "hf-daily-2026-05-13.txt"
    text = listing.read_text(encoding="utf-8")
    entry = text.index("SynPAIN: A Synthetic Dataset")
    date = text.index("Jul 31, 2025", entry)
    listing.write_text(text[:date] + "Jul 31, 2024" + text[date + len("Jul 31, 2025"):], encoding="utf-8")
    before = _dirty_build(project)
    rebuilt = _rebuilt(before, _written(project / "site"))
    assert "survey/index.html" in rebuilt and "index.html" not in rebuilt  # the page citing it, not the other
    assert "reading-list/papers/synpain2025/index.html" in rebuilt
    survey = (project / "site" / "survey" / "index.html").read_text(encoding="utf-8")
    hover = re.search(r'<a class="citation" href="../reading-list/papers/synpain2025/" title="([^"]*)"', survey)
    assert hover is not None and "2024" in hover.group(1) and "2025" not in hover.group(1), survey[:0]

    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site", ".cache"))
    result = mkdocs_build(clean)
    assert result.returncode == 0, result.stderr
    for page in ("survey/index.html", *_generated_html(clean / "site")):
        assert (project / "site" / page).read_text(encoding="utf-8") == \
            (clean / "site" / page).read_text(encoding="utf-8"), page


def test_a_new_citation_style_or_heading_rebuilds_the_citing_pages(project: Path, tmp_path: Path) -> None:
    """`csl:` and `references_title:` change what every citing page shows, not its file: a dirty
    build rebuilt none of them (the old labels and heading stayed)."""
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)  # its site and .cache too, with their times
    survey = copy / "site" / "survey" / "index.html"
    label = re.compile(r'class="citation"[^>]*>([^<]*(?:<i>[^<]*</i>[^<]*)?)</a>')
    found = label.findall(survey.read_text(encoding="utf-8"))  # author-date (its year edited by a test above)
    assert len(found) == 1 and re.fullmatch(r"<i>SynPAIN</i> 20\d\d", found[0]), found
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "sources: [bib]", "sources: [bib]\n      csl: ieee\n      references_title: Works cited"), encoding="utf-8")
    before = _dirty_build(copy)
    rebuilt = _rebuilt(before, _written(copy / "site"))
    assert "survey/index.html" in rebuilt
    shown = survey.read_text(encoding="utf-8")
    assert label.findall(shown) == ["[1]"] and ">Works cited<" in shown  # IEEE: [1]
    # An edit of a user's own style file (copied from the bundled one) does the same.
    from mkdocs_readinglist.citations.csl import STYLE_DIR

    own = copy / "my.csl"
    own.write_text((STYLE_DIR / "ieee.csl").read_text(encoding="utf-8"), encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("csl: ieee", "csl: my.csl"), encoding="utf-8")
    _dirty_build(copy)
    own.write_text((STYLE_DIR / "apa.csl").read_text(encoding="utf-8"), encoding="utf-8")
    before = _dirty_build(copy)
    assert "survey/index.html" in _rebuilt(before, _written(copy / "site"))
    assert label.findall(survey.read_text(encoding="utf-8")) == [found[0].replace("<i>", "").replace("</i>", ",")]  # APA: SynPAIN, 2025
