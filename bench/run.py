"""The benchmark suite: `python -m bench` (from the repository root) prints the figures and
writes them to bench/results/latest.json.

Corpora: the sample listings (bib/) and synthetic corpora of 1k, 10k and 100k papers
(bench/generate.py, written once under bench/corpora/). Every timed run is a fresh process;
figures are medians over the runs. Ratios are measured in the same run of the suite.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import CORPORA, REPO, RESULTS, Elapsed, corpus, machine, median, run_json, timed
from .sitebuild import SiteChoice, build_seconds, write_plain_site, write_site

STAGES = ("read", "merge", "topics", "keys", "links", "bibtex entries", "references", "pages")
SHORT = {"bibtex entries": "bibtex", "references": "refs"}
TARGETS = {"core_us_per_paper": 50.0, "plugin_overhead": 0.10, "rebuild_share": 0.10, "beyond_text_kb": 2.0}


@dataclass
class Plan:
    core_sizes: tuple[str, ...] = ("samples", "1k", "10k", "100k")
    # A 100k run takes ~3 minutes: one run in the default suite (say `--repeats-100k 3` for a median).
    repeats: dict[str, int] = field(default_factory=lambda: {"samples": 5, "1k": 5, "10k": 3, "100k": 1})
    mkdocs_sizes: tuple[str, ...] = ("1k", "10k")
    mkdocs_repeats: dict[str, int] = field(default_factory=lambda: {"1k": 5, "10k": 1})
    choice_repeats: dict[str, int] = field(default_factory=lambda: {"1k": 1, "10k": 1})
    choice_timeout: float = 300.0  # a choice whose build takes longer is reported as stopped
    # Site choices (paper pages, pagination) at these sizes: 1k by default; 10k adds ~8 minutes.
    choice_sizes: tuple[str, ...] = ("1k",)
    choices: bool = True
    serve: tuple[tuple[str, bool], ...] = (("1k", False), ("10k", True))  # (size, hooks only)
    export_sizes: tuple[str, ...] = ("10k",)
    export_repeats: int = 3


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def corpus_folder(name: str) -> Path:
    if name == "samples":
        folder = CORPORA / "samples"
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted((REPO / "bib").glob("*.txt")):
            target = folder / path.name
            if not target.exists() or target.read_bytes() != path.read_bytes():
                shutil.copy(path, target)
        return folder
    return corpus(name).folder


def code_version() -> str:
    """A digest of the package's sources: prepared corpora are prepared again when it changes
    (BibTeX entries, hence the references cache's keys, may have changed with it)."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted((REPO / "mkdocs_readinglist").rglob("*")):
        if path.suffix in (".py", ".yml"):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare(name: str, folder: Path, reference_length: int) -> dict[str, Any]:
    """Key lock and references cache, once per corpus and code version (untimed, as a
    user's first build)."""
    stamp = folder / ".cache" / "readinglist" / "prepared.json"
    version = code_version()
    if stamp.exists() and (folder / "readinglist.lock").exists():
        done = dict(json.loads(stamp.read_text(encoding="utf-8")))
        if done.get("code") == version:
            return done
    log(f"  preparing {name}: key lock and formatted references (once per code version) ...")
    args = ["bench.core", "prepare", str(folder)]
    if name == "100k":  # pybtex would need ~5 min here: placeholders of the real mean length
        args += ["--placeholder-length", str(reference_length or 160)]
    result = run_json(args, timeout=3600)
    result["code"] = version
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(result), encoding="utf-8")
    return result


