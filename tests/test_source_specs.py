"""The README's configuration pattern: a folder, plus a per-file entry for one file in it.
Each file is read once, with its own entry's options; the repository's demo uses it."""

from __future__ import annotations

from pathlib import Path

import yaml

from mkdocs_readinglist.pipeline import SourceCache, run_pipeline, source_files
from mkdocs_readinglist.settings import settings_from_mapping

from .helpers import REPO, SEED_NAMES, copy_samples


def test_a_folder_and_a_per_file_entry_read_each_file_once_with_its_own_options(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    daily = f"bib/{SEED_NAMES['hf_daily']}"
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib", {"path": daily, "year": 2026}]})
    files, _ = source_files(settings)
    shown = [display for _, _, display in files]
    assert len(shown) == len(set(shown)) == 4
    options = {display: opts for _, opts, display in files}
    assert options[daily].year == 2026 and all(o.year is None for d, o in options.items() if d != daily)
    cache = SourceCache()
    corpus = run_pipeline(settings, cache=cache)
    assert cache.reads == 4 and cache.work["records read"] == 225 and len(corpus.papers) == 224
    # the year reached the daily listing: its year-less dates are dated
    assert not [d for d in corpus.diagnostics if d.code == "yearless-date"]


def test_the_demo_config_uses_the_pattern() -> None:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    plugin = next(p["readinglist"] for p in config["plugins"] if isinstance(p, dict) and "readinglist" in p)
    assert plugin["sources"][0] == "bib" and plugin["sources"][1]["path"].startswith("bib/hf-daily")


def test_a_folders_files_left_out_by_their_suffix_are_named(tmp_path: Path) -> None:
    """A folder's listings are read from listing suffixes: the others are named (info), not passed
    over without a word; named on its own, such a file is read (formats come from the content)."""
    from .helpers import REPO, run_cli

    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "hfdaily").write_text((REPO / "bib" / "hf-daily-2026-05-13.txt").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    (tmp_path / "bib" / "a.txt").write_text((REPO / "bib" / "arxiv-close-interaction.txt").read_text(
        encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bib" / "readinglist.lock").write_text("", encoding="utf-8")
    run = run_cli("check", "-v", "bib", cwd=tmp_path)
    assert "bib: info[suffix-skipped]: 1 file(s) of the folder left out by their suffix (hfdaily)" in run.stderr
    assert "readinglist.lock" not in run.stderr.split("suffix-skipped")[1].split("\n")[0]
    assert "hfdaily" in run_cli("check", "bib/hfdaily", cwd=tmp_path).stdout  # read when named
