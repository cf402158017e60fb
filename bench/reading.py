"""Reading cost per record, by format: `read_source` on each file of a folder, CPU µs per record.

    python -m bench.reading FOLDER            -> per format: files, records, CPU µs per record
    python -m bench.reading FOLDER --profile  -> the same under cProfile, then the top functions

Files are read in one process, in order, with the cycle collector paused as the pipeline
pauses it (so `read_source` collects the young generation after each file, as in an export).
The first file of each run pays for imports and the caches of pure functions that every later
file shares (decode_latex's): read each folder the same way to compare two trees.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

from mkdocs_readinglist.sources import discover, read_source


def read_folder(folder: Path) -> dict[str, tuple[int, int, float]]:
    """{format: (files, records, CPU seconds)} for the files of `folder`."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    files = discover([folder])
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for path in files:
            start = time.process_time()
            result = read_source(path)
            seconds = time.process_time() - start
            total = totals[result.format or "?"]
            total[0] += 1
            total[1] += len(result.records)
            total[2] += seconds
    finally:
        if was_enabled:
            gc.enable()
    return {fmt: (int(t[0]), int(t[1]), t[2]) for fmt, t in sorted(totals.items())}


def table(totals: dict[str, tuple[int, int, float]]) -> str:
    lines = [f"{'format':<16} {'files':>5} {'records':>8} {'CPU s':>7} {'µs/record':>10}"]
    all_records = sum(t[1] for t in totals.values())
    all_seconds = sum(t[2] for t in totals.values())
    for fmt, (files, records, seconds) in totals.items():
        lines.append(f"{fmt:<16} {files:>5} {records:>8} {seconds:>7.2f} {1e6 * seconds / max(records, 1):>10.1f}")
    lines.append(f"{'all':<16} {sum(t[0] for t in totals.values()):>5} {all_records:>8} {all_seconds:>7.2f} "
                 f"{1e6 * all_seconds / max(all_records, 1):>10.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2) or args[1:] not in ([], ["--profile"]):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(args[0])
    if args[1:]:
        profiler = cProfile.Profile()
        totals = profiler.runcall(read_folder, folder)
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(30)
        print(table(totals))
        print(report.getvalue())
    else:
        print(table(read_folder(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
