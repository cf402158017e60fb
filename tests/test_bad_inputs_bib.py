"""Rows 25-34 of tests/cases/bad-inputs.md: broken `.bib` sources. Each bad entry sits
between two good ones; the tests check the message at the entry's line, the exit status, the good
entries kept, and what the exported .bib (bibtexparser, and real LaTeX where installed) makes of it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from mkdocs_readinglist.latex.check import check_bib
from mkdocs_readinglist.latex.run import ENGINES, missing_tools
from tests.fixtures.bad.catalogue import CATALOGUE, GOOD_BIB, bib_text, by_name, check_case, cli, papers, write


def exported(tmp_path: Path, case_name: str) -> tuple[dict[str, dict[str, str]], dict[str, str], list[dict[str, Any]]]:
    """(fields by key, entry type by key, papers) of a bad .bib's export."""
    case = by_name(case_name)
    write(tmp_path / "bib", case)
    text = bib_text(tmp_path, f"bib/{case.name}")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    fields = {e.key: {f.key: str(f.value) for f in e.fields} for e in library.entries}
    return fields, {e.key: e.entry_type for e in library.entries}, papers(tmp_path, f"bib/{case.name}")


def test_row_25_missing_closing_brace_error_at_its_line_later_entries_kept(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r25-missing-brace.bib"))
    fields, _, _ = exported(tmp_path, "r25-missing-brace.bib")
    assert set(fields) == {"good2020first", "unclosed2020", "good2021second"}
    check_case(tmp_path, by_name("r25-unclosed-value.bib"))


def test_row_26_fields_after_an_extra_brace_are_reported_and_read(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r26-fields-after-end.bib"))
    fields, _, found = exported(tmp_path, "r26-fields-after-end.bib")
    early = next(p for p in found if p["title"] == "Closed Too Early")
    assert (early["year"], early["authors"]) == (2020, ["Early, Ed"])
    assert fields["early2020"]["year"] == "2020"


def test_row_27_missing_comma_between_fields_is_an_error_and_both_fields_read(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r27-missing-comma.bib"))
    _, _, found = exported(tmp_path, "r27-missing-comma.bib")
    paper = next(p for p in found if p["key"] == "comma2020")
    assert (paper["title"], paper["year"], paper["authors"]) == ("A Comma Is Missing", 2020, ["Comma, Carl"])


def test_row_27_several_missing_commas_in_one_entry(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "commas.bib").write_text(
        "@article{c,\n  title = {T}\n  year = 2020\n  author = {A, B}\n  journal = {J}\n}\n", encoding="utf-8")
    run = cli(tmp_path, "check", "bib/commas.bib")
    assert [d["line"] for d in run.diagnostics if "missing comma" in d["message"]] == ["2", "3", "4"]
    paper = papers(tmp_path, "bib/commas.bib")[0]
    assert (paper["title"], paper["year"], paper["authors"], paper["venue"]) == ("T", 2020, ["A, B"], "J")


def test_row_28_duplicates_first_kept_rest_reported_keys_unique_case_insensitively(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r28-duplicate-keys.bib"))
    fields, _, found = exported(tmp_path, "r28-duplicate-keys.bib")
    assert sorted(fields) == ["dupfield2020", "good2020first", "good2021second"]
    assert fields["good2020first"]["title"] == "A Good First Paper"  # as written: the record is the truth
    assert next(p for p in found if p["key"] == "dupfield2020")["title"] == "Duplicate Field"
    # two files whose user keys differ only in case: our own keys stay unique case-insensitively
    bib = tmp_path / "two"
    bib.mkdir()
    (bib / "a.bib").write_text("@article{Smith2020,\n  title = {One Paper},\n  year = {2020}\n}\n", encoding="utf-8")
    (bib / "b.bib").write_text("@article{smith2020,\n  title = {Another Paper},\n  year = {2020}\n}\n",
                               encoding="utf-8")
    run = cli(tmp_path, "check", "two")
    taken = re.search(r"two/[ab]\.bib:1: warning\[key-taken\]: the \.bib key '[Ss]mith2020' is already used by another paper; "
                      "its key is '([^']+)'", run.err)
    assert taken, run.err
    keys = [p["key"] for p in papers(tmp_path, "two")]
    assert taken.group(1) in keys  # the new key named, as the papers have it
    assert len({k.lower() for k in keys}) == 2 and {"Smith2020", "smith2020"} & set(keys)


def test_row_29_bad_keys_are_errors_and_the_entries_get_new_keys(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r29-bad-keys.bib"))
    fields, _, found = exported(tmp_path, "r29-bad-keys.bib")
    rekeyed = [p for p in found if p["title"] in ("Key With A Space", "Empty Key", "Key With Specials", "No Key At All")]
    assert len(rekeyed) == 4
    for paper in rekeyed:
        assert re.fullmatch(r"[a-z0-9]+", paper["key"]), paper["key"]
    assert all(re.fullmatch(r"[A-Za-z0-9]+", key) for key in fields)


def test_row_30_unknown_type_missing_title_or_year_bad_month_undefined_macro(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r30-types-and-fields.bib"))
    fields, types, found = exported(tmp_path, "r30-types-and-fields.bib")
    assert types["web2020"] == "webpage"  # an unknown type is kept as written (BibTeX styles print it as misc)
    nodate = next(p for p in found if p["title"] == "No Date Yet")
    assert (nodate["year"], nodate["date"]) == (None, None)
    assert (fields["nodate"]["year"], fields["nodate"]["month"]) == ("n.d.", "13")  # written as they came
    assert "\\foobar" not in fields["macro2020"]["title"]  # an undefined macro would stop LaTeX: repaired


def test_row_31_strings_kept_and_no_comment_holding_an_entry_is_written(tmp_path: Path) -> None:
    """Issue 10 wins over the row's "strings expanded": the paper's venue is the expanded text,
    the export writes the @string and @preamble back and the reference to the macro as it was."""
    check_case(tmp_path, by_name("r31-strings-comments.bib"))
    fields, _, found = exported(tmp_path, "r31-strings-comments.bib")
    paper = next(p for p in found if p["key"] == "strings2020")
    assert paper["venue"] == "IEEE Transactions on Pattern Analysis and Machine Intelligence"
    assert "hidden2020" not in fields and not [p for p in found if "Commented Out" in (p["title"] or "")]
    text = bib_text(tmp_path, "bib/r31-strings-comments.bib")
    assert 'journal = pami # " and Machine Intelligence"' in text
    assert '@string{pami = "IEEE Transactions on Pattern Analysis"}' in text
    assert '@preamble{"\\newcommand{\\noopsort}[1]{}"}' in text
    assert not re.search(r"@\s*comment", text, re.IGNORECASE)  # the only @comment holds an entry
    run = cli(tmp_path, "check", "-v", "bib/r31-strings-comments.bib")
    assert re.search(r"r31-strings-comments\.bib:\d+: info\[commented-entry\]: an @comment holds an entry", run.err)


def test_row_32_crossref_to_a_missing_entry_is_warned_a_present_one_is_inherited(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r32-crossref.bib"))
    (tmp_path / "bib" / "parent.bib").write_text(
        "@proceedings{cvpr2020,\n  booktitle = {Computer Vision and Pattern Recognition},\n  year = {2020}\n}\n\n"
        "@inproceedings{child2021,\n  title = {A Child With Its Parent},\n  author = {Kid, Kim},\n"
        "  crossref = {CVPR2020}\n}\n", encoding="utf-8")
    run = cli(tmp_path, "check", "bib/parent.bib")
    assert "crossref" not in run.err
    child = next(p for p in papers(tmp_path, "bib/parent.bib") if p["key"] == "child2021")
    assert (child["year"], child["venue"]) == (2020, "Computer Vision and Pattern Recognition")


def test_row_33_broken_and_apa_names_fixed_and_others_written_lowercase(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r33-names.bib"))
    fields, _, found = exported(tmp_path, "r33-names.bib")
    names = next(p for p in found if p["key"] == "names2020")
    assert names["authors"] == ["Roe, Jr, Rick", "Doe, Jane", "others"]
    assert fields["names2020"]["author"].endswith(" and others")
    assert "Others" not in fields["names2020"]["author"]
    apa = next(p for p in found if p["key"] == "apa2020")
    assert apa["authors"] == ["Lee, A.", "Kim, B.", "Park, C."]
    assert fields["apa2020"]["author"].count(" and ") == 2


APA_LISTS = {
    "serial2020": ("Smith, J., Jones, K., and Brown, L.", ["Smith, J.", "Jones, K.", "Brown, L."]),
    "escaped2020": ("Smith, J., Jones, K., \\& Brown, L.", ["Smith, J.", "Jones, K.", "Brown, L."]),
    "given2020": ("Smith, John, Jones, Kate", ["Smith, John", "Jones, Kate"]),
    "ampersand2020": ("Müller, Jörg, Østergård, Søren, & Brown, Lee", ["Müller, Jörg", "Østergård, Søren", "Brown, Lee"]),
    "nocomma2020": ("Smith, J., Jones, K. \\& Brown, L.", ["Smith, J.", "Jones, K.", "Brown, L."]),
    "etal2020": ("Smith, J., Jones, K., et al.", ["Smith, J.", "Jones, K.", "others"]),
}


def test_row_33_apa_lists_with_a_final_and_or_full_given_names_keep_every_name(tmp_path: Path) -> None:
    """`Smith, J., Jones, K., and Brown, L.`: BibTeX's `and` split gave `Smith, J., Jones, K.,`,
    read as `Smith, J.` (Jones lost); `Smith, John, Jones, Kate` kept only Smith; `\\&` stayed in a
    name. Each is a list of names separated by commas: every name kept, the list written with `and`."""
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "apa.bib").write_text("".join(
        f"@article{{{key},\n  author = {{{raw}}},\n  title = {{Paper {key}}},\n  journal = {{J}},\n  year = {{2020}},\n}}\n\n"
        for key, (raw, _) in APA_LISTS.items()), encoding="utf-8")
    run = cli(tmp_path, "check", "bib/apa.bib")
    assert run.err.count("warning[apa-authors]") == len(APA_LISTS) and "bad-name" not in run.err, run.err
    found = {p["key"]: p["authors"] for p in papers(tmp_path, "bib/apa.bib")}
    assert found == {key: names for key, (_, names) in APA_LISTS.items()}
    library = bibtexparser.parse_string(bib_text(tmp_path, "bib/apa.bib"))
    written = {e.key: str(e.fields_dict["author"].value) for e in library.entries}
    assert {key: value.count(" and ") + 1 for key, value in written.items()} == {
        key: len(names) for key, (_, names) in APA_LISTS.items()}
    assert not any("&" in value for value in written.values())


def test_row_34_accented_and_utf8_names_are_biber_safe(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r34-accents.bib"))
    fields, _, found = exported(tmp_path, "r34-accents.bib")
    paper = next(p for p in found if p["key"] == "accents2020")
    assert paper["authors"] == ["García, José", "Østergård, Søren", "Łukasz, Anna"]
    author = fields["accents2020"]["author"]
    assert "\\'\\i" not in author and author.isascii()


def test_good_bib_alone_is_clean(tmp_path: Path) -> None:
    """The control: the two good entries every bad file wraps give no message at all."""
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "good.bib").write_text(GOOD_BIB, encoding="utf-8")
    run = cli(tmp_path, "check", "--strict", "bib/good.bib")
    assert run.code == 0 and not run.diagnostics, run.err


@pytest.mark.latex
def test_rows_09_to_14_and_25_to_34_exported_bib_compiles_with_bibtex_and_biber(tmp_path: Path) -> None:
    """The export of every bad .bib and of the LaTeX- and Unicode-laden listings passes pdflatex with
    bibtex (plain and alpha, which cuts UTF-8 surnames mid-byte) and biber."""
    missing = missing_tools(ENGINES)
    if missing:
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(f"LaTeX tools missing in CI: {', '.join(missing)}")
        pytest.skip(f"LaTeX tools missing: {', '.join(missing)}")
    for case in CATALOGUE:
        # row 30's entry without title, year and journal makes bibtex warn "empty ...", as its source would
        if (case.name.endswith(".bib") and case.row != 30) or case.row in (6, 9, 13, 14):
            write(tmp_path / "bib", case)
    out = tmp_path / "all.bib"
    run = cli(tmp_path, "bib", "bib", "-o", str(out))
    assert out.is_file(), run.err
    result = check_bib(out, tuple(ENGINES), workdir=tmp_path / "latex")
    # A user's entry goes out with its own type and fields (a faithful record): an @article the source left
    # without author or journal, or a crossref to an entry the file lacks, makes bibtex and biber warn
    # exactly as its source does. Everything else (LaTeX errors, unescaped specials) must be gone.
    incomplete = re.compile(r"empty \w+ in |to sort, need author|didn't find a database entry for crossref")
    problems = [p for p in result.problems if not (p.severity == "warning" and incomplete.search(p.message))]
    assert not problems, "\n".join(p.format() for p in problems)


def test_row_33_a_name_ending_with_a_comma_is_read_and_written_without_it(tmp_path: Path) -> None:
    """`Smith, John and Jones, Kate, and Brown, Lee`: `Jones, Kate,` was kept as written, which
    BibTeX reads as a last name and a `Jr` part with no first name; said at the line."""
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "t.bib").write_text(
        "@article{t1,\n  author = {Smith, John and Jones, Kate, and Brown, Lee},\n  title = {One},\n"
        "  journal = {J},\n  year = 2020\n}\n", encoding="utf-8")
    run = cli(tmp_path, "check", "bib/t.bib")
    assert "bib/t.bib:2: error[bad-name]: author name 'Jones, Kate,' ends with a comma" in run.err, run.err
    assert papers(tmp_path, "bib/t.bib")[0]["authors"] == ["Smith, John", "Jones, Kate", "Brown, Lee"]
    entry = bibtexparser.parse_string(bib_text(tmp_path, "bib/t.bib")).entries[0]
    assert str(entry.fields_dict["author"].value) == "Smith, John and Jones, Kate and Brown, Lee"
