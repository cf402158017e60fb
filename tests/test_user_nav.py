"""A user's own `nav:` keeps its order; the reading list's section is added unless a path of the nav
places it, and names only pages the build makes. Real MkDocs builds with Material, `--strict`."""

from __future__ import annotations

import re
from pathlib import Path

from .helpers import REPO, mkdocs_build

LISTING = REPO / "bib" / "arxiv-close-interaction.txt"


def _site(root: Path, nav: str, extra: str = "") -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nSee [@arxiv250702565].\n", encoding="utf-8")
    (root / "docs" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        f"site_name: s\ntheme: {{name: material, font: false}}\nnav:\n{nav}plugins:\n  - search\n"
        f"  - readinglist:\n      sources: [{LISTING}]\n      lock_file: {root / 'keys.lock'}\n"
        f"      diagnostics: {{no-title: info}}\n{extra}", encoding="utf-8")
    return root


def _nav_links(page: Path) -> set[str]:
    """The links of the page's nav (Material's `md-nav__link`s)."""
    html = page.read_text(encoding="utf-8")
    return set(re.findall(r'<a href="([^"]+)" class="md-nav__link', html))


def test_a_site_that_only_cites_adds_no_nav_section_to_a_hand_written_nav(tmp_path: Path) -> None:
    """cite_only makes no home or datasets page: the nav linked both (a missing page on every page,
    `--strict` failed)."""
    for pages in ("false", "true"):
        site = _site(tmp_path / pages, "  - Home: index.md\n", f"      cite_only: true\n      paper_pages: {pages}\n")
        built = mkdocs_build(site, "--strict")
        assert built.returncode == 0, built.stderr
        assert not any("reading-list" in link for link in _nav_links(site / "site" / "index.html"))


def test_a_path_that_merely_contains_the_folder_name_does_not_place_the_reading_list(tmp_path: Path) -> None:
    site = _site(tmp_path, "  - Home: index.md\n  - Notes: notes.md\n  - Old: https://example.org/old-reading-list/\n")
    (site / "docs" / "old-reading-list").mkdir()
    (site / "docs" / "old-reading-list" / "index.md").write_text("# Old\n", encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - Notes: notes.md\n", "  - Notes: notes.md\n  - Older: old-reading-list/index.md\n"), encoding="utf-8")
    built = mkdocs_build(site, "--strict")
    assert built.returncode == 0, built.stderr
    links = _nav_links(site / "site" / "index.html")
    assert "reading-list/" in links and "old-reading-list/" in links  # the section added after the user's own


def test_a_page_of_the_users_own_in_the_folder_does_not_place_the_reading_list(tmp_path: Path) -> None:
    """nav `[index.md, reading-list/my-notes.md]`: the user's notes page sits in the reading list's
    folder, and the reading list's home and topic pages were then in no nav (MkDocs said so at
    info level only)."""
    site = _site(tmp_path, "  - Home: index.md\n  - My notes: reading-list/my-notes.md\n")
    (site / "docs" / "reading-list").mkdir()
    (site / "docs" / "reading-list" / "my-notes.md").write_text("# My notes\n", encoding="utf-8")
    built = mkdocs_build(site, "--strict")
    assert built.returncode == 0, built.stderr
    links = _nav_links(site / "site" / "index.html")
    assert "reading-list/my-notes/" in links and "reading-list/" in links, links


def test_topics_named_in_another_script_get_pages_of_their_own(tmp_path: Path) -> None:
    """Two Chinese topic names were both `untitled` (the build stopped: they would share a page)."""
    site = _site(tmp_path, "  - Home: index.md\n", "      taxonomy: topics.yml\n      replace_taxonomy: true\n")
    (site / "topics.yml").write_text("topics:\n  - name: 人体姿态\n    keywords: [pose]\n"
                                     "  - name: 手部动作\n    keywords: [hand]\n", encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(LISTING), str(LISTING.parent)), encoding="utf-8")
    built = mkdocs_build(site)  # (the demo's listings give warnings of their own)
    assert built.returncode == 0, built.stderr
    pages = {p.name for p in (site / "site" / "reading-list" / "topics").iterdir()}
    assert {"人体姿态", "手部动作"} <= pages
