"""A `.bib` field of over 20,000 characters: its pages show it cut at a word, but the export writes
it whole, as the entry has it (the record is the truth), and the `too-long` warning says so; it
said the field was cut, which only the display was. A listing's too-long text is cut for good."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from .helpers import SAMPLES, run_cli

pytestmark = pytest.mark.slow


def test_a_long_bib_abstract_is_exported_whole_and_the_warning_says_so(tmp_path: Path) -> None:
    # Real prose: the sample listings' text, repeated past the limit.
    prose = " ".join((SAMPLES / "hf-search-skeleton-pose.txt").read_text(encoding="utf-8").split())
    prose = prose.replace("{", "").replace("}", "").replace("\\", "").replace("%", " percent")
    abstract = (prose + " ") * (30_000 // len(prose) + 1)
    abstract = abstract[:30_000].rsplit(" ", 1)[0]
    (tmp_path / "refs.bib").write_text(
        "@article{long2024,\n  author = {Lee, Kim},\n  title = {A Long Abstract},\n  journal = {J},\n"
        f"  year = {{2024}},\n  abstract = {{{abstract}}},\n}}\n", encoding="utf-8")
    done = run_cli("bib", "refs.bib", "-o", "out.bib", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"refs.bib:6: warning[too-long]: abstract of {len(abstract):,} characters cut to" in done.stderr
    assert "on the pages; the export writes it whole, as the entry has it" in done.stderr
    exported = bibtexparser.parse_string((tmp_path / "out.bib").read_text(encoding="utf-8"))
    written = exported.entries_dict["long2024"]["abstract"]
    assert " ".join(written.split()) == " ".join(abstract.split())
