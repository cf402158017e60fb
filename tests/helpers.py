"""Shared test helpers: the repo's paths, copies of the samples, running the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs_readinglist.pipeline import Corpus, SourceCache, run_pipeline
from mkdocs_readinglist.settings import Settings, settings_from_mapping

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "bib"
SEED_NAMES = {
    "notes": "iclr2026-human-understanding-notes.txt",
    "hf_search": "hf-search-skeleton-pose.txt",
    "arxiv": "arxiv-close-interaction.txt",
    "hf_daily": "hf-daily-2026-05-13.txt",
}


def copy_samples(target: Path, with_lock: bool = False) -> Path:
    """The four sample listings in a fresh bib/ folder (without the repo's key lock)."""
    bib = target / "bib"
    bib.mkdir(parents=True, exist_ok=True)
    for name in SEED_NAMES.values():
        shutil.copy(SAMPLES / name, bib / name)
    if with_lock:
        shutil.copy(SAMPLES / "readinglist.lock", bib / "readinglist.lock")
    return bib


DEMO_INPUTS = ("mkdocs.yml", "docs", "bib", "demo")


def copy_demo(target: Path) -> Path:
    """The repo's demo site (config, docs, listings, overrides) copied to `target`, writable (the
    sample listings are read-only in the checkout), so a build's lock and caches stay there."""
    target.mkdir(parents=True, exist_ok=True)
    for name in DEMO_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    for path in target.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    return target


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs_readinglist.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def papers_json(*args: str, cwd: Path) -> list[dict[str, Any]]:
    result = run_cli("papers", "--json", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def by_title(papers: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    found = [p for p in papers if (p["title"] or "").startswith(prefix)]
    assert len(found) == 1, f"{len(found)} papers start with {prefix!r}"
    return found[0]


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@contextmanager
def prose_checked_against_whole_text() -> Iterator[list[str]]:
    """While it lasts, every prose text decode_latex reads word by word is also read whole by
    pylatexenc and must give the same text; yields the texts compared. decode_latex's cache is
    emptied before and after, so that every text is read."""
    from unittest import mock

    from mkdocs_readinglist.latex import decode

    compared: list[str] = []
    word_by_word = decode._prose_to_text

    def checked(prepared: str) -> str:
        compared.append(prepared)
        fast = word_by_word(prepared)
        assert fast == decode._whole_prose_to_text(prepared), prepared
        return fast

    decode.decode_latex.cache_clear()
    try:
        with mock.patch.object(decode, "_prose_to_text", checked):
            yield compared
    finally:
        decode.decode_latex.cache_clear()


def texlive(name: str) -> Path:
    """A bibliography TeX Live ships (`xampl.bib`), read in place."""
    found = subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()
    return Path(found)


def texlive_entries(folder: Path, *names: str) -> dict[str, str]:
    """Each entry of TeX Live's bibliographies `names` (read in place, the key lock in `folder`),
    as the citation extension is given them: key -> its entry with what it uses."""
    from mkdocs_readinglist.site import standalone_entries

    settings, _ = settings_from_mapping(folder, {"sources": [str(texlive(name)) for name in names],
                                                 "lock_file": str(folder / "keys.lock")})
    return dict(standalone_entries(run_pipeline(settings)))


def samples_and_texlive_settings(folder: Path) -> Settings:
    """The seed listings in `folder`/bib and TeX Live's xampl.bib and biblatex-examples.bib in place."""
    sources = ["bib", str(texlive("xampl.bib")), str(texlive("biblatex-examples.bib"))]
    return settings_from_mapping(folder, {"sources": sources})[0]


def samples_and_texlive_corpus(folder: Path, memos: bool) -> Corpus:
    return run_pipeline(samples_and_texlive_settings(folder), cache=SourceCache(memos=memos))
