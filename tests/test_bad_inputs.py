"""Every bad input of tests/cases/bad-inputs.md (rows 1-24: any source and the four listing
formats) fed through the real CLI. Each test names its row; each asserts the message
(`FILE:LINE[:COL]: severity: what is wrong; what was done`), the exit status (0, or 1 with
`--strict`; 1 on errors) and that every good paper of the same file is still there.

The bad files themselves are generated in tests/fixtures/bad/catalogue.py.
"""

from __future__ import annotations

import re
import shutil
import textwrap
import unicodedata
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from mkdocs_readinglist.sources import read_source
from mkdocs_readinglist.sources.base import reports_skipped_record
from mkdocs_readinglist.sources.encoding import decode_bytes
from tests.fixtures.bad.catalogue import (
    ABSTRACT,
    ARXIV,
    CATALOGUE,
    SAMPLE_FILES,
    SAMPLES,
    BadFile,
    Expect,
    bib_text,
    by_name,
    check_case,
    cli,
    line_of,
    papers,
    search_listing,
    search_titles,
    write,
)

FILE_LINE = re.compile(r"^(?P<file>[^\s:][^:\n]*):(?P<line>\d+)(?::\d+)?: (?:error|warning|info)\[[a-z-]+\]: \S", re.MULTILINE)


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: f"row{c.row:02d}-{c.name}")
def test_every_row_of_the_catalogue(tmp_path: Path, case: BadFile) -> None:
    check_case(tmp_path, case)


def test_catalogue_covers_every_source_row() -> None:
    rows = {case.row for case in CATALOGUE}
    # 19 and 24 are checked on the samples themselves below; 35-38 are config (test_bad_inputs_config.py)
    assert set(range(1, 35)) - rows == {10, 11, 12, 19, 24}


# ---- any source file -------------------------------------------------------------------------

def test_row_01_empty_whitespace_or_boilerplate_gives_no_fake_paper(tmp_path: Path) -> None:
    for name in ("r01-empty.txt", "r01-whitespace.txt", "r01-boilerplate.txt", "r01-daily-ui-only.txt"):
        write(tmp_path / "bib", by_name(name))
    run = cli(tmp_path, "check", "bib")
    for name in ("r01-empty.txt", "r01-whitespace.txt", "r01-boilerplate.txt", "r01-daily-ui-only.txt"):
        run.assert_reported(f"bib/{name}", Expect(1, "warning", "no papers found"))
    assert run.code == 0 and "0 records -> 0 papers" in run.out
    assert cli(tmp_path, "check", "bib", "--strict").code == 1


def test_row_02_latin1_and_cp1252_name_line_and_column_and_others_go_on(tmp_path: Path) -> None:
    bib = tmp_path / "bib"
    write(bib, by_name("r02-latin1.txt"))
    write(bib, by_name("r02-cp1252.txt"))
    shutil.copy(SAMPLES / SAMPLE_FILES[0], bib / SAMPLE_FILES[0])
    run = cli(tmp_path, "check", "bib")
    assert "bib/r02-latin1.txt:7:4: error[encoding]: not UTF-8: byte 0xE9 cannot be decoded (it looks like Latin-1/CP1252)" \
        in run.err
    assert "bib/r02-cp1252.txt:1:12: error[encoding]: not UTF-8: byte 0x93" in run.err
    assert "file skipped" in run.err and "iconv" in run.err
    assert run.code == 1
    assert len(papers(tmp_path, "bib")) == 45  # the good file next to them is read in full


def test_row_03_bom_crlf_and_lone_cr_are_read_like_the_samples(tmp_path: Path) -> None:
    for name in ("r03-bom-crlf.txt", "r03-lone-cr.txt", "r03-bom-only.txt"):
        write(tmp_path / "bib", by_name(name))
    found = papers(tmp_path, "bib", "--year", "2026")
    assert len(found) == 58 + 45 + 119 - 1  # the ANUBIS survey is in 001 and 003
    for paper in found:
        for value in (paper["title"], paper["key"], paper["abstract"], paper["summary"]):
            assert "\ufeff" not in (value or "") and "\r" not in (value or "")
    clean = cli(tmp_path, "check", "bib", "--year", "2026")
    assert clean.code == 0
    assert not [d for d in clean.diagnostics if "r03-lone-cr" in d["file"]]


