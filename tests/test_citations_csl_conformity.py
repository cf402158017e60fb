"""Where citeproc-py 0.11 and CSL 1.0.2 (and Pandoc's citeproc) part, and what the style layer
does around it: the order of a citation's items, implicit year suffixes, styles without a
references list, label and note styles, range locators, keys without an entry. Real entries
(biblatex-examples.bib, read in place by the pipeline), the bundled styles, and small valid CSL
styles written here as the spec describes them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mkdocs_readinglist.citations.csl import CitationStyle, plain, style_path

from .test_citations_csl import citations


def _kpsewhich(name: str) -> str:
    return subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from .helpers import texlive_entries

    return texlive_entries(tmp_path_factory.mktemp("conformity"), "biblatex-examples.bib")


def labels(csl: CitationStyle, *texts: str) -> list[str]:
    return [plain(label) for label in csl.render(citations(*texts), str).labels]


def bundled(name: str, entries: dict[str, str]) -> CitationStyle:
    return CitationStyle(style_path(name, Path(".")), entries)


def test_a_citation_keeps_the_order_written_unless_its_style_sorts_it(entries: dict[str, str]) -> None:
    """CSL 1.0.2, cs:sort: a cs:sort in cs:citation orders the cites of each citation; without
    one (Chicago's) they stay as written, as Pandoc keeps them. APA's citation sorts by author, and
    an author-suppressed item is sorted by the author it hides. The references list keeps its own
    sort (the bibliography's)."""
    chicago = bundled("chicago-author-date", entries)
    assert labels(chicago, "@knuth:ct:a; @aksin", "@knuth:ct:a; -@aksin", "@aksin; @knuth:ct:a") == [
        "(Knuth 1984; Aksın et al. 2006)", "(Knuth 1984; 2006)", "(Aksın et al. 2006; Knuth 1984)"]
    assert [key for key, _ in chicago.render(citations("@knuth:ct:a; @aksin"), str).references] == [
        "aksin", "knuth:ct:a"]
    apa = bundled("apa", entries)
    assert labels(apa, "@knuth:ct:a; @aksin", "@knuth:ct:a; -@aksin") == [
        "(Aksın et al., 2006; Knuth, 1984)", "(2006; Knuth, 1984)"]
    # IEEE sorts a citation by citation number: the page's first citation is [1].
    assert labels(bundled("ieee", entries), "@knuth:ct:a; @aksin", "@sigfridsson; @aksin") == ["[1], [2]", "[2], [3]"]


def csl_style(tmp_path: Path, citation: str, bibliography: str = "", name: str = "mine", macros: str = "",
              attributes: str = "") -> Path:
    """A small CSL 1.0.2 style (the elements the spec requires, and those given), as a file."""
    path = tmp_path / f"{name}.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"{attributes}>
  <info><title>{name}</title><id>http://example.org/{name}</id><updated>2026-11-25T00:00:00+00:00</updated></info>
  {macros}
  {citation}
  {bibliography}
</style>
""", encoding="utf-8")
    return path


AUTHOR_YEAR = """<layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=", "><group delimiter=" "><names variable="author"><name form="short" and="text" et-al-min="3" et-al-use-first="1"/></names>
        <date variable="issued"><date-part name="year"/></date></group>
        <group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group></group>
    </layout>"""
LIST = """<bibliography><sort><key variable="author"/><key variable="issued"/></sort>
    <layout suffix="."><group delimiter=". "><names variable="author"><name name-as-sort-order="first"/></names>
      <date variable="issued"><date-part name="year"/></date><text variable="title"/></group></layout>
  </bibliography>"""


def test_a_year_suffix_the_style_leaves_implicit_follows_the_first_date(tmp_path: Path,
                                                                         entries: dict[str, str]) -> None:
    """CSL 1.0.2, disambiguate-add-year-suffix: "By default the year-suffix is appended to the first
    year rendered through cs:date in the cite and in the bibliographic entry". Knuth's Computers &
    Typesetting B and C are both 1986; a style that asks for suffixes and never writes
    `<text variable="year-suffix"/>` gets them after the year, in cites and entries; one that does
    not ask gets none (the default is "false")."""
    asking = csl_style(tmp_path, f'<citation disambiguate-add-year-suffix="true">{AUTHOR_YEAR}</citation>', LIST)
    csl = CitationStyle(asking, entries)
    rendered = csl.render(citations("@knuth:ct:b; @knuth:ct:c", "@knuth:ct:c, p. 3"), str)
    assert [plain(label) for label in rendered.labels] == ["(Knuth 1986a; Knuth 1986b)", "(Knuth 1986b, p. 3)"]
    assert [plain(entry) for _, entry in rendered.references] == [
        "Knuth, Donald E. 1986a. TeX: The program.", "Knuth, Donald E. 1986b. The METAFONTbook."]  # (sentence case)
    silent = csl_style(tmp_path, f"<citation>{AUTHOR_YEAR}</citation>", LIST, name="silent")
    assert labels(CitationStyle(silent, entries), "@knuth:ct:b; @knuth:ct:c") == ["(Knuth 1986; Knuth 1986)"]


def test_a_style_without_a_references_list_formats_citations_and_lists_nothing(tmp_path: Path,
                                                                               entries: dict[str, str]) -> None:
    """cs:bibliography is optional in CSL 1.0.2: such a style cites, and a page gets no list."""
    import markdown

    from mkdocs_readinglist.citations import CitationExtension

    path = csl_style(tmp_path, f"<citation>{AUTHOR_YEAR}</citation>")
    csl = CitationStyle(path, entries)
    rendered = csl.render(citations("@knuth:ct:a; @sigfridsson, p. 5", "in-text: aksin"), str)
    assert [plain(label) for label in rendered.labels] == [
        "(Knuth 1984; Sigfridsson and Ryde 1998, p. 5)", "Aksın et al. (2006)"]
    assert rendered.references == () and csl.references(["knuth:ct:a"]) == []
    extension = CitationExtension()
    reports: list[object] = []
    extension.report = reports.append
    extension.set_corpus(entries, csl)
    page = markdown.markdown("As [@knuth:ct:a] shows.", extensions=[extension])
    assert reports == [] and "(Knuth 1984)" in plain(page) and "References" not in page and "csl-entry" not in page
    # the page's own place for the list stays an empty list, not its marker as text
    placed = markdown.markdown("As [@knuth:ct:a] shows.\n\n::: {#refs}\n:::\n", extensions=[extension])
    assert "::: {#refs}" not in placed and '<div id="refs"' in placed and "csl-entry" not in placed


def test_a_style_that_fails_shows_the_citations_as_written_with_their_keys(tmp_path: Path,
                                                                          entries: dict[str, str]) -> None:
    """A style citeproc-py cannot render (its citation calls a macro it never defines): the page
    says so and shows each citation as written, prefix, locator and suffix kept, in text in text."""
    import markdown

    from mkdocs_readinglist.citations import CitationExtension
    from mkdocs_readinglist.model import Diagnostic

    path = csl_style(tmp_path, '<citation><layout><text macro="author-short"/></layout></citation>', name="nomacro")
    extension = CitationExtension()
    reports: list[Diagnostic] = []
    extension.report = reports.append
    extension.set_corpus(entries, CitationStyle(path, entries))
    page = plain(markdown.markdown(
        "A [*see* @knuth:ct:a, pp. 3-5 and passim; @aksin].\n\n@sigfridsson [chap. 7] says so.\n\n"
        "B [@aksin, and passim].", extensions=[extension]))
    assert "A [see knuth:ct:a, pp. 3-5 and passim; aksin]." in page
    assert "sigfridsson [chap. 7] says so." in page and "B [aksin, and passim]." in page
    # (the undefined macro is told as the style is read, the failure as the page is formatted)
    assert [d.code for d in reports] == ["citation-style-invalid", "citation-style"]
    assert "nomacro.csl" in reports[1].message and reports[0].file.endswith("nomacro.csl")


def test_a_range_locator_keeps_its_label(entries: dict[str, str]) -> None:
    """CSL 1.0.2, is-numeric: numbers "may be separated by a comma, hyphen, or ampersand"; Chicago
    labels a numeric chapter or line, so a range keeps the label, plural as the spec's contextual
    plural says ("pages 1-3"). A page stays unlabelled, and a roman page is not numeric."""
    chicago = bundled("chicago-author-date", entries)
    assert labels(chicago, "@knuth:ct:a, chap. 2-3", "@knuth:ct:a, l. 10-12", "@knuth:ct:a, l. 10",
                  "@knuth:ct:a, chap. 2 & 4", "@knuth:ct:a, pp. 33, 35-37", "@knuth:ct:a, p. iv") == [
        "(Knuth 1984, chaps. 2–3)", "(Knuth 1984, lines 10–12)", "(Knuth 1984, line 10)",
        "(Knuth 1984, chaps. 2 & 4)", "(Knuth 1984, 33, 35–37)", "(Knuth 1984, iv)"]
    assert labels(bundled("apa", entries), "@knuth:ct:a, chap. 2-3") == ["(Knuth, 1984, Chapters 2–3)"]


LABEL = """<citation><layout prefix="[" suffix="]" delimiter="; "><group delimiter=", ">
      <text variable="citation-label"/><group delimiter=" "><label variable="locator" form="short"/>
      <text variable="locator"/></group></group></layout></citation>"""
LABEL_LIST = """<bibliography><sort><key variable="citation-label"/></sort><layout suffix=".">
    <text variable="citation-label" prefix="[" suffix="] "/><group delimiter=", ">
    <names variable="author"><name/></names><text variable="title"/></group></layout></bibliography>"""


@pytest.fixture(scope="module")
def xampl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import standalone_entries
    tmp = tmp_path_factory.mktemp("xampl")
    settings, _ = settings_from_mapping(tmp, {"sources": [_kpsewhich("xampl.bib")], "lock_file": str(tmp / "keys.lock")})
    return standalone_entries(run_pipeline(settings))


def test_a_label_style_gets_the_labels_bibtex_alpha_makes(tmp_path: Path, xampl: dict[str, str]) -> None:
    """A label style (`citation-label`, which CSL leaves to the processor and citeproc-py never
    made: citations were empty) cites by alpha.bst's labels. Held to real bibtex with alpha.bst
    on xampl.bib, in place: each label the same (up to its LaTeX: `T{\\'{e}}r88b` is `Tér88b`),
    letters for labels two entries share included, but for the entries whose `key` or year is
    LaTeX macros, or a range (whole-set's 1968--1973, left out of the CSL view)."""

    (tmp_path / "t.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{alpha}\n\\bibdata{xampl}\n", encoding="utf-8")
    subprocess.run(["bibtex", "t"], cwd=tmp_path, capture_output=True, check=False)
    bbl = re.findall(r"\\bibitem\[([^\]]*)\]\{([^}]*)\}", (tmp_path / "t.bbl").read_text(encoding="latin-1"))
    assert len(bbl) >= 35
    csl = CitationStyle(csl_style(tmp_path, LABEL, LABEL_LIST, name="label"), xampl)
    ours = csl.citation_labels([key for _, key in bbl])
    decoded = {"T{\\'{e}}r88b": "Tér88b", '{\\"{U}}{\\~N}{\\={P}}': "ÜÑP", '{\\"{U}}{\\~N}{\\={P}}88': "ÜÑP88"}
    left_out = {"whole-set", "booklet-minimal", "whole-proceedings", "proceedings-minimal"}
    assert {key: ours[key] for _, key in bbl if key not in left_out} == \
        {key: decoded.get(label, label) for label, key in bbl if key not in left_out}
    # In citations and the references list, sorted by label as the style says:
    rendered = csl.render(citations("@book-full; @article-minimal, p. 3; @inproceedings-full", "@article-full"), str)
    assert [plain(label) for label in rendered.labels] == ["[Knu81; Aam86a, p. 3; OUY83]", "[Aam86b]"]
    assert [plain(entry)[:8] for _, entry in rendered.references] == ["[Aam86a]", "[Aam86b]", "[Knu81] ", "[OUY83] "]


def test_citation_bits_as_pandoc_shows_them(entries: dict[str, str]) -> None:
    """An unknown key in its place inside the label, with its prefix and locator kept; a suffix
    that starts with a comma keeps it and no space before it; a locator in braces without its
    braces; APA's label title (tooltip) with the year's letter the label shows."""
    import markdown

    from mkdocs_readinglist.citations import CitationExtension
    from mkdocs_readinglist.model import Diagnostic

    def page(text: str, name: str = "chicago-author-date") -> str:
        extension = CitationExtension()
        reports: list[Diagnostic] = []
        extension.report = reports.append
        extension.set_corpus(entries, bundled(name, entries))
        return markdown.markdown(text, extensions=[extension])

    shown = page("A [@knuth:ct:a; @nosuch].\n\nB [see @nosuch, p. 3].\n\nC [@aksin, and passim].\n\n"
                 "D [@aksin, vol. 2, p. 3].\n\nE [@aksin, {ch. 2 and onwards}].\n\nF @nosuch.")
    assert re.search(r'A \(<a class="citation" [^>]*>Knuth 1984</a>; <span class="citation-unknown">nosuch\?</span>\)\.',
                     shown), shown
    assert '<p>B <span class="citation-unknown">[see nosuch?, p. 3]</span>.</p>' in shown
    text = plain(shown)
    assert "C (Aksın et al. 2006, and passim)." in text and "D (Aksın et al. 2006, vol. 2, p. 3)." in text
    assert "E (Aksın et al. 2006, 2 and onwards)." in text and "F @nosuch." in text  # (a bare unknown @word is prose)
    apa = page("[@knuth:ct:b; @knuth:ct:c]", "apa")
    titles = re.findall(r'<a class="citation" [^>]*title="([^"]*)">([^<]*)</a>', apa)
    assert [(label, "(1986a)" in title, "(1986b)" in title) for title, label in titles] == [
        ("Knuth, 1986a", True, False), ("1986b", False, True)], titles  # (collapse="year": the names once)


def _note_style_extension(tmp_path: Path, entries: dict[str, str]) -> Any:
    """The citation extension with a note style (`class="note"`) made from the author-year one."""
    from mkdocs_readinglist.citations import CitationExtension

    path = tmp_path / "note.csl"
    path.write_text(csl_style(tmp_path, f"<citation>{AUTHOR_YEAR}</citation>", LIST).read_text(encoding="utf-8")
                    .replace('class="in-text"', 'class="note"')
                    .replace('<layout prefix="(" suffix=")" delimiter="; ">', '<layout suffix="." delimiter="; ">'),
                    encoding="utf-8")
    extension = CitationExtension()
    extension.report = lambda _d: None
    extension.set_corpus(entries, CitationStyle(path, entries))
    return extension


def test_a_note_style_cites_in_footnotes(tmp_path: Path, entries: dict[str, str]) -> None:
    """A note style (`class="note"`): as Pandoc renders one, each citation is a footnote, numbered in
    the page's order, its mark where the citation was, after the punctuation that follows it (after
    the authors' names in text); the notes,
    in Python-Markdown's footnote markup, at the page's end, each ending in one period."""
    import markdown

    extension = _note_style_extension(tmp_path, entries)
    page = markdown.markdown("As shown [*see* @knuth:ct:a, p. 5; @aksin].\n\n@sigfridsson [chap. 2] says so.",
                             extensions=[extension])
    marks = re.findall(r'<sup class="citation-note" id="cite-noteref-(\d)"><a class="footnote-ref" '
                       r'href="#cite-note-(\d)">(\d)</a></sup>', page)
    assert marks == [("1", "1", "1"), ("2", "2", "2")], page
    text = plain(page)
    assert "As shown.1" in text and "Sigfridsson and Ryde2 says so." in text  # (the mark after the period)
    notes = re.findall(r'<li id="cite-note-\d"><p>(.*?)&#160;<a class="footnote-backref"', page)
    assert [plain(note) for note in notes] == ["see Knuth 1984, p. 5; Aksın et al. 2006.",
                                               "Sigfridsson and Ryde 1998, chap. 2."]
    assert "<em>see</em>" in notes[0] and page.index('id="refs"') < page.index('class="footnote citation-notes"')


def test_a_note_style_shares_the_page_footnotes_numbers_and_cites_in_place_inside_them(
        tmp_path: Path, entries: dict[str, str]) -> None:
    """With the page's own footnotes (`[^n]`), as Pandoc numbers them: one list, each mark numbered
    in the page's order, whether a citation's note or the page's footnote, no number shown twice,
    each mark linking to the note with that number; a citation written inside a footnote is shown
    there, in parentheses when bracketed, not as a note of a note. A heading's note mark stays out
    of the table of contents."""
    import markdown

    extension = _note_style_extension(tmp_path, entries)
    md = markdown.Markdown(extensions=[extension, "footnotes", "toc"])
    page = md.convert("## Results [@aksin]\n\nFirst[^a] then [@knuth:ct:a] and a second[^b], the first again[^a].\n\n"
                      "Last @sigfridsson [p. 2] says so.\n\n"
                      "[^b]: As [@knuth:ct:a, p. 5] and @aksin show.\n[^a]: A plain note.\n")
    marks = re.findall(r'<a class="footnote-ref" href="#([^"]+)">(\d+)</a>', page.split('<div class="footnote">')[0])
    assert [number for _, number in marks] == ["1", "2", "3", "4", "2", "5"], marks
    assert [target for target, _ in marks][1:5] == ["fn:a", "cite-note-2", "fn:b", "fn:a"], marks
    assert page.count('<div class="footnote') == 1 and "citation-notes" not in page
    listed = re.search(r'<div class="footnote">\n<hr />\n<ol>\n(.*)\n</ol>\n</div>', page, re.DOTALL)
    assert listed is not None, page
    ids = re.findall(r'<li id="([^"]+)">', listed.group(1))
    by_number = dict(zip(range(1, 6), ids, strict=True))
    assert [by_number[int(number)] for _, number in marks] == [target for target, _ in marks]
    notes = [plain(item) for item in re.findall(r"<li .*?</li>", listed.group(1), re.DOTALL)]
    assert notes[0].startswith("Aksın et al. 2006.") and notes[1].startswith("A plain note.")
    assert notes[3].startswith("As (Knuth 1984, p. 5) and Aksın et al. 2006 show."), notes
    assert "Jump back to footnote 4 in the text" in listed.group(1) and "<sup" not in notes[3]
    assert [token["name"] for token in md.toc_tokens] == ["Results", "References"], md.toc_tokens  # type: ignore[attr-defined]
    assert ">Results</a>" in md.toc  # type: ignore[attr-defined]
    # The footnotes extension's options: ids made unique per page, marks written `[1]`
    from markdown.extensions.footnotes import FootnoteExtension

    extension.reset()
    page = markdown.markdown("A[^a] and [@aksin] then[^b].\n\n[^a]: One.\n[^b]: Two.\n",
                             extensions=[FootnoteExtension(SUPERSCRIPT_TEXT="[{}]", UNIQUE_IDS=True), extension])
    assert [(target.split("-")[0].rstrip(":0123456789"), shown) for target, shown in re.findall(
        r'<a class="footnote-ref" href="#([^"]+)">([^<]*)</a>', page)] == [
        ("fn", "[1]"), ("cite", "[2]"), ("fn", "[3]")], page


def test_a_style_naming_what_csl_does_not_have_is_reported_at_its_line(tmp_path: Path,
                                                                       entries: dict[str, str]) -> None:
    """citeproc-py prints nothing for `variable="titel"` or `<date-part name="yeer"/>`, and English
    for an unknown `default-locale`: each is a warning naming the style file, the line and the name
    (checked against the CSL 1.0.2 schema citeproc-py ships). A valid style, and the bundled ones, get
    none. Reported once, though an engine makes an extension per page."""
    from mkdocs_readinglist.citations import CitationExtension
    from mkdocs_readinglist.citations.csl import STYLES
    from mkdocs_readinglist.model import Diagnostic

    citation = f"<citation>{AUTHOR_YEAR}</citation>".replace('<date-part name="year"/>', '<date-part name="yeer"/>')
    listing = LIST.replace('<text variable="title"/>', '<text variable="titel"/>')
    path = csl_style(tmp_path, citation, listing, name="typo", attributes=' default-locale="zz-ZZ"')
    reports: list[Diagnostic] = []
    for _ in range(2):
        extension = CitationExtension()
        extension.report = reports.append
        extension.set_corpus(entries, CitationStyle(path, entries))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [(d.code, d.line) for d in reports] == [
        ("citation-style-invalid", 2), ("citation-style-invalid", next(n for n, line in enumerate(lines, 1) if "yeer" in line)),
        ("citation-style-invalid", next(n for n, line in enumerate(lines, 1) if "titel" in line))], reports
    messages = [d.format() for d in reports]
    assert all(m.startswith(f"{d.file}:") and d.file.endswith("typo.csl") for m, d in zip(messages, reports, strict=True))
    assert "default-locale 'zz-ZZ'" in messages[0] and "English" in messages[0]
    assert "'yeer' is not a CSL date part" in messages[1] and "did you mean 'year'?" in messages[1]
    assert "'titel' is not a CSL variable (did you mean 'title'?)" in messages[2]
    assert CitationStyle(csl_style(tmp_path, f"<citation>{AUTHOR_YEAR}</citation>", LIST, name="fine"),
                         entries).problems() == ()
    assert all(CitationStyle(style_path(name, Path(".")), entries).problems() == () for name in STYLES)
    undefined = csl_style(tmp_path, '<citation><layout><text macro="author-short"/></layout></citation>', name="nomacro")
    assert [d.message for d in CitationStyle(undefined, entries).problems()] == [
        '<text macro="author-short">: the style defines no macro \'author-short\'; citeproc-py cannot format a '
        "citation that uses it"]


def test_a_sorted_citation_keeps_affixes_with_their_items_and_numbers_collapse(entries: dict[str, str]) -> None:
    """As Pandoc's citeproc sorts a citation: a prefix begins a group of items and a suffix ends one,
    each group sorted apart. ACM's `collapse="citation-number"` makes three or more consecutive
    numbers a range (not an item with a locator)."""
    apa = bundled("apa", entries)
    assert labels(apa, "see @knuth:ct:a; @aksin", "@knuth:ct:a, and more; @aksin") == [
        "(Aksın et al., 2006; see Knuth, 1984)", "(Knuth, 1984, and more; Aksın et al., 2006)"]
    acm = bundled("acm", entries)
    page = ("@knuth:ct:a; @aksin; @sigfridsson; @glashow", "@glashow; @aksin, p. 3; @knuth:ct:a; @sigfridsson",
            "@knuth:ct:a; @glashow")
    rendered = [plain(label) for label in acm.render(citations(*page), str).labels]
    assert rendered == ["[1–4]", "[1:3, 2–4]", "[2, 3]"], rendered  # (ACM numbers by author: Aksın, Glashow, Knuth, ...)


def test_an_alpha_label_of_a_year_range_ends_with_its_last_year(tmp_path: Path) -> None:
    """alpha.bst labels by the year field's last two digits: `1998--1999` is `Rho99` (held to real
    bibtex); the label took the range's first year (`Rho98`)."""
    from mkdocs_readinglist.citations.csl import alpha_label
    from mkdocs_readinglist.citations.csl_item import csl_item

    text = "@book{r,\n  author = {Rho, Ann},\n  title = {T},\n  publisher = {P},\n  year = {1998--1999},\n}\n"
    (tmp_path / "r.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{r}\n\\bibstyle{alpha}\n\\bibdata{r}\n", encoding="utf-8")
    subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, timeout=120, check=True)
    assert "\\bibitem[Rho99]{r}" in (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert alpha_label(csl_item(text), "r") == "Rho99"


def test_a_superscript_style_cites_without_a_space_before_its_numbers(tmp_path: Path, entries: dict[str, str]) -> None:
    """Nature's style (TeX Live's copy of the CSL repository's, used in place) cites in superscript:
    `As shown [@a; @b].` is `As shown¹,².` in Pandoc; the space before it stayed (`shown ¹,²`)."""
    import markdown

    from mkdocs_readinglist.citations import CitationExtension

    nature = Path(subprocess.run(["kpsewhich", "nature.csl"], capture_output=True, text=True, check=True).stdout.strip())
    extension = CitationExtension()
    extension.report = lambda _d: None
    extension.set_corpus(entries, CitationStyle(nature, entries))
    page = markdown.markdown("As shown [@aksin; @glashow]. And @aksin says.", extensions=[extension])
    text = re.sub(r"<a [^>]*>|</a>", "", page.split("<h2")[0])
    assert "As shown<sup>1,2</sup>. And Aksın et al.<sup>1</sup> says." in text, text


def test_a_citation_in_a_footnote_is_counted_where_its_footnote_mark_is(entries: dict[str, str]) -> None:
    """Chicago full notes (TeX Live's copy, in place): `Note[^a]. Later [@aksin, p. 3].` with the
    footnote citing aksin first. The footnote's citation is the first (the full form), the later
    note the short one, as in Pandoc; ordered by their places in the HTML, where the footnotes'
    texts come last, it was the other way round."""
    import markdown

    from mkdocs_readinglist.citations import CitationExtension

    style = Path(subprocess.run(["kpsewhich", "chicago-fullnote-bibliography.csl"], capture_output=True, text=True,
                                check=True).stdout.strip())
    extension = CitationExtension()
    extension.report = lambda _d: None
    extension.set_corpus(entries, CitationStyle(style, entries))
    page = markdown.markdown("Note[^a]. Later [@aksin, p. 3].\n\n[^a]: citing [@aksin, p. 5]\n",
                             extensions=["footnotes", extension])
    notes = [plain(item) for item in re.findall(r"<li id=[^>]*>.*?</li>", page, re.DOTALL)]
    assert notes[0].startswith("citing (Özge Aksın et al., “Effect of Immobilization") and ": 5)" in notes[0], notes
    assert notes[1].startswith("Aksın et al., 3."), notes
