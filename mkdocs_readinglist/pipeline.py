"""The whole core, end to end: sources -> corpus -> overrides, topics, keys, links.

I/O happens only at the edges (reading sources, the key lock); every stage in between is
a pure function. A SourceCache keeps each file's result by content hash, so a rebuild
re-reads only the files that changed, and it holds the `Memos` (memo.py) through which every
stage recalls last run's per-item work (papers merged, topics matched, keys, links, BibTeX
entries, pages), so a rebuild redoes only that for the papers that changed.
"""

from __future__ import annotations

import gc
import glob
import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import yaml

from .corpus import merge_records
from .diagnostics import with_levels
from .enrich.keys import KeyLock, assign_keys
from .enrich.links import Links, build_links
from .enrich.near_duplicates import near_duplicates, shared_identities
from .enrich.overrides import apply_overrides, titled_before_merging
from .enrich.resolved import (
    apply_resolution,
    orphan_diagnostics,
    read_resolution,
    rejected_ids,
    resolution_path,
    retitled,
    unbind_rejected,
    user_choices,
)
from .enrich.topics import Taxonomy, tag_papers
from .latex.decode import decode_latex
from .memo import Memo, Memos, Same, given_away
from .model import Diagnostic, Listing, Override, Paper, Severity, SourceRef, SourceResult
from .settings import ConfigError, Settings
from .source_store import SourceStore
from .sources import LISTING_SUFFIXES, LOCK_FILE_NAME, discover, left_out_by_suffix, read_bytes, read_source
from .sources.base import CONTAINER_TYPES, SourceOptions
from .sources.bib_database import given_by_others


@dataclass(frozen=True)
class Corpus:
    papers: tuple[Paper, ...]
    results: tuple[SourceResult, ...]
    diagnostics: tuple[Diagnostic, ...]
    taxonomy: Taxonomy
    links: Links
    lock: KeyLock
    timings: dict[str, float] = field(default_factory=dict)  # wall-clock seconds per stage
    cpu_timings: dict[str, float] = field(default_factory=dict)  # CPU seconds of this process per stage
    # The cache this corpus was built with: later stages (pages) keep their memos there.
    cache: SourceCache | None = field(default=None, compare=False, repr=False)
    # Records merged into the paper of another: (first record, merged record, why).
    merges: tuple[tuple[SourceRef, SourceRef, str], ...] = ()
    # How many records each of `results` gave. A one-shot run (a cache that keeps no memos)
    # lets the records go once merged (the papers hold all they gave): its results have none.
    record_counts: tuple[int, ...] = ()

    @property
    def listings(self) -> tuple[Listing, ...]:
        return tuple(r.listing for r in self.results if r.listing)

    def by_key(self) -> dict[str, Paper]:
        return {p.key: p for p in self.papers}

    @cached_property
    def key_aliases(self) -> dict[str, Paper]:
        """Every citable key, lower-cased, to its paper: each paper's key and the key of every
        .bib entry merged into it (`[@otherkey]` finds the merged paper)."""
        aliases: dict[str, Paper] = {paper.key.lower(): paper for paper in reversed(self.papers)}
        for paper in self.papers:  # a paper's own key first: two files' `He_2016` names the paper that keeps it
            for key in paper.cite_keys:
                aliases.setdefault(key.lower(), paper)
        for paper in self.papers:  # then biblatex's `ids`: never another paper's own key
            for key in paper.alias_keys:
                aliases.setdefault(key.lower(), paper)
        return aliases

    def paper_for_key(self, key: str) -> Paper | None:
        """The paper a citation key names: its own key or a merged entry's, in any case."""
        return self.key_aliases.get(key.lower())

    def sources(self) -> list[tuple[SourceResult, int]]:
        """Each file's result with the number of records it gave."""
        counts = self.record_counts or tuple(len(r.records) for r in self.results)
        return list(zip(self.results, counts, strict=True))

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