def test_row_04_binary_files_are_skipped(tmp_path: Path) -> None:
    bib = tmp_path / "bib"
    write(bib, by_name("r04-renamed-pdf.txt"))
    write(bib, by_name("r04-nul.txt"))
    shutil.copy(SAMPLES / SAMPLE_FILES[2], bib / SAMPLE_FILES[2])
    run = cli(tmp_path, "check", "bib")
    assert "bib/r04-renamed-pdf.txt:1:1: error[binary]: looks binary (a PDF file signature)" in run.err
    assert "bib/r04-nul.txt:4:11: error[binary]: looks binary (a NUL byte)" in run.err
    assert run.code == 1 and len(papers(tmp_path, "bib")) == 3


@pytest.mark.parametrize(("codec", "order"), [("utf-16-le", "little-endian"), ("utf-16-be", "big-endian"),
                                              ("utf-32-le", "little-endian"), ("utf-32-be", "big-endian")])
def test_row_04_utf16_without_its_mark_is_an_encoding_error_not_binary(tmp_path: Path, codec: str, order: str) -> None:
    """A seed listing saved as UTF-16 without a byte-order mark was "binary (a NUL byte)": it is text
    in another encoding (docs/diagnostics.md's `encoding`), and the message says how to convert it."""
    bib = tmp_path / "bib"
    bib.mkdir()
    (bib / "listing.txt").write_bytes((SAMPLES / SAMPLE_FILES[2]).read_text(encoding="utf-8").encode(codec))
    shutil.copy(SAMPLES / SAMPLE_FILES[3], bib / SAMPLE_FILES[3])
    run = cli(tmp_path, "check", "bib")
    name = codec[:6].upper()
    assert (f"bib/listing.txt:1:1: error[encoding]: looks like {name} ({order}) without its byte-order mark" in run.err
            and f"iconv -f {name}{codec[-2:].upper()} -t UTF-8" in run.err), run.err
    assert "binary" not in run.err and run.code == 1
    assert papers(tmp_path, "bib")  # the other listing is read


def test_row_05_unknown_format_names_the_known_ones_and_the_override_reads_it(tmp_path: Path) -> None:
    titles = "Pose Estimation Without Labels\n\nGait Recognition at a Distance\n\nHands in Motion\n"
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "titles.txt").write_text(titles, encoding="utf-8")
    run = cli(tmp_path, "check", "bib/titles.txt")
    message = next(d["message"] for d in run.diagnostics if d["file"] == "bib/titles.txt" and d["line"] == "1")
    for name in ("bibtex", "overrides", "arxiv-listing", "hf-daily", "notes-page", "hf-search"):
        assert name in message
    assert "format:" in message and run.code == 1
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - readinglist:\n      sources:\n        - path: bib/titles.txt\n"
        "          format: hf-search\n", encoding="utf-8")
    forced = cli(tmp_path, "check", "--config", "mkdocs.yml")
    assert forced.code == 0, forced.err
    assert "3 records -> 3 papers" in forced.out
    assert "bib/titles.txt:1: warning[no-abstract]: title 'Pose Estimation Without Labels' has no abstract line" in forced.err


def test_row_05_two_formats_pasted_warn_where_the_format_changes(tmp_path: Path) -> None:
    case = by_name("r05-two-formats.txt")
    check_case(tmp_path, case)
    text = case.data.decode()
    found = papers(tmp_path, f"bib/{case.name}")
    assert {p["arxiv_id"] for p in found if p["arxiv_id"]} == {"2507.02565", "2502.03836", "2404.11291"}
    lines = {p["arxiv_id"]: p["sources"][0]["line"] for p in found if p["arxiv_id"]}
    assert lines["2507.02565"] == line_of(text, ARXIV.split("\n")[0][:50])  # lines kept across the cut
    daily = by_name("r05-notes-then-daily.txt")
    write(tmp_path / "bib", daily)
    result = read_source(tmp_path / "bib" / daily.name)
    assert result.format == "notes-page+hf-daily"
    assert result.listing is not None and result.listing.declared_count == 45
    assert not [r for r in result.records if r.title in ("Subscribe", "Daily Papers", "May 13")]


