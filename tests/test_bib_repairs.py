"""sources/bib_repairs.py in process: each repair of a .bib block on a minimal real block.

Each middleware runs through bibtexparser v2's own `parse_string(..., parse_stack=[...])`,
alone or with the repairs it relies on; every test checks what was recorded (line, code,
level), the repaired block, and that the rest of the file is kept as it was.
"""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser import model as bib

from mkdocs_readinglist.sources import bib_repairs as br
from mkdocs_readinglist.sources.bib_repairs import Repair, block_line, field_line


def _parse(text: str, *middlewares: type[br._Recording]) -> tuple[bibtexparser.Library, list[Repair]]:
    repairs: list[Repair] = []
    library = bibtexparser.parse_string(text, parse_stack=[m(repairs) for m in middlewares])
    return library, repairs


def _fields(entry: bib.Block) -> list[tuple[str, str, int]]:
    assert isinstance(entry, bib.Entry)
    return [(f.key, str(f.value), field_line(entry, f)) for f in entry.fields]


def _codes(repairs: list[Repair]) -> list[tuple[int, str, str, bool]]:
    return [(r.line, r.code, r.level, r.skipped) for r in repairs]


OTHER = "\n@misc{b,\n  title = {B},\n  note = {kept as written}\n}\n"


def _other_kept(library: bibtexparser.Library) -> None:
    other = library.entries_dict["b"]
    assert [(f.key, f.value) for f in other.fields] == [("title", "{B}"), ("note", "{kept as written}")]


def test_placeholder_keys_keep_every_line_and_name_the_key_as_written() -> None:
    text = "@article{my key,\n  title = {A}\n}\n@book{,\n  title = {C}\n}\n@string{x = {y}}\n@misc{b,\n}\n"
    fixed, bad = br.placeholder_keys(text)
    assert fixed.count("\n") == text.count("\n")
    assert sorted(bad.values()) == ["", "my key"]
    assert fixed.endswith("@string{x = {y}}\n@misc{b,\n}\n")  # other blocks untouched
    library = bibtexparser.parse_string(fixed, parse_stack=[])
    assert len(library.entries) == 3 and not library.failed_blocks  # without placeholders: dropped


def test_duplicate_fields_keep_the_first() -> None:
    text = "@article{a,\n  title = {First},\n  title = {Second},\n  year = {2020}\n}\n" + OTHER
    library, repairs = _parse(text, br.DuplicateFields)
    assert _codes(repairs) == [(3, "duplicate-field", "warning", False)]
    assert "'title' appears twice in 'a'" in repairs[0].message
    assert _fields(library.entries_dict["a"]) == [("title", "{First}", 2), ("year", "{2020}", 4)]
    assert not library.failed_blocks
    _other_kept(library)


def test_entry_missing_only_its_closing_brace_is_read_as_if_it_were_there() -> None:
    text = "@article{a,\n  title = {A},\n  year = {2020}\n" + OTHER
    library, repairs = _parse(text, br.UnclosedEntries)
    assert _codes(repairs) == [(3, "unclosed-entry", "error", False)]
    entry = library.entries_dict["a"]
    assert block_line(entry) == 1 and _fields(entry) == [("title", "{A}", 2), ("year", "{2020}", 3)]
    _other_kept(library)


def test_entry_with_an_inner_brace_never_closed_is_skipped_at_that_brace() -> None:
    text = "@article{a,\n  title = {A {B},\n  year = {2020}\n" + OTHER
    library, repairs = _parse(text, br.UnclosedEntries)
    assert _codes(repairs) == [(2, "unclosed-entry", "error", True)]
    assert "a" not in library.entries_dict and len(library.failed_blocks) == 1
    _other_kept(library)


