"""latex.encode: Unicode to LaTeX for the .bib (no TeX needed; tests/test_latex_check.py compiles it)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text

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


def test_a_zero_width_space_is_a_place_to_break_not_a_visible_code_point() -> None:
    """A zero-width space (pasted from a web page into a .bib title) printed `<U+200B>` in the PDF."""
    assert to_latex("Zero\u200bWidth") == "Zero{\\allowbreak{}}Width"
    assert _TO_TEXT.latex_to_text(to_latex("Zero\u200bWidth")) == "ZeroWidth"


def test_math_is_kept_only_when_plain_latex_can_typeset_it() -> None:
    assert to_latex("Human \\(\\leftrightarrow\\) Object") == "Human {$\\leftrightarrow$} Object"
    assert to_latex("\\(x_i^2 \\leq \\mathcal{O}(n)\\)") == "{$x_i^2 \\leq \\mathcal{O}(n)$}"
    assert "leftrightarrow" in BASE_MATH_MACROS and "mathbb" not in BASE_MATH_MACROS
    for math in ("\\mathbb{R}^3", "50% of", "a \\(b", "\\text{x}", "x & y", "^", "x_", "a\\", " "):
        latex = to_latex(f"\\({math}\\)")
        assert "{$" not in latex, (math, latex)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET + "\u0301\u0308e\u00e9\u212b\u0000\t\n<>|\"", max_size=60))
def test_encoding_character_by_character_is_pylatexencs_encoding(text: str) -> None:
    # to_latex hands pylatexenc only the characters that change (for speed).
    assert encode._encode(text) == encode._ENCODER.unicode_to_latex(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab Z09.,:-&%$#_^~\"'<>|()\x00\x01\x1f\t\n", max_size=60))
def test_an_ascii_text_without_backslash_or_brace_is_encoded_by_replacing_its_characters(text: str) -> None:
    """encode._encode replaces each character of such a text that changes (str.replace, in the
    order of encode._REPLACED_IN_ORDER): pylatexenc's encoding and the pattern's, every time."""
    assert encode._encode(text) == encode._ENCODER.unicode_to_latex(text) == \
        encode._TO_ENCODE.sub(encode._encoded_character, text)


def test_real_abstracts_with_latex_specials_are_encoded_as_by_the_pattern() -> None:
    """The same on the seeds' titles and abstracts that are not their own LaTeX (`50%`, `~10x`)."""
    from mkdocs_readinglist.sources import read_source

    from .helpers import SAMPLES, SEED_NAMES

    texts = [encode.one_spaced(t) for name in SEED_NAMES.values() for r in read_source(SAMPLES / name).records
             for t in (r.title, r.abstract) if t and not encode._plain_text(t)]
    replaced = [t for t in texts if t.isascii() and not any(c in t for c in "\\{}")]
    assert len(replaced) >= 5 and any("%" in t for t in replaced)
    for text in texts:
        assert encode._encode(text) == encode._TO_ENCODE.sub(encode._encoded_character, text)


@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x85\u00a0\u2003\u3000\u200bab", max_size=30))
def test_whitespace_collapsed_by_split_is_the_regex_result(text: str) -> None:
    """encode.one_spaced (str.split, in C) gives what `re.sub(r"\\s+", " ")` gives, edges included."""
    assert encode.one_spaced(text) == re.sub(r"\s+", " ", text)



@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET + " \t\n\r\x0b\x0c\x1c\x1f\x00\x7f\x85\u2003()Ab", max_size=40))
def test_plain_text_fast_path_is_the_general_encoding(text: str) -> None:
    """to_latex gives a text back as it is when it is plain ASCII (encode._plain_text): only
    when the general path would give the very same text."""
    if encode._plain_text(text):
        assert encode._encoded(text) == text
    assert to_latex(text) == encode._encoded(text)


def test_plain_text_fast_path_on_real_titles_and_abstracts() -> None:
    from mkdocs_readinglist.sources import read_source

    from .helpers import SAMPLES, SEED_NAMES

    texts = [t for name in SEED_NAMES.values() for r in read_source(SAMPLES / name).records
             for t in (r.title, r.abstract, r.summary, *r.authors) if t]
    plain = [t for t in texts if encode._plain_text(t)]
    assert len(plain) > 100 and len(plain) < len(texts)  # both paths taken
    assert all(encode._encoded(t) == t for t in plain)


def test_a_printable_text_has_no_whitespace_but_the_space() -> None:
    """What encode.one_spaced's shortcut rests on, over every code point of this Python's Unicode."""
    assert [hex(c) for c in range(0x110000) if chr(c).isspace() and chr(c).isprintable()] == ["0x20"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80))
def test_unicode_latex_is_latex_with_the_characters_kept(text: str) -> None:
    """`bib --unicode`: LaTeX's specials escaped as to_latex escapes them, every other character
    kept; an ASCII text is written exactly as to_latex writes it."""
    written = encode.to_unicode_latex(text)
    if text.isascii():
        assert written == to_latex(text)
    elif "\\(" not in text:  # (math is made valid as to_latex makes it)
        assert {c for c in text if not c.isascii() and not c.isspace()} <= set(written)
        assert not re.search(r"(?<![\\{])[&%#_$]", written)
