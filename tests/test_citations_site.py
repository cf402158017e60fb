"""Citations in a real Material site: every block type, every Pandoc form, beside math extensions.

The site (tests/fixtures/cite_site) cites TeX Live's biblatex-examples.bib, read in place: real
keys with Pandoc's punctuation (`knuth:ct:a`, `baez/article`), real authors and LaTeX.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_readinglist.render.paths import page_name

from .helpers import mkdocs_build

FIXTURE = Path(__file__).parent / "fixtures" / "cite_site"
pytestmark = pytest.mark.slow

MATH: dict[str, Any] = {
    "arithmatex-generic": {"pymdownx.arithmatex": {"generic": True}},
    "arithmatex": {"pymdownx.arithmatex": {"generic": False}},
    "mdx_math": {"mdx_math": {"enable_dollar_delimiter": True}},
}
# Every key the index page cites, by the block it is cited in.
CITED = {
    "aksin": "plain", "glashow": "group", "sigfridsson": "group", "knuth:ct:a": "prefix and page",
    "kant:kpv": "range and suffix", "murray": "author suppressed", "herrmann": "in text",
    "doody": "in text with locator", "baez/article": "braced", "gillies": "group",
    "angenendt": "admonition", "bertram": "details", "kastenholz": "tab", "reese": "other tab",
    "sarfraz": "list", "shore": "nested list", "spiegelberg": "list continuation",
    "springer": "table", "yoon": "footnote", "weinberg": "md_in_html",
}


def biblatex_examples() -> str:
    return subprocess.run(["kpsewhich", "biblatex-examples.bib"], capture_output=True, text=True,
                          check=True).stdout.strip()


def cite_project(target: Path, math: str | None = None, **options: Any) -> Path:
    """A copy of the fixture site citing biblatex-examples.bib, with one math extension."""
    shutil.copytree(FIXTURE, target)
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    if math is not None:
        config["markdown_extensions"].append(MATH[math])
    plugin = config["plugins"][1]["readinglist"]
    plugin["sources"] = [biblatex_examples()]
    plugin.update(options)
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return target


def article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


def citation_links(text: str) -> list[tuple[str, str, str]]:
    """(href, title, label text) of every citation label."""
    return [(html.unescape(m[0]), html.unescape(m[1]), re.sub(r"<[^>]+>", "", m[2])) for m in
            re.findall(r'<a class="citation" href="([^"]*)" title="([^"]*)">(.*?)</a>', text)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """The site built once per math extension: its directory and the build's log."""
    sites = {}
    for math in MATH:
        project = cite_project(tmp_path_factory.mktemp("cite") / "project", math)
        result = mkdocs_build(project)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        sites[math] = (project / "site", result.stderr)
    return sites


@pytest.mark.parametrize("math", list(MATH))
def test_every_citation_in_every_block_links_to_its_paper(built: dict[str, tuple[Path, str]], math: str) -> None:
    site, _ = built[math]
    text = article(site / "index.html")
    links = citation_links(text)
    linked = {href.removeprefix("reading-list/papers/").removesuffix("/") for href, _, _ in links}
    assert linked == {page_name(key) for key in CITED}, {page_name(key) for key in CITED} ^ linked
    for href, title, _label in links:  # each link lands on a built paper page, and hovers its reference
        assert (site / href / "index.html").is_file(), href
        assert len(title) > 20 and "?" not in title[:3], title
    # Pandoc's forms, in Chicago author-date (the default): prefixes, locators and suffixes kept.
    assert re.search(r'\(see <a class="citation" href="reading-list/papers/knuth-ct-a-414fe7/"[^>]*>Knuth 1984, 5</a>\)',
                     text)
    assert re.search(r'\(see <a [^>]*>Kant 1968, 3–5</a> and passim\)', text)
    assert re.search(r'\(<a [^>]*href="reading-list/papers/murray/"[^>]*>1998</a>\)', text)  # -@murray: no author
    assert re.search(r'Doody \(<a [^>]*>1974, 7</a>\) agrees', text)  # @doody [p. 7]
    assert re.search(r'Herrmann et al\. \(<a [^>]*>2006</a>\) says so', text)  # in-text @herrmann
    assert re.search(r'\(<a [^>]*href="reading-list/papers/baez-article-a21b55/"[^>]*>Baez and Lauda 2004, chap. 2</a>\)', text)
    assert re.search(r'\(<a [^>]*>Glashow 1961</a>; <a [^>]*>Sigfridsson and Ryde 1998</a>\)', text)
    assert "someone@example.org" in html.unescape(text) and "\\@aksin" not in text  # e-mail stays; `\\@` is an escape
    assert re.search(r"[^\\]@aksin", text)


