"""`readinglist bib` does only what its output needs, and parsed sources kept on disk between
processes give the very results of parsing again. Counted work, no stopwatch."""

from __future__ import annotations

from pathlib import Path

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
