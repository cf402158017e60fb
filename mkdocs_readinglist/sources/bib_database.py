"""The .bib files of a corpus as the one database BibTeX reads for `\\bibliography{a,b}`.

Each file is read on its own (and kept by its bytes), but BibTeX reads them in order as one
text: a `@string` defined in `a.bib` (AMS's `amsj.bib` holds nothing else) serves the entries of
`b.bib`. What one file takes from the others is worked out here, from the results of reading
each alone, and given to the reader of the files that need it as their options, so a file is
read again only when another file's definitions matter to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import BibEntry, Diagnostic, Severity, SourceResult
from .bib_values import PREDEFINED_STRINGS, resolve, used_names


@dataclass(frozen=True, slots=True)
class Given:
    """What the other files give one file: definitions it lacks, and the names it defines
    otherwise than an earlier file (whose definition the export writes, once)."""

    strings: tuple[tuple[str, str], ...] = ()
    inlined: frozenset[str] = frozenset()
    parents: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # crossref target -> its fields' texts


def given_by_others(results: Sequence[SourceResult]) -> tuple[dict[int, Given], list[Diagnostic]]:
    """For each result (by index) that other files concern (their `@string`s, their entries a
    crossref names), what they give it; and a
    warning at the first use of each name no file defines (bibtex leaves such a field empty).

    As BibTeX reads them, a name means what the last definition before the entry says: a file's
    own, else the last of an earlier file (else, leniently, the first of a later one). The
    export writes each name's first definition once; a value whose name means something else
    there is written out in full."""
    defining: dict[str, list[tuple[int, str, str]]] = {}  # name (lower) -> each (result, name as written, raw)
    for index, result in enumerate(results):
        for name, raw in result.strings:
            defining.setdefault(name.lower(), []).append((index, name, raw))
    if not defining and not any(result.wanted_strings or result.wanted_parents for result in results):
        return {}, []  # (nearly every corpus: nothing to give)
    texts = _Texts(results)
    # Each .bib entry by its key (lower case), in source order: looked up once per crossref, not
    # by a walk through every file's records.
    entries: dict[str, list[tuple[int, BibEntry]]] = {}
    if any(result.wanted_parents for result in results):
        for other, result in enumerate(results):
            for record in result.records if result.format == "bibtex" else ():
                if record.bib is not None and record.bib.key:
                    entries.setdefault(record.bib.key.lower(), []).append((other, record.bib))
    given: dict[int, Given] = {}
    diagnostics: list[Diagnostic] = []
    for index, result in enumerate(results):
        strings: dict[str, tuple[str, str]] = {}
        inlined: set[str] = set()
        for name, line in result.wanted_strings:
            if name not in defining:
                diagnostics.append(Diagnostic(
                    result.file, line, Severity.WARNING, f"@string {name!r} is defined in no .bib file of the sources; "
                    "written as it is (bibtex warns and leaves the field empty; add the file that defines it to "
                    "the sources)", "undefined-string"))
                continue
            _with_used(name, index, defining, strings, set())
        for name in strings:
            in_force, written = _in_force(defining[name], index), defining[name][0]
            if in_force != written and texts.of(in_force) != texts.of(written):
                inlined.add(name)
        for name, _ in result.strings:  # its own definitions
            lower = name.lower()
            written = defining[lower][0]
            if written[0] != index and texts.of(_in_force(defining[lower], index + 1)) != texts.of(written):
                inlined.add(lower)
        parents = tuple((key, texts.fields(found)) for key, _ in result.wanted_parents
                        if (found := _entry(entries, key, index)) is not None)
        if strings or inlined or parents:
            given[index] = Given(tuple(strings.values()), frozenset(inlined), parents)
    return given, diagnostics


def _entry(entries: dict[str, list[tuple[int, BibEntry]]], key: str, index: int) -> tuple[int, BibEntry] | None:
    """The first entry of another result with this key (lower case), and that result's index."""
    return next((found for found in entries.get(key, ()) if found[0] != index), None)


def _in_force(definitions: list[tuple[int, str, str]], index: int) -> tuple[int, str, str]:
    """The definition an entry of result `index` reads: the last one before it, else the first."""
    before = [d for d in definitions if d[0] < index]
    return before[-1] if before else definitions[0]


def _with_used(name: str, index: int, defining: dict[str, list[tuple[int, str, str]]],
               strings: dict[str, tuple[str, str]], visiting: set[str]) -> None:
    """`name`'s definition in force for result `index`, after those of the names its value uses."""
    if name in strings or name in visiting or name not in defining:
        return
    visiting.add(name)
    _, written, raw = _in_force(defining[name], index)
    for used in used_names(raw):
        if used not in PREDEFINED_STRINGS:
            _with_used(used, index, defining, strings, visiting)
    strings[name] = (written, raw)


class _Texts:
    """Values' texts in their own file (its @string names expanded), each file's table made once."""

    def __init__(self, results: Sequence[SourceResult]) -> None:
        self._results = results
        self._tables: dict[int, dict[str, str]] = {}

    def _table(self, index: int) -> dict[str, str]:
        if index not in self._tables:
            table: dict[str, str] = {}
            for name, value in self._results[index].strings:
                table[name.lower()] = resolve(value, table)
            self._tables[index] = table
        return self._tables[index]

    def of(self, definition: tuple[int, str, str]) -> str:
        index, _, raw = definition
        return resolve(raw, self._table(index))

    def fields(self, found: tuple[int, BibEntry]) -> tuple[tuple[str, str], ...]:
        """An entry's fields as a crossref gives them: (name in lower case, text)."""
        index, entry = found
        return tuple((name.lower(), resolve(raw, self._table(index))) for name, raw in entry.fields)
