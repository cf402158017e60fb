"""A source path with `[ ]` in a folder's or file's name (`refs [2024]/`, as people name folders
by year or venue) is read as written when it exists: it was taken for a glob's character class,
matched nothing (`empty-glob`), and every citation of its papers was unknown. A glob inside such a
folder (`refs [2024]/*.txt`) takes the existing folder literally."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import SAMPLES, SEED_NAMES, papers_json, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "refs [2024]"
    folder.mkdir()
    for name in SEED_NAMES.values():
        shutil.copy(SAMPLES / name, folder / f"{Path(name).stem} [v2]{Path(name).suffix}")  # brackets in files' names too
    return tmp_path


@pytest.mark.parametrize("written", ["refs [2024]", "refs [2024]/", "refs [2024]/*.txt", "refs [2024]/*[[]v2].txt"])
def test_a_bracketed_path_reads_every_sample(project: Path, written: str) -> None:
    papers = papers_json(written, cwd=project)
    assert len(papers) == 224  # the samples' 225 records, one paper in two listings


def test_a_bracketed_file_named_on_its_own_is_read(project: Path) -> None:
    name = next(p.name for p in (project / "refs [2024]").iterdir() if "hf-daily" in p.name)
    done = run_cli("check", f"refs [2024]/{name}", cwd=project)
    assert "empty-glob" not in done.stderr and "58 records" in done.stdout, (done.stdout, done.stderr)
