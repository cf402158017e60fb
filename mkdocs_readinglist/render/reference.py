"""Formatted references ("Huang, B., ... In CVPR 2025.") by pybtex, cached by entry content.

pybtex needs milliseconds per entry, as much as a whole MkDocs page: references are
formatted once per distinct BibTeX text and kept in a JSON cache across builds. An entry
pybtex cannot format (a field its style requires is missing, a biblatex type or field it has
no format for) is formatted by citeproc-py in the default CSL style instead, which reads
biblatex's types and fields; an entry neither can format (or one without a title and names,
of which a CSL style makes little more than "n.d.") gets no reference, and a `reference-format`
Diagnostic at the paper's source line says why; the failure is cached too, so a rebuild
reports it again without retrying.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pybtex.plugin import find_plugin

from ..diagnostics import default_level
from ..latex.decode import decode_latex, math_as_text, plain_text
from ..model import Diagnostic, SourceRef
from .pybtex_et_al import with_et_al

_MATH = re.compile(r"\$([^$]+)\$")
_HREF_TARGET = re.compile(r"\\href\s*\{[^{}]*\}(?=\s*\{)")
_NO_FORMAT = re.compile(r"no attribute 'format_(\w+)'")
_TITLE = re.compile(r"^\s*title\s*=", re.IGNORECASE | re.MULTILINE)
# {"version", "digests": the references' digests joined in sorted order, "references": their texts
# in that order, "failures": digest -> pybtex's reason}
# (8: that layout; 9: the CSL fallback kept here names an editor-only volume's editor once, and
# @incollection is a chapter; 10: pybtex's "et al."; 11: `\href{URL}{text}` read as its text)
_CACHE_VERSION = 12
_DIGEST_LENGTH = 24  # hex characters of a digest (12 bytes)


@lru_cache(maxsize=1 << 17)  # a pure function of strings (memo.py's rule): a rebuild's entries are mostly the same strings
def _digest(text: str, style: str) -> str:
    return hashlib.blake2b(f"{style}\n{text}".encode(), digest_size=12).hexdigest()


@lru_cache(maxsize=8)
def _plugins(style: str) -> tuple[Any, Any, Any]:
    """pybtex's style and text backend (made once) and its parser class. pybtex finds plugins
    through package metadata on every call (5x the formatting itself, 80 ms a lookup on a large
    install), a style's own label, name and sorting styles included: they are looked up once
    per process. A style keeps no state between bibliographies, so one instance serves all."""
    return (with_et_al(find_plugin("pybtex.style.formatting", style))(), find_plugin("pybtex.database.input", "bibtex"),
            find_plugin("pybtex.backends", "text")())


@lru_cache(maxsize=1)
def _latex_backend() -> Any:
    """pybtex's LaTeX backend: a reference whose values hold LaTeX is rendered as LaTeX (the text
    backend drops its braces: `{\\ensuremath{\\infty}} Experts` came out `\\ensuremath \\infty  Experts`,
    which reads "∞Experts") and then read by our LaTeX decoder."""
    return find_plugin("pybtex.backends", "latex")()


class ReferenceFormatter:
    """pybtex's references, kept in a file under `.cache/` by entry digest: a store across
    processes (as source_store.py is for parsed sources), not a rebuild memo."""

    def __init__(self, cache_file: Path | None = None, style: str = "plain") -> None:
        self.cache_file = cache_file
        self.style = style
        self.formatted = 0  # entries pybtex actually formatted: the measure of the work
        # The cache file's references: their digests joined in sorted order (one string) and their
        # texts in that order, looked up by bisection. A one-shot run looks each entry up once:
        # a dict of every digest (100k strings and a table at 100k papers, ~0.1 KB per paper)
        # was the largest thing it allocated between the pipeline and its pages. A formatter
        # that keeps its digests (a serve process) makes them the dict below when first asked.
        self._filed_digests = ""
        self._filed: list[str] = []
        self._cache: dict[str, str] = {}  # digest -> reference: those not filed
        self._failures: dict[str, str] = {}  # digest -> why pybtex could not format the entry
        # The entries of the last format_all that got no reference, each at its paper's source line.
        self.diagnostics: tuple[Diagnostic, ...] = ()
        if cache_file and cache_file.exists():
            self._load(cache_file)
        self._dirty = False
        self._forgotten = False  # the references are in the cache file only (see forget)

    def _load(self, cache_file: Path) -> None:
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        # An older cache (one flat mapping) held failure messages as reference text: not read.
        if isinstance(data, dict) and data.get("version") == _CACHE_VERSION:
            digests, references, failures = data.get("digests"), data.get("references"), data.get("failures")
            if (isinstance(digests, str) and isinstance(references, list) and isinstance(failures, dict)
                    and len(digests) == _DIGEST_LENGTH * len(references)
                    and all(type(text) is str for text in references)):
                # (out of order, a digest is not found, and its entry formatted again: never a wrong one)
                self._filed_digests, self._filed, self._cache = digests, references, {}
                self._failures = {str(k): str(v) for k, v in failures.items()}

    def _reference(self, digest: str) -> str | None:
        """The reference of an entry's digest, if there is one."""
        found = self._cache.get(digest)
        if found is not None or not self._filed or len(digest) != _DIGEST_LENGTH:
            return found
        digests, size = self._filed_digests, _DIGEST_LENGTH
        low, high = 0, len(self._filed)
        while low < high:
            middle = (low + high) >> 1
            if digests[middle * size:middle * size + size] < digest:
                low = middle + 1
            else:
                high = middle
        if low < len(self._filed) and digests.startswith(digest, low * size, low * size + size):
            return self._filed[low]
        return None

    def _all_references(self) -> dict[str, str]:
        """digest -> reference, of the file's and the ones formatted since."""
        size = _DIGEST_LENGTH
        filed = self._filed_digests
        references = {filed[i * size:i * size + size]: text for i, text in enumerate(self._filed)}
        references.update(self._cache)
        return references

    def format_all(self, entries: Mapping[str, str], places: Mapping[str, SourceRef] | None = None,
                   keep_digests: bool = True) -> dict[str, str]:
        """key -> formatted plain-text reference, for key -> BibTeX entry text ("" for an entry
        pybtex cannot format). `diagnostics` then holds a `reference-format` Diagnostic for each
        such entry, at its place in `places` (the paper's source line) when given.
        `keep_digests=False` (a one-shot run) digests each entry without the process-wide cache,
        which would keep every entry's text alive for a rebuild that never comes."""
        if self._forgotten and self.cache_file:
            self._load(self.cache_file)
            self._forgotten = False
        if keep_digests and self._filed:  # looked up again and again by a serve process: a dict
            self._cache = self._all_references()
            self._filed_digests, self._filed = "", []
        digest_of = _digest if keep_digests else _digest.__wrapped__
        # Each entry's digest is let go once looked up (all of them at once were ~70 bytes per
        # paper of small objects beside the references, at the start of a one-shot run's pages):
        # only those of entries to format or that failed are kept.
        reference, failures, style = self._reference, self._failures, self.style
        references: dict[str, str] = {}
        kept: dict[str, str] = {}  # key -> digest, of the entries not in the cache
        for key, text in entries.items():
            digest = digest_of(text, style)
            found = reference(digest)
            if found is not None:
                references[key] = found
            if found is None or digest in failures:
                kept[key] = digest
        missing = [key for key, digest in kept.items() if digest not in failures and reference(digest) is None]
        if missing:
            self._format(missing, entries, kept)
        places = places or {}
        self.diagnostics = tuple(
            _failure(key, places.get(key), style, failures[kept[key]])
            for key in entries if key in kept and kept[key] in failures and not _container(entries[key]))
        if not kept:
            return references
        return {key: references[key] if key not in kept else reference(kept[key]) or "" for key in entries}

    def _format(self, keys: Sequence[str], entries: Mapping[str, str], digests: Mapping[str, str]) -> None:
        from ..latex.encode import without_stand_ins  # the characters themselves: a reference is HTML

        style, parser_class, backend = _plugins(self.style)
        for key in keys:
            self.formatted += 1
            self._dirty = True
            try:
                database = parser_class().parse_string(without_stand_ins(entries[key]))
                for entry in database.entries.values():  # IEEE Xplore's `number={}`: a fact nobody gave
                    for name in [name for name, value in entry.fields.items() if not value.strip()]:
                        del entry.fields[name]  # (plain printed "63():1-17")
                # this entry only (its text may hold the entries it inherits from after it)
                formatted = next(iter(style.format_bibliography(database, citations=[key]).entries))
                text = formatted.text.render(backend)
            except Exception as exc:  # a reference is a nicety: never fail the build on it, report it
                by_csl = _csl_reference(key, entries[key])
                if by_csl:
                    self._cache[digests[key]] = by_csl
                else:
                    self._failures[digests[key]] = _reason(exc)
                continue
            if "\\" in text:  # pybtex's text backend leaves the values' LaTeX (`Cap\\TeX{}`, `{\\em M\\&H}`)
                latex = _HREF_TARGET.sub("", formatted.text.render(_latex_backend()))  # (pybtex's link of an eprint, a DOI: its text)
                text = plain_text(decode_latex(latex, tie_is_space=True).text)
            else:
                text = _MATH.sub(lambda m: math_as_text(m.group(1)), text)
            self._cache[digests[key]] = " ".join(text.replace("{", "").replace("}", "").split())

    def forget(self) -> None:
        """Let go of the references held in memory once the cache file holds them all: a
        one-shot run asks for no more (each entry's digest, ~90 bytes per paper, held through
        its pages stage). A later format_all reads them back from the file."""
        if self.cache_file and not self._dirty and self.cache_file.exists():
            self._cache, self._failures, self._filed_digests, self._filed = {}, {}, "", []
            self._forgotten = True

    def save(self) -> None:
        if self.cache_file and self._dirty:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            references = self._all_references()
            digests = sorted(d for d in references if len(d) == _DIGEST_LENGTH)
            data = {"version": _CACHE_VERSION, "digests": "".join(digests),
                    "references": [references[d] for d in digests], "failures": self._failures}
            self.cache_file.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False), encoding="utf-8")
            self._dirty = False


