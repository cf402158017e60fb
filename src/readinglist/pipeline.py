"""The whole core, end to end: sources -> corpus -> overrides, topics, keys, links.

I/O happens only at the edges (reading sources, the key lock); every stage in between is
a pure function. A SourceCache keeps each file's result by content hash, so a rebuild
re-reads only the files that changed.
"""

from __future__ import annotations

import glob
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .corpus import merge_records
from .enrich.keys import KeyLock, assign_keys
from .enrich.links import Links, build_links
from .enrich.overrides import apply_overrides
from .enrich.topics import Taxonomy, tag_papers
from .model import Diagnostic, Listing, Paper, Severity, SourceResult
from .settings import ConfigError, Settings
from .sources import discover, read_source
from .sources.base import SourceOptions


@dataclass(frozen=True)
class Corpus:
    papers: tuple[Paper, ...]
    results: tuple[SourceResult, ...]
    diagnostics: tuple[Diagnostic, ...]
    taxonomy: Taxonomy
    links: Links
    lock: KeyLock
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def listings(self) -> tuple[Listing, ...]:
        return tuple(r.listing for r in self.results if r.listing)

    def by_key(self) -> dict[str, Paper]:
        return {p.key: p for p in self.papers}

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


class SourceCache:
    """Each file's SourceResult, kept while its bytes (and options) stay the same."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, SourceOptions], tuple[tuple[int, int], SourceResult]] = {}
        self.reads = 0  # files actually parsed: the measure of a rebuild's work

    def read(self, path: Path, options: SourceOptions, display: str) -> SourceResult:
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = (-1, -1)
        cache_key = (display, options)
        cached = self._entries.get(cache_key)
        if cached and cached[0] == stamp:
            return cached[1]
        result = read_source(path, options, display)
        if cached and cached[1].content_hash == result.content_hash and result.content_hash:
            self._entries[cache_key] = (stamp, cached[1])  # touched, not changed
            return cached[1]
        self.reads += 1
        self._entries[cache_key] = (stamp, result)
        return result


def source_files(settings: Settings) -> tuple[list[tuple[Path, SourceOptions, str]], list[Diagnostic]]:
    """Every file the settings name, with its options and its display name."""
    files: list[tuple[Path, SourceOptions, str]] = []
    diagnostics: list[Diagnostic] = []
    for spec in settings.sources:
        options = SourceOptions(year=spec.year, format=spec.format)
        target = settings.base_dir / spec.path
        if any(ch in spec.path for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(target), recursive=True))
            found = discover(matches)
            if not found:
                diagnostics.append(Diagnostic(spec.path, 0, Severity.WARNING,
                                              f"source glob {spec.path!r} matches 0 files", code="empty-glob"))
        elif not target.exists():
            raise ConfigError(f"source {spec.path!r} does not exist (looked for {target})")
        else:
            found = discover([target])
        lock_name = settings.lock_path().name
        for path in found:
            if path.name == lock_name:
                continue
            try:
                display = str(path.relative_to(settings.base_dir))
            except ValueError:
                display = str(path)
            files.append((path, options, display))
    return files, diagnostics


def _missing_title_diagnostics(papers: Sequence[Paper]) -> list[Diagnostic]:
    return [Diagnostic(p.provenance[0].file, p.provenance[0].line, Severity.WARNING,
                       f"paper {p.key} (arXiv {p.arxiv_id or 'id unknown'}) has no title: the source gives "
                       "none and none is invented; set `title:` for it in the overrides file", code="no-title")
            for p in papers if not p.title and p.provenance]


def run_pipeline(settings: Settings, cache: SourceCache | None = None, write_lock: bool = False,
                 progress: Callable[[str], None] | None = None) -> Corpus:
    cache = cache or SourceCache()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock
        clock = now

    files, diagnostics = source_files(settings)
    results = []
    for number, (path, options, display) in enumerate(files, start=1):
        if progress and len(files) > 5:
            progress(f"reading {number}/{len(files)}: {display}")
        results.append(cache.read(path, options, display))
    for result in results:
        diagnostics.extend(result.diagnostics)
    lap("read")
    merged = merge_records(results)
    diagnostics.extend(merged.diagnostics)
    lap("merge")
    overrides = [o for r in results for o in r.overrides]
    first = apply_overrides(merged.papers, overrides, resolve_topic=settings.taxonomy.resolve)
    papers = tag_papers(first.papers, settings.taxonomy)
    lap("topics")
    lock = KeyLock.read(settings.lock_path())
    keyed = assign_keys(papers, lock, first.pinned_keys)
    second = apply_overrides(keyed.papers, first.unmatched, by_key=True, resolve_topic=settings.taxonomy.resolve)
    for override in second.unmatched:
        diagnostics.append(Diagnostic(override.source.file, override.source.line, Severity.WARNING,
                                      f"no paper matches override {override.target!r} (give a citation key, "
                                      "an arXiv id or the exact title)", code="override-unmatched"))
    diagnostics.extend(first.diagnostics + keyed.diagnostics + second.diagnostics)
    papers = second.papers
    lap("keys")
    diagnostics.extend(_missing_title_diagnostics(papers))
    links = build_links(papers)
    lap("links")
    if write_lock:
        keyed_lock = keyed.lock
        keyed_lock.write(settings.lock_path())
    leveled = []
    for diagnostic in diagnostics:
        if diagnostic.code in settings.diagnostic_levels:
            level = settings.diagnostic_levels[diagnostic.code]
            if level is None:
                continue
            diagnostic = replace(diagnostic, severity=level)
        leveled.append(diagnostic)
    return Corpus(tuple(papers), tuple(results), tuple(leveled), settings.taxonomy, links, keyed.lock, timings)
