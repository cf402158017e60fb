"""The MkDocs adapter: a thin layer that runs the core pipeline and serves its pages.

Generated pages never go into docs/: each is backed by a file under
`.cache/readinglist/pages/` that is rewritten only when the page's text changes, so MkDocs'
own modification check (`--dirty`: the built page older than its source) tells the truth and
a dirty rebuild skips every generated page whose text is as it was. Paper pages stay out of
the nav unless asked for. Under `mkdocs serve` the plugin object lives across rebuilds, so
its SourceCache re-reads only the listings that changed.
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..model import Severity
from ..pipeline import Corpus, SourceCache, run_pipeline, source_files
from ..render.citations import citation_keys, cite, reference_anchor
from ..render.pages import GeneratedPage, PageOptions, paper_targets
from ..render.reference import ReferenceFormatter
from ..settings import ConfigError, Settings, SiteOptions, settings_from_mapping
from ..site import corpus_view, site_pages
from ..source_store import SourceStore
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
        self.dirty = False
        self.backing_dir: Path | None = None
        self.backed: dict[str, str] = {}  # page path -> the text its backing file holds
        self.backing_writes = 0  # backing files written (a page's text changed): counts a rebuild's work
        self.nav_pages: tuple[str, ...] | None = None  # generated pages in the nav, last build
        self._targets: dict[str, str] | None = None
        self._by_lower: dict[str, str] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin (and its cache) across `serve` rebuilds."""
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        options = {k: v for k, v in self.config.items() if v is not None}
        try:
            self.settings, self.site_options = settings_from_mapping(base_dir, options)
            source_files(self.settings)  # a missing source path stops the build here
        except ConfigError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        cache_file = base_dir / ".cache" / "readinglist" / "references.json"
        self.backing_dir = base_dir / ".cache" / "readinglist" / "pages"
        if self.cache.store is None:  # parsed sources kept between processes (each `mkdocs build` is one)
            self.cache.store = SourceStore(base_dir / ".cache" / "readinglist" / "sources")
        if self.formatter is None or self.formatter.style != self.site_options.reference_style:
            self.formatter = ReferenceFormatter(cache_file, self.site_options.reference_style)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.settings is not None and self.formatter is not None
        reads_before = self.cache.reads
        site = self.site_options
        try:  # a site that only cites has no topic pages and no lists of related papers
            corpus = run_pipeline(self.settings, cache=self.cache, write_lock=True,
                                  topics=not site.cite_only, links=not site.cite_only)
        except ConfigError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        self.corpus = corpus
        self._targets = self._by_lower = None
        self._log_diagnostics(corpus, self.cache.reads - reads_before)
        cited: frozenset[str] = frozenset()
        if site.cite_only:
            cited = self._cited_keys(files, corpus)
        options = PageOptions(folder=site.folder, paper_pages=site.paper_pages,
                              topic_page_size=site.topic_page_size, bib_file=site.bib_file, title=site.title,
                              cite_only=site.cite_only, cited=cited)
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
            files.append(File.generated(config, page.path, abs_src_path=self._backing_file(page), inclusion=inclusion))
            self.generated_paths.add(page.path)
        self._check_nav()
        self._stale_citing_pages(files)  # recorded on every build, for the next dirty one
        self._extend_user_nav(config)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """A dirty build reads only the pages it rebuilds, and a page it did not read has no
        title in the nav the others show. The generated pages' titles are known: given here."""
        if self.dirty:
            titles = {p.path: p.title for p in self.pages if p.title is not None}
            for page in nav.pages:
                title = titles.get(page.file.src_uri)
                if title is not None and page.file.generated_by and page.markdown is None:
                    page.title = title
        return nav

    def _cited_keys(self, files: Files, corpus: Corpus) -> frozenset[str]:
        """The corpus keys the user's own pages cite (matched as citations are: case aside)."""
        lower = {p.key.lower(): p.key for p in corpus.papers}
        cited = set()
        for file in files.documentation_pages():
            if file.generated_by:
                continue
            try:
                text = file.content_string
            except (OSError, UnicodeDecodeError):
                continue  # MkDocs reports it when it reads the page
            for key in citation_keys(text):
                found = lower.get(key.lower())
                if found is not None:
                    cited.add(found)
        return frozenset(cited)

    def _backing_file(self, page: GeneratedPage) -> str:
        """The page's text in a file under .cache/readinglist/pages/, written only when the
        text differs from what the file holds: its modification time is when the text last
        changed, which is what MkDocs compares with the built page under `--dirty`."""
        assert self.backing_dir is not None
        path = self.backing_dir / page.path
        known = self.backed.get(page.path)
        if known is not None and (known is page.content or known == page.content) and path.is_file():
            return str(path)
        data = page.content.encode("utf-8")
        try:
            if path.read_bytes() == data:
                self.backed[page.path] = page.content
                return str(path)
        except OSError:
            pass
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise PluginError(f"readinglist: cannot write {path}: {exc.strerror}") from exc
        self.backed[page.path] = page.content
        self.backing_writes += 1
        return str(path)

    def _stale_citing_pages(self, files: Files) -> None:
        """A page of yours that cites a paper shows its link and formatted reference; when
        those change (the paper was edited) the page's own file did not, so a dirty build
        would keep the old text. Such a page's built file is marked older than its source
        (MkDocs' own check then rebuilds it). What each page cited is kept in
        .cache/readinglist/citations.json, for the next build, in this process or another."""
        assert self.backing_dir is not None and self.corpus is not None
        record = self.backing_dir.parent / "citations.json"
        try:
            before: dict[str, list[list[str]]] = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = {}
        lower = {p.key.lower(): p.key for p in self.corpus.papers}
        to_list = self.site_options.cite_only and not self.site_options.paper_pages
        now: dict[str, list[list[str]]] = {}
        for file in files.documentation_pages():
            if file.generated_by:
                continue
            try:
                keys = citation_keys(file.content_string)
            except (OSError, UnicodeDecodeError):
                continue
            if not keys:
                continue
            shown = []
            for key in keys:
                found = lower.get(key.lower())
                target = "" if found is None or to_list else self._link_targets().get(found, "")
                shown.append([key, found or "", target, self.references.get(found or "", "")])
            now[file.src_uri] = shown
            if file.src_uri in before and before[file.src_uri] != shown and os.path.isfile(file.abs_dest_path):
                os.utime(file.abs_dest_path, ns=(0, 0))  # older than any source: rebuilt
        if now != before:
            try:
                record.parent.mkdir(parents=True, exist_ok=True)
                record.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
            except OSError:
                pass  # only a later dirty build is less sure

    def _check_nav(self) -> None:
        """A dirty build rebuilds only changed pages, and every page shows the nav: when the
        generated pages in the nav change, the pages not rebuilt show the old one."""
        nav_pages = tuple(sorted(p.path for p in self.pages if p.in_nav))
        if self.dirty and self.nav_pages is not None and nav_pages != self.nav_pages:
            log.warning("the reading list's pages in the navigation changed (a topic gained its first paper or "
                        "lost its last): pages a dirty build does not rebuild show the old navigation; "
                        "run a clean build (without --dirty) to refresh them")
        self.nav_pages = nav_pages

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
        if self._by_lower is None:
            self._by_lower = {p.key.lower(): p.key for p in self.corpus.papers}
        lower = self._by_lower
        site = self.site_options
        to_list = site.cite_only and not site.paper_pages  # no pages: the page's own references list

        def link_for(key: str) -> str | None:
            found = lower.get(key.lower())
            if found is None:
                return None
            if to_list:
                return f"#{reference_anchor(found)}"
            target = self._link_targets()[found]
            path, _, anchor = target.partition("#")
            relative = posixpath.relpath(path, posixpath.dirname(page.file.src_uri))
            return relative + (f"#{anchor}" if anchor else "")

        cited = cite(markdown, link_for, self.references, reference_anchors=to_list)
        offset = _front_matter_lines(page.file.content_string, markdown)
        for line, key in cited.unknown:
            log.warning(f"{page.file.src_uri}:{line + offset}: unknown citation key {key!r}")
        return cited.markdown

    def _link_targets(self) -> dict[str, str]:
        """key -> the generated page (and anchor) a citation of it links to: the very targets
        the generated pages use, worked out once per build."""
        if self._targets is None:
            assert self.corpus is not None
            site = self.site_options
            if site.cite_only or site.paper_pages:  # a page per paper (with cite_only: per cited paper)
                folder = site.folder
                self._targets = {p.key: f"{folder}/papers/{p.key}.md" for p in self.corpus.papers}
            else:
                options = PageOptions(folder=site.folder, paper_pages=site.paper_pages,
                                      topic_page_size=site.topic_page_size)
                self._targets = paper_targets(corpus_view(self.corpus), options)
        return self._targets

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


def _front_matter_lines(source: str, markdown: str) -> int:
    """Lines of front matter MkDocs took off the page, so messages point at the real line."""
    head = markdown[:80]
    position = source.find(head) if head else -1
    return source[:position].count("\n") if position > 0 else 0
