"""Rebuild reuse through the one memo layer (memo.py), in process: a `serve`-like SourceCache
across pipeline runs on the sample listings, with the work of each stage read from its
Memo's `made` (results made, not recalled from the last run)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mkdocs_readinglist.enrich.topics import Topic
from mkdocs_readinglist.pipeline import Corpus, SourceCache, run_pipeline
from mkdocs_readinglist.settings import Settings, settings_from_mapping

from .helpers import copy_samples

# stage memos of the pipeline, by the name SourceCache.memo gives them
STAGES = ("merge", "keyed papers", "link texts", "link titles", "related papers", "key lock")


def _made(cache: SourceCache, settings: Settings) -> dict[str, int]:
    topics = settings.taxonomy.topics
    made = {stage: cache.memo(stage).made for stage in STAGES}
    made["topic matches"] = cache.memo("topic matches", topics).made
    made["tagged papers"] = cache.memo("tagged papers", topics).made
    return made


def _run(cache: SourceCache, settings: Settings) -> tuple[Corpus, dict[str, int]]:
    """One run; the results each stage made in it (not recalled)."""
    before = _made(cache, settings)
    corpus = run_pipeline(settings, cache=cache, write_lock=True)
    after = _made(cache, settings)
    return corpus, {stage: after[stage] - before[stage] for stage in after}


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Settings]:
    copy_samples(tmp_path)
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"]})
    return tmp_path, settings


def _edit_one_abstract(corpus: Corpus, folder: Path) -> tuple[str, int]:
    """A word changed in the abstract of one paper of one listing: (file, records it holds)."""
    result = next(r for r in corpus.results if r.format == "arxiv-listing")
    record = next(r for r in result.records if r.abstract and " the " in r.abstract)
    path = folder / result.file
    text = path.read_text(encoding="utf-8")
    sentence = record.abstract[record.abstract.index(" the ") - 20:][:60]
    assert text.count(sentence) == 1, sentence
    path.write_text(text.replace(sentence, sentence.replace(" the ", " this ", 1)), encoding="utf-8")
    return result.file, len(result.records)


def test_one_listing_edited_remakes_only_its_papers(project: tuple[Path, Settings]) -> None:
    folder, settings = project
    cache = SourceCache()
    cold, made = _run(cache, settings)
    papers = len(cold.papers)
    assert papers == 224
    assert made["merge"] == made["tagged papers"] == made["keyed papers"] == papers
    assert made["topic matches"] == made["link texts"] == made["related papers"] == papers

    edited_file, records = _edit_one_abstract(cold, folder)
    assert 0 < records < papers // 2
    warm, made = _run(cache, settings)
    # Every paper holding a record of the listing read again is made again (new record
    # objects), and the keys of those: nothing else.
    assert made["merge"] == made["tagged papers"] == made["keyed papers"] == records
    # Only the text that changed is matched and scanned again; no title changed.
    assert made["topic matches"] == made["link texts"] == 1 and made["link titles"] == 0
    # Related papers: scored again only where a term's posting changed (here none: one word
    # of an abstract names no dataset and no paper).
    assert made["related papers"] <= 5
    # No key changed: the lock is neither parsed nor laid out again.
    assert made["key lock"] == 0

    fresh = run_pipeline(settings, cache=SourceCache(memos=False), write_lock=True)
    assert warm.papers == fresh.papers
    assert replace(warm.links, comparisons=0) == replace(fresh.links, comparisons=0)  # the same links, less work
    assert warm.links.comparisons < fresh.links.comparisons // 20
    assert [p for p in warm.papers if p.provenance[0].file == edited_file] != \
        [p for p in cold.papers if p.provenance[0].file == edited_file]


def test_an_unchanged_rebuild_makes_nothing_and_keeps_every_memo(project: tuple[Path, Settings]) -> None:
    _, settings = project
    cache = SourceCache()
    first, _ = _run(cache, settings)
    second, made = _run(cache, settings)
    assert second.papers is first.papers and second.links is first.links  # the last run's corpus
    assert not any(made.values()), made
    # Not a run: no memo was ended, so a later rebuild still recalls everything.
    assert len(cache.memo("merge")) == len(first.papers)
    third, made = _run(cache, settings)
    assert third.papers is first.papers and not any(made.values())


def test_a_changed_taxonomy_starts_the_topics_memos_empty(project: tuple[Path, Settings]) -> None:
    folder, settings = project
    cache = SourceCache()
    cold, _ = _run(cache, settings)
    extended = settings_from_mapping(folder, {"sources": ["bib"], "topics": [
        {"name": "Yoga", "keywords": ["yoga", "pilates"]}]})[0]
    assert extended.taxonomy.topics != settings.taxonomy.topics
    assert isinstance(extended.taxonomy.topics[-1], Topic)
    tagged, made = _run(cache, extended)
    # The merge memo does not depend on the taxonomy: nothing merged again.
    assert made["merge"] == 0
    # Every text matched again under the new rules, every paper tagged again.
    assert made["topic matches"] == made["tagged papers"] == len(cold.papers)
    assert len(cache.memo("topic matches", extended.taxonomy.topics)) == len(cold.papers)
    assert any("Yoga" in p.topics for p in tagged.papers)
    fresh = run_pipeline(extended, cache=SourceCache(memos=False))
    assert tagged.papers == fresh.papers