def test_row_06_long_line_is_read_capped_and_left_out_of_the_bib(tmp_path: Path) -> None:
    case = by_name("r06-long-line.txt")
    check_case(tmp_path, case)
    found = {p["title"]: p for p in papers(tmp_path, f"bib/{case.name}")}
    long = found["A Paper With A Very Long Abstract"]["abstract"]
    assert 19_000 <= len(long) <= 20_002 and long.endswith(" …")
    run = cli(tmp_path, "check", f"bib/{case.name}")
    assert re.search(r"bib/r06-long-line\.txt:4: warning\[too-long\]: abstract of 100,000 characters cut to 1\d,\d{3}", run.err)
    bib = bib_text(tmp_path, f"bib/{case.name}")
    assert max(len(line) for line in bib.splitlines()) < 10_000  # no 100k-character field for pdflatex


def test_row_07_same_paper_twice_is_one_paper_with_an_info(tmp_path: Path) -> None:
    case = by_name("r07-duplicates.txt")
    check_case(tmp_path, case)
    shutil.copy(SAMPLES / SAMPLE_FILES[1], tmp_path / "bib" / SAMPLE_FILES[1])
    run = cli(tmp_path, "check", "-v", "bib")
    text = case.data.decode()
    first = line_of(SAMPLES.joinpath(SAMPLE_FILES[1]).read_text(), search_titles()[5])
    again = line_of(text, search_titles()[5])
    assert f"bib/r07-duplicates.txt:{again}: info[duplicate]: duplicate of bib/{SAMPLE_FILES[1]}:{first}; merged into one paper" \
        in run.err
    assert not [d for d in run.diagnostics if "r07" in d["file"] and d["severity"] != "info"]
    found = papers(tmp_path, "bib")
    assert len(found) == 119 + 1
    merged = next(p for p in found if p["title"] == search_titles()[5])
    assert len(merged["sources"]) == 3


def test_row_08_same_title_two_arxiv_ids_are_two_papers_with_suffixed_keys(tmp_path: Path) -> None:
    case = by_name("r08-same-title.bib")
    check_case(tmp_path, case)
    found = papers(tmp_path, f"bib/{case.name}")
    assert sorted(p["arxiv_id"] for p in found) == ["2401.00001", "2402.00002"]
    keys = sorted(p["key"] for p in found)
    assert keys == ["lee2024posea", "lee2024poseb"]


def _bib_fields(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.raw for b in library.failed_blocks]
    return {e.key: {f.key: str(f.value) for f in e.fields} for e in library.entries}


def test_row_09_specials_are_escaped_exactly_once(tmp_path: Path) -> None:
    write(tmp_path / "bib", by_name("r09-latex-in-listing.txt"))
    fields = _bib_fields(bib_text(tmp_path, "bib"))
    title = next(f["title"] for f in fields.values() if "Benefit" in f.get("title", ""))
    for special in "&%$#_":
        assert len(re.findall(rf"(?<!\\)\\{re.escape(special)}", title)) == 1, (special, title)
        assert f"\\\\{special}" not in title
    assert "\\textasciicircum" in title and "\\textasciitilde" in title
    found = next(p for p in papers(tmp_path, "bib") if "Benefit" in p["title"])
    decoded = LatexNodes2Text().latex_to_text(title).replace("\u02c6", "^")  # pylatexenc shows ^ as U+02C6
    assert decoded == found["title"]  # decodes back to the paper's own title


def test_row_09_unescaped_specials_in_a_bib_source_are_warned_at_their_line(tmp_path: Path) -> None:
    case = by_name("r09-latex-in-bib.bib")
    check_case(tmp_path, case)
    fields = _bib_fields(bib_text(tmp_path, f"bib/{case.name}"))
    title = fields["latex2020specials"]["title"]
    assert LatexNodes2Text().latex_to_text(title) == "Cost & Benefit of 100% Pose_Estimation"
    assert "\\\\" not in title


