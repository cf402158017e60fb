"""Compile a .bib with real LaTeX and report what the tools reject, silently mangle or drop.

Python BibTeX parsers accept entries that LaTeX rejects, and the TeX tools themselves hide
problems: bibtex exits 0 on warnings, an unescaped `%` silently cuts a title, and after a
biber failure pdflatex still exits 0 and prints `[?]`. So every engine's run is judged on
all of its outputs, not on exit codes alone:

* a document that `\\nocite{*}`s the .bib is compiled with pdflatex + bibtex (styles
  `plain`, `alpha`) or pdflatex + biblatex + biber (`numeric`), with T1 fonts, UTF-8 input
  and Latin Modern (the preamble of most papers);
* a problem is any non-zero exit; any `Warning--` or error in bibtex's .blg; any `WARN` or
  `ERROR` in biber's .blg; any TeX error, LaTeX or biblatex warning (undefined citations,
  "rerun" notes, a character missing from the font) in the final .log; any entry missing
  from the .bbl; and any title missing from the PDF's text (pdftotext, compared on letters
  and digits only, so that whitespace, hyphenation, case, ligatures and accents as separate
  glyphs do not count);
* pdflatex runs with `-interaction=nonstopmode -file-line-error` but *without*
  `-halt-on-error`, so that one run reports every broken entry instead of the first; a time
  limit stops a run that never ends;
* an error in the .bbl is traced back to its entry (the last `\\bibitem`/`\\entry` before
  the line) and so to the entry's line in the .bib;
* a quick reading of the .bib itself adds the exact line of what LaTeX will trip on
  (unescaped `%`, which truncates without any error, and `& # _ ^` outside math) as
  warnings; the compile decides.

Library code: nothing here prints. `latex_check_command` is the CLI's entry point.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import bibtexparser
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

ENGINES: dict[str, tuple[str, str]] = {
    # name: (backend, style)
    "bibtex-plain": ("bibtex", "plain"),
    "bibtex-alpha": ("bibtex", "alpha"),
    "biber": ("biber", "numeric"),
}
PACKAGES = ("[T1]{fontenc}", "[utf8]{inputenc}", "{lmodern}")
DEBIAN_PACKAGES = ("texlive-latex-base", "texlive-latex-recommended", "texlive-bibtex-extra", "biber",
                   "lmodern", "poppler-utils")
TIMEOUT = 300.0  # seconds for one tool run
MAX_LATEX_RUNS = 3  # after the backend: run again while the log asks for a rerun
_VERBATIM_FIELDS = {"url", "doi", "eprint", "file", "pdf", "verba", "verbb", "verbc", "urlraw"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing a tool rejected or lost, pointed at the .bib line and entry where known."""

    engine: str  # bibtex-plain | bibtex-alpha | biber | bib (read from the .bib itself)
    severity: str  # "error" | "warning"
    message: str
    key: str | None = None
    line: int | None = None  # 1-based line in the .bib

    def format(self, bib: str) -> str:
        where = f"{bib}:{self.line}" if self.line else bib
        entry = f" (entry {self.key!r})" if self.key and self.key not in self.message else ""
        return f"{where}: {self.severity}: [{self.engine}] {self.message}{entry}"


@dataclass(frozen=True, slots=True)
class BibEntry:
    key: str
    line: int  # 1-based line of `@type{key,`
    title: str | None  # the title as LaTeX, enclosing braces removed
    title_line: int | None


