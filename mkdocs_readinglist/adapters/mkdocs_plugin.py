"""The MkDocs adapter: a thin layer that runs the core pipeline and serves its pages.

Generated pages live in memory (`File.generated`), never in docs/. Paper pages stay out of
the nav unless asked for. Under `mkdocs serve` the plugin object lives across rebuilds, so
its SourceCache re-reads only the listings that changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..citations import CitationExtension
from ..citations.csl import CitationStyle, StyleError, style_path
from ..enrich.resolved import resolution_path
from ..model import Severity
from ..pipeline import Corpus, SourceCache, run_pipeline, source_files
from ..render.pages import GeneratedPage
from ..render.reference import ReferenceFormatter
from ..settings import ConfigError, Settings, SiteOptions, settings_from_mapping
from ..site import entry_texts, nav_section, site_pages
from ..written import read_manifest, written_by_us
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
        self.citations = CitationExtension()
        self.files: Files | None = None
        self.pages_dir = Path(".cache/readinglist/pages")
        self.front_matter: dict[str, int] = {}  # src_uri -> lines of front matter MkDocs took off
        self.citations.context = self._conversion

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin (and its cache) across `serve` rebuilds."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        place = f"{Path(config.config_file_path or 'mkdocs.yml').name}, plugins.readinglist"
        try:
            self.settings, self.site_options = settings_from_mapping(base_dir, dict(self.config.items()), place)
            source_files(self.settings)  # a missing source path stops the build here
        except ConfigError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        cache_file = base_dir / ".cache" / "readinglist" / "references.json"
        self.pages_dir = base_dir / ".cache" / "readinglist" / "pages"
        if self.formatter is None or self.formatter.style != self.site_options.reference_style:
            self.formatter = ReferenceFormatter(cache_file, self.site_options.reference_style)
        try:
            self.csl_path = style_path(self.site_options.csl, base_dir)
        except StyleError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        # The plugin's own instance of the citation extension (with the corpus); a listing of the
        # extension by name beside the plugin would cite twice.
        config.markdown_extensions[:] = [e for e in config.markdown_extensions
                                         if not (isinstance(e, str) and (e == "readinglist" or
                                                                         e.startswith("mkdocs_readinglist.citations")))]
        config.markdown_extensions.append(self.citations)  # type: ignore[arg-type]
        self.citations.report = log.warning
        return config

    @event_priority(-110)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """After the plugins that sort the user's files (Material's blog at -50, mkdocs-static-i18n at
        -100): they read every file's source path, which generated pages do not have, and the blog
        would take generated pages under its posts folder for posts."""
        assert self.settings is not None and self.formatter is not None
        reads_before = self.cache.reads
        try:
            corpus = run_pipeline(self.settings, cache=self.cache, write_lock=True)
        except ConfigError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        self.corpus = corpus
        self._log_diagnostics(corpus, self.cache.reads - reads_before)
        site = self.site_options
        self.pages, self.references = site_pages(corpus, site.page_options(), self.formatter)
        self.generated_paths = set()
        written = _written_here(files, config)
        i18n = any(name.split("/")[-1] == "i18n" for name in config.plugins)
        for page in self.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None and not existing.generated_by and existing.src_uri not in written:
                edited = (" (`readinglist pages` wrote it, and it was edited since: delete it to have it made "
                          "afresh)") if existing.src_uri in read_manifest(Path(config.docs_dir)) else ""
                raise PluginError(
                    f"readinglist: the generated page {page.path!r} would replace your own "
                    f"{existing.src_uri!r}{edited}; choose another `folder:` for the reading list")
            if existing is not None:
                files.remove(existing)
        for uri in written - {page.path for page in self.pages}:
            stale = files.get_file_from_path(uri)  # written by an earlier `readinglist pages`, not made now
            if stale is not None and not stale.generated_by:
                log.info(f"{uri}: left out of the site: `readinglist pages` wrote it and this build makes no such page")
                files.remove(stale)
        user_dests = {f.dest_uri: f.src_uri for f in files if not f.generated_by}
        for page in self.pages:
            in_nav = page.in_nav or (site.papers_in_nav and page.path.endswith(".md"))
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            # Plugins that read a page's source file (RSS, git dates, i18n, the blog) get one: a copy
            # outside docs/, under .cache/readinglist/pages (rewritten only when it changed).
            source = _source_copy(self.pages_dir, page.path, page.content)
            generated = File.generated(config, page.path, abs_src_path=str(source), inclusion=inclusion)
            same_address = user_dests.get(generated.dest_uri)
            if same_address is not None:  # `folder: tags` beside docs/tags.md: both would be tags/index.html
                raise PluginError(
                    f"readinglist: the generated page {page.path!r} would be written where your own "
                    f"{same_address!r} is ({generated.dest_uri}); choose another `folder:` for the reading list")
            if i18n:
                # mkdocs-static-i18n's sitemap reads every page's translations: a generated page has none.
                generated.alternates = {}  # type: ignore[attr-defined]
            files.append(generated)
            self.generated_paths.add(page.path)
        self._extend_user_nav(config)
        if not site.papers_in_tags_index:
            self._keep_out_of_tags_indexes(config)
        entries = entry_texts(corpus)
        style = self.citations.style
        if style is None or style.path != self.csl_path:
            try:
                style = CitationStyle(self.csl_path, entries)
            except StyleError as exc:
                raise PluginError(f"readinglist: {exc}") from exc
        style.entries = entries  # formatted tooltips are kept by entry text across serve rebuilds
        self.citations.set_corpus(entries, style, standalone=False)
        self.files = files
        return files

    def _keep_out_of_tags_indexes(self, config: MkDocsConfig) -> None:
        """Material's tags plugin would list every paper page (tagged with its topics) in the
        user's tags index: its file filter is told to skip the reading list's folder."""
        folder = self.site_options.folder.strip("/") + "/"
        # The generated folders (papers/, topics/) and pages, not the whole folder: it may be shared
        # with the user's own pages (a blog's posts folder, say).
        patterns = set()
        for path in self.generated_paths:
            head, slash, _rest = path.removeprefix(folder).partition("/")
            patterns.add(f"{folder}{head}/*" if slash else path)
        for plugin in config.plugins.values():
            if type(plugin).__module__.startswith("material.plugins.tags"):
                filters = getattr(plugin.config, "filters", None)
                exclude = getattr(filters, "exclude", None)
                if isinstance(exclude, list):
                    exclude.extend(sorted(patterns - set(exclude)))

    def _extend_user_nav(self, config: MkDocsConfig) -> None:
        """A user's own nav keeps its order; the reading list is added as one more section,
        unless the user's nav already places it."""
        if config.nav is None:
            return
        folder = self.site_options.folder.strip("/") + "/"
        if folder in repr(config.nav):
            return
        config.nav.append(nav_section(self.pages, folder, self.site_options.title))

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
        if self.site_options.strict and (warnings or corpus.count(Severity.ERROR)):
            raise PluginError(f"readinglist: {warnings} data warnings and {corpus.count(Severity.ERROR)} "
                              "errors with `strict: true`")

    @event_priority(100)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Citations are the extension's work; here the plugin notes the front matter's length.
        First of all plugins: generated pages (BibTeX's `{{...}}` braces in them) are marked
        `render_macros: false` before mkdocs-macros would read them as Jinja templates."""
        if page.file.src_uri in self.generated_paths:
            page.meta.setdefault("render_macros", False)
            return markdown
        self.front_matter[page.file.src_uri] = _front_matter_lines(page.file.content_string, markdown)
        return markdown

    def _conversion(self, md: Any) -> None:
        """The extension's context for one conversion: the file being rendered, as MkDocs'
        link-rewriting treeprocessor holds it (for a blog excerpt, with the URL of the page that
        shows it)."""
        citations = self.citations
        relpath = md.treeprocessors["relpath"] if "relpath" in md.treeprocessors else None  # noqa: SIM401
        file: File | None = getattr(relpath, "file", None)
        files: Files | None = getattr(relpath, "files", None) or self.files
        if file is None or files is None:
            citations.active, citations.page, citations.line_offset = True, "", 0
            return
        citations.active = file.src_uri not in self.generated_paths
        citations.page = file.src_uri
        citations.line_offset = self.front_matter.get(file.src_uri, 0)
        folder = self.site_options.folder.strip("/")
        paper_pages = self.site_options.paper_pages
        by_key = self.corpus.by_key() if self.corpus is not None else {}
        page_url = file.url

        def link(key: str) -> str:
            if paper_pages:
                target = files.get_file_from_path(f"{folder}/papers/{key}.md")
                if target is not None:
                    return get_relative_url(target.url, page_url)
            paper = by_key.get(key)
            path = next((p.path for p in self.pages if paper and f'<a id="{paper.key}">' in p.content),
                        f"{folder}/index.md")
            found = files.get_file_from_path(path)
            url = found.url if found is not None else f"{folder}/"
            return get_relative_url(url, page_url) + f"#{key}"

        citations.link = link

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Listings live outside docs/: watch them so editing one rebuilds the site."""
        assert self.settings is not None
        for spec in self.settings.sources:
            path = self.settings.base_dir / spec.path
            watched = path if path.exists() else path.parent
            server.watch(str(watched))
        resolved = resolution_path(self.settings.lock_path())  # written by `readinglist resolve`
        if resolved.exists():
            server.watch(str(resolved))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.formatter is not None:
            self.formatter.save()


def _written_here(files: Files, config: MkDocsConfig) -> set[str]:
    """Files of docs/ that `readinglist pages --out docs/` wrote and nobody changed since: the
    plugin makes them afresh. A page the user wrote or edited is not among them."""
    manifest = read_manifest(Path(config.docs_dir))
    ours = set()
    for path in manifest:
        file = files.get_file_from_path(path)
        if file is None or file.generated_by or not file.abs_src_path:
            continue
        try:
            content = Path(file.abs_src_path).read_bytes()
        except OSError:
            continue
        if written_by_us(manifest, path, content):
            ours.add(path)
    return ours


def _source_copy(root: Path, path: str, content: str) -> Path:
    target = root / path
    data = content.encode("utf-8")
    try:
        if target.read_bytes() == data:
            return target
    except OSError:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def _front_matter_lines(source: str, markdown: str) -> int:
    """Lines of front matter MkDocs took off the page, so messages point at the real line."""
    head = markdown[:80]
    position = source.find(head) if head else -1
    return source[:position].count("\n") if position > 0 else 0
