"""The package as users install it: `python -m build` makes an sdist and a wheel (the wheel built
from the sdist, so the sdist is proved complete), `twine check` passes, and the wheel installed
into a fresh virtualenv (not this working tree) runs `readinglist --version` and builds the demo
site from a copy of the repo's mkdocs.yml, docs/, bib/ and demo/.

The fresh virtualenv has no system site-packages; pip installs the wheel's dependencies from the
package registry (its cache makes reruns quick).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import pytest
import tomllib

import mkdocs_readinglist
from tests.conftest import DEMO_INPUTS, REPO_ROOT

pytestmark = [pytest.mark.wheel, pytest.mark.slow]

PAPERS = 224  # ground truth of the sample listings (design.md)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env.update({"NO_MKDOCS_2_WARNING": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def _run(args: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist and wheel of a copy of the checkout, built by `python -m build` (wheel from the sdist).
    No build isolation: the test extra installs the build backend, and the build needs no network."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("checkout") / "src"
    ignore = shutil.ignore_patterns(".git", "site", "build", "dist", ".cache", "*.egg-info", "__pycache__",
                                    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "results",
                                    "corpora", "test-artifacts", ".venv")
    shutil.copytree(REPO_ROOT, source, ignore=ignore)
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)], cwd=source)
    return out


def _one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, f"{pattern}: {found}"
    return found[0]


def test_twine_check_passes(dist: Path) -> None:
    wheel, sdist = _one(dist, "*.whl"), _one(dist, "*.tar.gz")
    result = _run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)], cwd=dist)
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_one_version_number(dist: Path) -> None:
    version = mkdocs_readinglist.__version__
    wheel = _one(dist, "*.whl")
    assert wheel.name.startswith(f"mkdocs_readinglist-{version}-"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"mkdocs_readinglist-{version}.dist-info/METADATA").decode()
        names = archive.namelist()
    assert f"\nVersion: {version}\n" in metadata
    assert "Description-Content-Type: text/markdown" in metadata
    # The package's data files travel in the wheel; the tests and the demo stay out of it.
    assert {"mkdocs_readinglist/enrich/taxonomy.yml", "mkdocs_readinglist/enrich/datasets.yml",
            "mkdocs_readinglist/py.typed"} <= set(names)
    assert not [n for n in names if n.startswith(("tests/", "docs/", "bib/"))]
    # Nowhere else in the repository is a version written (pyproject reads __init__.py).
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "mkdocs_readinglist.__version__"}
    assert f"## [{version}]" in (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_sdist_carries_what_the_tests_and_docs_need(dist: Path) -> None:
    sdist = _one(dist, "*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    needed = [n for n in tracked.stdout.splitlines()
              if n.startswith(("tests/", "docs/", "bib/", "demo/", "bench/", "scripts/", "mkdocs_readinglist/"))
              or n in {"mkdocs.yml", "README.md", "CHANGELOG.md", "pyproject.toml"}]
    assert len(needed) > 100
    missing = [n for n in needed if n not in names]
    assert missing == [], f"tracked files missing from the sdist: {missing}"


@pytest.fixture(scope="module")
def fresh_venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv (no system site-packages) with the built wheel installed from the registry's
    dependencies. Returns its bin/ folder."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent)
    config = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in config
    wheel = _one(dist, "*.whl")
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=venv.parent, timeout=1200)
    return venv / "bin"


def test_installed_wheel_is_what_runs(fresh_venv: Path) -> None:
    result = _run([str(fresh_venv / "readinglist"), "--version"], cwd=fresh_venv)
    assert result.stdout.strip() == f"readinglist {mkdocs_readinglist.__version__}"
    probe = _run([str(fresh_venv / "python"), "-c",
                  "import mkdocs_readinglist, importlib.metadata as m; print(mkdocs_readinglist.__file__); "
                  "print(m.distribution('mkdocs-readinglist').read_text('direct_url.json') or '')"], cwd=fresh_venv)
    where, origin = probe.stdout.splitlines()[0], probe.stdout.splitlines()[1]
    venv = fresh_venv.parent.resolve()
    assert Path(where).resolve().is_relative_to(venv), where
    assert not Path(where).resolve().is_relative_to(REPO_ROOT.resolve())
    assert origin.endswith('.whl"}') or ".whl" in origin, origin  # installed from the wheel file, not editable
    assert '"editable": true' not in origin


def test_installed_wheel_builds_the_demo_site(fresh_venv: Path, tmp_path: Path) -> None:
    for name in DEMO_INPUTS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy2(source, tmp_path / name)
    for path in tmp_path.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    result = _run([str(fresh_venv / "mkdocs"), "build", "--strict"], cwd=tmp_path)
    log = result.stdout + result.stderr
    assert f"mkdocs_readinglist: {PAPERS} papers from" in log, log
    papers = list((tmp_path / "site" / "reading-list" / "papers").glob("*/index.html"))
    assert len(papers) == PAPERS
    bib = (tmp_path / "site" / "references.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@", bib, flags=re.MULTILINE)) == PAPERS
    cite = (tmp_path / "site" / "cite" / "index.html").read_text(encoding="utf-8")
    assert "../reading-list/papers/clutch2026/" in cite


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_readme_first_command_from_a_fresh_clone(tmp_path: Path) -> None:
    """The README's `pip install -e . && mkdocs serve`, in a fresh clone and a fresh virtualenv:
    the served site has the reading list. (Its second command, `bash scripts/test.sh`, is this suite.)"""
    clone = tmp_path / "clone"
    if (REPO_ROOT / ".git").exists():
        _run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], cwd=tmp_path)
    else:  # an unpacked sdist: a copy is as fresh as it gets
        shutil.copytree(REPO_ROOT, clone)
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-e", "."], cwd=clone, timeout=1200)
    where = _run([str(venv / "bin" / "python"), "-c", "import mkdocs_readinglist; print(mkdocs_readinglist.__file__)"],
                 cwd=tmp_path).stdout.strip()
    assert Path(where).resolve() == (clone / "mkdocs_readinglist" / "__init__.py").resolve()
    port = _free_port()
    server = subprocess.Popen([str(venv / "bin" / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=clone,
                              env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        log = []
        for line in server.stdout:
            log.append(line)
            if "Serving on" in line or len(log) > 200:
                break
        assert any("Serving on" in line for line in log), "".join(log)
        assert any(f"{PAPERS} papers from" in line for line in log), "".join(log)
        base = f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(base + "reading-list/", timeout=60) as response:
            assert response.status == 200 and "Reading list" in response.read().decode("utf-8")
        with urllib.request.urlopen(base + "reading-list/papers/clutch2026/", timeout=60) as response:
            assert "CLUTCH" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True,
                          check=False).stdout == "" or not (REPO_ROOT / ".git").exists()
