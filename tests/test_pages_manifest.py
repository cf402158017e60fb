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
