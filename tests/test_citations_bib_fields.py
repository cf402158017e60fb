"""What an entry's BibTeX and biblatex fields say reaches its reference, as Pandoc's BibTeX reader
gives them to CSL (Text/Pandoc/Citeproc/BibTeX.hs): an eprint is a link and never takes the place
of a published paper's pages; school, institution and organization are its publisher; a thesis's or
report's `type` (biblatex's keys too) its genre; a BibTeX `number` the number of a report and of a
book's series, the issue of a journal only.

Real entries: TeX Live's biblatex-examples.bib and xampl.bib read in place by the pipeline, and the
demo's scraped arXiv listing; each expected text was checked against Pandoc 3.9's citeproc with the
same bundled style (the differences left are said where they show).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.citations.csl import STYLES, CitationStyle, plain, style_path


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from .helpers import texlive_entries

    return texlive_entries(tmp_path_factory.mktemp("fields"), "biblatex-examples.bib", "xampl.bib")


@pytest.fixture(scope="module")
def scraped_entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import standalone_entries

    from .helpers import SAMPLES
    tmp = tmp_path_factory.mktemp("scraped")
    settings, _ = settings_from_mapping(tmp, {"sources": [str(SAMPLES)], "lock_file": str(tmp / "keys.lock")})
    return standalone_entries(run_pipeline(settings))


def reference(name: str, entries: dict[str, str], key: str) -> str:
    """The key's reference as text (geer's `Skald~-- and`: its no-break space as a space)."""
    return plain(dict(CitationStyle(style_path(name, Path(".")), entries).references([key]))[key]).replace("\xa0", " ")


@pytest.mark.parametrize(("name", "expected"), [
    ("chicago-author-date", "Theory and Applications of Categories 12: 423–91. https://arxiv.org/abs/math/0307200v3."),
    ("apa", "Theory and Applications of Categories, 12, 423–491. https://arxiv.org/abs/math/0307200v3"),
    ("ieee", "Theory and Applications of Categories, vol. 12, pp. 423–491, 2004, [Online]. Available: "
             "https://arxiv.org/abs/math/0307200v3"),
    ("acm", "Theory and Applications of Categories 12, (2004), 423–491. Retrieved from "
            "https://arxiv.org/abs/math/0307200v3"),
])
def test_a_published_paper_keeps_its_pages_and_links_its_eprint(entries: dict[str, str], name: str,
                                                                expected: str) -> None:
    """biblatex-examples' baez/article: a journal article with `pages`, `eprint` and `eprinttype =
    {arxiv}`. The eprint went in as CSL's `number` (an article number), which the styles print in
    place of the pages ("12: arXiv:math/0307200v3", APA "Article arXiv:...", IEEE "Art. no."); it
    is the paper's address, as Pandoc and biblatex make it. (Pandoc's IEEE omits "[Online].")"""
    text = reference(name, entries, "baez/article")
    assert text.endswith(expected), text
    assert "Art" not in text.replace("Applications", ""), text  # no "Article"/"Art. no."


def test_a_preprint_names_its_repository_once(scraped_entries: dict[str, str]) -> None:
    """A listing's arXiv paper, in no journal: its repository and id, as Zotero gives a preprint to
    CSL. IEEE's style prints the publisher, a colon and the number: "arXiv: arXiv:2401.01234" said
    the repository twice; IEEE's guide cites "2017, arXiv:1706.03762"."""
    key, entry = next((k, e) for k, e in scraped_entries.items() if "archivePrefix = {arXiv}" in e)
    arxiv_id = re.search(r"eprint = \{([^}]+)\}", entry).group(1)  # type: ignore[union-attr]
    ieee = reference("ieee", scraped_entries, key)
    assert f", arXiv:{arxiv_id}." in ieee and "arXiv: arXiv" not in ieee, ieee
    for name in ("chicago-author-date", "apa"):  # (their publisher and number stand apart)
        text = reference(name, scraped_entries, key)
        assert f"arXiv:{arxiv_id}" in text and re.search(r"\barXiv\b(?!:)", text), (name, text)


@pytest.mark.parametrize(("name", "key", "expected"), [
    # school (biblatex's `institution` of a @thesis) and the thesis's kind, written or not
    ("chicago-author-date", "geer", "Twelfth Century. A Musicological Study.” PhD thesis, Uppsala Universitet."),
    ("apa", "geer", "twelfth century. A musicological study [PhD thesis]. Uppsala Universitet."),
    ("ieee", "geer", "twelfth century. A musicological study,” PhD thesis, Uppsala Universitet, Uppsala, 1985."),
    ("chicago-author-date", "loh", "Master’s thesis, Massachusetts Institute of Technology."),
    ("chicago-author-date", "phdthesis-minimal", "“Fighting Fire with Fire: Festooning French Phrases.” PhD thesis, "
                                                 "Fanstord University."),
    ("chicago-author-date", "mastersthesis-full", "Master’s project, Stanford University."),
    ("acm", "mastersthesis-full", "Mastering thesis writing. Master’s project. Stanford University, English Department."),
    # a report's institution, its type (biblatex's key `techreport`, `resreport`, or words) and number
    ("chicago-author-date", "chiu", "Operating System. Research Report RC-6947. IBM."),
    ("apa", "chiu", "operating system (Research Report RC-6947). IBM."),
    ("chicago-author-date", "techreport-full", "Sorting Algorithm. Wishful Research Result No. 7. Fanstord University."),
    ("ieee", "techreport-full", "Fanstord University, Computer Science Department, Fanstord, California, Wishful Research "
                                "Result 7, Oct. 1988."),
    # a manual's organization, a conference's organization beside its publisher, a series' number
    ("chicago-author-date", "manual-full", "The Definitive Computer Manual. Silver. Chips-R-Us."),
    ("ieee", "manual-full", "The definitive computer manual, Silver. Silicon Valley: Chips-R-Us, 1986."),
    ("chicago-author-date", "inproceedings-full", "edited by Wizard V. Oz and Mihalis Yannakakis. All ACM Conferences "
                                                  "17. The OX Association for Computing Machinery; Academic Press."),
    ("chicago-author-date", "whole-collection", "Third. Fast Computers 23. Academic Press."),
])
def test_who_published_it_and_what_kind_of_work_it_is(entries: dict[str, str], name: str, key: str,
                                                      expected: str) -> None:
    """citeproc-py's BibTeX reader maps none of school, institution, organization and type, and
    reads every `number` as a journal's issue: a thesis showed as `Doe, Jane. 2010. “My Thesis.”`,
    a report as `no. 42.`, a manual without its maker. As Pandoc: the publisher is school;
    institution; organization; howpublished; publisher, the genre the `type` (biblatex's keys as
    their words, "PhD thesis" and "Master's thesis" by default), the number a report's own and a
    book's series number ("Fast Computers 23", which was "Fast Computers, no. 23")."""
    text = reference(name, entries, key)
    assert text.endswith(expected), text


def test_a_chapter_type_is_no_genre(entries: dict[str, str]) -> None:
    """xampl's @incollection `type = "Part"` names the chapter's division (BibTeX prints "Part 3"),
    not a kind of work: Pandoc, taking it for a genre, printed "Part to High Speed Computer ..."."""
    text = reference("chicago-author-date", entries, "incollection-full")
    assert "“Semigroups of Recurrences.” Chap. 3 in High Speed Computer and Algorithm Organization" in text, text
    assert "Part" not in text, text


@pytest.mark.parametrize("name", list(STYLES))
def test_a_thesis_without_a_number_says_nothing_of_one(entries: dict[str, str], name: str) -> None:
    """APA prints a thesis's number after the word "Publication" in a group that CSL suppresses when
    the number is empty; citeproc-py counted the word as a variable printed: "(Publication)"."""
    text = reference(name, entries, "geer")
    assert "Publication" not in text and "()" not in text, text


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("chicago-author-date", "jaffe", "Jaffé, Philipp, ed. 1885–1888. Regesta Pontificum Romanorum"),
    ("apa", "jaffe", "Jaffé, P. (ed.). (1885–1888). Regesta Pontificum Romanorum"),
    ("chicago-author-date", "knuth:ct", "Knuth, Donald E. 1984–1986. Computers & Typesetting."),
    ("apa", "itzhaki", "Itzhaki, N. (1996, March 11)."),
    ("chicago-author-date", "itzhaki", "arXiv, March 11. https://arxiv.org/abs/hep-th/9603067."),
])
def test_a_biblatex_date_keeps_its_day_and_its_range(entries: dict[str, str], name: str, key: str,
                                                     expected: str) -> None:
    """biblatex's `date = {1885/1888}` was read as its first year, `{1996-03-11}` as a month
    ("1996, March"): the view gave citeproc-py BibTeX's year and month only."""
    assert expected in reference(name, entries, key)


def test_a_range_is_no_year_like_another_to_tell_apart(entries: dict[str, str]) -> None:
    """knuth:ct (`date = {1984/1986}`) and knuth:ct:a (1984) were both "Knuth 1984", so each got a
    letter ("1984a", "1984b") for a likeness that is not there."""
    from mkdocs_readinglist.citations.syntax import parse_bracketed

    citation = parse_bracketed("@knuth:ct; @knuth:ct:a")
    assert citation is not None
    style = CitationStyle(style_path("chicago-author-date", Path(".")), entries)
    assert plain(style.render([citation], str).labels[0]) == "(Knuth 1984–1986, 1984)"


def test_approximate_and_open_dates() -> None:
    """EDTF's `~` (approximate) and an open range (`2020/`), which no TeX Live bibliography uses:
    Chicago's "[2019?]" and "2020–", APA's "ca. 2019", as Pandoc prints them."""
    entries = {key: f"@article{{{key},\n  author = {{Doe, Dan}},\n  title = {{{key}}},\n  journal = {{J}},\n"
                    f"  date = {{{date}}},\n}}\n" for key, date in (("circa", "2019~"), ("open", "2020/"))}
    assert reference("chicago-author-date", entries, "circa").startswith("Doe, Dan. [2019?].")
    assert reference("apa", entries, "circa").startswith("Doe, D. (ca. 2019).")
    assert reference("chicago-author-date", entries, "open").startswith("Doe, Dan. 2020–.")


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("chicago-author-date", "gerhardt", "2000. The Federal Appointments Process: A Constitutional and Historical "
                                        "Analysis. Duke University Press."),
    ("chicago-author-date", "westfahl:space", "“The True Frontier: Confronting and Avoiding the Realities of Space in "
                                              "American Science Fiction Films.” In Space and Beyond: The Frontier Theme "
                                              "in Science Fiction, edited by Gary Westfahl."),
    ("apa", "kastenholz", "from molecular simulations: I. The electrostatic potential in molecular liquids. J. Chem."),
])
def test_a_subtitle_joins_its_title(entries: dict[str, str], name: str, key: str, expected: str) -> None:
    """biblatex's `subtitle` (and a book's `booksubtitle`, by crossref here) was dropped: "The Federal
    Appointments Process." As Pandoc: the title, a colon, the subtitle (and a period, the
    `titleaddon`: geer's "... Twelfth Century. A Musicological Study", above)."""
    assert expected in reference(name, entries, key)


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("chicago-author-date", "angenendt", "Revue d’Histoire Ecclésiastique 97: 431–56, 791–823."),
    ("ieee", "angenendt", "vol. 97, pp. 431–456, 791–823, 2002."),
    ("chicago-author-date", "article-full", "G-Animal’s Journal 41 (7): 73+."),
    ("apa", "article-full", "G-Animal’s Journal, 41(7), 73+."),
])
def test_a_list_of_pages_and_pages_following(entries: dict[str, str], name: str, key: str, expected: str) -> None:
    """biblatex-examples' `pages = {431--456, 791--823}` was dropped (citeproc-py's reader cannot
    split it), xampl's `73+` printed as 73. As Pandoc: each range as the style formats ranges."""
    assert reference(name, entries, key).endswith(expected)


@pytest.mark.parametrize(("name", "key", "expected"), [
    # a BibTeX title (title case, `{V}` protected) in sentence case where the style prints it as stored
    ("apa", "baez/article", "(2004). Higher-dimensional algebra V: 2-groups. Theory and Applications of Categories"),
    ("ieee", "baez/article", "“Higher-dimensional algebra V: 2-groups,” Theory and Applications of Categories"),
    ("acm", "baez/article", "2004. Higher-dimensional algebra V: 2-groups. Theory and Applications of Categories"),
    # (biblatex-examples writes aksin's title in sentence case already, compounds braced)
    # Chicago title-cases it again, each part of a compound too (citeproc-py left "Pd-N-heterocyclic")
    ("chicago-author-date", "baez/article", "“Higher-Dimensional Algebra V: 2-Groups.”"),
    ("chicago-author-date", "aksin", "Saturated Pd-N-Heterocyclic Carbenes in Mizoroki-Heck Reactions.”"),
    # a German title (`langid = {german}`) keeps its case, as CSL says
    ("apa", "angenendt", "In Honore Salvatoris – Vom Sinn und Unsinn der Patrozinienkunde."),
])
def test_titles_in_sentence_case_as_csl_keeps_them(entries: dict[str, str], name: str, key: str,
                                                   expected: str) -> None:
    """CSL keeps titles in sentence case and a style title-cases them (text-case="title", English
    items only); text-case="sentence" does not lowercase a title ("the case of all other words stays
    the same"), so APA printed BibTeX's title case as written ("Higher-Dimensional Algebra V:
    2-Groups"), against APA's rule. As Pandoc reads a BibTeX title: in sentence case, its braced
    words untouched, the first word and the one after a colon capitalized."""
    assert expected in reference(name, entries, key)


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("chicago-author-date", "shore", "American Anthropologist, new series, vol. 93 (1): 9–27."),
    ("apa", "gillies", "Publications of the English Goethe Society, New Series, 9, 46–67."),
    ("chicago-author-date", "reese", "William and Mary Quarterly, 3rd series, vol. 15: 168–90."),  # (`series = 3`)
])
def test_a_series_key_is_its_words(entries: dict[str, str], name: str, key: str, expected: str) -> None:
    """biblatex's `series = {newseries}` is one of its strings: "new series", and a number an ordinal
    series, "3rd series", as biblatex and Pandoc print them (they were printed as written,
    "newseries", "3")."""
    assert reference(name, entries, key).endswith(expected)


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("chicago-author-date", "aristotle:physics", "Aristotle. 1929. Physics. Translated by P. H. Wicksteed and F. M. "
                                                 "Cornford. G. P. Putnam."),
    ("apa", "aristotle:physics", "Physics (P. H. Wicksteed & F. M. Cornford, trans.). G. P. Putnam."),
    ("chicago-author-date", "iliad", "Homer. 2004. Die Ilias. 3rd ed. Translated by Wolfgang Schadewaldt."),
    ("chicago-author-date", "knuth:ct", "Knuth, Donald E. 1984–1986. Computers & Typesetting. 5 vols. Addison-Wesley."),
    ("apa", "knuth:ct", "Computers & typesetting (Vols. 1–5). Addison-Wesley."),
    ("apa", "jaffe", "(2nd ed., Vols. 1–2)."),
])
def test_translators_and_the_number_of_volumes(entries: dict[str, str], name: str, key: str, expected: str) -> None:
    """citeproc-py's BibTeX reader leaves out `translator` and `volumes`: Aristotle's Physics showed
    no translators, Knuth's five volumes no count. As Pandoc shows them (APA's "trans." and "ed."
    are the bundled locale's terms; Pandoc writes "Trans.")."""
    assert expected in reference(name, entries, key)


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("chicago-author-date", "almendro", "1998. Elektromagnetisches Signalhorn. Patent EU-29702195U, issued 1998."),
    ("chicago-author-date", "laufenberg", "Elektrische Einrichtung und Betriebsverfahren. European patent 1700367, "
                                          "issued September 13, 2006."),
    ("apa", "almendro", "Elektromagnetisches Signalhorn (Patent No. EU-29702195U)."),
])
def test_a_patent_is_a_patent(entries: dict[str, str], name: str, key: str, expected: str) -> None:
    """biblatex's @patent was shown as a report, its `location` (biblatex's country keys, the countries
    it is granted in) as a place of publication: "EU-29702195U. Countryfr and countryuk and countryde."
    As Pandoc: CSL's patent, its type's words ("European patent"), the date it was issued."""
    assert reference(name, entries, key).endswith(expected)


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("chicago-author-date", "knuth:ct:a", "Knuth, Donald E. 1984. The TeXbook. A of Computers & Typesetting. "
                                          "Addison-Wesley."),
    ("apa", "knuth:ct:a", "Knuth, D. E. (1984). Computers & typesetting: A. The TeXbook. Addison-Wesley."),
    ("chicago-author-date", "nietzsche:ksa1", "Edited by Giorgio Colli and Mazzino Montinari. Vol. 1 of Sämtliche "
                                              "Werke: Kritische Studienausgabe."),
    # IEEE and ACM print no volume-title: the volume's own title stays the title (Pandoc's IEEE
    # shows the work's title alone, "Computers & typesetting, vol. A")
    ("ieee", "knuth:ct:a", "D. E. Knuth, The TeXbook, vol. A. Reading, Mass.: Addison-Wesley, 1984."),
])
def test_a_volume_of_a_multivolume_work_names_the_work(entries: dict[str, str], name: str, key: str,
                                                       expected: str) -> None:
    """biblatex's `maintitle` (the work a volume belongs to; `mainsubtitle` with it) was dropped:
    "The TeXbook. A." As Pandoc gives it to CSL: the work's title is the title, the volume's own
    CSL's volume-title, each style placing them as it does (both lines are Pandoc's)."""
    assert expected in reference(name, entries, key)
