"""What the benchmarks share: paths, the corpora, medians, subprocesses, the machine."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .generate import Corpus, generate

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPORA = BENCH / "corpora"  # generated once, reused (gitignored)
RESULTS = BENCH / "results"  # latest.json (gitignored)
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}


def env() -> dict[str, str]:
    """The environment of every child process: MkDocs without its 2.0 notice, our sources first,
    and Python's bytecode cache on (as on any user's install: pip compiles what it installs), so
    that our package is not compiled again in every process while MkDocs' own packages are not."""
    out = dict(os.environ)
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    out["NO_MKDOCS_2_WARNING"] = "1"
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), out.get("PYTHONPATH")) if p)
    return out


def corpus(name: str, files: int = 20) -> Corpus:
    """The synthetic corpus `1k`, `10k` or `100k` (written on first use)."""
    return generate(SIZES[name], CORPORA / name, seed=0, files=files)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run_json(args: Sequence[str], cwd: Path | None = None, timeout: float = 1800) -> dict[str, Any]:
    """Run `python -m <args>` in a fresh process and return the JSON it prints last."""
    done = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env(), capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def timed(args: Sequence[str], cwd: Path | None = None, timeout: float = 3600) -> float:
    """Wall-clock seconds of `python -m <args>` (must succeed)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env(), capture_output=True, text=True,
                          timeout=timeout)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed


@dataclass(frozen=True)
class Elapsed:
    wall: float
    cpu: float  # user + system seconds of the child process: what the machine's load does not change


def timed_cpu(args: Sequence[str], cwd: Path | None = None, timeout: float = 3600) -> Elapsed:
    """Wall-clock and CPU seconds of `python -m <args>` (must succeed; children run one at a time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env(), capture_output=True, text=True,
                          timeout=timeout)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return Elapsed(elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["processor"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    with contextlib.suppress(OSError):
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "bibtexparser", "pybtex", "pylatexenc", "PyYAML"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            continue
    info["packages"] = versions
    return info
