"""`readinglist bib --aux`: only what a LaTeX run cited, unknown keys listed (no TeX needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.latex.aux import citations, cited_keys

from .helpers import copy_samples, papers_json, run_cli


def _bib_keys(text: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", text, re.M)


def _entry_keys(path: Path) -> list[str]:
    import bibtexparser

    return sorted(entry.key for entry in bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries)


def test_bibtex_aux_keys_in_first_cited_order_with_included_parts(tmp_path: Path) -> None:
    (tmp_path / "paper.aux").write_text(
        "\\relax\n\\citation{b,a}\n\\@input{intro.aux}\n\\citation{a}\n\\citation{ c , d }\n\\bibdata{refs}\n")
    (tmp_path / "intro.aux").write_text("\\relax\n\\citation{e}\n\\citation{b}\n\\@input{paper.aux}\n")
    found = citations(tmp_path / "paper.aux")
    assert [c.key for c in found] == ["b", "a", "e", "c", "d"]
    assert [(Path(c.file).name, c.line) for c in found] == [
        ("paper.aux", 2), ("paper.aux", 2), ("intro.aux", 2), ("paper.aux", 5), ("paper.aux", 5)]


def test_biblatex_aux_and_bcf(tmp_path: Path) -> None:
    (tmp_path / "new.aux").write_text("\\abx@aux@cite{0}{x}\n\\abx@aux@segm{0}{0}{x}\n\\abx@aux@cite{0}{y}\n")
    assert cited_keys(tmp_path / "new.aux") == ["x", "y"]
    (tmp_path / "doc.aux").write_text("\\relax\n\\abx@aux@refcontext{nyt/global//global/global}\n")
    (tmp_path / "doc.bcf").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bcf:controlfile version="3.9" xmlns:bcf="https://sourceforge.net/projects/biblatex">\n'
        '  <bcf:section number="0">\n'
        '    <bcf:citekey order="1" intorder="1">q</bcf:citekey>\n'
        '    <bcf:citekey order="2" intorder="1">p</bcf:citekey>\n'
        '    <bcf:citekey order="3" intorder="1">q</bcf:citekey>\n'
        '  </bcf:section>\n</bcf:controlfile>\n')
    found = citations(tmp_path / "doc.aux")  # no keys in the .aux: the .bcf beside it
    assert [(c.key, c.line) for c in found] == [("q", 4), ("p", 5)]
    assert cited_keys(tmp_path / "doc.bcf") == ["q", "p"]


def test_missing_or_unreadable_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        citations(tmp_path / "nothing.aux")
    (tmp_path / "bad.bcf").write_text("<bcf:controlfile")
    with pytest.raises(ValueError):
        citations(tmp_path / "bad.bcf")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    work = tmp_path_factory.mktemp("aux-corpus")
    bib = copy_samples(work)
    assert run_cli("bib", str(bib), "-o", str(work / "all.bib"), cwd=work).returncode == 0
    return bib, [p["key"] for p in papers_json(str(bib), cwd=work)]


def test_bib_aux_writes_only_the_cited_keys_sorted_and_lists_unknown_ones(
        corpus: tuple[Path, list[str]], tmp_path: Path) -> None:
    bib, keys = corpus
    chosen = [keys[40], keys[3], keys[100]]
    aux = tmp_path / "paper.aux"
    aux.write_text(f"\\relax\n\\citation{{{chosen[0]},nosuchpaper2031}}\n\\citation{{{chosen[1]}}}\n"
                   f"\\citation{{{chosen[2]},{chosen[0]}}}\n\\bibstyle{{plain}}\n")
    out = tmp_path / "paper.bib"
    done = run_cli("bib", str(bib), "--aux", str(aux), "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _bib_keys(out.read_text(encoding="utf-8")) == sorted(chosen, key=str.lower)
    assert f"{aux}:2: warning[cited-key-missing]: cited key 'nosuchpaper2031' is not in the corpus" in done.stderr
    again = run_cli("bib", str(bib), "--aux", str(aux), "-o", "-", cwd=tmp_path)
    assert again.stdout == out.read_text(encoding="utf-8")  # the same bytes every run


MINI_BIB = """\
@article{smith2020pose,
  author = {Ann Smith}, title = {Pose Estimation for Everyone}, journal = {Journal of Tests}, year = {2020}
}
@article{jones2021hands,
  author = {Bob Jones}, title = {Hands in the Wild}, journal = {Journal of Tests}, year = {2021}
}
@article{white2022gait,
  author = {Carol White}, title = {Gait at a Distance}, journal = {Journal of Tests}, year = {2022}
}
"""


def test_bib_aux_strict_case_mismatch_nocite_star_and_empty_aux(tmp_path: Path) -> None:
    """On a source without warnings, so that `--strict` fails only on the citations."""
    source = tmp_path / "refs"
    source.mkdir()
    (source / "mine.bib").write_text(MINI_BIB, encoding="utf-8")
    aux = tmp_path / "paper.aux"
    aux.write_text("\\citation{white2022gait,jones2021hands}\n")
    done = run_cli("bib", str(source), "--aux", str(aux), "-o", "-", "--strict", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _bib_keys(done.stdout) == ["jones2021hands", "white2022gait"]
    aux.write_text("\\citation{Smith2020Pose}\n\\citation{nobody1999}\n")
    done = run_cli("bib", str(source), "--aux", str(aux), "-o", "-", cwd=tmp_path)
    assert done.returncode == 0 and _bib_keys(done.stdout) == ["smith2020pose"]
    assert f"{aux}:1: warning[cited-key-case]: cited key 'Smith2020Pose' is 'smith2020pose'" in done.stderr
    assert f"{aux}:2: warning[cited-key-missing]: cited key 'nobody1999' is not in the corpus" in done.stderr
    assert run_cli("bib", str(source), "--aux", str(aux), "-o", "-", "--strict", cwd=tmp_path).returncode == 1
    aux.write_text("\\citation{*}\n")
    done = run_cli("bib", str(source), "--aux", str(aux), "-o", "-", "--strict", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _bib_keys(done.stdout) == ["jones2021hands", "smith2020pose", "white2022gait"]
    aux.write_text("\\relax\n")
    done = run_cli("bib", str(source), "--aux", str(aux), "-o", "-", "--strict", cwd=tmp_path)
    assert done.stdout == "" and "no citations found" in done.stderr and done.returncode == 1
    missing = run_cli("bib", str(source), "--aux", str(tmp_path / "none.aux"), "-o", "-", cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_an_included_part_whose_aux_is_missing_is_a_warning(tmp_path: Path) -> None:
    """A real pdflatex run of a document with `\\include{ch1}`, then ch1.aux deleted (the part not
    compiled this time): its citations are unknown and bibtex stops on it; the export said
    nothing."""
    import shutil
    import subprocess

    from .helpers import texlive

    shutil.copy(texlive("xampl.bib"), tmp_path / "xampl.bib")
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nMain \\cite{book-full}.\n\\include{ch1}\n"
        "\\bibliographystyle{plain}\n\\bibliography{xampl}\n\\end{document}\n", encoding="utf-8")
    (tmp_path / "ch1.tex").write_text("Chapter \\cite{article-full}.\n", encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "main.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert (tmp_path / "ch1.aux").is_file(), run.stdout[-2000:]
    line = next(n for n, text in enumerate((tmp_path / "main.aux").read_text().splitlines(), start=1)
                if "\\@input{ch1.aux}" in text)
    whole = run_cli("bib", "xampl.bib", "--aux", "main.aux", "-o", "cited.bib", cwd=tmp_path)
    assert whole.returncode == 0 and "aux-part-missing" not in whole.stderr, whole.stderr
    assert _entry_keys(tmp_path / "cited.bib") == ["article-full", "book-full"]
    (tmp_path / "ch1.aux").unlink()
    part = run_cli("bib", "xampl.bib", "--aux", "main.aux", "-o", "cited.bib", cwd=tmp_path)
    assert f"main.aux:{line}: warning[aux-part-missing]: ch1.aux is not there" in part.stderr, part.stderr
    assert _entry_keys(tmp_path / "cited.bib") == ["book-full"]


def test_a_biblatex_nocite_star_in_the_aux_exports_every_paper(tmp_path: Path) -> None:
    """A real pdflatex run of a biblatex document with `\\cite{book-full}\\nocite{*}`: its .aux
    has `\\abx@aux@cite{0}{book-full}` and `\\abx@aux@nociteall`; the export held book-full
    only (docs/latex.md: "`\\nocite{*}` exports every paper")."""
    import shutil
    import subprocess

    from .helpers import texlive

    shutil.copy(texlive("xampl.bib"), tmp_path / "xampl.bib")
    (tmp_path / "all.tex").write_text(
        "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n\\addbibresource{xampl.bib}\n"
        "\\begin{document}\n\\cite{book-full}\\nocite{*}\n\\printbibliography\n\\end{document}\n", encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "all.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    aux = (tmp_path / "all.aux").read_text(encoding="utf-8")
    assert "\\abx@aux@nociteall" in aux, run.stdout[-2000:]
    (tmp_path / "all.bcf").unlink()  # the .aux alone says it
    assert cited_keys(tmp_path / "all.aux") == ["book-full", "*"]
    done = run_cli("bib", "xampl.bib", "--aux", "all.aux", "-o", "cited.bib", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    every = run_cli("bib", "xampl.bib", "-o", "every.bib", cwd=tmp_path)
    assert every.returncode == 0
    assert len(_entry_keys(tmp_path / "cited.bib")) > 30
    assert _entry_keys(tmp_path / "cited.bib") == _entry_keys(tmp_path / "every.bib")
