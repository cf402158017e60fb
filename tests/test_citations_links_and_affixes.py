"""Citations are a good neighbour in a real MkDocs + Material page: nothing inside a link, an image
or a URL becomes a citation (no `<a>` inside an `<a>`, no label inside an attribute), a prefix or
suffix is inline Markdown (no Python-Markdown placeholder shows), and a heading that cites shows the
label's text in the page's `<title>`, the nav and the table of contents.

The site cites TeX Live's biblatex-examples.bib, read in place.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from .helpers import mkdocs_build
from .test_citations_site import biblatex_examples, citation_links

pytestmark = pytest.mark.slow

LINKS = """# Links

Autolink <https://mastodon.social/@aksin>, bare https://mastodon.social/@aksin and plain
mastodon.social/@aksin here; a path example.org/~me/@glashow too.

Reference [see @aksin][ref] and raw <a href="https://example.org/raw">see [@aksin]</a> here.

Image ![alt [@aksin]](pic.png) and ![@glashow][pic] here.

Collapsed [see @glashow][] and inline [see @aksin, p. 3](https://example.org/inline) links.

Cited [@sigfridsson] and @herrmann [p. 4] beside them.

[ref]: https://example.org/ref
[see @glashow]: https://example.org/collapsed
[pic]: pic.png
"""

AFFIXES = """# Affixes

A [@sigfridsson, p. 3, `code`] and [`see` @sigfridsson] and [@sigfridsson, p. 3 \\* star].

B [*see* @knuth:ct:a, pp. 33-35 and *passim*] and [@knuth:ct:a, p. 3 &amp; more].

C [**compare** @glashow; _also_ @herrmann, chap. 2 <kbd>K</kbd>].
"""

HEADINGS = """# Replicating [@glashow]

## Results of @herrmann

Text cites [@aksin].
"""


def site_project(root: Path) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "links.md").write_text(LINKS, encoding="utf-8")
    (docs / "affixes.md").write_text(AFFIXES, encoding="utf-8")
    (docs / "headings.md").write_text(HEADINGS, encoding="utf-8")
    (docs / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    config = {
        "site_name": "Neighbours", "theme": {"name": "material", "font": False},
        "nav": ["links.md", "affixes.md", "headings.md"],
        "markdown_extensions": [{"toc": {"permalink": True}}, "attr_list", "pymdownx.magiclink"],
        "plugins": ["search", {"readinglist": {
            "sources": [biblatex_examples()], "lock_file": "readinglist.lock",
            "diagnostics": {"unknown-type": "info", "no-title": "info", "reference-format": "info"}}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = site_project(tmp_path_factory.mktemp("neighbour") / "project")
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return project / "site"


def content(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


class _Nesting(HTMLParser):
    """Every `<a>` opened inside another, and every attribute value holding markup."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.nested, self.marked_up = 0, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.nested += self.depth > 0
            self.depth += 1
        self.marked_up += [value for name, value in attrs if value and "<" in value and name != "title"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.depth -= 1


def nesting(text: str) -> tuple[int, list[str]]:
    parser = _Nesting()
    parser.feed(text)
    return parser.nested, parser.marked_up


def test_nothing_inside_a_link_an_image_or_a_url_is_a_citation(site: Path) -> None:
    text = content(site / "links" / "index.html")
    assert nesting(text) == (0, [])
    # URLs: the autolink and magiclink's bare URL keep their href and text, plain text stays as written
    assert text.count('<a href="https://mastodon.social/@aksin">https://mastodon.social/@aksin</a>') == 2
    assert "mastodon.social/@aksin here; a path example.org/~me/@glashow too." in text
    # Links of every kind keep their text as written; images their alt
    assert '<a href="https://example.org/ref">see @aksin</a>' in text
    assert '<a href="https://example.org/raw">see [@aksin]</a>' in text
    assert '<img alt="alt [@aksin]" src="../pic.png" />' in text and '<img alt="@glashow" src="../pic.png" />' in text
    assert '<a href="https://example.org/collapsed">see @glashow</a>' in text
    assert '<a href="https://example.org/inline">see @aksin, p. 3</a>' in text
    # ... and the citations beside them are the only ones, in the page's list
    assert [href.rstrip("/").rsplit("/", 1)[1] for href, _, _ in citation_links(text)] == ["sigfridsson", "herrmann"]
    assert re.findall(r'<div class="csl-entry" id="ref-([^"]+)">', text) == ["herrmann", "sigfridsson"]


def test_prefixes_and_suffixes_are_inline_markdown(site: Path) -> None:
    text = content(site / "affixes" / "index.html")
    assert "klzzwxh" not in text and "wzxhzdk" not in text and "\x02" not in text and "\ue010" not in text
    shown = re.sub(r'<a class="citation"[^>]*>', "<a>", text)
    for label in (
        "A (<a>Sigfridsson and Ryde 1998, 3</a>, <code>code</code>) and",
        "and (<code>see</code> <a>Sigfridsson and Ryde 1998</a>) and",
        "and (<a>Sigfridsson and Ryde 1998, 3</a> * star).",
        "B (<em>see</em> <a>Knuth 1984, 33–35</a> and <em>passim</em>) and",  # Pandoc's own example
        "and (<a>Knuth 1984, 3</a> &amp; more).",
        "C (<strong>compare</strong> <a>Glashow 1961</a>; <em>also</em> <a>Herrmann et al. 2006, chap. 2</a> "
        "<kbd>K</kbd>).",
    ):
        assert label in shown, label


def test_a_heading_that_cites_shows_the_label_in_title_nav_and_toc(site: Path) -> None:
    page = (site / "headings" / "index.html").read_text(encoding="utf-8")
    assert "<title>Replicating (Glashow 1961) - Neighbours</title>" in page
    # The nav on every page names it so, and the table of contents lists both headings so
    for other in ("links", "affixes", "headings"):
        nav = (site / other / "index.html").read_text(encoding="utf-8")
        assert "Replicating (Glashow 1961)" in nav and "[@glashow]" not in nav.split("<article")[0], other
    start = page.index('<nav class="md-nav md-nav--secondary" aria-label="Table of contents">')
    toc = page[start:page.index("</nav>", start)]
    assert re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>', toc) == [
        "Results of Herrmann et al. (2006)", "References"]
    body = content(site / "headings" / "index.html")
    # the heading's ids are those of the text as written (permalinks do not change with the style)
    assert '<h1 id="replicating-glashow">Replicating (<a class="citation"' in body
    assert '<h2 id="results-of-herrmann">Results of Herrmann et al. (<a class="citation"' in body
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {html.unescape(doc["title"]) for doc in index["docs"] if doc["location"].startswith("headings/")}
    assert "Replicating (Glashow 1961)" in titles and "Results of Herrmann et al. (2006)" in titles
