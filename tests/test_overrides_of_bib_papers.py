"""An override of a fact of a paper from the user's own .bib (its title, authors, year, ...) shows
on its pages only: the entry's BibTeX, formatted reference and citations keep the entry's own
values (the record is the truth). That is said at the override's line; before, the page and the
export silently disagreed. TeX Live's xampl.bib, read in place."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from .helpers import papers_json, run_cli, texlive

pytestmark = pytest.mark.slow

OVERRIDES = """papers:
  article-full:
    title: The Gnats and Gnus Document Preparation System, Revised
    topics: [LLM]
  book-full:
    notes: A classic.
"""


def test_an_override_of_a_bib_papers_title_is_said_to_show_on_its_pages_only(tmp_path: Path) -> None:
    (tmp_path / "overrides.yml").write_text(OVERRIDES, encoding="utf-8")
    xampl = str(texlive("xampl.bib"))
    checked = run_cli("check", xampl, "overrides.yml", cwd=tmp_path)
    found = [line for line in checked.stderr.splitlines() if "override-not-exported" in line]
    assert found == ["overrides.yml:2: warning[override-not-exported]: the override of title for 'article-full' shows "
                     "on its pages only: the paper is an entry of your .bib, whose BibTeX, formatted reference and "
                     "citations keep the entry's own values (the record is the truth); change them in the .bib"], \
        checked.stderr
    papers = {p["key"]: p for p in papers_json(xampl, "overrides.yml", cwd=tmp_path)}
    assert papers["article-full"]["title"].endswith("Revised")  # the pages' title
    done = run_cli("bib", xampl, "overrides.yml", "-o", "out.bib", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = bibtexparser.parse_string((tmp_path / "out.bib").read_text(encoding="utf-8")).entries_dict
    assert "Revised" not in written["article-full"]["title"]  # the entry as written
