"""The .bib writer joins blocks itself: byte for byte what bibtexparser v2's writer gives.

render/bibtex.py writes entries, `@string`, `@preamble` and `@comment` blocks as text instead
of building a bibtexparser Library for each write (a fifth of the export's time at 20k papers).
These tests hold the two writers side by side on every block of real bibliographies (TeX Live's,
used in place) and on the export of the sample corpus.
"""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import model

from mkdocs_readinglist.pipeline import SourceCache, run_pipeline
from mkdocs_readinglist.render import bibtex
from mkdocs_readinglist.settings import Settings, SourceSpec

from .helpers import run_cli
from .test_bib_round_trip import texlive_bib

REPO = Path(__file__).resolve().parent.parent


def _library_text(blocks: list[model.Block]) -> str:
    text = bibtex._write_library(blocks).strip()
    return text + "\n" if text else ""


@pytest.mark.parametrize("name", ["xampl.bib", "biblatex-examples.bib", "typeset.bib"])
def test_blocks_of_real_bibliographies_written_as_bibtexparser_writes_them(name: str) -> None:
    library = bibtexparser.parse_string(texlive_bib(name).read_text(encoding="utf-8", errors="replace"),
                                        parse_stack=[])
    blocks = [b for b in library.blocks
              if isinstance(b, model.Entry | model.String | model.Preamble | model.ExplicitComment)]
    assert len(library.entries) > 30
    ours = bibtex._write(blocks)
    assert ours == _library_text(blocks)
    # one block at a time too (each paper's page shows its own entry)
    for block in blocks[:300]:
        assert bibtex._write([block]) == _library_text([block])


def test_an_entry_without_fields_and_an_empty_write() -> None:
    blocks: list[model.Block] = [model.Entry("misc", "empty", []), model.String("acm", "{ACM}")]
    assert bibtex._write(blocks) == _library_text(blocks)
    assert bibtex._write([]) == "" == _library_text([])


@pytest.mark.parametrize("source", ["bib", "tests/fixtures/latex/hard-authors.bib", "biblatex-examples.bib"])
def test_exports_are_the_library_writers_bytes(source: str, tmp_path: Path) -> None:
    """The sample listings (entries made from listings), and users' .bib files written back."""
    path = texlive_bib(source) if source == "biblatex-examples.bib" else REPO / source
    settings = Settings(base_dir=REPO, sources=(SourceSpec(str(path)),), lock_file=str(tmp_path / "keys.lock"))
    corpus = run_pipeline(settings, cache=SourceCache(memos=False), write_lock=False, topics=False, links=False)
    papers = bibtex.export_order(corpus.papers)
    blocks = [*bibtex.source_blocks(papers), *(e for p in papers for e in bibtex.bib_entries(p))]
    assert len(blocks) >= 5
    assert bibtex.write_bibtex(corpus.papers) == _library_text(blocks)
    for paper in papers[:100]:
        assert bibtex.entry_text(paper) == _library_text(list(bibtex.bib_entries(paper)))


def _texlive_corpus(name: str, tmp_path: Path) -> list:  # type: ignore[type-arg]
    source = texlive_bib(name)
    settings = Settings(base_dir=source.parent, sources=(SourceSpec(source.name),),
                        lock_file=str(tmp_path / "keys.lock"))
    return list(run_pipeline(settings, cache=SourceCache(memos=False)).papers)


def test_an_entry_formatted_alone_brings_the_strings_it_uses_whatever_their_names(tmp_path: Path) -> None:
    """xampl.bib's `key = STOC-key` (a BibTeX macro name with a hyphen, as tugboat.bib's
    `j-TUGboat`): the definition comes with the entry, or pybtex prints the macro's name."""
    papers = {p.key: p for p in _texlive_corpus("xampl.bib", tmp_path)}
    strings = bibtex.used_strings_text(papers["proceedings-minimal"])
    assert "STOC-key" in strings and "STOC" in strings
    assert "@string{STOC-key" in strings.replace("@STRING", "@string")


def test_a_selection_brings_the_members_of_a_set(tmp_path: Path) -> None:
    """biblatex-examples.bib's `@set{stdmodel, entryset = {glashow,weinberg,salam}}`: biber
    needs every member (it warns and prints an empty item otherwise)."""
    papers = _texlive_corpus("biblatex-examples.bib", tmp_path)
    chosen = {p.key for p in bibtex.select(papers, keys=["stdmodel"])}
    assert chosen == {"stdmodel", "glashow", "weinberg", "salam"}


def test_a_repaired_value_ending_in_a_lone_backslash_reads_back(tmp_path: Path) -> None:
    """`journal = & \\` (a bare value, found by hypothesis): repaired to `{\\& \\}`, whose last
    backslash escaped the closing brace, so the export could not be read back (bibtexparser took
    the rest of the file for the value). A control space keeps the text and the brace."""
    (tmp_path / "x.bib").write_text("@article{bs2023,\n  title = {Back Slash},\n  journal = & \\\n}\n\n"
                                    "@article{next2024,\n  title = {Next},\n  year = {2024}\n}\n", encoding="utf-8")
    result = run_cli("bib", "x.bib", "--lock", "k.lock", "-o", "-", cwd=tmp_path)
    library = bibtexparser.parse_string(result.stdout)
    assert not library.failed_blocks and [e.key for e in library.entries] == ["bs2023", "next2024"]
    assert library.entries_dict["bs2023"].fields_dict["journal"].value == "\\& \\ "
