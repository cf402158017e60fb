"""The citation extension (citations/extension.py) in plain Python-Markdown, in process, on real
entries (TeX Live's xampl.bib and biblatex-examples.bib): labels and links, unknown keys reported as
Diagnostics at their line, merged keys (aliases), code and math left alone, the references list and
where it goes, and `sources:` read as the plugin reads them."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest

from mkdocs_readinglist.citations import CitationExtension
from mkdocs_readinglist.citations.csl import STYLES, CitationStyle, style_path
from mkdocs_readinglist.model import Diagnostic, Severity
from mkdocs_readinglist.options import ConfigError

from .helpers import SAMPLES, SEED_NAMES


def _kpsewhich(name: str) -> Path:
    return Path(subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip())


@pytest.fixture(scope="module")
def xampl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """TeX Live's xampl.bib, one entry text per key (as the export would give them)."""
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import entry_texts
    tmp = tmp_path_factory.mktemp("xampl")
    path = _kpsewhich("xampl.bib")
    settings, _ = settings_from_mapping(path.parent, {"sources": [str(path)], "lock_file": str(tmp / "none.lock")})
    return entry_texts(run_pipeline(settings))


def make(entries: dict[str, str], style: str = "chicago-author-date", aliases: dict[str, str] | None = None,
         **config: str) -> tuple[CitationExtension, list[Diagnostic]]:
    extension = CitationExtension(link="/papers/{key}/", **config)
    extension.set_corpus(entries, CitationStyle(style_path(style, Path(".")), entries), aliases=aliases)
    reports: list[Diagnostic] = []
    extension.report = reports.append
    return extension, reports


def convert(text: str, entries: dict[str, str], style: str = "chicago-author-date") -> tuple[str, list[str]]:
    extension, reports = make(entries, style)
    html = markdown.markdown(text, extensions=[extension, "footnotes", "admonition"])
    return html, [d.format() for d in reports]


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


def test_unknown_keys_are_diagnostics_at_their_line_shown_with_a_question_mark(xampl: dict[str, str]) -> None:
    extension, reports = make(xampl)
    html = markdown.markdown("Fine [@book-minimal].\n\nNot [@book-MINIMAL] nor\n[@nothing].\n", extensions=[extension])
    assert [(d.file, d.line, d.severity, d.code) for d in reports] == [
        ("<markdown>", 3, Severity.WARNING, "unknown-citation"), ("<markdown>", 4, Severity.WARNING, "unknown-citation")]
    assert [d.format() for d in reports] == [
        "<markdown>:3: warning[unknown-citation]: unknown citation key 'book-MINIMAL'; the .bib spells it "
        "'book-minimal'",
        "<markdown>:4: warning[unknown-citation]: unknown citation key 'nothing'"]
    assert "[book-MINIMAL?]" in html and "[nothing?]" in html
    assert html.count('class="csl-entry"') == 1  # no empty entry for the wrong spelling


def test_the_page_and_its_front_matter_place_the_line(xampl: dict[str, str]) -> None:
    """What an engine tells the extension: the page's path and the lines of front matter it took off."""
    extension, reports = make(xampl)
    md = markdown.Markdown(extensions=[extension])

    def context(_md: markdown.Markdown) -> None:
        extension.page, extension.line_offset = "notes/survey.md", 4

    extension.context = context
    md.convert("# Survey\n\nAs [@nothing] says, and again [@nothing].\n")
    assert [d.format() for d in reports] == [
        "notes/survey.md:7: warning[unknown-citation]: unknown citation key 'nothing'"] * 2


def test_a_merged_entry_s_key_cites_its_paper(xampl: dict[str, str]) -> None:
    """`[@article-full]` after article-full merged into article-minimal: the alias resolves to the paper."""
    extension, reports = make(xampl, aliases={"article-full": "article-minimal"})
    html = markdown.markdown("As [@article-full, p. 73] and [@article-full].\n\nNot [@Article-Full].",
                             extensions=[extension])
    assert re.findall(r'<a class="citation" href="/papers/([^/]+)/"', html) == ["article-minimal"] * 2
    assert html.count('class="csl-entry"') == 1 and 'id="ref-article-minimal"' in html
    # Keys match as written (biber matches case-sensitively): another spelling is named, not guessed.
    assert [d.format() for d in reports] == [
        "<markdown>:3: warning[unknown-citation]: unknown citation key 'Article-Full'; the .bib spells it "
        "'article-full'"]


