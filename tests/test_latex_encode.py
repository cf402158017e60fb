"""Unicode to LaTeX for the .bib, and the quick parts of `latex-check` (no TeX needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

from mkdocs_readinglist.latex.check import check_bib, latex_check_command, letters, lint, parse_engines, title_letters
from mkdocs_readinglist.latex import encode
from mkdocs_readinglist.latex.encode import BASE_MATH_MACROS, SAFE_CHARACTERS, fallback, to_latex

_TO_TEXT = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=False)
_ALPHABET = "ab Z09.,:-&%$#_^~{}\\\"'éøří多Ж🤖·—→×°µ½αΩ\u00a0"


# pylatexenc reads `''`, `\\textasciicircum`, `\\textasciitilde` as typographic characters
_PYLATEXENC_READS = str.maketrans({"\u201d": '"', "\u02c6": "^", "\u02dc": "~"})


def _balanced(text: str) -> bool:
    depth = 0
    for index, char in enumerate(text):
        if index and text[index - 1] == "\\" and char in "{}":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_any_text_becomes_ascii_braced_latex(text: str) -> None:
    latex = to_latex(text)
    assert latex.isascii()
    assert _balanced(latex)
    assert "\n" not in latex and "\\\\" not in latex
    assert not re.search(r"(?<!\\)[%&#_^$]", re.sub(r"\{\$.+?\$\}", "", latex))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab Z09.,:-&%$#_^~{}\\\"éøří—×°", max_size=40))  # not ·: pylatexenc reads \\textperiodcentered as ˙
def test_encoded_text_reads_back_as_the_same_text(text: str) -> None:
    """Escaped exactly once: LaTeX's reading of the field is the model's text."""
    shown = _TO_TEXT.latex_to_text(to_latex(text)).translate(_PYLATEXENC_READS)
    meant = text.replace("---", "—").replace("--", "–")  # TeX's dash ligatures, kept on purpose
    assert " ".join(shown.split()) == " ".join(meant.split())


@pytest.mark.parametrize("char", list("&%$#_{}"))
def test_each_special_is_escaped_once(char: str) -> None:
    assert to_latex(f"Front {char} Back") == f"Front {{\\{char}}} Back"


def test_characters_latex_cannot_print_fall_back_to_their_code_point() -> None:
    assert to_latex("多") == fallback("多") == "{\\texttt{<U+591A>}\\allowbreak}"
    assert to_latex("Ж") == fallback("Ж")  # pylatexenc's \CYRZH needs T2A fonts
    assert to_latex("é") == "{\\'e}" and ord("é") in SAFE_CHARACTERS
    assert to_latex("í") == "{{\\'i}}"  # never {\'\i}: biber breaks it
    assert to_latex("line\n\nbreak") == "line break"  # never a paragraph in a field


def test_math_is_kept_only_when_plain_latex_can_typeset_it() -> None:
    assert to_latex("Human \\(\\leftrightarrow\\) Object") == "Human {$\\leftrightarrow$} Object"
    assert to_latex("\\(x_i^2 \\leq \\mathcal{O}(n)\\)") == "{$x_i^2 \\leq \\mathcal{O}(n)$}"
    assert "leftrightarrow" in BASE_MATH_MACROS and "mathbb" not in BASE_MATH_MACROS
    for math in ("\\mathbb{R}^3", "50% of", "a \\(b", "\\text{x}", "x & y", "^", "x_", "a\\", " "):
        latex = to_latex(f"\\({math}\\)")
        assert "{$" not in latex, (math, latex)


def test_title_letters_and_page_letters_agree_on_what_pdftotext_shows() -> None:
    assert title_letters("{Caf{\\'e} {\\O}berg Dvo{\\v{r}}{\\'a}k}") == [letters("Café Øberg Dvořák")]
    assert title_letters("Reducing 50% of {$x_i^2$} errors") == ["reducing50of", "errors"]  # % is literal
    assert letters("Recog-\nnition ﬁne x^2 xˆ2") == "recognitionfinex2x2"


def test_lint_points_at_the_exact_line_of_unescaped_specials() -> None:
    text = ("@article{a,\n  title = {Fine \\% and {$x_1^2$}},\n  abstract = {line one\n  50% and a & b},\n"
            "  url = {https://x.org/a_b%20c},\n  doi = {10.1/a\\_b}\n}\n")
    found = [(p.line, p.key, p.message.split(": ", 1)[1][:14]) for p in lint(text)]
    assert found == [(4, "a", "unescaped '%' "), (4, "a", "unescaped '&' "), (6, "a", "`\\_` in a verb")]


def test_parse_engines() -> None:
    assert parse_engines("biber, bibtex-plain,biber") == ["biber", "bibtex-plain"]
    with pytest.raises(ValueError, match="bibtex-apa"):
        parse_engines("bibtex-apa")


def test_latex_check_without_tex_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a,\n  title = {A},\n  key = {a}\n}\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = check_bib(bib)
    assert result.runs == () and "pdflatex" in result.missing_tools and not result.ok
    assert latex_check_command(bib, "bibtex-plain,biber", strict=False) == 2
    err = capsys.readouterr().err
    assert "pdflatex" in err and "apt-get install" in err and "texlive-bibtex-extra" in err


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET + "\u0301\u0308e\u00e9\u212b\u0000\t\n<>|\"", max_size=60))
def test_encoding_character_by_character_is_pylatexencs_encoding(text: str) -> None:
    # to_latex hands pylatexenc only the characters that change (speed: issue 6).
    assert encode._encode(text) == encode._ENCODER.unicode_to_latex(text)
