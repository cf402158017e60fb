"""The readers' fast paths give what the slower forms they replaced gave, on real and generated text.

Each fast path (a cheap check in C before a costly pattern, a pattern reordered so that the
regular expression engine can skip ahead, a split instead of a substitution) is compared with
the form it replaced, kept here as the reference: on every line of the sample listings, of
TeX Live's bibliographies and of the bad-input files, and on generated strings made of the
characters each pattern cares about.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_readinglist import text as textmodule
from mkdocs_readinglist.latex import decode, defined, encode
from mkdocs_readinglist.sources import bibfile, mixed, notes_page, read_text
from mkdocs_readinglist.sources.base import Block, blocks_of, looks_like_title
from mkdocs_readinglist.sources.bib_values import ENTRY_START, has_entry_start
from mkdocs_readinglist.sources.encoding import decode_bytes
from mkdocs_readinglist.text import any_of, ascii_fold, brace_problem, clean_text, normalize_title, printable

from .helpers import prose_checked_against_whole_text

REPO = Path(__file__).resolve().parent.parent
MANY = settings(max_examples=400, deadline=None)


@cache
def real_texts() -> tuple[str, ...]:
    """The sample listings, the unseen listings, TeX Live's bibliographies (xampl.bib's tree, those
    under 400 KB: biblatex-examples.bib, Beebe's, ...) and every bad-input file."""
    from tests.fixtures.bad.catalogue import CATALOGUE

    texts = [path.read_text(encoding="utf-8") for path in
             [*sorted((REPO / "bib").glob("*.txt")), *sorted((REPO / "tests" / "fixtures" / "unseen").glob("*.txt"))]]
    xampl = Path(subprocess.run(["kpsewhich", "xampl.bib"], capture_output=True, text=True, check=True).stdout.strip())
    bibs = sorted(path for path in xampl.parents[1].rglob("*.bib") if path.stat().st_size < 400_000)
    assert any(path.name == "biblatex-examples.bib" for path in bibs)
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in bibs]
    texts += [case.data.decode("utf-8", "replace") for case in CATALOGUE]
    return tuple(texts)


@cache
def real_lines() -> tuple[str, ...]:
    return tuple(dict.fromkeys(line for text in real_texts() for line in text.split("\n")))


def test_the_real_data_is_there() -> None:
    assert len(real_texts()) > 60 and len(real_lines()) > 15_000


# --- .bib detection: each line's first `@` instead of the pattern at every position ---------------

@given(st.text(alphabet="@@aB{( \t\n\u00a0\u2028x=,", max_size=40))
@MANY
def test_entry_start_found_as_the_pattern_finds_it(text: str) -> None:
    assert has_entry_start(text) == (ENTRY_START.search(text) is not None)


def test_entry_start_on_real_files() -> None:
    found = 0
    for text in real_texts():
        expected = ENTRY_START.search(text) is not None
        assert has_entry_start(text) == expected
        found += expected
    assert found >= 10  # the .bib files and the bad .bib cases
    assert bibfile.score(["user@example.org wrote", "  @misc{x,", "}"]) == 20.0
    assert bibfile.score(["a@b{c", "x @misc{y,"]) == 0.0


# --- notes pages: the venue line looked for where its end is ----------------------------------------

@given(st.text(alphabet="ICLR 2026 19 ·•|-,0123 paper notes Note\n:Top topics", max_size=60))
@MANY
def test_venue_line_as_the_pattern_finds_it(text: str) -> None:
    assert _span(notes_page._venue_line(text)) == _span(notes_page._VENUE_LINE.search(text))
    assert _span(notes_page._top_topics(text)) == _span(notes_page._TOP_TOPICS.search(text))