def _csl_reference(key: str, text: str) -> str:
    """The entry's reference in the default CSL style, as plain text ("" when citeproc-py makes
    none, or the entry has no title). An entry with no names is cited by its title, once
    (citations/csl_rules.py)."""
    if not _TITLE.search(text):
        return ""
    from ..citations.csl import DEFAULT_STYLE, STYLE_DIR, STYLES, CitationStyle

    try:
        found = CitationStyle(STYLE_DIR / STYLES[DEFAULT_STYLE], {key: text}).tooltip(key)
    except Exception:  # citeproc-py's own failures: the entry then has no reference, reported
        return ""
    return "" if found == key else " ".join(found.split())


def _reason(exc: Exception) -> str:
    """pybtex's reason in words: a style without a format for a type raises AttributeError."""
    found = _NO_FORMAT.search(str(exc)) if isinstance(exc, AttributeError) else None
    if found:
        return f"the style has no format for @{found.group(1)} entries"
    return " ".join(str(exc).split()) or type(exc).__name__


def _container(entry: str) -> bool:
    """A biblatex `@set` or `@xdata` entry: no work of its own to reference (its members, or the
    entries that take its fields, are), so having none is no failure."""
    return entry.lstrip()[1:7].lower().startswith(("set{", "xdata{"))


def _failure(key: str, place: SourceRef | None, style: str, reason: str) -> Diagnostic:
    where = place or SourceRef(f"[{key}]", 0)
    return Diagnostic(where.file, where.line, default_level("reference-format"),
                      f"{key}: pybtex's {style!r} style cannot format this entry's reference ({reason}), "
                      "nor can the default CSL style; its pages show none", "reference-format")
