"""`readinglist bib` does only what its output needs, and parsed sources kept on disk between
processes give the very results of parsing again. Counted work, no stopwatch."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from mkdocs_readinglist import cli, pipeline
from mkdocs_readinglist.pipeline import SourceCache, run_pipeline
from mkdocs_readinglist.render.bibtex import write_bibtex
from mkdocs_readinglist.settings import settings_from_mapping
from mkdocs_readinglist.source_store import SourceStore

from .helpers import copy_samples, run_cli


def test_bib_export_skips_links_and_topic_rules_and_writes_the_same_file(tmp_path: Path) -> None:
    copy_samples(tmp_path, with_lock=True)
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"]})
    full_cache, lean_cache = SourceCache(memos=False), SourceCache(memos=False)
    full = run_pipeline(settings, cache=full_cache)
    lean = run_pipeline(settings, cache=lean_cache, topics=False, links=False)
    assert full_cache.work["link comparisons"] > 0 and full_cache.work["topic matches"] > 0
    assert lean_cache.work["link comparisons"] == 0 and lean_cache.work["topic matches"] == 0
    assert not lean.links.mentions and not lean.links.related
    assert [p.key for p in lean.papers] == [p.key for p in full.papers]
    result = run_cli("bib", "bib", "-o", "out.bib", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.bib").read_text(encoding="utf-8") == write_bibtex(full.papers)
    # --topic still selects by the topic rules
    result = run_cli("bib", "bib", "--topic", "Human Pose", "-o", "pose.bib", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pose = [p for p in full.papers if "Human Pose" in p.topics]
    assert pose and (tmp_path / "pose.bib").read_text(encoding="utf-8") == write_bibtex(pose)


def test_kept_sources_are_used_only_for_the_same_bytes(tmp_path: Path) -> None:
    bib = copy_samples(tmp_path, with_lock=True)
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"]})
    store = SourceStore(tmp_path / ".cache" / "readinglist" / "sources")
    first_cache = SourceCache(memos=False, store=store)
    first = run_pipeline(settings, cache=first_cache)
    assert first_cache.reads == 4 and store.hits == 0

    again = SourceCache(memos=False, store=store)  # a new process: nothing in memory
    second = run_pipeline(settings, cache=again)
    assert again.reads == 0 and store.hits == 4
    assert second.papers == first.papers and second.diagnostics == first.diagnostics

    listing = bib / "hf-search-skeleton-pose.txt"
    text = listing.read_text(encoding="utf-8")
    position = text.find(" the ", len(text) // 2)
    listing.write_text(text[:position] + " this " + text[position + 5:], encoding="utf-8")
    edited = SourceCache(memos=False, store=store)
    third = run_pipeline(settings, cache=edited)
    assert edited.reads == 1  # only the edited listing parsed again
    fresh = run_pipeline(settings, cache=SourceCache(memos=False))
    assert third.papers == fresh.papers and third.papers != first.papers

    for kept in store.folder.iterdir():  # a damaged cache is only slower, never wrong
        kept.write_bytes(b"not a pickle")
    damaged = SourceCache(memos=False, store=store)
    assert run_pipeline(settings, cache=damaged).papers == fresh.papers
    assert damaged.reads == 4


def test_an_export_of_kept_sources_reads_and_hashes_each_source_once(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    bib = copy_samples(tmp_path, with_lock=True)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["bib", "bib", "-o", "a.bib"]) == 0  # parses and keeps the sources
    reads: Counter[str] = Counter()
    hashes: Counter[int] = Counter()
    general_read, general_hash = Path.read_bytes, hashlib.blake2b

    def read_bytes(self: Path) -> bytes:
        reads[self.name] += 1
        return general_read(self)

    def blake2b(data: bytes = b"", **options: object) -> object:
        hashes[len(data)] += 1
        return general_hash(data, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(cli.hashlib, "blake2b", blake2b)
    monkeypatch.setattr(pipeline.hashlib, "blake2b", blake2b)
    assert cli.main(["bib", "bib", "-o", "b.bib"]) == 0  # another output: the export made from the kept sources
    listings = sorted(p.name for p in bib.iterdir() if p.suffix == ".txt")
    assert [reads[name] for name in listings] == [1] * 4  # the export's digest of its inputs; not read again
    sizes = [(bib / name).stat().st_size for name in listings]
    assert [hashes[size] for size in sizes] == [1] * 4
    assert (tmp_path / "a.bib").read_bytes() == (tmp_path / "b.bib").read_bytes()