def test_venue_line_on_real_lines() -> None:
    venue_lines = 0
    for line in real_lines():
        assert _span(notes_page._venue_line(line)) == _span(notes_page._VENUE_LINE.search(line))
        assert _span(notes_page._top_topics(line)) == _span(notes_page._TOP_TOPICS.search(line))
        venue_lines += notes_page._VENUE_LINE.search(line) is not None
    assert venue_lines >= 1  # the notes sample's header


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match.span() if match else None


# --- clean_text: split and join instead of a substitution --------------------------------------------

_OLD_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_OLD_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _old_clean_text(text: str) -> str:
    if text.isascii():
        return " ".join(text.split())
    text = unicodedata.normalize("NFC", text.translate(_OLD_INVISIBLE))
    return _OLD_SPACES.sub(" ", text).strip()


def test_every_code_point_is_a_space_to_both_or_to_neither() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert clean_text(f"a{char}b") == _old_clean_text(f"a{char}b"), hex(code)


@given(st.text(alphabet="aé e\u0301 \u00a0\u2009\u3000\u200b\u00ad\ufeff\n\t\x1c\u2028Å", max_size=30))
@MANY
def test_clean_text_as_before(text: str) -> None:
    assert clean_text(text) == _old_clean_text(text)


def test_clean_text_on_real_lines() -> None:
    for line in real_lines():
        assert clean_text(line) == _old_clean_text(line)


def test_a_blocks_text_is_made_once_and_is_the_cleaned_lines() -> None:
    lines = ["  Title  of\u00a0a paper ", "second\u200b line", "", "next"]
    blocks = blocks_of(lines)
    assert [(b.line, b.lines) for b in blocks] == [(1, tuple(lines[:2])), (4, ("next",))]
    first = blocks[0].text
    assert first == "Title of a paper second line" and blocks[0].text is first
    assert Block(7, ("x",)).text == "x"


# --- braces: the braces found in C, then counted -----------------------------------------------------

_OLD_BRACE = re.compile(r"\\[\\{}]|[{}]")  # (an escaped backslash a token too: `\\\\}` is a brace)


def _old_brace_problem(text: str) -> str | None:
    if "{" not in text and "}" not in text:
        return None
    depth = 0
    for match in _OLD_BRACE.finditer(text):
        brace = match.group()
        if len(brace) == 2:
            continue
        if brace == "{":
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                return "closes nothing"
    return "never closed" if depth else None


@given(st.text(alphabet="{}\\\\a ", max_size=30))
@MANY
def test_brace_problem_as_before(text: str) -> None:
    assert brace_problem(text) == _old_brace_problem(text)


def test_brace_problem_on_real_lines() -> None:
    problems = 0
    for line in real_lines():
        assert brace_problem(line) == _old_brace_problem(line)
        problems += brace_problem(line) is not None
    assert problems >= 10


# --- LaTeX decoding: patterns with the character first, checks before substitutions -------------------

_REORDERED = [
    (decode._MACRO, r"(?<!\\)\\([A-Za-z]+)"),
    (decode._BARE_DOLLAR, r"(?<!\\)\$"),
    (decode._LITERAL_SPECIALS, r"(?<!\\)([%&#])"),
    (decode._UNESCAPED_SPECIAL, r"(?<!\\)([&%#_$])"),
    (decode._UNESCAPED_CARET, r"(?<!\\)\^"),
    (bibfile._UNESCAPED, r"(?<!\\)[&%#]|(?<![\\$])[_^]|(?<!\\)\$"),
]
LATEX_ALPHABET = "\\\\\\$%&#_^{}()[]ab ~.\n"


@pytest.mark.parametrize(("new", "old"), _REORDERED, ids=[old for _, old in _REORDERED])
def test_reordered_patterns_match_where_the_old_ones_did(new: re.Pattern[str], old: str) -> None:
    reference = re.compile(old)
    matched = 0
    for text in [*real_lines(), *_generated(LATEX_ALPHABET, 3000)]:
        spans = [(m.span(), m.groups()) for m in new.finditer(text)]
        assert spans == [(m.span(), m.groups()) for m in reference.finditer(text)], text
        matched += bool(spans)
    assert matched > 100


