"""Row 6 of tests/cases/bad-inputs.md: files that grow big are read in linear time.

Times are never compared with a fixed budget, only with the same work at a tenth of the size:
linear code takes about 10x as long, quadratic code 100x. The limit (25x, with a floor for
runs too short to time) leaves room for a busy machine and still catches every quadratic
regex found while writing this (venue headers, unclosed `\\(`, `_` lookaheads, method names).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from mkdocs_readinglist.sources import read_source, read_text
from mkdocs_readinglist.sources.base import SourceOptions
from tests.fixtures.bad.catalogue import ABSTRACT, SAMPLE_FILES, SAMPLES

LINEAR = 25.0  # a tenfold input may take at most this many times as long
FLOOR = 0.02  # seconds: shorter runs are not timed precisely enough to compare (so 0.5 s always passes)
T = TypeVar("T")


def best_time(work: Callable[[], T], repeat: int) -> tuple[float, T]:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def assert_linear(small: Callable[[], object], big: Callable[[], T], what: str) -> T:
    """Times the small input at its best of three and the big one once; the big one's result."""
    small_time = max(best_time(small, 3)[0], FLOOR)
    big_time, result = best_time(big, 1)
    if big_time >= LINEAR * small_time:  # once more, in case the machine was busy
        big_time, result = best_time(big, 1)
    assert big_time < LINEAR * small_time, f"{what}: 10x the input took {big_time / small_time:.0f}x as long"
    return result


def search_listing_of(megabytes: float) -> str:
    lines = [line for line in (SAMPLES / SAMPLE_FILES[1]).read_text(encoding="utf-8").split("\n")[2:] if line]
    out: list[str] = []
    size = number = 0
    while size < megabytes * 1_000_000:
        number += 1
        for index in range(0, len(lines) - 1, 2):
            title = f"{lines[index]} (part {number})"
            out += [title, lines[index + 1]]
            size += len(title) + len(lines[index + 1]) + 2
    return "\n".join(out) + "\n"


def test_row_06_a_50_mb_listing_is_read_in_linear_time(tmp_path: Path) -> None:
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(search_listing_of(5), encoding="utf-8")
    big.write_text(text := search_listing_of(50), encoding="utf-8")
    assert big.stat().st_size >= 50_000_000
    result = assert_linear(lambda: read_source(small), lambda: read_source(big), "50 MB Hugging Face search listing")
    pairs = text.count("\n") // 2
    assert (result.format, len(result.records), result.detected) == ("hf-search", pairs, pairs)


def _notes(n: int) -> str:
    return "Area\n\nICLR2026 · 1 paper notes\n\n" + "".join(
        f"A Paper Title Number {i}\n\n{ABSTRACT}\n\n" for i in range(n))


def _arxiv(n: int) -> str:
    return "".join(f"{ABSTRACT}\n\n6 pages\n\narXiv:2501.{i % 99999:05d}\nCreated: 2025-01-02\n\n" for i in range(n))


def _daily(n: int) -> str:
    return "Daily Papers\n\n" + "".join(
        f"A Paper Title Number {i}\n\n{ABSTRACT}\n\n  • 3 authors\n·\nJul 31, 2025\n\n" for i in range(n))


def _bib(n: int) -> str:
    return "".join(f"@article{{k{i},\n  title = {{A Title {i}}},\n  author = {{Doe, Jane and Roe, Rick}},\n"
                   f"  journal = {{J}},\n  year = {{2020}},\n  abstract = {{{ABSTRACT}}}\n}}\n\n" for i in range(n))


@pytest.mark.parametrize(("name", "make", "unit"), [
    ("notes-page", _notes, 400), ("arxiv-listing", _arxiv, 400), ("hf-daily", _daily, 400), ("bibtex", _bib, 200),
])
def test_row_06_every_format_reads_in_linear_time(name: str, make: Callable[[int], str], unit: int) -> None:
    small, big = make(unit), make(10 * unit)
    result = assert_linear(lambda: read_text(small, "small"), lambda: read_text(big, "big"), f"{name} listing")
    assert result.format == name and len(result.records) == result.detected == 10 * unit


# What makes a regex backtrack: long runs of one kind of character.
LINE_PATTERNS = {
    "letters": "b", "capitals": "B", "camel case": "Ab", "hyphens": "a-", "digits": "7", "underscores": "_",
    "unclosed math": "\\(", "dollars": "$a", "open braces": "{", "close braces": "}", "backslashes": "\\",
    "accents": "é", "dots": "a. ", "colons": "a: ", "hashes": "#", "urls": "http://x.org/", "tildes": "~",
    "carets": "^", "ampersands": "&", "angle brackets": "<", "stars": "*", "sentences": "We study it. ",
}


def _in_every_format(line: str) -> dict[str, str]:
    return {
        "hf-search": f"A Short Title\n{line}\nAnother Title\n{ABSTRACT}\n",
        "notes-page": f"Area\n\nICLR2026 · 2 paper notes\n\nA Short Title\n\n{line}\n\n{line}\n\nLast Title\n\n{line}\n",
        "arxiv-listing": f"{line}\n\n{line[:200]}\n\narXiv:2501.00001\nCreated: 2025-01-02\n",
        "hf-daily": f"Daily Papers\n\nA Short Title\n\n{line}\n\n  • 2 authors\n·\nMay 3, 2024\n",
        "bibtex": f"@article{{k,\n  title = {{{line}}},\n  author = {{{line}}},\n  abstract = {{{line}}},\n"
                  f"  year = 2020\n}}\n",
    }


@pytest.mark.parametrize("pattern", list(LINE_PATTERNS), ids=list(LINE_PATTERNS))
def test_row_06_a_100k_character_line_reads_in_linear_time(pattern: str) -> None:
    unit = LINE_PATTERNS[pattern]
    small_line = unit * (10_000 // len(unit))
    big_line = unit * (100_000 // len(unit))
    for name, small in _in_every_format(small_line).items():
        big = _in_every_format(big_line)[name]
        options = SourceOptions(format=name)
        result = assert_linear(lambda s=small, o=options: read_text(s, "small", o),  # type: ignore[misc]
                               lambda b=big, o=options: read_text(b, "big", o),  # type: ignore[misc]
                               f"{name} with a line of {pattern}")
        assert result.detected >= len(result.records)
    detected = assert_linear(lambda: read_text(small_line, "small"), lambda: read_text(big_line, "big"),
                             f"format detection on a line of {pattern}")
    assert detected.detected >= len(detected.records)


def test_row_05_and_06_many_pasted_parts_are_cut_in_linear_time() -> None:
    """Two formats alternating paper by paper: every part read, in linear time."""
    def pasted(n: int) -> str:
        return "\n\n".join(
            f"Daily Title {i}\n\n{ABSTRACT}\n\n  • 3 authors\n·\nJul 31, 2025\n\n"
            f"{ABSTRACT} {i}\n\narXiv:2501.{i:05d}\nCreated: 2025-01-02" for i in range(n))
    small, big = pasted(100), pasted(1000)
    result = assert_linear(lambda: read_text(small, "small"), lambda: read_text(big, "big"), "alternating formats")
    assert (result.format, len(result.records), result.detected) == ("hf-daily+arxiv-listing", 2000, 2000)