@pytest.mark.parametrize("after", [OTHER, ""])
def test_a_value_brace_never_closed_is_not_given_the_fields_after_it(after: str) -> None:
    """`title = {Hands and {Objects},` with the entry's own `}` there: that `}` closes the title,
    and read with a `}` added the title would be `Hands and Objects, journal = IJCV, year = 2021,`
    (venue and year lost, a mangled title exported). Skipped at the title's line, as the docs say,
    in the middle of a file and at its end."""
    text = OTHER + "\n@article{lee2021hands,\n  author = {Lee, Kim},\n  title = {Hands and {Objects},\n" \
        "  journal = {IJCV},\n  year = {2021},\n}\n" + after
    library, repairs = _parse(text, br.UnclosedEntries)
    title_line = text.splitlines().index("  title = {Hands and {Objects},") + 1
    assert _codes(repairs) == [(title_line, "unclosed-entry", "error", True)]
    assert "field 'title'" in repairs[0].message
    assert "lee2021hands" not in library.entries_dict
    _other_kept(library)


def test_other_failed_block_is_recorded_as_skipped() -> None:
    text = "@article{a\n  title = {A}\n}\n" + OTHER  # no comma after the key
    library, repairs = _parse(text, br.UnclosedEntries)
    assert [(r.code, r.level, r.skipped) for r in repairs] == [("unparsable-entry", "error", True)]
    assert repairs[0].line == 1 and "'a' could not be parsed" in repairs[0].message
    _other_kept(library)


def test_fields_after_an_extra_brace_are_read_back_into_their_entry() -> None:
    text = "@article{a,\n  title = {X}},\n  year = {2020},\n  pages = {1--2}\n}\n" + OTHER
    library, repairs = _parse(text, br.FieldsAfterEnd)
    assert _codes(repairs) == [(3, "fields-after-end", "warning", False)]
    assert "year, pages; read as part of the entry" in repairs[0].message
    assert _fields(library.entries_dict["a"]) == [("title", "{X}", 2), ("year", "{2020}", 3), ("pages", "{1--2}", 4)]
    assert not [b for b in library.blocks if isinstance(b, bib.ImplicitComment) and "year" in b.comment]
    _other_kept(library)


def test_fields_after_no_entry_are_ignored_and_said_so() -> None:
    text = "  year = {2020}\n}\n" + OTHER  # before any entry
    library, repairs = _parse(text, br.FieldsAfterEnd)
    assert _codes(repairs) == [(1, "fields-after-end", "warning", False)]
    assert "those fields are ignored" in repairs[0].message
    _other_kept(library)


def test_fields_after_the_end_of_an_entry_with_a_bad_key_name_its_key_as_written() -> None:
    parsed = br.parse("@article{a b, title = {A}}\n  year = {2020}\n}\n" + OTHER)
    assert sorted(_codes(parsed.repairs)) == [(1, "bad-key", "error", False), (2, "fields-after-end", "warning", False)]
    assert "the entry 'a b'" in next(r.message for r in parsed.repairs if r.code == "fields-after-end")
    entry = parsed.blocks[0]
    assert isinstance(entry, bib.Entry) and entry.parser_metadata[br.BAD_KEY] == "a b"
    assert _fields(entry) == [("title", "{A}", 1), ("year", "{2020}", 2)]


def test_bad_keys_are_marked_for_a_new_key_and_reported_at_the_entry() -> None:
    fixed, bad = br.placeholder_keys("@article{my key,\n  title = {A}\n}\n\n@book{,\n  title = {C}\n}\n" + OTHER)
    repairs: list[Repair] = []
    library = bibtexparser.parse_string(fixed, parse_stack=[br.BadKeys(repairs, bad)])
    assert _codes(repairs) == [(1, "bad-key", "error", False), (5, "bad-key", "error", False)]
    assert "'my key'" in repairs[0].message and "without a citation key" in repairs[1].message
    marked = [e.parser_metadata.get(br.BAD_KEY) for e in library.entries]
    assert marked == ["my key", "", None]
    _other_kept(library)


def test_duplicate_keys_keep_the_first_also_up_to_case() -> None:
    text = "@misc{a,\n  title = {A}\n}\n@misc{a,\n  title = {A2}\n}\n@misc{A,\n  title = {A3}\n}\n" + OTHER
    library, repairs = _parse(text, br.DuplicateKeys)
    assert _codes(repairs) == [(4, "duplicate-key", "warning", True), (7, "duplicate-key", "warning", True)]
    assert "(first at line 1)" in repairs[0].message and "differs only in case from 'a'" in repairs[1].message
    assert [e.key for e in library.entries] == ["a", "b"] and not library.failed_blocks
    assert _fields(library.entries[0]) == [("title", "{A}", 2)]
    _other_kept(library)


