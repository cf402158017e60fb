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

    pybtex's complaints about a name are too many commas (more than two outside braces, in
    strict mode, its default) and braces nested more than 100 deep (its BibTeXString, read
    for a von part): a name with at most two commas (in braces or not) and at most 100 `{` is
    read without asking it (a brace that closes nothing or is never closed is no complaint
    of its own; tests/test_bib_work.py holds both on every name of TeX Live's bibliographies).
    Other names are parsed once per process (~35 µs each)."""
    if name.count(",") <= 2 and ("{" not in name or name.count("{") <= _MAX_BRACES):
        return None
    return pybtex_name_problem(name)


_MAX_BRACES = 100  # pybtex.bibtex.utils.BibTeXString's max_level


@lru_cache(maxsize=65536)
def pybtex_name_problem(name: str) -> str | None:
    try:
        Person(name)
    except PybtexError as exc:
        return str(exc)
    return None
