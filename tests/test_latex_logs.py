"""latex.logs: the tools' outputs read back in process, on real bibtex, biber and pdflatex output.

The .blg/.log/.bbl files under tests/fixtures/latex/logs/ were written by real TeX Live for
source.bib there (`python -m tests.regen_golden` writes them again); no TeX runs here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_readinglist.latex.lint import read_entries
from mkdocs_readinglist.latex.logs import (
    Locator,
    in_order,
    letters,
    read_biber_blg,
    read_bibtex_blg,
    read_latex_log,
    title_letters,
)
from mkdocs_readinglist.model import Diagnostic, Severity

LOGS = Path(__file__).parent / "fixtures" / "latex" / "logs"
SOURCE = (LOGS / "source.bib").read_text(encoding="utf-8")


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def _locator(engine: str, backend: str) -> Locator:
    where = Locator(read_entries(SOURCE), "source.bib")
    where.read_bbl((LOGS / engine / "doc.bbl").read_text(encoding="utf-8"), backend)
    return where


def _read(name: str, engine: str) -> str:
    return (LOGS / engine / name).read_text(encoding="utf-8")


def _found(problems: list[Diagnostic]) -> list[tuple[int, Severity, str]]:
    return [(p.line, p.severity, p.code) for p in problems]


def test_locator_maps_keys_to_bib_lines_and_bbl_lines_to_entries() -> None:
    where = _locator("bibtex-plain", "bibtex")
    assert where.entry("AMP2022") == ("amp2022", _line(SOURCE, "@inproceedings{amp2022"))
    assert where.entry("nowhere") == ("nowhere", None) and where.entry(None) == (None, None)
    assert where.bbl_keys() == {"good2020", "percent2021", "amp2022", "nojournal2023"}
    bbl = _read("doc.bbl", "bibtex-plain").splitlines()
    pose = next(n for n, line in enumerate(bbl, start=1) if "Pose &" in line)
    assert where.at_bbl_line(pose) == "amp2022"
    assert where.at_bbl_line(1) is None  # before the first \bibitem


def test_bibtex_blg_warnings_and_errors_at_their_bib_lines() -> None:
    found = read_bibtex_blg("bibtex-plain", _read("doc.blg", "bibtex-plain"), _locator("bibtex-plain", "bibtex"))
    repeated = _line(SOURCE, "@misc{good2020")
    assert _found(found) == [(repeated, Severity.ERROR, "latex-bibtex-error"),
                             (_line(SOURCE, "@article{nojournal2023"), Severity.WARNING, "latex-bibtex-warning")]
    assert "Repeated entry" in found[0].message and "@misc{good2020" in found[0].message
    assert found[1].message == "[bibtex-plain] bibtex: empty journal in nojournal2023"
    assert {p.file for p in found} == {"source.bib"}


def test_biber_blg_warning_is_read_with_its_level() -> None:
    found = read_biber_blg("biber", _read("doc.blg", "biber"), _locator("biber", "biber"))
    assert [(p.severity, p.code) for p in found] == [(Severity.WARNING, "latex-biber-warning")]
    assert "Duplicate entry key: 'good2020'" in found[0].message and found[0].message.startswith("[biber] biber: ")
    assert "INFO" not in found[0].message


def test_bibtex_run_log_names_the_entry_with_the_unescaped_ampersand() -> None:
    found = read_latex_log("bibtex-plain", _read("doc.log", "bibtex-plain"), _locator("bibtex-plain", "bibtex"))
    errors = [p for p in found if p.severity is Severity.ERROR]
    assert _found(errors) == [(_line(SOURCE, "@inproceedings{amp2022"), Severity.ERROR, "latex-tex-error")]
    assert "Misplaced alignment tab character" in errors[0].message and "'amp2022'" in errors[0].message
    assert errors[0].message.endswith("near '\\\\newblock Pose &'")
    assert {p.code for p in found if p.severity is Severity.WARNING} == {"latex-tex-warning"}


def test_biber_run_log_traces_a_runaway_percent_to_its_entry() -> None:
    found = read_latex_log("biber", _read("doc.log", "biber"), _locator("biber", "biber"))
    runaway = [p for p in found if "braces do not close" in p.message]
    assert _found(runaway) == [(_line(SOURCE, "@article{percent2021"), Severity.ERROR, "latex-tex-error")]
    assert "'percent2021'" in runaway[0].message
    assert not any("amp2022" in p.message for p in found)  # the % swallowed the rest of the .bbl
    assert all(p.code == "latex-tex-error" for p in found if p.severity is Severity.ERROR)


@pytest.mark.parametrize(("latex", "page", "found"), [
    ("{Caf{\\'e} {\\O}berg Dvo{\\v{r}}{\\'a}k}", "[1] A. Caf´e Øberg Dvoˇr´ak. Journal", True),  # accents as glyphs
    ("{Caf{\\'e} {\\O}berg Dvo{\\v{r}}{\\'a}k}", "[1] A. Café Øberg Dvořák. Journal", True),
    ("Reducing 50% of {$x_i^2$} errors", "Reducing 50% of x2 i errors", True),  # math left out
    ("Reducing 50% of {$x_i^2$} errors", "Reducing 50", False),  # cut by the %
    ("Pose \\& Shape", "Shape & Pose", False),  # order matters
])
def test_titles_are_looked_for_on_letters_and_digits_in_order(latex: str, page: str, found: bool) -> None:
    assert in_order(title_letters(latex), letters(page)) is found


def test_title_letters_and_page_letters_agree_on_what_pdftotext_shows() -> None:
    assert title_letters("{Caf{\\'e} {\\O}berg Dvo{\\v{r}}{\\'a}k}") == [letters("Café Øberg Dvořák")]
    assert title_letters("Reducing 50% of {$x_i^2$} errors") == ["reducing50of", "errors"]  # % is literal
    assert letters("Recog-\nnition ﬁne x^2 xˆ2") == "recognitionfinex2x2"