def test_fields_glued_by_a_missing_comma_are_split() -> None:
    text = "@article{a,\n  title = {A}\n  year = {2020}\n  pages = {1}\n}\n" + OTHER
    library, repairs = _parse(text, br.MergedFields)
    assert _codes(repairs) == [(2, "missing-comma", "error", False), (3, "missing-comma", "error", False)]
    assert "between fields 'title' and 'year' in 'a'" in repairs[0].message
    assert _fields(library.entries_dict["a"]) == [("title", "{A}", 2), ("year", "{2020}", 3), ("pages", "{1}", 4)]
    _other_kept(library)


def test_an_equals_sign_inside_a_value_is_not_a_missing_comma() -> None:
    text = "@article{a,\n  title = {A = {B} and\n  c = {d}},\n  year = {2020}\n}\n"
    library, repairs = _parse(text, br.MergedFields)
    assert repairs == []
    assert [f.key for f in library.entries_dict["a"].fields] == ["title", "year"]


def test_a_quote_inside_a_quoted_typeset_value_is_marked_for_braces() -> None:
    text = '@string{acm = "ACM"}\n@article{a,\n  title = "A "quoted" Word",\n  note = acm # " says "hi"",\n' \
        '  keywords = "not "typeset"",\n  year = 2020\n}\n' + OTHER
    library, repairs = _parse(text, br.QuotesInQuotes)
    assert _codes(repairs) == [(3, "bib-syntax", "warning", False), (4, "bib-syntax", "warning", False)]
    assert "read as 'A \"quoted\" Word'" in repairs[0].message
    assert "read as 'ACM says \"hi\"'" in repairs[1].message  # @string names expanded
    entry = library.entries_dict["a"]
    assert entry.parser_metadata[br.REBRACE] == {"title", "note"}
    assert _fields(entry)[0] == ("title", '"A "quoted" Word"', 3)  # the value itself as written
    _other_kept(library)


def test_an_entry_inside_a_comment_is_named() -> None:
    library, repairs = _parse("@comment{@article{x, title={X}}}\n" + OTHER, br.CommentedEntries)
    assert _codes(repairs) == [(1, "commented-entry", "info", False)]
    assert len(library.comments) == 1
    _other_kept(library)


def test_the_whole_stack_on_one_file_reports_each_repair_at_its_line() -> None:
    text = ("@article{my key,\n  title = {A}\n  year = {2020}\n}\n"  # 1: bad key, 2: missing comma
            "@misc{c,\n  title = {C},\n  title = {C2}\n}\n"  # 7: duplicate field
            "@misc{C,\n  title = {C3}\n}\n"  # 9: duplicate key up to case
            "@misc{d,\n  title = {D}},\n  year = {2021}\n}\n"  # 14: fields after the end (the year)
            "@misc{e,\n  title = {E}\n" + OTHER)  # 17: entry e not closed by here
    parsed = br.parse(text)
    found = sorted((r.line, r.code) for r in parsed.repairs)
    assert found == [(1, "bad-key"), (2, "missing-comma"), (7, "duplicate-field"), (9, "duplicate-key"),
                     (14, "fields-after-end"), (17, "unclosed-entry")]
    entries = [b for b in parsed.blocks if isinstance(b, bib.Entry)]
    assert [e.parser_metadata.get(br.BAD_KEY, e.key) for e in entries] == ["my key", "c", "d", "e", "b"]
    assert [[f.key for f in e.fields] for e in entries] == [["title", "year"], ["title"], ["title", "year"],
                                                            ["title"], ["title", "note"]]


