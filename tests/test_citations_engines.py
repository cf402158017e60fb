"""The cited test site built by the other engines that run Python-Markdown extensions.

ProperDocs (MkDocs' fork) runs the plugin as MkDocs does, and the extension alone; Zensical loads
the extension from `markdown_extensions:` (its own pages come from `readinglist pages`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mkdocs_readinglist.render.paths import page_name

from .test_citations_site import CITED, article, biblatex_examples, citation_links, cite_project

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def run(engine: str, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(BIN / engine), "build", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def extension_only(project: Path) -> Path:
    """The plugin taken out: the citation extension listed alone, reading the sources itself."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    config["markdown_extensions"].append({"mkdocs_readinglist.citations": {
        "sources": [biblatex_examples()], "lock_file": "readinglist.lock", "csl": "apa",
        "link": "/reading-list/papers/{key}/"}})
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return project


def test_properdocs_builds_the_cited_site_with_the_plugin(tmp_path: Path) -> None:
    project = cite_project(tmp_path / "project", "arithmatex-generic")
    result = run("properdocs", project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    text = article(project / "site" / "index.html")
    links = citation_links(text)
    # Each citation links its paper's page, named by page_name (`kant:kpv` -> `kant-kpv-75cb5b`).
    assert {h.removeprefix("reading-list/papers/").removesuffix("/") for h, _, _ in links} \
        == {page_name(key) for key in CITED}
    assert "[@mathkey] + a@b" in text and "<code>[@codespan]</code>" in text
    assert "problems.md:3: warning[unknown-citation]" in result.stderr
    assert run("properdocs", project, "--strict").returncode != 0


def test_properdocs_and_zensical_cite_through_the_extension_alone(tmp_path: Path) -> None:
    for engine in ("properdocs", "zensical"):
        project = extension_only(cite_project(tmp_path / engine, "arithmatex-generic"))
        result = run(engine, project)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (engine, result.stderr)
        text = article(project / "site" / "index.html")
        links = citation_links(text)
        linked = {href.removeprefix("/reading-list/papers/").removesuffix("/").replace("%3A", ":")
                  for href, _, _ in links}
        assert linked == set(CITED), (engine, set(CITED) ^ linked)
        assert re.search(r"\(see <a [^>]*>Knuth, 1984, p\. 5</a>\)", text), engine  # APA, as configured
        assert "[@mathkey] + a@b" in text and "[@fencedkey] and @fencedintext" in text
        assert len(re.findall(r'class="csl-entry"', text)) == len(CITED)
        # Zensical tells extensions the page (its context preprocessor): page and line. MkDocs and
        # ProperDocs tell them nothing, so the extension alone names the line (the plugin names both).
        where = "problems.md:3" if engine == "zensical" else "<markdown>:3"
        log = result.stdout + result.stderr
        assert f"{where}: warning[unknown-citation]: unknown citation key 'nosuchkey2031'" in log, engine
