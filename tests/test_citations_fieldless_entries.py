"""An entry citeproc-py cannot read to its end never stops a build: an entry with no fields
(`@misc{todo2024,}`, a placeholder a writer adds before the facts), or one whose only field was a
crossref to an entry that is not there (the export leaves it out), made citeproc-py's BibTeX reader
wait for a `=` for ever, and `mkdocs build` hung. Such a citation shows its key, and no fact is
invented for it (no "Preprint.")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mkdocs_readinglist.citations.csl_item import csl_item

from .helpers import mkdocs_build

pytestmark = pytest.mark.slow

UNREADABLE = ("@misc{todo2024,}", "@misc{todo2024,\n}", "@misc{k, title = {A}, junk }", "@string{x}")


@pytest.mark.parametrize("text", UNREADABLE)
def test_citeproc_reading_of_an_unreadable_entry_ends(text: str) -> None:
    # In a child process with a deadline: the old code never returned.
    code = f"from mkdocs_readinglist.citations.csl_item import csl_item; print(csl_item({text!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"


def test_a_readable_entry_is_still_read() -> None:
    item = csl_item("@article{lee2021hands,\n  author = {Lee, Kim},\n  title = {Hands and Objects},\n"
                    "  journal = {IJCV},\n  year = {2021},\n}\n")
    assert item is not None
    assert str(item["title"]) == "Hands and objects"  # (a BibTeX title in sentence case, as CSL keeps titles)


def test_a_site_citing_fieldless_entries_builds(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "bib" / "refs.bib").write_text(textwrap.dedent("""\
        @misc{todo2024,}
        @misc{lost, crossref = {nothere}}
        @article{lee2021hands,
          author = {Lee, Kim},
          title = {Hands and Objects},
          journal = {IJCV},
          year = {2021},
        }
        """), encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(
        "# Survey\n\nTo do [@todo2024], lost [@lost], and hands [@lee2021hands].\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Fieldless
        theme: {name: material}
        plugins:
          - readinglist:
              sources: [bib]
              lock_file: bib/readinglist.lock
        """), encoding="utf-8")
    done = mkdocs_build(tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Lee 2021" in page  # the readable entry is cited as usual
    survey = page.split("To do", 1)[1].split("</p>", 1)[0]
    assert "Todo2024" in survey and "Lost" in survey  # each shown by its key
    assert "Preprint" not in page  # no fact invented for an entry that gives none
