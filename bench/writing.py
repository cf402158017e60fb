"""Writing at survey size, side by side in one run (issue 15's figures):

- `mkdocs serve` rebuilds, `--dirty` and plain, after a one-word edit of a survey page and
  after editing one listing of 20, each as a share of the first build (CPU seconds of the
  build, in process as `serve` runs it; pages written counted from the site's files);
- `readinglist bib`: marginal CPU cost per paper between two corpus sizes, and its ratio to
  bibtexparser v2 parsing the written file;
- a site that only cites: 50 keys cited from a 1,898-entry .bib, `cite_only` builds against
  MkDocs' own build of the same pages without the plugin (the survey page with the labels and
  references the plugin rendered written in);
- peak memory beyond the text at 100k (the core pipeline and pages, bench.core), and live
  memory by the stage that allocated it at 10k (tracemalloc).

    python -m bench.writing [--serve 1k,10k] [--export 2000,20000] [--cite 1898] [--memory 100k] [--memory-stages 10k]
    python -m bench.writing serve SITE --listings DIR [--dirty]   (one serve session, JSON out)

Figures go to bench/results/writing.json and are printed as tables.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from .common import CORPORA, RESULTS, Elapsed, machine, median, run_json, timed_cpu
from .generate import generate, make_papers, write_file
from .sitebuild import SiteChoice, build_seconds, write_site

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
SURVEY_WORDS = ("pose", "estimation", "keypoints", "skeleton", "transformer", "benchmark", "temporal", "mesh")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _keys(folder: Path, count: int) -> list[str]:
    lock = folder / "readinglist.lock"
    keys = [line.rstrip(":") for line in lock.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(("#", "-", " "))]
    step = max(1, len(keys) // count)
    return keys[::step][:count]


def survey_text(keys: list[str], paragraphs: int = 30, seed: int = 1) -> str:
    """A hand-written survey page: paragraphs of prose citing the keys."""
    rng = random.Random(seed)
    out = ["# Survey\n"]
    for number in range(paragraphs):
        words = " ".join(rng.choice(SURVEY_WORDS) for _ in range(60))
        cited = "; ".join(f"@{k}" for k in rng.sample(keys, min(2, len(keys))))
        out.append(f"\n## Part {number + 1}\n\nThe word {words} [{cited}].\n")
    return "".join(out)


# --- one serve session, in process ------------------------------------------------------


def _html_stamps(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def _one_build(config_file: Path, dirty: bool, first: bool) -> dict[str, Any]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    if first:
        config.plugins.on_startup(command="serve", dirty=dirty)
    site = Path(config.site_dir)
    before = _html_stamps(site) if site.exists() else {}
    start, cpu_start = time.perf_counter(), time.process_time()
    build(config, dirty=dirty and not first)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    after = _html_stamps(site)
    written = [p for p, stamp in after.items() if before.get(p) != stamp]
    return {"wall": wall, "cpu": cpu, "pages": len(after), "written": len(written),
            "generated_written": sum(1 for p in written if p.startswith("reading-list/"))}


def serve_session(site: Path, listings: Path, dirty: bool) -> dict[str, Any]:
    """First build, a one-word edit of the survey page, a rebuild; an edit of one listing of
    20, a rebuild: what `mkdocs serve [--dirty]` does on each save."""
    from mkdocs_readinglist.adapters.mkdocs_plugin import ReadingListPlugin  # kept across loads

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    assert ReadingListPlugin.on_startup is not None
    config_file = site / "mkdocs.yml"
    cold = _one_build(config_file, dirty, first=True)
    survey = site / "docs" / "survey.md"
    text = survey.read_text(encoding="utf-8")
    survey.write_text(text.replace("The word", "One word", 1), encoding="utf-8")
    after_survey = _one_build(config_file, dirty, first=False)
    listing = sorted(p for p in listings.iterdir() if p.suffix == ".txt")[7]
    text = listing.read_text(encoding="utf-8")
    position = text.find(" the ", len(text) // 2)
    listing.write_text(text[:position] + " this " + text[position + 5:], encoding="utf-8")
    after_listing = _one_build(config_file, dirty, first=False)
    return {"dirty": dirty, "cold": cold, "survey_edit": after_survey, "listing_edit": after_listing}


def bench_serve(name: str, work: Path) -> dict[str, Any]:
    from .run import corpus_folder, prepare

    folder = corpus_folder(name)
    prepare(name, folder, 0)
    result: dict[str, Any] = {}
    for dirty in (True, False):
        root = work / f"serve-{name}-{'dirty' if dirty else 'plain'}"
        listings = root / "listings"
        listings.mkdir(parents=True)
        for path in folder.iterdir():
            if path.is_file() and path.suffix in (".txt", ".bib", ".lock"):
                shutil.copy(path, listings / path.name)
        shutil.copytree(folder / ".cache", listings / ".cache")
        config = write_site(root / "site", listings, SiteChoice(), _keys(folder, 1)[0])
        (config.parent / "docs" / "survey.md").write_text(survey_text(_keys(folder, 40)), encoding="utf-8")
        log(f"  serve {name}{' --dirty' if dirty else ''}: first build, survey edit, listing edit")
        session = run_json(["bench.writing", "serve", str(config.parent), "--listings", str(listings)]
                           + (["--dirty"] if dirty else []), timeout=3600)
        for step in ("survey_edit", "listing_edit"):
            session[step]["share"] = session[step]["cpu"] / session["cold"]["cpu"]
        result["dirty" if dirty else "plain"] = session
        shutil.rmtree(root, ignore_errors=True)
    return result


# --- readinglist bib -------------------------------------------------------------------


def bench_export(sizes: list[int], repeats: int, work: Path) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for count in sizes:
        folder = generate(count, CORPORA / f"export-{count}", seed=0).folder
        out = work / f"export-{count}.bib"
        args = ["mkdocs_readinglist.cli", "bib", str(folder), "-o", str(out)]
        # The first run writes the key lock (as a user's first export) and keeps the parsed
        # sources in the working folder's .cache (here a folder of its own).
        cwd = work / f"export-{count}-cwd"
        cwd.mkdir()
        timed_cpu(args, cwd=cwd)
        log(f"  export {count}: readinglist bib x{repeats} (sources parsed) and x{repeats} (kept), "
            f"bibtexparser parse x{repeats}")
        cold = [timed_cpu([*args, "--no-cache"], cwd=cwd) for _ in range(repeats)]
        warm = [timed_cpu(args, cwd=cwd) for _ in range(repeats)]
        # The sources kept but the export made again (another output each time: no export kept
        # for that command), as after a change of one option or of one source.
        made = [timed_cpu([*args[:-1], str(work / f"export-{count}-{number}.bib")], cwd=cwd)
                for number in range(repeats)]
        parses = [run_json(["bench.export", "parse", str(out)]) for _ in range(repeats)]
        rows[str(count)] = {"entries": parses[0]["entries"], "cpu_seconds": median([r.cpu for r in cold]),
                            "wall_seconds": median([r.wall for r in cold]),
                            "kept_cpu_seconds": median([r.cpu for r in warm]),
                            "made_cpu_seconds": median([r.cpu for r in made]),
                            "parse_seconds": median([p["seconds"] for p in parses])}
    result: dict[str, Any] = {"sizes": rows}
    if len(sizes) >= 2:
        small, large = rows[str(sizes[0])], rows[str(sizes[-1])]
        extra = large["entries"] - small["entries"]
        marginal = (large["cpu_seconds"] - small["cpu_seconds"]) / extra * 1e6
        kept = (large["kept_cpu_seconds"] - small["kept_cpu_seconds"]) / extra * 1e6
        made_marginal = (large["made_cpu_seconds"] - small["made_cpu_seconds"]) / extra * 1e6 \
            if "made_cpu_seconds" in large else None
        parse_marginal = (large["parse_seconds"] - small["parse_seconds"]) / extra * 1e6
        result.update(marginal_us_per_paper=marginal, kept_marginal_us_per_paper=kept,
                      made_marginal_us_per_paper=made_marginal,
                      parse_marginal_us_per_paper=parse_marginal,
                      ratio_to_parse=marginal / parse_marginal if parse_marginal > 0 else None,
                      kept_ratio_to_parse=kept / parse_marginal if parse_marginal > 0 else None,
                      whole_ratio_at_largest=large["cpu_seconds"] / large["parse_seconds"])
    return result


# --- a site that only cites -------------------------------------------------------------


def cite_survey(keys: list[str], seed: int = 3) -> str:
    """A hand-written survey citing every one of `keys`, two per paragraph."""
    rng = random.Random(seed)
    out = ["# Survey\n"]
    for number in range(0, len(keys), 2):
        words = " ".join(rng.choice(SURVEY_WORDS) for _ in range(60))
        cited = "; ".join(f"@{k}" for k in keys[number:number + 2])
        out.append(f"\n## Part {number // 2 + 1}\n\nThe word {words} [{cited}].\n")
    return "".join(out)


def write_cite_sites(root: Path, entries: int, cited: int) -> tuple[Path, dict[str, Path], list[str]]:
    """One .bib of `entries` papers, a survey citing `cited` of them; mkdocs.yml files for the
    cite-only layouts and one without the plugin (its survey is written by `plain_survey` once
    the plugin has built the page: the same page, citations and references in place)."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    text = write_file("bibtex", 4, make_papers(entries, seed=5, files=1), rng)
    (root / "refs").mkdir(exist_ok=True)
    (root / "refs" / "library.bib").write_text(text, encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE)
    chosen = keys[:: max(1, len(keys) // cited)][:cited]
    for folder in ("docs", "docs-plain"):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "index.md").write_text("# Notes\n\nSee the [survey](survey.md).\n", encoding="utf-8")
    (root / "docs" / "survey.md").write_text(cite_survey(chosen), encoding="utf-8")
    base = {"site_name": "Cite-only benchmark", "theme": {"name": "material", "font": False}}
    configs: dict[str, Path] = {}
    for label, options in (("cite_only, no pages", {"paper_pages": False}),
                           ("cite_only, cited paper pages", {"paper_pages": True})):
        config = {**base, "plugins": ["search", {"readinglist": {"sources": ["refs"], "cite_only": True, **options}}]}
        path = root / f"mkdocs-{len(configs)}.yml"
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        configs[label] = path
    plain = root / "mkdocs-plain.yml"
    plain.write_text(yaml.safe_dump({**base, "docs_dir": "docs-plain", "plugins": ["search"]}, sort_keys=False),
                     encoding="utf-8")
    configs["MkDocs alone"] = plain
    return root, configs, chosen


_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)


