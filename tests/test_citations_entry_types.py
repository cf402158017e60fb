"""Citations and references that say what the entry says, whatever its type: @incollection a
chapter, an editor-only volume listed once under its editor, `and others` as "et al.", a @misc
whose value is a `@string` macro, IEEE's number set apart, an empty name list printing nothing,
a biblatex @set cited as its members and an @xdata entry not cited, a second `::: {#refs}`.

Real entries where TeX Live's bibliographies hold them (biblatex-examples.bib and xampl.bib, read
in place), else the smallest .bib written here; through the real extension in Python-Markdown,
and once in a real MkDocs + Material build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
import yaml

from mkdocs_readinglist.citations import CitationExtension
from mkdocs_readinglist.citations.csl import CitationStyle, plain, style_path
from mkdocs_readinglist.model import Diagnostic

from .helpers import mkdocs_build

# What TeX Live's files do not hold: `and others`, a @misc whose value is a macro, an empty
# editor list, an editor-only @proceedings and @mvbook, an @xdata entry.
SMALL_BIB = """\
@string{toolpress = {Tool Press}}
@misc{doe2019tool, author = {Doe, Jane}, title = {A Web Tool}, howpublished = toolpress, year = {2019}}
@article{upsilon2014many,
  author = {Upsilon, Uma and others},
  title = {Many Authors Paper},
  journal = {Journal of Many},
  year = {2014},
}
@article{theta2016three,
  author = {Theta, Tom and Iota, Ian and Kappa, Kim and others},
  title = {Three and More},
  journal = {Journal of Many},
  year = {2016},
}
@book{kay2001empty,
  author = {Kay, Ann},
  editor = {, },
  title = {Empty Editor Book},
  publisher = {Plain Press},
  year = {2001},
}
@proceedings{sigma2015procs,
  editor = {Sigma, Sam},
  title = {Proceedings of the Edited Conference},
  publisher = {Conf Press},
  year = {2015},
}
@mvbook{epsilon2010grand,
  editor = {Epsilon, Eve},
  title = {The Grand Collection},
  publisher = {Big House},
  date = {2010},
}
@xdata{sharedjournal,
  journaltitle = {Journal of Shared Data},
  publisher = {Shared Press},
}
"""


def _kpsewhich(name: str) -> str:
    return subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import standalone_entries
    tmp = tmp_path_factory.mktemp("entry-types")
    (tmp / "small.bib").write_text(SMALL_BIB, encoding="utf-8")
    sources = [_kpsewhich("biblatex-examples.bib"), _kpsewhich("xampl.bib"), str(tmp / "small.bib")]
    settings, _ = settings_from_mapping(tmp, {"sources": sources, "lock_file": str(tmp / "keys.lock")})
    return standalone_entries(run_pipeline(settings))


def convert(text: str, entries: dict[str, str], style: str = "chicago-author-date") -> tuple[str, list[Diagnostic]]:
    extension = CitationExtension(link="/papers/{key}/")
    extension.set_corpus(entries, CitationStyle(style_path(style, Path(".")), entries))
    reports: list[Diagnostic] = []
    extension.report = reports.append
    return markdown.markdown(text, extensions=[extension, "footnotes"]), reports


def labels(html_text: str) -> list[str]:
    return [plain(label) for label in re.findall(r'<a class="citation"[^>]*>(.*?)</a>', html_text)]


def references(html_text: str) -> dict[str, str]:
    return {key: plain(entry).removesuffix("↗").strip()
            for key, entry in re.findall(r'<div class="csl-entry" id="ref-([^"]+)">(.*?)</div>', html_text)}


def test_incollection_is_a_chapter_of_its_edited_book(entries: dict[str, str]) -> None:
    """citeproc-py types @incollection an article ("Title." Book, 1-23.): a chapter, as Pandoc
    types it, "In" the book, with its editor and publisher; also when they come by crossref."""
    html_text, reports = convert("[@gaonkar:in] and [@westfahl:space]", entries)
    refs = references(html_text)
    assert reports == []
    assert refs["gaonkar:in"] == ("Gaonkar, Dilip Parameshwar. 2001. “On Alternative Modernities.” In Alternative "
                                  "Modernities, edited by Dilip Parameshwar Gaonkar. Duke University Press."), refs
    # (The Chicago 18th edition style bundled prints no chapter pages in the list: its own comment says so.)
    assert refs["westfahl:space"].startswith("Westfahl, Gary. 2000. “The True Frontier: Confronting and Avoiding the "
                                             "Realities of Space in American Science Fiction Films.” In Space and "
                                             "Beyond: The Frontier Theme in Science Fiction, edited by Gary Westfahl. "
                                             "Greenwood."), refs
    apa = references(convert("[@gaonkar:in]", entries, "apa")[0])["gaonkar:in"]
    assert "In D. P. Gaonkar (ed.), Alternative Modernities (pp. 1–23). Duke University Press." in apa, apa
    ieee = references(convert("[@gaonkar:in]", entries, "ieee")[0])["gaonkar:in"]
    assert "“On alternative modernities,” in Alternative Modernities, D. P. Gaonkar, Ed." in ieee, ieee
    # xampl's @incollection, its editors and its series, a chapter as @inbook is
    full = references(convert("[@incollection-full]", entries)[0])["incollection-full"]
    assert "“Semigroups of Recurrences.” Chap. 3 in High Speed Computer and Algorithm Organization" in full, full
    assert "edited by David J. Lipcoll, D. H. Lawrie, and A. H. Sameh" in full, full


@pytest.mark.parametrize(("key", "label", "start"), [
    ("gaonkar", "Gaonkar 2001", "Gaonkar, Dilip Parameshwar, ed. 2001. Alternative Modernities. Duke University Press."),
    # (its `booktitle` is for the chapters that crossref it: the volume is in no book)
    ("westfahl:frontier", "Westfahl 2000", "Westfahl, Gary, ed. 2000. Space and Beyond: The Frontier Theme in Science "
                                           "Fiction. Greenwood."),
    ("sigma2015procs", "Sigma 2015", "Sigma, Sam, ed. 2015. Proceedings of the Edited Conference. Conf Press."),
    ("epsilon2010grand", "Epsilon 2010", "Epsilon, Eve, ed. 2010. The Grand Collection. Big House."),
])
def test_an_editor_only_volume_names_its_editor_once(entries: dict[str, str], key: str, label: str,
                                                    start: str) -> None:
    """The editor stands for the missing author (CSL's cs:substitute) and is not printed again:
    citeproc-py gave "E. Epsilon. 2010. The Edited Volume. Edited by Eve Epsilon." and the label
    "(E. Epsilon 2010)", as the styles reach the editor through a cs:choose in the substitute."""
    html_text, _ = convert(f"[@{key}]", entries)
    assert labels(html_text) == [label]
    assert references(html_text)[key] == start
    apa_text, _ = convert(f"[@{key}]", entries, "apa")
    apa = references(apa_text)[key]
    assert apa.count(label.split()[0]) == 1 and "(ed.)" in apa, apa


def test_and_others_shows_et_al(entries: dict[str, str]) -> None:
    """BibTeX's `and others` prints "et al." (as bibtex, biber and Pandoc do), in labels and lists."""
    html_text, _ = convert("[@upsilon2014many] and [@theta2016three]. @upsilon2014many says so.", entries)
    assert labels(html_text) == ["Upsilon et al. 2014", "Theta et al. 2016", "Upsilon et al.", "2014"] or \
        labels(html_text)[:2] == ["Upsilon et al. 2014", "Theta et al. 2016"], labels(html_text)
    assert "Upsilon et al. (2014) says so." in plain(html_text)
    refs = references(html_text)
    assert refs["upsilon2014many"] == "Upsilon, Uma et al. 2014. “Many Authors Paper.” Journal of Many."
    assert refs["theta2016three"].startswith("Theta, Tom, Ian Iota, Kim Kappa, et al. 2016.")
    ieee_text, _ = convert("@upsilon2014many says [@theta2016three].", entries, "ieee")
    assert plain(ieee_text).startswith("Upsilon et al. [1] says [2].")
    assert "U. Upsilon et al., “Many authors paper,”" in references(ieee_text)["upsilon2014many"]
    assert not re.search(r"\bothers\b", plain(ieee_text))


def test_a_misc_with_a_string_macro_keeps_its_howpublished(entries: dict[str, str]) -> None:
    """The entry text starts with the `@string` block it uses: the type is read from the entry."""
    assert entries["doe2019tool"].startswith("@string{toolpress"), entries["doe2019tool"]
    ref = references(convert("[@doe2019tool]", entries)[0])["doe2019tool"]
    assert ref == "Doe, Jane. 2019. A Web Tool. Tool Press.", ref
    # biblatex-examples' `publisher = dtv # { and Walter de Gruyter}`: the macro's text, joined (`#`): two publishers,
    # as Pandoc lists them
    ref = references(convert("[@nietzsche:historie]", entries)[0])["nietzsche:historie"]
    assert ref.endswith(" Deutscher Taschenbuch-Verlag; Walter de Gruyter."), ref


def test_a_numeric_list_sets_the_number_apart(entries: dict[str, str]) -> None:
    html_text, _ = convert("[@gaonkar:in]", entries, "ieee")
    assert re.search(r'<div class="csl-entry" id="ref-gaonkar:in"><span class="csl-left-margin">\[1\]</span> '
                     r'<span class="csl-right-inline">D\. P\. Gaonkar, .*?<a class="reference-link"[^>]*>&#8599;</a>'
                     r'</span></div>', html_text), html_text
    assert plain(html_text.split("<h2", 1)[1]).split("\n", 2)[-1].strip().startswith("[1] D. P. Gaonkar")


def test_an_empty_name_list_prints_nothing(entries: dict[str, str]) -> None:
    for style in ("chicago-author-date", "apa", "ieee", "acm"):
        ref = references(convert("[@kay2001empty]", entries, style)[0])["kay2001empty"]
        assert "None" not in ref and not re.search(r"\bed(ited)?\b", ref, re.IGNORECASE), (style, ref)
        assert "Kay" in ref and "Empty Editor Book".lower() in ref.lower(), (style, ref)


def test_a_set_is_cited_as_its_members_and_xdata_not_at_all(entries: dict[str, str]) -> None:
    """biblatex-examples' `@set{stdmodel, entryset = {glashow,weinberg,salam}}`: its members are
    cited and listed. An @xdata entry is not citable in biblatex: reported, and no reference."""
    html_text, reports = convert("The model [see @stdmodel, p. 3].\n\nShared [@sharedjournal].\n", entries)
    # (Chicago's citation has no sort: the members in the set's order; the locator goes with its
    # last member, `salam`.)
    assert labels(html_text) == ["Glashow 1961", "Weinberg 1967", "Salam 1968, 3"], labels(html_text)
    assert "(see Glashow 1961; Weinberg 1967; Salam 1968, 3)" in plain(html_text)
    assert set(references(html_text)) == {"glashow", "weinberg", "salam"}
    assert "n.d." not in plain(html_text)
    assert [(d.line, d.code) for d in reports] == [(3, "uncitable-entry")], reports
    assert "[sharedjournal?]" in plain(html_text)
    in_text, _ = convert("@stdmodel [p. 3] built it.", entries)
    assert plain(in_text).startswith("Glashow (1961); Weinberg (1967); Salam (1968, 3) built it."), plain(in_text)
    numeric, _ = convert("@stdmodel built it.", entries, "ieee")
    assert plain(numeric).startswith("Glashow [1]; Weinberg [2]; Salam [3] built it."), plain(numeric)


def test_a_second_refs_div_is_reported_not_printed(entries: dict[str, str]) -> None:
    text = "A [@gaonkar].\n\n::: {#refs}\n:::\n\nMore.\n\n::: {#refs}\n:::\n"
    html_text, reports = convert(text, entries)
    assert html_text.count('<div id="refs"') == 1 and ":::" not in html_text
    assert html_text.index('<div id="refs"') < html_text.index("More.")
    assert [(d.line, d.code) for d in reports] == [(8, "refs-repeated")], reports


@pytest.mark.slow
def test_entry_types_in_a_material_site(entries: dict[str, str], tmp_path: Path) -> None:
    """One page citing each case, in a real MkDocs + Material build with the plugin, and the paper
    page of a list ending in `and others`."""
    fixture = Path(__file__).parent / "fixtures" / "cite_site"
    project = tmp_path / "site-project"
    shutil.copytree(fixture, project)
    (project / "small.bib").write_text(SMALL_BIB, encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][1]["readinglist"]["sources"] = [_kpsewhich("biblatex-examples.bib"), "small.bib"]
    config["plugins"][1]["readinglist"]["csl"] = "ieee"
    config["nav"] = ["index.md"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (project / "docs" / "problems.md").unlink()
    (project / "docs" / "index.md").write_text(
        "# Entry types\n\nA [@gaonkar:in], B [@gaonkar], C [@upsilon2014many], D [@doe2019tool],\n"
        "E [@kay2001empty], F [@stdmodel], G [@sharedjournal].\n\n::: {#refs}\n:::\n\n::: {#refs}\n:::\n",
        encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "index.md:4: warning[uncitable-entry]" in result.stderr
    assert "index.md:9: warning[refs-repeated]" in result.stderr
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    article = page.split('<article', 1)[1].split("</article>", 1)[0]
    refs = references(article)
    assert list(refs) == ["gaonkar:in", "gaonkar", "upsilon2014many", "doe2019tool", "kay2001empty",
                          "glashow", "weinberg", "salam"], refs
    assert refs["gaonkar:in"].startswith("[1] D. P. Gaonkar, “On alternative modernities,” in Alternative Modernities, "
                                         "D. P. Gaonkar, Ed.")
    assert refs["gaonkar"] == "[2] D. P. Gaonkar, Ed., Alternative modernities. Durham and London: Duke University Press, 2001."
    assert refs["upsilon2014many"].startswith("[3] U. Upsilon et al., “Many authors paper,”")
    assert refs["doe2019tool"].startswith("[4] J. Doe, “A web tool,”") and "Tool Press" in refs["doe2019tool"]
    assert "None" not in refs["kay2001empty"]
    assert ":::" not in plain(article) and article.count('id="refs"') == 1
    paper = next((project / "site" / "reading-list" / "papers").glob("upsilon2014many*/index.html"))
    assert "at least 2 authors" in paper.read_text(encoding="utf-8")
    # pybtex cannot format a @collection: its paper page shows the default CSL style's reference
    paper = next((project / "site" / "reading-list" / "papers").glob("gaonkar/index.html"))
    assert "Gaonkar, Dilip Parameshwar, ed. 2001. Alternative Modernities. Duke University Press." in \
        paper.read_text(encoding="utf-8")