class SourceCache:
    """Each file's SourceResult, kept while its bytes (and options) stay the same; and the
    `Memos` of later stages (memo.py), each valid for one setting (a taxonomy, page options)."""

    def __init__(self, memos: bool = True, store: SourceStore | None = None) -> None:
        self._entries: dict[tuple[str, SourceOptions], tuple[tuple[int, int], SourceResult]] = {}
        # Off for one-shot runs (the CLI): their memos keep nothing and only count the work.
        self.memos = Memos(keep=memos)
        self.keeps_memos = memos
        self.store = store  # results kept on disk by content, across processes (None: not kept)
        self.reads = 0  # files actually parsed: the measure of a rebuild's work
        # Deterministic counts of work done, summed over runs: records read, topic matches,
        # BibTeX entries and pages rendered (not taken from memos), ...
        self.work: Counter[str] = Counter()

    def memo(self, stage: str, setting: object = None) -> Memo:
        """The memo of a stage, holding last run's results if that run had the same setting;
        else a new one. With `memos=False` it keeps nothing (and only counts)."""
        return self.memos.memo(stage, setting)

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
        result, parsed = self._read(path, options, display)
        if cached and cached[1].content_hash == result.content_hash and result.content_hash:
            self._entries[cache_key] = (stamp, cached[1])  # touched, not changed
            return cached[1]
        if parsed:
            self.reads += 1
            self.work["records read"] += len(result.records)
        self._entries[cache_key] = (stamp, result)
        return result

    def forget_parsed(self) -> None:
        """Keep no file's result: a one-shot run lets its records go once merged (a later run
        with this cache parses its files again). The readers' cache of decoded LaTeX goes too:
        its entries are the scraped texts of the last 65,536 titles and abstracts read, which
        nothing reads again in such a run (~0.2 KB per paper of the peak at 100k papers)."""
        self._entries.clear()
        decode_latex.cache_clear()

    def _read(self, path: Path, options: SourceOptions, display: str) -> tuple[SourceResult, bool]:
        """read_source (and True: parsed), or the result the store kept for the same bytes of
        this source (and False)."""
        if self.store is None:
            return read_source(path, options, display), True
        if (known := self.store.kept_for_known_digest(path, (display, options))) is not None:
            return known, False  # (the caller hashed this file's bytes already: not read nor hashed again)
        try:
            data = path.read_bytes()
        except OSError:
            return read_source(path, options, display), True  # it reports the error
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        kept = self.store.get((display, options), digest)
        if kept is not None:
            return kept, False
        result = read_bytes(data, display or str(path), options, digest)
        self.store.put((display, options), result)
        return result, True


def _is_glob(written: str, target: Path) -> bool:
    """A source path read as a glob: one with `*`, `?` or `[` that names no file or folder as
    written (`refs [2024]/` is a folder with brackets in its name, read as it is)."""
    return any(ch in written for ch in "*?[") and not target.exists()


def _pattern(target: Path) -> str:
    """A glob's pattern with its longest leading folder that exists as written taken literally:
    `refs [2024]/*.bib` is the .bib files of the folder `refs [2024]`."""
    parts = target.parts
    for length in range(len(parts) - 1, 0, -1):
        folder = Path(*parts[:length])
        if folder.is_dir():
            return os.path.join(glob.escape(str(folder)), *parts[length:])
    return str(target)


def _shown(path: Path, base_dir: Path) -> str:
    """A path as messages name a source: from the project's folder when it is inside it."""
    try:
        return str(path.relative_to(base_dir))
    except ValueError:
        return str(path)


