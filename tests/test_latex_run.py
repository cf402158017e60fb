"""latex.run and the `latex-check` command, in process: engines, the test document, counting
repeated problems, and what the command says on a machine without TeX (no TeX runs here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_readinglist.cli import main
from mkdocs_readinglist.latex.check import check_bib
from mkdocs_readinglist.latex.lint import problem
from mkdocs_readinglist.latex.run import ENGINES, _unique, document, parse_engines
from mkdocs_readinglist.model import Diagnostic, Severity


def test_parse_engines() -> None:
    assert parse_engines("biber, bibtex-plain,biber") == ["biber", "bibtex-plain"]
    with pytest.raises(ValueError, match="bibtex-apa"):
        parse_engines("bibtex-apa")
    with pytest.raises(ValueError, match="none given"):
        parse_engines(" , ")


def test_documents_cite_everything_with_each_backend() -> None:
    plain = document("bibtex-alpha", "refs.bib")
    assert "\\bibliographystyle{alpha}" in plain and "\\bibliography{refs}" in plain and "biblatex" not in plain
    biber = document("biber", "refs.bib")
    assert "\\usepackage[backend=biber,style=numeric]{biblatex}" in biber and "\\addbibresource{refs.bib}" in biber
    for text in (plain, biber):
        assert "\\nocite{*}" in text and "\\usepackage[T1]{fontenc}" in text and text.endswith("\\end{document}\n")
    assert set(ENGINES) == {"bibtex-plain", "bibtex-alpha", "biber"}


def test_one_bad_entry_tripping_tex_many_times_is_reported_once_and_counted() -> None:
    def tex(context: str, key: str = "k") -> Diagnostic:
        return problem("r.bib", "biber", Severity.ERROR, "latex-tex-error", "pdflatex: Missing $ inserted.", key, 3,
                       context)

    found = _unique([tex("a_b"), tex("c_d"), tex("e^f"), tex("x_y", key="other"),
                     problem("r.bib", "biber", Severity.ERROR, "latex-tex-error",
                             "pdflatex:  ==> Fatal error occurred, no output PDF file produced!")])
    assert [p.message for p in found] == [
        "[biber] pdflatex: Missing $ inserted. (entry 'k') near 'a_b' (3 times)",
        "[biber] pdflatex: Missing $ inserted. (entry 'other') near 'x_y'"]


def test_latex_check_without_tex_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a,\n  title = {A},\n  key = {a}\n}\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = check_bib(bib)
    assert result.runs == () and "pdflatex" in result.missing_tools and not result.ok
    assert main(["latex-check", str(bib), "--engines", "bibtex-plain,biber"]) == 2
    err = capsys.readouterr().err
    assert "pdflatex" in err and "apt-get install" in err and "texlive-bibtex-extra" in err


def test_latex_check_reports_bad_engines_and_missing_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["latex-check", str(tmp_path / "none.bib")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "a.bib").write_text("@misc{a, title={A}}\n", encoding="utf-8")
    assert main(["latex-check", str(tmp_path / "a.bib"), "--engines", "bibtex-apa"]) == 2
    assert "unknown engine(s) bibtex-apa" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_one_error_at_its_line(tmp_path: Path) -> None:
    bib = tmp_path / "latin1.bib"
    bib.write_bytes(b"@misc{a,\n  title = {Caf\xe9}\n}\n")
    result = check_bib(bib)
    assert [(p.line, p.severity, p.code) for p in result.problems] == [(2, Severity.ERROR, "latex-encoding")]
    assert "byte 0xe9" in result.problems[0].message and result.errors and not result.ok
