"""CSL 1.0.2's cite grouping and `collapse="year"` (Chicago author-date and APA declare it on their
cs:citation; citeproc-py does neither): cites whose names render alike go together, the names
shown once, as Pandoc's citeproc prints them. Real entries: biblatex-examples.bib, read in place
by the pipeline (knuth:ct:a, b and c are Knuth's 1984 and two 1986 volumes). Each expected label
is Pandoc 3.9's with the same bundled style, except where said.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mkdocs_readinglist.citations.csl import CitationStyle, plain, style_path
from mkdocs_readinglist.citations.syntax import parse_bracketed


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import standalone_entries
    bib = subprocess.run(["kpsewhich", "biblatex-examples.bib"], capture_output=True, text=True, check=True).stdout.strip()
    tmp = tmp_path_factory.mktemp("grouping")
    settings, _ = settings_from_mapping(tmp, {"sources": [bib], "lock_file": str(tmp / "keys.lock")})
    return standalone_entries(run_pipeline(settings))


CITATIONS = [
    "@knuth:ct:a; @knuth:ct:b",                  # the names once
    "@knuth:ct:a; @aksin; @knuth:ct:b",          # grouped where the first is
    "@knuth:ct:a, p. 5; @knuth:ct:b",            # a locator sets the next cite off with "; "
    "see @knuth:ct:a; @knuth:ct:b, and passim",  # affixes: each cite stays whole
    "@knuth:ct:a; see @knuth:ct:b",
    "@knuth:ct:a; @knuth:ct:b, p. 7; @knuth:ct:c",
]


@pytest.mark.parametrize(("name", "expected"), [
    ("chicago-author-date", ["(Knuth 1984, 1986a)", "(Knuth 1984, 1986a; Aksın et al. 2006)", "(Knuth 1984, 5; 1986a)",
                             "(see Knuth 1984; Knuth 1986a, and passim)", "(Knuth 1984; see Knuth 1986a)",
                             "(Knuth 1984; 1986a, 7; 1986b)"]),
    # APA sorts a citation's items by author: grouped already, the names once
    ("apa", ["(Knuth, 1984, 1986a)", "(Aksın et al., 2006; Knuth, 1984, 1986a)", "(Knuth, 1984, p. 5; 1986a)",
             "(see Knuth, 1984; Knuth, 1986a, and passim)", "(Knuth, 1984; see Knuth, 1986a)",
             "(Knuth, 1984; 1986a, p. 7; 1986b)"]),
])
def test_cites_of_the_same_names_collapse_to_their_years(entries: dict[str, str], name: str,
                                                         expected: list[str]) -> None:
    """`[@k1; @k2]` of one author showed `(Knuth 1984; Knuth 1986a)`."""
    citations = [parse_bracketed(text) for text in CITATIONS]
    rendered = CitationStyle(style_path(name, Path(".")), entries).render(
        [citation for citation in citations if citation is not None], lambda key: f"/p/{key}/")
    assert [plain(label) for label in rendered.labels] == expected
    # each year still links its own paper
    assert rendered.labels[0].count('<a class="citation"') == 2
    assert '<a class="citation" href="/p/knuth:ct:b/"' in rendered.labels[0].split("</a>", 1)[1]


def test_an_author_suppressed_cite_and_numeric_styles_are_not_grouped(entries: dict[str, str]) -> None:
    """`[-@a; @b]` hides the first's names, which then are no names to group by: `(1984; Knuth
    1986)` (Pandoc groups it, `(1984, 1986)`, hiding the second's names too). IEEE declares no
    collapse and keeps its numbers."""
    citation = parse_bracketed("-@knuth:ct:a; @knuth:ct:b")
    assert citation is not None
    chicago = CitationStyle(style_path("chicago-author-date", Path(".")), entries)
    assert plain(chicago.render([citation], str).labels[0]) == "(1984; Knuth 1986)"
    both = parse_bracketed("@knuth:ct:a; @knuth:ct:b")
    assert both is not None
    assert plain(CitationStyle(style_path("ieee", Path(".")), entries).render([both], str).labels[0]) == "[1], [2]"
