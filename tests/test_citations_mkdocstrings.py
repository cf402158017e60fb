"""Citations in docstrings rendered by mkdocstrings, in a real MkDocs + Material build.

mkdocstrings converts each docstring with a Markdown instance of its own (with the site's
extensions, so with the citation extension) while the page that writes `::: package` is being
converted. Such a nested conversion must not add a references list: its citations are the page's,
in the page's one list, and every id of the page stays unique.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from .helpers import mkdocs_build
from .test_citations_site import biblatex_examples, citation_links

pytestmark = pytest.mark.slow

PACKAGE = '''"""Tools for things, after [@aksin]."""


def area(r: float) -> float:
    """Area of a circle, as in [@glashow, p. 3].

    See [shapes.perimeter][] and @herrmann [chap. 2], or [see @aksin][shapes.perimeter] (a link).

    Args:
        r: the radius.
    """
    return 3.14 * r * r


def perimeter(r: float) -> float:
    """Perimeter, as in [@sigfridsson] and again [@glashow], not [@nosuchkey]."""
    return 2 * 3.14 * r
'''

PAGE = """# API

The page cites [@knuth:ct:a] before the API.

::: shapes

After the API, [@aksin] again.
"""


# Pandoc's placeholder for the list: mkdocstrings takes every `::: name` line for an object to
# document, and stopped the build ("Could not collect '{#refs}'")
PLACED = "# Placed\n\nCites [@aksin].\n\n## Bibliography\n\n::: {#refs}\n:::\n\nAfter the list.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    root = tmp_path_factory.mktemp("mkdocstrings") / "project"
    (root / "docs").mkdir(parents=True)
    (root / "pkg").mkdir()
    (root / "pkg" / "shapes.py").write_text(PACKAGE, encoding="utf-8")
    (root / "docs" / "index.md").write_text(PAGE, encoding="utf-8")
    (root / "docs" / "placed.md").write_text(PLACED, encoding="utf-8")
    config = {
        "site_name": "API", "theme": {"name": "material", "font": False},
        "markdown_extensions": [{"toc": {"permalink": True}}],
        "plugins": ["search", {"readinglist": {
            "sources": [biblatex_examples()], "lock_file": "readinglist.lock", "csl": "ieee",
            "diagnostics": {"unknown-type": "info", "no-title": "info", "reference-format": "info"}}},
            "autorefs", {"mkdocstrings": {"handlers": {"python": {"paths": ["pkg"]}}}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    placed = (root / "site" / "placed" / "index.html").read_text(encoding="utf-8")
    return (root / "site" / "index.html").read_text(encoding="utf-8"), result.stderr, placed


@pytest.fixture(scope="module")
def page(built: tuple[str, str, str]) -> str:
    return built[0]


def test_an_unknown_key_in_a_docstring_is_reported_with_the_text_it_is_in(built: tuple[str, str, str]) -> None:
    """The docstring is on no line of the page: the message names the page and quotes the docstring
    (a line of the page would be a wrong one)."""
    page, log, _ = built
    assert [line for line in log.splitlines() if line.startswith("WARNING")] == [
        "WARNING -  mkdocs_readinglist: index.md: warning[unknown-citation]: unknown citation key 'nosuchkey' "
        "(in text converted inside this page, such as a docstring: "
        "'Perimeter, as in [@sigfridsson] and again [@glashow], not […')"]
    assert '<span class="citation-unknown">[nosuchkey?]</span>' in page


def test_a_docstring_s_citations_go_to_the_page_s_one_list(page: str) -> None:
    article = page[page.index("<article"):page.index("</article>")]
    assert article.count('id="refs"') == 1 and article.count(">References<") == 1
    assert "readinglist-cite" not in article and "mkdocstrings" in article  # (the API is there)
    # Every citation, the page's and the docstrings', links to its paper, and the list holds them all,
    # numbered (IEEE) in the order the page shows them: the module's docstring comes first.
    cited = [(href.rstrip("/").rsplit("/", 1)[1], label) for href, _, label in citation_links(article)]
    assert cited == [("knuth-ct-a-414fe7", "[1]"), ("aksin", "[2]"), ("glashow", "[3, p. 3]"),
                     ("herrmann", "[4, Ch. 2]"), ("sigfridsson", "[5]"), ("glashow", "[3]"), ("aksin", "[2]")]
    assert re.findall(r'<div class="csl-entry" id="ref-([^"]+)">', article) == [
        "knuth:ct:a", "aksin", "glashow", "herrmann", "sigfridsson"]
    # mkdocs-autorefs' link keeps its text (a cross-reference is a link too)
    assert re.search(r'<a class="autorefs autorefs-internal"[^>]*href="#shapes.perimeter">see @aksin</a>', article)


def test_every_id_of_the_page_is_unique_and_the_toc_has_one_references(page: str) -> None:
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    start = page.index('<nav class="md-nav md-nav--secondary" aria-label="Table of contents">')
    toc = page[start:page.index("</nav>", start)]
    entries = [t.strip() for t in re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', toc, re.DOTALL)]
    assert entries.count("References") == 1 and entries[-1] == "References", entries


def test_pandocs_list_placeholder_is_read_beside_mkdocstrings(built: tuple[str, str, str]) -> None:
    placed = built[2][built[2].index("<h1 id=\"placed\""):]
    assert re.search(r'<h2 id="bibliography">Bibliography.*?</h2>\s*<div id="refs" class="references csl-bib-body">'
                     r'\s*<div class="csl-entry" id="ref-aksin">', placed, re.DOTALL), placed[:3000]
    assert "After the list." in placed and ":::" not in placed and "Could not collect" not in built[1]
