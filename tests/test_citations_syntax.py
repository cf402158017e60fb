"""Pandoc's citation syntax, parsed (citations/syntax.py) and looked up (`lookup_key`)."""

from __future__ import annotations

import pytest

from mkdocs_readinglist.citations import key_index, lookup_key
from mkdocs_readinglist.citations.syntax import CiteItem, cited_keys, parse_bracketed, parse_in_text


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
     [CiteItem("a", locator_label="page", locator="33, 35-37", suffix=", and nowhere else")]),
    # Pandoc's locator in braces, taken as written, its term inside or before the braces:
    ("@a, {pp. iv, vi-xi, (xv)-(xvii)} with suffix",
     [CiteItem("a", locator_label="page", locator="iv, vi-xi, (xv)-(xvii)", suffix="with suffix")]),
    ("@a, {ch. 2 and onwards}", [CiteItem("a", locator_label="chapter", locator="2 and onwards")]),
    ("@a, p. {iv}", [CiteItem("a", locator_label="page", locator="iv")]),
    ("@a, {iv}", [CiteItem("a", locator_label="page", locator="iv")]),
    ("@a, vol. 2, p. 3", [CiteItem("a", locator_label="volume", locator="2", suffix=", p. 3")]),
    ("@a, civil war", [CiteItem("a", suffix=", civil war")]),  # not a locator: a suffix
    ("@a, § 4", [CiteItem("a", locator_label="section", locator="4")]),
    ("@a, vol. xii", [CiteItem("a", locator_label="volume", locator="xii")]),
    # Dotted and lettered locators, `ff.`, as Pandoc reads them (`2.1` was split, `.1` a suffix):
    ("@a, sec. 2.1", [CiteItem("a", locator_label="section", locator="2.1")]),
    ("@a, §§ 2.1–2.3", [CiteItem("a", locator_label="section", locator="2.1–2.3")]),
    ("@a, p. A-3", [CiteItem("a", locator_label="page", locator="A-3")]),
    ("@a, pp. 33ff.", [CiteItem("a", locator_label="page", locator="33ff.")]),
    ("@a, pp. 33f. and on", [CiteItem("a", locator_label="page", locator="33f.", suffix="and on")]),
    ("@a, p. 3.", [CiteItem("a", locator_label="page", locator="3", suffix=".")]),
    ("@a, sec. II.3", [CiteItem("a", locator_label="section", locator="II.3")]),
    ("@a, § 4.2(b)", [CiteItem("a", locator_label="section", locator="4.2(b)")]),
    ("@a, fig. S1.2", [CiteItem("a", locator_label="figure", locator="S1.2")]),
    # A slash between numbers, a letter alone after a dash (Pandoc: "line 10/12", "Issues 3a–b"); not
    # a word after a comma
    ("@a, l. 10/12", [CiteItem("a", locator_label="line", locator="10/12")]),
    ("@a, no. 3a–b", [CiteItem("a", locator_label="issue", locator="3a–b")]),
    ("@a, p. 3, a good one", [CiteItem("a", locator_label="page", locator="3", suffix=", a good one")]),
    # A locator term without the comma (Pandoc's manual: `[@item1 pp. 33, 35-37, and nowhere else]`)
    ("@item1 pp. 33, 35-37, and nowhere else",
     [CiteItem("item1", locator_label="page", locator="33, 35-37", suffix=", and nowhere else")]),
    ("@a and more", [CiteItem("a", suffix="and more")]),  # (no term: a suffix)
    # A locator in braces right after the key; `{}` for none, so the number is the suffix's
    ("@item1{ii, A, D-Z}, with a suffix",
     [CiteItem("item1", locator_label="page", locator="ii, A, D-Z", suffix=", with a suffix")]),
    ("@item1{}, 99 years later", [CiteItem("item1", suffix=", 99 years later")]),
    ("@item1{chap. 2}", [CiteItem("item1", locator_label="chapter", locator="2")]),
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
        CiteItem("doe99", locator_label="page", locator="30", suffix=", with suffix"),)