def plain_survey(root: Path, built: Path) -> None:
    """The survey for MkDocs alone: the Markdown the user wrote, each citation replaced by the
    label the plugin rendered for it and the references list the plugin added, as HTML: the same
    page, so that the comparison is of the same site."""
    html_text = (built / "survey" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r"<p>The word [a-z ]+? (\(?<a class=\"citation\".*?)\.</p>", html_text)
    refs = re.search(r'<h2 id="references">.*?</h2>\s*<div id="refs".*?\n</div>', html_text, re.DOTALL)
    assert refs is not None, "no references list in the plugin's page"
    markdown = (root / "docs" / "survey.md").read_text(encoding="utf-8")
    citations = re.findall(r"\[@[^\]]+\]", markdown)
    assert len(labels) == len(citations), (len(labels), len(citations))
    for citation, label in zip(citations, labels, strict=True):
        markdown = markdown.replace(citation, label, 1)
    (root / "docs-plain" / "survey.md").write_text(markdown + "\n" + refs.group(0) + "\n", encoding="utf-8")


def same_page(first: Path, second: Path) -> bool:
    """The survey pages' content (the article) is the same in both built sites."""
    pages = [_ARTICLE.search((site / "survey" / "index.html").read_text(encoding="utf-8")) for site in (first, second)]
    return all(pages) and " ".join(pages[0].group(1).split()) == " ".join(pages[1].group(1).split())  # type: ignore[union-attr]


