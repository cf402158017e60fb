"""The .bib sources are one database, as BibTeX reads `\\bibliography{a,b}`: a `@string` one file
defines serves the others (AMS's amsj.bib holds nothing else), a name two files define
otherwise keeps each file's meaning, and a crossref finds its entry in another file. Checked
with real bibtex on the export, against bibtex on the sources themselves."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .helpers import papers_json, run_cli, texlive


def _bbl(folder: Path, *bibs: str) -> str:
    """The .bbl real bibtex makes (plain style, every entry) from these .bib files, read in order."""
    names = ",".join(Path(b).with_suffix("").name if Path(b).parent == folder else str(Path(b).with_suffix(""))
                     for b in bibs)
    (folder / "doc.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{plain}}\n\\bibdata{{{names}}}\n", encoding="utf-8")
    run = subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, text=True, timeout=120)
    assert "error message" not in run.stdout, run.stdout
    return " ".join((folder / "doc.bbl").read_text(encoding="utf-8").split())


def _export(folder: Path, *sources: str) -> Path:
    run = run_cli("bib", *sources, "-o", "export.bib", "--lock", "keys.lock", cwd=folder)
    assert run.returncode == 0, run.stderr
    return folder / "export.bib"


def test_one_name_two_meanings_each_entry_keeps_its_files(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text('@string{jn = "Journal of Apples"}\n'
                                    "@article{a1, author={Ann Apple}, title={Apples}, journal=jn, year=2001}\n")
    (tmp_path / "b.bib").write_text('@string{jn = "Journal of Bananas"}\n'
                                    "@article{b1, author={Bob Banana}, title={Bananas}, journal=jn # { Letters},"
                                    " year=2002}\n")
    source = _bbl(tmp_path, "a.bib", "b.bib")
    assert "Journal of Apples" in source and "Journal of Bananas Letters" in source  # bibtex, on the sources
    export = _export(tmp_path, "a.bib", "b.bib")
    assert export.read_text().count("@string") == 1
    assert _bbl(tmp_path, "export.bib") == source
    check = run_cli("check", "-v", "a.bib", "b.bib", cwd=tmp_path)
    assert "b.bib:2: info[string-inlined]: journal: @string 'jn' is defined otherwise" in check.stderr


def test_a_file_of_strings_serves_the_others_texlive_amsj(tmp_path: Path) -> None:
    amsj = texlive("amsj.bib")
    (tmp_path / "mine.bib").write_text("@article{kac1966, author={Kac, Mark}, title={Can One Hear the Shape of a "
                                       "Drum?}, journal=amm, volume={73}, year={1966}, pages={1--23}}\n")
    export = _export(tmp_path, str(amsj), "mine.bib")
    assert "American Mathematical Monthly" in _bbl(tmp_path, "export.bib")
    blg = (tmp_path / "doc.blg").read_text()
    assert "undefined" not in blg and "empty journal" not in blg, blg
    assert export.read_text().count("@string") == 1  # the one it uses, not amsj's 92
    paper = papers_json(str(amsj), "mine.bib", cwd=tmp_path)[0]
    assert paper["venue"].endswith("American Mathematical Monthly")
    check = run_cli("check", "-v", "--strict", str(amsj), "mine.bib", cwd=tmp_path)
    assert check.returncode == 0, check.stderr  # a file of strings is no warning
    assert "info[strings-only]" in check.stderr
    alone = run_cli("check", "mine.bib", cwd=tmp_path)
    assert "mine.bib:1: warning[undefined-string]: @string 'amm' is defined in no .bib file" in alone.stderr


def test_a_crossref_to_another_files_entry_is_kept_and_inherited(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@inproceedings{child, author={Cy Child}, title={Child Paper}, "
                                    "crossref={conf2020}, pages={1--2}}\n")
    (tmp_path / "b.bib").write_text("@proceedings{conf2020, title={Proceedings of Conf 2020}, booktitle={Proceedings "
                                    "of Conf 2020}, editor={Ed Itor}, publisher={Pub}, year=2020}\n")
    source = _bbl(tmp_path, "a.bib", "b.bib")
    export = _export(tmp_path, "a.bib", "b.bib")
    assert "crossref = {conf2020}" in export.read_text()
    assert _bbl(tmp_path, "export.bib") == source
    assert "In Itor \\cite{conf2020}, pages 1--2" in source  # bibtex found the parent in the other file
    child = next(p for p in papers_json("a.bib", "b.bib", cwd=tmp_path) if p["key"] == "child")
    assert (child["venue"], child["year"]) == ("Proceedings of Conf 2020", 2020)
    assert "missing-crossref" not in run_cli("check", "a.bib", "b.bib", cwd=tmp_path).stderr
    assert "warning[missing-crossref]" in run_cli("check", "a.bib", cwd=tmp_path).stderr  # alone: still missing
