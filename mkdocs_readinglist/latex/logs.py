"""Reading what the TeX tools wrote: bibtex's and biber's .blg, pdflatex's .log, the .bbl
and the PDF's text, each problem traced back to its entry and .bib line.

* bibtex exits 0 on warnings, so every `Warning--` and error of its .blg counts; so does
  every `WARN` and `ERROR` of biber's .blg;
* any TeX error, LaTeX or biblatex warning (undefined citations, "rerun" notes, a
  character missing from the font) in the final .log counts;
* an error in the .bbl is traced back to its entry (the last `\\bibitem`/`\\entry` before
  the line) and so to the entry's line in the .bib;
* titles are looked for in the PDF's text (pdftotext) on letters and digits only, so that
  whitespace, hyphenation, case, ligatures and accents as separate glyphs do not count.

Pure functions of the text read; latex.run runs the tools.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from ..model import Diagnostic, Severity
from .defined import LOGOS
from .lint import BibEntry, problem

ERROR, WARNING = Severity.ERROR, Severity.WARNING


# ---------------------------------------------------------------------------- titles in the PDF's text


def _to_text_converter() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    db.add_context_category("readinglist-check", prepend=True, macros=[
        *(MacroTextSpec(name, simplify_repl="%(1)s") for name in ("texttt", "url", "mbox", "text", "textrm")),
        MacroTextSpec("textfrac", simplify_repl="%(1)s/%(2)s"), MacroTextSpec("allowbreak", simplify_repl=""),
        # the logos print their letters (`The {\\LaTeX} Companion`: pdftotext reads "The LATEX Companion")
        *(MacroTextSpec(name, simplify_repl=text) for name, text in LOGOS.items())])
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


_TO_TEXT = _to_text_converter()


def letters(text: str) -> str:
    """Letters and digits only, case-folded, accents dropped: what survives pdftotext reliably.

    Modifier letters (`ˆ` from `\\textasciicircum`) are not letters here: pdftotext shows `^`.
    """
    decomposed = unicodedata.normalize("NFKD", text).casefold().translate(_SAME_GLYPH)
    return "".join(c for c in decomposed if c.isalnum() and unicodedata.category(c) != "Lm"
                   and not unicodedata.combining(c))


# T1 prints `\DJ` (Đ) with the glyph of Ð, which pdftotext gives back as Ð, and an accent on an
# `i` (biber's `ī`) over a dotless ı, given back as `ı̄`: each is the same letter here.
_SAME_GLYPH = str.maketrans({"đ": "d", "ð": "d", "ı": "i"})


_TITLE_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$|\\\(.*?\\\)", re.DOTALL)


def title_letters(latex: str) -> list[str]:
    """The letters a title should put on the page, in pieces: inline math is left out, since
    pdftotext orders sub- and superscripts its own way. A `%` is literal in a .bib field."""
    literal = re.sub(r"(?<!\\)((?:\\\\)*)%", r"\1\\%", latex)
    pieces = []
    for prose in _TITLE_MATH.split(literal):
        try:
            text = _TO_TEXT.latex_to_text(prose)
        except Exception:  # pylatexenc is tolerant; junk is compared as written
            text = prose
        if found := letters(text):
            pieces.append(found)
    return pieces


def in_order(pieces: Sequence[str], page: str) -> bool:
    """True when the pieces appear on the page in this order (what pdftotext gives of a title)."""
    start = 0
    for piece in pieces:
        at = page.find(piece, start)
        if at < 0:
            return False
        start = at + len(piece)
    return True


# ---------------------------------------------------------------------------- entries and lines


class Locator:
    """Entry keys to .bib lines, and .bbl lines back to the entry being typeset there."""

    def __init__(self, entries: Sequence[BibEntry], file: str) -> None:
        self.file = file  # the .bib, as problems name it
        self.lines = {e.key.lower(): e.line for e in entries}
        self.keys = {e.key.lower(): e.key for e in entries}
        self._bbl_starts: list[tuple[int, str]] = []  # (1-based .bbl line, key)
        self._bbl_lines: list[str] = []

    def entry(self, key: str | None) -> tuple[str | None, int | None]:
        if key is None:
            return None, None
        return self.keys.get(key.lower(), key), self.lines.get(key.lower())

    def read_bbl(self, text: str, backend: str) -> None:
        pattern = re.compile(r"\\bibitem(?:\[.*?\])?\{([^}]*)\}" if backend == "bibtex"
                             else r"^\s*\\entry\{([^}]*)\}")
        self._bbl_lines = text.splitlines()
        self._bbl_starts = [(number, m.group(1)) for number, line in enumerate(self._bbl_lines, start=1)
                            if (m := pattern.search(line))]

    def holding(self, shown: str, unique: bool = False) -> str | None:
        """The entry of the .bbl line that holds the start of the text TeX shows (a runaway
        argument, an error's context); with `unique`, only when one entry holds it."""
        start = shown.lstrip("{").split("\\", 1)[0].strip()[:40]
        if len(start) < 4:
            return None
        found = {self.at_bbl_line(number) for number, line in enumerate(self._bbl_lines, start=1) if start in line}
        found.discard(None)
        if not found or (unique and len(found) > 1):
            return None
        return sorted(k for k in found if k)[0]

    def bbl_keys(self) -> set[str]:
        return {key.lower() for _, key in self._bbl_starts}

    def at_bbl_line(self, line: int) -> str | None:
        key = None
        for start, name in self._bbl_starts:
            if start > line:
                break
            key = name
        return key


# ---------------------------------------------------------------------------- the .blg files


_BIBTEX_FILE_LINE = re.compile(r"---?line (\d+) of file (\S+)")
_BIBTEX_WARNING_KEY = re.compile(r" in (\S+)$|for \"([^\"]+)\"|entry \"([^\"]+)\"")


def read_bibtex_blg(engine: str, blg: str, where: Locator) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    lines = blg.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Warning--"):
            message = line[len("Warning--"):].strip()
            found = _BIBTEX_WARNING_KEY.search(message)
            key, bib_line = where.entry(next((g for g in found.groups() if g), None) if found else None)
            follow = _BIBTEX_FILE_LINE.search(lines[index + 1]) if index + 1 < len(lines) else None
            if follow:
                bib_line = int(follow.group(1))
            problems.append(problem(where.file, engine, WARNING, "latex-bibtex-warning", f"bibtex: {message}", key,
                                    bib_line))
        elif (found := _BIBTEX_FILE_LINE.search(line)) and not line.startswith("--"):
            message = line[: found.start()].strip() or line.strip()
            context = " ".join(part.strip() for part in lines[index + 1 : index + 3] if part.strip()
                               and not part.startswith("I'm skipping"))
            problems.append(problem(where.file, engine, ERROR, "latex-bibtex-error", f"bibtex: {message}",
                                    _key_near(where, int(found.group(1))), int(found.group(1)), context))
        elif re.match(r"\(There (?:was|were) \d+ error", line) and not any(p.severity is ERROR for p in problems):
            problems.append(problem(where.file, engine, ERROR, "latex-bibtex-error", f"bibtex: {line.strip('()')}"))
    return problems


def _key_near(where: Locator, bib_line: int) -> str | None:
    """The entry whose `@type{key,` is at or before a .bib line."""
    best: tuple[int, str] | None = None
    for key, line in where.lines.items():
        if line <= bib_line and (best is None or line > best[0]):
            best = (line, where.keys[key])
    return best[1] if best else None


_BIBER_MESSAGE = re.compile(r"^\[\d+\] [^>]*> (WARN|ERROR) - (.*)$")
_BIBER_KEY = re.compile(r"[Ee]ntry '([^']+)'|[Kk]ey '([^']+)'|citekey '([^']+)'")
_BIBER_LINE = re.compile(r"line (\d+)")


def read_biber_blg(engine: str, blg: str, where: Locator) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for line in blg.splitlines():
        found = _BIBER_MESSAGE.match(line)
        if not found:
            continue
        severity, code = (ERROR, "latex-biber-error") if found.group(1) == "ERROR" else (WARNING, "latex-biber-warning")
        message = found.group(2).strip()
        message = re.sub(r"/\S*/refs\.bib_\d+\.utf8", "refs.bib", message)
        named = _BIBER_KEY.search(message)
        key, bib_line = where.entry(next((g for g in named.groups() if g), None) if named else None)
        if "refs.bib" in message and (at := _BIBER_LINE.search(message)):
            bib_line = int(at.group(1))
            key = key or _key_near(where, bib_line)
        problems.append(problem(where.file, engine, severity, code, f"biber: {message}",
                                key, bib_line))
    return problems


# ---------------------------------------------------------------------------- pdflatex's .log


_FILE_LINE_ERROR = re.compile(r"^(?:\./)?([^\s:]+\.(?:bbl|tex|aux|bcf|sty|cls|def|cfg|fd)):(\d+): (.*)$")
_LOG_WARNING = re.compile(r"^(?:LaTeX|Package (\S+)|Class \S+) Warning: (.*)$")
_CITATION = re.compile(r"Citation [`']([^']*)' (?:on page \d+ )?undefined")


def read_latex_log(engine: str, log: str, where: Locator) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    lines = log.splitlines()
    runaway: str | None = None  # the entry whose field ran away, for the error that follows
    for index, line in enumerate(lines):
        if line.startswith("Runaway argument?") and index + 1 < len(lines):
            runaway = where.holding(lines[index + 1])
            continue
        error = _FILE_LINE_ERROR.match(line)
        if error or line.startswith("! "):
            message = error.group(3) if error else line[2:]
            context = _context(lines, index)
            key: str | None = None
            bib_line: int | None = None
            if error and error.group(1).endswith(".bbl"):
                key, bib_line = where.entry(where.at_bbl_line(int(error.group(2))))
            elif runaway:
                key, bib_line = where.entry(runaway)
                message += " (a field's braces do not close: an unescaped % or an unbalanced brace)"
            else:  # biblatex typesets from macros: find the text TeX shows in the .bbl
                key, bib_line = where.entry(_shown_entry(lines, index, where))
            runaway = None
            problems.append(problem(where.file, engine, ERROR, "latex-tex-error", f"pdflatex: {message}", key, bib_line,
                                    context))
            continue
        warning = _LOG_WARNING.match(line)
        if warning:
            text = warning.group(2)
            for follow in lines[index + 1 : index + 6]:
                if not follow.startswith(("(biblatex)", "(", " ")) or not follow.strip():
                    break
                text += " " + re.sub(r"^\(\w+\)\s*", "", follow).strip()
            cited = _CITATION.search(text)
            key, bib_line = where.entry(cited.group(1)) if cited else (None, None)
            problems.append(problem(where.file, engine, WARNING, "latex-tex-warning",
                                    f"{'LaTeX' if not warning.group(1) else warning.group(1)}: {text.strip()}",
                                    key, bib_line))
        elif line.startswith("Missing character:"):
            problems.append(problem(where.file, engine, WARNING, "latex-missing-character",
                                    f"pdflatex: {line.strip()}"))
    return problems


def _shown_entry(lines: list[str], index: int, where: Locator) -> str | None:
    """The entry whose text an error shows as `<argument> Pose &` (before its `l.NN` line)."""
    for follow in lines[index + 1 : index + 12]:
        if re.match(r"^l\.\d+ ", follow):
            break
        shown = re.match(r"^<(?:argument|recently read|to be read again|inserted text)> (.+)$", follow)
        if shown and (key := where.holding(shown.group(1), unique=True)):
            return key
    return None


def _context(lines: list[str], index: int) -> str:
    """The text TeX shows after an error: the argument it choked on, else the source line
    (`l.12 \\newblock Pose &`), shortened."""
    for follow in lines[index + 1 : index + 12]:
        argument = re.match(r"^<argument> (.+)$", follow)
        if argument and argument.group(1).strip():
            return argument.group(1).strip()[-80:]
        found = re.match(r"^l\.\d+ (.*)$", follow)
        if found:
            return found.group(1).strip()[-80:]
    return ""

