"""`bib_file` is a path inside the site: a path outside it (`../bib/mine.bib`, an absolute one)
made every build overwrite that file, a user's own .bib included (its entries reordered, its
`file` fields gone). Such a value stops the build with a message naming the option, and the
user's file is untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from .helpers import SAMPLES, mkdocs_build, texlive

pytestmark = pytest.mark.slow


def _site(root: Path, bib_file: str) -> Path:
    (root / "bib").mkdir(parents=True)
    (root / "docs").mkdir()
    shutil.copy(SAMPLES / "arxiv-close-interaction.txt", root / "bib")
    shutil.copy(texlive("xampl.bib"), root / "bib" / "mine.bib")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        f"site_name: Bib file\ntheme: {{name: material}}\nplugins:\n  - readinglist:\n      sources: [bib]\n"
        f"      bib_file: {bib_file}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("value", ["../bib/mine.bib", "/tmp/readinglist-outside.bib", "notes.txt"])
def test_a_bib_file_outside_the_site_stops_the_build_and_writes_nothing(tmp_path: Path, value: str) -> None:
    root = _site(tmp_path / "site", value)
    mine = root / "bib" / "mine.bib"
    before = hashlib.sha256(mine.read_bytes()).hexdigest()
    done = mkdocs_build(root)
    assert done.returncode != 0
    assert "`bib_file` must be a .bib file's path inside the site" in done.stderr
    assert hashlib.sha256(mine.read_bytes()).hexdigest() == before
    assert not Path("/tmp/readinglist-outside.bib").exists()


def test_a_bib_file_inside_the_site_is_served_there(tmp_path: Path) -> None:
    root = _site(tmp_path / "site", "reading-list/all.bib")
    done = mkdocs_build(root)
    assert done.returncode == 0, done.stderr
    assert "@BOOK{book-full," in (root / "site" / "reading-list" / "all.bib").read_text(encoding="utf-8")


def test_a_clash_with_your_own_bib_names_bib_file(tmp_path: Path) -> None:
    root = _site(tmp_path / "site", "references.bib")
    (root / "docs" / "references.bib").write_text("@misc{mine, title = {Mine}}\n", encoding="utf-8")
    done = mkdocs_build(root)
    assert done.returncode != 0 and "choose another `bib_file:`" in done.stderr, done.stderr
