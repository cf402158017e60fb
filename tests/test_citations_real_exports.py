"""What users bring from the services they export from: dblp.org's records and Zotero's Better
BibTeX files (tests/fixtures/exports/), read by the pipeline and shown by each bundled CSL style
and by pybtex as the site shows them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.citations.csl import STYLES, CitationStyle, plain, style_path
from mkdocs_readinglist.citations.syntax import parse_bracketed
from mkdocs_readinglist.pipeline import Corpus, run_pipeline
from mkdocs_readinglist.render.bibtex import write_bibtex
from mkdocs_readinglist.render.reference import ReferenceFormatter
from mkdocs_readinglist.settings import settings_from_mapping
from mkdocs_readinglist.site import standalone_entries

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    tmp = tmp_path_factory.mktemp("exports")
    settings, _ = settings_from_mapping(tmp, {"sources": [str(EXPORTS / "dblp.bib"), str(EXPORTS / "zotero-bbt.bib")],
                                              "lock_file": str(tmp / "keys.lock")})
    return run_pipeline(settings)


@pytest.fixture(scope="module")
def entries(corpus: Corpus) -> dict[str, str]:
    return standalone_entries(corpus)


def reference(entries: dict[str, str], style: str, key: str) -> str:
    return plain(dict(CitationStyle(style_path(style, Path(".")), entries).references([key]))[key])


def label(entries: dict[str, str], style: str, key: str) -> str:
    citation = parse_bracketed(f"@{key}")
    assert citation is not None
    return plain(CitationStyle(style_path(style, Path(".")), entries).render([citation], str).labels[0])


def test_dblp_escapes_in_doi_and_url_are_read_and_written_back_as_they_came(corpus: Corpus) -> None:
    """dblp writes `\\_` in `doi` and `url`: the DOI is read (it was "not a doi", reported twice, and
    left off the paper), and the export keeps the fields as dblp wrote them."""
    paper = next(p for p in corpus.papers if p.key == "DBLP:conf/eccv/XiaoWW18")
    assert paper.doi == "10.1007/978-3-030-01231-1_29"
    assert "https://doi.org/10.1007/978-3-030-01231-1_29" in [url for _, url in paper.urls]
    assert not [d for d in corpus.diagnostics if d.code == "bad-field"], corpus.diagnostics
    written = write_bibtex(corpus.papers)
    assert "doi = {10.1007/978-3-030-01231-1\\_29}" in written
    assert "url = {http://openaccess.thecvf.com/content\\_CVPR\\_2019/html/Sun\\_Deep" in written


@pytest.mark.parametrize(("style", "names"), [
    ("chicago-author-date", "Xiao, Bin, Haiping Wu, and Yichen Wei. 2018."),
    ("apa", "Xiao, B., Wu, H., & Wei, Y. (2018)."),
    ("ieee", "B. Xiao, H. Wu, and Y. Wei,"),
    ("acm", "Bin Xiao, Haiping Wu, and Yichen Wei. 2018."),
])
def test_names_wrapped_over_lines_are_each_a_name(entries: dict[str, str], style: str, names: str) -> None:
    """dblp wraps `author` after each `and`: citeproc-py read the wrapped names as one
    ("and Haiping Wu and Yichen Wei 2018")."""
    text = reference(entries, style, "DBLP:conf/eccv/XiaoWW18")
    assert names in text, text
    assert "  " not in text and "Munich, Germany" in text  # the wrapped booktitle on one line
    if style == "chicago-author-date":
        assert label(entries, style, "DBLP:conf/eccv/XiaoWW18") == "(Xiao et al. 2018)"  # CMOS 18: et al. from three authors


@pytest.mark.parametrize("style", sorted(STYLES))
def test_unicode_text_shows_as_itself(entries: dict[str, str], style: str) -> None:
    """The export writes Chinese as LaTeX stand-ins (`{\\texttt{<U+57FA>}\\allowbreak}`); pages show
    the characters themselves, in every style and in pybtex's reference."""
    assert "<U+57FA>" in entries["zhang2022renti"]
    text = reference(entries, style, "zhang2022renti")
    assert "基于深度学习的人体姿态估计综述" in text and "中国计算机视觉大会" in text and "U+" not in text, text
    assert "张伟" in text


