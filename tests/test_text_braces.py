"""text.brace_problem and braces_balanced: the one brace scan of the package (LaTeX decoding
and encoding, the .bib reader and writer use it)."""

from __future__ import annotations

from itertools import product

from mkdocs_readinglist.text import brace_problem, braces_balanced


def test_brace_scan_by_regex_is_the_character_walk() -> None:
    """text.brace_problem visits only braces; the walk over every character it replaced, on
    every short text of braces, backslashes and letters."""
    def walk(text: str) -> str | None:
        depth = 0
        for index, char in enumerate(text):
            backslashes = len(text[:index]) - len(text[:index].rstrip("\\"))
            if char in "{}" and backslashes % 2:  # `\\}` is a character, `\\\\}` a brace
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                return "closes nothing"
        return "never closed" if depth else None

    for size in range(8):
        for chars in product("{}\\a", repeat=size):
            text = "".join(chars)
            assert brace_problem(text) == walk(text), text
            assert braces_balanced(text) == (walk(text) is None)
