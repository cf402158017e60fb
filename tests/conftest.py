"""Shared fixtures. Keep fixture names distinct: several test modules add to this file."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .helpers import copy_demo, copy_samples

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's demo site, built once per session by a real `mkdocs build --strict`
    in a copy of the repo (so the build's lock file and caches never touch the checkout).
    Returns the built site directory."""
    project = copy_demo(tmp_path_factory.mktemp("demo-project"))
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    assert (site / "index.html").is_file(), "the build wrote no site/index.html"
    return site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def demo_site_url(built_demo_site: Path) -> Iterator[str]:
    """The built demo site served over HTTP on 127.0.0.1 (a free port); yields its base URL
    ending in `/`. The server stops at the end of the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_demo_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-site-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def samples_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the seed listings in bib/ (the test modules that read them beside TeX
    Live's bibliographies: helpers.samples_and_texlive_settings)."""
    root = tmp_path_factory.mktemp("samples")
    copy_samples(root)
    return root