def bench_core(name: str, folder: Path, repeats: int) -> dict[str, Any]:
    runs = []
    for number in range(repeats):
        runs.append(run_json(["bench.core", "run", str(folder)], timeout=3600))
        log(f"  core {name} [{number + 1}/{repeats}]: {runs[-1]['cpu']:.1f} s CPU, {runs[-1]['wall']:.1f} s wall, "
            f"{runs[-1]['papers']} papers")
    papers = runs[0]["papers"]
    cpu = {s: median([r["cpu_stages"][s] for r in runs]) for s in STAGES}
    wall = {s: median([r["wall_stages"][s] for r in runs]) for s in STAGES}
    used = median([(r["rss_peak_kb"] - r["rss_base_kb"]) * 1024 for r in runs])
    text = runs[0]["text_bytes"] + runs[0].get("output_bytes", runs[0]["output_chars"])
    return {
        "papers": papers, "records": runs[0]["records"], "files": runs[0]["files"], "runs": len(runs),
        "cpu_seconds": median([r["cpu"] for r in runs]), "wall_seconds": median([r["wall"] for r in runs]),
        "cpu_us_per_paper": median([r["cpu"] for r in runs]) / papers * 1e6,
        "wall_us_per_paper": median([r["wall"] for r in runs]) / papers * 1e6,
        "cpu_stage_us_per_paper": {s: v / papers * 1e6 for s, v in cpu.items()},
        "wall_stage_us_per_paper": {s: v / papers * 1e6 for s, v in wall.items()},
        "peak_memory_bytes": used, "peak_kb_per_paper": used / papers / 1024,
        "input_text_bytes": runs[0]["text_bytes"], "output_text_chars": runs[0]["output_chars"],
        "output_text_bytes": runs[0].get("output_bytes"),
        "beyond_text_kb_per_paper": (used - text) / papers / 1024,
        # The pipeline alone (read .. links): its peak beyond the listings' text.
        "pipeline_beyond_text_kb_per_paper": median([(r["rss_pipeline_peak_kb"] - r["rss_base_kb"]) * 1024
                                                     - r["text_bytes"] for r in runs]) / papers / 1024,
        "work_per_paper": {k: v / papers for k, v in runs[0]["work"].items()},
    }


def first_key(folder: Path) -> str:
    lock = folder / "readinglist.lock"
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "-", " ")):
            return line.rstrip(":")
    return "unknown"


def _builds(config: Path, repeats: int, what: str, timeout: float = 3600) -> list[Elapsed | None]:
    """`mkdocs build` timings; a build stopped at `timeout` is None and ends the repeats."""
    times: list[Elapsed | None] = []
    for number in range(repeats):
        elapsed = build_seconds(config, timeout=timeout)
        times.append(elapsed)
        counted = f" [{number + 1}/{repeats}]" if repeats > 1 else ""
        log(f"  {what}{counted}: " + (f"{elapsed.cpu:.1f} s CPU, {elapsed.wall:.1f} s wall" if elapsed is not None
                                      else f"stopped after {timeout:.0f} s"))
        if elapsed is None:
            break
    return times


def _median_or_none(values: list[Elapsed | None], what: str = "cpu") -> float | None:
    if not values or any(v is None for v in values):
        return None
    return median([getattr(v, what) for v in values if v is not None])


def _build_figures(times: list[Elapsed | None]) -> dict[str, Any]:
    return {"seconds": _median_or_none(times), "wall_seconds": _median_or_none(times, "wall"), "runs": len(times),
            "all": [None if t is None else {"cpu": t.cpu, "wall": t.wall} for t in times]}


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b - 1 if a and b else None


def bench_mkdocs(name: str, folder: Path, repeats: int, choice_repeats: int, choices: bool, timeout: float,
                 work: Path) -> dict[str, Any]:
    """Build times are CPU seconds of the build process (medians; MkDocs builds on one core), so
    that a shared machine's load does not make the ratio; wall seconds are kept beside them."""
    key = first_key(folder)
    default = SiteChoice()
    plugin_config = write_site(work / f"{name}-plugin", folder, default, key)
    plain_config = write_plain_site(work / f"{name}-plain", folder, default, key)
    plugin_times: list[Elapsed | None] = []
    plain_times: list[Elapsed | None] = []
    for number in range(repeats):  # alternated, so that a change in the machine's load hits both alike
        plugin_times += _builds(plugin_config, 1, f"mkdocs {name}, with the plugin [{number + 1}/{repeats}]")
        plain_times += _builds(plain_config, 1, f"mkdocs {name}, the same pages as plain files, plugin off "
                                                f"[{number + 1}/{repeats}]")
    pages = sum(1 for _ in (plain_config.parent / "docs").rglob("*.md"))
    plugin, plain = _build_figures(plugin_times), _build_figures(plain_times)
    result: dict[str, Any] = {
        "repeats": repeats, "pages": pages, "plugin_seconds": plugin["seconds"], "plain_seconds": plain["seconds"],
        "plugin_wall_seconds": plugin["wall_seconds"], "plain_wall_seconds": plain["wall_seconds"],
        "plugin_all": plugin["all"], "plain_all": plain["all"],
        "overhead": _ratio(plugin["seconds"], plain["seconds"]),
        "overhead_wall": _ratio(plugin["wall_seconds"], plain["wall_seconds"]),
        "choices": {default.label: {**plugin, "timeout": None}},
    }
    shutil.rmtree(work / f"{name}-plain", ignore_errors=True)
    if choices:
        for choice in (SiteChoice(True, 100), SiteChoice(False, 0), SiteChoice(False, 100)):
            config = write_site(work / f"{name}-{int(choice.paper_pages)}-{choice.topic_page_size}", folder, choice, key)
            times = _builds(config, choice_repeats, f"mkdocs {name}, {choice.label}", timeout)
            result["choices"][choice.label] = {**_build_figures(times), "timeout": timeout}
            shutil.rmtree(config.parent, ignore_errors=True)
    for path in work.glob(f"{name}-*"):
        shutil.rmtree(path, ignore_errors=True)
    return result