def source_files(settings: Settings) -> tuple[list[tuple[Path, SourceOptions, str]], list[Diagnostic]]:
    """Every file the settings name, with its options and its display name."""
    files: list[tuple[Path, SourceOptions, str]] = []
    diagnostics: list[Diagnostic] = []
    # Where this build keeps its key lock and resolve's facts (settings.lock_path looks through the
    # source folders: once here, not per file). Another lock or resolved.yml is never a source.
    lock = settings.lock_path()
    resolved_file = resolution_path(lock)
    ours = {lock.resolve(), resolved_file.resolve()}
    # A file named on its own (`{path: bib/x.txt, year: 2026}`) keeps its options when a folder or
    # glob also holds it (`- bib`): each file is read once, with the options of its own entry.
    own: dict[Path, SourceOptions] = {}
    for spec in settings.sources:
        target = (settings.base_dir / spec.path)
        if not _is_glob(spec.path, target) and target.is_file():
            own.setdefault(target.resolve(), SourceOptions(year=spec.year, format=spec.format))
    seen: set[Path] = set()
    for spec in settings.sources:
        target = settings.base_dir / spec.path
        if _is_glob(spec.path, target):
            matches = sorted(Path(p) for p in glob.glob(_pattern(target), recursive=True))
            found = discover(matches)
            if not found:
                diagnostics.append(Diagnostic(spec.path, 0, Severity.WARNING,
                                              f"source glob {spec.path!r} matches 0 files", code="empty-glob"))
        elif not target.exists():
            raise ConfigError(f"source {spec.path!r} does not exist (looked for {target})")
        else:
            found = discover([target])
            if target.is_dir() and (target / LOCK_FILE_NAME).is_file():
                found = [target / LOCK_FILE_NAME, *found]  # (discover leaves locks out: one not ours is said below)
            skipped = [p for p in left_out_by_suffix(target) if p.name != lock.name] if target.is_dir() else []
            if skipped:
                names = ", ".join(str(p.relative_to(target)) for p in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
                diagnostics.append(Diagnostic(
                    spec.path, 0, Severity.INFO, f"{len(skipped)} file(s) of the folder left out by their suffix "
                    f"({names}): a folder's listings are read from {', '.join(sorted(LISTING_SUFFIXES))} files; "
                    "name another file in `sources:` to read it", code="suffix-skipped"))
        for path in found:
            resolved = path.resolve()
            if resolved in seen or resolved in ours:
                continue
            seen.add(resolved)
            if path.name in (lock.name, LOCK_FILE_NAME, resolved_file.name):
                # A key lock (or resolve's facts) of another layout: never read as a listing or overrides
                facts = path.name == resolved_file.name
                diagnostics.append(Diagnostic(
                    _shown(path, settings.base_dir), 0, Severity.WARNING,
                    f"not the {'resolved facts' if facts else 'key lock'} this build uses "
                    f"({_shown(resolved_file if facts else lock, settings.base_dir)}): its keys and facts are not "
                    "read; merge them into that file, or name this one with `lock_file:` (the CLI's `--lock`)",
                    code="lock-unused"))
                continue
            options = own.get(resolved, SourceOptions(year=spec.year, format=spec.format))
            files.append((path, options, _shown(path, settings.base_dir)))
    return files, diagnostics


def _with_new_keys(diagnostics: list[Diagnostic], papers: Sequence[Paper]) -> list[Diagnostic]:
    """Each `bad-key` message with the key its entry was given (it was to be found in the lock only)."""
    key_at = {(entry.source.file, entry.source.line): paper.key for paper in papers for entry in paper.bib}
    return [Diagnostic(d.file, d.line, d.severity, d.message.replace(
                "given a new key", f"given the key {key_at[d.file, d.line]!r}"), d.code, d.column)
            if d.code == "bad-key" and (d.file, d.line) in key_at else d for d in diagnostics]


def _missing_title_diagnostics(papers: Sequence[Paper]) -> list[Diagnostic]:
    return [Diagnostic(p.provenance[0].file, p.provenance[0].line, Severity.WARNING,
                       f"paper {p.key} (arXiv {p.arxiv_id or 'id unknown'}) has no title: the source gives "
                       "none and none is invented; set `title:` for it in the overrides file", code="no-title")
            for p in papers if not p.title and p.provenance and p.entry_type not in CONTAINER_TYPES]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while a stage allocates (its previous state restored).

    The stages make hundreds of thousands of small acyclic objects; each collection of the
    oldest generation walks every live object, and in a `serve` process (caches, memos, the
    last build's pages) that made a rebuild twice as slow (measured at 10k papers: 2.1 s vs
    1.2 s). Cycles made meanwhile are collected once the collector is back."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


NO_LINKS = Links({}, {}, {}, {}, {})


def run_pipeline(settings: Settings, cache: SourceCache | None = None, write_lock: bool = False,
                 progress: Callable[[str], None] | None = None, resolved: bool = True, *, topics: bool = True,
                 links: bool = True, urls: bool = True) -> Corpus:
    """The corpus of the settings' sources. `resolved=False` leaves resolved.yml out (`readinglist
    resolve` judges the sources' own facts). A caller that needs no topic matching (`topics`:
    papers keep the topics their source or overrides give) or no links between papers (`links`:
    empty) says so, and that stage is not run. A caller that shows no paper's links (`urls`: the
    export, which writes only the OpenReview page resolved.yml gives, else arXiv's) gets papers
    whose `urls` are only their `url` fields': those in their texts are not looked for (they are
    when a resolved.yml is read, whose OpenReview page is added only when not among them)."""
    with paused_gc():
        return _run_pipeline(settings, cache, write_lock, progress, resolved, topics, links, urls)


def _run_pipeline(settings: Settings, cache: SourceCache | None, write_lock: bool,
                  progress: Callable[[str], None] | None, resolved: bool = True, topics: bool = True,
                  links: bool = True, urls: bool = True) -> Corpus:
    cache = cache or SourceCache(memos=False)
    timings: dict[str, float] = {}
    cpu_timings: dict[str, float] = {}
    clock, cpu_clock = time.perf_counter(), time.process_time()

    def lap(stage: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu_now = time.perf_counter(), time.process_time()
        timings[stage] = timings.get(stage, 0.0) + now - clock
        cpu_timings[stage] = cpu_timings.get(stage, 0.0) + cpu_now - cpu_clock
        clock, cpu_clock = now, cpu_now

    files, diagnostics = source_files(settings)
    results = []
    for number, (path, options, display) in enumerate(files, start=1):
        if progress and len(files) > 5:
            progress(f"reading {number}/{len(files)}: {display}")
        results.append(cache.read(path, options, display))
    # The .bib files are one database, as for BibTeX: a file that uses another's @string or
    # crossref's another's entry is read again with it (kept so, by its options: a rebuild reads
    # neither again).
    from_others, database_diagnostics = given_by_others(results)
    for index, extra in from_others.items():
        path, options, display = files[index]
        results[index] = cache.read(path, replace(options, strings=extra.strings, inlined_strings=extra.inlined,
                                                  parents=extra.parents), display)
    diagnostics.extend(d for result in results for d in result.diagnostics)
    diagnostics.extend(database_diagnostics)
    del from_others
    results = titled_before_merging(results, cache.memo("titled by overrides"))
    lap("read")
    lock_memo = cache.memo("key lock")
    try:
        lock = KeyLock.read(settings.lock_path(), lock_memo)
    except (OSError, ValueError, TypeError, yaml.YAMLError) as exc:  # a damaged lock would silently rename keys
        raise ConfigError(f"cannot read the key lock {settings.lock_path()}: {exc}") from exc
    diagnostics.extend(lock.problems)
    resolved_file = resolution_path(settings.lock_path())
    try:
        resolved_stamp: object = (resolved_file.stat().st_mtime_ns, resolved_file.stat().st_size) if resolved else None
    except OSError:
        resolved_stamp = None
    # The whole corpus of the last run, for the very same inputs: a rebuild whose listings,
    # settings, lock and resolved.yml are all unchanged (a user edited their own page) reuses it.
    # KeyLock.read gives the very lock it gave or wrote then while the file holds its text.
    # Not a run: nothing is ended, every stage's memo stays as it was.
    corpus_memo = cache.memo("corpus", (settings, topics, links, urls))
    inputs = (tuple(map(Same, results)), Same(lock), resolved_stamp)
    last_corpus: Corpus | None = corpus_memo.get((*inputs, write_lock))
    if last_corpus is not None:
        return replace(last_corpus, timings=timings, cpu_timings=cpu_timings)
    record_counts = tuple(len(r.records) for r in results)

    def let_records_go() -> None:
        """No next run in this process: the records' papers will hold all they gave, so the
        records go as their papers are made (merge_records calls this once they are grouped)."""
        nonlocal inputs
        cache.forget_parsed()
        results[:] = [replace(r, records=()) if r.records else r for r in results]
        inputs = ((), inputs[1], inputs[2])  # not kept either

    with_urls = urls or resolved_stamp is not None
    merged = merge_records(results, cache.memo("merge", None if with_urls else "papers without urls"),
                           None if cache.keeps_memos else let_records_go, with_urls)
    diagnostics.extend(merged.diagnostics)
    cache.work["papers merged"] += merged.built
    cache.work["title comparisons"] += merged.comparisons
    lap("merge")
    overrides = [o for r in results for o in r.overrides]
    merges = merged.merges
    resolved_papers, lock = _apply_resolved(merged.papers, overrides, resolved_file, resolved_stamp, lock, cache,
                                            diagnostics, settings.base_dir)
    first = apply_overrides(resolved_papers, overrides, resolve_topic=settings.taxonomy.resolve)
    del resolved_papers
    del merged  # each stage's papers are let go once the next stage has made its own copies
    papers = first.papers
    pinned, unmatched, first_diagnostics = first.pinned_keys, first.unmatched, first.diagnostics
    del first
    # A one-shot run keeps no paper for a next run: the topics and keys stages each copy every
    # paper from a list given away (memo.given_away), so one copy of each paper is alive at a
    # time, not two (the pipeline's peak at 100k papers: -0.18 KB per paper). Its lock is made
    # of the papers' own strings: the lock read goes.
    one_shot = not cache.keeps_memos
    if topics:
        matches = cache.memo("topic matches", settings.taxonomy.topics)
        matched_before = matches.made
        given: Iterable[Paper] = papers
        if one_shot:
            given, papers = given_away(list(papers)), ()
        papers = tag_papers(given, settings.taxonomy, matches, cache.memo("tagged papers", settings.taxonomy.topics))
        del given
        cache.work["topic matches"] += matches.made - matched_before
    lap("topics")
    key_memo = cache.memo("keyed papers")
    if one_shot:
        listed, papers = list(papers), ()
        keyed = assign_keys(listed, lock, pinned, key_memo, papers_strings=True, given_away=True)
        del listed
    else:
        keyed = assign_keys(papers, lock, pinned, key_memo)
    papers = keyed.papers
    second = apply_overrides(papers, unmatched, by_key=True, resolve_topic=settings.taxonomy.resolve)
    for override in second.unmatched:
        diagnostics.append(Diagnostic(override.source.file, override.source.line, Severity.WARNING,
                                      f"no paper matches override {override.target!r} (give a citation key, "
                                      "an arXiv id or the exact title)", code="override-unmatched"))
    papers = second.papers
    if second.pinned_keys:  # an override found by its key pins another key: give keys again
        keyed = assign_keys(papers, lock, {**pinned, **second.pinned_keys}, key_memo, papers_strings=one_shot)
        papers = keyed.papers
    if one_shot:  # nothing asks for the lock read any more (a serve process keeps it for its next run)
        lock = keyed.lock
        inputs = ((), Same(lock), resolved_stamp)
    diagnostics.extend(first_diagnostics + keyed.diagnostics + second.diagnostics)
    if any(d.code == "bad-key" for d in diagnostics):
        diagnostics[:] = _with_new_keys(diagnostics, papers)
    lap("keys")
    diagnostics.extend(_missing_title_diagnostics(papers))
    diagnostics.extend(near_duplicates(papers))
    diagnostics.extend(shared_identities(papers, {(d.file, d.line) for d in diagnostics if d.code == "shared-id"}))
    paper_links = build_links(papers, cache.memo("link texts"), cache.memo("link titles"),
                              cache.memo("related papers"), cache.memo("link postings")) if links else NO_LINKS
    cache.work["link comparisons"] += paper_links.comparisons
    lap("links")
    if write_lock:
        try:
            keyed.lock.write(settings.lock_path(), lock_memo)
        except OSError as exc:
            raise ConfigError(f"cannot write the key lock {settings.lock_path()}: {exc.strerror}; put it where you can "
                              "write with the plugin's `lock_file:` option or the CLI's `--lock FILE`") from exc
        lap("lock")
    leveled = with_levels(diagnostics, settings.diagnostic_levels)
    corpus = Corpus(tuple(papers), tuple(results), tuple(leveled), settings.taxonomy, paper_links, keyed.lock, timings,
                    cpu_timings, cache, merges=merges, record_counts=record_counts)
    if cache.keeps_memos:
        # The lock the next run will read back: the one written now, else the one read. A corpus
        # made with the lock written serves a later run that writes it as well as one that does not.
        next_lock = KeyLock.read(settings.lock_path(), lock_memo) if write_lock else lock
        next_inputs = (inputs[0], Same(next_lock), resolved_stamp)
        corpus_memo.put((*next_inputs, write_lock), corpus)
        if write_lock:
            corpus_memo.put((*next_inputs, False), corpus)
    cache.memos.end_run()  # once per run: what this run did not ask for is forgotten
    return corpus


def _apply_resolved(papers: Sequence[Paper], overrides: Sequence[Override], path: Path, stamp: object,
                    lock: KeyLock, cache: SourceCache, diagnostics: list[Diagnostic],
                    settings_base: Path) -> tuple[tuple[Paper, ...], KeyLock]:
    """Facts `readinglist resolve` wrote to resolved.yml, applied under the overrides (no network);
    and the lock without the arXiv ids of matches the user rejected (they bind no key any more)."""
    if stamp is None:
        return tuple(papers), lock
    try:
        display = str(path.relative_to(settings_base))
    except ValueError:
        display = str(path)
    # read again only when it changed
    resolution = cache.memo("resolution file")((path, stamp), lambda: read_resolution(path, display))
    diagnostics.extend(resolution.diagnostics)
    if not resolution.papers:
        return tuple(papers), lock
    choices = user_choices(papers, overrides, lock.keys)
    carried = retitled(papers, resolution)  # (found once for both)
    diagnostics.extend(orphan_diagnostics(papers, resolution, carried))
    unbound = unbind_rejected(lock.keys, rejected_ids(papers, resolution, choices)) if choices.rejected \
        or choices.pinned_arxiv else None
    return (apply_resolution(papers, resolution, choices, cache.memo("resolved papers", (stamp, choices)), carried),
            lock if unbound is None else KeyLock(unbound, problems=lock.problems))
