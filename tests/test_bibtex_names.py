"""Names given in an overrides file (or by a listing or a service) as BibTeX reads them in the
export (render/bibtex.py, text.bibtex_name): a suffix (`Martin Luther King, Jr.`, `Martin
Luther King Jr.`) is BibTeX's `King, Jr., Martin Luther`, not a first name `Jr.` or a last
name `Jr.`; an organisation in braces (`{Google DeepMind}`) stays one name in braces.

Checked with real bibtex runs (plain and abbrv) on the export of the seed arXiv listing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mkdocs_readinglist.text import bibtex_name

from .helpers import papers_json, run_cli

SEED = Path(__file__).parent.parent / "bib" / "arxiv-close-interaction.txt"

OVERRIDES = """papers:
  "2507.02565":
    title: Paper One
    authors: [Martin Luther King, Jr., Ann Lee]
  "2502.03836":
    title: Paper Two
    authors: ["Martin Luther King Jr.", "{Google DeepMind}"]
  "2404.11291":
    title: Paper Three
    authors: ["Ludwig van Beethoven, Jr.", "{Google DeepMind}"]
"""


def _bbl(folder: Path, style: str) -> str:
    (folder / f"{style}.tex").write_text(
        f"\\documentclass{{article}}\n\\begin{{document}}\n\\nocite{{*}}\n\\bibliographystyle{{{style}}}\n"
        "\\bibliography{out}\n\\end{document}\n", encoding="utf-8")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", f"{style}.tex"], cwd=folder, capture_output=True,
                   timeout=300)
    run = subprocess.run(["bibtex", style], cwd=folder, capture_output=True, text=True, timeout=300)
    assert "error message" not in run.stdout, run.stdout
    return " ".join((folder / f"{style}.bbl").read_text(encoding="utf-8").split())


def test_suffixes_and_organisations_reach_bibtex_as_meant(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "listing.txt")
    (tmp_path / "overrides.yml").write_text(OVERRIDES, encoding="utf-8")
    result = run_cli("bib", "listing.txt", "overrides.yml", "--lock", "keys.lock", "-o", "out.bib", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # YAML split `[Martin Luther King, Jr., Ann Lee]` in three: put together again, and said
    assert "overrides.yml:2: warning[override-field]: authors: 'Jr.' is no name" in result.stderr
    text = (tmp_path / "out.bib").read_text(encoding="utf-8")
    authors = re.findall(r"^  author = \{(.*)\},$", text, re.MULTILINE)
    assert sorted(authors) == ["King, Jr., Martin Luther and Ann Lee", "King, Jr., Martin Luther and {Google DeepMind}",
                               "van Beethoven, Jr., Ludwig and {Google DeepMind}"]
    keys = re.findall(r"^@\w+\{([^,]+),", text, re.MULTILINE)
    assert sum(key.startswith("king") for key in keys) == 2 and any(key.startswith("beethoven") for key in keys)
    plain = _bbl(tmp_path, "plain")
    assert "Martin~Luther King, Jr. and Ann Lee" in plain
    assert "Martin~Luther King, Jr. and {Google DeepMind}" in plain
    assert "Ludwig van Beethoven, Jr. and {Google DeepMind}" in plain
    abbrv = _bbl(tmp_path, "abbrv")
    assert "M.~L. King, Jr. and {Google DeepMind}" in abbrv and "G.~DeepMind" not in abbrv
    assert "\\{" not in text and "Jr. Martin" not in plain
    shown = sorted(a for p in papers_json("listing.txt", "overrides.yml", cwd=tmp_path) for a in p["authors"])
    assert "King, Jr., Martin Luther" in shown  # (pages show it as `Martin Luther King, Jr.`)


@pytest.mark.parametrize(("name", "written"), [
    ("Martin Luther King, Jr.", "King, Jr., Martin Luther"), ("Martin Luther King Jr.", "King, Jr., Martin Luther"),
    ("John Smith III", "Smith, III, John"), ("King, Martin Luther", "King, Martin Luther"),
    ("King, Jr., Martin", "King, Jr., Martin"), ("Alice Smith", "Alice Smith"), ("Ann Vi", "Ann Vi"),
    ("Smith, Jr", "Smith, Jr"), ("{Google DeepMind}", "{Google DeepMind}"),
])
def test_bibtex_name(name: str, written: str) -> None:
    assert bibtex_name(name) == written


def test_a_key_takes_the_last_name_before_a_suffix() -> None:
    """A service's or a listing's `Martin Luther King Jr.` gave the key `jr2024...`."""
    from mkdocs_readinglist.enrich.keys import surname

    assert [surname(n) for n in ("Martin Luther King Jr.", "Martin Luther King, Jr.", "Buzhen Huang", "Huang, Buzhen",
                                 "{Google DeepMind}")] == ["king", "king", "huang", "huang", "googledeepmind"]


def test_pages_show_an_organisation_without_its_braces_and_a_suffix_after_the_name() -> None:
    from mkdocs_readinglist.render.pages import natural_order

    assert natural_order("{Google DeepMind}") == "Google DeepMind"  # (it showed `{Google DeepMind}`)
    assert natural_order("King, Jr., Martin Luther") == "Martin Luther King, Jr."
    assert natural_order("{Barnes} and {Noble}") == "{Barnes} and {Noble}"  # (not one braced name: as it is)


def test_fewer_override_names_than_the_listing_counts_is_said(tmp_path: Path) -> None:
    """The seed daily listing counts 8 authors of SynPAIN; an override naming 2 made the export say it
    has those 2 alone (no `and others`), silently. `others` at the end says there are more."""
    daily = Path(__file__).parent.parent / "bib" / "hf-daily-2026-05-13.txt"
    shutil.copy(daily, tmp_path / "daily.txt")
    title = "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions"
    for names, said in (('["Alice Smith", "Bob Jones"]', True), ('["Alice Smith", "Bob Jones", others]', False)):
        (tmp_path / "overrides.yml").write_text(f'papers:\n  "{title}":\n    authors: {names}\n', encoding="utf-8")
        result = run_cli("bib", "daily.txt", "overrides.yml", "--lock", "keys.lock", "-o", "out.bib", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        warning = "overrides.yml:2: warning[override-field]: authors: 2 names for a paper its listing counts 8 authors"
        assert (warning in result.stderr) is said, result.stderr
        assert ("Alice Smith and Bob Jones and others" in (tmp_path / "out.bib").read_text(encoding="utf-8")) is not said
