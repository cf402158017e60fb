"""Pure function caches of the `.bib` reader: answers that depend only on their argument,
kept once per process (a bibliography names the same authors entry after entry).

`cache_info()` of each counts the work done: tests/test_bib_work.py checks it (no stopwatch).
"""

from __future__ import annotations

from functools import lru_cache

from pybtex.database import Person
from pybtex.exceptions import PybtexError


@lru_cache(maxsize=65536)
def name_problem(name: str) -> str | None:
    """Why pybtex (BibTeX's own name grammar) cannot read a name, or None when it can.
    pybtex's parse of a name is ~35 µs; a name met again costs a lookup."""
    try:
        Person(name)
    except PybtexError as exc:
        return str(exc)
    return None