def bench_cite(entries: int, cited: int, repeats: int, work: Path) -> dict[str, Any]:
    root, configs, chosen = write_cite_sites(work / "cite", entries, cited)
    log(f"  cite-only: {len(chosen)} keys cited from a {entries}-entry .bib, {len(configs)} configs x{repeats}")
    cold: dict[str, Elapsed | None] = {}
    times: dict[str, list[Elapsed]] = {label: [] for label in configs}
    sites = {label: f"site-{label.replace(' ', '_').replace(',', '')}" for label in configs}
    for label, config in configs.items():  # the first build formats the cited references (kept after)
        if label == "MkDocs alone":
            plain_survey(root, root / sites["cite_only, no pages"])
        cold[label] = build_seconds(config, site_dir=sites[label])
    same = same_page(root / sites["cite_only, no pages"], root / sites["MkDocs alone"])
    for _ in range(repeats):  # alternated
        for label, config in configs.items():
            elapsed = build_seconds(config, site_dir=sites[label])
            assert elapsed is not None
            times[label].append(elapsed)
    plain = median([t.cpu for t in times["MkDocs alone"]])
    result: dict[str, Any] = {"entries": entries, "cited": len(chosen), "repeats": repeats, "layouts": {},
                              "same_survey_page": same}
    for label in configs:
        cpu = median([t.cpu for t in times[label]])
        first = cold[label]
        result["layouts"][label] = {"cpu_seconds": cpu, "wall_seconds": median([t.wall for t in times[label]]),
                                    "first_build_cpu_seconds": first.cpu if first else None,
                                    "vs_mkdocs_alone": cpu / plain}
    return result


