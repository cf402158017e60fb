"""A site that only cites does the work of its citations, not of the whole .bib: counted in real
`mkdocs build` processes on TeX Live's biblatex-examples.bib (92 entries, 91 papers).

The first build formats the cited entries only (citeproc-py for labels, lists and tooltips); a
second build of the same inputs, in a fresh process as `mkdocs build` is, takes the corpus and
the rendered citations from `.cache/readinglist/` and does not even import citeproc-py, and
its page is byte for byte the first build's. An edit of the page or of the .bib is work again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.slow

BIB = Path(subprocess.run(["kpsewhich", "biblatex-examples.bib"], capture_output=True, text=True,
                          check=True).stdout.strip())
CITED = ("aksin", "glashow", "sigfridsson", "companion", "knuth:ct:a")
SURVEY = """# Survey

Organometallics [@aksin; @glashow], chemistry [@sigfridsson, p. 3].
LaTeX [@companion] and @knuth:ct:a says so.
"""

BUILD = """
import json, logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

logging.getLogger("mkdocs").setLevel(logging.ERROR)
config = load_config(sys.argv[1])
build(config)
plugin = config.plugins["readinglist"]
style = plugin.citations.style
print(json.dumps({
    "imported": sorted(m for m in ("citeproc", "lxml.etree") if m in sys.modules),
    "formatted": style.formatted, "entries": len(style.entries), "entries rendered": style.entries.rendered,
    "parsed": plugin.cache.reads, "merged": plugin.cache.work["papers merged"],
    "corpus kept": plugin.corpus_store.hits, "citations kept": plugin.rendered.hits,
}))
"""


def _site(root: Path, paper_pages: bool) -> Path:
    (root / "refs").mkdir(parents=True)
    shutil.copy(BIB, root / "refs" / "library.bib")
    (root / "docs").mkdir()
    (root / "docs" / "survey.md").write_text(SURVEY, encoding="utf-8")
    config = {"site_name": "Cites", "theme": {"name": "material", "font": False},
              "plugins": ["search", {"readinglist": {"sources": ["refs"], "cite_only": True,
                                                     "paper_pages": paper_pages}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def _build(config: Path) -> dict[str, Any]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-c", BUILD, str(config)], cwd=config.parent, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_cite_only_builds_format_the_cited_entries_once(tmp_path: Path) -> None:
    config = _site(tmp_path, paper_pages=False)
    page = tmp_path / "site" / "survey" / "index.html"

    first = _build(config)
    assert first["entries"] == 91  # every paper stays citable ...
    assert first["entries rendered"] == len(CITED)  # ... and only the cited ones are rendered
    # citeproc-py: the page's list (5 references), no more: each label's tooltip is its entry of the list.
    assert first["formatted"] == len(CITED), first
    assert first["parsed"] == 1 and first["merged"] == 91 and first["corpus kept"] == 0
    assert first["imported"] == ["citeproc", "lxml.etree"]
    html = page.read_text(encoding="utf-8")
    assert html.count('class="csl-entry"') == len(CITED)
    assert 'href="#ref-knuth:ct:a"' in html and "citation-unknown" not in html

    again = _build(config)  # nothing changed: nothing parsed, merged or formatted, citeproc not loaded
    assert again["formatted"] == 0 and again["parsed"] == 0 and again["merged"] == 0, again
    assert again["corpus kept"] == 1 and again["citations kept"] == 1
    assert again["imported"] == [] and again["entries rendered"] == len(CITED)
    assert page.read_text(encoding="utf-8") == html

    survey = tmp_path / "docs" / "survey.md"  # one more citation: the page is formatted again
    survey.write_text(SURVEY + "\nAnd [@weinberg].\n", encoding="utf-8")
    edited = _build(config)
    assert edited["corpus kept"] == 1 and edited["citations kept"] == 0  # (the page is new; tooltips come with it)
    assert edited["formatted"] == len(CITED) + 1, edited  # the list of 6
    assert page.read_text(encoding="utf-8").count('class="csl-entry"') == len(CITED) + 1

    bib = tmp_path / "refs" / "library.bib"  # the .bib changed: read, merged and keyed again
    bib.write_text(bib.read_text(encoding="utf-8").replace("Aks{\\i}n, ", "Aksoy, ", 1), encoding="utf-8")
    changed = _build(config)
    assert changed["corpus kept"] == 0 and changed["parsed"] == 1 and changed["merged"] == 91, changed
    assert "Aksoy" in page.read_text(encoding="utf-8")


def test_damaged_cache_files_are_ignored_and_made_again(tmp_path: Path) -> None:
    config = _site(tmp_path, paper_pages=False)
    first = _build(config)
    html = (tmp_path / "site" / "survey" / "index.html").read_text(encoding="utf-8")
    kept = tmp_path / ".cache" / "readinglist"
    damaged = [*kept.glob("*.pickle"), *(kept / "sources").glob("*")]
    assert {p.name for p in damaged} >= {"corpus.pickle", "citations.pickle"}
    for number, path in enumerate(damaged):  # garbage, a truncated pickle, a pickle of something else
        path.write_bytes([b"\x80\x05garbage", path.read_bytes()[:40], b"\x80\x05K\x07."][number % 3])
    again = _build(config)  # nothing kept could be read: everything is made again, the same page
    assert again["corpus kept"] == 0 and again["citations kept"] == 0 and again["parsed"] == 1, again
    assert again["formatted"] == first["formatted"]
    assert (tmp_path / "site" / "survey" / "index.html").read_text(encoding="utf-8") == html


def test_cite_only_pages_for_a_merged_entrys_key(tmp_path: Path) -> None:
    """A citation of a key whose entry merged into another paper (the same DOI) gets that
    paper's page: the page exists and the link lands."""
    config = _site(tmp_path, paper_pages=True)
    bib = tmp_path / "refs" / "library.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@article{sigfridsson,")
    entry = text[start:text.index("\n}\n", start) + 3]
    assert "doi" in entry.lower()
    bib.write_text(text + "\n" + entry.replace("@article{sigfridsson,", "@article{sigfridsson-again,"),
                   encoding="utf-8")
    (tmp_path / "docs" / "survey.md").write_text("# Survey\n\nCharges [@sigfridsson-again].\n", encoding="utf-8")
    _build(config)
    html = (tmp_path / "site" / "survey" / "index.html").read_text(encoding="utf-8")
    assert 'href="../reading-list/papers/sigfridsson/"' in html, html[html.find("citation"):][:400]
    assert (tmp_path / "site" / "reading-list" / "papers" / "sigfridsson" / "index.html").is_file()


