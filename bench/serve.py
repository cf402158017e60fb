"""A `mkdocs serve` rebuild after editing one listing of 20, against the cold build.

In process, as `mkdocs serve` does it: the config is loaded by MkDocs' own `load_config`
for each build, and MkDocs keeps the plugin object across loads (it defines on_startup),
so its SourceCache and memos carry over. Between the builds one abstract in one listing
is edited; then one in another listing, for a second rebuild (a long session's steady state). Measured: the plugin's work (CPU and wall seconds of its on_config and on_files,
where all of it happens), the listings it parsed, the work counters, and the whole build.

    python -m bench.serve SITE_DIR [--hooks-only]

`--hooks-only` calls the plugin's hooks the way MkDocs does but skips MkDocs' rendering
of the pages (the plugin's work is the same; used for the 10k corpus, whose two full
builds would take minutes).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from mkdocs_readinglist.adapters.mkdocs_plugin import ReadingListPlugin

PLUGIN_SECONDS: list[float] = []  # CPU seconds of each hook call (the machine's load aside)
PLUGIN_WALL_SECONDS: list[float] = []


def _timed_hooks() -> None:
    """Time the plugin's hooks (wrapped on the class, before MkDocs registers them)."""
    for name in ("on_config", "on_files"):
        original = getattr(ReadingListPlugin, name)

        def wrapper(self: ReadingListPlugin, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            start, cpu_start = time.perf_counter(), time.process_time()
            try:
                return __original(self, *args, **kwargs)
            finally:
                PLUGIN_SECONDS.append(time.process_time() - cpu_start)
                PLUGIN_WALL_SECONDS.append(time.perf_counter() - start)

        setattr(ReadingListPlugin, name, wrapper)


def edit_one_listing(folder: Path, which: int = 7) -> Path:
    """Change one word of one abstract in one of the listings (a real edit, new bytes)."""
    listing = sorted(p for p in folder.iterdir() if p.suffix == ".txt")[which]
    text = listing.read_text(encoding="utf-8")
    position = text.find(" the ", len(text) // 2)
    listing.write_text(text[:position] + " this " + text[position + 5:], encoding="utf-8")
    return listing


def one_build(config_file: Path, hooks_only: bool, first: bool) -> dict[str, Any]:
    before = len(PLUGIN_SECONDS)
    start = time.perf_counter()
    config = load_config(str(config_file))
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["readinglist"]
    assert isinstance(plugin, ReadingListPlugin)
    reads, work = plugin.cache.reads, dict(plugin.cache.work)
    if hooks_only:  # the events MkDocs' build runs before it renders pages, the plugins' way
        config = config.plugins.on_config(config)
        config.plugins.on_files(get_files(config), config=config)
        config.plugins.on_post_build(config=config)
    else:
        build(config)
    total = time.perf_counter() - start
    assert plugin.corpus is not None
    return {
        "plugin_id": id(plugin), "total_seconds": total, "plugin_seconds": sum(PLUGIN_SECONDS[before:]),
        "plugin_wall_seconds": sum(PLUGIN_WALL_SECONDS[before:]),
        "listings_read": plugin.cache.reads - reads, "files": len(plugin.corpus.results),
        "papers": len(plugin.corpus.papers),
        "work": {k: v - work.get(k, 0) for k, v in plugin.cache.work.items()},
        "stages": dict(plugin.corpus.timings),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("site", type=Path, help="a site folder from bench.sitebuild.write_site")
    parser.add_argument("--listings", type=Path, required=True, help="the listings folder the site reads")
    parser.add_argument("--hooks-only", action="store_true")
    args = parser.parse_args(argv)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    _timed_hooks()
    config_file = args.site.resolve() / "mkdocs.yml"
    cold = one_build(config_file, args.hooks_only, first=True)
    edited = edit_one_listing(args.listings)
    rebuild = one_build(config_file, args.hooks_only, first=False)
    # A second edit, of another listing: the steady state of a long `serve` session (the first
    # rebuild also pays what a process does once, e.g. looking up pybtex's plugins).
    edit_one_listing(args.listings, which=11)
    later = one_build(config_file, args.hooks_only, first=False)
    result = {"cold": cold, "rebuild": rebuild, "later_rebuild": later, "edited": edited.name,
              "same_plugin_object": cold["plugin_id"] == rebuild["plugin_id"] == later["plugin_id"]}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