def test_code_math_and_escapes_stay_as_written(xampl: dict[str, str]) -> None:
    text = ("Mail a@b.org, \\@book-minimal, [a link @book-minimal](https://x.org), `[@book-minimal]`.\n\n"
            "```\n[@book-minimal] and @misc-full\n```\n\n    [@article-minimal] indented code\n")
    extension, reports = make(xampl)
    html = markdown.markdown(text, extensions=[extension, "fenced_code"])
    assert reports == [] and 'class="citation"' not in html and "csl-entry" not in html
    # `\\@key` is an escaped `@`, shown without its backslash, as Pandoc shows it
    assert "a@b.org" in html and "Mail a@b.org, @book-minimal," in html and "<code>[@book-minimal]</code>" in html
    assert "[@book-minimal] and @misc-full\n</code></pre>" in html
    assert "[@article-minimal] indented code" in html


def test_the_references_list_goes_where_the_page_asks_else_at_the_end(xampl: dict[str, str]) -> None:
    extension, _ = make(xampl, references_title="Works cited")
    placed = markdown.markdown("Cited [@book-minimal].\n\n::: {#refs}\n\n## Appendix\n", extensions=[extension])
    assert placed.index('id="refs"') < placed.index("Appendix") and "Works cited" not in placed
    extension, _ = make(xampl, references_title="Works cited")
    at_end = markdown.markdown("Cited [@book-minimal] and @misc-full.\n\n## Appendix\n", extensions=[extension])
    assert at_end.index("Appendix") < at_end.index('<h2 id="references">Works cited</h2>') < at_end.index('id="refs"')
    entries = re.findall(r'<div class="csl-entry" id="ref-([^"]+)">', at_end)
    assert sorted(entries) == ["book-minimal", "misc-full"]
    assert 'class="reference-link" href="/papers/book-minimal/"' in at_end
    assert "csl-entry" not in markdown.markdown("No citations.", extensions=[make(xampl)[0]])


def test_the_extension_alone_logs_under_mkdocs_so_strict_counts_it(caplog: pytest.LogCaptureFixture,
                                                                   xampl: dict[str, str]) -> None:
    extension = CitationExtension()
    extension.set_corpus(xampl, CitationStyle(style_path("apa", Path(".")), xampl))
    with caplog.at_level(logging.WARNING):
        markdown.markdown("[@nothing]", extensions=[extension])
    assert [(r.name, r.levelno) for r in caplog.records] == [("mkdocs.plugins.mkdocs_readinglist.citations",
                                                              logging.WARNING)]
    assert caplog.records[0].getMessage() == "<markdown>:1: warning[unknown-citation]: unknown citation key 'nothing'"


def test_the_extension_loads_by_its_entry_point_name() -> None:
    md = markdown.Markdown(extensions=["readinglist"], extension_configs={"readinglist": {"csl": "ieee"}})
    extension = next(e for e in md.registeredExtensions if isinstance(e, CitationExtension))
    assert extension.getConfig("csl") == "ieee"


def test_sources_alone_are_read_as_the_plugin_reads_them(tmp_path: Path) -> None:
    """Paths and {path, year, format} mappings: the year reaches the daily listing's year-less
    dates (which stay year-less without it), and `[@key]` of the .bib beside it resolves."""
    (tmp_path / "bib").mkdir()
    shutil.copy(_kpsewhich("xampl.bib"), tmp_path / "bib" / "xampl.bib")
    shutil.copy(SAMPLES / SEED_NAMES["hf_daily"], tmp_path / "daily.txt")

    def entries(daily: object) -> dict[str, str]:
        config = {"base_dir": str(tmp_path), "lock_file": str(tmp_path / "keys.lock"), "link": "/p/{key}/",
                  "sources": ["bib", daily]}
        md = markdown.Markdown(extensions=["readinglist"], extension_configs={"readinglist": config})
        extension = next(e for e in md.registeredExtensions if isinstance(e, CitationExtension))
        reports: list[Diagnostic] = []
        extension.report = reports.append
        html = md.convert("See [@article-minimal].")
        # The sources' own problems (xampl's \noopsort years, say) are told; the page has none.
        assert all(r.file.startswith("bib/") or r.file == "daily.txt" for r in reports), reports
        assert 'href="/p/article-minimal/"' in html
        assert extension.entries is not None
        return dict(extension.entries)

    plain = entries("daily.txt")
    dated = entries({"path": "daily.txt", "year": 2026, "format": "hf-daily"})
    # The two papers of the listing dated without a year get 2026 (and a key with it); the rest are the same.
    assert sorted(plain.keys() - dated.keys()) == ["bidirectional", "revisiting"]
    assert sorted(dated.keys() - plain.keys()) == ["bidirectional2026", "revisiting2026"]
    assert all("year = {2026}" in dated[key + "2026"] and "year =" not in plain[key]
               for key in ("bidirectional", "revisiting"))
    assert all(plain[key] == dated[key] for key in plain.keys() & dated.keys())


