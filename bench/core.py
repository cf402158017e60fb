"""One run of the core pipeline on a corpus, in a fresh process; prints its figures as JSON.

    python -m bench.core prepare CORPUS [--placeholder-length N]
    python -m bench.core run CORPUS

`prepare` (untimed, once per corpus) writes the key lock and fills the formatted-references
cache, as a user's first build does; `run` is then the steady state the figures describe:
read, merge, topics, keys, links, BibTeX entries, references (from the cache) and pages
(topic pages, paper pages, the .bib files), timed by stage, with the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs_readinglist.pipeline import SourceCache, run_pipeline
from mkdocs_readinglist.render.bibtex import entry_text
from mkdocs_readinglist.render.pages import PageOptions
from mkdocs_readinglist.render.reference import ReferenceFormatter, _digest
from mkdocs_readinglist.settings import Settings, settings_from_mapping
from mkdocs_readinglist.site import site_pages

STAGES = ("read", "merge", "topics", "keys", "links", "bibtex entries", "references", "pages")


def settings_for(folder: Path) -> Settings:
    settings, _ = settings_from_mapping(folder, {"sources": ["."]})
    return settings


def references_cache(folder: Path) -> Path:
    return folder / ".cache" / "readinglist" / "references.json"


def prepare(folder: Path, placeholder_length: int = 0) -> dict[str, Any]:
    """The key lock and a complete references cache: real pybtex output, or (for corpora too
    big to format in a benchmark's time) placeholders of the real references' mean length."""
    settings = settings_for(folder)
    corpus = run_pipeline(settings, write_lock=True)
    formatter = ReferenceFormatter(references_cache(folder))
    entries = {p.key: entry_text(p) for p in corpus.papers}
    start = time.perf_counter()
    if placeholder_length:
        filler = ("Placeholder of a real reference's mean length. " * (placeholder_length // 40 + 1))
        filler = filler[:placeholder_length]
        for text in entries.values():
            digest = _digest(text, formatter.style)
            if formatter._reference(digest) is None:
                formatter._cache[digest] = filler
        formatter._dirty = True
    else:
        formatter.format_all(entries)
    formatter.save()
    return {"papers": len(corpus.papers), "formatted": formatter.formatted,
            "seconds": time.perf_counter() - start, "placeholders": bool(placeholder_length),
            "mean_reference_length": statistics.mean(map(len, formatter._all_references().values())) if entries else 0}


def _status_kb(field: str) -> int:
    """A memory figure of this process in KiB from /proc (Linux): VmRSS (now) or VmHWM (peak).
    Elsewhere the peak from getrusage (on Linux that one can carry the parent's figure over
    exec, so /proc comes first)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _rss_kb() -> int:
    return _status_kb("VmRSS")


def _peak_kb() -> int:
    return _status_kb("VmHWM")


def run(folder: Path) -> dict[str, Any]:
    settings = settings_for(folder)
    text_bytes = sum(p.stat().st_size for p in folder.iterdir() if p.suffix in (".txt", ".bib"))
    base_kb = _rss_kb()
    cache = SourceCache(memos=False)  # a one-shot run, as the CLI's (no memos kept for a next run)
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    corpus = run_pipeline(settings, cache=cache)
    pipeline_peak_kb = _peak_kb()  # read .. links
    formatter = ReferenceFormatter(references_cache(folder))
    steps: dict[str, float] = {}
    cpu_before_site = time.process_time()
    pages, _ = site_pages(corpus, PageOptions(), formatter, timings=steps)
    cpu_site = time.process_time() - cpu_before_site
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    peak_kb = _peak_kb()
    wall_stages = {**corpus.timings, **steps}
    # CPU time of the render steps: their share of the CPU the site took.
    site_wall = sum(steps.values()) or 1.0
    cpu_stages = {**corpus.cpu_timings, **{k: v / site_wall * cpu_site for k, v in steps.items()}}
    output_chars = sum(len(p.content) for p in pages)
    # What the pages' text takes in memory: 1 byte per character for Latin-1 text, 2 when a
    # page holds a character beyond (a topic page's "…"): the text itself, not overhead.
    output_bytes = sum(sys.getsizeof(p.content) for p in pages)
    return {
        "papers": len(corpus.papers), "records": sum(count for _, count in corpus.sources()),
        "files": len(corpus.results), "pages": len(pages), "wall": wall, "cpu": cpu,
        "wall_stages": {k: wall_stages.get(k, 0.0) for k in STAGES},
        "cpu_stages": {k: cpu_stages.get(k, 0.0) for k in STAGES},
        "rss_base_kb": base_kb, "rss_peak_kb": peak_kb, "rss_pipeline_peak_kb": pipeline_peak_kb, "text_bytes": text_bytes, "output_chars": output_chars, "output_bytes": output_bytes,
        "work": dict(cache.work), "formatted_by_pybtex": formatter.formatted,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.core")
    parser.add_argument("action", choices=("prepare", "run"))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--placeholder-length", type=int, default=0,
                        help="fill the references cache with placeholders of this length instead of pybtex")
    args = parser.parse_args(argv)
    folder = args.corpus.resolve()
    result = prepare(folder, args.placeholder_length) if args.action == "prepare" else run(folder)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
