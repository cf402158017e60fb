"""This tree against another revision, side by side in one run: the same site-build benchmark
for both, alternated, on the same corpora.

    python -m bench.against [REV] [--sizes 1k,10k] [--full]

REV (default: the merge-base of HEAD and main) is exported with `git archive` into
bench/results/against/REV and run from there (its own package and bench code, first on
PYTHONPATH; checked). For each size and tree, a `mkdocs serve` session in process
(bench/serve.py, `--hooks-only`: the plugin's hooks as MkDocs calls them, without MkDocs'
own rendering, which is the same for both trees): the cold build, then a rebuild after one
listing of 20 is edited, and a later one. With `--full`, also a cold `mkdocs build` of each
tree (MkDocs and Material included). Printed as a table; saved to
bench/results/against.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from .common import REPO, RESULTS, SIZES, Elapsed, env, fresh_dir
from .run import corpus_folder, prepare
from .sitebuild import SiteChoice, write_site


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_rev() -> str:
    done = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "ccc9e7b"


def export(rev: str) -> Path:
    """REV's files (git archive) under bench/results/against/REV."""
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.strip()
    target = fresh_dir(RESULTS / "against" / commit)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO, stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(target, filter="data")
    return target


def tree_env(tree: Path) -> dict[str, str]:
    out = env()
    out["PYTHONPATH"] = os.pathsep.join([str(tree), *(p for p in out["PYTHONPATH"].split(os.pathsep)
                                                      if p and Path(p).resolve() != REPO)])
    return out


def check_imports(tree: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import mkdocs_readinglist; print(mkdocs_readinglist.__file__)"],
                          cwd=tree, env=tree_env(tree), capture_output=True, text=True, check=True)
    imported = Path(done.stdout.strip()).resolve()
    if tree.resolve() not in imported.parents:
        raise RuntimeError(f"{tree}: imports {imported}, not its own package")


def run_in(tree: Path, args: list[str], timeout: float = 3600) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", *args], cwd=tree, env=tree_env(tree), capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{tree}: {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def full_build(tree: Path, config: Path) -> Elapsed:
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", config.name],
                   cwd=config.parent, env=tree_env(tree), check=True, capture_output=True, timeout=7200)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Elapsed(time.perf_counter() - start,
                   after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def site_for(work: Path, folder: Path, label: str) -> tuple[Path, Path]:
    """A fresh copy of the corpus's listings (a session edits them) and a site reading them."""
    listings = fresh_dir(work / label / "listings")
    for path in folder.iterdir():
        if path.is_file() and path.suffix in (".txt", ".bib", ".lock"):
            shutil.copy(path, listings / path.name)
    shutil.copytree(folder / ".cache", listings / ".cache")
    config = write_site(work / label / "site", listings, SiteChoice())
    return config, listings


def prepared_site(tree: Path, folder: Path, work: Path, label: str) -> tuple[Path, Path]:
    """site_for, with the formatted-references cache made by `tree`'s own code (untimed): the
    cache's format changes between versions, and a tree that cannot read the other's would
    format every reference in its timed cold build."""
    config, listings = site_for(work, folder, label)
    if tree != REPO:
        made = listings / ".cache" / "readinglist" / "references.json"
        made.unlink(missing_ok=True)
        run_in(tree, ["bench.core", "prepare", str(listings)])
        shutil.copy(made, config.parent / ".cache" / "readinglist" / "references.json")  # where the site reads it
    return config, listings


def session(tree: Path, folder: Path, work: Path, label: str, full: bool) -> dict[str, Any]:
    config, listings = prepared_site(tree, folder, work, label)
    result: dict[str, Any] = {}
    if full:
        elapsed = full_build(tree, config)
        result["full_build"] = {"cpu": elapsed.cpu, "wall": elapsed.wall}
        config, listings = prepared_site(tree, folder, work, label + "-serve")
    result.update(run_in(tree, ["bench.serve", str(config.parent), "--listings", str(listings), "--hooks-only"]))
    return result


def report(results: dict[str, Any]) -> str:
    lines = [f"This tree ({results['this']}) against {results['rev']}: CPU seconds of the plugin's hooks "
             "(µs per paper in brackets); pages = paper pages rendered", "",
             "| size | tree | cold | rebuild (1 listing edited) | later rebuild | pages cold / rebuild"
             + (" | full mkdocs build |" if results["full"] else " |"),
             "| --- | --- | ---: | ---: | ---: | ---:" + (" | ---: |" if results["full"] else " |")]
    for size, trees in results["sizes"].items():
        for tree in ("this", "rev"):
            run = trees[tree]
            papers = run["cold"]["papers"]

            def cell(step: str, run: dict[str, Any] = run, papers: int = papers) -> str:
                seconds = run[step]["plugin_seconds"]
                return f"{seconds:.2f} ({seconds / papers * 1e6:.0f})"

            pages = f"{run['cold']['work'].get('paper pages rendered', 0)} / " \
                    f"{run['rebuild']['work'].get('paper pages rendered', 0)}"
            row = f"| {size} | {results[tree]} | {cell('cold')} | {cell('rebuild')} | {cell('later_rebuild')} | {pages}"
            if results["full"]:
                row += f" | {run['full_build']['cpu']:.1f} |"
            else:
                row += " |"
            lines.append(row)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.against")
    parser.add_argument("rev", nargs="?", default=None, help="the revision to compare with (default: merge-base)")
    parser.add_argument("--sizes", default="1k,10k")
    parser.add_argument("--full", action="store_true", help="also a cold `mkdocs build` per tree")
    parser.add_argument("--out", type=Path, default=RESULTS / "against.json")
    args = parser.parse_args(argv)
    rev = args.rev or default_rev()
    other = export(rev)
    check_imports(other)
    check_imports(REPO)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "mkdocs_readinglist"], cwd=REPO, capture_output=True,
                           text=True).stdout.strip()
    results: dict[str, Any] = {"this": head.strip() + ("+changes" if dirty else ""), "rev": other.name,
                               "full": args.full, "sizes": {}}
    work = RESULTS / "against" / "work"
    for size in args.sizes.split(","):
        if size not in SIZES:
            parser.error(f"unknown size {size!r}; known: {', '.join(SIZES)}")
        folder = corpus_folder(size)
        prepare(size, folder, 0)
        trees: dict[str, Any] = {}
        for label, tree in (("this", REPO), ("rev", other)):  # one after the other, same corpus
            log(f"  {size}: {results[label]} ...")
            trees[label] = session(tree, folder, work, f"{size}-{label}", args.full)
        results["sizes"][size] = trees
    shutil.rmtree(work, ignore_errors=True)
    text = report(results)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
