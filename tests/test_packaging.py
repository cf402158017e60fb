"""The package as users install it: `python -m build` makes an sdist and a wheel (the wheel built
from the sdist, so the sdist is proved complete), `twine check` passes, and the wheel installed
into a fresh virtualenv (not this working tree) runs `readinglist --version` and builds the demo
site from a copy of the repo's mkdocs.yml, docs/, bib/ and demo/.

Offline: nothing here reaches a package registry (every pip call has `--no-index`, and
PIP_NO_INDEX=1 is set for all of them). The fresh virtualenv has no system site-packages; the
dependencies come from this test environment, and only those the wheel's own `Requires-Dist`
names (with theirs, recursively): each is linked into a folder the new virtualenv reads through a
`.pth` file, and pip must find every requirement of the wheel there. So a dependency the package
imports but does not declare fails the demo build, and `Requires-Dist` is checked against
pyproject.toml.
"""

from __future__ import annotations

import importlib.metadata
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
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import mkdocs_readinglist
from tests.conftest import REPO_ROOT
from tests.helpers import copy_demo

pytestmark = [pytest.mark.wheel, pytest.mark.slow]

PAPERS = 224  # ground truth of the sample listings (design.md)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env.update({"NO_MKDOCS_2_WARNING": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1"})
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


def _wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(archive.read(n).decode() for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    return [Requirement(line.split(":", 1)[1].strip()) for line in metadata.splitlines()
            if line.startswith("Requires-Dist:")]


def _wanted(requirement: Requirement, extras: frozenset[str]) -> bool:
    marker: Marker | None = requirement.marker
    return marker is None or any(marker.evaluate({"extra": extra}) for extra in (extras or {""}))


def _installed_closure(requirements: list[Requirement]) -> dict[str, importlib.metadata.Distribution]:
    """The distributions of this test environment that `requirements` need, recursively, each
    checked against the version the requirement asks for."""
    found: dict[str, importlib.metadata.Distribution] = {}
    pending = [(r, frozenset[str]()) for r in requirements]
    while pending:
        requirement, extras = pending.pop()
        if not _wanted(requirement, extras):
            continue
        name = canonicalize_name(requirement.name)
        dist = importlib.metadata.distribution(requirement.name)
        assert requirement.specifier.contains(dist.version, prereleases=True), (str(requirement), dist.version)
        if name in found and not requirement.extras:
            continue
        found[name] = dist
        pending.extend((Requirement(r), frozenset(requirement.extras)) for r in dist.requires or [])
    return found


def _overlay(requirements: list[Requirement], folder: Path) -> Path:
    """A folder holding (as links into this test environment) the top-level packages, modules and
    .dist-info folders of the distributions `requirements` need, and nothing else."""
    folder.mkdir(parents=True)
    for name, dist in _installed_closure(requirements).items():
        assert name != "mkdocs-readinglist"
        assert dist.files, f"{name}: no RECORD, its files are unknown"
        for file in dist.files:
            top = file.parts[0]
            if top in ("..", "__pycache__") or top.endswith(".pth") or (folder / top).exists():
                continue
            target = Path(str(dist.locate_file(top)))
            if target.exists():
                (folder / top).symlink_to(target)
    assert not (folder / "mkdocs_readinglist").exists()
    return folder


def _offline_venv(venv: Path, overlay: Path) -> Path:
    """A new virtualenv (no system site-packages) that reads `overlay` through a .pth file."""
    _run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent)
    config = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    assert "include-system-site-packages = false" in config
    site = Path(_run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                     cwd=venv.parent).stdout.strip())
    (site / "test-dependencies.pth").write_text(f"{overlay}\n", encoding="utf-8")
    if (overlay / "setuptools").exists():  # the venv's own (Python 3.11 brings setuptools 65) would come first
        _run([str(venv / "bin" / "python"), "-m", "pip", "uninstall", "-q", "-y", "setuptools"], cwd=venv.parent)
    return venv / "bin"


def test_the_wheel_declares_the_dependencies_pyproject_names(dist: Path) -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = sorted(str(Requirement(r)) for r in pyproject["project"]["dependencies"])
    in_wheel = [r for r in _wheel_requirements(_one(dist, "*.whl"))]
    assert sorted(str(r) for r in in_wheel if r.marker is None) == declared
    # The test extra is declared as an extra, never as a runtime requirement.
    assert all(str(r.marker) == 'extra == "test"' for r in in_wheel if r.marker is not None)
    assert {canonicalize_name(r.name) for r in in_wheel} >= {"mkdocs", "citeproc-py", "bibtexparser", "pybtex"}


@pytest.fixture(scope="module")
def fresh_venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv with the built wheel installed offline: pip finds each of the wheel's
    requirements among the dependencies linked in (only those it declares). Returns its bin/."""
    root = tmp_path_factory.mktemp("wheel-venv")
    wheel = _one(dist, "*.whl")
    runtime = [r for r in _wheel_requirements(wheel) if r.marker is None]
    bin_dir = _offline_venv(root / "venv", _overlay(runtime, root / "dependencies"))
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-index", str(wheel)], cwd=root, timeout=1200)
    check = _run([str(bin_dir / "python"), "-m", "pip", "check"], cwd=root)
    assert "No broken requirements found" in check.stdout, check.stdout
    return bin_dir


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
    copy_demo(tmp_path)
    result = _run([str(fresh_venv / "python"), "-m", "mkdocs", "build", "--strict"], cwd=tmp_path)
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
    # Offline, so without build isolation: the build backend pyproject names comes from this
    # environment, as the dependencies do.
    pyproject = tomllib.loads((clone / "pyproject.toml").read_text(encoding="utf-8"))
    needed = [Requirement(r) for r in [*pyproject["project"]["dependencies"], *pyproject["build-system"]["requires"]]]
    _offline_venv(venv, _overlay(needed, tmp_path / "dependencies"))
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index", "--no-build-isolation", "-e", "."],
         cwd=clone, timeout=1200)
    where = _run([str(venv / "bin" / "python"), "-c", "import mkdocs_readinglist; print(mkdocs_readinglist.__file__)"],
                 cwd=tmp_path).stdout.strip()
    assert Path(where).resolve() == (clone / "mkdocs_readinglist" / "__init__.py").resolve()
    port = _free_port()
    server = subprocess.Popen([str(venv / "bin" / "python"), "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=clone,
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
