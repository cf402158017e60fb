"""Pandoc's citation syntax parsed, and the extension on its own in plain Python-Markdown."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import markdown
import pytest

from mkdocs_readinglist.citations import CitationExtension, key_index, lookup_key
from mkdocs_readinglist.citations.csl import STYLES, CitationStyle, StyleError, style_path
from mkdocs_readinglist.citations.syntax import CiteItem, parse_bracketed, parse_in_text


@pytest.mark.parametrize(("body", "items"), [
    ("@a", [CiteItem("a")]),
    ("@a; @b", [CiteItem("a"), CiteItem("b")]),
    ("see @a, p. 5", [CiteItem("a", prefix="see", locator_label="page", locator="5")]),
    ("see @a, pp. 3-5 and passim",
     [CiteItem("a", prefix="see", locator_label="page", locator="3-5", suffix="and passim")]),
    ("-@a", [CiteItem("a", suppress_author=True)]),
    ("see @a, p. 1; @b", [CiteItem("a", prefix="see", locator_label="page", locator="1"), CiteItem("b")]),
    ("@{https://example.com/bib?name=foobar&date=2000}, p. 33",
     [CiteItem("https://example.com/bib?name=foobar&date=2000", locator_label="page", locator="33")]),
    ("@knuth:ct:a, chap. 2", [CiteItem("knuth:ct:a", locator_label="chapter", locator="2")]),
    ("@Foo_bar.baz.", [CiteItem("Foo_bar.baz", suffix=".")]),  # Pandoc: the final period is no key
    ("@Foo_bar--baz", [CiteItem("Foo_bar", suffix="--baz")]),  # repeated punctuation ends a key
    ("@a, 33, 35-37, and nowhere else",
     [CiteItem("a", locator_label="page", locator="33, 35-37", suffix="and nowhere else")]),
    ("@a, civil war", [CiteItem("a", suffix=", civil war")]),  # not a locator: a suffix
    ("@a, § 4", [CiteItem("a", locator_label="section", locator="4")]),
    ("@a, vol. xii", [CiteItem("a", locator_label="volume", locator="xii")]),
])
def test_bracketed_citations_as_pandoc_reads_them(body: str, items: list[CiteItem]) -> None:
    citation = parse_bracketed(body)
    assert citation is not None and list(citation.items) == items


@pytest.mark.parametrize("body", ["write to a@b.com", "no key here", "see @a; and text"])
def test_brackets_that_are_not_citations(body: str) -> None:
    assert parse_bracketed(body) is None


def test_in_text_citation_with_a_locator() -> None:
    citation = parse_in_text("doe99", "p. 30, with suffix")
    assert citation.in_text and citation.items == (
        CiteItem("doe99", locator_label="page", locator="30", suffix="with suffix"),)


def test_keys_are_looked_up_as_the_bib_spells_them() -> None:
    index = key_index(["Bivort2016", "clutch2026"])
    assert lookup_key(index, "Bivort2016") == ("Bivort2016", None)
    assert lookup_key(index, "bivort2016") == (None, "Bivort2016")
    assert lookup_key(index, "nobody") == (None, None)


@pytest.fixture(scope="module")
def xampl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """TeX Live's xampl.bib, one entry text per key (as the export would give them)."""
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import entry_texts
    tmp = tmp_path_factory.mktemp("xampl")
    path = subprocess.run(["kpsewhich", "xampl.bib"], capture_output=True, text=True, check=True).stdout.strip()
    settings, _ = settings_from_mapping(Path(path).parent, {"sources": [path], "lock_file": str(tmp / "none.lock")})
    return entry_texts(run_pipeline(settings))


def convert(text: str, entries: dict[str, str], style: str = "chicago-author-date") -> tuple[str, list[str]]:
    extension = CitationExtension(link="/papers/{key}/")
    extension.set_corpus(entries, CitationStyle(style_path(style, Path(".")), entries))
    messages: list[str] = []
    extension.report = messages.append
    return markdown.markdown(text, extensions=[extension, "footnotes", "admonition"]), messages


