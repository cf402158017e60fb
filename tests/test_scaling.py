"""The core scales linearly and rebuilds redo only what changed, checked without a
stopwatch: doubling a generated corpus must roughly double every deterministic count of
work (records read, link comparisons, entries and pages rendered, references formatted),
so an O(n^2) step fails here. The fast paths behind the speed give the very bytes of the
slow ones (YAML front matter, relative links, the key lock, .bib files).
"""

from __future__ import annotations

import posixpath
import random
import shutil
import string
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from bench.generate import generate
from mkdocs_readinglist.enrich.keys import LOCK_HEADER, KeyLock, _plain_lock
from mkdocs_readinglist.pipeline import Corpus, SourceCache, run_pipeline
from mkdocs_readinglist.render.bibtex import select, write_bibtex
from mkdocs_readinglist.render.pages import PageOptions
from mkdocs_readinglist.render.paths import relpath, yaml_mapping
from mkdocs_readinglist.render.reference import ReferenceFormatter
from mkdocs_readinglist.settings import Settings, settings_from_mapping
from mkdocs_readinglist.site import site_pages

from .helpers import copy_samples


class CountingFormatter(ReferenceFormatter):
    """Formats without pybtex (seconds per thousand entries), counting the same way."""

    def _format(self, keys: Sequence[str], entries: Mapping[str, str], digests: Mapping[str, str]) -> None:
        for key in keys:
            self._cache[digests[key]] = f"reference of {key}"
            self.formatted += 1


DEFAULT_PAGES = PageOptions()


def _work(folder: Path, options: PageOptions = DEFAULT_PAGES) -> tuple[Counter[str], Corpus]:
    """Every count of work one cold run (pipeline and pages, lock written) does on a corpus."""
    settings, _ = settings_from_mapping(folder, {"sources": ["."]})
    cache = SourceCache()
    corpus = run_pipeline(settings, cache=cache, write_lock=True)
    formatter = CountingFormatter()
    pages, _ = site_pages(corpus, options, formatter)
    work = Counter(cache.work)
    work["references formatted"] = formatter.formatted
    work["pages"] = len(pages)
    work["papers"] = len(corpus.papers)
    work["mentions"] = sum(len(v) for v in corpus.links.mentions.values())
    work["related"] = sum(len(v) for v in corpus.links.related.values())
    return work, corpus


@pytest.fixture(scope="module")
def doubled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Counter[str], Counter[str]]:
    root = tmp_path_factory.mktemp("scaling")
    small = generate(500, root / "500", seed=3)
    large = generate(1000, root / "1000", seed=3)
    return _work(small.folder)[0], _work(large.folder)[0]


COUNTS = ("records read", "papers merged", "topic matches", "link comparisons", "bibtex entries rendered",
          "paper pages rendered", "references formatted", "papers", "mentions", "related")


@pytest.mark.parametrize("count", COUNTS)
def test_doubling_the_corpus_about_doubles_the_work(doubled: tuple[Counter[str], Counter[str]], count: str) -> None:
    small, large = doubled
    assert small[count] > 0, f"nothing counted as {count!r}"
    ratio = large[count] / small[count]
    assert 1.6 <= ratio <= 2.5, f"{count}: {small[count]} -> {large[count]} (x{ratio:.2f}) for twice the papers"


def test_topic_pages_paginated_grow_linearly_too(tmp_path: Path) -> None:
    """Pagination must not make each page of a topic redo the whole topic."""
    counts = []
    for size in (300, 600):
        folder = generate(size, tmp_path / str(size), seed=5).folder
        work, _ = _work(folder, PageOptions(topic_page_size=10))
        counts.append(work["topic pages rendered"])
    assert 1.6 <= counts[1] / counts[0] <= 2.5, counts


def test_the_nav_does_not_grow_with_pagination(tmp_path: Path) -> None:
    """Material renders the nav into every page: a topic's later pages stay out of it."""
    folder = generate(300, tmp_path / "corpus", seed=5).folder
    settings, _ = settings_from_mapping(folder, {"sources": ["."]})
    corpus = run_pipeline(settings)
    whole, _ = site_pages(corpus, PageOptions(), CountingFormatter())
    paged, _ = site_pages(corpus, PageOptions(topic_page_size=10), CountingFormatter())
    assert len(paged) > len(whole)
    assert sorted(p.path for p in paged if p.in_nav) == sorted(p.path for p in whole if p.in_nav)


def _copy(folder: Path, target: Path) -> Path:
    shutil.copytree(folder, target)
    return target