def test_keys_are_looked_up_as_the_bib_spells_them() -> None:
    index = key_index(["Bivort2016", "clutch2026"])
    assert lookup_key(index, "Bivort2016") == ("Bivort2016", None)
    assert lookup_key(index, "bivort2016") == (None, "Bivort2016")
    assert lookup_key(index, "nobody") == (None, None)


def test_a_semicolon_that_ends_an_entity_does_not_split_a_citation() -> None:
    citation = parse_bracketed("@a, p. 3 &amp; more; see @b &#8212; again")
    assert citation is not None and citation.items == (
        CiteItem("a", locator_label="page", locator="3", suffix="&amp; more"),
        CiteItem("b", prefix="see", suffix="&#8212; again"))


@pytest.mark.parametrize("text", ["mastodon.social/@john", "https://example.org/@john", "example.org/~me/@john",
                                  "https://example.org/?user=@john", "https://example.org/#@john", "someone@john"])
def test_an_at_after_a_word_or_a_url_character_is_no_citation(text: str) -> None:
    """Pandoc's rule: no citation right after a word (an e-mail address); nor, here, right after a
    character of a URL (a handle in a URL, even outside a link)."""
    assert cited_keys(text) == () and parse_bracketed(f"see {text}") is None
    assert cited_keys(f"({text}) [@doe99] (@smith) -@baez") == ("doe99", "smith", "baez")


def test_a_citation_followed_by_a_colon_is_a_citation() -> None:
    """`then [@key]: here` and `@key [p. 3]: there`: a `:` after the bracket made the text no
    citation (`[Upsilon et al. (2014)]` in brackets, as text); only a reference definition at a
    line's start is `[id]: url`, and Markdown takes those before citations are looked for."""
    import re

    from mkdocs_readinglist.citations.syntax import BRACKETED, IN_TEXT

    assert re.search(BRACKETED, "then [@many2014]: here.") is not None
    assert re.search(BRACKETED, "and [see @many2014, p. 3]: there") is not None
    found = re.search(IN_TEXT, "as @many2014 [p. 3]: there")
    assert found is not None and found.group("suffix") == "p. 3"
    assert re.search(BRACKETED, "a link [@many2014](https://example.org)") is None


def test_a_locator_range_written_with_tex_dashes_is_a_range() -> None:
    """`pp. 3--5` (TeX's en dash, as a LaTeX writer types it) was read as the page `3` and the text
    ` --5` ("p. 3 --5"); it is the range 3–5, as Pandoc's smart dashes read it."""
    parsed = parse_bracketed("@a, pp. 3--5")
    assert parsed is not None
    assert (parsed.items[0].locator_label, parsed.items[0].locator, parsed.items[0].suffix) == ("page", "3–5", "")


def test_a_suffix_may_hold_brackets_and_an_in_text_locator_may_be_on_the_next_line() -> None:
    """Pandoc reads `[@a, p. 3 [emphasis added]]` as one citation (one level of brackets in a
    suffix), and `@a` at a line's end with `[p. 33]` on the next as one in-text citation."""
    import re

    from mkdocs_readinglist.citations.syntax import BRACKETED, IN_TEXT

    found = re.search(BRACKETED, "as shown [@a, p. 3 [emphasis added]] here")
    assert found is not None and found.group("body") == "@a, p. 3 [emphasis added]"
    citation = parse_bracketed(found.group("body"))
    assert citation is not None and citation.items == (
        CiteItem("a", locator_label="page", locator="3", suffix="[emphasis added]"),)
    assert re.search(BRACKETED, "[x [@a]]").group("body") == "@a"  # type: ignore[union-attr]
    wrapped = re.search(IN_TEXT, "as @a\n[p. 33] says")
    assert wrapped is not None and wrapped.group("suffix") == "p. 33"
    assert re.search(IN_TEXT, "as @a [^1] says").group("suffix") is None  # type: ignore[union-attr]  # a footnote
