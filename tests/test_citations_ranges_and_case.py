"""Entries as users write them, formatted as Pandoc 3.9's citeproc formats them with the same bundled
style (each expected text below was checked against `pandoc --citeproc`; CSL 1.0.2 says the same
where it is quoted): biblatex date ranges inside one year, sentence and title case around braced
words, punctuation and brackets, the title's protection when another field holds a macro the LaTeX
reading does not know, the order of a citation's namesakes, and lists of pages.

The entries are written to a .bib file and read by the pipeline, as the plugin reads a user's file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_readinglist.citations.csl import CitationStyle, plain, style_path
from mkdocs_readinglist.citations.syntax import parse_bracketed


def written_entries(folder: Path, bib: str) -> dict[str, str]:
    """The entries of `bib`, written to a file in `folder` and read by the pipeline, as the citation
    extension is given them."""
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import standalone_entries

    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    settings, _ = settings_from_mapping(folder, {"sources": [str(folder / "refs.bib")],
                                                 "lock_file": str(folder / "keys.lock")})
    return dict(standalone_entries(run_pipeline(settings)))


def rendered(name: str, entries: dict[str, str], *cites: str) -> tuple[list[str], dict[str, str]]:
    """The labels of `cites` (bracketed bodies) on one page, and its references, as text."""
    citations = [parse_bracketed(text) for text in cites]
    assert None not in citations
    style = CitationStyle(style_path(name, Path(".")), entries)
    page = style.render(citations, lambda key: f"/p/{key}/")  # type: ignore[arg-type]
    return [plain(label) for label in page.labels], {key: plain(text) for key, text in page.references}


DATES = """
@article{month, author = {Au, Ann}, title = {T}, journaltitle = {J}, date = {2019-05/2019-06}}
@inproceedings{days, author = {Bu, Bob}, title = {T}, booktitle = {B}, date = {2020-05-23/2020-05-25}}
@article{same, author = {Cu, Cat}, title = {T}, journaltitle = {J}, date = {2019/2019}}
@article{uneven, author = {Du, Dan}, title = {T}, journaltitle = {J}, date = {2020-05/2020-05-20}}
@article{across, author = {Eu, Eve}, title = {T}, journaltitle = {J}, date = {2020-05-30/2020-06-02}}
@article{years, author = {Fu, Fay}, title = {T}, journaltitle = {J}, date = {2019-12/2020-01}}
@online{post, author = {Gu, Gil}, title = {T}, date = {2020-05-23/2020-05-25}, url = {https://example.org}}
"""
KEYS = ("month", "days", "same", "uneven", "across", "years", "post")


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return written_entries(tmp_path_factory.mktemp("dates"), DATES)


@pytest.mark.parametrize(("name", "labels", "references"), [
    ("chicago-author-date", ["(Au 2019)", "(Bu 2020)", "(Cu 2019)", "(Du 2020)", "(Eu 2020)", "(Fu 2019–2020)",
                             "(Gu 2020)"],
     {"month": "Au, Ann. 2019. “T.” J, May–June.", "days": "Bu, Bob. 2020. “T.” B, May 23–25.",
      "same": "Cu, Cat. 2019. “T.” J.", "uneven": "Du, Dan. 2020. “T.” J, May.",
      "across": "Eu, Eve. 2020. “T.” J, May 30–June 2.", "years": "Fu, Fay. 2019–2020. “T.” J, December–January.",
      "post": "Gu, Gil. 2020. “T.” May 23–25. https://example.org."}),
    ("apa", ["(Au, 2019)", "(Bu, 2020)", "(Cu, 2019)", "(Du, 2020)", "(Eu, 2020)", "(Fu, 2019–2020)", "(Gu, 2020)"],
     {"month": "Au, A. (2019). T. J.", "days": "Bu, B. (2020, May 23–25). T. B.", "same": "Cu, C. (2019). T. J.",
      "uneven": "Du, D. (2020). T. J.", "across": "Eu, E. (2020). T. J.", "years": "Fu, F. (2019–2020). T. J.",
      "post": "Gu, G. (2020, May 23–25). T. https://example.org"}),
    ("ieee", ["[1]", "[2]", "[3]", "[4]", "[5]", "[6]", "[7]"],
     {"month": "[1] A. Au, “T,” J, May–Jun. 2019.", "days": "[2] B. Bu, “T,” in B, May 2020.",
      "same": "[3] C. Cu, “T,” J, 2019.", "uneven": "[4] D. Du, “T,” J, May 2020.",
      "across": "[5] E. Eu, “T,” J, May–Jun. 2020.", "years": "[6] F. Fu, “T,” J, Dec. 2019–Jan. 2020.",
      "post": "[7] G. Gu, “T.” [Online]. Available: https://example.org"}),
])
def test_a_date_range_inside_one_year_keeps_its_year(dated: dict[str, str], name: str, labels: list[str],
                                                     references: dict[str, str]) -> None:
    """CSL 1.0.2 (Date Ranges): the parts two dates share are printed once ("May 23–25, 2020"); the year
    of a range inside one year was lost ("(Au)"), and a range of days failed the style (TypeError: every
    citation of the page was shown as its key). Pandoc prints "J, May20" for `2020-05/2020-05-20`, a
    range from a month to a day of it: here the precision both dates have, May 2020, as biber reads it."""
    shown, listed = rendered(name, dated, *(f"@{key}" for key in KEYS))
    assert shown == labels
    assert listed == references


SENTENCES = r"""
@article{openpose, author = {Au, Ann}, title = {{OpenPose}: Realtime Multi-Person Pose Estimation}, journal = {J},
  year = {2019}}
@article{bert, author = {Bu, Bob}, title = {{BERT}: Pre-training of Deep Bidirectional Transformers}, journal = {J},
  year = {2019}}
@article{ie, author = {Cu, Cat}, title = {Results, i.e. Outcomes of the Study}, journal = {J}, year = {2019}}
@article{vector, author = {Du, Dan}, title = {Using std::vector in Practice}, journal = {J}, year = {2019}}
@article{xy, author = {Eu, Eve}, title = {What is x.y? A Question}, journal = {J}, year = {2019}}
@article{eg, author = {Fu, Fay}, title = {Examples, e.g. A Test}, journal = {J}, year = {2019}}
@article{versus, author = {Gu, Gil}, title = {Man vs. the Machine}, journal = {J}, year = {2019}}
@article{gan, author = {Hu, Hal}, title = {The {GAN}. Another Sentence}, journal = {J}, year = {2019}}
@article{version, author = {Iu, Ida}, title = {Version 2.0 Released: The Story}, journal = {J}, year = {2019}}
@article{us, author = {Ku, Kim}, title = {{U.S.} Policy: A Review}, journal = {J}, year = {2019}}
"""


@pytest.fixture(scope="module")
def sentences(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return written_entries(tmp_path_factory.mktemp("sentences"), SENTENCES)


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("apa", "openpose", "Au, A. (2019). OpenPose: Realtime multi-person pose estimation. J."),
    ("apa", "bert", "Bu, B. (2019). BERT: Pre-training of deep bidirectional transformers. J."),
    ("apa", "ie", "Cu, C. (2019). Results, i.e. Outcomes of the study. J."),
    ("apa", "vector", "Du, D. (2019). Using std::vector in practice. J."),
    ("apa", "xy", "Eu, E. (2019). What is x.y? A question. J."),
    ("apa", "eg", "Fu, F. (2019). Examples, e.g. A test. J."),
    ("apa", "versus", "Gu, G. (2019). Man vs. The machine. J."),
    ("apa", "gan", "Hu, H. (2019). The GAN. Another sentence. J."),
    ("apa", "version", "Iu, I. (2019). Version 2.0 released: The story. J."),
    ("apa", "us", "Ku, K. (2019). U.S. Policy: A review. J."),
    ("ieee", "openpose", "A. Au, “OpenPose: Realtime multi-person pose estimation,” J, 2019."),
    ("acm", "vector", "Dan Du. 2019. Using std::vector in practice. J (2019)."),
])
def test_a_sentence_starts_after_its_mark_and_a_space(sentences: dict[str, str], name: str, key: str,
                                                      expected: str) -> None:
    """Sentence case as Pandoc's BibTeX reader makes it: a sentence starts after `.`, `?`, `!` or `:`
    and a space, after a braced (protected) word too (`{OpenPose}: Realtime` was "OpenPose: realtime"),
    and never inside a word (`i.e.` was "i.E.", `std::vector` "std::Vector", `x.y` "x.Y"). Pandoc
    starts one after an abbreviation as well ("vs. The machine", "e.g. A test")."""
    _, references = rendered(name, sentences, f"@{key}")
    assert references[key].removeprefix("[1] ") == expected


MACROS = r"""
@article{url, author = {Au, Ann}, title = {A Study of {Bayes} Rule}, journal = {J}, year = {2019},
  note = {\url{https://example.org}}}
@article{smallcaps, author = {Bu, Bob}, title = {A Study of {Bayes} Rule}, journal = {J}, year = {2019},
  abstract = {We use \textsc{Bert}}}
@article{em, author = {Du, Dan}, title = {The {\em Nature} of {B}ayesian {Inference}}, journal = {J}, year = {2019}}
@article{emph, author = {Eu, Eve}, title = {On {3D} Pose in \emph{the Wild}}, journal = {J}, year = {2019}}
@article{textit, author = {Fu, Fay}, title = {On {3D} Pose in \textit{the Wild}}, journal = {J}, year = {2019}}
@article{vivo, author = {Hu, Hal}, title = {A Study of {Bayes} in \emph{Vivo}}, journal = {J}, year = {2019}}
@article{math, author = {Gu, Gil}, title = {$\alpha$-Stability of Things}, journal = {J}, year = {2019},
  note = {\url{https://example.org}}}
"""


@pytest.fixture(scope="module")
def macros(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return written_entries(tmp_path_factory.mktemp("macros"), MACROS)


@pytest.mark.parametrize(("name", "key", "expected"), [
    ("apa", "url", "A study of Bayes rule."),
    ("apa", "smallcaps", "A study of Bayes rule."),
    ("apa", "em", "The Nature of Bayesian Inference."),
    ("apa", "emph", "On 3D pose in the wild."),
    ("apa", "textit", "On 3D pose in the wild."),
    ("apa", "vivo", "A study of Bayes in vivo."),
    ("chicago-author-date", "url", "“A Study of Bayes Rule.”"),
    ("chicago-author-date", "emph", "“On 3D Pose in the Wild.”"),
    ("chicago-author-date", "math", "“α-Stability of Things.”"),
])
def test_a_macro_the_reader_does_not_know_keeps_the_titles_braced_words(macros: dict[str, str], name: str,
                                                                       key: str, expected: str) -> None:
    """citeproc-py's LaTeX reading fails on a macro it does not know (`\\url`, `\\textsc`, `\\em`,
    `\\emph`) anywhere in the entry; the entry was then given to it decoded, without braces, and the
    title lost its protected words ("A study of bayes rule", "On 3d pose in the wild"). Only the
    values it cannot read are decoded now, their braced words kept in braces: as Pandoc, `{\\em
    Nature}` is protected and `\\emph{the Wild}` is not; and math keeps its case ("α", not "Α")."""
    _, references = rendered(name, macros, f"@{key}")
    assert expected in references[key], references[key]


MARKS = r"""
@article{mostly, author = {Au, Ann}, title = {Learning (Mostly) Everything}, journal = {J}, year = {2019}}
@article{slash, author = {Bu, Bob}, title = {Input/Output Systems}, journal = {J}, year = {2019}}
@article{bracket, author = {Cu, Cat}, title = {The [Bracketed] Word}, journal = {J}, year = {2019}}
@article{quoted, author = {Du, Dan}, title = {The ``Best'' Paper Ever}, journal = {J}, year = {2019}}
@article{hard, author = {Eu, Eve}, title = {Learning (the Hard Way) and/or Not}, journal = {J}, year = {2019}}
@article{web, author = {Fu, Fay}, title = {Client/server (of the Web)}, journal = {J}, year = {2019}}
"""


@pytest.mark.parametrize(("key", "expected"), [
    ("mostly", "“Learning (Mostly) Everything.”"), ("slash", "“Input/Output Systems.”"),
    ("bracket", "“The [Bracketed] Word.”"), ("quoted", "“The ‘Best’ Paper Ever.”"),
    ("hard", "“Learning (the Hard Way) and/or Not.”"), ("web", "“Client/Server (of the Web).”"),
])
def test_title_case_cases_the_words_after_a_bracket_or_a_slash(tmp_path: Path, key: str, expected: str) -> None:
    """Chicago title-cases a title CSL keeps in sentence case: citeproc-py capitalizes a word after a
    space only, so a word after `(`, `[` or `/` stayed lowercase ("Learning (mostly) Everything",
    "Input/output"), and `and/or` was one word ("And/or"). As Pandoc: each a word of its own, the
    stop words ("the", "of", "and", "or") lowercase."""
    _, references = rendered("chicago-author-date", written_entries(tmp_path, MARKS), f"@{key}")
    assert expected in references[key], references[key]


NAMESAKES = """
@article{ya, author = {Young, Ann}, title = {A}, journal = {J}, year = {2020}}
@article{yb, author = {Young, Bob}, title = {B}, journal = {J}, year = {2021}}
@article{xc, author = {Xavier, Carl}, title = {C}, journal = {J}, year = {2020}}
@article{za, author = {Zed, Zoe}, title = {Z}, journal = {J}, year = {2020}}
"""


@pytest.mark.parametrize(("name", "labels"), [
    ("apa", ["(Xavier, 2020; A. Young, 2020; B. Young, 2021)", "(Xavier, 2020; A. Young, 2020)",
             "(A. Young, 2020; B. Young, 2021; Zed, 2020)"]),
    # Chicago's citation has no cs:sort: the order written
    ("chicago-author-date", ["(A. Young 2020; B. Young 2021; Xavier 2020)", "(Xavier 2020; A. Young 2020)",
                             "(Zed 2020; B. Young 2021; A. Young 2020)"]),
])
def test_namesakes_cited_with_initials_sort_by_their_own_names(tmp_path: Path, name: str,
                                                               labels: list[str]) -> None:
    """Two first authors named Young are cited with their initials (CSL's given-name disambiguation);
    APA then sorted a citation's items by "A. Young", before "Xavier". As Pandoc: by the name."""
    shown, _ = rendered(name, written_entries(tmp_path, NAMESAKES), "@ya; @yb; @xc", "@xc; @ya", "@za; @yb; @ya")
    assert shown == labels


PAGES = """
@article{semicolon, author = {Au, Ann}, title = {T}, journal = {J}, volume = {3}, year = {2019}, pages = {1--5; 10--12}}
@article{and, author = {Bu, Bob}, title = {T}, journal = {J}, volume = {3}, year = {2019}, pages = {1--5 and 10}}
@article{lettered, author = {Cu, Cat}, title = {T}, journal = {J}, volume = {3}, year = {2019}, pages = {A1--A5; B2}}
@article{comma, author = {Du, Dan}, title = {T}, journal = {J}, volume = {3}, year = {2019}, pages = {101--108, 110}}
"""


@pytest.mark.parametrize(("name", "expected"), [
    ("chicago-author-date", {"semicolon": "J 3: 1–5; 10–12.", "and": "J 3: 1–5 and 10.",
                             "lettered": "J 3: A1–A5; B2.", "comma": "J 3: 101–8, 110."}),
    ("apa", {"semicolon": "J, 3, 1–5; 10–12.", "and": "J, 3, 1–5 and 10.", "lettered": "J, 3, A1–A5; B2.",
             "comma": "J, 3, 101–108, 110."}),
    ("ieee", {"semicolon": "J, vol. 3, pp. 1–5; 10–12, 2019.", "and": "J, vol. 3, pp. 1–5 and 10, 2019.",
              "lettered": "J, vol. 3, pp. A1–A5; B2, 2019.", "comma": "J, vol. 3, pp. 101–108, 110, 2019."}),
])
def test_a_list_of_pages_keeps_its_separators(tmp_path: Path, name: str, expected: dict[str, str]) -> None:
    """`pages = {1--5; 10--12}` was dropped (citeproc-py's reader cannot read it), `{1--5 and 10}`
    printed "1–5and10", `{A1--A5; B2}` "A1–A5;B2". As Pandoc, but that Pandoc prints "1-5; 10-12" with
    hyphens (and "A1–A5; B2" with a dash): here each range with the style's range dash."""
    _, references = rendered(name, written_entries(tmp_path, PAGES), *(f"@{key}" for key in expected))
    assert {key: text[text.index("J"):] for key, text in references.items()} == expected


MARKS_AND_DASHES = """
@article{why, author = {Au, Ann}, title = {Why Not?}, journal = {J}, year = {2019}}
@article{more, author = {Bu, Bob}, title = {Try More!}, journal = {J}, year = {2019}}
@book{book, author = {Cu, Cat}, title = {Why Not?}, publisher = {P}, year = {2019}}
@article{dash, author = {Du, Dan}, title = {Is It---Really?}, journal = {J}, year = {2019},
  url = {https://example.org/a---b?.c}}
"""


@pytest.mark.parametrize(("name", "expected"), [
    ("apa", {"why": "Au, A. (2019). Why not? J.", "more": "Bu, B. (2019). Try more! J.",
             "book": "Cu, C. (2019). Why not? P.",
             "dash": "Du, D. (2019). Is it—really? J. https://example.org/a---b?.c"}),
    ("chicago-author-date", {"why": "Au, Ann. 2019. “Why Not?” J.", "more": "Bu, Bob. 2019. “Try More!” J.",
                             "book": "Cu, Cat. 2019. Why Not? P.",
                             "dash": "Du, Dan. 2019. “Is It—Really?” J. https://example.org/a---b?.c."}),
])
def test_a_title_ending_in_a_mark_takes_no_period_and_three_hyphens_are_an_em_dash(
        tmp_path: Path, name: str, expected: dict[str, str]) -> None:
    """APA printed "Why not?. J." and "Try more!.", and `---` as "–-" (citeproc-py makes `--` an en
    dash before it looks for `---`). As Pandoc: "Why not? J.", "Is it—really?"; a web address is
    left as written."""
    _, references = rendered(name, written_entries(tmp_path, MARKS_AND_DASHES), *(f"@{key}" for key in expected))
    assert references == expected


THREE_SMITHS = """
@article{john, author = {Smith, John}, title = {A}, journal = {J}, year = {2019}}
@article{jane, author = {Smith, Jane}, title = {B}, journal = {J}, year = {2020}}
@article{kate, author = {Smith, Kate and Jones, Tom}, title = {C}, journal = {J}, year = {2021}}
@article{first, author = {Smith, 1st, Ann}, title = {D}, journal = {J}, year = {2018}}
"""


@pytest.mark.parametrize(("name", "labels"), [
    ("chicago-author-date", ["(John Smith 2019; Jane Smith 2020; K. Smith and Jones 2021)", "(A. Smith 1st 2018)"]),
    # (Pandoc sorts Jane first: "(Smith, 2020; Smith, 2019; ...)")
    ("apa", ["(Smith, 2019; Smith, 2020; K. Smith & Jones, 2021)", "(A. Smith 1st, 2018)"]),
])
def test_each_namesake_is_told_apart_as_far_as_it_can_be(tmp_path: Path, name: str, labels: list[str]) -> None:
    """John, Jane, Kate and Ann Smith on one page: the rule was all or nothing (Kate in full in
    Chicago, "Kate Smith"; in APA, whose rule takes initials only, none told apart, as J. and J. are
    alike). As Pandoc, each name apart: initials where they tell it from the others, else the given
    names in full (Chicago) or nothing (APA); a name's suffix after it ("A. Smith 1st"). Two people
    whose names print alike are not grouped as one ("Smith, 2019, 2020"), as Pandoc groups them."""
    shown, _ = rendered(name, written_entries(tmp_path, THREE_SMITHS), "@john; @jane; @kate", "@first")
    assert shown == labels


def test_a_given_name_that_is_no_name_is_not_initialized(tmp_path: Path) -> None:
    """`author = {Smith, 1st}` (a given name that starts with no capital letter): citeproc-py wrote
    APA's mark around it alone, "Smith, . 1st . (2002)"; Pandoc prints "Smith, 1st. (2002)"."""
    entries = written_entries(tmp_path, "@article{b, author = {Smith, 1st}, title = {B}, journal = {J}, year = 2002}\n")
    _, references = rendered("apa", entries, "@b")
    assert references["b"] == "Smith, 1st. (2002). B. J."


EMPHASIS = r"""
@article{emph, author = {Eu, Eve}, title = {On {3D} Pose in \emph{the Wild}}, journal = {J}, year = {2019}}
@article{em, author = {Du, Dan}, title = {The {\em Nature} of {B}ayesian {Inference}}, journal = {J}, year = {2019}}
@article{vivo, author = {Hu, Hal}, title = {A Study of {Bayes} in \textit{Vivo}}, journal = {J}, year = {2019}}
@book{book, author = {Iu, Ida}, title = {A Study of {Bayes} in \emph{Vivo}}, publisher = {P}, year = {2019}}
"""


@pytest.mark.parametrize(("name", "expected"), [
    ("apa", {"emph": "On 3D pose in <i>the wild</i>.", "em": "The <i>Nature</i> of Bayesian Inference.",
             "vivo": "A study of Bayes in <i>vivo</i>.",
             "book": '<i>A study of Bayes in <span style="font-style:normal">vivo</span></i>.'}),
    ("chicago-author-date", {"emph": "“On 3D Pose in <i>the Wild</i>.”",
                             "em": "“The <i>Nature</i> of Bayesian Inference.”",
                             "vivo": "“A Study of Bayes in <i>Vivo</i>.”",
                             "book": '<i>A Study of Bayes in <span style="font-style:normal">Vivo</span></i>.'}),
])
def test_emphasis_in_a_title_is_italic(tmp_path: Path, name: str, expected: dict[str, str]) -> None:
    """`\\emph{...}`, `\\textit{...}` and `{\\em ...}` in a title were dropped (citeproc-py cannot read
    them; the entry was decoded to plain text). As Pandoc: in italics, cased as the words around
    them (`{\\em ...}` is protected as well), and upright inside a title the style sets in italics
    (CSL's flip-flop; Pandoc nests a second `<em>`)."""
    entries = written_entries(tmp_path, EMPHASIS)
    style = CitationStyle(style_path(name, Path(".")), entries)
    references = dict(style.references(list(expected)))
    for key, text in expected.items():
        assert text in references[key], references[key]
        assert "\ue00c" not in references[key] and "\ue00d" not in references[key]
    assert "<" not in style.tooltip("book") and "vivo" in style.tooltip("book").lower()


def test_cites_are_grouped_by_the_names_written(tmp_path: Path) -> None:
    """APA groups a citation's cites by their names ("Knuth, 1984, 1990"); Pandoc groups the cites of
    one written name only, so "Knuth, D. E." stays apart from "Knuth, Donald E." (Pandoc orders
    them "(Knuth, 1986; Knuth, 1984, 1990)", sorting by the given names in full)."""
    entries = written_entries(tmp_path, """
@article{k1, author = {Knuth, Donald E.}, title = {A}, journal = {J}, year = {1984}}
@article{k2, author = {Knuth, D. E.}, title = {B}, journal = {J}, year = {1986}}
@article{k3, author = {Knuth, Donald E.}, title = {C}, journal = {J}, year = {1990}}
""")
    assert rendered("apa", entries, "@k1; @k2; @k3")[0] == ["(Knuth, 1984, 1990; Knuth, 1986)"]
    assert rendered("chicago-author-date", entries, "@k1; @k2; @k3")[0] == [
        "(Donald E. Knuth 1984, 1990; D. E. Knuth 1986)"]


SMITHS = r"""
@article{a, author = {Smith, John}, title = {A}, journal = {J}, year = 2001}
@article{b, author = {Smith, 1st}, title = {B}, journal = {J}, year = 2002}
@article{c, author = {Smith, Jr., Karl}, title = {C}, journal = {J}, year = 2003}
@article{d, author = {Smith, {\'E}mile}, title = {D}, journal = {J}, year = 2004}
"""


@pytest.mark.parametrize(("name", "label"), [
    ("apa", "(1st. Smith, 2002; É. Smith, 2004; J. Smith, 2001; K. Smith Jr., 2003)"),
    ("chicago-author-date", "(J. Smith 2001; 1st. Smith 2002; K. Smith Jr. 2003; É. Smith 2004)"),
])
def test_namesakes_with_a_numbered_an_accented_and_a_junior_name(tmp_path: Path, name: str, label: str) -> None:
    """A given name that starts with no letter is its own "initial" (`1st`: "1st. Smith"; it was left
    bare), a suffix follows the name ("K. Smith Jr."), and APA sorts "É." with "E.", before "J.", as
    Pandoc's Unicode collation does (it sorted last, after "K.")."""
    shown, _ = rendered(name, written_entries(tmp_path, SMITHS), "@a; @b; @c; @d")
    assert shown == [label]


def test_title_case_leaves_math_after_a_bracket_as_it_is() -> None:
    """Chicago's title case after `(` and `[` reached into math (`$O(n \\log n)$` printed "O(N log n)",
    `$f(x)$` "f(X)"): math keeps its case, as Pandoc prints it."""
    entries = {"k": "@article{k,\n  author = {Roe, Rick},\n  title = {An $O(n \\log n)$ Sorting Algorithm and (Mostly) "
                    "$f(x)$ and $[a, b]$ Intervals},\n  journal = {J},\n  year = {2020}\n}"}
    _, references = rendered("chicago-author-date", entries, "@k")
    assert "“An O(n log n) Sorting Algorithm and (Mostly) f(x) and [a, b] Intervals.”" in references["k"]


def test_et_al_cites_of_one_first_author_are_grouped_in_chicago() -> None:
    """Chicago's "(Vaswani et al. 2017; Vaswani et al. 2018)": grouping by every name written kept two
    papers apart whose coauthors differ but whose cites show the same names; Pandoc prints
    "(Vaswani et al. 2017, 2018)". Two Smiths, whose cites show apart, stay apart."""
    entries = {
        "v1": "@article{v1,\n  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob},\n"
              "  title = {Attention},\n  journal = {J},\n  year = {2017}\n}",
        "v2": "@article{v2,\n  author = {Vaswani, Ashish and Jones, Llion and Gomez, Aidan and Kaiser, Lukasz},\n"
              "  title = {Tensor2Tensor},\n  journal = {J},\n  year = {2018}\n}",
        "s1": "@article{s1,\n  author = {Smith, John},\n  title = {A},\n  journal = {J},\n  year = {2019}\n}",
        "s2": "@article{s2,\n  author = {Smith, Jane},\n  title = {B},\n  journal = {J},\n  year = {2020}\n}"}
    labels, _ = rendered("chicago-author-date", entries, "@v1; @v2", "@s1; @s2")
    assert labels == ["(Vaswani et al. 2017, 2018)", "(John Smith 2019; Jane Smith 2020)"]


def test_a_braced_word_and_its_colon_in_a_volumes_title() -> None:
    """biblatex-examples' knuth:ct:b (`title = {{\\TeX}: The Program}`, `maintitle`): the volume's title
    printed "TeX : The Program" (the title alone was right)."""
    entries = {"kb": "@book{kb,\n  author = {Knuth, Donald E.},\n  title = {{\\TeX}: The Program},\n  date = {1986},\n"
                     "  maintitle = {Computers \\& Typesetting},\n  volume = {B},\n  publisher = {Addison-Wesley}\n}"}
    _, references = rendered("chicago-author-date", entries, "@kb")
    assert references["kb"] == "Knuth, Donald E. 1986. TeX: The Program. B of Computers & Typesetting. Addison-Wesley."