@pytest.mark.parametrize("math", list(MATH))
def test_code_and_math_stay_untouched(built: dict[str, tuple[Path, str]], math: str) -> None:
    site, log = built[math]
    text = article(site / "index.html")
    assert "<code>[@codespan]</code>" in text and "<code>@codeintext</code>" in text
    assert "[@fencedkey] and @fencedintext" in text
    assert "[@mathkey] + a@b" in text  # the math source, as the math extension keeps it
    assert "[@displaymathkey]" in text
    for key in ("codespan", "codeintext", "fencedkey", "fencedintext", "mathkey", "displaymathkey"):
        assert f"{key}?" not in text and key not in log
    if math == "arithmatex":
        assert '<script type="math/tex">[@mathkey] + a@b</script>' in text
    elif math == "mdx_math":
        assert '<script type="math/tex">[@mathkey] + a@b</script>' in text
        assert '<script type="math/tex; mode=display">\n[@displaymathkey]\n</script>' in text
    else:
        assert '<span class="arithmatex">\\([@mathkey] + a@b\\)</span>' in text


def test_references_list_is_complete_and_where_the_page_puts_it(built: dict[str, tuple[Path, str]]) -> None:
    site, _ = built["arithmatex-generic"]
    text = article(site / "index.html")
    refs = text[text.index('<div id="refs"'):text.index("After the references")]
    entries = re.findall(r'<div class="csl-entry" id="ref-([^"]+)">(.*?)</div>', refs)
    keys = [key for key, _ in entries]
    assert sorted(keys) == sorted(CITED)  # each cited paper once
    authors = [re.sub(r"<[^>]+>|[“”]", "", entry).split(",")[0].split(".")[0] for _, entry in entries]
    assert authors == sorted(authors, key=str.casefold), authors  # Chicago sorts by author
    by_key = dict(entries)
    assert by_key["doody"].startswith("Doody, Terrence. 1974. “Hemingway’s Style and Jake’s Narration.” "
                                      "<i>The Journal of Narrative Technique</i> 4 (3): 212–25.")
    assert "C–C Coupling" in by_key["herrmann"]  # LaTeX decoded (citeproc-py alone fails on it)
    assert "::: {#refs}" not in text and 'id="references"' not in text  # placed, not appended


def test_unknown_and_miscased_keys_warn_with_page_and_line(tmp_path: Path) -> None:
    project = cite_project(tmp_path / "project", "arithmatex-generic")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "problems.md:3: warning[unknown-citation]: unknown citation key 'nosuchkey2031'" in result.stderr
    assert ("problems.md:5: warning[unknown-citation]: unknown citation key 'Aksin'; "
            "the .bib spells it 'aksin'") in result.stderr
    text = article(project / "site" / "problems" / "index.html")
    assert '<span class="citation-unknown">[nosuchkey2031?]</span>' in text
    assert '<span class="citation-unknown">[Aksin?]</span>' in text
    assert 'class="csl-entry"' not in text  # no empty entry for a key that is not there
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0 and "problems.md:3" in strict.stderr


def test_numeric_style_numbers_in_page_order(tmp_path: Path) -> None:
    project = cite_project(tmp_path / "project", "arithmatex-generic", csl="ieee")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    text = article(project / "site" / "index.html")
    labels = [label for _, _, label in citation_links(text)]
    assert labels[:3] == ["[1]", "[2]", "[3]"]  # aksin, glashow, sigfridsson
    assert "see [4, p. 5]" in re.sub(r"<[^>]+>", "", text)  # [see @knuth:ct:a, p. 5]
    # The number and the rest apart (CSL's second-field-align), with Pandoc's classes and a space between
    refs = re.findall(r'<div class="csl-entry" id="ref-([^"]+)"><span class="csl-left-margin">\[(\d+)\]</span> '
                      r'<span class="csl-right-inline">\S', text)
    assert refs[:4] == [("aksin", "1"), ("glashow", "2"), ("sigfridsson", "3"), ("knuth:ct:a", "4")]


def test_a_csl_file_by_path_and_a_wrong_style_named_with_its_option(tmp_path: Path) -> None:
    from mkdocs_readinglist.citations.csl import STYLE_DIR
    project = cite_project(tmp_path / "project", None, csl="styles/mine.csl")
    (project / "styles").mkdir()
    shutil.copy(STYLE_DIR / "apa.csl", project / "styles" / "mine.csl")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "(see <a" in (text := article(project / "site" / "index.html"))
    assert re.search(r">Knuth, 1984, p\. 5</a>\)", text)  # APA's label
    wrong = cite_project(tmp_path / "wrong", None, csl="chicago")
    failed = mkdocs_build(wrong)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert "set `csl:`" in failed.stderr and "chicago-author-date" in failed.stderr