def test_row_10_already_escaped_ampersand_is_not_doubled(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "bib", ignore=shutil.ignore_patterns("*.lock"))
    text = bib_text(tmp_path, f"bib/{SAMPLE_FILES[1]}")
    title = next(f["title"] for f in _bib_fields(text).values() if "Front" in f.get("title", ""))
    assert re.search(r"Predicting Front \{?\\&\}? Back Surfaces", title), title
    assert "\\\\&" not in text and "textbackslash" not in title
    assert LatexNodes2Text().latex_to_text(title).startswith("HccePose(BF): Predicting Front & Back Surfaces")


def test_row_11_latex_macros_never_reach_the_bib_undefined_ones_are_named(tmp_path: Path) -> None:
    write(tmp_path / "bib", by_name("r09-latex-in-listing.txt"))
    shown = "bib/r09-latex-in-listing.txt"
    text = bib_text(tmp_path, shown)
    for macro in ("\\aus", "\\eg", "\\textbf", "\\url", "\\cite", "\\("):
        assert macro not in text, macro
    fields = _bib_fields(text)
    arrows = next(f for f in fields.values() if "Arrows" in f.get("title", ""))
    assert "$\\leftrightarrow$" in arrows["title"] and "e.g." in arrows["title"]
    assert "https://example.org/x" in arrows["title"]
    run = cli(tmp_path, "check", "-v", shown)
    assert re.search(rf"{shown}:\d+: info\[undefined-macro\]: undefined LaTeX macro \\aus; shown as 'aus'", run.err)
    found = papers(tmp_path, shown)
    shown_title = next(p["title"] for p in found if p["title"].startswith("Arrows"))
    assert shown_title == "Arrows \\(\\leftrightarrow\\) and Bold Claims, e.g. in https://example.org/x"
    # the sample's own `\(\leftrightarrow\)` (000 l.21) and `\aus` (003 l.55)
    shutil.copytree(SAMPLES, tmp_path / "samples", ignore=shutil.ignore_patterns("*.lock"))
    sample_bib = bib_text(tmp_path, "samples")
    assert "\\aus" not in sample_bib and "\\(" not in sample_bib


def test_row_12_unbalanced_braces_warned_and_bib_stays_balanced(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "bib", ignore=shutil.ignore_patterns("*.lock"))
    write(tmp_path / "bib", by_name("r09-latex-in-listing.txt"))
    run = cli(tmp_path, "check", "bib")
    assert f"bib/{SAMPLE_FILES[1]}:82: warning[unbalanced-braces]: unbalanced braces: a '{{' is never closed" in run.err
    text = bib_text(tmp_path, "bib")
    for key, fields in _bib_fields(text).items():
        for name, value in fields.items():
            depth = 0
            for index, char in enumerate(value):
                if index and value[index - 1] == "\\":
                    continue
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, (key, name, value)
            assert depth == 0, (key, name, value)


def test_row_14_unicode_is_nfc_keys_are_ascii(tmp_path: Path) -> None:
    case = by_name("r14-unicode.txt")
    check_case(tmp_path, case)
    found = papers(tmp_path, f"bib/{case.name}")
    for paper in found:
        assert unicodedata.is_normalized("NFC", paper["title"])
        assert "\u200b" not in paper["title"] and "\u00a0" not in paper["title"]
        assert re.fullmatch(r"[a-z0-9]+", paper["key"]), paper["key"]
    assert any("\U0001F600" in p["title"] and "\u2192" in p["title"] for p in found)


# ---- paper-notes pages -----------------------------------------------------------------------

