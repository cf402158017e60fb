"""Scraped text with bits of LaTeX in it, decoded once into the Unicode the model holds."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from mkdocs_readinglist.latex import decode
from mkdocs_readinglist.latex.decode import Decoded, decode_latex, plain_text, split_math
from mkdocs_readinglist.pipeline import run_pipeline
from mkdocs_readinglist.settings import settings_from_mapping

from .helpers import SAMPLES, papers_json, prose_checked_against_whole_text


@pytest.mark.parametrize(("scraped", "decoded"), [
    ("Front \\& Back", "Front & Back"),
    ("Rock \\\\& Roll", "Rock & Roll"),  # escaped twice by someone: still one `&`
    ("50\\% of 7.7% more", "50% of 7.7% more"),
    ("na\\\"ive", "naïve"),
    ("\\textbf{Pose Synthesis} matters", "Pose Synthesis matters"),
    ("models~(\\eg, SAM)", "models~(e.g., SAM)"),
    ("costs $0.02 per call and $0.02 more", "costs $0.02 per call and $0.02 more"),
    ("text \\(\\leftrightarrow\\) hand", "text \\(\\leftrightarrow\\) hand"),
    ("energy $E=mc^2$ here", "energy \\(E=mc^2\\) here"),
    ("first line\\\\second line", "first line second line"),
    # an abbreviation after a bare `$` (escaped before macros are read): its own dot is not doubled
    ("costs $5 \\eg. here", "costs $5 e.g. here"),
    ("$5, $6 and $7, \\ie. three", "$5, $6 and $7, i.e. three"),
])
def test_decoding(scraped: str, decoded: str) -> None:
    assert decode_latex(scraped).text == decoded


def test_ties_are_spaces_where_the_source_is_latex() -> None:
    assert decode_latex("models~(\\eg, SAM)", tie_is_space=True).text == "models (e.g., SAM)"


def test_undefined_macros_are_shown_by_name_and_named() -> None:
    result = decode_latex("spatial action units (\\aus) from a codebook")
    assert result.text == "spatial action units (aus) from a codebook"
    assert ("undefined-macro", "undefined LaTeX macro \\aus; shown as 'aus'") in result.problems


def test_a_dollar_in_decoded_text_is_never_math() -> None:
    assert split_math("costs $5 and $x$ and \\(y\\) z") == [(False, "costs $5 and $x$ and "), (True, "y"), (False, " z")]
    assert plain_text("text \\(\\leftrightarrow\\) hand") == "text ↔ hand"


def test_hash_inside_a_braced_bib_value_is_text(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "x.bib").write_text(
        '@string{cv = "Computer Vision"}\n'
        "@article{a1, title={Issue \\#1 of C\\# Tools}, author={Roe, Jane}, journal = cv # \" Journal\", year=2020}\n",
        encoding="utf-8")
    paper = papers_json("bib/", cwd=tmp_path)[0]
    assert (paper["title"], paper["venue"]) == ("Issue #1 of C# Tools", "Computer Vision Journal")


# Decoding gives pylatexenc only the words of a text that hold LaTeX (for speed). These
# check that the result is the very text pylatexenc gives for the whole prose, on generated
# texts made of LaTeX's troublesome pieces and on every text of the samples and a generated corpus.

_PIECES = ["word", "Pose", "naïve", "3D", "(SAM)", "[1]", "[p.", "5]", ":", ",", "model's", "a-b",
           "--", "---", "``", "''", "`", "!`", "?`", "~", "\\&", "\\\\&", "&", "%", "\\%", "#", "\\#",
           "_", "^", "\\_", "{", "}", "\\{", "\\}", "\\textbf{", "\\emph", "\\it", "\\'", "\\'e",
           "\\\"o", "\\eg", "\\ie", "\\etal", "\\cite", "\\cite[p. 5]{x}", "\\url{http://a.b/c}",
           "\\LaTeX", "\\LaTeX{}", "\\alpha", "\\\\", "\\ ", "\\aus", "\\(", "\\)", "$x$", "$5", "\\[",
           "\\begin{itemize}", "\\item", "\\end{itemize}", "\\verb|a b|", "\\par", "\n", "\n\n", " ", "  "]


def _whole_text_decoding(text: str, tie_is_space: bool) -> Decoded:
    with mock.patch.object(decode, "_prose_to_text", decode._whole_prose_to_text):
        return decode_latex.__wrapped__(text, tie_is_space)  # type: ignore[attr-defined]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join), st.booleans())
def test_word_by_word_decoding_is_whole_text_decoding(text: str, tie_is_space: bool) -> None:
    assert decode_latex.__wrapped__(text, tie_is_space) == _whole_text_decoding(text, tie_is_space)  # type: ignore[attr-defined]


def test_word_by_word_decoding_on_real_and_generated_corpora(tmp_path: Path) -> None:
    with prose_checked_against_whole_text() as compared:
        for folder in (SAMPLES, generate(600, tmp_path / "corpus", seed=11).folder):
            run_pipeline(settings_from_mapping(folder, {"sources": ["."]})[0])
    assert sum(len(text) > 500 for text in compared) > 20  # abstracts, not only titles


_ESCAPES_AND_WORDS = ["word", "Pose", "3D", "(SAM)", "[1]", ":", ",", ".", "model's", "a-b", "90.97", "naïve",
                      "\\%", "\\&", "\\#", "\\_", "\\$", "%", "&", "#", "-", "'", "!", "?", "\n", " ", "  ", "\t",
                      "{", "}", "{}", "{Pose}", "{a b}", "{{3D}}", "`", "~", "\\textasciitilde{}", "\u00a0",
                      "\\textasciitilde", "\\", "\\~", "text"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ESCAPES_AND_WORDS), max_size=40).map("".join))
def test_a_text_whose_only_latex_is_escaped_specials_is_pylatexencs_reading(text: str) -> None:
    """decode._escapes_only_to_text (each escaped special the character itself, no pylatexenc)
    gives pylatexenc's reading of the whole text, or None (pieces glued without spaces too:
    `\\%\\%`, `-\\_-`, `-{}-`, `\\textasciitilde\\%{}`, a bare `%` that is a comment, braces that do
    not pair). Run with many more examples once: 200,000 texts, 26,000 of them read so, all alike."""
    shown = decode._escapes_only_to_text(text)
    if shown is not None:
        assert shown == decode._whole_prose_to_text(text)


@pytest.mark.parametrize("text", ["Especially, it achieves 90.97\\% accuracy on RAF-DB", "R\\&D \\#1 a\\_b \\$5",
                                  "a black{Skinning Weights}, b", "Fig.~3 and ~10x", "\\textasciitilde{}10x faster",
                                  "\\textasciitilde\\%{}! model's", "a \\%\\% b{}c {{3D}}"])
def test_escaped_specials_ties_and_groups_read_as_pylatexenc_reads_them(text: str) -> None:
    shown = decode._escapes_only_to_text(text)
    assert shown == decode._whole_prose_to_text(text) or (shown is None and "\\textasciitilde\\%" in text)
    assert (shown is None) == ("\\textasciitilde\\%" in text)  # (a macro left: read word by word)


def test_abstracts_with_escaped_specials_are_read_without_pylatexenc(tmp_path: Path) -> None:
    """On the samples and a generated corpus, texts whose only LaTeX is escaped specials (an
    abstract's `50%`) are read by _escapes_only_to_text, and give pylatexenc's whole reading."""
    taken: list[str] = []
    fast = decode._escapes_only_to_text

    def counted(prepared: str) -> str | None:
        shown = fast(prepared)
        if shown is not None:
            taken.append(prepared)
        return shown

    with mock.patch.object(decode, "_escapes_only_to_text", counted), prose_checked_against_whole_text() as compared:
        for folder in (SAMPLES, generate(600, tmp_path / "corpus", seed=11).folder):
            run_pipeline(settings_from_mapping(folder, {"sources": ["."]})[0])
    assert len(taken) > 20 and sum(len(text) > 500 for text in taken) > 10
    assert len(taken) < len(compared)  # (the others read word by word)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map(" ".join))
def test_reading_with_the_macro_table_built_once_is_pylatexencs_reading(text: str) -> None:
    def outcome(read: Callable[[str], str]) -> str:
        try:
            return read(text)
        except Exception as exc:  # pylatexenc gives up on some junk (decode_latex catches it)
            return f"raised {type(exc).__name__}"

    for converter in (decode._TO_TEXT, decode._MATH_TO_TEXT):
        assert outcome(partial(decode._to_text, converter)) == outcome(converter.latex_to_text)


def _every_latex_word_start(text: str, find: Callable[[str, int], int]) -> list[int]:
    starts = []
    at = find(text, 0)
    while at >= 0:
        starts.append(at)
        at = find(text, at + 1)
    return starts


def _by_the_pattern(text: str, pos: int) -> int:
    found = decode._LATEX_WORD.search(text, pos)
    return found.start() if found else -1


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "-", "'", "a-", "-b", "x'", "'y"]), max_size=40).map("".join))
def test_the_next_latex_word_is_where_the_pattern_finds_it(text: str) -> None:
    assert _every_latex_word_start(text, decode._next_latex_word) == _every_latex_word_start(text, _by_the_pattern)


def test_the_next_latex_word_on_real_texts() -> None:
    """decode._next_latex_word (a character class and two str searches) is `_LATEX_WORD.search`'s
    start on every title, abstract and .bib value of the samples and TeX Live's bibliographies."""
    from mkdocs_readinglist.sources import read_source

    from .test_bib_round_trip import texlive_bib

    texts: list[str] = []
    for path in [*sorted(SAMPLES.glob("*.txt")), *(texlive_bib(name) for name in ("xampl.bib", "biblatex-examples.bib",
                                                                                  "typeset.bib", "tugboat.bib"))]:
        for record in read_source(path).records:
            texts += [t for t in (record.title, record.abstract, record.summary) if t]
            texts += [raw for _, raw in record.bib.fields] if record.bib else []
    assert len(texts) > 5000 and sum("--" in t for t in texts) > 50 and sum("''" in t for t in texts) > 5
    for text in texts:
        assert _every_latex_word_start(text, decode._next_latex_word) == _every_latex_word_start(text, _by_the_pattern)