def bench_serve(name: str, folder: Path, hooks_only: bool, work: Path) -> dict[str, Any]:
    listings = work / f"serve-{name}" / "listings"
    listings.mkdir(parents=True)
    for path in folder.iterdir():
        if path.is_file() and path.suffix in (".txt", ".bib", ".lock"):
            shutil.copy(path, listings / path.name)
    shutil.copytree(folder / ".cache", listings / ".cache")
    site = write_site(work / f"serve-{name}" / "site", listings, SiteChoice(), first_key(folder)).parent
    log(f"  serve {name}: cold build, edit one listing of {sum(1 for p in listings.iterdir() if p.is_file()) - 1}, "
        f"rebuild{' (plugin hooks only)' if hooks_only else ''}")
    result = run_json(["bench.serve", str(site), "--listings", str(listings)] + (["--hooks-only"] if hooks_only else []),
                      timeout=3600)
    result["hooks_only"] = hooks_only
    result["plugin_share"] = result["rebuild"]["plugin_seconds"] / result["cold"]["plugin_seconds"]
    result["later_plugin_share"] = result["later_rebuild"]["plugin_seconds"] / result["cold"]["plugin_seconds"]
    result["build_share"] = result["rebuild"]["total_seconds"] / result["cold"]["total_seconds"]
    shutil.rmtree(work / f"serve-{name}", ignore_errors=True)
    return result


def bench_export(name: str, folder: Path, repeats: int, work: Path) -> dict[str, Any]:
    out = work / f"export-{name}.bib"
    log(f"  export {name}: readinglist bib x{repeats}, bibtexparser parse x{repeats}")
    export = [timed(["mkdocs_readinglist.cli", "bib", str(folder), "-o", str(out)]) for _ in range(repeats)]
    parses = [run_json(["bench.export", "parse", str(out)]) for _ in range(repeats)]
    entries = parses[0]["entries"]
    return {"entries": entries, "export_seconds": median(export), "parse_seconds": median([p["seconds"] for p in parses]),
            "export_us_per_entry": median(export) / entries * 1e6,
            "parse_us_per_entry": median([p["seconds"] for p in parses]) / entries * 1e6,
            "ratio": median(export) / median([p["seconds"] for p in parses])}


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    return "\n".join([line(cells[0]), line(["-" * w for w in widths]), *map(line, cells[1:])])


def _percent(value: float | None) -> str:
    return f"{value:+.1%}" if value is not None else "-"


def _seconds(value: float | None, timeout: float | None = None) -> str:
    if value is not None:
        return f"{value:.1f}"
    return f"> {timeout:.0f} (stopped)" if timeout else "-"


