"""The manifest `readinglist pages --out` keeps of the files it wrote (mkdocs_readinglist/written.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mkdocs_readinglist.written import MANIFEST_NAME, manifest_text, parse_manifest, read_manifest, written_by_us


def test_manifest_records_each_file_and_its_content() -> None:
    text = manifest_text([("reading-list/topics/gait.md", "# Gait\n"), ("reading-list/index.md", "# Réading list\n")])
    lines = text.splitlines()
    assert lines[0].startswith("# written by `readinglist pages`")
    sha = hashlib.sha256("# Réading list\n".encode()).hexdigest()
    assert lines[1] == f"{sha}  reading-list/index.md"  # sorted by path, sha256sum's layout
    assert lines[2].endswith("  reading-list/topics/gait.md")
    manifest = parse_manifest(text)
    assert manifest == {"reading-list/index.md": sha,
                        "reading-list/topics/gait.md": hashlib.sha256(b"# Gait\n").hexdigest()}
    assert written_by_us(manifest, "reading-list/index.md", "# Réading list\n".encode())
    assert not written_by_us(manifest, "reading-list/index.md", "# Réading list\nmy note\n".encode())  # edited
    assert not written_by_us(manifest, "reading-list/mine.md", b"# Gait\n")  # never written


def test_older_path_only_manifests_still_read(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text("reading-list/index.md\nreading list/with space.md\n\n", encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert manifest == {"reading-list/index.md": None, "reading list/with space.md": None}
    assert written_by_us(manifest, "reading-list/index.md", b"anything")
    assert read_manifest(tmp_path / "nowhere") == {}


def test_a_page_no_longer_made_goes_unless_edited(tmp_path: Path) -> None:
    """`readinglist pages --out docs` after a paper left the sources: its page, as written, goes
    (Zensical and MkDocs published it as the user's own); an edited one stays, named, and stays in
    the manifest, so the plugin still leaves it out of a MkDocs build."""
    from .helpers import run_cli

    bib, docs = tmp_path / "bib" / "r.bib", tmp_path / "docs"
    bib.parent.mkdir()
    one = "@article{b1, author={Ann A}, title={One}, journal={J}, year=2001}\n"
    two = "@article{b2, author={Bo B}, title={Two}, journal={J}, year=2002}\n"
    three = "@article{b3, author={Cy C}, title={Three}, journal={J}, year=2003}\n"
    bib.write_text(one + two + three, encoding="utf-8")
    assert run_cli("pages", "bib", "--out", "docs", cwd=tmp_path).returncode == 0
    papers = docs / "reading-list" / "papers"
    assert {p.name for p in papers.iterdir()} == {"b1.md", "b2.md", "b3.md"}
    (papers / "b3.md").write_text((papers / "b3.md").read_text(encoding="utf-8") + "\nMy note.\n", encoding="utf-8")
    bib.write_text(one, encoding="utf-8")
    run = run_cli("pages", "bib", "--out", "docs", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "removed 1 it wrote before and no longer makes" in run.stderr
    assert "docs/reading-list/papers/b3.md: no longer made" in run.stderr and "left as it is" in run.stderr
    assert {p.name for p in papers.iterdir()} == {"b1.md", "b3.md"}
    manifest = read_manifest(docs)
    assert "reading-list/papers/b2.md" not in manifest and "reading-list/papers/b3.md" in manifest
    assert "reading-list/papers/b1.md" in manifest
