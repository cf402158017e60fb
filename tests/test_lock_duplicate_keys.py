"""A key written twice in the key lock (two branches' locks merged by keeping both sides' lines)
is read once, at its first place, and reported at the second's line: PyYAML keeps the last of
two equal keys without a word, which moved the key from one paper to another (a `[@clutch2026]`
of the survey then cited EdgeCAPE) and the build wrote that down in the lock.

The demo site, its real lock edited as such a merge leaves it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.enrich.keys import KeyLock

from .helpers import by_title, copy_demo, papers_json, run_cli

pytestmark = pytest.mark.slow


def _merged_lock(project: Path, key: str, other: str) -> tuple[Path, int, int]:
    """The demo's lock with `other`'s key renamed to `key` (each branch gave `key` to its paper)."""
    lock = project / "bib" / "readinglist.lock"
    text = lock.read_text(encoding="utf-8")
    assert f"\n{key}:\n" in text and f"\n{other}:\n" in text
    text = text.replace(f"\n{other}:\n", f"\n{key}:\n")
    lock.write_text(text, encoding="utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line == f"{key}:"]
    assert len(lines) == 2
    return lock, lines[0], lines[1]


def test_a_key_written_twice_stays_with_the_paper_of_its_first_place(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "site")
    lock, first, second = _merged_lock(project, "clutch2026", "edgecape2026")
    before = KeyLock.parse(lock.read_text(encoding="utf-8"), lock)
    assert [p.code for p in before.problems] == ["lock-duplicate-key"]
    assert before.problems[0].line == second
    papers = papers_json("--config", "mkdocs.yml", cwd=project)
    assert by_title(papers, "CLUTCH")["key"] == "clutch2026"  # the first place's paper keeps it
    assert by_title(papers, "EdgeCAPE")["key"] == "edgecape2026"  # the other gets its own key again
    checked = run_cli("check", "--config", "mkdocs.yml", cwd=project)
    found = re.findall(rf"^bib/readinglist\.lock:(\d+): warning\[lock-duplicate-key\]: key 'clutch2026' .*lines "
                       rf"{first} and {second}, pinned to different ids", checked.stderr, re.MULTILINE)
    assert found == [str(second)], checked.stderr
    assert run_cli("check", "--strict", "--config", "mkdocs.yml", cwd=project).returncode == 1


def test_a_key_written_twice_with_the_same_ids_is_read_once(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "site")
    lock = project / "bib" / "readinglist.lock"
    text = lock.read_text(encoding="utf-8")
    block = re.search(r"^clutch2026:\n(?:- .*\n)+", text, re.MULTILINE)
    assert block is not None
    lock.write_text(text + block.group(0), encoding="utf-8")
    read = KeyLock.parse(lock.read_text(encoding="utf-8"), lock)
    assert read.keys == KeyLock.parse(text, lock).keys
    assert len(read.problems) == 1 and "with the same ids" in read.problems[0].message


def test_a_lock_without_a_key_twice_reports_nothing(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "site")
    lock = project / "bib" / "readinglist.lock"
    # Its YAML read (a quoted key sends it past the plain fast paths), and the fast read.
    text = lock.read_text(encoding="utf-8")
    quoted = text.replace("\nclutch2026:\n", "\n'clutch2026':\n")
    assert quoted != text
    assert KeyLock.parse(quoted, lock).problems == ()
    assert KeyLock.parse(quoted, lock).keys == KeyLock.parse(text, lock).keys