def report(results: dict[str, Any]) -> str:
    out: list[str] = []
    core = results.get("core", {})
    if core:
        out.append("Core pipeline: µs per paper (CPU time, median of runs; wall time in the last columns)")
        rows = []
        for name, r in core.items():
            stages = r["cpu_stage_us_per_paper"]
            rows.append([name, r["papers"], r["runs"], *(f"{stages[s]:.0f}" for s in STAGES),
                         f"{r['cpu_us_per_paper']:.0f}", f"{r['wall_us_per_paper']:.0f}"])
        out.append(table(rows, ["corpus", "papers", "runs", *(SHORT.get(s, s) for s in STAGES), "total", "wall"]))
        out.append("\nPeak memory (resident, beyond the interpreter and imports): KB per paper")
        rows = [[name, f"{r['peak_kb_per_paper']:.1f}", f"{r['input_text_bytes'] / r['papers'] / 1024:.1f}",
                 f"{(r['output_text_bytes'] or 0) / r['papers'] / 1024:.1f}", f"{r['beyond_text_kb_per_paper']:.1f}",
                 f"{r['pipeline_beyond_text_kb_per_paper']:.1f}"] for name, r in core.items()]
        out.append(table(rows, ["corpus", "peak", "listings' text", "pages' text", "beyond the text",
                                "pipeline only, beyond the listings"]))
        sizes = [n for n in ("1k", "10k", "100k") if n in core]
        if len(sizes) >= 2:
            growth = [f"{b}/{a}: x{core[b]['cpu_us_per_paper'] / core[a]['cpu_us_per_paper']:.2f}"
                      for a, b in itertools.pairwise(sizes)]
            out.append("Per-paper cost as the corpus grows (1.00 = linear): " + ", ".join(growth))
    mkdocs = results.get("mkdocs", {})
    if mkdocs:
        out.append("\nmkdocs build (CPU seconds of the build, median; wall in the last columns): with the plugin "
                   "vs the same pages as plain Markdown, plugin off")
        rows = [[name, r["pages"], r["repeats"], _seconds(r["plugin_seconds"]), _seconds(r["plain_seconds"]),
                 _percent(r["overhead"]), _seconds(r.get("plugin_wall_seconds")), _seconds(r.get("plain_wall_seconds")),
                 _percent(r.get("overhead_wall"))] for name, r in mkdocs.items()]
        out.append(table(rows, ["corpus", "pages", "runs", "plugin", "plain", "plugin's cost", "plugin wall",
                                "plain wall", "cost (wall)"]))
        choice_rows = [[name, label, c["runs"], _seconds(c["seconds"], c["timeout"]),
                        _seconds(c.get("wall_seconds"), c["timeout"])]
                       for name, r in mkdocs.items() for label, c in r["choices"].items()]
        out.append("\nSite choices: `mkdocs build` with the plugin, CPU and wall seconds")
        out.append(table(choice_rows, ["corpus", "choice", "runs", "CPU s", "wall s"]))
    serve = results.get("serve", {})
    if serve:
        out.append("\nServe rebuild after editing one listing of 20, vs the cold build (plugin: CPU seconds of its hooks)")
        rows = []
        for name, r in serve.items():
            rows.append([name + (" (hooks)" if r["hooks_only"] else ""), r["cold"]["listings_read"],
                         r["rebuild"]["listings_read"], f"{r['cold']['plugin_seconds']:.2f}",
                         f"{r['rebuild']['plugin_seconds']:.2f}", f"{r['plugin_share']:.1%}",
                         f"{r['later_plugin_share']:.1%}",
                         f"{r['cold']['total_seconds']:.1f}", f"{r['rebuild']['total_seconds']:.1f}",
                         f"{r['build_share']:.0%}"])
        out.append(table(rows, ["corpus", "read cold", "read rebuild", "plugin cold s", "plugin rebuild s",
                                "plugin share", "2nd rebuild share", "build cold s", "build rebuild s", "build share"]))
    export = results.get("export", {})
    if export:
        out.append("\n`readinglist bib` export vs bibtexparser v2 parsing the exported file (reference point)")
        rows = [[name, r["entries"], f"{r['export_seconds']:.2f}", f"{r['export_us_per_entry']:.0f}",
                 f"{r['parse_seconds']:.2f}", f"{r['parse_us_per_entry']:.0f}", f"x{r['ratio']:.1f}"]
                for name, r in export.items()]
        out.append(table(rows, ["corpus", "entries", "export s", "µs/entry", "parse s", "µs/entry", "export/parse"]))
    if results.get("targets"):
        out.append("\nTargets")
        out.extend(f"  {'met ' if t['met'] else 'MISS'}  {t['what']}: {t['figure']} (target {t['target']})"
                   for t in results["targets"])
    return "\n".join(out)


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    core = results.get("core", {})
    for name in ("10k", "100k"):
        if name in core:
            value = core[name]["cpu_us_per_paper"]
            checks.append({"what": f"core pipeline at {name}", "figure": f"{value:.0f} µs/paper",
                           "target": "< 50 µs/paper", "met": value < TARGETS["core_us_per_paper"], "value": value})
    if "10k" in core and "100k" in core:
        growth = core["100k"]["cpu_us_per_paper"] / core["10k"]["cpu_us_per_paper"]
        checks.append({"what": "linear growth 10k -> 100k", "figure": f"x{growth:.2f} per paper",
                       "target": "<= x1.2 per paper", "met": growth <= 1.2, "value": growth})
    for name, r in core.items():
        if name in ("10k", "100k"):
            value = r["beyond_text_kb_per_paper"]
            checks.append({"what": f"peak memory beyond the text (listings and pages) at {name}",
                           "figure": f"{value:.1f} KB/paper", "target": "< 2 KB/paper",
                           "met": value < TARGETS["beyond_text_kb"], "value": value})
            value = r["pipeline_beyond_text_kb_per_paper"]
            checks.append({"what": f"peak memory of the pipeline (read .. links) beyond the listings at {name}",
                           "figure": f"{value:.1f} KB/paper", "target": "< 2 KB/paper",
                           "met": value < TARGETS["beyond_text_kb"], "value": value})
    for name, r in results.get("mkdocs", {}).items():
        if r["overhead"] is None:
            continue
        checks.append({"what": f"plugin's cost on mkdocs build at {name}", "figure": f"{r['overhead']:+.1%}",
                       "target": "< 10%", "met": r["overhead"] < TARGETS["plugin_overhead"], "value": r["overhead"]})
    for name, r in results.get("serve", {}).items():
        checks.append({"what": f"serve rebuild plugin work at {name}",
                       "figure": f"{r['plugin_share']:.1%} of cold (a second rebuild: {r['later_plugin_share']:.1%})",
                       "target": "< 10%", "met": r["plugin_share"] < TARGETS["rebuild_share"], "value": r["plugin_share"]})
    return checks


