"""Compile a .bib with real LaTeX and report what the tools reject, silently mangle or drop.

Python BibTeX parsers accept entries that LaTeX rejects, and the TeX tools themselves hide
problems, so the check has three parts, each its own module:

* latex.lint reads the .bib itself: its entries (keys, lines, titles) and the exact line of
  what LaTeX will trip on (unescaped `%`, which truncates without any error, and `& # _ ^`
  outside math), as warnings; the compile decides;
* latex.run compiles a document that `\\nocite{*}`s the .bib with each engine (pdflatex +
  bibtex `plain`/`alpha`, pdflatex + biblatex + biber `numeric`);
* latex.logs reads every output of a run (the .blg, the final .log, the .bbl, the PDF's
  text) and traces each problem back to its entry and .bib line.

Every problem is a `Diagnostic` with a code. Library code: nothing here prints; the CLI
(`readinglist latex-check`) prints the result.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..model import Diagnostic, Severity
from .lint import BibEntry, lint, problem, read_entries
from .run import ENGINES, PACKAGES, EngineRun, missing_tools, run_engine, tools_for


@dataclass(frozen=True, slots=True)
class CheckResult:
    bib: Path
    entries: tuple[BibEntry, ...]
    runs: tuple[EngineRun, ...]
    lint: tuple[Diagnostic, ...] = ()
    missing_tools: tuple[str, ...] = ()

    @property
    def problems(self) -> list[Diagnostic]:
        found = [*self.lint, *(p for run in self.runs for p in run.problems)]
        return sorted(found, key=lambda p: (not p.line, p.line, p.message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.missing_tools


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
        not_utf8 = problem(str(bib), "bib", Severity.ERROR, "latex-encoding",
                           f"not UTF-8 (byte {raw[exc.start]:#04x}); save the file as UTF-8", line=line)
        return CheckResult(bib, (), (), (not_utf8,))
    entries = tuple(read_entries(text))
    lint_problems = tuple(lint(text, str(bib)))
    absent = missing_tools(engines)
    runnable = [e for e in engines if not any(tool in absent for tool in tools_for(e))
                and "lmodern.sty" not in absent and not ("biblatex.sty" in absent and ENGINES[e][0] == "biber")]

    def run_all(base: Path) -> list[EngineRun]:
        with ThreadPoolExecutor(max_workers=max(1, len(runnable))) as pool:
            futures = [pool.submit(run_engine, e, text, entries, base / e, packages, str(bib)) for e in runnable]
            return [f.result() for f in futures]

    if workdir is not None:
        runs = run_all(workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="readinglist-latex-") as tmp:
            runs = run_all(Path(tmp))
    return CheckResult(bib, entries, tuple(runs), lint_problems, tuple(absent))