# --- memory at 100k ----------------------------------------------------------------------


def bench_memory(name: str) -> dict[str, Any]:
    from .run import bench_core, corpus_folder, prepare

    folder = corpus_folder(name)
    length = 0
    if name == "100k":
        length = int(prepare("10k", corpus_folder("10k"), 0).get("mean_reference_length", 0) or 0)
    prepare(name, folder, length)
    log(f"  memory {name}: one core run (pipeline and pages)")
    return bench_core(name, folder, 1)


# What each stage's code allocated, by the file that allocated it (tracemalloc's first frame).
STAGE_OF = (("sources/", "read"), ("latex/decode", "read"), ("bibtexparser", "read"), ("pybtex", "read"),
            ("pylatexenc/latexwalker", "read"), ("pipeline.py", "read"), ("corpus.py", "merge"),
            ("enrich/resolved", "merge"), ("enrich/overrides", "merge"), ("enrich/topics", "topics"),
            ("enrich/keys", "keys"), ("enrich/links", "links"), ("render/", "pages"), ("latex/encode", "pages"),
            ("site.py", "pages"), ("json/", "pages"), ("dataclasses.py", "(copies: replace)"),
            ("text.py", "(shared text helpers)"))


def _stage(filename: str) -> str:
    return next((stage for part, stage in STAGE_OF if part in filename), "other")