def save(results: dict[str, Any], out: Path) -> None:
    """The figures so far (a long run that is stopped keeps what it measured)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="samples and 1k only, fewer runs (a smoke test)")
    parser.add_argument("--sizes", help="core corpora, e.g. samples,1k,10k (default: samples,1k,10k,100k)")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: core, mkdocs, choices, serve, export")
    parser.add_argument("--choices", help="corpora to build each site choice for (default: 1k; 1k,10k adds ~8 min)")
    parser.add_argument("--repeats-100k", type=int, help="core runs at 100k (default 1: ~3 min each)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    plan = Plan()
    if args.quick:
        plan = Plan(core_sizes=("samples", "1k"), repeats={"samples": 3, "1k": 3}, mkdocs_sizes=("1k",),
                    mkdocs_repeats={"1k": 1}, choices=False, serve=(("1k", False),), export_sizes=("1k",),
                    export_repeats=1)
    if args.sizes:
        plan.core_sizes = tuple(args.sizes.split(","))
    if args.choices:
        plan.choice_sizes = tuple(args.choices.split(","))
    if args.repeats_100k:
        plan.repeats["100k"] = args.repeats_100k
    skip = set(filter(None, args.skip.split(",")))
    started = time.time()
    results: dict[str, Any] = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                               "plan": {k: v for k, v in vars(plan).items()}}
    names = list(dict.fromkeys([*plan.core_sizes, *plan.mkdocs_sizes, *(s for s, _ in plan.serve), *plan.export_sizes]))
    folders: dict[str, Path] = {}
    prepared: dict[str, Any] = {}
    for name in ("samples", "1k", "10k", "100k"):  # in size order: 100k borrows 10k's reference length
        if name in names:
            log(f"corpus {name}")
            folders[name] = corpus_folder(name)
            length = int(prepared.get("10k", {}).get("mean_reference_length", 0) or 0)
            prepared[name] = prepare(name, folders[name], length)
    results["prepared"] = prepared
    with tempfile.TemporaryDirectory(prefix="readinglist-bench-") as tmp:
        work = Path(tmp)
        if "core" not in skip:
            results["core"] = {}
            for name in plan.core_sizes:
                results["core"][name] = bench_core(name, folders[name], plan.repeats.get(name, 3))
                save(results, args.out)
        if "mkdocs" not in skip:
            results["mkdocs"] = {}
            for name in plan.mkdocs_sizes:
                results["mkdocs"][name] = bench_mkdocs(
                    name, folders[name], plan.mkdocs_repeats.get(name, 1), plan.choice_repeats.get(name, 1),
                    plan.choices and "choices" not in skip and name in plan.choice_sizes, plan.choice_timeout, work)
                save(results, args.out)
        if "serve" not in skip:
            results["serve"] = {name: bench_serve(name, folders[name], hooks_only, work) for name, hooks_only in plan.serve}
            save(results, args.out)
        if "export" not in skip:
            results["export"] = {name: bench_export(name, folders[name], plan.export_repeats, work)
                                 for name in plan.export_sizes}
    results["targets"] = judge(results)
    results["seconds"] = time.time() - started
    results["machine"]["load_average_after"] = machine().get("load_average")
    save(results, args.out)
    m = results["machine"]
    print(f"Machine: {m.get('processor')}, {m.get('cpus')} CPUs, {m.get('memory_gb')} GB, Python {m.get('python')}; "
          f"load average {m.get('load_average')} before, {m.get('load_average_after')} after")
    print(report(results))
    print(f"\n{results['seconds'] / 60:.1f} min; figures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
