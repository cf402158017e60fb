"""biblatex's @set (papers cited together: a citation of it cites its members) and @xdata (fields
other entries take in) are entries of a .bib file, not papers: they got "Untitled (stdmodel)" pages,
counted as papers and sat on the list of papers on no topic. They stay in the site's .bib file
and the export, as written. TeX Live's biblatex-examples.bib, read in place."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from .helpers import run_cli, texlive

pytestmark = pytest.mark.slow


def _pages(tmp_path: Path, bib: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: Containers\nplugins:\n  - readinglist:\n      sources: ['{bib}']\n      lock_file: keys.lock\n",
        encoding="utf-8")
    done = run_cli("pages", "--config", "mkdocs.yml", "--out", "docs", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "docs"


def test_sets_get_no_page_and_stay_in_the_bib_file(tmp_path: Path) -> None:
    source = texlive("biblatex-examples.bib")
    entries = bibtexparser.parse_string(source.read_text(encoding="utf-8")).entries
    sets = sorted(e.key for e in entries if e.entry_type.lower() == "set")
    assert sets == ["set", "stdmodel"]
    docs = _pages(tmp_path, source)
    pages = {p.stem for p in (docs / "reading-list" / "papers").glob("*.md")}
    assert not pages & set(sets)
    assert {"glashow", "weinberg", "salam"} <= pages  # the set's members have theirs
    untagged = (docs / "reading-list" / "untagged.md").read_text(encoding="utf-8")
    assert "stdmodel" not in untagged and "Untitled" not in untagged
    home = (docs / "reading-list" / "index.md").read_text(encoding="utf-8")
    assert f"**{len(pages)} papers**" in home
    written = bibtexparser.parse_string((docs / "references.bib").read_text(encoding="utf-8"))
    assert {e.key for e in written.entries} >= set(sets)  # the file keeps them, as the export does


def test_xdata_gets_no_page(tmp_path: Path) -> None:
    bib = tmp_path / "shared.bib"
    bib.write_text("@xdata{jsd,\n  journaltitle = {Journal of Shared Data},\n  publisher = {Shared Press},\n}\n\n"
                   "@article{lee2021,\n  author = {Lee, Kim},\n  title = {Hands},\n  xdata = {jsd},\n"
                   "  date = {2021},\n}\n", encoding="utf-8")
    docs = _pages(tmp_path, bib)
    assert {p.stem for p in (docs / "reading-list" / "papers").glob("*.md")} == {"lee2021"}
    assert "@xdata{jsd" in (docs / "references.bib").read_text(encoding="utf-8")
