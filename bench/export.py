"""`readinglist bib` export time, and bibtexparser's parse time of the same file (a reference point).

    python -m bench.export parse FILE.bib   -> seconds bibtexparser v2 needs to parse it (no middleware)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import bibtexparser


def parse_seconds(path: Path) -> dict[str, float]:
    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    library = bibtexparser.parse_string(text)
    return {"seconds": time.perf_counter() - start, "entries": len(library.entries),
            "failed": len(library.failed_blocks)}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "parse":
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(parse_seconds(Path(args[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
