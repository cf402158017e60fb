"""`readinglist bib` export time, and bibtexparser's parse time of the same file (a reference point).

    python -m bench.export parse FILE.bib     -> seconds bibtexparser v2 needs to parse it (its default stack)
    python -m bench.export profile FOLDER     -> cProfile of `readinglist bib FOLDER --no-cache`, by stage
    python -m bench.export profile FOLDER --kept   (the sources kept from a first run, as a second export)

`bench.writing --export 2000,20000` prints the marginal cost per paper beside the parse's; the
profile shows where that cost goes (docs/performance.md gives both, before and after).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

import bibtexparser

# The stages of an export, as the profile names them (function names in the package).
STAGES = {
    "read: all sources": "pipeline.py:.*\\(read\\)",
    "read: .bib reader": "sources/bibfile.py:.*\\(read\\)",
    "read: bibtexparser + block repairs": "sources/bib_repairs.py:.*\\(parse\\)",
    "read: .bib entries to records": "sources/bibfile.py:.*\\(_record\\)",
    "merge": "corpus.py:.*\\(merge_records\\)",
    "keys": "enrich/keys.py:.*\\(assign_keys\\)",
    "write BibTeX": "render/bibtex.py:.*\\(write_bibtex\\)",
}


def parse_seconds(path: Path) -> dict[str, float]:
    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    library = bibtexparser.parse_string(text)
    return {"seconds": time.perf_counter() - start, "entries": len(library.entries),
            "failed": len(library.failed_blocks)}


def profile(folder: Path, kept: bool = False, top: int = 25) -> str:
    """The export of `folder` under cProfile (in a working folder of its own, so that the key
    lock and the sources' cache are written there); each stage's cumulative seconds, then the
    `top` functions by their own time."""
    from mkdocs_readinglist.cli import main

    with tempfile.TemporaryDirectory(prefix="readinglist-profile-") as tmp:
        out = Path(tmp) / "export.bib"
        args = ["bib", str(folder.resolve()), "-o", str(out), "--lock", str(Path(tmp) / "keys.lock")]
        cwd = os.getcwd()
        os.chdir(tmp)
        stderr, sys.stderr = sys.stderr, io.StringIO()
        try:
            if kept:
                main(args)  # the first export keeps the parsed sources
            profiler = cProfile.Profile()
            profiler.runcall(main, args if kept else [*args, "--no-cache"])
        finally:
            sys.stderr = stderr
            os.chdir(cwd)
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report)
    total = max(s[3] for s in stats.stats.values())  # type: ignore[attr-defined]
    lines = [f"readinglist bib {folder} ({'sources kept' if kept else 'sources parsed'}): "
             f"{total:.2f} s under cProfile"]
    for name, pattern in STAGES.items():
        found = [s[3] for key, s in stats.stats.items()  # type: ignore[attr-defined]
                 if re.search(pattern, f"{key[0]}:{key[1]}({key[2]})")]
        if found:
            lines.append(f"  {name:<36} {sum(found):6.2f} s  {sum(found) / total:5.1%}")
    stats.sort_stats("tottime").print_stats(top)
    return "\n".join(lines) + "\n" + report.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "parse":
        print(json.dumps(parse_seconds(Path(args[1]))))
        return 0
    if len(args) in (2, 3) and args[0] == "profile" and args[2:] in ([], ["--kept"]):
        print(profile(Path(args[1]), kept=args[2:] == ["--kept"]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
