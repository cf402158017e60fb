"""`mkdocs build` of a reading-list site: with the plugin, and the same pages as plain files.

The plain build is MkDocs' own cost for the very pages the plugin generates: they are
written by `readinglist pages --out docs/` and built with the plugin off, paper pages kept
out of the nav as the plugin keeps them (`not_in_nav`). Plugin build / plain build - 1 is
the plugin's cost.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from .common import Elapsed, fresh_dir, timed, timed_cpu

HOME = """# Survey notes

The reading list is [here](reading-list/index.md). Cited in passing: [@{key}].
"""


@dataclass(frozen=True)
class SiteChoice:
    paper_pages: bool = True
    topic_page_size: int = 0

    @property
    def label(self) -> str:
        pages = "paper pages" if self.paper_pages else "no paper pages"
        topics = f"topic pages of {self.topic_page_size}" if self.topic_page_size else "one page per topic"
        return f"{pages}, {topics}"


def write_site(root: Path, corpus_dir: Path, choice: SiteChoice, cited_key: str = "unknown") -> Path:
    """A site folder whose mkdocs.yml reads the corpus with the plugin; the corpus's
    prepared references cache is copied in, as a user's site has it after its first build."""
    fresh_dir(root)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(HOME.format(key=cited_key), encoding="utf-8")
    options: dict[str, object] = {"sources": [str(corpus_dir)], "paper_pages": choice.paper_pages,
                                  "topic_page_size": choice.topic_page_size}
    config = {"site_name": "Reading list benchmark", "theme": {"name": "material", "font": False},
              "plugins": ["search", {"readinglist": options}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    cache = corpus_dir / ".cache" / "readinglist" / "references.json"
    if cache.exists():
        (root / ".cache" / "readinglist").mkdir(parents=True)
        shutil.copy(cache, root / ".cache" / "readinglist" / "references.json")
    return root / "mkdocs.yml"


def write_plain_site(root: Path, corpus_dir: Path, choice: SiteChoice, cited_key: str = "unknown") -> Path:
    """The plugin's pages written as files (by the CLI, from the same plugin config) and an
    mkdocs.yml without the plugin, in a folder of its own."""
    write_site(root, corpus_dir, choice, cited_key)
    timed(["mkdocs_readinglist.cli", "pages", "--config", "mkdocs.yml", "--out", "docs", "--force"], cwd=root)
    config = {"site_name": "Reading list benchmark", "theme": {"name": "material", "font": False},
              "plugins": ["search"], "not_in_nav": "/reading-list/papers/\n"}
    path = root / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build_seconds(config: Path, site_dir: str = "site", timeout: float = 3600) -> Elapsed | None:
    """Wall-clock and CPU seconds of `python -m mkdocs build` (a fresh process, as users run it);
    None when it is stopped after `timeout` seconds."""
    try:
        return timed_cpu(["mkdocs", "build", "--quiet", "--clean", "-f", config.name, "-d", site_dir],
                         cwd=config.parent, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
