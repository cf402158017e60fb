"""A quick reading of a .bib as LaTeX will see it, before any tool runs.

The entries (keys, lines, titles) that the compile is judged against, and the exact line
of what LaTeX will trip on: an unescaped `%` (which truncates without any error) and
`& # _ ^` outside math, and escapes in verbatim fields that biber keeps. These are
warnings; the compile (latex.run) decides. Every problem, here and in the tools' outputs,
is a `Diagnostic` made by `problem`, its message led by the engine that found it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import bibtexparser

from ..model import Diagnostic, Severity
from ..sources.bib_values import TYPESET_FIELDS, concatenation_offsets
from .decode import verbatim_arguments

_VERBATIM_FIELDS = {"url", "doi", "eprint", "file", "pdf", "verba", "verbb", "verbc", "urlraw"}


@dataclass(frozen=True, slots=True)
class BibEntry:
    key: str
    line: int  # 1-based line of `@type{key,`
    title: str | None  # the title as LaTeX, enclosing braces removed
    title_line: int | None
    entry_type: str = ""  # lower case


def problem(file: str, engine: str, severity: Severity, code: str, message: str,
            key: str | None = None, line: int | None = None, context: str = "") -> Diagnostic:
    """One thing a tool rejected or lost, pointed at the .bib line and entry where known.

    `engine` is bibtex-plain | bibtex-alpha | biber | bib (read from the .bib itself); the
    message reads `[engine] message (entry 'key') near 'context'`.
    """
    entry = f" (entry {key!r})" if key and key not in message else ""
    near = f" near {context!r}" if context else ""
    return Diagnostic(file=file, line=line or 0, severity=severity, message=f"[{engine}] {message}{entry}{near}",
                      code=code)


def read_entries(text: str) -> list[BibEntry]:
    """Keys, lines and titles of the entries bibtexparser can read (raw values, strings resolved)."""
    library = bibtexparser.parse_string(text)
    entries = []
    for entry in library.entries:
        title = entry.fields_dict.get("title")
        line = (entry.start_line or 0) + 1
        entries.append(BibEntry(
            key=entry.key, line=line, title=str(title.value) if title is not None else None,
            title_line=(title.start_line + 1 if title.start_line is not None else line) if title is not None else None,
            entry_type=entry.entry_type.lower()))
    return entries


_PROSE_SPECIALS = re.compile(r"(?<!\\)(?:\\\\)*([&#_^%])")
_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$|\\\(.*?\\\)|\\ensuremath\{[^{}]*\}", re.DOTALL)
_WHY = {
    "%": "starts a TeX comment: LaTeX silently drops the rest of the line",
    "&": "stops pdflatex (Misplaced alignment tab character)",
    "#": "stops pdflatex (macro parameter character in horizontal mode)",
    "_": "stops pdflatex outside math (Missing $ inserted)",
    "^": "stops pdflatex outside math (Missing $ inserted)",
}


def lint(text: str, file: str) -> list[Diagnostic]:
    """Unescaped characters LaTeX trips on, at their exact line (raw field values, math skipped)."""
    problems: list[Diagnostic] = []
    library = bibtexparser.parse_string(text, parse_stack=[])
    for block in library.failed_blocks:
        problems.append(problem(file, "bib", Severity.ERROR, "latex-unreadable-entry",
                                f"entry could not be read: {block.error}", line=(block.start_line or 0) + 1))
    for entry in library.entries:
        for fld in entry.fields:
            name = fld.key.lower()
            if not isinstance(fld.value, str):
                continue
            value = fld.value
            if name in _VERBATIM_FIELDS or name.startswith("bdsk-url"):
                if escaped := re.search(r"\\[%#&_~$]", value):
                    problems.append(problem(
                        file, "bib", Severity.WARNING, "latex-verbatim-escape",
                        f"field {name!r} of {entry.key!r}: `{escaped.group(0)}` in a verbatim "
                        f"field; biber keeps the backslash (a broken link): write `{escaped.group(0)[1]}`",
                        key=entry.key, line=(fld.start_line or 0) + 1))
                continue
            if name not in TYPESET_FIELDS:  # (JabRef's `comment`, `keywords`: no style typesets them)
                continue
            joins = set(concatenation_offsets(value))
            urls = verbatim_arguments(value)  # `\\url{a_b}`: the url package reads its argument verbatim
            for match in _PROSE_SPECIALS.finditer(value):
                char = match.group(1)
                if match.start(1) in joins:  # `pami # " and Machine Intelligence"`: BibTeX's concatenation
                    continue
                if any(start <= match.start(1) < end for start, end in urls):
                    if char in "%#" and value[match.start(1) - 1] != "\\":
                        line = (fld.start_line or entry.start_line or 0) + 1 + value.count("\n", 0, match.start(1))
                        problems.append(problem(
                            file, "bib", Severity.WARNING, "latex-unescaped",
                            f"field {name!r} of {entry.key!r}: {char!r} inside a URL argument: bibtex's styles "
                            "print it, biblatex stops on it", key=entry.key, line=line))
                    continue
                inside_math = any(m.start() <= match.start(1) < m.end() for m in _MATH.finditer(value))
                if inside_math and char in "_^":
                    continue
                line = (fld.start_line or entry.start_line or 0) + 1 + value.count("\n", 0, match.start(1))
                problems.append(problem(
                    file, "bib", Severity.WARNING, "latex-unescaped",
                    f"field {name!r} of {entry.key!r}: unescaped {char!r} {_WHY[char]}", key=entry.key, line=line))
    return problems
