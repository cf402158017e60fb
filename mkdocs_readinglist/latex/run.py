"""Running the TeX tools on a .bib: pdflatex + bibtex (styles `plain`, `alpha`) or
pdflatex + biblatex + biber (`numeric`), with T1 fonts, UTF-8 input and Latin Modern (the
preamble of most papers), on a document that `\\nocite{*}`s the .bib.

pdflatex runs with `-interaction=nonstopmode -file-line-error` but *without*
`-halt-on-error`, so that one run reports every broken entry instead of the first; a time
limit stops a run that never ends. A run is judged on all of its outputs (latex.logs), not
on exit codes alone: bibtex exits 0 on warnings, an unescaped `%` silently cuts a title, and
after a biber failure pdflatex still exits 0 and prints `[?]`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import Diagnostic, Severity
from .lint import BibEntry, problem
from .logs import Locator, in_order, letters, read_biber_blg, read_bibtex_blg, read_latex_log, title_letters

ENGINES: dict[str, tuple[str, str]] = {
    # name: (backend, style)
    "bibtex-plain": ("bibtex", "plain"),
    "bibtex-alpha": ("bibtex", "alpha"),
    "biber": ("biber", "numeric"),
}
# The preamble most papers have; hyperref (which loads url) for the `\\url{...}` and `\\href{..}{..}`
# a field may hold (howpublished, note): without it each is an undefined control sequence.
PACKAGES = ("[T1]{fontenc}", "[utf8]{inputenc}", "{lmodern}", "{hyperref}")
DEBIAN_PACKAGES = ("texlive-latex-base", "texlive-latex-recommended", "texlive-bibtex-extra", "biber",
                   "lmodern", "poppler-utils")
TIMEOUT = 300.0  # seconds for one tool run
MAX_LATEX_RUNS = 3  # after the backend: run again while the log asks for a rerun


@dataclass(frozen=True, slots=True)
class EngineRun:
    """One engine's verdict: its problems, the PDF's text, and how many entries it typeset."""

    engine: str
    problems: tuple[Diagnostic, ...]
    pdf_text: str = ""
    typeset: int = 0  # entries in the .bbl
    titles_found: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------------------- the tools


def tools_for(engine: str) -> tuple[str, ...]:
    backend = ENGINES[engine][0]
    return ("pdflatex", backend, "pdftotext")


def missing_tools(engines: Sequence[str] | dict[str, tuple[str, str]] = ENGINES) -> list[str]:
    """Programs (and LaTeX packages) the engines need that this machine does not have."""
    needed = dict.fromkeys(tool for engine in engines for tool in tools_for(engine))
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if "pdflatex" not in missing and shutil.which("kpsewhich"):
        packages = ["lmodern.sty", "hyperref.sty", *(["biblatex.sty"] if "biber" in engines else [])]
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
               packages: Sequence[str] = PACKAGES, file: str = "refs.bib") -> EngineRun:
    """Compile `bib_text` in `workdir` with one engine and judge every output; problems name
    `file` (the .bib the text was read from)."""
    started = time.perf_counter()
    backend, _ = ENGINES[engine]
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib_text, encoding="utf-8")
    (workdir / "doc.tex").write_text(document(engine, "refs.bib", packages), encoding="utf-8")
    problems: list[Diagnostic] = []
    where = Locator(entries, file)

    def failed(message: str, code: str = "latex-tool-failed", key: str | None = None,
               line: int | None = None) -> Diagnostic:
        return problem(file, engine, Severity.ERROR, code, message, key, line)

    def fail(message: str) -> EngineRun:
        problems.append(failed(message))
        return EngineRun(engine, tuple(problems), seconds=time.perf_counter() - started)

    code, output = _run([*_LATEX, "doc.tex"], workdir)
    if code != 0 and not (workdir / "doc.aux").exists():
        return fail(f"pdflatex failed before reading the bibliography (exit {code}): {output[-300:]}")
    code, output = _run([backend, "doc"], workdir)
    blg = workdir / "doc.blg"
    blg_text = blg.read_text(encoding="utf-8", errors="replace") if blg.exists() else ""
    problems += (read_bibtex_blg if backend == "bibtex" else read_biber_blg)(engine, blg_text, where)
    if code != 0:
        problems.append(failed(f"{backend} exited with code {code}"
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
    log_problems = read_latex_log(engine, log_text, where)
    if code != 0:  # a failed run asks for a rerun too; the failure is what matters
        log_problems = [p for p in log_problems if not _RERUN.search(p.message)]
        log_problems.append(failed(f"pdflatex exited with code {code}"))
    problems += log_problems
    typeset = where.bbl_keys()
    for entry in entries:  # (biblatex never prints an @xdata entry: it lends its fields to others)
        if entry.key.lower() not in typeset and entry.entry_type != "xdata":
            problems.append(failed(f"entry {entry.key!r} is not in the bibliography ({backend} left it out)",
                                   "latex-entry-dropped", entry.key, entry.line))
    pdf = workdir / "doc.pdf"
    text = ""
    if pdf.exists():
        code, text = _run(["pdftotext", "-raw", "-enc", "UTF-8", "-nopgbrk", str(pdf), "-"], workdir)
        if code != 0:
            problems.append(failed(f"pdftotext could not read the PDF: {text.strip()[-200:]}"))
            text = ""
    else:
        problems.append(failed("no PDF was written", "latex-no-pdf"))
    page = letters(text)
    found = 0
    for entry in entries:
        if not text or entry.title is None or entry.key.lower() not in typeset:
            continue
        if in_order(title_letters(entry.title), page):
            found += 1
            continue
        problems.append(failed(f"the title of {entry.key!r} is not in the PDF (cut, mangled or lost on the way)",
                               "latex-title-lost", entry.key, entry.title_line or entry.line))
    return EngineRun(engine, tuple(_unique(problems)), text, len(typeset), found, time.perf_counter() - started)


def _unique(problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One problem per (engine, entry, message), counted: one bad entry can trip TeX many times.
    (A message leads with its engine and names its entry before the ` near ` context.)"""
    counts: dict[tuple[Severity, str, str], list[Diagnostic]] = {}
    for found in problems:
        if "==> Fatal error occurred" in found.message:
            continue  # said by "no PDF was written"
        counts.setdefault((found.severity, found.code, found.message.split(" near ")[0]), []).append(found)
    return [same[0] if len(same) == 1 else replace(same[0], message=f"{same[0].message} ({len(same)} times)")
            for same in counts.values()]

