"""Scraped text with bits of LaTeX in it, decoded once into the Unicode the model holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.latex_text import decode_latex, plain_text, split_math

from .helpers import papers_json


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
