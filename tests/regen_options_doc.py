"""Regenerate the option reference of docs/configure.md from the one table of options
(mkdocs_readinglist.options.OPTIONS): `python -m tests.regen_options_doc`.

The text between the `<!-- options:start -->` and `<!-- options:end -->` markers is replaced;
the rest of the page is written by hand. tests/test_options.py fails when the committed text is
not what this command writes.
"""

from __future__ import annotations

import sys

from mkdocs_readinglist.options import reference_markdown

from .helpers import REPO

PAGE = REPO / "docs" / "configure.md"
START, END = "<!-- options:start -->", "<!-- options:end -->"


def with_reference(page: str) -> str:
    """The page with its option reference as the table of options makes it."""
    head, start, rest = page.partition(START)
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"{PAGE}: no {START} ... {END} markers")
    return f"{head}{START}\n{reference_markdown()}{END}{tail}"


def main() -> int:
    old = PAGE.read_text(encoding="utf-8")
    new = with_reference(old)
    if new != old:
        PAGE.write_text(new, encoding="utf-8")
    sys.stdout.write(f"{PAGE.relative_to(REPO)}: {'rewritten' if new != old else 'already current'}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