def test_parse_falls_back_to_entry_by_entry_with_lines_of_the_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Should bibtexparser fail on the whole text, each entry is parsed on its own: every
    entry it can read is kept, at its line of the file, with its repairs."""
    real = br.silenced_parse

    def failing(text: str, stack=()):  # type: ignore[no-untyped-def]
        if text.count("@") > 1 and stack:
            raise RuntimeError("a parser bug")
        return real(text, stack)

    monkeypatch.setattr(br, "silenced_parse", failing)
    text = "@misc{a,\n  title = {A},\n  title = {A2}\n}\n\n@misc{b,\n  title = {B}\n  year = {2020}\n}\n"
    parsed = br.parse(text)
    assert sorted((r.line, r.code) for r in parsed.repairs) == [(3, "duplicate-field"), (7, "missing-comma")]
    entries = [b for b in parsed.blocks if isinstance(b, bib.Entry)]
    assert [(e.key, block_line(e)) for e in entries] == [("a", 1), ("b", 6)]
    assert _fields(entries[1]) == [("title", "{B}", 7), ("year", "{2020}", 8)]


def test_a_missing_comma_before_a_bare_string_name_is_split_too() -> None:
    """xampl.bib's article-full with the comma after `pages = "73+"` left out: the next field's value
    is `jul`, a @string name, not braced, quoted or a number. The glued text was kept as the pages'
    value, and the export wrote `pages = "73+" month = jul` broken; no message."""
    from .helpers import texlive

    xampl = texlive("xampl.bib").read_text(encoding="utf-8")
    start = xampl.index("@ARTICLE{article-full,")
    entry = xampl[start:xampl.index("}\n", start) + 2]
    assert '   pages = "73+",\n   month = jul,\n' in entry
    text = entry.replace('   pages = "73+",\n', '   pages = "73+"\n').replace(
        "   volume = 41,\n", "   volume = {41}\n") + OTHER
    library, repairs = _parse(text, br.MergedFields)
    assert _codes(repairs) == [(6, "missing-comma", "error", False), (8, "missing-comma", "error", False)]
    fields = {name: (value, line) for name, value, line in _fields(library.entries_dict["article-full"])}
    assert fields["volume"] == ("{41}", 6) and fields["number"] == ("7", 7)
    assert fields["pages"] == ('"73+"', 8) and fields["month"] == ("jul", 9)
    _other_kept(library)


def test_an_entry_commented_out_over_several_lines_stays_a_comment() -> None:
    """xampl.bib's article-full commented out with `@comment{` and `}` on lines of their own:
    bibtexparser failed the comment as unclosed at the entry's `@` (a false error, the entry
    skipped-unclosed) and then read the entry in it, which the export wrote."""
    from .helpers import texlive

    xampl = texlive("xampl.bib").read_text(encoding="utf-8")
    start = xampl.index("@ARTICLE{article-full,")
    entry = xampl[start:xampl.index("}\n", start) + 2]
    text = "@comment{\n" + entry + "}\n" + OTHER
    parsed = br.parse(text)
    assert [(r.line, r.code, r.level) for r in parsed.repairs] == [(1, "commented-entry", "info")]
    entries = [block for block in parsed.blocks if isinstance(block, bib.Entry)]
    assert [e.key for e in entries] == ["b"] and field_line(entries[0], entries[0].fields[0]) == 16
    comments = [block for block in parsed.blocks if isinstance(block, bib.ExplicitComment)]
    assert len(comments) == 1 and "The Gnats and Gnus" in str(comments[0].comment)


def test_a_missing_comma_after_a_bare_value_on_the_same_line_or_a_concatenation_is_split() -> None:
    """`year = 2020 month = jul` on one line, and `journal = jgi # " Letters"` before a field on the
    next line: the glued text was kept as one value (bad-year, undefined-string), exported as it
    was, and biber typeset nothing of the entry."""
    text = ('@string{jgi = "JGI"}\n@article{a,\n  title = {A}, journal = {J}, year = 2020 month = jul}\n\n'
            '@article{c,\n  title = {C},\n  journal = jgi # " Letters"\n  year = 2020\n}\n' + OTHER)
    library, repairs = _parse(text, br.MergedFields)
    assert _codes(repairs) == [(3, "missing-comma", "error", False), (7, "missing-comma", "error", False)]
    assert [(name, value) for name, value, _ in _fields(library.entries_dict["a"])][-2:] == [("year", "2020"),
                                                                                            ("month", "jul")]
    assert [(name, value) for name, value, _ in _fields(library.entries_dict["c"])][-2:] == [
        ("journal", 'jgi # " Letters"'), ("year", "2020")]
    _other_kept(library)