SERVE = """
import json, logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

logging.getLogger("mkdocs").setLevel(logging.ERROR)
config = load_config(sys.argv[1])
config.plugins.on_startup(command="serve", dirty=False)
plugin = config.plugins["readinglist"]
build(config)
first = {"corpus kept": plugin.corpus_store.hits, "parsed": plugin.cache.reads}
again = load_config(sys.argv[1])
again.plugins["readinglist"] = plugin  # what `mkdocs serve` does with plugins that have on_startup
build(again)
print(json.dumps({"first": first, "corpus kept": plugin.corpus_store.hits, "merged": plugin.cache.work["papers merged"],
                  "formatted": plugin.citations.style.formatted}))
"""


def test_a_serve_process_loads_the_kept_corpus_once(tmp_path: Path) -> None:
    """`mkdocs serve` keeps the plugin across builds: its first build may take the corpus kept by
    the last process, a rebuild makes its own (the in-memory reuse of a serve process works on
    the objects it made) and renders the same page."""
    config = _site(tmp_path, paper_pages=False)
    _build(config)
    page = tmp_path / "site" / "survey" / "index.html"
    html = page.read_text(encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-c", SERVE, str(config)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["first"] == {"corpus kept": 1, "parsed": 0}
    # The rebuild merged the papers again (from the parsed-source store: nothing parsed) and
    # formatted nothing: the citations were kept.
    assert result["corpus kept"] == 1 and result["merged"] == 91 and result["formatted"] == 0, result
    assert page.read_text(encoding="utf-8") == html