@pytest.mark.parametrize(("sources", "message"), [
    ("bib", "markdown_extensions, readinglist: `sources` must be a list of paths (got str: 'bib')"),
    (["bib", {"year": 2026}], "`sources` item 2 must be a path or a mapping with `path:` (got {'year': 2026})"),
    ([42], "`sources` item 1 must be a path or a mapping with `path:` (got 42)"),
    ([{"path": "bib", "yaer": 2026}], "`sources` item 1: unknown option(s) yaer"),
    ([{"path": "bib", "format": "pdf"}], "`sources` item 1: unknown format 'pdf'"),
    ([{"path": "bib", "year": "2026"}], "`sources` item 1: `year` must be a year like 2026 (got '2026')"),
    ([], "`sources` is empty: name the folders or files of your listings and .bib files"),  # (not bib/ unasked)
])
def test_a_wrong_source_is_an_error_naming_it(sources: object, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        markdown.Markdown(extensions=["readinglist"], extension_configs={"readinglist": {"sources": sources}})
    assert message in str(raised.value) and str(raised.value).startswith("markdown_extensions, readinglist: ")


def test_a_bare_at_word_that_names_no_paper_is_the_pages_own_text(xampl: dict[str, str]) -> None:
    """Added to an existing site, the plugin must not rewrite `follow @someone` or `use
    @dataclass` into unknown citations: a bare `@word` cites only a key of the corpus (in any
    case: a wrong case is still reported, with the right spelling). `[@word]` and `@{word}` are
    citations whatever they name."""
    extension, reports = make(xampl)
    html = markdown.markdown("Ask @someone on chat, use @dataclass, mail me@example.org.\n\n"
                             "As @book-minimal says, and @Book-minimal.\n\nNot [@someone] nor @{nobody}.\n",
                             extensions=[extension])
    assert "Ask @someone on chat, use @dataclass, mail me@example.org." in html
    assert "[someone?]" in html and "[nobody?]" in html and "[Book-minimal?]" in html
    assert "@book-minimal" not in html and 'href="/papers/book-minimal/"' in html
    assert [(d.line, d.code, d.severity) for d in reports] == [
        (1, "not-a-citation", Severity.INFO), (1, "not-a-citation", Severity.INFO),
        (3, "unknown-citation", Severity.WARNING), (5, "unknown-citation", Severity.WARNING),
        (5, "unknown-citation", Severity.WARNING)]
    assert reports[0].message == "@someone names no paper: left as written (write [@someone] to cite it)"


def test_a_citation_written_inside_an_html_tag_is_left_to_the_tag(xampl: dict[str, str]) -> None:
    """`<span title="[@book-minimal]">`: inline HTML is the page's own; the citation patterns
    run before Python-Markdown stashes it, and wrote a citation into the attribute."""
    extension, reports = make(xampl)
    html = markdown.markdown('Hover <span title="see [@book-minimal] or @book-minimal">here</span> and cite '
                             '[@book-minimal].\n', extensions=[extension])
    assert '<span title="see [@book-minimal] or @book-minimal">here</span>' in html
    assert html.count('class="citation"') == 1 and reports == []


def test_attributes_and_comments_are_the_pages_markup_not_citations(xampl: dict[str, str]) -> None:
    """attr_list's `{ title="@key" }` after a paragraph, an emphasis or a heading, and an inline
    HTML comment (`<!-- TODO [@key] -->`): a citation written there broke the element (a link
    inside an attribute value) and put the key in the references list. Pandoc leaves both alone."""
    extension, reports = make(xampl)
    html = markdown.markdown('A paragraph.\n{ title="@book-minimal" }\n\n*x*{ title="see [@article-full]" } and '
                             "[@book-full].\n\n## Head { #h title=\"[@inbook-full]\" }\n\nA\n{: @misc-full }\n\n"
                             "Draft <!-- TODO [@manual-full] --> then [@book-full].\n",
                             extensions=["attr_list", extension])
    assert '<p title="@book-minimal">A paragraph.</p>' in html and '<em title="see [@article-full]">x</em>' in html
    assert '<h2 id="h" title="[@inbook-full]">Head</h2>' in html and "<!-- TODO [@manual-full] -->" in html
    assert "wzxhzdk" not in html
    listed = re.findall(r'<div class="csl-entry" id="ref-([^"]+)"', html)
    assert listed == ["book-full"] and reports == [], (listed, reports)


def test_a_warning_names_the_citations_line_not_code_above_it(xampl: dict[str, str]) -> None:
    """`[@nokey]` shown in a code span and a fenced block above the citation: the warning named
    the first line the text appears on."""
    extension, reports = make(xampl)
    markdown.markdown("# T\n\nUse `[@nokey]` in code.\n\n```\n[@nokey]\n```\n\n<!-- [@nokey] -->\n\n"
                      "Text [@nokey] here.\n", extensions=["fenced_code", extension])
    assert [(d.line, d.code) for d in reports] == [(11, "unknown-citation")], reports


def test_the_list_lands_under_a_shifted_heading_before_the_footnotes(xampl: dict[str, str]) -> None:
    """`toc: baselevel: 2` (and Material's blog excerpts, rendered so) make the added References
    heading an h3: the page ended in the stand-in text `readinglist-references-list-here` and no
    list. The list goes before the page's own footnotes, as Pandoc places it."""
    from markdown.extensions.toc import TocExtension

    extension, _ = make(xampl)
    html = markdown.markdown("# T\n\nAs [@book-full] and a note[^1].\n\n[^1]: Note.\n",
                             extensions=[TocExtension(baselevel=2), "footnotes", extension])
    assert "readinglist-references-list-here" not in html
    assert re.search(r'<h3 id="references">References</h3>\s*<div id="refs" class="references csl-bib-body">\s*'
                     r'<div class="csl-entry" id="ref-book-full">', html), html
    assert html.index('id="refs"') < html.index('<div class="footnote">')
    extension, _ = make(xampl)  # footnotes placed mid-page (`///Footnotes Go Here///`): the list still ends the page
    html = markdown.markdown("As [@book-full] a[^1].\n\n## Notes\n\n///Footnotes Go Here///\n\n## More\n\nText.\n\n"
                             "[^1]: N.\n", extensions=["footnotes", extension])
    assert html.index('<div class="footnote">') < html.index("Text.") < html.index('id="refs"'), html


def test_mkdocs_bibtex_s_bibliography_placeholder_takes_the_list(xampl: dict[str, str]) -> None:
    """mkdocs-bibtex pages end with `## References` and `\\bibliography`: the list goes there
    (it went under a second References heading, after a paragraph showing `\\bibliography`)."""
    extension, _ = make(xampl)
    html = markdown.markdown("As [@book-full].\n\n## References\n\n\\bibliography\n", extensions=[extension])
    assert html.count("References</h2>") == 1 and "bibliography" not in html.replace("csl-bib-body", "")
    assert re.search(r'<h2>References</h2>\s*<div id="refs" class="references csl-bib-body">\s*<div class="csl-entry"',
                     html), html


def test_a_placeholder_in_an_admonition_with_classes_or_a_div_with_attributes(xampl: dict[str, str]) -> None:
    """`::: {#refs .small}` (Pandoc allows classes) inside an admonition or a list item, and
    `<div id='refs' class='x'></div>`: each takes the list (the list went to the page's end, beside
    the placeholder's text or a second `id="refs"`), and `refs-repeated` names the second's line."""
    for page in ("As [@book-full].\n\n!!! note\n    Refs:\n\n    ::: {#refs .small}\n\nAfter.\n",
                 "As [@book-full].\n\n- item\n\n    ::: {#refs}\n    :::\n\nAfter.\n",
                 "As [@book-full].\n\n<div id='refs' class='x'></div>\n\nAfter.\n"):
        extension, reports = make(xampl)
        html = markdown.markdown(page, extensions=["admonition", extension])
        assert html.count('id="refs"') + html.count("id='refs'") == 1 and html.index("csl-entry") < html.index("After"), html
        assert ":::" not in html and "readinglist-" not in html and reports == [], (html, reports)
    extension, reports = make(xampl)
    markdown.markdown("As [@book-full].\n\n::: {#refs}\n\n## More\n\n\\bibliography\n", extensions=[extension])
    assert [(d.code, d.line) for d in reports] == [("refs-repeated", 7)], reports


def test_a_placeholder_shown_in_an_indented_code_block_is_code(xampl: dict[str, str]) -> None:
    """A page that documents the placeholders shows them in code: indented code at the top level
    or in a list item, or raw HTML, printed the stand-in `readinglist-references-here` instead of the line."""
    page = ("As [@book-full].\n\nWrite:\n\n    ::: {#refs}\n\n    \\bibliography{refs}\n\n"
            "- or in a list:\n\n        ::: {#refs .small}\n\nAfter.\n")
    extension, reports = make(xampl)
    html = markdown.markdown(page, extensions=[extension])
    assert "readinglist-" not in html and reports == [], (html, reports)
    assert "<pre><code>::: {#refs}\n\n\\bibliography{refs}\n</code></pre>" in html, html
    assert "<pre><code>::: {#refs .small}\n</code></pre>" in html, html
    assert html.count('id="refs"') == 1 and html.index("After") < html.index('id="refs"')  # the list: at the end
    # In raw HTML (a <pre>, <details>): Markdown is not read there, the line is text
    extension, reports = make(xampl)
    html = markdown.markdown("As [@book-full].\n\n<pre>\n::: {#refs}\n</pre>\n\n<details><pre>\n\\bibliography\n"
                             "</pre></details>\n\nAfter.\n", extensions=[extension, "md_in_html"])
    assert "readinglist-" not in html and "<pre>\n::: {#refs}\n</pre>" in html and "\\bibliography\n</pre>" in html, html


def test_a_raw_refs_div_an_uncited_placeholder_and_a_references_heading_of_the_page(xampl: dict[str, str]) -> None:
    """`<div id="refs"></div>` (the docs offer it beside Pandoc's `::: {#refs}`) takes the list; a
    placeholder on a page that cites nothing becomes an empty list, not text; a page with its own
    `## References` keeps that heading's id, the list's heading gets another."""
    extension, _ = make(xampl)
    placed = markdown.markdown('Cited [@book-minimal].\n\n<div id="refs"></div>\n\n## Appendix\n',
                               extensions=[extension, "md_in_html"])
    assert placed.count('id="refs"') == 1 and placed.index("csl-entry") < placed.index("Appendix"), placed
    assert 'id="references"' not in placed
    extension, _ = make(xampl)
    uncited = markdown.markdown("Nothing cited here.\n\n::: {#refs}\n", extensions=[extension])
    assert ":::" not in uncited and '<div id="refs" class="references csl-bib-body"></div>' in uncited
    extension, _ = make(xampl)
    own = markdown.markdown("## References\n\nMy notes.\n\nCited [@book-minimal].\n", extensions=[extension, "toc"])
    assert re.findall(r"<h2 id=\"([^\"]+)\">", own) == ["references", "references_1"], own  # toc: another id


def test_an_unknown_key_names_the_keys_spelled_like_it(xampl: dict[str, str], tmp_path: Path) -> None:
    """A key typed wrong, or a listing paper whose title was rewritten after it was cited (its key
    follows the title, and the old key stays pinned in the lock to the title that is gone): the
    message names the key to write instead."""
    extension, reports = make(xampl)
    markdown.markdown("Cited [@book-minmal] and [@zzzz].", extensions=[extension])
    assert [d.message for d in reports][1:] == ["unknown citation key 'zzzz'"]
    assert reports[0].message == "unknown citation key 'book-minmal'; did you mean 'book-minimal'?"
    import shutil
    listing = tmp_path / "hf-daily.txt"
    shutil.copy(SAMPLES / "hf-daily-2026-05-13.txt", listing)
    config = {"sources": [str(listing)], "lock_file": str(tmp_path / "keys.lock"), "link": "/p/{key}/"}
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    settings = settings_from_mapping(tmp_path, {"sources": config["sources"], "lock_file": config["lock_file"]})[0]
    built = run_pipeline(settings, write_lock=True)  # a build pins the keys
    assert "synpain2025" in {paper.key for paper in built.papers}
    listing.write_text(listing.read_text(encoding="utf-8").replace(
        "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions",
        "SynPAIN: Measuring Pain From Faces Without Any Labels"), encoding="utf-8")  # (a small edit keeps the key)
    after: list[Diagnostic] = []
    extension = CitationExtension(**config)
    extension.report = after.append
    markdown.markdown("SynPAIN [@synpain2025].", extensions=[extension])
    assert [d.message for d in after if d.code == "unknown-citation"] == ["unknown citation key 'synpain2025'; the key lock keeps it, but no paper "
                                          "has it now (its entry removed from the sources, or its title edited?); "
                                          "did you mean 'synpain2025a'?"]
    assert all(d.file == str(listing) or d.file.endswith("hf-daily.txt") for d in after if d.code != "unknown-citation")


def test_a_citation_in_a_heading_keeps_the_headings_id(xampl: dict[str, str]) -> None:
    """`toc` makes a heading's id from its text: with the citation rendered, `## On @book-minimal`
    lost `book-minimal` from its id, and a permalink to it broke when the plugin was added."""
    text = "## On @book-minimal\n\nText.\n\n### See [@misc-full, p. 2]\n"
    plain_ids = re.findall(r'id="([^"]+)"', markdown.markdown(text, extensions=["toc"]))
    extension, _ = make(xampl)
    cited = markdown.markdown(text, extensions=[extension, "toc"])
    assert re.findall(r"<h[23] id=\"([^\"]+)\"", cited)[:2] == plain_ids == ["on-book-minimal", "see-misc-full-p-2"]
    assert 'class="citation"' in cited.split("</h2>")[0]  # the heading itself shows the rendered label


def test_the_references_heading_is_in_the_table_of_contents(xampl: dict[str, str]) -> None:
    """The list's heading was added after `toc` had made the table of contents: the sidebar had no
    "References". Unknown keys alone make no heading."""
    extension, _ = make(xampl, references_title="Works cited")
    converter = markdown.Markdown(extensions=[extension, "toc"])
    html_text = converter.convert("# Survey\n\n## Background\n\nCited [@book-minimal].\n")
    tokens = converter.toc_tokens  # type: ignore[attr-defined]
    assert [t["name"] for t in tokens[0]["children"]] == ["Background", "Works cited"]
    assert html_text.index('<h2 id="works-cited">Works cited</h2>') < html_text.index('id="refs"')
    extension, _ = make(xampl)
    unknown_only = markdown.markdown("Cited [@nothing-here].\n", extensions=[extension, "toc"])
    assert "<h2" not in unknown_only and "readinglist" not in unknown_only


def test_an_unknown_key_is_compared_with_the_keys_that_start_as_it_does(xampl: dict[str, str],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Work counted: the suggestion looks at the keys sharing its first two letters, not at every key
    of the corpus (~35 ms per unknown key at 20k keys, on every build of the page)."""
    import difflib
    looked_at: list[str] = []
    original = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], *args: object, **kwargs: object) -> list[str]:
        looked_at.extend(possibilities)
        return original(word, possibilities, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    extension, _ = make(xampl)
    assert extension.close_keys("book-minmal") == "; did you mean 'book-minimal'?"
    assert looked_at and all(k.startswith("bo") for k in looked_at) and len(looked_at) < len(extension.keys)


def test_numeric_styles_number_as_their_csl_file_says(xampl: dict[str, str]) -> None:
    """IEEE's bibliography has no `<sort>`: papers are numbered in the order the page first cites
    them. ACM's sorts by author, then year (`<sort><key macro="author"/><key variable="issued"/>`),
    and `citation-number` follows that order, so a page's first citation may be [3], as any CSL
    processor numbers it. ACM's entries left two spaces where a field is empty ("airports.  ↗")."""
    text = "A [@misc-full], B [@article-minimal], C [@techreport-minimal] and D [@book-minimal].\n"
    numbers = {}
    for style in ("ieee", "acm"):
        html_text, messages = convert(text, xampl, style)
        assert messages == [], messages
        numbers[style] = re.findall(r'<a class="citation" href="/papers/[^/]+/"[^>]*>([^<]*)</a>', html_text)
        entries = re.findall(r'<div class="csl-entry" id="ref-([^"]+)">(.*?)</div>', html_text)
        assert all("  " not in entry and not entry.startswith(" ") for _, entry in entries), entries
        assert all(entry.removesuffix("</span>").endswith(
            f'. <a class="reference-link" href="/papers/{key}/" title="{key}">&#8599;</a>') for key, entry in entries), entries
        if style == "acm":  # the list in author order, numbered so
            assert [key for key, _ in entries] == ["article-minimal", "book-minimal", "misc-full", "techreport-minimal"]
    assert numbers == {"ieee": ["[1]", "[2]", "[3]", "[4]"], "acm": ["3", "1", "4", "2"]}


def test_the_extension_alone_reports_the_problems_of_its_sources_once(tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    """A .bib with a missing comma (xampl's article-full, its comma after the title taken out) and
    a binary file among the sources: the plugin reports them, and so does the extension alone, at
    their default levels under `mkdocs` (so `--strict` fails), when it reads the sources: once,
    though the engine makes a Markdown instance for each page."""
    (tmp_path / "bib").mkdir()
    xampl = Path(_kpsewhich("xampl.bib")).read_text(encoding="utf-8")
    start = xampl.index("@ARTICLE{article-full,")
    entry = xampl[start:xampl.index("\n}", start) + 2]
    broken = entry.replace("{The Gnats and Gnus Document Preparation System},",
                           "{The Gnats and Gnus Document Preparation System}", 1)
    assert broken != entry
    (tmp_path / "bib" / "refs.bib").write_text(broken, encoding="utf-8")
    (tmp_path / "bib" / "scan.txt").write_bytes(b"\x00garbage")
    config = {"base_dir": str(tmp_path), "lock_file": str(tmp_path / "keys.lock"), "link": "/p/{key}/",
              "sources": ["bib"]}
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            html = markdown.markdown("See [@article-full].", extensions=["readinglist"],
                                     extension_configs={"readinglist": config})
            assert 'href="/p/article-full/"' in html
    told = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert [(name, level) for name, level, _ in told] == [("mkdocs.plugins.mkdocs_readinglist.citations",
                                                           logging.ERROR)] * 2, told
    messages = sorted(message for _, _, message in told)
    assert messages[0].startswith("bib/refs.bib:") and "error[missing-comma]: missing comma" in messages[0]
    assert messages[1].startswith("bib/scan.txt:1:1: error[binary]:")


def test_the_extension_alone_stops_at_a_csl_file_it_cannot_read(tmp_path: Path) -> None:
    """`csl:` naming a file that is not XML: the extension alone failed at the first citation, a
    traceback in the middle of a build; it stops as it is loaded, as a mistake in `sources:` does
    (MkDocs: "Aborted with a configuration error")."""
    from mkdocs_readinglist.citations.csl import StyleError

    (tmp_path / "bad.csl").write_text("<style>broken", encoding="utf-8")
    (tmp_path / "bib").mkdir()
    with pytest.raises(StyleError, match=r"bad\.csl cannot be read .*choose another `csl:`"):
        CitationExtension(csl="bad.csl", base_dir=str(tmp_path))
    with pytest.raises(StyleError, match=r"neither one of .* nor a \.csl file"):
        CitationExtension(csl="nosuch.csl", base_dir=str(tmp_path))
    CitationExtension(csl="apa", base_dir=str(tmp_path))  # a bundled style loads


def test_the_extension_alone_stops_at_a_source_that_is_not_there(tmp_path: Path) -> None:
    """No bib/ (the default source) or `sources: [nowhere]`: the first page holding any `@word`
    failed with a 21-frame traceback; the extension stops as it is loaded, naming the source."""
    for config in ({"base_dir": str(tmp_path)}, {"base_dir": str(tmp_path), "sources": ["nowhere"]}):
        with pytest.raises(ConfigError, match=r"^markdown_extensions, readinglist: source '(bib|nowhere)' does not exist"):
            markdown.Markdown(extensions=["readinglist"], extension_configs={"readinglist": config})
    (tmp_path / "bib").mkdir()
    markdown.Markdown(extensions=["readinglist"], extension_configs={"readinglist": {"base_dir": str(tmp_path)}})


def test_a_key_pandoc_reads_short_is_told_to_be_braced(tmp_path: Path) -> None:
    """NASA ADS keys (`2013ApJ...777...24Z`) hold punctuation Pandoc's rule ends a key at:
    `[@2013ApJ...777...24Z]` cites `2013ApJ`. The warning said only "unknown citation key
    '2013ApJ'"; it names the key and the braces that cite it."""
    (tmp_path / "ads.bib").write_text("@ARTICLE{2013ApJ...777...24Z,\n  author = {{Zhu}, Zhaohuan},\n"
                                      "  title = \"{A Star}\",\n  journal = {ApJ},\n  year = 2013\n}\n", encoding="utf-8")
    config = {"base_dir": str(tmp_path), "lock_file": str(tmp_path / "keys.lock"), "sources": ["ads.bib"]}
    md = markdown.Markdown(extensions=["readinglist"], extension_configs={"readinglist": config})
    extension = next(e for e in md.registeredExtensions if isinstance(e, CitationExtension))
    reports: list[Diagnostic] = []
    extension.report = reports.append
    html = md.convert("See [@2013ApJ...777...24Z] and [@{2013ApJ...777...24Z}].")
    assert [r.message for r in reports if r.code == "unknown-citation"] == [
        "unknown citation key '2013ApJ'; the key is read up to its punctuation, as in Pandoc: write "
        "[@{2013ApJ...777...24Z}] to cite '2013ApJ...777...24Z'"]
    assert html.count('class="citation"') == 1
    reports.clear()
    md.convert("As @2013ApJ...777...24Z says.")  # in text: the braces that cite it in text
    assert [r.message for r in reports] == [
        "@2013ApJ names no paper: left as written; the key is read up to its punctuation, as in Pandoc: write "
        "@{2013ApJ...777...24Z} to cite '2013ApJ...777...24Z'"]


def test_a_suffix_of_one_mark_follows_the_locator_with_no_space(xampl: dict[str, str]) -> None:
    """`[@a, p. 3.]` showed `(..., 3. )` and `[@a, p. 3!]` `(..., 3 !)`."""
    extension, _ = make(xampl)
    html = markdown.markdown("A [@book-full, p. 3.] and [@book-full, p. 3!] and [@book-full, p. 3, and more].",
                             extensions=[extension])
    text = re.sub(r"<a [^>]*>|</a>", "", html.split("<h2")[0])
    assert re.findall(r"\(([^()]*)\)", text)[0].endswith("3.") and ", 3!)" in text and ", 3, and more)" in text, text


def test_a_references_heading_without_latin_letters_gets_a_readable_anchor(xampl: dict[str, str]) -> None:
    """Japanese and Chinese sites (`参考文献`): toc's slugify keeps ASCII letters only, and the
    list's anchor was `_1`. Latin titles keep their slug (`literatur`), as before."""
    for title, page, anchor in (("参考文献", "As [@book-full].\n", "references"),
                                ("参考文献", "## References\n\nAs [@book-full].\n", "references-2"),
                                ("参考文献", "## References:\n\nAs [@book-full].\n", "references-2"),  # (toc's slug)
                                ("Literatur", "As [@book-full].\n", "literatur")):
        extension = CitationExtension(link="/papers/{key}/", references_title=title)
        extension.set_corpus(xampl, CitationStyle(style_path("chicago-author-date", Path(".")), xampl))
        html = markdown.markdown(page, extensions=[extension, "toc"])
        assert f'<h2 id="{anchor}">{title}</h2>' in html, html
        assert '<h2 id="references_1">' not in html  # a heading of the page's own keeps its anchor


@pytest.mark.parametrize(("language", "title"), [
    ("de", "Literatur"), ("pt-BR", "Referências"), ("zh", "参考文献"), ("zh-Hans", "参考文献"),
    ("zh-Hant", "參考文獻"), ("zh_TW", "參考文獻"), ("ja", "参考文献"), ("xx", "References"), (None, "References"),
])
def test_the_references_heading_in_the_sites_language(language: str | None, title: str) -> None:
    """Material's `theme.language` codes: Traditional Chinese (`zh-Hant`, `zh-TW`) got the Simplified title."""
    from mkdocs_readinglist.citations.headings import references_title

    assert references_title(language) == title
