"""LaTeX's own commands are not "undefined macros": environments, symbols, TeX primitives,
biblatex's and babel's commands go out as written; a logo LaTeX does not define (`\\BibTeX`)
is written as what it prints; an undefined macro with an argument leaves its argument. On
TeX Live's jurabib and Beebe bibliographies in place, and real pdflatex + bibtex."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.latex.decode import decode_latex

from .helpers import papers_json, run_cli, texlive
from .test_bib_round_trip import _undefined_citations


def _export(folder: Path, source: Path) -> tuple[str, str]:
    run = run_cli("bib", str(source), "-o", "export.bib", "--lock", "keys.lock", cwd=folder)
    assert run.returncode == 0, run.stderr
    return (folder / "export.bib").read_text(encoding="utf-8"), run.stderr


def test_an_itemize_in_jurabibs_annote_goes_out_as_written(tmp_path: Path) -> None:
    book = texlive("jbtest.bib").parent / "book.bib"  # jurabib's (kpsewhich finds another book.bib first)
    text, report = _export(tmp_path, book)
    assert "\\begin{itemize}\\item You are able to use lists inside the annote field\\end{itemize}" in text
    assert "begin{itemize}\\item" not in text.replace("\\begin{itemize}", "")
    assert not re.search(r"undefined LaTeX macro \\(begin|end|item)\b", report), report


def test_an_undefined_macro_with_an_argument_leaves_its_argument_beebe_type_bib(tmp_path: Path) -> None:
    text, report = _export(tmp_path, texlive("type.bib"))
    assert "{Meisterbuch der Schrift} by Otto Maier" in text and "titleref" not in text
    assert re.search(r"type\.bib:\d+: warning\[bib-undefined-macro\]: \w+: undefined LaTeX macro \\titleref", report)


SYMBOLS = r"""@book{symbols, author={Ann Author}, title={Rules, \S 3 and \P 4, \copyright{} 1999, a \textless{} b},
  publisher={P}, year={1999}}
@book{logos, author={Bo Writer}, title={Using {\BibTeX} and {\XeLaTeX} with {\TeX book} tricks}, publisher={P},
  year={2001}}
@book{biblatex, author={Cy Author}, title={Pages}, publisher={P}, year={2002}, note={pp. 3\psq}}
"""


@pytest.mark.latex
def test_symbols_stay_logos_compile_and_pages_show_what_latex_prints(tmp_path: Path) -> None:
    source = tmp_path / "mine.bib"
    source.write_text(SYMBOLS, encoding="utf-8")
    text, report = _export(tmp_path, source)
    assert r"\S 3 and \P 4, \copyright{} 1999, a \textless{} b" in text and r"3\psq" in text
    assert "Using {Bib\\TeX} and {Xe\\LaTeX} with {\\TeX book} tricks" in text
    assert "mine.bib:3: warning[bib-undefined-macro]: title: undefined LaTeX macro \\BibTeX" in report
    assert not re.search(r"macro \\(S|P|copyright|textless|psq)\b", report), report
    # pdflatex stops on \BibTeX in the source's .bbl; the export's compiles (biblatex's \psq is for biblatex)
    _undefined_citations(tmp_path / "tex", source, ["symbols", "logos"], "bibtex")
    assert "! Undefined control sequence" in (tmp_path / "tex" / "bibtex-mine" / "doc.log").read_text("latin-1")
    assert _undefined_citations(tmp_path / "tex", tmp_path / "export.bib", ["symbols", "logos"], "bibtex") == []
    log = (tmp_path / "tex" / "bibtex-export" / "doc.log").read_text("latin-1")
    assert "! " not in log and "Output written on doc.pdf" in log
    titles = {p["key"]: p["title"] for p in papers_json(str(source), cwd=tmp_path)}
    assert titles["symbols"] == "Rules, §3 and ¶4, © 1999, a < b"  # TeX's rule: `\S 3` prints "§3"
    assert titles["logos"] == "Using BibTeX and XeLaTeX with TeXbook tricks"


def test_scraped_prose_keeps_its_words_apart() -> None:
    assert decode_latex(r"\TeX and more", tie_is_space=True).text == "TeXand more"  # LaTeX source: TeX's rule
    assert decode_latex(r"\TeX and more").text == "TeX and more"  # a listing's text