def _generated(alphabet: str, count: int) -> list[str]:
    import random

    rng = random.Random(15)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(count)]


@given(st.text(alphabet="\\\\\\%%a", max_size=20))
@MANY
def test_comment_found_as_the_pattern_finds_it(text: str) -> None:
    assert decode._has_comment(text) == (decode._COMMENT.search(text) is not None)


@given(st.text(alphabet=LATEX_ALPHABET, max_size=40))
@MANY
def test_math_segments_as_the_pattern_finds_them(text: str) -> None:
    expected = [(m.start(), m.end(), next(g for g in m.groups() if g is not None))
                for m in decode.MATH_SEGMENT.finditer(text)]
    assert decode.math_segments(text) == expected


def test_decoding_real_text_as_the_whole_text_reading_does() -> None:
    """Texts with LaTeX in them decoded as pylatexenc reads them whole (`_prose_to_text` is
    compared with `_whole_prose_to_text` in tests/test_latex_decode.py; this covers the
    substitutions before it)."""
    decoded = 0
    for line in real_lines():
        if not decode._NEEDS_DECODING.search(line) or len(line) > 2000:
            continue
        problems: list[tuple[str, str]] = []
        assert decode._decode_prose(line, True, problems) == _old_decode_prose(line, True, [])
        decoded += 1
    assert decoded > 300


