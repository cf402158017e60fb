"""Pure function caches of the `.bib` reader: answers that depend only on their argument,
kept once per process (a bibliography names the same authors entry after entry).

`cache_info()` of each counts the work done: tests/test_bib_work.py checks it (no stopwatch).
"""

from __future__ import annotations

from functools import lru_cache

from pybtex.database import Person
from pybtex.exceptions import PybtexError


def name_problem(name: str) -> str | None:
    """Why pybtex (BibTeX's own name grammar) cannot read a name, or None when it can.

    pybtex's only complaint about a name is too many commas (more than two outside braces,
    in strict mode, its default): a name with no brace and at most two commas is read
    without asking it. Other names are parsed once per process (~35 µs each)."""
    if "{" not in name and "}" not in name and name.count(",") <= 2:
        return None
    return pybtex_name_problem(name)


@lru_cache(maxsize=65536)
def pybtex_name_problem(name: str) -> str | None:
    try:
        Person(name)
    except PybtexError as exc:
        return str(exc)
    return None