def _deep_sizes(roots: dict[str, object], seen: set[int]) -> dict[str, dict[str, int]]:
    """Bytes of the objects each root reaches that no root before it reached (sys.getsizeof),
    strings apart from other objects: what holds the memory."""
    sizes: dict[str, dict[str, int]] = {}
    for name, root in roots.items():
        strings = others = 0
        stack = [root]
        while stack:
            item = stack.pop()
            if id(item) in seen or item is None or isinstance(item, type):
                continue
            seen.add(id(item))
            size = sys.getsizeof(item)
            if isinstance(item, str):
                strings += size
                continue
            others += size
            if isinstance(item, (tuple, list, set, frozenset)):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif type(item).__module__.startswith("mkdocs_readinglist"):
                slots = [name for cls in type(item).__mro__ for name in getattr(cls, "__slots__", ())]
                stack.extend(getattr(item, slot, None) for slot in slots)
                if hasattr(item, "__dict__"):
                    stack.append(vars(item))
        sizes[name] = {"strings": strings, "objects": others}
    return sizes


def memory_stages(folder: Path) -> dict[str, Any]:
    """Live memory by the stage that allocated it (tracemalloc), after the pipeline and after the
    pages, and each phase's peak, in bytes per paper (one process; tracemalloc slows it ~3x)."""
    import tracemalloc

    from mkdocs_readinglist.pipeline import SourceCache, run_pipeline
    from mkdocs_readinglist.render.pages import PageOptions
    from mkdocs_readinglist.render.reference import ReferenceFormatter
    from mkdocs_readinglist.site import site_pages

    from .core import references_cache, settings_for

    settings = settings_for(folder)
    text = sum(p.stat().st_size for p in folder.iterdir() if p.suffix in (".txt", ".bib"))
    tracemalloc.start(1)
    corpus = run_pipeline(settings, cache=SourceCache(memos=False))
    _, pipeline_peak = tracemalloc.get_traced_memory()
    papers = len(corpus.papers)

    def by_stage() -> dict[str, float]:
        totals: dict[str, float] = {}
        for stat in tracemalloc.take_snapshot().statistics("filename"):
            stage = _stage(stat.traceback[0].filename)
            totals[stage] = totals.get(stage, 0.0) + stat.size / papers
        return dict(sorted(totals.items(), key=lambda item: -item[1]))

    after_pipeline = by_stage()
    tracemalloc.reset_peak()
    pages, references = site_pages(corpus, PageOptions(), ReferenceFormatter(references_cache(folder)))
    _, pages_peak = tracemalloc.get_traced_memory()
    after_pages = by_stage()
    # What holds the memory once the pages are made: the corpus's parts, the pages, and the
    # process's function caches (each measured by what clearing it frees).
    seen: set[int] = {id(corpus.taxonomy), id(corpus.cache)}
    # The pages before the references: a one-shot run's references are formatted again only when
    # asked (site._ReferencesAgain), and what that holds meanwhile (the site's .bib text) is a page.
    held = _deep_sizes({"papers": corpus.papers, "links": corpus.links, "key lock": corpus.lock,
                        "file results (records)": corpus.results, "diagnostics, merges": (corpus.diagnostics, corpus.merges),
                        "pages": pages, "formatted references": references}, seen)
    held_per_paper = {f"{name} ({kind})": size / papers for name, sizes in held.items() for kind, size in sizes.items()}
    import functools
    import gc

    gc.collect()
    for cache in [o for o in gc.get_objects() if isinstance(o, functools._lru_cache_wrapper)]:
        before = tracemalloc.get_traced_memory()[0]
        entries = cache.cache_info().currsize
        cache.cache_clear()
        freed = before - tracemalloc.get_traced_memory()[0]
        if freed > papers:  # more than a byte per paper
            held_per_paper[f"cache {cache.__module__}.{cache.__qualname__} ({entries} entries)"] = freed / papers
    tracemalloc.stop()
    return {"papers": papers, "listings_bytes_per_paper": text / papers, "held_after_pages": held_per_paper,
            "pages_text_bytes_per_paper": sum(sys.getsizeof(p.content) for p in pages) / papers,
            "pipeline_peak_bytes_per_paper": pipeline_peak / papers, "pages_peak_bytes_per_paper": pages_peak / papers,
            "after_pipeline": after_pipeline, "after_pages": after_pages}


