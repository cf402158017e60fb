"""A user's large .bib through the core and back out: `python -m bench.bibfile 16000`.

The .bib is made of real entries: TeX Live's TUGboat, typesetting and font bibliographies
(Nelson Beebe's, with their `@string` macros and tool fields), repeated with a numbered key
suffix until it holds N entries. It is read, merged, keyed and written back in one process;
the figures are CPU seconds per stage, microseconds per entry, and the round trip's keys.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from mkdocs_readinglist.pipeline import SourceCache, run_pipeline
from mkdocs_readinglist.render.bibtex import write_bibtex
from mkdocs_readinglist.settings import Settings, SourceSpec

BEEBE = Path("/usr/share/texlive/texmf-dist/bibtex/bib/beebe")
SOURCES = ("tugboat.bib", "typeset.bib", "font.bib")
_KEY = re.compile(r"^(@\s*(?!string|preamble|comment)[A-Za-z]+\s*[{(]\s*)([^,\s]+)(\s*,)", re.MULTILINE | re.IGNORECASE)
_ENTRY = re.compile(r"^@\s*(?!string|preamble|comment)[A-Za-z]+\s*[{(]\s*([^,\s]+)\s*,", re.MULTILINE | re.IGNORECASE)


def make_bib(entries: int) -> str:
    """At least `entries` real entries: the sources, then copies of them, file after file, until
    there are enough; the keys of every copy but the first file's original get a suffix
    (`KEY-1b`, `KEY-2a`, ...), so that no two entries share a key."""
    texts = [(BEEBE / name).read_text(encoding="utf-8", errors="replace") for name in SOURCES]
    copies: list[str] = []
    count = 0
    round_ = 1
    while count < entries:
        for index, text in enumerate(texts):
            if count >= entries:
                break
            suffix = "" if (round_, index) == (1, 0) else f"-{round_}{'abc'[index]}"
            copies.append(_KEY.sub(lambda m, s=suffix: f"{m.group(1)}{m.group(2)}{s}{m.group(3)}", text))
            count += len(_ENTRY.findall(text))
        round_ += 1
    return "\n".join(copies)


def run(entries: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "library.bib"
        path.write_text(make_bib(entries), encoding="utf-8")
        keys = _ENTRY.findall(path.read_text(encoding="utf-8"))
        settings = Settings(base_dir=Path(folder), sources=(SourceSpec("library.bib"),), lock_file="keys.lock")
        cache = SourceCache(memos=False)
        cpu = time.process_time()
        corpus = run_pipeline(settings, cache=cache, write_lock=True)
        after_core = time.process_time()
        text = write_bibtex(corpus.papers)
        after_export = time.process_time()
        written = set(_ENTRY.findall(text))
        figures = {
            "entries": float(len(keys)), "papers": float(len(corpus.papers)),
            "keys kept": float(len(set(keys) & written)), "title comparisons": float(cache.work["title comparisons"]),
            "core cpu s": after_core - cpu, "export cpu s": after_export - after_core,
        }
        figures.update({f"{stage} cpu s": seconds for stage, seconds in corpus.cpu_timings.items()})
        figures["us per entry"] = (after_export - cpu) / len(keys) * 1e6
        return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bibfile", description=__doc__.split("\n")[0])
    parser.add_argument("entries", type=int, nargs="?", default=16000)
    args = parser.parse_args(argv)
    for name, value in run(args.entries).items():
        print(f"{name:>24}: {value:,.3f}" if value % 1 else f"{name:>24}: {int(value):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
