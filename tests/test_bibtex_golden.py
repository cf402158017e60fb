"""Golden BibTeX for a handful of sample papers (reviewed by hand when they change).

Each golden file holds one paper's entry as `readinglist bib --key` writes it from the samples
(without the repo's lock): a notes-page paper of a venue, an already escaped `\\&` title, a `19\\%`
abstract, a title-less arXiv paper with a venue comment, a dated daily-papers entry, and an
abstract with an author's undefined macros (`\\aus`). When the output is meant to change,
`python -m tests.regen_golden` rewrites them (review the diff before committing).
"""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from .helpers import copy_samples, run_cli

GOLDEN = Path(__file__).parent / "golden"
KEYS = sorted(p.stem for p in GOLDEN.glob("*.bib"))


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("golden")
    copy_samples(root)
    assert run_cli("bib", "bib/", "-o", "all.bib", cwd=root).returncode == 0
    return root


def test_there_are_golden_files() -> None:
    assert len(KEYS) >= 5


@pytest.mark.parametrize("key", KEYS)
def test_entry_matches_its_golden_file(samples: Path, key: str) -> None:
    result = run_cli("bib", "bib/", "--key", key, cwd=samples)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / f"{key}.bib").read_text(encoding="utf-8")
    entry = bibtexparser.parse_string(result.stdout).entries[0]
    assert entry.key == key


def test_special_characters_are_escaped_exactly_once(samples: Path) -> None:
    text = (GOLDEN / "hcceposebf.bib").read_text(encoding="utf-8")
    assert "Front {\\&} Back" in text and "\\\\&" not in text
    assert "19{\\%}" in (GOLDEN / "dynaip.bib").read_text(encoding="utf-8")
    guided = (GOLDEN / "guidedinterpretable2024.bib").read_text(encoding="utf-8")
    assert "\\aus" not in guided and "\\au " not in guided  # no undefined macro reaches the .bib
