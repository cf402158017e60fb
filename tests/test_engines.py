"""The demo site on the engines MkDocs users are moving to, and the `readinglist pages` route.

- ProperDocs 1.6.7 (MkDocs 1.x carried on) runs the plugin itself: `properdocs build --strict`
  of the demo, and every page's text equals the MkDocs build's (the `built_demo_site` fixture).
- Zensical ignores MkDocs plugins, so the reading list reaches it through
  `readinglist pages --out docs --nav`: the pages are written into docs/ and the printed nav
  section goes into mkdocs.yml's `nav:`. `zensical build --strict` then gives every page, the
  reading list in the nav and no broken internal link.
- `readinglist pages --out docs/` followed by `mkdocs build`: the plugin makes the written pages
  afresh, and a page the user edited still stops the build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from mkdocs_readinglist.written import MANIFEST_NAME, digest, parse_manifest
from tests.helpers import copy_demo
from tests.test_site_crawl import ParsedPage, _resolve_all, crawl_site

pytestmark = [pytest.mark.engines, pytest.mark.slow]

PAPERS = 224  # ground truth of the sample listings (design.md)
BIN = Path(sys.executable).parent
# Zensical runs no MkDocs plugin: citations in the user's own pages come from the citations
# extension, listed under `markdown_extensions:` by its import path.
CITATIONS_EXTENSION = "mkdocs_readinglist.citations"


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result




def _text(page: ParsedPage) -> str:
    return " ".join(" ".join(page.text).split())


# ---- ProperDocs -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    project = copy_demo(tmp_path_factory.mktemp("properdocs") / "demo")
    result = _run([str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml"], cwd=project)
    return project / "site", result.stdout + result.stderr


def test_properdocs_builds_the_demo_with_the_plugin(properdocs_site: tuple[Path, str]) -> None:
    site, log = properdocs_site
    assert f"mkdocs_readinglist: {PAPERS} papers from 4 sources and an overrides file" in log, log
    assert len(list((site / "reading-list" / "papers").glob("*/index.html"))) == PAPERS
    generator = (site / "index.html").read_text(encoding="utf-8")
    assert 'name="generator" content="mkdocs-ProperDocs 1.6.7,' in generator  # built by ProperDocs, not MkDocs


def test_properdocs_pages_read_as_the_mkdocs_pages(properdocs_site: tuple[Path, str], built_demo_site: Path) -> None:
    site, _ = properdocs_site
    theirs, ours = crawl_site(site), crawl_site(built_demo_site)
    assert sorted(theirs) == sorted(ours)
    assert len(ours) > PAPERS
    different = [path for path in ours if _text(ours[path]) != _text(theirs[path]) or ours[path].h1 != theirs[path].h1]
    assert different == []
    # the text compared is the pages' real content (not empty articles)
    cite = _text(ours["cite/index.html"])
    assert "CLUTCH" in cite and len(_text(ours["reading-list/index.html"])) > 1000
    assert [ours[p].refs for p in sorted(ours)] == [theirs[p].refs for p in sorted(theirs)]
    assert (site / "references.bib").read_bytes() == (built_demo_site / "references.bib").read_bytes()


# ---- Zensical -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo as a Zensical user runs it: pages written into docs/, their nav section added
    to mkdocs.yml, then `zensical build --strict`. Returns the project folder and the nav printed."""
    project = copy_demo(tmp_path_factory.mktemp("zensical") / "demo")
    written = _run([sys.executable, "-m", "mkdocs_readinglist.cli", "pages", "--config", "mkdocs.yml",
                    "--out", "docs", "--nav"], cwd=project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("  - ")  # the demo's nav is its last key
    nav = "".join(f"  {line}\n" for line in written.stdout.splitlines())
    text = text.replace("markdown_extensions:\n", f"markdown_extensions:\n  - {CITATIONS_EXTENSION}:\n"
                        "      sources: [bib, demo/overrides.yml]\n      lock_file: bib/readinglist.lock\n", 1)
    config.write_text(text.rstrip("\n") + "\n" + nav, encoding="utf-8")
    _run([str(BIN / "zensical"), "build", "--strict", "-f", "mkdocs.yml"], cwd=project)
    return project, written.stdout


def test_zensical_has_every_page(zensical_site: tuple[Path, str]) -> None:
    project, _ = zensical_site
    site = project / "site"
    papers = sorted(p.parent.name for p in (site / "reading-list" / "papers").glob("*/index.html"))
    written = sorted(p.stem for p in (project / "docs" / "reading-list" / "papers").glob("*.md"))
    assert len(papers) == PAPERS and papers == written
    topics = sorted(p.stem for p in (project / "docs" / "reading-list" / "topics").glob("*.md"))
    assert len(topics) > 10
    for topic in topics:
        assert (site / "reading-list" / "topics" / topic / "index.html").is_file()
    pages = crawl_site(site)
    clutch = pages["reading-list/papers/clutch2026/index.html"]
    assert clutch.h1.startswith("CLUTCH") and clutch.bibtex_blocks and "@" in clutch.bibtex_blocks[0]
    assert "clutch2026" in clutch.bibtex_blocks[0]
    assert (site / "references.bib").read_text(encoding="utf-8").count("\n@") + 1 == PAPERS


def test_zensical_nav_holds_the_reading_list(zensical_site: tuple[Path, str]) -> None:
    project, nav = zensical_site
    assert nav.startswith("# the reading list's section") and "- Reading list:" in nav
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    topics = sorted(p.stem for p in (project / "docs" / "reading-list" / "topics").glob("*.md"))
    for target in ["reading-list/", "reading-list/datasets/", *(f"reading-list/topics/{t}/" for t in topics)]:
        assert f'href="./{target}"' in home, target
    assert "reading-list/papers/" not in home  # paper pages are reached from topics, not the nav


def test_zensical_without_a_nav_keeps_paper_pages_out_of_it(zensical_site: tuple[Path, str]) -> None:
    """A site with no `nav:` of its own: Zensical lists every page, unless `not_in_nav` (printed by
    `readinglist pages --nav` as a hint) keeps the paper pages out."""
    project, printed = zensical_site
    hint = [line[2:] for line in printed.splitlines() if line.startswith("# not_in_nav") or line.startswith("#   /")]
    assert hint == ["not_in_nav: |", "  /reading-list/papers/"]
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    for with_hint in (False, True):
        config = project / f"auto-{with_hint}.yml"
        extra = "\n".join(hint) + "\n" if with_hint else ""
        config.write_text(text[:text.index("\nnav:\n") + 1] + f"site_dir: site-{with_hint}\n" + extra, encoding="utf-8")
        _run([str(BIN / "zensical"), "build", "--strict", "-f", config.name], cwd=project)
        home = (project / f"site-{with_hint}" / "index.html").read_text(encoding="utf-8")
        assert 'href="./reading-list/topics/human-pose/"' in home
        assert home.count('href="./reading-list/papers/') == (0 if with_hint else PAPERS)


def test_zensical_internal_links_resolve(zensical_site: tuple[Path, str]) -> None:
    project, _ = zensical_site
    site = project / "site"
    pages = crawl_site(site)
    checked, broken = _resolve_all(site, pages)
    assert checked > 5000 and broken == []


def test_zensical_citations_in_the_users_pages(zensical_site: tuple[Path, str]) -> None:
    project, _ = zensical_site
    cite = crawl_site(project / "site")["cite/index.html"]
    links = [url for tag, url in cite.refs if tag == "a" and "papers/clutch2026" in url]
    assert "[@clutch2026]" not in _text(cite) and links


def test_zensical_toml_site_from_the_command_line_alone(tmp_path: Path) -> None:
    """A Zensical-native site (zensical.toml, no mkdocs.yml): sources named on the command line,
    the nav section printed as TOML and pasted into `nav = [...]`."""
    project = copy_demo(tmp_path / "demo")
    (project / "mkdocs.yml").unlink()
    written = _run([sys.executable, "-m", "mkdocs_readinglist.cli", "pages", "bib", "demo/overrides.yml",
                    "--year", "2026", "--out", "docs", "--nav", "toml"], cwd=project)
    config = ('[project]\nsite_name = "A Zensical site"\nnav = [\n  {"Home" = "index.md"},\n  {"Cite" = "cite.md"},\n'
              + written.stdout + ']\n\n[project.markdown_extensions.admonition]\n[project.markdown_extensions.attr_list]\n'
              '[project.markdown_extensions.md_in_html]\n[project.markdown_extensions.tables]\n'
              '[project.markdown_extensions.toc]\npermalink = true\n')
    (project / "zensical.toml").write_text(config, encoding="utf-8")
    nav = tomllib.loads(config)["project"]["nav"]
    topics = sorted(p.stem for p in (project / "docs" / "reading-list" / "topics").glob("*.md"))
    assert nav[2] == {"Reading list": ["reading-list/index.md", "reading-list/datasets.md",
                                       {"Topics": [f"reading-list/topics/{t}.md" for t in topics]}]}
    assert '# not_in_nav = "/reading-list/papers/"' in written.stdout
    _run([str(BIN / "zensical"), "build", "--strict"], cwd=project)
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    for topic in topics:
        assert f'href="./reading-list/topics/{topic}/"' in home
    assert len(list((site / "reading-list" / "papers").glob("*/index.html"))) == PAPERS
    checked, broken = _resolve_all(site, crawl_site(site))
    assert checked > 5000 and broken == []


# ---- `readinglist pages --out docs/` then `mkdocs build` --------------------------------------------

def test_pages_written_into_docs_then_mkdocs_build(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "demo")
    docs = project / "docs"
    _run([sys.executable, "-m", "mkdocs_readinglist.cli", "pages", "--config", "mkdocs.yml", "--out", "docs"],
         cwd=project)
    manifest = parse_manifest((docs / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len([p for p in manifest if "/papers/" in p]) == PAPERS
    # A page from an older run that this corpus no longer makes (its content as recorded).
    stale = docs / "reading-list" / "papers" / "gone2020.md"
    stale.write_text("# Gone\n", encoding="utf-8")
    manifest_file = docs / MANIFEST_NAME
    recorded = digest(stale.read_bytes())
    manifest_file.write_text(manifest_file.read_text(encoding="utf-8")
                             + f"{recorded}  reading-list/papers/gone2020.md\n", encoding="utf-8")
    # The written home page goes stale too: the plugin must serve its own, fresh one.
    home = docs / "reading-list" / "index.md"
    fresh_home = home.read_text(encoding="utf-8")
    result = _run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project)
    assert f"{PAPERS} papers" in result.stderr
    site = project / "site"
    assert len(list((site / "reading-list" / "papers").glob("*/index.html"))) == PAPERS
    assert not (site / "reading-list" / "papers" / "gone2020").exists()
    assert "gone2020.md: left out of the site" in result.stderr
    assert home.read_text(encoding="utf-8") == fresh_home  # the build writes nothing into docs/
    assert 'href="../reading-list/papers/clutch2026/"' in (site / "cite" / "index.html").read_text(encoding="utf-8")

    # A written page the user then edited is theirs: the build stops and names it, and it is kept.
    home.write_text(fresh_home + "\nMy own note.\n", encoding="utf-8")
    refused = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project, env=_env(),
                             capture_output=True, text=True, timeout=600, check=False)
    assert refused.returncode != 0
    assert "would replace your own 'reading-list/index.md' (`readinglist pages` wrote it, and it was edited" \
        in refused.stderr
    assert home.read_text(encoding="utf-8").endswith("My own note.\n")
    # ... and `readinglist pages` will not overwrite it either.
    again = subprocess.run([sys.executable, "-m", "mkdocs_readinglist.cli", "pages", "--config", "mkdocs.yml",
                            "--out", "docs"], cwd=project, env=_env(), capture_output=True, text=True, timeout=600,
                           check=False)
    assert again.returncode == 1 and "reading-list/index.md exists and was not written by readinglist" in again.stderr
    assert home.read_text(encoding="utf-8").endswith("My own note.\n")


def test_pages_written_into_docs_are_left_alone_by_mkdocs_macros(tmp_path: Path) -> None:
    """Pages `readinglist pages` wrote, built without the plugin by a site that uses mkdocs-macros
    (as under Zensical, which reads the written pages): their BibTeX's `{{...}}` is not a Jinja
    template, because each page says `render_macros: false` in its front matter."""
    import yaml

    project = copy_demo(tmp_path / "demo")
    _run([sys.executable, "-m", "mkdocs_readinglist.cli", "pages", "--config", "mkdocs.yml", "--out", "docs"],
         cwd=project)
    written = sorted((project / "docs" / "reading-list").rglob("*.md"))
    assert len(written) > PAPERS and all("\nrender_macros: false\n---\n" in page.read_text(encoding="utf-8")
                                         for page in written)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", "macros"]
    config.pop("nav", None)
    for own in (project / "docs").glob("*.md"):  # the project's own pages (Jinja examples, citations) go
        own.unlink()
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, env=_env(), capture_output=True,
                            text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert "Macro" not in result.stderr, result.stderr
    page = next((project / "site" / "reading-list" / "papers").glob("*/index.html")).read_text(encoding="utf-8")
    assert "title = {{" in page and "Macro Syntax Error" not in page