def test_a_rebuild_redoes_only_the_edited_listing(tmp_path: Path) -> None:
    """As under `mkdocs serve`: one SourceCache across builds; one listing of 20 edited."""
    folder = _copy(generate(400, tmp_path / "corpus", seed=9).folder, tmp_path / "site")
    settings, _ = settings_from_mapping(folder, {"sources": ["."]})
    cache = SourceCache()
    formatter = CountingFormatter()

    def build() -> tuple[Counter[str], list[tuple[str, str]]]:
        before = Counter(cache.work)
        corpus = run_pipeline(settings, cache=cache, write_lock=True)
        pages, _ = site_pages(corpus, PageOptions(), formatter)
        return Counter(cache.work) - before, [(p.path, p.content) for p in pages]

    cold, _ = build()
    again, _ = build()
    assert cache.reads == 20 and not again, f"an unchanged rebuild did work: {again}"
    listing = sorted(folder.glob("*.txt"))[3]
    text = listing.read_text(encoding="utf-8")
    at = text.index(" the ", len(text) // 2)
    listing.write_text(text[:at] + " this " + text[at + 5:], encoding="utf-8")
    edited, pages = build()
    assert cache.reads == 21
    papers = cold["papers merged"]
    for count in ("papers merged", "topic matches", "bibtex entries rendered", "paper pages rendered"):
        assert 0 < edited[count] <= papers // 10, f"{count}: {edited[count]} of {cold[count]} redone"
    fresh_cache = SourceCache()
    corpus = run_pipeline(settings, cache=fresh_cache)
    cold_pages, _ = site_pages(corpus, PageOptions(), CountingFormatter())
    assert pages == [(p.path, p.content) for p in cold_pages], "a rebuild's pages differ from a cold build's"


def test_bib_files_are_what_write_bibtex_writes(tmp_path: Path) -> None:
    """Pages join entries rendered once; that must stay byte-equal to write_bibtex."""
    copy_samples(tmp_path)
    settings = Settings(base_dir=tmp_path)
    corpus = run_pipeline(settings, cache=SourceCache())
    pages, _ = site_pages(corpus, PageOptions(), CountingFormatter())
    files = {p.path: p.content for p in pages}
    assert files["references.bib"] == write_bibtex(corpus.papers)
    for topic in corpus.taxonomy.topics:
        path = f"reading-list/topics/{topic.slug}.bib"
        if path in files:
            assert files[path] == write_bibtex(select(corpus.papers, topic=topic.name)), path


def _texts(rng: random.Random, count: int) -> list[str]:
    pieces = [*string.printable[:95], "é", "·", "—", "…", "-", "?", ":", "#", "'", '"', " ", "---", "...", "yes", "no",
              "null", "~", "123", "1.5", "2024-01-01", "<<", "=", "0x1f", ": ", " #", "title:", "arxiv:2501.01234", "\t"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def test_front_matter_is_what_yaml_writes() -> None:
    for text in _texts(random.Random(1), 20000):
        for data in ({"title": text}, {"title": text, "tags": [text, "Human Pose"]}, {"title": text, "tags": []}):
            expected = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)
            assert yaml_mapping(data) == expected, repr(data)


def test_relative_links_are_what_posixpath_gives() -> None:
    rng = random.Random(2)
    parts = ["reading-list", "papers", "topics", "a.md", "index.md", ".", "..", "", "x"]
    for _ in range(20000):
        target = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        start = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 3)))
        try:
            expected = posixpath.relpath(target, start)
        except ValueError:
            with pytest.raises(ValueError):
                relpath(target, start)
            continue
        assert relpath(target, start) == expected, (target, start)


def test_key_lock_is_what_yaml_writes_and_reads(tmp_path: Path) -> None:
    rng = random.Random(3)
    words = [*_texts(rng, 300), "huang2025closeapp", "arxiv:2507.02565", "title:closeinteraction", "on", "2024", "a b"]
    for _ in range(300):
        keys = {rng.choice(words).replace("\t", " "): tuple(rng.sample(words, rng.randint(1, 3))) for _ in range(5)}
        lock = KeyLock(keys)
        data = {k: sorted(v) for k, v in sorted(keys.items())}
        expected = LOCK_HEADER + yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=4096,
                                                default_flow_style=False)
        assert lock.text() == expected, keys
        read = yaml.safe_load(expected)
        fast = _plain_lock(expected)
        if fast is not None:
            assert fast == {str(k): tuple(str(i) for i in v) for k, v in read.items()}
        path = tmp_path / "readinglist.lock"
        path.write_text(expected, encoding="utf-8")
        assert KeyLock.read(path).keys == {str(k): tuple(str(i) for i in (v or ())) for k, v in read.items()}