@dataclass(frozen=True, slots=True)
class EngineRun:
    """One engine's verdict: its problems, the PDF's text, and how many entries it typeset."""

    engine: str
    problems: tuple[Problem, ...]
    pdf_text: str = ""
    typeset: int = 0  # entries in the .bbl
    titles_found: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class CheckResult:
    bib: Path
    entries: tuple[BibEntry, ...]
    runs: tuple[EngineRun, ...]
    lint: tuple[Problem, ...] = ()
    missing_tools: tuple[str, ...] = ()

    @property
    def problems(self) -> list[Problem]:
        found = [*self.lint, *(p for run in self.runs for p in run.problems)]
        return sorted(found, key=lambda p: (p.line is None, p.line or 0, p.engine, p.message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.missing_tools


# ---------------------------------------------------------------------------- the tools


def tools_for(engine: str) -> tuple[str, ...]:
    backend = ENGINES[engine][0]
    return ("pdflatex", backend, "pdftotext")


def missing_tools(engines: Sequence[str] | dict[str, tuple[str, str]] = ENGINES) -> list[str]:
    """Programs (and LaTeX packages) the engines need that this machine does not have."""
    needed = dict.fromkeys(tool for engine in engines for tool in tools_for(engine))
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if "pdflatex" not in missing and shutil.which("kpsewhich"):
        packages = ["lmodern.sty", *(["biblatex.sty"] if "biber" in engines else [])]
        found = subprocess.run(["kpsewhich", *packages], capture_output=True, text=True, check=False).stdout
        missing += [name for name in packages if name not in found]
    return missing


def parse_engines(text: str) -> list[str]:
    """`bibtex-plain,biber` -> the engine names; ValueError naming the unknown ones."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in ENGINES]
    if unknown or not names:
        raise ValueError(f"unknown engine(s) {', '.join(unknown) or '(none given)'}; "
                         f"known: {', '.join(ENGINES)}")
    return list(dict.fromkeys(names))


# ---------------------------------------------------------------------------- the .bib


def read_entries(text: str) -> list[BibEntry]:
    """Keys, lines and titles of the entries bibtexparser can read (raw values, strings resolved)."""
    library = bibtexparser.parse_string(text)
    entries = []
    for entry in library.entries:
        title = entry.fields_dict.get("title")
        line = (entry.start_line or 0) + 1
        entries.append(BibEntry(
            key=entry.key, line=line, title=str(title.value) if title is not None else None,
            title_line=(title.start_line + 1 if title.start_line is not None else line) if title is not None else None))
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


def _concatenations(value: str) -> set[int]:
    """Offsets of the `#` that join the parts of a raw value (outside braces and quotes)."""
    if "#" not in value:
        return set()
    found, depth, quoted = set(), 0, False
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0 and (index == 0 or value[index - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            found.add(index)
    return found


def lint(text: str) -> list[Problem]:
    """Unescaped characters LaTeX trips on, at their exact line (raw field values, math skipped)."""
    problems: list[Problem] = []
    library = bibtexparser.parse_string(text, parse_stack=[])
    for block in library.failed_blocks:
        problems.append(Problem("bib", "error", f"entry could not be read: {block.error}",
                                line=(block.start_line or 0) + 1))
    for entry in library.entries:
        for fld in entry.fields:
            name = fld.key.lower()
            if not isinstance(fld.value, str):
                continue
            value = fld.value
            if name in _VERBATIM_FIELDS or name.startswith("bdsk-url"):
                if escaped := re.search(r"\\[%#&_~$]", value):
                    problems.append(Problem(
                        "bib", "warning", f"field {name!r} of {entry.key!r}: `{escaped.group(0)}` in a verbatim "
                        f"field; biber keeps the backslash (a broken link): write `{escaped.group(0)[1]}`",
                        key=entry.key, line=(fld.start_line or 0) + 1))
                continue
            joins = _concatenations(value)
            for match in _PROSE_SPECIALS.finditer(value):
                char = match.group(1)
                if match.start(1) in joins:  # `pami # " and Machine Intelligence"`: BibTeX's concatenation
                    continue
                inside_math = any(m.start() <= match.start(1) < m.end() for m in _MATH.finditer(value))
                if inside_math and char in "_^":
                    continue
                line = (fld.start_line or entry.start_line or 0) + 1 + value.count("\n", 0, match.start(1))
                problems.append(Problem(
                    "bib", "warning", f"field {name!r} of {entry.key!r}: unescaped {char!r} {_WHY[char]}",
                    key=entry.key, line=line))
    return problems


# ---------------------------------------------------------------------------- titles in text


def _to_text_converter() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    db.add_context_category("readinglist-check", prepend=True, macros=[
        *(MacroTextSpec(name, simplify_repl="%(1)s") for name in ("texttt", "url", "mbox", "text", "textrm")),
        MacroTextSpec("textfrac", simplify_repl="%(1)s/%(2)s"), MacroTextSpec("allowbreak", simplify_repl="")])
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


_TO_TEXT = _to_text_converter()


def letters(text: str) -> str:
    """Letters and digits only, case-folded, accents dropped: what survives pdftotext reliably.

    Modifier letters (`ˆ` from `\\textasciicircum`) are not letters here: pdftotext shows `^`.
    """
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in decomposed if c.isalnum() and unicodedata.category(c) != "Lm"
                   and not unicodedata.combining(c))


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


# ---------------------------------------------------------------------------- one engine


def document(engine: str, bib_name: str, packages: Sequence[str] = PACKAGES) -> str:
    backend, style = ENGINES[engine]
    lines = [r"\documentclass{article}", *(rf"\usepackage{p}" for p in packages)]
    if backend == "biber":
        lines += [rf"\usepackage[backend=biber,style={style}]{{biblatex}}", rf"\addbibresource{{{bib_name}}}"]
    lines += [r"\pagestyle{empty}", r"\begin{document}", r"\nocite{*}"]
    if backend == "biber":
        lines.append(r"\printbibliography")
    else:
        lines += [rf"\bibliographystyle{{{style}}}", rf"\bibliography{{{Path(bib_name).stem}}}"]
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def _run(command: list[str], cwd: Path) -> tuple[int, str]:
    env = {**os.environ, "max_print_line": "100000", "error_line": "254", "half_error_line": "238"}
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, env=env, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return -1, f"{command[0]} did not finish within {TIMEOUT:.0f} s"
    return done.returncode, done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")


_LATEX = ["pdflatex", "-interaction=nonstopmode", "-file-line-error", "-no-shell-escape"]
_RERUN = re.compile(r"Rerun to get|rerun LaTeX|\(re\)run Biber|Please rerun|Label\(s\) may have changed",
                    re.IGNORECASE)


def run_engine(engine: str, bib_text: str, entries: Sequence[BibEntry], workdir: Path,
               packages: Sequence[str] = PACKAGES) -> EngineRun:
    """Compile `bib_text` in `workdir` with one engine and judge every output."""
    started = time.perf_counter()
    backend, _ = ENGINES[engine]
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib_text, encoding="utf-8")
    (workdir / "doc.tex").write_text(document(engine, "refs.bib", packages), encoding="utf-8")
    problems: list[Problem] = []
    where = _Locator(entries)

    def fail(message: str) -> EngineRun:
        problems.append(Problem(engine, "error", message))
        return EngineRun(engine, tuple(problems), seconds=time.perf_counter() - started)

    code, output = _run([*_LATEX, "doc.tex"], workdir)
    if code != 0 and not (workdir / "doc.aux").exists():
        return fail(f"pdflatex failed before reading the bibliography (exit {code}): {output[-300:]}")
    code, output = _run([backend, "doc"], workdir)
    blg = workdir / "doc.blg"
    blg_text = blg.read_text(encoding="utf-8", errors="replace") if blg.exists() else ""
    problems += (_bibtex_problems if backend == "bibtex" else _biber_problems)(engine, blg_text, where)
    if code != 0:
        problems.append(Problem(engine, "error", f"{backend} exited with code {code}"
                                + ("" if blg_text else f": {output.strip()[-300:]}")))
    log_text = ""
    for _ in range(MAX_LATEX_RUNS):
        code, _output = _run([*_LATEX, "doc.tex"], workdir)
        log = workdir / "doc.log"
        log_text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if code != 0 or not _RERUN.search(log_text):
            break
    bbl = workdir / "doc.bbl"
    bbl_text = bbl.read_text(encoding="utf-8", errors="replace") if bbl.exists() else ""
    where.read_bbl(bbl_text, backend)
    log_problems = _log_problems(engine, log_text, where)
    if code != 0:  # a failed run asks for a rerun too; the failure is what matters
        log_problems = [p for p in log_problems if not _RERUN.search(p.message)]
        log_problems.append(Problem(engine, "error", f"pdflatex exited with code {code}"))
    problems += log_problems
    typeset = where.bbl_keys()
    for entry in entries:
        if entry.key.lower() not in typeset:
            problems.append(Problem(engine, "error", f"entry {entry.key!r} is not in the bibliography "
                                    f"({backend} left it out)", entry.key, entry.line))
    pdf = workdir / "doc.pdf"
    text = ""
    if pdf.exists():
        code, text = _run(["pdftotext", "-raw", "-enc", "UTF-8", "-nopgbrk", str(pdf), "-"], workdir)
        if code != 0:
            problems.append(Problem(engine, "error", f"pdftotext could not read the PDF: {text.strip()[-200:]}"))
            text = ""
    else:
        problems.append(Problem(engine, "error", "no PDF was written"))
    page = letters(text)
    found = 0
    for entry in entries:
        if not text or entry.title is None or entry.key.lower() not in typeset:
            continue
        if in_order(title_letters(entry.title), page):
            found += 1
            continue
        problems.append(Problem(engine, "error", f"the title of {entry.key!r} is not in the PDF "
                                "(cut, mangled or lost on the way)", entry.key, entry.title_line or entry.line))
    return EngineRun(engine, tuple(_unique(problems)), text, len(typeset), found, time.perf_counter() - started)


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    """One problem per (engine, entry, message), counted: one bad entry can trip TeX many times."""
    counts: dict[tuple[str, str, str | None, str], list[Problem]] = {}
    for problem in problems:
        if "==> Fatal error occurred" in problem.message:
            continue  # said by "no PDF was written"
        counts.setdefault((problem.engine, problem.severity, problem.key, problem.message.split(" near ")[0]),
                          []).append(problem)
    return [same[0] if len(same) == 1 else replace(same[0], message=f"{same[0].message} ({len(same)} times)")
            for same in counts.values()]


class _Locator:
    """Entry keys to .bib lines, and .bbl lines back to the entry being typeset there."""

    def __init__(self, entries: Sequence[BibEntry]) -> None:
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


_BIBTEX_FILE_LINE = re.compile(r"---?line (\d+) of file (\S+)")
_BIBTEX_WARNING_KEY = re.compile(r" in (\S+)$|for \"([^\"]+)\"|entry \"([^\"]+)\"")


def _bibtex_problems(engine: str, blg: str, where: _Locator) -> list[Problem]:
    problems: list[Problem] = []
    lines = blg.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Warning--"):
            message = line[len("Warning--"):].strip()
            found = _BIBTEX_WARNING_KEY.search(message)
            key, bib_line = where.entry(next((g for g in found.groups() if g), None) if found else None)
            follow = _BIBTEX_FILE_LINE.search(lines[index + 1]) if index + 1 < len(lines) else None
            if follow:
                bib_line = int(follow.group(1))
            problems.append(Problem(engine, "warning", f"bibtex: {message}", key, bib_line))
        elif (found := _BIBTEX_FILE_LINE.search(line)) and not line.startswith("--"):
            message = line[: found.start()].strip() or line.strip()
            context = " ".join(part.strip() for part in lines[index + 1 : index + 3] if part.strip()
                               and not part.startswith("I'm skipping"))
            problems.append(Problem(engine, "error", f"bibtex: {message}" + (f" near {context!r}" if context else ""),
                                    _key_near(where, int(found.group(1))), int(found.group(1))))
        elif re.match(r"\(There (?:was|were) \d+ error", line) and not any(p.severity == "error" for p in problems):
            problems.append(Problem(engine, "error", f"bibtex: {line.strip('()')}"))
    return problems


def _key_near(where: _Locator, bib_line: int) -> str | None:
    """The entry whose `@type{key,` is at or before a .bib line."""
    best: tuple[int, str] | None = None
    for key, line in where.lines.items():
        if line <= bib_line and (best is None or line > best[0]):
            best = (line, where.keys[key])
    return best[1] if best else None


_BIBER_MESSAGE = re.compile(r"^\[\d+\] [^>]*> (WARN|ERROR) - (.*)$")
_BIBER_KEY = re.compile(r"[Ee]ntry '([^']+)'|[Kk]ey '([^']+)'|citekey '([^']+)'")
_BIBER_LINE = re.compile(r"line (\d+)")


def _biber_problems(engine: str, blg: str, where: _Locator) -> list[Problem]:
    problems: list[Problem] = []
    for line in blg.splitlines():
        found = _BIBER_MESSAGE.match(line)
        if not found:
            continue
        severity = "error" if found.group(1) == "ERROR" else "warning"
        message = found.group(2).strip()
        message = re.sub(r"/\S*/refs\.bib_\d+\.utf8", "refs.bib", message)
        named = _BIBER_KEY.search(message)
        key, bib_line = where.entry(next((g for g in named.groups() if g), None) if named else None)
        if "refs.bib" in message and (at := _BIBER_LINE.search(message)):
            bib_line = int(at.group(1))
            key = key or _key_near(where, bib_line)
        problems.append(Problem(engine, severity, f"biber: {message}", key, bib_line))
    return problems


_FILE_LINE_ERROR = re.compile(r"^(?:\./)?([^\s:]+\.(?:bbl|tex|aux|bcf|sty|cls|def|cfg|fd)):(\d+): (.*)$")
_LOG_WARNING = re.compile(r"^(?:LaTeX|Package (\S+)|Class \S+) Warning: (.*)$")
_CITATION = re.compile(r"Citation [`']([^']*)' (?:on page \d+ )?undefined")


def _log_problems(engine: str, log: str, where: _Locator) -> list[Problem]:
    problems: list[Problem] = []
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
            problems.append(Problem(engine, "error", f"pdflatex: {message}" + (f" near {context!r}" if context else ""),
                                    key, bib_line))
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
            problems.append(Problem(engine, "warning", f"{'LaTeX' if not warning.group(1) else warning.group(1)}: "
                                    f"{text.strip()}", key, bib_line))
        elif line.startswith("Missing character:"):
            problems.append(Problem(engine, "warning", f"pdflatex: {line.strip()}"))
    return problems


def _shown_entry(lines: list[str], index: int, where: _Locator) -> str | None:
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


# ---------------------------------------------------------------------------- all engines


def check_bib(bib: Path, engines: Sequence[str] = tuple(ENGINES), workdir: Path | None = None,
              packages: Sequence[str] = PACKAGES) -> CheckResult:
    """Compile `bib` with each engine (in parallel, each in its own folder) and collect every problem.

    `workdir` keeps the runs' files (one sub-folder per engine) for a look afterwards; by
    default they go in a temporary folder that is removed. Engines whose tools are missing
    are not run; they are listed in `missing_tools`.
    """
    raw = bib.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = Problem("bib", "error", f"not UTF-8 (byte {raw[exc.start]:#04x}); save the file as UTF-8", line=line)
        return CheckResult(bib, (), (), (problem,))
    entries = tuple(read_entries(text))
    lint_problems = tuple(lint(text))
    absent = missing_tools(engines)
    runnable = [e for e in engines if not any(tool in absent for tool in tools_for(e))
                and "lmodern.sty" not in absent and not ("biblatex.sty" in absent and ENGINES[e][0] == "biber")]

    def run_all(base: Path) -> list[EngineRun]:
        with ThreadPoolExecutor(max_workers=max(1, len(runnable))) as pool:
            futures = [pool.submit(run_engine, e, text, entries, base / e, packages) for e in runnable]
            return [f.result() for f in futures]

    if workdir is not None:
        runs = run_all(workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="readinglist-latex-") as tmp:
            runs = run_all(Path(tmp))
    return CheckResult(bib, entries, tuple(runs), lint_problems, tuple(absent))


def latex_check_command(bib: Path, engines: str, strict: bool) -> int:
    """`readinglist latex-check BIB`: 0 clean, 1 problems, 2 cannot check.

    Anything the tools report fails (bibtex exits 0 on warnings; that is the point). The
    warnings of the quick reading of the .bib fail only with `strict`.
    """
    try:
        names = parse_engines(engines)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not bib.is_file():
        print(f"error: {bib}: no such file", file=sys.stderr)
        return 2
    result = check_bib(bib, names)
    for problem in result.problems:
        print(problem.format(str(bib)))
    sys.stdout.flush()
    for run in result.runs:
        total = sum(1 for e in result.entries if e.title)
        print(f"{run.engine}: {run.typeset}/{len(result.entries)} entries typeset, "
              f"{run.titles_found}/{total} titles in the PDF, "
              f"{sum(p.severity == 'error' for p in run.problems)} errors, "
              f"{sum(p.severity == 'warning' for p in run.problems)} warnings ({run.seconds:.1f} s)", file=sys.stderr)
    if result.missing_tools:
        print(f"error: cannot run {', '.join(e for e in names if e not in {r.engine for r in result.runs})}: "
              f"{', '.join(result.missing_tools)} not found. Install TeX Live, biber and poppler "
              f"(Debian/Ubuntu: apt-get install {' '.join(DEBIAN_PACKAGES)})", file=sys.stderr)
        return 2
    tool_problems = [p for run in result.runs for p in run.problems]
    if tool_problems or result.errors or (strict and result.problems):
        return 1
    print(f"{bib}: compiles cleanly with {', '.join(names)}" if not result.problems
          else f"{bib}: {len(result.problems)} warnings", file=sys.stderr)
    return 0