def test_pybtex_references_show_unicode_text_as_itself(entries: dict[str, str], tmp_path: Path) -> None:
    formatted = ReferenceFormatter(tmp_path / "references.json").format_all(
        {key: entries[key] for key in ("zhang2022renti", "DBLP:conf/eccv/XiaoWW18")})
    assert "基于深度学习的人体姿态估计综述" in formatted["zhang2022renti"] and "U+" not in formatted["zhang2022renti"]


def test_chicago_as_the_manual_and_pandoc_write_it(entries: dict[str, str]) -> None:
    """Full given names (the style says `initialize="false"`), the period inside the quotes (its
    locale's punctuation-in-quote), a `{{OpenPose}}:` title whole, a German title in its own case."""
    cao = reference(entries, "chicago-author-date", "cao2019openpose")
    assert cao.startswith("Cao, Zhe, Gines Hidalgo, Tomas Simon, Shih-En Wei, and Yaser Sheikh. 2021. "
                          "“OpenPose: Realtime Multi-Person 2D Pose Estimation Using Part Affinity Fields.” "), cao
    assert label(entries, "chicago-author-date", "cao2019openpose") == "(Cao et al. 2021)"
    muller = reference(entries, "chicago-author-date", "muller2021koerper")
    assert "“Körperhaltung und Bewegungsanalyse: Eine Übersicht.”" in muller, muller


@pytest.mark.parametrize("style", ["apa", "acm"])
def test_and_others_is_not_a_person(entries: dict[str, str], style: str) -> None:
    text = reference(entries, style, "alpha2023large")
    assert "Gamma" in text and not re.search(r"\bothers\b", text), text


def test_paper_pages_name_authors_as_they_are_read(corpus: Corpus, tmp_path: Path) -> None:
    """`Cao, Zhe, Hidalgo, Gines, ...` could not be told apart: names in reading order, and BibTeX's
    `and others` as "et al."."""
    from mkdocs_readinglist.render.pages import PageOptions, natural_order
    from mkdocs_readinglist.site import site_pages

    pages, _ = site_pages(corpus, PageOptions(), ReferenceFormatter(tmp_path / "references.json"))
    content = {page.path.rsplit("/", 1)[-1]: page.content for page in pages}
    assert "Authors: Zhe Cao, Gines Hidalgo, Tomas Simon, Shih-En Wei, Yaser Sheikh\n" in content["cao2019openpose.md"]
    assert "Authors: Ann Alpha, Bob Beta, Carl Gamma et al.\n" in content["alpha2023large.md"]
    assert "Authors: Bin Xiao, Haiping Wu, Yichen Wei\n" in content[
        next(name for name in content if name.startswith("DBLP-conf-eccv-XiaoWW18"))]
    assert natural_order("Ford, Jr., Henry") == "Henry Ford, Jr." and natural_order("张伟") == "张伟"


def test_papers_json_gives_the_doi(tmp_path: Path) -> None:
    from .helpers import papers_json
    papers = {p["key"]: p for p in papers_json(str(EXPORTS / "dblp.bib"), cwd=tmp_path)}
    assert papers["DBLP:conf/eccv/XiaoWW18"]["doi"] == "10.1007/978-3-030-01231-1_29"
    assert papers["DBLP:conf/cvpr/SunXLW19"]["doi"] == "10.1109/cvpr.2019.00584"


@pytest.fixture(scope="module")
def scholar(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("scholar")
    settings, _ = settings_from_mapping(tmp, {"sources": [str(EXPORTS / "google-scholar.bib")],
                                              "lock_file": str(tmp / "keys.lock")})
    return standalone_entries(run_pipeline(settings))


@pytest.mark.parametrize(("style", "names"), [
    ("chicago-author-date", "Kingma, Diederik P., and Jimmy Ba. 2014."),
    ("apa", "Kingma, D. P., & Ba, J. (2014)."),
    ("ieee", "D. P. Kingma and J. Ba,"),
    ("acm", "Diederik P Kingma and Jimmy Ba. 2014."),  # (ACM's names have no initialize-with: as written)
])
def test_an_initial_without_its_period_gets_the_styles_mark(scholar: dict[str, str], style: str, names: str) -> None:
    """Google Scholar writes `Kingma, Diederik P`. Chicago keeps given names whole (initialize="false"),
    and CSL still puts initialize-with after the initials they have ("James T Kirk" becomes "James T.
    Kirk"): "Diederik P.", as Pandoc. citeproc-py printed "Diederik P," (no mark at all)."""
    text = re.sub(r"^\[1\] ", "", reference(scholar, style, "kingma2014adam"))  # (a numeric style's number)
    assert text.startswith(names), text