def _old_decode_prose(text: str, tie_is_space: bool, problems: list[tuple[str, str]]) -> str:
    """decode._decode_prose before its substitutions were made conditional and reordered (with
    the macros LaTeX defines shown as they print, latex/defined.py, as the reader does since)."""
    if not tie_is_space:
        text = text.replace("~", "\\textasciitilde{}")
    if "\\" not in text and "{" not in text and "}" not in text and "$" not in text:
        return text.replace("~", " ") if tie_is_space else text

    def known_or_spelled(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in decode._ABBREVIATIONS:
            after = match.string[match.end(): match.end() + 1]
            shown = decode._ABBREVIATIONS[name]
            return (shown[:-1] if after == "." else shown) + ("{}" if after.isalnum() else "")
        if name in defined.LOGOS:
            return defined.LOGOS[name]
        if name in defined.PRINT_NOTHING:
            return ""
        if decode._DB.get_macro_spec(name) is None and name not in defined.DEFINED:
            problems.append(("undefined-macro", name))
            return "" if match.string[match.end(): match.end() + 1] == "{" else name  # its argument shown
        return match.group(0)

    def spaces_taken(match: re.Match[str]) -> str:  # TeX's rule, in LaTeX source: a control word takes them
        return f"\\{match.group(1)}{{}}" if match.group(1) in decode._TAKE_SPACES else match.group(0)

    text = decode._OVERESCAPED.sub(r"\\\1", text)
    escaped = re.sub(r"(?<!\\)\$", r"\\$", text)
    if tie_is_space:
        escaped = re.sub(r"(?<!\\)\\([A-Za-z]+)[ \t]+(?=\S)", spaces_taken, escaped)
    prepared = re.sub(r"(?<!\\)([%&#])", r"\\\1", re.sub(r"(?<!\\)\\([A-Za-z]+)", known_or_spelled,
                                                          defined.NOT_PRINTED.sub("", escaped)))
    leading = " " if text[:1].isspace() else ""
    trailing = " " if text[-1:].isspace() else ""
    try:
        decoded = decode._whole_prose_to_text(prepared) if re.search(r"(?:^|[^\\])(?:\\\\)*%", prepared) \
            else decode._prose_to_text(prepared)
    except Exception:
        return text
    return leading + decoded + trailing if decoded else leading


# --- control characters looked for in the bytes ----------------------------------------------------

@pytest.mark.parametrize("text", ["plain\n", "a\x07b\nc\x1fd\x0b", "é\x01\r\nx\x7f", "tab\tff\x0cline\n", "\x0e"])
def test_control_characters_found_in_the_bytes_as_in_the_text(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"), "f.txt")
    control = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
    expected_text = control.sub("", text.replace("\r\n", "\n"))
    assert decoded.text == expected_text
    assert (decoded.diagnostic is not None) == bool(control.search(text))


# --- and whole readers: a mixed file and the samples read the same as their parts -------------------

def test_reading_the_samples_gives_every_record() -> None:
    """Counts only (the exported bytes are compared by tests/test_bibtex_golden.py)."""
    counts = {path.name: len(read_text(path.read_text(encoding="utf-8"), path.name).records)
              for path in sorted((REPO / "bib").glob("*.txt"))}
    assert all(count > 0 for count in counts.values()), counts


def test_word_by_word_decoding_of_tex_live_entries_is_whole_text_decoding() -> None:
    """Names and fields whose last word holds a macro (`Chen, Chlo{\\'e}`) are read word by word
    too: on every TeX Live entry, the very text pylatexenc gives for the whole prose."""
    with prose_checked_against_whole_text() as compared:
        for text in real_texts():
            read_text(text, "x.bib")
    last_word_macros = [text for text in compared if "\\" in text.split()[-1]]
    assert len(compared) > 1000 and len(last_word_macros) > 100


@pytest.mark.parametrize("text", [
    "Chen, Chlo{\\'e}", "{\\\"O}zt{\\\"u}rk, Jun", "{\\\"O}zt{\\\"u}rk, Sof{\\'i}a and M{\\\"u}ller, Jan",
    "\\' \\ ", "a \\'", "x {\\bf} y", "{\\em a} b", "\\'{e}x, y", "{\\L}ukasz Kowalski", "Fran{\\c{c}}ois, A",
    "a {\\textbf} b", "{\\x}[1] y", "{a\\\\} b \\", "w {\\{} x", "p\\\\ q"])
def test_words_read_alone_or_together_as_the_whole_text_reads_them(text: str) -> None:
    """A word whose macros sit in braces it closes is read alone (`{\\"O}zt{\\"u}rk,` once, whatever
    first name follows); a macro in the last word is read with the spaces after it."""
    from unittest import mock

    for tie_is_space in (False, True):
        fast = decode.decode_latex.__wrapped__(text, tie_is_space)  # type: ignore[attr-defined]
        with mock.patch.object(decode, "_prose_to_text", decode._whole_prose_to_text):
            assert fast == decode.decode_latex.__wrapped__(text, tie_is_space)  # type: ignore[attr-defined]


def test_a_name_in_braces_is_read_once_whatever_first_name_follows() -> None:
    """Work counted: pylatexenc reads `{\\"O}zt{\\"u}rk,` once for three first names."""
    decode._latex_words_to_text.cache_clear()
    for first_name in ("Jun", "Anna", "Kai"):
        assert decode.decode_latex.__wrapped__(f"{{\\\"O}}zt{{\\\"u}}rk, {first_name}", True).text == f"Öztürk, {first_name}"  # type: ignore[attr-defined]
    assert decode._latex_words_to_text.cache_info().misses == 1


# --- placeholder keys: the entry heads found from each line's first `@` ------------------------------

def _old_placeholder_keys(text: str) -> tuple[str, dict[str, str]]:
    """bib_repairs.placeholder_keys as it was: `_ENTRY_HEAD.sub` over the whole text."""
    from mkdocs_readinglist.sources import bib_repairs as br

    bad: dict[str, str] = {}
    if "@" not in text:
        return text, bad

    def fix(match: re.Match[str]) -> str:
        if match.group("type").lower() in br.NOT_ENTRIES:
            return match.group(0)
        key = match.group("key")
        line_end = text.find("\n", match.end())
        rest_of_line = text[match.end(): line_end if line_end >= 0 else len(text)]
        placeholder = f"{br.PLACEHOLDER}{match.start()}"
        if br._FIELD_START.match(key):
            bad[placeholder] = ""
            return f"{match.group('head')}{placeholder}, {key}"
        stripped = key.strip()
        if not stripped and rest_of_line.startswith(","):
            bad[placeholder] = ""
            return f"{match.group('head')}{placeholder}"
        if stripped and rest_of_line.startswith(",") and br.INVALID_KEY.search(stripped):
            bad[placeholder] = stripped
            return f"{match.group('head')}{placeholder}"
        return match.group(0)

    return br._ENTRY_HEAD.sub(fix, text), bad


@given(st.text(alphabet="@@aB{(, =\n\t x}#\"string", max_size=40))
@MANY
def test_placeholder_keys_as_before(text: str) -> None:
    from mkdocs_readinglist.sources.bib_repairs import placeholder_keys

    assert placeholder_keys(text) == _old_placeholder_keys(text)


def test_placeholder_keys_on_real_files() -> None:
    from mkdocs_readinglist.sources.bib_repairs import placeholder_keys

    given_placeholders = 0
    for text in real_texts():
        assert placeholder_keys(text) == _old_placeholder_keys(text)
        given_placeholders += len(placeholder_keys(text)[1])
    assert given_placeholders >= 3  # the bad-key cases


# --- mixed files: signatures matched only on lines that start like one ---------------------------------

def test_signature_heads_are_every_character_the_patterns_start_with() -> None:
    """A line whose first character (after spaces) is not in `_ARXIV_HEADS` / `_DAILY_HEADS` (or a
    digit) is no arXiv / daily signature: every code point is tried as that first character."""
    from mkdocs_readinglist.sources import arxiv_listing, hf_daily, mixed

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isspace():
            continue
        for tail in ("rXiv: 2501.01234", "reated: 2025-01-02", "RXIV:x", "REATED: 2025-01-02"):
            if arxiv_listing.is_signature(char + tail):
                assert char in mixed._ARXIV_HEADS, hex(code)
        for tail in ("", " ", " 8 authors", "8 authors", " 1 author"):
            if hf_daily.is_signature(char + tail):
                assert char in mixed._DAILY_HEADS or char.isdigit(), hex(code)


@given(st.text(alphabet="Top tOPics:x ·•\n", max_size=30))
@MANY
def test_top_topics_found_as_the_pattern_finds_it(text: str) -> None:
    assert _span(notes_page._top_topics(text)) == _span(notes_page._TOP_TOPICS.search(text))


def test_segments_of_pasted_listings_as_before() -> None:
    """Two listings pasted into one file are still cut where the format changes."""
    from mkdocs_readinglist.sources.mixed import segments

    samples = {path.name: path.read_text(encoding="utf-8") for path in sorted((REPO / "bib").glob("*.txt"))}
    daily, notes = samples["hf-daily-2026-05-13.txt"], samples["iclr2026-human-understanding-notes.txt"]
    arxiv, search = samples["arxiv-close-interaction.txt"], samples["hf-search-skeleton-pose.txt"]
    bib = "@misc{a2025,\n  title = {A},\n  year = {2025},\n}\n"
    for first, second in [(daily, notes), (arxiv, search), (search, daily), (notes, bib), (bib, arxiv)]:
        lines = (first.rstrip("\n") + "\n\n" + second).split("\n")
        found = segments(lines)
        assert found is not None and len({part.format for part in found}) == 2, found
        assert found[-1].end == len(lines)
    for text in samples.values():
        assert segments(text.split("\n")) is None


def test_clean_text_keeps_a_clean_text_as_it_is() -> None:
    for text in ("A clean line.", "naïve café", "", "x"):
        assert clean_text(text) is text or clean_text(text) == text
    assert clean_text("two  spaces") == "two spaces" and clean_text(" edge ") == "edge"
    assert clean_text("tab\there") == "tab here" and clean_text("nb\u00a0sp") == "nb sp"


# --- names: ` and ` found by a pattern where there is no brace or backslash ------------------------------

@given(st.lists(st.sampled_from(["a", "n", "d", "A", "N", "D", " ", "\t", "\n", "\r", "x", ",", " and ", "AnD", "~", "é",
                                 "{", "}", "{", "}", "\\", "{\\'e}", "\\'"]), max_size=18).map("".join))
@MANY
def test_names_split_as_bibtexparser_splits_them(raw: str) -> None:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    assert bibfile._split_names(raw) == split_multiple_persons_names(raw)


def test_names_of_real_bibliographies_split_as_bibtexparser_splits_them() -> None:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    field = re.compile(r"^\s*(?:author|editor)\s*=\s*[{\"](.*)[}\"],?\s*$", re.IGNORECASE | re.MULTILINE)
    fast = 0
    for text in real_texts():
        for raw in field.findall(text):
            assert bibfile._split_names(raw) == split_multiple_persons_names(raw), raw
            fast += " and " in raw
    assert fast >= 50


@given(st.text(alphabet="{},a ", max_size=14))
@MANY
def test_a_name_split_at_its_top_level_commas_as_before(name: str) -> None:
    from mkdocs_readinglist.sources.bib_values import split_at, top_level_offsets

    before = name.split(",") if "{" not in name else split_at(name, top_level_offsets(name, ",", quotes=False))
    assert bibfile._top_level_split(name) == before


# --- characters looked for by str's search, not by a character class -------------------------------

_CHARACTER_SETS = (
    ("\\{}$", r"[\\{}$]"),  # decode_latex: whether a text needs decoding (decode._NEEDS_DECODING)
    (bibfile._TYPESET_SPECIALS, r"[\\$&%#_^{}]"),  # .bib typeset fields that may hold LaTeX
    ("\u200b\u200c\u200d\u2060\ufeff\u00ad", "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"),  # clean_text's invisibles
    (encode._LATEX_SPECIALS, r"[\\{}$&%#_^~]"),  # encode: an ASCII text that is its own LaTeX
)


@pytest.mark.parametrize(("characters", "pattern"), _CHARACTER_SETS)
def test_any_of_finds_what_the_character_class_finds_on_real_lines(characters: str, pattern: str) -> None:
    compiled = re.compile(pattern)
    found = 0
    for line in real_lines():
        assert any_of(line, characters) == (compiled.search(line) is not None), line
        found += any_of(line, characters)
    assert found or characters.startswith("\u200b")


@given(st.text(alphabet="\\{}$&%#_^a \u200b\u00ad\ufeffé~", max_size=20))
@MANY
def test_any_of_as_the_character_classes(text: str) -> None:
    for characters, pattern in _CHARACTER_SETS:
        assert any_of(text, characters) == (re.search(pattern, text) is not None)


def test_printable_is_isprintable_for_every_ascii_character_and_on_real_lines() -> None:
    for code in range(0x3000):
        for text in (f"a{chr(code)}b", f"{'a' * 200}{chr(code)}b"):
            assert printable(text) == text.isprintable(), hex(code)
    assert printable("") and not printable("\x7f")
    for line in real_lines():
        assert printable(line) == line.isprintable()


_OLD_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _old_normalize_title(title: str) -> str:
    return _OLD_NON_ALNUM.sub("", ascii_fold(title).lower())


@given(st.text(max_size=30))
@MANY
def test_normalize_title_as_before(text: str) -> None:
    _as_before(text)


def _as_before(text: str) -> None:
    """As before for a title of letters with an ASCII spelling; letters with none (`α`, `人`,
    `µ`) are kept now, folded, where they were dropped: the rest as before, in order."""
    got, before = normalize_title(text), _old_normalize_title(text)
    kept = unicodedata.normalize("NFKD", text.translate(textmodule._ASCII_FOLD))
    if any(c.isalnum() and not c.isascii() and not unicodedata.combining(c) for c in kept):
        assert "".join(c for c in got if c.isascii()) == before
        assert all(c.isalnum() for c in got) and not got.isascii()
    else:
        assert got == before


def test_normalize_title_on_real_lines() -> None:
    for line in real_lines():
        _as_before(line)


def _old_is_search_block(block: Block) -> bool:
    lines = [line.strip() for line in block.lines]
    pairs = sum(1 for title, abstract in itertools.pairwise(lines)
                if len(title) <= 250 and looks_like_title(title) and len(abstract) > 150)
    return pairs >= 2 and 2 * pairs >= 0.6 * len(lines)


def test_search_blocks_found_as_before() -> None:
    blocks = [block for text in real_texts() for block in blocks_of(text.split("\n"))]
    found = [mixed._is_search_block(block) for block in blocks]
    assert found == [_old_is_search_block(block) for block in blocks]
    assert any(found) and len(blocks) > 2000
    padded = Block(1, ("  A Title  ", " " * 140 + "x" * 11, "Another Title", "y" * 151, "Third"))
    assert mixed._is_search_block(padded) == _old_is_search_block(padded)


def test_long_texts_without_latex_are_decoded_without_the_cache() -> None:
    """decode_latex gives a long text with no backslash, brace or `$` back without looking it up
    in its cache (hashing an abstract cost more than the answer); every text decodes as the
    uncached function decodes it, and equal short texts still come back as one string."""
    lines = [line for line in real_lines() if line.strip()]
    long_plain = [line for line in lines if len(line) > 300 and not any_of(line, "\\{}$")]
    assert len(long_plain) > 100
    decode.decode_latex.cache_clear()
    before = decode.decode_latex.cache_info()
    for tie_is_space in (False, True):
        for line in long_plain:
            assert decode.decode_latex(line, tie_is_space) == decode.decode_latex.__wrapped__(line, tie_is_space)
    assert decode.decode_latex.cache_info() == before  # not one lookup
    for tie_is_space in (False, True):
        for line in lines[:3000]:
            assert decode.decode_latex(line, tie_is_space=tie_is_space) == \
                decode.decode_latex.__wrapped__(line, tie_is_space)
    title = "A Title Seen in Two Listings"
    assert decode.decode_latex("".join(title)).text is decode.decode_latex(title[:5] + title[5:]).text


def _old_blocks(lines: list[str]) -> list[tuple[int, tuple[str, ...]]]:
    """blocks_of as it was: a line is blank when `line.strip()` is empty."""
    blocks: list[tuple[int, tuple[str, ...]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            if not current:
                start = number
            current.append(raw)
        elif current:
            blocks.append((start, tuple(current)))
            current = []
    if current:
        blocks.append((start, tuple(current)))
    return blocks


@given(st.lists(st.sampled_from(["", " ", "\t", "\u00a0", "\u3000", "\x1c", "\u2028", "\u200b", "a", " b ", "\r"]),
                max_size=12))
@MANY
def test_blank_lines_as_strip_finds_them(lines: list[str]) -> None:
    assert [(b.line, b.lines) for b in blocks_of(lines)] == _old_blocks(lines)


def test_blocks_and_signatures_of_real_texts_as_before() -> None:
    """blocks_of (a blank line found by isspace, not strip), the notes page's signature (a `19` or
    `20` looked for before its pattern) and the daily listing's score (a `•` before its pattern)."""
    from mkdocs_readinglist.sources import hf_daily

    for text in real_texts():
        lines = text.split("\n")
        assert [(b.line, b.lines) for b in blocks_of(lines)] == _old_blocks(lines)
        old_score = 0.0
        for line in lines[:3000]:
            if hf_daily._AUTHORS.match(line) and "•" in line:
                old_score = 15.0
                break
            if line.strip().lower() == "daily papers":
                old_score = max(old_score, 5.0)
        assert hf_daily.score(lines) == old_score
    found = 0
    for line in [*real_lines(), "ICLR 2026 · 45 paper notes", "NeurIPS 1999 | 3 notes", "CVPR'21 - 2 notes"]:
        old = len(line) <= 300 and bool(notes_page._venue_line(line) or notes_page._top_topics(line))
        assert notes_page.is_signature(line) == old, line
        found += old
    assert found >= 3


@pytest.mark.parametrize("name", ["hf-daily-2026-05-13.txt", "iclr2026-human-understanding-notes.txt",
                                  "arxiv-close-interaction.txt"])
def test_a_listing_is_cut_into_paragraphs_once(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The look for pasted listings and the reader share the file's paragraphs (blocks_of was run
    twice per file), and the records are those of paragraphs made afresh."""
    import mkdocs_readinglist.sources as sources
    from mkdocs_readinglist.sources import base

    text = (REPO / "bib" / name).read_text(encoding="utf-8")
    fmt = sources.detect_format(text.split("\n"))[0]
    assert fmt is not None
    alone = base.ReaderOutput(name)  # the reader on its own: its paragraphs made afresh
    sources.READERS[fmt].read(text.split("\n"), alone, base.SourceOptions())
    calls: list[int] = []
    original = base.blocks_of

    def counted(lines: list[str]) -> list[Block]:
        calls.append(len(lines))
        return original(lines)

    for module in (sources, base, mixed):
        monkeypatch.setattr(module, "blocks_of", counted)
    result = read_text(text, name)
    assert calls == [len(text.split("\n"))]
    assert result.records == tuple(alone.records) and result.records


# --- the daily reader lower-cases only what can be page text ----------------------------------------

_UI_LIKE = ["Daily Papers", "  DAILY papers  ", "Daily  Papers", "daily papers.", "Dai\u0130ly Papers", "\u0130",
            "Subscribe", "SUBSCRIBE", "Next", "Previous", "Get trending papers in your email inbox once a day!",
            "x" * 52, "Daily Papers" + " " * 60, "\u212a" * 60]


def test_daily_score_is_the_general_score_on_real_lines() -> None:
    """hf_daily.score looks for its `Daily Papers` line without lower-casing every line: the score
    of `line.strip().lower() == "daily papers"` on every real line and on page text in odd cases."""
    from mkdocs_readinglist.sources import hf_daily

    def general(lines: list[str]) -> float:
        value = 0.0
        for line in lines[:3000]:
            if "•" in line and hf_daily._AUTHORS.match(line):
                return 15.0
            if line.strip().lower() == "daily papers":
                value = max(value, 5.0)
        return value

    for line in [*real_lines(), *_UI_LIKE]:
        assert hf_daily.score([line]) == general([line]), line
    for text in real_texts():
        assert hf_daily.score(text.split("\n")) == general(text.split("\n"))


def test_daily_listings_read_as_when_every_block_was_lower_cased(monkeypatch: pytest.MonkeyPatch) -> None:
    """A block longer than the longest page-text line is not lower-cased to be looked up among
    them: the same records and diagnostics as when every block is (the general path), on the
    real daily listings and on one with page text in odd cases and lengths around the bound."""
    from mkdocs_readinglist.sources import hf_daily

    texts = [text for text in real_texts() if hf_daily.score(text.split("\n")) >= 15]
    assert texts
    ui = "\n\n".join(_UI_LIKE)
    texts.append(f"{ui}\n\n{texts[0]}\n\n{ui}\n")
    fast = [read_text(text, "daily.txt", None) for text in texts]
    monkeypatch.setattr(hf_daily, "_LONGEST_UI_LINE", 10**9)
    assert [read_text(text, "daily.txt", None) for text in texts] == fast
    assert any(result.records for result in fast)
