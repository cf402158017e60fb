"""The order of a references list and of a citation's items, as the style's cs:sort says and as
Pandoc's citeproc sorts them: a paper without authors (most scraped papers) by the title the style
puts in the authors' place, among the names.

Real entries: TeX Live's biblatex-examples.bib read in place, and the demo's scraped listings
(Hugging Face and arXiv give no authors), both through the pipeline.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mkdocs_readinglist.citations.csl import CitationStyle, plain, style_path
from mkdocs_readinglist.citations.syntax import parse_bracketed, parse_in_text


def _kpsewhich(name: str) -> str:
    return subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """biblatex-examples' entries and the demo's scraped ones, in one corpus."""
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import standalone_entries

    from .helpers import SAMPLES
    tmp = tmp_path_factory.mktemp("sorting")
    settings, _ = settings_from_mapping(tmp, {"sources": [_kpsewhich("biblatex-examples.bib"), str(SAMPLES)],
                                              "lock_file": str(tmp / "keys.lock")})
    return standalone_entries(run_pipeline(settings))


# Without authors: synpain2025 ("SynPAIN: ..."), bitbox2025 ("Bitbox: ..."), expllm2024 ("ExpLLM: ...").
KEYS = ["synpain2025", "aksin", "bitbox2025", "sigfridsson", "expllm2024"]


@pytest.mark.parametrize("name", ["chicago-author-date", "apa"])
def test_a_paper_without_authors_sorts_by_its_title_among_the_names(entries: dict[str, str], name: str) -> None:
    """Chicago's and APA's bibliography sort by a macro that puts the title in place of missing
    authors. citeproc-py compared the macro's HTML (`<i>SynPAIN ...</i>`): every paper without
    authors came first, by its `<`. Pandoc: Aksın, Bitbox, ExpLLM, Sigfridsson, SynPAIN."""
    style = CitationStyle(style_path(name, Path(".")), entries)
    assert all("author =" not in entries[key] for key in ("synpain2025", "bitbox2025", "expllm2024"))
    order = [key for key, _ in style.references(KEYS)]
    assert order == ["aksin", "bitbox2025", "expllm2024", "sigfridsson", "synpain2025"], order


def test_apa_sorts_a_citation_by_the_same_substitute(entries: dict[str, str]) -> None:
    """APA sorts a citation's items by author (its cs:citation's cs:sort): a paper without authors
    by its title among them, as Pandoc cites them."""
    citation = parse_bracketed("@synpain2025; @aksin; @bitbox2025; @sigfridsson")
    assert citation is not None
    style = CitationStyle(style_path("apa", Path(".")), entries)
    label = plain(style.render([citation], lambda key: f"/p/{key}/").labels[0])
    assert label.index("Aksın") < label.index("Bitbox") < label.index("Sigfridsson") < label.index("SynPAIN"), label


def test_acm_lists_papers_without_authors_last(entries: dict[str, str]) -> None:
    """ACM sorts by its `author` macro, which has no substitute: a paper without authors has an
    empty key, and CSL 1.0.2 places "items with an empty sort key value ... at the end of the sort"
    (Pandoc puts them first)."""
    style = CitationStyle(style_path("acm", Path(".")), entries)
    order = [key for key, _ in style.references(KEYS)]
    assert order[:2] == ["aksin", "sigfridsson"] and set(order[2:]) == {"synpain2025", "bitbox2025", "expllm2024"}, order


@pytest.fixture(scope="module")
def with_xampl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from .helpers import texlive_entries

    return texlive_entries(tmp_path_factory.mktemp("names"), "biblatex-examples.bib", "xampl.bib")


IN_TEXT = ["vangennep", "geer", "proceedings-full", "sigfridsson", "aksin", "jcg"]


@pytest.mark.parametrize(("name", "expected"), [
    ("ieee", ["van Gennep [1]", "de Geer [2]", "Oz and Yannakakis [3]", "Sigfridsson and Ryde [4]", "Aksın et al. [5]",
              "“Computers and Graphics” [6]"]),
    # ACM numbers by its list's order (author, then year; jcg, without one, last)
    ("acm", ["van Gennep [5]", "de Geer [2]", "Oz and Yannakakis [3]", "Sigfridsson and Ryde [4]", "Aksın et al. [1]",
             "“Computers and Graphics” [6]"]),
])
def test_numeric_styles_name_in_text_as_their_references_do(with_xampl: dict[str, str], name: str,
                                                              expected: list[str]) -> None:
    """`@key` in a numeric style: the names, then the number. They lost their particles ("Gennep [1]"
    for the list's "A. van Gennep"), and an edited volume without authors was its full title in
    quotes, not its editors (xampl's proceedings-full); a @periodical with neither, its title."""
    style = CitationStyle(style_path(name, Path(".")), with_xampl)
    rendered = style.render([parse_in_text(key, None) for key in IN_TEXT], lambda key: f"/p/{key}/")
    assert [plain(label) for label in rendered.labels] == expected
    assert "van Gennep" in plain(dict(rendered.references)["vangennep"])


def test_in_text_names_use_the_styles_terms(with_xampl: dict[str, str], tmp_path: Path) -> None:
    """The words between and after the names are the style's locale's terms: IEEE's style with
    `default-locale="de-DE"` (citeproc-py's German locale) says "und" and "u. a."."""
    german = tmp_path / "ieee-de.csl"
    text = style_path("ieee", Path(".")).read_text(encoding="utf-8")
    german.write_text(text.replace("<style ", '<style default-locale="de-DE" ', 1), encoding="utf-8")
    rendered = CitationStyle(german, with_xampl).render([parse_in_text("sigfridsson", None),
                                                          parse_in_text("aksin", None)], str)
    shown = [plain(label).replace("\xa0", " ") for label in rendered.labels]  # (the locale's `u.\u00a0a.`)
    assert shown == ["Sigfridsson und Ryde [1]", "Aksın u. a. [2]"]


@pytest.fixture(scope="module")
def texbook(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Nelson Beebe's texbook1.bib (TeX Live), read in place."""
    from .helpers import texlive_entries

    return texlive_entries(tmp_path_factory.mktemp("texbook"), "texbook1.bib")


@pytest.mark.parametrize("name", ["chicago-author-date", "apa"])
def test_one_first_author_sorts_by_the_second(texbook: dict[str, str], name: str) -> None:
    """Knuth and Levy (1993), Knuth, Larrabee and Roberts (1989): the second author decides
    (Larrabee before Levy), as APA 9.45 and Pandoc order them. The sort key held the style's "&"
    or "and" ("Knuth, D. E., & Levy, S."), which sorted before every second name."""
    style = CitationStyle(style_path(name, Path(".")), texbook)
    order = [key for key, _ in style.references(["Knuth:CSS93", "Knuth:MW89"])]
    assert order == ["Knuth:MW89", "Knuth:CSS93"], order


@pytest.mark.parametrize(("name", "expected"), [
    # Chicago: "primary-name"; APA: "primary-name-with-initials"; both sort or keep as they do
    ("chicago-author-date", ["(S. Schwartz and Potuček 1992; L. R. Schwartz 1988)", "S. Schwartz and Potuček (1992)"]),
    ("apa", ["(L. R. Schwartz, 1988; S. Schwartz & Potuček, 1992)", "S. Schwartz & Potuček (1992)"]),
])
def test_two_first_authors_of_one_name_are_told_apart_by_their_initials(texbook: dict[str, str], name: str,
                                                                         expected: list[str]) -> None:
    """Stefan Schwartz (1992) and Laurens R. Schwartz (1988): CSL's global name disambiguation
    (`disambiguate-add-givenname` with a "primary-name" rule) adds the first author's initials where
    they tell two people apart, as Pandoc cites them; citeproc-py gave "(Schwartz and Potuček 1992;
    Schwartz 1988)". The references list names them in full already."""
    from mkdocs_readinglist.citations.syntax import parse_bracketed as bracketed

    both = bracketed("@Schwartz:LSD92; @Schwartz:WYA88")
    assert both is not None
    style = CitationStyle(style_path(name, Path(".")), texbook)
    rendered = style.render([both, parse_in_text("Schwartz:LSD92", None)], str)
    assert [plain(label) for label in rendered.labels] == expected


def test_given_names_in_full_where_initials_are_alike() -> None:
    """John and Jane Smith share "J.": Chicago (whose rule does not stop at initials) cites them by
    their given names, as Pandoc does; APA's "-with-initials" rule cannot tell them apart and leaves
    them, with a year each. (No TeX Live bibliography has two such first authors.)"""
    entries = {key: f"@article{{{key},\n  author = {{Smith, {given}}},\n  title = {{{key}}},\n  journal = {{J}},\n"
                    f"  year = {{{year}}},\n}}\n" for key, given, year in (("js1", "John", 2019), ("js2", "Jane", 2020))}
    citation = parse_bracketed("@js1; @js2")
    assert citation is not None
    chicago = CitationStyle(style_path("chicago-author-date", Path(".")), entries)
    assert plain(chicago.render([citation], str).labels[0]) == "(John Smith 2019; Jane Smith 2020)"
    apa = CitationStyle(style_path("apa", Path(".")), entries)
    # (two people, not grouped as one's two works: Pandoc "(Smith, 2020; Smith, 2019)", Jane sorted first)
    assert plain(apa.render([citation], str).labels[0]) == "(Smith, 2019; Smith, 2020)"
