"""The keys a LaTeX run cited: bibtex's `\\citation{..}` in .aux files, biber's .bcf citekeys.

* bibtex: LaTeX writes `\\citation{a,b}` into the .aux of the document and of every
  `\\include`d part (`\\@input{part.aux}`, followed here).
* biblatex: its .aux holds `\\abx@aux@cite{0}{key}` (older versions `\\abx@aux@cite{key}`),
  and the .bcf that biber reads lists `<bcf:citekey>` elements. An .aux without keys falls
  back to the .bcf of the same name.
* `\\nocite{*}` is the key `*`: "every entry" (biblatex writes `\\abx@aux@nociteall` for it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

_CITATION = re.compile(r"\\citation\{([^}]*)\}")
_BIBLATEX_CITE = re.compile(r"\\abx@aux@cite(?:\{\d+\})?\{([^}]*)\}")
_NOCITE_ALL = re.compile(r"\\abx@aux@nociteall(?![A-Za-z@])")  # biblatex's \nocite{*}
_INPUT = re.compile(r"\\@input\{([^}]*)\}")
_BCF = "{https://sourceforge.net/projects/biblatex}"


@dataclass(frozen=True, slots=True)
class Citation:
    key: str
    file: str
    line: int  # 1-based; the line of the .aux or .bcf where the key is first cited


def citations(path: Path) -> list[Citation]:
    """Cited keys with where each was first cited, in first-cited order, without repeats.

    FileNotFoundError if `path` does not exist; ValueError for a .bcf that is not XML.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (run LaTeX on the document first)")
    if path.suffix == ".bcf":
        return _bcf_citations(path)
    found = _aux_citations(path, set())
    bcf = path.with_suffix(".bcf")
    if not found and bcf.is_file():
        return _bcf_citations(bcf)
    return found


def cited_keys(path: Path) -> list[str]:
    """Cited keys in first-cited order, without repeats; `*` (\\nocite{*}) is kept as a key."""
    return [c.key for c in citations(path)]


def _unique(found: list[Citation]) -> list[Citation]:
    first: dict[str, Citation] = {}
    for citation in found:
        first.setdefault(citation.key, citation)
    return list(first.values())


def _aux_citations(path: Path, seen: set[Path]) -> list[Citation]:
    resolved = path.resolve()
    if resolved in seen or not path.is_file():
        return []
    seen.add(resolved)
    found: list[Citation] = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in (_CITATION, _BIBLATEX_CITE):
            for match in pattern.finditer(line):
                found.extend(Citation(k.strip(), str(path), number) for k in match.group(1).split(",") if k.strip())
        if _NOCITE_ALL.search(line):
            found.append(Citation("*", str(path), number))
        for match in _INPUT.finditer(line):
            found.extend(_aux_citations(path.parent / match.group(1), seen))
    return _unique(found)


def missing_parts(path: Path) -> list[Citation]:
    """Each `\\@input{part.aux}` an .aux names (an `\\include`d part) that is not there, as a
    Citation of the part's name at the line naming it: bibtex stops on it ("I couldn't open
    auxiliary file"), and the part's citations are not known."""
    missing: list[Citation] = []
    seen: set[Path] = set()

    def walk(aux: Path) -> None:
        if aux.resolve() in seen or aux.suffix == ".bcf" or not aux.is_file():
            return
        seen.add(aux.resolve())
        for number, line in enumerate(aux.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for match in _INPUT.finditer(line):
                part = aux.parent / match.group(1)
                if part.is_file():
                    walk(part)
                else:
                    missing.append(Citation(match.group(1), str(aux), number))

    walk(path)
    return missing


def _bcf_citations(path: Path) -> list[Citation]:
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise ValueError(f"{path}: not a biblatex control file ({exc})") from exc
    lines: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        for match in re.finditer(r"<bcf:citekey[^>]*>([^<]*)</bcf:citekey>", line):
            lines.setdefault(match.group(1).strip(), number)
    keys = [element.text.strip() for element in root.iter(f"{_BCF}citekey") if element.text and element.text.strip()]
    return _unique([Citation(key, str(path), lines.get(key, 0)) for key in keys])
