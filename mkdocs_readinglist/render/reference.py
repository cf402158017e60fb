"""Formatted references ("Huang, B., ... In CVPR 2025.") by pybtex, cached by entry content.

pybtex needs milliseconds per entry, as much as a whole MkDocs page: references are
formatted once per distinct BibTeX text and kept in a JSON cache across builds.
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

from ..latex.decode import math_as_text

_MATH = re.compile(r"\$([^$]+)\$")


def _digest(text: str, style: str) -> str:
    return hashlib.blake2b(f"{style}\n{text}".encode(), digest_size=12).hexdigest()


@lru_cache(maxsize=8)
def _plugins(style: str) -> tuple[Any, Any, Any]:
    """pybtex's style and text backend (made once) and its parser class. pybtex finds plugins
    through package metadata on every call (5x the formatting itself, 80 ms a lookup on a large
    install), a style's own label, name and sorting styles included: they are looked up once
    per process. A style keeps no state between bibliographies, so one instance serves all."""
    return (find_plugin("pybtex.style.formatting", style)(), find_plugin("pybtex.database.input", "bibtex"),
            find_plugin("pybtex.backends", "text")())


class ReferenceFormatter:
    def __init__(self, cache_file: Path | None = None, style: str = "plain") -> None:
        self.cache_file = cache_file
        self.style = style
        self.formatted = 0  # entries pybtex actually formatted: the measure of the work
        self._cache: dict[str, str] = {}
        self._digests: dict[str, str] = {}  # entry text -> its digest, from the last format_all
        if cache_file and cache_file.exists():
            try:
                self._cache = json.loads(cache_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache = {}
        self._dirty = False

    def format_all(self, entries: Mapping[str, str]) -> dict[str, str]:
        """key -> formatted plain-text reference, for key -> BibTeX entry text."""
        # An entry's digest is kept by its text for the next call (a rebuild's entries are
        # mostly the very same strings): only new texts are hashed.
        known, self._digests = self._digests, {}
        digests = {}
        for key, text in entries.items():
            digest = known.get(text)
            if digest is None:
                digest = _digest(text, self.style)
            digests[key] = self._digests[text] = digest
        missing = [key for key, digest in digests.items() if digest not in self._cache]
        if missing:
            self._format(missing, entries, digests)
        return {key: self._cache.get(digest, "") for key, digest in digests.items()}

    def _format(self, keys: Sequence[str], entries: Mapping[str, str], digests: Mapping[str, str]) -> None:
        style, parser_class, backend = _plugins(self.style)
        for key in keys:
            try:
                database = parser_class().parse_string(entries[key])
                formatted = next(iter(style.format_bibliography(database).entries))
                text = formatted.text.render(backend)
            except Exception as exc:  # a reference is a nicety: never fail the build on it
                text = f"(reference could not be formatted: {exc})"
            text = _MATH.sub(lambda m: math_as_text(m.group(1)), text).replace("{", "").replace("}", "")
            self._cache[digests[key]] = " ".join(text.split())
            self.formatted += 1
            self._dirty = True

    def save(self) -> None:
        if self.cache_file and self._dirty:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            self.cache_file.write_text(json.dumps(self._cache, sort_keys=True, ensure_ascii=False), encoding="utf-8")
            self._dirty = False
