"""biblatex's `ids` (the keys an entry had before): `\\cite{oldkey}` finds the entry with biber, so
`readinglist bib --aux` selects it, and `[@oldkey]` in a page cites it; never another paper's own
key. Real pdflatex + biber, and a real MkDocs build."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .helpers import mkdocs_build, run_cli

REFS = """@online{arxiv2023,
  author = {Zhang, Wei and Li, Na},
  title = {Diffusion for Human Motion},
  date = {2023-05-17},
  eprint = {2305.12345},
  eprinttype = {arxiv},
  ids = {zhang2023diffusion, zhang2023},
}

@article{lee2020,
  author = {Lee, Bo},
  title = {Pose in the Wild},
  journaltitle = {IJCV},
  date = {2020},
  ids = {arxiv2023},
}
"""


@pytest.mark.latex
def test_a_document_citing_an_old_key_gets_the_entry_through_aux_and_biber(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n\\addbibresource{export.bib}\n"
        "\\begin{document}\nAs shown by \\cite{zhang2023diffusion}.\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "paper.tex"]
    subprocess.run(latex, cwd=tmp_path, capture_output=True, timeout=300)
    run = run_cli("bib", "refs.bib", "--aux", "paper.aux", "-o", "export.bib", "--lock", "keys.lock", cwd=tmp_path)
    assert run.returncode == 0 and "wrote 1 entry to" in run.stderr, run.stderr
    assert "@online{arxiv2023," in (tmp_path / "export.bib").read_text(encoding="utf-8")
    subprocess.run(["biber", "paper"], cwd=tmp_path, capture_output=True, timeout=300)
    for _ in range(2):  # biblatex asks for a rerun once the .bbl is there
        subprocess.run(latex, cwd=tmp_path, capture_output=True, timeout=300)
    log = (tmp_path / "paper.log").read_text(encoding="latin-1")
    assert "There were undefined" not in log and "Output written on paper.pdf" in log, log[-2000:]
    assert "Diffusion for Human Motion" in (tmp_path / "paper.bbl").read_text(encoding="utf-8")


def test_a_page_cites_an_entry_by_its_old_key_but_never_another_papers_own(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Survey\n\nMotion [@zhang2023] and [@arxiv2023].\n",
                                                encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: s\ntheme: {name: material}\nplugins:\n  - readinglist:\n"
                                         "      sources: [bib]\n", encoding="utf-8")
    built = mkdocs_build(tmp_path, "--strict")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # both name arxiv2023 (lee2020's `ids` claims its key: the paper whose own key it is keeps it)
    assert page.count("reading-list/papers/arxiv2023/") >= 2 and "papers/lee2020/" not in page