def test_row_15_declared_count_differs_from_papers_read(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r15-count-mismatch.txt"))


def test_row_16_second_summary_paragraph_is_not_a_title(tmp_path: Path) -> None:
    case = by_name("r16-split-summary.txt")
    check_case(tmp_path, case)
    found = papers(tmp_path, f"bib/{case.name}")
    assert len(found) == 45 and not [p for p in found if p["title"].startswith("Code and models")]
    q_avatar = next(p for p in found if p["title"].startswith("Cross-Domain Policy"))
    assert q_avatar["summary"].endswith("Code and models: https://github.com/example/q-avatar")
    run = cli(tmp_path, "check", "-v", f"bib/{case.name}")
    assert re.search(r"r16-split-summary\.txt:\d+: info\[summary-joined\]: summary continues in a second paragraph; joined", run.err)


def test_row_16_a_title_without_summary_is_still_a_title(tmp_path: Path) -> None:
    notes = SAMPLES.joinpath(SAMPLE_FILES[0]).read_text(encoding="utf-8")
    text = notes.replace("\nCLUTCH: Contextualized", "\nA Paper Whose Summary Was Lost\n\nCLUTCH: Contextualized")
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "notes.txt").write_text(text, encoding="utf-8")
    run = cli(tmp_path, "check", "bib/notes.txt")
    line = line_of(text, "A Paper Whose Summary Was Lost")
    assert f"bib/notes.txt:{line}: warning[no-summary]: paper 'A Paper Whose Summary Was Lost' has no summary" in run.err
    assert "declares 45 paper notes but 46 were read" in run.err
    assert len(papers(tmp_path, "bib/notes.txt")) == 46


# ---- Hugging Face search results -------------------------------------------------------------

def test_row_17_ui_text_glued_to_the_first_title_is_stripped(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / SAMPLE_FILES[1], tmp_path / SAMPLE_FILES[1])
    found = papers(tmp_path, SAMPLE_FILES[1])
    first = next(p for p in found if p["sources"][0]["line"] == 3)
    assert first["title"] == "Pose as Clinical Prior: Learning Dual Representations for Scoliosis Screening"
    assert not [p for p in found if "Subscribe" in p["title"] or "trending" in p["title"].lower()]
    check_case(tmp_path, by_name("r17-glued-ui.txt"))


def test_row_18_title_without_abstract_and_two_abstracts_in_a_row(tmp_path: Path) -> None:
    case = by_name("r18-search-gaps.txt")
    check_case(tmp_path, case)
    found = papers(tmp_path, f"bib/{case.name}")
    untitled = [p for p in found if p["title"] is None]
    assert len(untitled) == 1 and untitled[0]["abstract"].startswith("Separately, we study")
    third = next(p for p in found if (p["title"] or "").startswith("Third Paper"))
    assert not third["abstract"].startswith("Separately")  # nothing merged silently


# ---- arXiv listings --------------------------------------------------------------------------

def test_row_19_arxiv_titles_missing_one_warning_each_fixable_in_overrides(tmp_path: Path) -> None:
    bib = tmp_path / "bib"
    bib.mkdir()
    shutil.copy(SAMPLES / SAMPLE_FILES[2], bib / SAMPLE_FILES[2])
    run = cli(tmp_path, "check", "bib")
    warned = [d for d in run.diagnostics if "has no title" in d["message"]]
    assert sorted(int(d["line"]) for d in warned) == [1, 6, 13]
    assert all("none is invented" in d["message"] and "overrides" in d["message"] for d in warned)
    assert all(p["title"] is None for p in papers(tmp_path, "bib"))
    (bib / "overrides.yml").write_text(
        'papers:\n  "2507.02565":\n    title: Reconstructing Close Human Interaction\n', encoding="utf-8")
    fixed = cli(tmp_path, "check", "bib")
    assert len([d for d in fixed.diagnostics if "has no title" in d["message"]]) == 2
    titled = [p for p in papers(tmp_path, "bib") if p["title"]]
    assert [(p["arxiv_id"], p["title"]) for p in titled] == [("2507.02565", "Reconstructing Close Human Interaction")]


def test_row_20_arxiv_ids_missing_malformed_versioned_old(tmp_path: Path) -> None:
    case = by_name("r20-arxiv-ids.txt")
    check_case(tmp_path, case)
    found = papers(tmp_path, f"bib/{case.name}")
    ids = {(p["arxiv_id"], p["arxiv_version"]) for p in found}
    assert ids == {(None, None), ("2502.03836", 2), ("cs/0112017", None)}
    old = next(p for p in found if p["arxiv_id"] == "cs/0112017")
    assert old["date"] == "2001-12-14"


