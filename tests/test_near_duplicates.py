"""Two papers kept apart whose titles are nearly one: an info line at each later one, naming the
first (its key, file and line), and nothing merged; papers that say they are two works (years,
authors, kinds of entry, pages) get no hint. On the seeds, a user's .bib and TeX Live's own
bibliographies, in place."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mkdocs_readinglist.enrich.near_duplicates import loose_title
from mkdocs_readinglist.pipeline import run_pipeline
from mkdocs_readinglist.settings import settings_from_mapping

from .helpers import REPO, papers_json, run_cli

SEED_TITLE = "Affect Analysis in-the-wild: Valence-Arousal, Expressions, Action Units and a Unified Framework"


def _texlive(name: str) -> Path:
    found = subprocess.run(["kpsewhich", name], capture_output=True, text=True).stdout.strip()
    assert found, f"TeX Live's {name} not found (kpsewhich)"
    return Path(found)


def _user_bib(root: Path, title: str, year: str) -> None:
    shutil.copytree(REPO / "bib", root / "bib", ignore=shutil.ignore_patterns("readinglist.lock"))
    (root / "bib" / "mine.bib").write_text(
        "% my own entries\n"
        f"@inproceedings{{kollias2021affect,\n  title = {{{title}}},\n  author = {{Kollias, Dimitrios and "
        f"Zafeiriou, Stefanos}},\n  booktitle = {{Proc. BMVC}},\n  year = {{{year}}},\n}}\n", encoding="utf-8")


def test_a_users_entry_nearly_titled_as_a_listing_paper_is_named_with_both_places(tmp_path: Path) -> None:
    before = len(papers_json("bib", cwd=REPO))
    _user_bib(tmp_path, SEED_TITLE.replace(" and a Unified", " and Unified") + " (extended version)", "2021")
    found = papers_json("bib", cwd=tmp_path)
    assert len(found) == before + 1  # a hint, never a merge
    seed = next(p for p in found if p["title"] == SEED_TITLE)
    run = run_cli("check", "-v", "bib", cwd=tmp_path)
    hints = [line for line in run.stderr.splitlines() if "[near-duplicate]" in line]
    assert len(hints) == 1, run.stderr
    where = f"{seed['sources'][0]['file']}:{seed['sources'][0]['line']}"
    assert hints[0].startswith("bib/mine.bib:2: info[near-duplicate]: ")
    assert f"nearly that of {seed['key']} ({where}: {SEED_TITLE!r})" in hints[0]
    assert run_cli("check", "bib", cwd=tmp_path).stderr.count("near-duplicate") == 0  # info: shown with -v


def test_a_year_both_state_tells_the_two_apart(tmp_path: Path) -> None:
    _user_bib(tmp_path, SEED_TITLE.replace(" and a Unified", " and Unified"), "2019")
    assert "near-duplicate" not in run_cli("check", "-v", "bib", cwd=tmp_path).stderr


def test_texlive_bibliographies_real_near_duplicates_and_real_pairs_of_works() -> None:
    """font.bib holds the Typecase CD twice (TFFa, TFFb: "the same data", one title with "the");
    biblatex-examples.bib has Gaonkar's chapter "On Alternative Modernities" in his book
    "Alternative Modernities", and tugboat.bib a note and then the article of one title: both
    are two works, and say so (entry type; pages)."""
    def hints(path: Path) -> list[str]:
        settings, _ = settings_from_mapping(path.parent, {"sources": [str(path)]})
        corpus = run_pipeline(settings)
        return [d.format() for d in corpus.diagnostics if d.code == "near-duplicate"]

    font = hints(_texlive("font.bib"))
    assert len(font) == 1 and re.search(r"font\.bib:\d+: info\[near-duplicate\]: title 'Typecase font foundry for "
                                        r"the Macintosh' is nearly that of Anonymous:1993:TFFa .*: perhaps one work entered twice$", font[0])
    assert hints(_texlive("biblatex-examples.bib")) == []
    assert not [h for h in hints(_texlive("tugboat.bib")) if "Louis-Jean" in h or "Stanford" in h]


@pytest.mark.parametrize(("one", "other", "same"), [
    ("Pose as a Clinical Prior", "Pose as Clinical Prior", True),
    ("Pose as a Clinical Prior (v2)", "Pose as a clinical prior", True),
    ("Typecase font foundry for the Macintosh", "{Typecase} font foundry for Macintosh", True),
    ("A Survey of Large Language Models", "Large Language Models: a Survey", False),  # word order: another title
    ("YOLOv3: An Incremental Improvement", "YOLOv4: Optimal Speed and Accuracy", False),
])
def test_loose_titles(one: str, other: str, same: bool) -> None:
    assert (loose_title(one) == loose_title(other.replace("{", "").replace("}", ""))) is same
