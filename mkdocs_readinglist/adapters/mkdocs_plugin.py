"""The MkDocs adapter: a thin layer that runs the core pipeline and serves its pages.

Generated pages live in memory (`File.generated`), never in docs/. Paper pages stay out of
the nav unless asked for. Under `mkdocs serve` the plugin object lives across rebuilds, so
its SourceCache re-reads only the listings that changed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..model import Diagnostic, Severity
from ..pipeline import Corpus, SourceCache, run_pipeline, source_files
from ..render.citations import cite
from ..render.pages import GeneratedPage, PageOptions
from ..render.reference import ReferenceFormatter
from ..settings import ConfigError, Settings, SiteOptions, settings_from_mapping
from ..site import site_pages
from .config import ReadingListConfig

log = get_plugin_logger(__name__)


class ReadingListPlugin(BasePlugin[ReadingListConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = SourceCache()
        self.settings: Settings | None = None
        self.site_options = SiteOptions()
        self.corpus: Corpus | None = None
        self.pages: list[GeneratedPage] = []
        self.references: dict[str, str] = {}
        self.generated_paths: set[str] = set()
        self.formatter: ReferenceFormatter | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin (and its cache) across `serve` rebuilds."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        options = {k: v for k, v in self.config.items() if v is not None}
        try:
            self.settings, self.site_options = settings_from_mapping(base_dir, options)
            source_files(self.settings)  # a missing source path stops the build here
        except ConfigError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        cache_file = base_dir / ".cache" / "readinglist" / "references.json"
        if self.formatter is None or self.formatter.style != self.site_options.reference_style:
            self.formatter = ReferenceFormatter(cache_file, self.site_options.reference_style)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.settings is not None and self.formatter is not None
        reads_before = self.cache.reads
        try:
            corpus = run_pipeline(self.settings, cache=self.cache, write_lock=True)
        except ConfigError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        self.corpus = corpus
        self._log_diagnostics(corpus, self.cache.reads - reads_before)
        site = self.site_options
        options = PageOptions(folder=site.folder, paper_pages=site.paper_pages,
                              topic_page_size=site.topic_page_size, bib_file=site.bib_file, title=site.title,
                              omit_fields=site.omit_fields)
        self.pages, self.references = site_pages(corpus, options, self.formatter)
        self.generated_paths = set()
        for page in self.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None and not existing.generated_by:
                raise PluginError(
                    f"readinglist: the generated page {page.path!r} would replace your own "
                    f"{existing.src_uri!r}; choose another `folder:` for the reading list")
            if existing is not None:
                files.remove(existing)
            in_nav = page.in_nav or (site.papers_in_nav and page.path.endswith(".md"))
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content=page.content, inclusion=inclusion))
            self.generated_paths.add(page.path)
        self._extend_user_nav(config)
        return files

    def _extend_user_nav(self, config: MkDocsConfig) -> None:
        """A user's own nav keeps its order; the reading list is added as one more section,
        unless the user's nav already places it."""
        if config.nav is None:
            return
        folder = self.site_options.folder.strip("/") + "/"
        if folder in repr(config.nav):
            return
        topics = sorted(p.path for p in self.pages if p.path.startswith(f"{folder}topics/") and p.path.endswith(".md"))
        section: list[Any] = [f"{folder}index.md", f"{folder}datasets.md"]
        if topics:
            section.append({"Topics": topics})
        config.nav.append({self.site_options.title: section})

    def _log_diagnostics(self, corpus: Corpus, reads: int) -> None:
        warnings = 0
        for diagnostic in corpus.diagnostics:
            if diagnostic.severity is Severity.ERROR:
                log.error(diagnostic.format())
            elif diagnostic.severity is Severity.WARNING:
                warnings += 1
                log.warning(diagnostic.format())
            else:
                log.debug(diagnostic.format())
        log.info(f"{len(corpus.papers)} papers from {len(corpus.results)} sources "
                 f"({reads} read this build)")
        if self.config.strict and (warnings or corpus.count(Severity.ERROR)):
            raise PluginError(f"readinglist: {warnings} data warnings and {corpus.count(Severity.ERROR)} "
                              "errors with `strict: true`")

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.generated_paths or self.corpus is None or "[@" not in markdown:
            return markdown
        corpus = self.corpus
        folder = self.site_options.folder

        def link_for(key: str) -> str | None:
            paper = corpus.paper_for_key(key)  # its own key, or the key of a .bib entry merged into it
            if paper is None:
                return None
            if self.site_options.paper_pages:
                target = f"{folder}/papers/{paper.key}.md"
            else:
                target = next((p.path for p in self.pages if f'<a id="{paper.key}">' in p.content), f"{folder}/index.md")
                target += f"#{paper.key}"
            path, _, anchor = target.partition("#")
            relative = posixpath.relpath(path, posixpath.dirname(page.file.src_uri))
            return relative + (f"#{anchor}" if anchor else "")

        cited = cite(markdown, link_for, _ByCitableKey(self.references, corpus))
        offset = _front_matter_lines(page.file.content_string, markdown)
        for line, key in cited.unknown:
            log.warning(Diagnostic(page.file.src_uri, line + offset, Severity.WARNING,
                                   f"unknown citation key {key!r}", "unknown-citation").format())
        return cited.markdown

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Listings live outside docs/: watch them so editing one rebuilds the site."""
        assert self.settings is not None
        for spec in self.settings.sources:
            path = self.settings.base_dir / spec.path
            watched = path if path.exists() else path.parent
            server.watch(str(watched))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.formatter is not None:
            self.formatter.save()


class _ByCitableKey(Mapping[str, str]):
    """Formatted references by any key a paper answers to (a merged .bib entry's key too)."""

    def __init__(self, references: dict[str, str], corpus: Corpus) -> None:
        self.references = references
        self.corpus = corpus

    def __getitem__(self, key: str) -> str:
        paper = self.corpus.paper_for_key(key)
        if paper is None or paper.key not in self.references:
            raise KeyError(key)
        return self.references[paper.key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.references)

    def __len__(self) -> int:
        return len(self.references)


def _front_matter_lines(source: str, markdown: str) -> int:
    """Lines of front matter MkDocs took off the page, so messages point at the real line."""
    head = markdown[:80]
    position = source.find(head) if head else -1
    return source[:position].count("\n") if position > 0 else 0