def test_row_21_created_missing_unreadable_or_after_updated(tmp_path: Path) -> None:
    case = by_name("r21-arxiv-dates.txt")
    check_case(tmp_path, case)
    found = {p["arxiv_id"]: p for p in papers(tmp_path, f"bib/{case.name}")}
    assert found["2503.00001"]["date"] is None and found["2503.00002"]["date"] is None
    assert (found["2503.00003"]["date"], found["2503.00003"]["updated"]) == ("2025-03-05", None)


def test_row_22_comment_line_and_one_sentence_abstract_told_apart_by_position(tmp_path: Path) -> None:
    case = by_name("r22-arxiv-comments.txt")
    check_case(tmp_path, case)
    found = {p["arxiv_id"]: p for p in papers(tmp_path, f"bib/{case.name}")}
    assert (found["2504.00001"]["abstract"], found["2504.00001"]["comment"]) == (
        "One sentence is the whole abstract.", None)
    assert (found["2504.00002"]["abstract"], found["2504.00002"]["comment"]) == (
        "Another abstract of one sentence.", "6 pages, 7 figures")
    assert found["2504.00003"]["venue"] == "CVPR 2024"
    assert found["2504.00003"]["abstract"] == "A third abstract with a venue comment."


# ---- Hugging Face daily papers ---------------------------------------------------------------

def test_row_23_daily_paper_without_its_author_date_block_is_kept(tmp_path: Path) -> None:
    check_case(tmp_path, by_name("r23-daily-no-meta.txt"))


def test_row_24_daily_dates_authors_and_organisations(tmp_path: Path) -> None:
    case = by_name("r23-daily-no-meta.txt")
    write(tmp_path / "bib", case)
    shown = f"bib/{case.name}"
    found = {p["title"]: p for p in papers(tmp_path, shown)}
    assert len(found) == 4 and "May 13" not in found  # the page's own date is not a paper
    assert found["Third Daily Paper, One Author"]["author_count"] == 1
    assert found["Third Daily Paper, One Author"]["date"] is None or found["Third Daily Paper, One Author"][
        "date"] == "--05-02"
    assert found["Third Daily Paper, One Author"]["year"] is None  # no year invented
    lab = found["Fourth Daily Paper From A Lab"]
    assert (lab["organisation"], lab["author_count"], lab["date"]) == ("DeepMind Team", None, "2025-04-26")
    run = cli(tmp_path, "check", shown)
    text = case.data.decode()
    assert f"{shown}:{line_of(text, '  • 1 author')}: warning[yearless-date]: 1 date(s) have no year" in run.err
    dated = {p["title"]: p for p in papers(tmp_path, shown, "--year", "2026")}
    assert dated["Third Daily Paper, One Author"]["date"] == "2026-05-02"
    assert "have no year" not in cli(tmp_path, "check", shown, "--year", "2026").err
    shutil.copy(SAMPLES / SAMPLE_FILES[3], tmp_path / SAMPLE_FILES[3])
    sample = {p["title"]: p for p in papers(tmp_path, SAMPLE_FILES[3], "--year", "2026")}
    assert len(sample) == 58


# ---- every bad file at once, beside the samples --------------------------------------------