def bench_memory_stages(name: str) -> dict[str, Any]:
    from .run import corpus_folder, prepare

    folder = corpus_folder(name)
    prepare(name, folder, 0)
    log(f"  memory by stage {name}: one traced run")
    return run_json(["bench.writing", "memory-stages", str(folder)], timeout=3600)


# --- report -----------------------------------------------------------------------------


def report(results: dict[str, Any]) -> str:
    out: list[str] = []
    serve = results.get("serve", {})
    if serve:
        out.append("mkdocs serve rebuilds as a share of the first build (CPU seconds of the build; pages written)")
        out.append("| corpus | mode | first build s | survey edit s | share | pages written | listing edit s "
                   "| share | pages written |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, modes in serve.items():
            for mode, r in modes.items():
                s, e = r["survey_edit"], r["listing_edit"]
                out.append(f"| {name} | {'serve --dirty' if mode == 'dirty' else 'serve'} | {r['cold']['cpu']:.2f} "
                           f"| {s['cpu']:.2f} | {s['share']:.1%} | {s['written']} of {s['pages']} | {e['cpu']:.2f} "
                           f"| {e['share']:.1%} | {e['written']} of {e['pages']} |")
    export = results.get("export")
    if export:
        out.append("\n`readinglist bib` (CPU seconds, median): sources parsed (--no-cache), kept from the "
                   "last run (the same command again: the export itself is kept), the sources kept but the "
                   "export made again (another output); bibtexparser v2 parsing the written file")
        out.append("| papers | export s (parsed) | export s (kept) | export s (sources kept) | parse s |\n"
                   "|---:|---:|---:|---:|---:|")
        for r in export["sizes"].values():
            out.append(f"| {r['entries']} | {r['cpu_seconds']:.2f} | {r['kept_cpu_seconds']:.2f} "
                       f"| {r.get('made_cpu_seconds', float('nan')):.2f} | {r['parse_seconds']:.2f} |")
        if "marginal_us_per_paper" in export:
            ratio, kept = export["ratio_to_parse"], export["kept_ratio_to_parse"]
            out.append(f"marginal cost: {export['marginal_us_per_paper']:.0f} µs/paper sources parsed, "
                       f"{export['kept_marginal_us_per_paper']:.0f} µs/paper kept, "
                       f"{export.get('made_marginal_us_per_paper') or float('nan'):.0f} µs/paper sources kept "
                       f"and export made (bibtexparser's parse: "
                       f"{export['parse_marginal_us_per_paper']:.0f} µs/paper; ratios "
                       f"{'x' + format(ratio, '.1f') if ratio else 'n/a'} and "
                       f"{'x' + format(kept, '.1f') if kept else 'n/a'}); whole run at the largest size: "
                       f"x{export['whole_ratio_at_largest']:.1f} the parse")
    cite = results.get("cite")
    if cite:
        out.append(f"\nA site that only cites: {cite['cited']} keys from a {cite['entries']}-entry .bib "
                   f"(CPU seconds of mkdocs build, median of {cite['repeats']}; MkDocs alone builds the same "
                   f"survey page with the plugin's labels and references written in: "
                   f"{'same page' if cite.get('same_survey_page') else 'NOT the same page'})")
        out.append("| layout | build s | first build s | vs MkDocs alone |\n|---|---:|---:|---:|")
        for label, r in cite["layouts"].items():
            first = r["first_build_cpu_seconds"]
            out.append(f"| {label} | {r['cpu_seconds']:.2f} | {first:.2f} | x{r['vs_mkdocs_alone']:.2f} |"
                       if first is not None else f"| {label} | {r['cpu_seconds']:.2f} | - | x{r['vs_mkdocs_alone']:.2f} |")
    stages = results.get("memory_stages")
    if stages:
        out.append(f"\nLive memory by the stage that allocated it, {stages['papers']} papers (tracemalloc; bytes "
                   f"per paper; listings {stages['listings_bytes_per_paper']:.0f}, pages' text "
                   f"{stages['pages_text_bytes_per_paper']:.0f}; peaks: pipeline "
                   f"{stages['pipeline_peak_bytes_per_paper']:.0f}, pipeline and pages "
                   f"{stages['pages_peak_bytes_per_paper']:.0f})")
        out.append("| stage | after the pipeline | after the pages |\n|---|---:|---:|")
        for stage in dict.fromkeys([*stages["after_pages"], *stages["after_pipeline"]]):
            out.append(f"| {stage} | {stages['after_pipeline'].get(stage, 0):.0f} | {stages['after_pages'].get(stage, 0):.0f} |")
        held = stages.get("held_after_pages")
        if held:
            out.append("\nWhat holds it after the pages (bytes per paper; each object counted once, for the first "
                       "holder named; strings apart)")
            out.append("| held by | bytes/paper |\n|---|---:|")
            for name, size in sorted(held.items(), key=lambda item: -item[1]):
                out.append(f"| {name} | {size:.0f} |")
    memory = results.get("memory")
    if memory:
        out.append(f"\nPeak memory at {memory['papers']} papers: {memory['peak_kb_per_paper']:.1f} KB/paper, beyond "
                   f"the text (listings and pages) {memory['beyond_text_kb_per_paper']:.1f} KB/paper; the pipeline "
                   f"alone beyond the listings {memory['pipeline_beyond_text_kb_per_paper']:.1f} KB/paper")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list[:1] == ["memory-stages"]:
        print(json.dumps(memory_stages(Path(args_list[1]).resolve())))
        return 0
    if args_list[:1] == ["serve"]:
        parser = argparse.ArgumentParser(prog="python -m bench.writing serve")
        parser.add_argument("command")
        parser.add_argument("site", type=Path)
        parser.add_argument("--listings", type=Path, required=True)
        parser.add_argument("--dirty", action="store_true")
        ns = parser.parse_args(args_list)
        print(json.dumps(serve_session(ns.site.resolve(), ns.listings.resolve(), ns.dirty)))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.writing", description=__doc__.split("\n")[0])
    parser.add_argument("--serve", default="1k,10k", help="corpora for the serve rebuilds ('' to skip)")
    parser.add_argument("--export", default="2000,20000", help="two corpus sizes for `readinglist bib` ('' to skip)")
    parser.add_argument("--cite", type=int, default=1898, help="entries of the cite-only .bib (0 to skip)")
    parser.add_argument("--cited", type=int, default=50)
    parser.add_argument("--memory", default="100k", help="corpus for peak memory ('' to skip)")
    parser.add_argument("--memory-stages", default="10k",
                        help="corpus for live memory by stage, traced (~1 min at 10k; '' to skip)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS / "writing.json")
    ns = parser.parse_args(args_list)
    results: dict[str, Any] = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="readinglist-writing-") as tmp:
        work = Path(tmp)
        if ns.cite:
            results["cite"] = bench_cite(ns.cite, ns.cited, ns.repeats, work)
        if ns.export:
            results["export"] = bench_export([int(s) for s in ns.export.split(",")], ns.repeats, work)
        if ns.serve:
            results["serve"] = {name: bench_serve(name, work) for name in ns.serve.split(",")}
        if ns.memory_stages:
            results["memory_stages"] = bench_memory_stages(ns.memory_stages)
        if ns.memory:
            results["memory"] = bench_memory(ns.memory)
    results["seconds"] = time.time() - started
    ns.out.parent.mkdir(parents=True, exist_ok=True)
    ns.out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(report(results))
    print(f"\n{results['seconds'] / 60:.1f} min; figures in {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