def test_every_bundled_style_formats_xampl(xampl: dict[str, str]) -> None:
    # (xampl's *-full entries of the same work are merged into the *-minimal ones by today's corpus,
    # so these keys are the ones it keeps; key aliases for merged records come with the corpus.)
    text = ("A [@article-minimal, p. 5], B [@book-minimal; @inproceedings-minimal], C @techreport-minimal, "
            "D [-@misc-full].")
    for style in STYLES:
        html, messages = convert(text, xampl, style)
        assert messages == [], (style, messages)
        labels = re.findall(r'<a class="citation" href="/papers/([^/]+)/"', html)
        assert labels == ["article-minimal", "book-minimal", "inproceedings-minimal", "techreport-minimal",
                          "misc-full"], style
        assert html.count('class="csl-entry"') == 5, style
    html, _ = convert(text, xampl, "ieee")
    assert '>[1, p. 5]</a>' in html and ">[2]</a>" in html and ">[3]</a>" in html


def test_unknown_keys_named_by_line_and_shown_with_a_question_mark(xampl: dict[str, str]) -> None:
    html, messages = convert("Fine [@book-minimal].\n\nNot [@book-MINIMAL] nor\n[@nothing].\n", xampl)
    assert messages == [
        "line 3: warning[unknown-citation]: unknown citation key 'book-MINIMAL'; the .bib spells it 'book-minimal'",
        "line 4: warning[unknown-citation]: unknown citation key 'nothing'"]
    assert "[book-MINIMAL?]" in html and "[nothing?]" in html
    assert html.count('class="csl-entry"') == 1  # no empty entry for the wrong spelling


def test_escapes_e_mail_links_and_code_stay(xampl: dict[str, str]) -> None:
    html, messages = convert("Mail a@b.org, \\@book-minimal, [a link @book-minimal](https://x.org), "
                             "`[@book-minimal]`.", xampl)
    assert messages == [] and 'class="citation"' not in html
    assert "a@b.org" in html and "\\@book-minimal" in html and "<code>[@book-minimal]</code>" in html


def test_a_style_that_is_not_there_names_the_option() -> None:
    with pytest.raises(StyleError, match=r"set `csl:`"):
        style_path("chicago", Path("."))


def test_the_extension_alone_logs_under_mkdocs_so_strict_counts_it(caplog: pytest.LogCaptureFixture,
                                                                   xampl: dict[str, str]) -> None:
    extension = CitationExtension()
    extension.set_corpus(xampl, CitationStyle(style_path("apa", Path(".")), xampl))
    with caplog.at_level(logging.WARNING):
        markdown.markdown("[@nothing]", extensions=[extension])
    assert [r.name for r in caplog.records] == ["mkdocs.plugins.mkdocs_readinglist.citations"]


def test_a_page_cited_as_before_is_not_formatted_again(xampl: dict[str, str]) -> None:
    """What a serve rebuild does: the same style object, the same page: citeproc-py does no work."""
    style = CitationStyle(style_path("chicago-author-date", Path(".")), xampl)
    citations = [parse_bracketed("see @book-minimal, p. 5"), parse_in_text("misc-full", None)]
    first = style.render([c for c in citations if c], lambda key: f"/p/{key}/")
    formatted = style.formatted
    assert formatted >= 2
    assert style.render([c for c in citations if c], lambda key: f"/p/{key}/") == first
    assert style.formatted == formatted
    style.render([c for c in citations if c], lambda key: f"/other/{key}/")  # other links: formatted anew
    assert style.formatted > formatted


def test_the_extension_loads_by_its_entry_point_name(xampl: dict[str, str]) -> None:
    md = markdown.Markdown(extensions=["readinglist"], extension_configs={"readinglist": {"csl": "ieee"}})
    extension = next(e for e in md.registeredExtensions if isinstance(e, CitationExtension))
    assert extension.getConfig("csl") == "ieee"
