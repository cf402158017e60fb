"""Regenerate the golden files the tests compare against: `python -m tests.regen_golden`.

* tests/golden/KEY.bib: each paper's entry as `readinglist bib --key KEY` writes it from the
  samples in bib/ (without the repo's key lock), for every KEY already there
  (tests/test_bibtex_golden.py);
* tests/fixtures/latex/logs/ENGINE/doc.{blg,log,bbl}: what real bibtex, biber and pdflatex
  write for tests/fixtures/latex/logs/source.bib (tests/test_latex_logs.py reads them back
  without running TeX). Temporary folder names become `TMP`, and run times and dates (biber's
  `[123]` milliseconds, its `=== date` line, pdfTeX's banner date) are blanked, so that
  running the command again changes nothing unless the tools' messages change.

Review the diff (`git diff tests/golden tests/fixtures/latex/logs`) before committing: a
golden file changes only when the output was meant to change.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs_readinglist.latex.check import check_bib
from mkdocs_readinglist.latex.run import missing_tools

from .helpers import REPO, copy_samples, run_cli

GOLDEN = REPO / "tests" / "golden"
LOGS = REPO / "tests" / "fixtures" / "latex" / "logs"
LOG_ENGINES = ("bibtex-plain", "biber")
LOG_FILES = ("doc.blg", "doc.log", "doc.bbl")


def regen_bibtex() -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory(prefix="readinglist-golden-") as tmp:
        root = Path(tmp)
        copy_samples(root)
        for golden in sorted(GOLDEN.glob("*.bib")):
            done = run_cli("bib", "bib/", "--key", golden.stem, cwd=root)
            if done.returncode != 0:
                raise SystemExit(f"readinglist bib --key {golden.stem} failed:\n{done.stderr}")
            golden.write_text(done.stdout, encoding="utf-8")
            written.append(golden)
    return written


def _steady(text: str) -> str:
    """The log without what changes from run to run (times and dates)."""
    text = re.sub(r"^\[\d+\] ", "[0] ", text, flags=re.MULTILINE)
    text = re.sub(r"(INFO - === ).*$", r"\1DATE", text, flags=re.MULTILINE)
    # biber says some things from one place in hash order: such runs of lines are sorted
    lines: list[str] = []
    for line in text.split("\n"):
        place = line.split("> ", 1)[0] if line.startswith("[0] ") else None
        run_start = len(lines)
        while place and run_start > 0 and lines[run_start - 1].split("> ", 1)[0] == place:
            run_start -= 1
        lines[run_start:] = sorted([*lines[run_start:], line]) if place else [*lines[run_start:], line]
    text = "\n".join(lines)
    return re.sub(r"^(This is pdfTeX, .*\)) +\d+ \w+ \d{4} \d\d:\d\d$", r"\1  DATE", text, flags=re.MULTILINE)


def regen_logs() -> list[Path]:
    if missing := missing_tools(LOG_ENGINES):
        raise SystemExit(f"cannot regenerate the LaTeX logs: {', '.join(missing)} not found")
    written = []
    with tempfile.TemporaryDirectory(prefix="readinglist-logs-") as tmp:
        work = Path(tmp).resolve()
        check_bib(LOGS / "source.bib", LOG_ENGINES, workdir=work)
        for engine in LOG_ENGINES:
            (LOGS / engine).mkdir(exist_ok=True)
            for name in LOG_FILES:
                text = (work / engine / name).read_text(encoding="utf-8", errors="replace")
                target = LOGS / engine / name
                target.write_text(_steady(text.replace(str(work), "TMP")), encoding="utf-8")
                written.append(target)
        shutil.rmtree(work, ignore_errors=True)
    return written


def main() -> int:
    for path in [*regen_bibtex(), *regen_logs()]:
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
