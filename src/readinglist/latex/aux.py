"""The keys a LaTeX run cited: bibtex's `\\citation{..}` in .aux files, biber's .bcf citekeys."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

_CITATION = re.compile(r"\\citation\{([^}]*)\}")
_INPUT = re.compile(r"\\@input\{([^}]*)\}")
_BCF = "{https://sourceforge.net/projects/biblatex}"


def cited_keys(path: Path) -> list[str]:
    """Cited keys in first-cited order, without repeats; `*` (\\nocite{*}) is kept as a key."""
    if path.suffix == ".bcf":
        return _bcf_keys(path)
    bcf = path.with_suffix(".bcf")
    keys = _aux_keys(path, set())
    if not keys and bcf.exists():
        return _bcf_keys(bcf)
    return keys


def _aux_keys(path: Path, seen: set[Path]) -> list[str]:
    if path in seen or not path.exists():
        return []
    seen.add(path)
    keys: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        for match in _CITATION.finditer(line):
            keys.extend(k.strip() for k in match.group(1).split(",") if k.strip())
        for match in _INPUT.finditer(line):
            keys.extend(_aux_keys(path.parent / match.group(1), seen))
    return list(dict.fromkeys(keys))


def _bcf_keys(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    keys = [element.text.strip() for element in root.iter(f"{_BCF}citekey") if element.text]
    return list(dict.fromkeys(keys))