def test_all_bad_files_next_to_the_samples_report_everything_and_keep_224_papers(tmp_path: Path) -> None:
    """`readinglist check` on a directory holding every bad file next to the four good samples
    reports every problem with FILE:LINE and still lists all 224 sample papers."""
    bib = tmp_path / "bib"
    bib.mkdir()
    for name in SAMPLE_FILES:
        shutil.copy(SAMPLES / name, bib / name)
    for case in CATALOGUE:
        write(bib, case)
    run = cli(tmp_path, "check", "-v", "bib", "--year", "2026")
    assert run.code == 1  # some files hold errors
    for case in CATALOGUE:
        for expect in case.expect:
            if "duplicate of" in expect.text:  # next to the samples, the first copy may be in a sample
                expect = Expect(expect.line, expect.severity, r"duplicate of bib/[^:]+:\d+; merged into one paper")
            run.assert_reported(f"bib/{case.name}", expect)
    for line in run.err.splitlines():
        assert FILE_LINE.match(line), f"not FILE:LINE: {line!r}"
    everything = papers(tmp_path, "bib", "--year", "2026")
    alone = tmp_path / "alone"
    alone.mkdir()
    for name in SAMPLE_FILES:
        shutil.copy(SAMPLES / name, alone / name)
    samples = papers(tmp_path, "alone", "--year", "2026")
    assert len(samples) == 224
    have_titles = {p["title"] for p in everything}
    have_ids = {p["arxiv_id"] for p in everything}
    for paper in samples:
        assert (paper["title"] in have_titles) if paper["title"] else (paper["arxiv_id"] in have_ids), paper["key"]
    # every file's detected records are read or reported (read + reported = detected)
    for path in sorted(bib.iterdir()):
        result = read_source(path)
        reported = sum(1 for d in result.diagnostics if reports_skipped_record(d))
        assert len(result.records) + reported == result.detected, path.name


def test_a_bad_search_listing_next_to_a_good_one_loses_nothing(tmp_path: Path) -> None:
    """Every rule at once: no traceback, FILE:LINE, and the good papers of the bad file kept."""
    text = search_listing([("Good Paper One", ABSTRACT), ("Good Paper Two", ABSTRACT.replace("We", "They"))])
    text += "\x07Bell In A Title\n" + ABSTRACT.replace("We", "You") + "\n"
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "x.txt").write_text(text, encoding="utf-8")
    run = cli(tmp_path, "check", "bib/x.txt")
    assert re.search(r"bib/x\.txt:7:1: warning\[control-characters\]: 1 control character\(s\) \(first U\+0007 here\) removed", run.err)
    assert [p["title"] for p in papers(tmp_path, "bib/x.txt")] == ["Good Paper One", "Good Paper Two",
                                                                  "Bell In A Title"]


def test_row_05_hard_wrapped_listing_is_one_format_not_two(tmp_path: Path) -> None:
    """Lines of a wrapped abstract follow each other with no blank line, like search results: they
    must not be taken for a second, pasted format."""
    wrapped = "\n\n".join(textwrap.fill(b, 100) if len(b) > 300 else b for b in ARXIV.split("\n\n"))
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "wrapped.txt").write_text(wrapped, encoding="utf-8")
    run = cli(tmp_path, "check", "bib/wrapped.txt")
    assert "format changes" not in run.err and "arxiv-listing" in run.out
    assert {p["arxiv_id"] for p in papers(tmp_path, "bib/wrapped.txt")} == {"2507.02565", "2502.03836", "2404.11291"}


def test_row_04_a_file_of_control_bytes_is_named_binary_at_its_first_one() -> None:
    data = b"# Papers\nA title\n  x" + bytes([0x01, 0x1A, 0x7F]) * 40 + b"\nmore\n"
    decoded = decode_bytes(data, "bib/controls.txt")
    assert decoded.text is None and decoded.diagnostic is not None
    assert (decoded.diagnostic.line, decoded.diagnostic.column) == (3, 4)
    assert f"looks binary (120 control bytes in its first {len(data)} bytes)" in decoded.diagnostic.message
    assert decode_bytes(b"tab\tand form feed\x0c and escape \x1b are text\n", "ok.txt").text is not None


def test_counts_of_one_are_said_in_the_singular(tmp_path: Path) -> None:
    """`1 records -> 1 papers; ... 1 warnings` in `check`'s summary."""
    from .helpers import run_cli

    (tmp_path / "one.bib").write_text("@article{one,\n  title = {One},\n  author = {Doe, Jane},\n  journal = {J},\n"
                                      "  year = {2020},\n  month = {smarch}\n}\n", encoding="utf-8")
    run = run_cli("check", "one.bib", cwd=tmp_path)
    assert "1 record -> 1 paper; 1 without a topic; 1 warning, 0 errors" in run.stdout, run.stdout
