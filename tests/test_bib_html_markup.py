"""HTML in BibTeX values and services' titles, as Crossref keeps them (JATS: `&amp;`, `<i>`,
`<sub>`, MathML): what the reader, the export, real LaTeX and the resolver make of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_readinglist.corpus import merge_records
from mkdocs_readinglist.latex.check import check_bib
from mkdocs_readinglist.resolve import crossref
from mkdocs_readinglist.resolve.match import judge
from mkdocs_readinglist.sources import read_text

from .helpers import run_cli
from .test_bib_service_exports import _export as export_of
from .test_latex_check import require_tex

# As doi.org's content negotiation (application/x-bibtex) writes Crossref's metadata: one line,
# the title as the publisher deposited it
CROSSREF = """@article{Lee_2021, title={CO<sub>2</sub> capture <i>in situ</i>: a Q&amp;A on R&amp;D costs}, volume={35}, ISSN={1520-5029}, url={http://dx.doi.org/10.1021/acs.energyfuels.1c00001}, DOI={10.1021/acs.energyfuels.1c00001}, number={4}, journal={Energy &amp; Fuels}, publisher={American Chemical Society (ACS)}, author={Lee, Min and Park, Ji}, year={2021}, month=feb, pages={3001–3010} }

@article{Kim_2022, title={Bounds for <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>k</mml:mi></mml:math>-hop reasoning}, volume={9}, DOI={10.1000/khop.2022}, journal={Journal of Tests}, author={Kim, Sara}, year={2022} }
"""


def test_entities_and_face_tags_are_written_as_latex_and_reported(tmp_path: Path) -> None:
    read = read_text(CROSSREF, "bib/crossref.bib")
    assert [(d.line, d.code) for d in read.diagnostics] == [(1, "html-entity"), (1, "html-entity"),
                                                            (3, "html-markup")]
    assert "<sub> as \\textsubscript{}" in read.diagnostics[0].message and "&amp; as \\&" in read.diagnostics[0].message
    assert "<mml:math>" in read.diagnostics[2].message
    lee, kim = read.records
    assert lee.title == "CO2 capture in situ: a Q&A on R&D costs" and lee.venue == "Energy & Fuels"
    assert kim.title == "Bounds for k-hop reasoning"  # the page shows MathML's text, not its tags
    exported, reported = export_of(tmp_path, "crossref.bib", CROSSREF)
    assert "title = {CO\\textsubscript{2} capture \\textit{in situ}: a Q\\&A on R\\&D costs}" in exported
    assert "journal = {Energy \\& Fuels}" in exported and "&amp;" not in exported
    assert "<mml:mi>k</mml:mi>" in exported  # MathML is the user's: written as it came, and warned
    assert "crossref.bib:3: warning[html-markup]" in reported and "html-entity" not in reported  # an info
    assert "ISSN = {1520-5029}" in exported and "pages = {3001–3010}" in exported  # the rest as written


@pytest.mark.latex
def test_the_export_sets_the_faces_and_the_ampersand_in_real_latex(tmp_path: Path) -> None:
    require_tex()
    source = tmp_path / "crossref.bib"
    source.write_text(CROSSREF.split("\n\n")[0] + "\n", encoding="utf-8")
    broken = check_bib(source, ["bibtex-plain"])
    assert any(p.code == "latex-tex-error" for p in broken.problems)  # `Q&amp;A`: a misplaced alignment tab
    done = run_cli("bib", str(source), "-o", str(tmp_path / "out.bib"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    fixed = check_bib(tmp_path / "out.bib", ["bibtex-plain", "biber"])
    assert not fixed.problems, "\n".join(p.format() for p in fixed.problems)
    text = " ".join(fixed.runs[0].pdf_text.split())
    # (plain.bst sets a title in lower case: the user's braces, none here, would keep capitals)
    assert "co2 capture in situ: a q&a on r&d costs" in text.lower() and "Energy & Fuels" in text, text


def test_a_crossref_title_in_jats_matches_the_paper_it_names() -> None:
    item = {"DOI": "10.1021/acs.energyfuels.1c00001", "type": "journal-article",
            "title": ["CO<sub>2</sub> capture <i>in situ</i>: a Q&amp;A on R&amp;D costs"],
            "author": [{"given": "Min", "family": "Lee", "sequence": "first"}],
            "issued": {"date-parts": [[2021, 2, 1]]}, "container-title": ["Energy &amp; Fuels"]}
    found = crossref.candidate(item)
    assert found is not None and found.title == "CO2 capture in situ: a Q&A on R&D costs"
    mine = read_text("@article{lee, title={CO2 capture in situ: a Q\\&A on R\\&D costs}, author={Lee, Min},"
                     " year={2021}, journal={Energy and Fuels}}\n", "bib/mine.bib")
    verdict = judge(merge_records([mine]).papers[0], [found])
    assert verdict.status == "found", verdict


NOT_HTML = r"""@article{k1, author = {Roe, Rick}, title = {Bounds for all k<n and m>1}, journal = {J}, year = {2020},
  abstract = {We prove that for all k<n and m>1 the bound holds, for std::vector<bool> and List<T>.}}
@article{t1, author = {Poe, Al}, title = {Looking ahead for a {\tt <box>}}, journal = {TUGboat}, year = {1990}}
@article{q1, author = {Doe, Jane}, title = {Q\&amp;A on R\&D}, journal = {J}, year = {2021},
  howpublished = {\url{https://example.org/get?id=1&amp;fmt=csv}}, note = {For $n &lt; k$ only}}
"""


def test_text_that_only_looks_like_html_is_text_and_an_escaped_entity_compiles(tmp_path: Path) -> None:
    """`k<n and m>1`, `List<T>`, tugboat.bib's `{\\tt <box>}` were taken for tags: their text went missing
    from pages and a strict build failed on html-markup. `Q\\&amp;A` (an escaped `&` with the entity's
    rest) became `Q\\\\&A`, and pdflatex stopped; `&amp;` in a URL argument or `&lt;` in math are the
    characters themselves there, not `\\&` or `\\textless{}`."""
    read = read_text(NOT_HTML, "bib/refs.bib")
    assert [(d.line, d.code) for d in read.diagnostics] == [(4, "html-entity"), (5, "html-entity"), (5, "html-entity")]
    k1, t1, q1 = read.records
    assert k1.title == "Bounds for all k<n and m>1" and "List<T>" in (k1.abstract or "") and "k<n and m>1" in (k1.abstract or "")
    assert t1.title == "Looking ahead for a <box>"
    assert q1.title == "Q&A on R&D"
    exported, _ = export_of(tmp_path, "refs.bib", NOT_HTML)
    assert "title = {Q\\&A on R\\&D}" in exported and "\\\\&" not in exported
    assert "\\url{https://example.org/get?id=1&fmt=csv}" in exported and "note = {For $n < k$ only}" in exported
    assert "title = {Bounds for all k<n and m>1}" in exported  # the user's own, as written


@pytest.mark.latex
def test_html_and_bare_specials_in_names_are_repaired_and_reported(tmp_path: Path) -> None:
    """`author = {Smith & Co and Jos&#233; Garc&#237;a}`: `check --strict` passed, and pdflatex stopped
    on the export with every engine (only typeset fields were repaired)."""
    source = tmp_path / "names.bib"
    source.write_text("@article{a1, author = {Smith & Co and Jos# Doe and Jos&#233; Garc&#237;a and Roe &amp; Sons},"
                      " title = {T}, journal = {J}, year = {2020}}\n", encoding="utf-8")
    read = read_text(source.read_text(encoding="utf-8"), "bib/names.bib")
    assert [(d.line, d.code) for d in read.diagnostics] == [(1, "html-entity"), (1, "latex-special"), (1, "non-ascii")]
    assert read.records[0].authors == ("Smith & Co", "Jos# Doe", "José García", "Roe & Sons")
    done = run_cli("bib", str(source), "-o", str(tmp_path / "out.bib"), "--lock", str(tmp_path / "k.lock"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "author = {Smith \\& Co and Jos\\# Doe and Jos{\\'e} Garc" in (tmp_path / "out.bib").read_text(encoding="utf-8")
    require_tex()
    fixed = check_bib(tmp_path / "out.bib", ["bibtex-plain", "biber"])
    assert not fixed.problems, "\n".join(p.format() for p in fixed.problems)
