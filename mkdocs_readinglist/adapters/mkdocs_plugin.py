"""The MkDocs adapter: a thin layer that runs the core pipeline and serves its pages.

Generated pages never go into docs/: each is backed by a file under
`.cache/readinglist/pages/` that is rewritten only when the page's text changes, so MkDocs'
own modification check (`--dirty`: the built page older than its source) tells the truth and
a dirty rebuild skips every generated page whose text is as it was; plugins that read a page's
source file (RSS, git dates, i18n, the blog) read that file. Paper pages stay out of
the nav unless asked for. Under `mkdocs serve` the plugin object lives across rebuilds, so
its SourceCache re-reads only the listings that changed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..citations import CitationExtension
from ..citations.csl import STYLE_DIR, CitationStyle, RenderedStore, StyleError, style_path
from ..citations.headings import references_title
from ..citations.syntax import cited_keys
from ..diagnostics import default_level, with_levels
from ..enrich.resolved import resolution_path
from ..model import Diagnostic, Paper, Severity
from ..pipeline import Corpus, SourceCache, run_pipeline, source_files
from ..render.bibtex import citable_keys, entry_text
from ..render.pages import GeneratedPage, PageOptions, paper_targets
from ..render.paths import page_name
from ..render.reference import ReferenceFormatter
from ..render.templates import TemplateError
from ..settings import ConfigError, Settings, SiteOptions, check_templates, settings_from_mapping
from ..site import alone, corpus_aliases, corpus_view, nav_section, site_pages
from ..source_store import CorpusStore, SourceStore
from ..sources.base import CONTAINER_TYPES
from ..written import read_manifest, written_by_us
from .config import ReadingListConfig

if TYPE_CHECKING:  # imported by `mkdocs serve` itself; a build need not load its web server
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)



_SNIPPET_LINE = re.compile(r"""^[ \t]*-+8<-+(?:[ \t]+(?:"([^"\n]+)"|'([^'\n]+)'))?[ \t]*$""", re.MULTILINE)


def _blog_posts(config: MkDocsConfig) -> list[File]:
    """The posts of Material's blog plugins: they are pages of the user's own, but the blog holds
    them out of the site's files (excluded) from its on_files until its on_nav; drafts it leaves out
    are not among them."""
    posts: list[File] = []
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.blog"):
            for post in getattr(getattr(plugin, "blog", None), "posts", None) or ():
                file = getattr(post, "file", None)
                if isinstance(file, File):
                    posts.append(file)
    return posts


def _snippet_folders(config: MkDocsConfig) -> tuple[Path, ...]:
    """Where pymdownx.snippets looks for the files a page includes (its `base_path`), if the site uses it."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return ()
    base = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    root = Path(config.config_file_path or ".").resolve().parent
    return tuple(root / folder for folder in ([base] if isinstance(base, str) else base))


def _appended_snippets(config: MkDocsConfig) -> str:
    """The files pymdownx.snippets appends to every page (`auto_append`), as the includes they are."""
    if "pymdownx.snippets" not in config.markdown_extensions:
        return ""
    names = config.mdx_configs.get("pymdownx.snippets", {}).get("auto_append") or []
    return "".join(f'\n--8<-- "{name}"' for name in ([names] if isinstance(names, str) else names))


_LINE_RANGES = re.compile(r"-?\d*(?::-?\d*)?(?:,-?\d*(?::-?\d*)?)*")


def _snippet_part(text: str, part: str) -> str:
    """The part of an included file pymdownx.snippets shows: `name.md:intro` the lines between
    `--8<-- [start:intro]` and `--8<-- [end:intro]`; `name.md:3:5` lines 3 to 5 (`3` or `3:` from 3 on,
    `:5` up to 5, negative from the end, ranges joined by commas), as snippets counts them; the whole
    file when the part is not there."""
    lines = text.splitlines()
    if not _LINE_RANGES.fullmatch(part):
        start = next((n for n, line in enumerate(lines) if f"[start:{part}]" in line and "8<" in line), None)
        end = next((n for n, line in enumerate(lines) if f"[end:{part}]" in line and "8<" in line), None)
        return "\n".join(lines[start + 1:end]) if start is not None and end is not None and end > start else text
    total, kept = len(lines), []
    for piece in part.split(","):
        first, _, last = piece.partition(":")
        begin = int(first) if first.strip("-") else None
        stop = int(last) if last.strip("-") else None
        begin = None if begin is None else max(0, min(total, total + begin)) if begin < 0 else max(0, begin - 1)
        stop = None if stop is None else max(0, min(total, total + 1 + stop)) if stop < 0 else stop
        kept += lines[begin:stop]
    return "\n".join(kept)


def _included(text: str, folders: Sequence[Path], depth: int = 3) -> Iterator[str]:
    """The text of each file a page includes with pymdownx.snippets (`--8<-- "name"`, or a block of
    names between two `--8<--` lines), and of what those include: read before the build, so that
    a site that only cites knows their citations too. A name not found is left (snippets says so)."""
    names: list[str] = []
    block = False
    for found in _SNIPPET_LINE.finditer(text):
        name = found.group(1) or found.group(2)
        if name:
            names.append(name)
        else:
            block = not block
            if block:
                end = _SNIPPET_LINE.search(text, found.end())
                names += [line.strip() for line in text[found.end():end.start() if end else len(text)].splitlines()
                          if line.strip() and not line.strip().startswith(";")]
    for name in dict.fromkeys(names):
        if "://" in name:
            continue
        for candidate in (name, name.rsplit(":", 1)[0], name.split(":", 1)[0]):  # (`file.md:section`, `file.md:1:3`)
            path = next((folder / candidate for folder in folders if (folder / candidate).is_file()), None)
            if path is not None:
                try:
                    included = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    break
                if candidate != name:  # (only the part the page includes: its citations alone count)
                    included = _snippet_part(included, name[len(candidate) + 1:])
                yield included
                if depth > 1 and "8<" in included:
                    yield from _included(included, folders, depth - 1)
                break


def _nav_paths(nav: Any) -> Iterator[str]:
    """Every page path a nav names (its titles and URLs aside)."""
    if isinstance(nav, str):
        if "://" not in nav:
            yield nav.lstrip("/")
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


def _another_language_build(config: MkDocsConfig) -> bool:
    """mkdocs-static-i18n builds each other language from inside the default language's build
    (its `building` flag is up meanwhile); the sources, and so their diagnostics, are the same."""
    i18n = next((plugin for name, plugin in config.plugins.items() if name.split("/")[-1] == "i18n"), None)
    return bool(getattr(i18n, "building", False))

class ReadingListPlugin(BasePlugin[ReadingListConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = SourceCache()
        self.settings: Settings | None = None
        self.site_options = SiteOptions()
        self.corpus: Corpus | None = None
        self.pages: list[GeneratedPage] = []
        self.references: Mapping[str, str] = {}
        self.generated_paths: set[str] = set()
        self.formatter: ReferenceFormatter | None = None
        self.citations = CitationExtension(for_plugin=True)
        self.files: Files | None = None
        self.pages_dir = Path(".cache/readinglist/pages")
        self.front_matter: dict[str, int] = {}  # src_uri -> lines of front matter MkDocs took off
        self.logged: frozenset[Diagnostic] | None = None  # the last build's data diagnostics (serve)
        self.lock_left: str | None = None  # the key lock's text as the last build left it
        self.writing_lock = False  # while the pipeline runs (and may write the key lock)
        self.style_file = ""  # the CSL style file the citations' style was made from (_style_file)
        self.references_titles: dict[str, str] = {}  # src_uri -> a page's own `references_title:`
        self.citations.context = self._conversion
        self.dirty = False
        self.backed: dict[str, str] = {}  # page path -> the text its backing file holds
        self.backing_writes = 0  # backing files written (a page's text changed): counts a rebuild's work
        self.nav_pages: tuple[str, ...] | None = None  # generated pages in the nav, last build
        self._targets: dict[str, str] | None = None
        self.told_no_page: set[str] = set()  # keys cited with no page under cite_only, said this build
        self.rendered: RenderedStore | None = None  # citations rendered by earlier builds, on disk
        self.corpus_store: CorpusStore | None = None  # a cite-only site's corpus, on disk

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this plugin (and its cache) across `serve` rebuilds."""
        self.dirty = dirty

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        self.options_given = frozenset(options)  # (an option left unset may follow the site: references_title)
        return super().load_config(options, config_file_path)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        place = f"{Path(config.config_file_path or 'mkdocs.yml').name}, plugins.readinglist"
        options = dict(self.config.items())
        self.theme = config.theme  # (its language is read as each page is made: mkdocs-static-i18n changes it later)
        if "references_title" not in getattr(self, "options_given", {"references_title"}):
            options["references_title"] = self._site_references_title()
        try:
            self.settings, self.site_options = settings_from_mapping(base_dir, options, place)
            check_templates(self.site_options.templates, place)
            source_files(self.settings)  # a missing source path stops the build here
        except ConfigError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        cache_file = base_dir / ".cache" / "readinglist" / "references.json"
        rendered = base_dir / ".cache" / "readinglist" / "citations.pickle"
        kept_corpus = base_dir / ".cache" / "readinglist" / "corpus.pickle"
        if self.corpus_store is None or self.corpus_store.path != kept_corpus:
            self.corpus_store = CorpusStore(kept_corpus)
        if self.rendered is None or self.rendered.path != rendered:
            self.rendered = RenderedStore(rendered)
        self.pages_dir = base_dir / ".cache" / "readinglist" / "pages"
        if self.cache.store is None:  # parsed sources kept between processes (each `mkdocs build` is one)
            self.cache.store = SourceStore(base_dir / ".cache" / "readinglist" / "sources")
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
        self.citations.report = self._report_citation
        self.citations.setConfig("references_title", self.site_options.references_title)
        return config

    def _site_references_title(self) -> str:
        """The References heading in the site's language (Material's `theme.language`, MkDocs' own
        themes' `locale`), for a site whose `references_title:` is unset."""
        theme = getattr(self, "theme", None)
        return references_title(str(theme.get("language") or theme.get("locale") or "en") if theme else "en")

    @event_priority(-110)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """After the plugins that sort the user's files (Material's blog at -50, mkdocs-static-i18n at
        -100): they read every file's source path, which generated pages do not have, and the blog
        would take generated pages under its posts folder for posts."""
        assert self.settings is not None and self.formatter is not None
        reads_before = self.cache.reads
        site = self.site_options
        # Sources kept in docs/ (a layout from mkdocs-bibtex): the key lock and resolved.yml the
        # plugin writes beside them are its own records, not pages to publish.
        lock = self.settings.lock_path()
        for ours in (lock, resolution_path(lock)):
            found = files.get_file_from_path(os.path.relpath(ours, config.docs_dir)) \
                if str(ours).startswith(os.path.abspath(config.docs_dir) + os.sep) else None
            if found is not None:
                files.remove(found)
        # A site that only cites, built in a fresh process (each `mkdocs build`) from the inputs of
        # the last build, loads that build's corpus; later builds of a `serve` process reuse
        # their own (in memory, by object), which a corpus loaded from disk would defeat.
        first_in_process = site.cite_only and self.corpus is None and self.corpus_store is not None
        kept = self.corpus_store.get(self._corpus_digest()) if first_in_process and self.corpus_store else None
        if kept is not None:
            corpus = replace(kept, cache=self.cache)
        else:
            self.writing_lock = True  # (what the watch of the sources ignores: see _watch)
            try:  # a site that only cites has no topic pages and no lists of related papers
                corpus = run_pipeline(self.settings, cache=self.cache, write_lock=True,
                                      topics=not site.cite_only, links=not site.cite_only)
            except ConfigError as exc:
                raise PluginError(f"readinglist: {exc}") from exc
            finally:
                self.lock_left = _text_of(self.settings.lock_path())
                self.writing_lock = False
            if first_in_process and self.corpus_store is not None:
                self.corpus_store.put(self._corpus_digest(), replace(corpus, cache=None))
        self.corpus = corpus
        self._targets = None
        self.told_no_page = set()
        cited: frozenset[str] = frozenset()
        if site.cite_only:
            cited = self._cited_keys([*files.documentation_pages(), *_blog_posts(config)], corpus,
                                     _snippet_folders(config), _appended_snippets(config))
        try:
            self.pages, self.references = site_pages(corpus, site.page_options(cited=cited), self.formatter)
        except TemplateError as exc:
            raise PluginError(f"readinglist: {exc}") from exc
        self._log_diagnostics(corpus, self.cache.reads - reads_before,
                              with_levels(self.formatter.diagnostics, self.settings.diagnostic_levels),
                              again=_another_language_build(config))
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
                    f"{existing.src_uri!r}{edited}; choose another {_option_of(page.path, site)} for the reading list")
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
            generated = File.generated(config, page.path, abs_src_path=self._backing_file(page), inclusion=inclusion)
            same_address = user_dests.get(generated.dest_uri)
            if same_address is not None:  # `folder: tags` beside docs/tags.md: both would be tags/index.html
                raise PluginError(
                    f"readinglist: the generated page {page.path!r} would be written where your own "
                    f"{same_address!r} is ({generated.dest_uri}); choose another {_option_of(page.path, site)} for "
                    "the reading list")
            if i18n:
                # mkdocs-static-i18n's sitemap reads every page's translations: a generated page has none.
                generated.alternates = {}  # type: ignore[attr-defined]
            files.append(generated)
            self.generated_paths.add(page.path)
        self._check_nav()
        self._stale_citing_pages(files)  # recorded on every build, for the next dirty one
        self._extend_user_nav(config)
        if not site.papers_in_tags_index:
            self._keep_out_of_tags_indexes(config)
        # Each entry is rendered when a citation asks for it: a site that cites 50 papers of a
        # 1,898-entry .bib renders 50 (as pybtex and citeproc-py read each alone).
        entries = CitableEntries(corpus.papers)
        style = self.citations.style
        style_file = self._style_file()
        if style is None or style.path != self.csl_path or style.store is not self.rendered \
                or style_file != self.style_file:  # (a user's own .csl edited while serving)
            try:
                style = CitationStyle(self.csl_path, entries, self.rendered)
            except StyleError as exc:
                raise PluginError(f"readinglist: {exc}") from exc
            self.style_file = style_file
        style.entries = entries  # formatted tooltips are kept by entry text across serve rebuilds
        self.citations.set_corpus(entries, style, standalone=False, aliases=corpus_aliases(corpus),
                                  locked=corpus.lock.keys)
        self.files = files
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

    def _corpus_digest(self) -> str:
        """A digest of every input of the corpus: the settings, each source file's name, options
        and bytes, the key lock's and resolved.yml's bytes (the code's digest is added by the store)."""
        assert self.settings is not None
        parts: list[str | bytes] = [repr(self.settings), "cite_only"]
        files, _ = source_files(self.settings)
        lock = self.settings.lock_path()
        for path in [*(path for path, _, _ in files), lock, resolution_path(lock)]:
            parts.append(str(path))
            try:
                parts.append(path.read_bytes())
            except OSError:
                parts.append("(missing)")
        parts.extend(repr((options, display)) for _, options, display in files)
        return CorpusStore.digest(parts)

    def _cited_keys(self, pages: Iterable[File], corpus: Corpus, snippets: Sequence[Path] = (),
                    appended: str = "") -> frozenset[str]:
        """The corpus keys the user's own pages cite (matched as citations are: case aside), and
        the files they include with pymdownx.snippets (`--8<-- "more.md"`, found in `snippets`;
        `appended`: the includes snippets' `auto_append` adds to every page)."""
        cited = set()
        for file in dict.fromkeys(pages):
            if file.generated_by:
                continue
            try:
                text = file.content_string
            except (OSError, UnicodeDecodeError):
                continue  # MkDocs reports it when it reads the page
            if snippets and ("8<" in text or appended):
                text += "\n" + "\n".join(_included(text + appended, snippets))
            for key in cited_keys(text):
                found = corpus.paper_for_key(key)  # a merged .bib entry's key cites its paper
                if found is not None:
                    cited.add(found.key)
        return frozenset(cited)

    def _backing_file(self, page: GeneratedPage) -> str:
        """The page's text in a file under .cache/readinglist/pages/, written only when the
        text differs from what the file holds: its modification time is when the text last
        changed, which is what MkDocs compares with the built page under `--dirty`."""
        known = self.backed.get(page.path)
        if known is not None and (known is page.content or known == page.content):
            name = os.path.join(self.pages_dir, page.path)  # a string, not a Path: 10k pages a rebuild
            if os.path.isfile(name):
                return name
        path = self.pages_dir / page.path
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

    def _style_file(self) -> str:
        """The CSL style's file as it is now (its path, size and modification time): a style
        chosen in mkdocs.yml or a user's own .csl edited makes every citing page again."""
        try:
            stat = os.stat(self.csl_path)
        except (OSError, TypeError):
            return str(self.csl_path)
        return f"{self.csl_path} {stat.st_size} {stat.st_mtime_ns}"

    def _stale_citing_pages(self, files: Files) -> None:
        """A page of yours that cites a paper shows its link and formatted reference; when
        those change (the paper was edited) the page's own file did not, so a dirty build
        would keep the old text. Such a page's built file is marked older than its source
        (MkDocs' own check then rebuilds it). What each page cited is kept in
        .cache/readinglist/citations.json, for the next build, in this process or another."""
        assert self.corpus is not None
        record = self.pages_dir.parent / "citations.json"
        try:
            before: dict[str, list[list[str]]] = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = {}
        lower = {p.key.lower(): p.key for p in self.corpus.papers}
        to_list = self.site_options.cite_only and not self.site_options.paper_pages
        style_file = self._style_file()  # how every citation is written, with the references' heading
        now: dict[str, list[list[str]]] = {}
        for file in files.documentation_pages():
            if file.generated_by:
                continue
            try:
                keys = cited_keys(file.content_string)
            except (OSError, UnicodeDecodeError):
                continue
            if not keys:
                continue
            shown = []
            for key in keys:
                found = lower.get(key.lower())
                target = "" if found is None or to_list else self._link_targets().get(found, "")
                shown.append([key, found or "", target, self.references.get(found or "", "")])
            shown.append(["(style)", style_file, self.site_options.references_title, ""])
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
        generated = {page.path for page in self.pages}
        # Placed by the user when the nav names a generated page (a page of the user's own in the
        # folder, `reading-list/my-notes.md`, does not place the reading list)
        if any(path in generated or path.rstrip("/") + "/" == folder for path in _nav_paths(config.nav)):
            return
        section = nav_section(self.pages, folder, self.site_options.title)
        if any(section.values()):  # a site that only cites has no page for the nav
            config.nav.append(section)

    def _report_citation(self, diagnostic: Diagnostic) -> None:
        """A citation's Diagnostic (an unknown key, a style failure) at the level the user set."""
        levels = self.settings.diagnostic_levels if self.settings is not None else {}
        for leveled in with_levels([diagnostic], levels):
            if leveled.severity is Severity.ERROR:
                log.error(leveled.format())
            elif leveled.severity is Severity.WARNING:
                log.warning(leveled.format())
            else:  # as the data's info diagnostics: shown with `mkdocs build --verbose`
                log.debug(leveled.format())

    def _log_diagnostics(self, corpus: Corpus, reads: int, references: Sequence[Diagnostic] = (),
                         again: bool = False) -> None:
        """The corpus's diagnostics and those of the references (pybtex's failures), then the
        corpus's size; `strict: true` stops the build on a warning or an error (as `mkdocs build --strict`
        does): bad input never stops it otherwise. `again`: mkdocs-static-i18n's build of another
        language, inside the build that logged them (the same sources): not logged twice."""
        if again:
            for diagnostic in (*corpus.diagnostics, *references):
                log.debug(diagnostic.format())
            return
        warnings = errors = 0
        # A `serve` rebuild says again only what is new since the last build (a survey's
        # 700 warnings about its .bib, reprinted at every save, buried the one new warning),
        # and counts the rest in one line, at their level (`--strict` still fails on them).
        shown_before, self.logged = self.logged, frozenset((*corpus.diagnostics, *references))
        repeated = {Severity.ERROR: 0, Severity.WARNING: 0}
        for diagnostic in (*corpus.diagnostics, *references):
            if diagnostic.severity is Severity.ERROR:
                errors += 1
            elif diagnostic.severity is Severity.WARNING:
                warnings += 1
            if shown_before is not None and diagnostic in shown_before and diagnostic.severity in repeated:
                repeated[diagnostic.severity] += 1
            elif diagnostic.severity is Severity.ERROR:
                log.error(diagnostic.format())
            elif diagnostic.severity is Severity.WARNING:
                log.warning(diagnostic.format())
            else:
                log.debug(diagnostic.format())
        counted = [f"{n} data {kind}{'' if n == 1 else 's'}" for n, kind in
                   ((repeated[Severity.ERROR], "error"), (repeated[Severity.WARNING], "warning")) if n]
        if counted:
            (log.error if repeated[Severity.ERROR] else log.warning)(
                f"{' and '.join(counted)} as at the last build, not shown again (`mkdocs build` shows them all)")
        # As the home page counts them: the listings and .bib files, the overrides files apart.
        overrides = sum(1 for result in corpus.results if result.overrides)
        sources = len(corpus.results) - overrides
        also = "" if not overrides else " and an overrides file" if overrides == 1 else f" and {overrides} overrides files"
        papers = sum(1 for paper in corpus.papers if paper.entry_type not in CONTAINER_TYPES)  # as the home page
        log.info(f"{papers} paper{'' if papers == 1 else 's'} from {sources} source{'' if sources == 1 else 's'}{also} "
                 f"({reads} read this build)")
        if self.site_options.strict and (warnings or errors):
            raise PluginError(f"readinglist: {warnings} data warnings and {errors} errors with `strict: true`")

    @event_priority(100)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Citations are the extension's work; here the plugin notes the front matter's length.
        First of all plugins: generated pages (BibTeX's `{{...}}` braces in them) are marked
        `render_macros: false` before mkdocs-macros would read them as Jinja templates."""
        if page.file.src_uri in self.generated_paths:
            page.meta.setdefault("render_macros", False)
            return markdown
        self.front_matter[page.file.src_uri] = _front_matter_lines(page.file.content_string, markdown)
        own_title = page.meta.get("references_title")
        if isinstance(own_title, str) and own_title.strip():
            self.references_titles[page.file.src_uri] = own_title.strip()
        else:
            self.references_titles.pop(page.file.src_uri, None)
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
        default = self.site_options.references_title if self.site_options else "References"
        if "references_title" not in getattr(self, "options_given", {"references_title"}):
            default = self._site_references_title()  # (each language of an mkdocs-static-i18n site: its own)
        citations.setConfig("references_title", self.references_titles.get(file.src_uri, default))
        site = self.site_options
        to_list = site.cite_only and not site.paper_pages  # no pages: the page's own references list
        page_url = file.url
        # A blog excerpt is the post's text shown on another page (Material's blog sets the post's
        # file URL to the index's while it renders it): its references list is the post's.
        home = files.get_file_from_path(file.src_uri)
        own_list = "" if home is None or home.url == page_url else get_relative_url(home.url, page_url)

        def link(key: str) -> str:
            if to_list:
                return f"{own_list}#ref-{key}"
            path, _, anchor = self._link_targets().get(key, f"{site.folder.strip('/')}/index.md").partition("#")
            found = files.get_file_from_path(path)
            if found is None and site.cite_only:  # cited where the plugin could not look before the build
                self._no_page(key, file.src_uri)
                return f"{own_list}#ref-{key}"
            url = found.url if found is not None else f"{site.folder.strip('/')}/"
            return get_relative_url(url, page_url) + (f"#{anchor}" if anchor else "")

        citations.link = link

    def _no_page(self, key: str, page: str) -> None:
        """Said once per key and build: a paper cited only in text MkDocs does not give the plugin
        before the build (a docstring, a page another plugin generates) has
        no page of its own under `cite_only`; its citations link to the page's references list."""
        if key in self.told_no_page:
            return
        self.told_no_page.add(key)
        self._report_citation(Diagnostic(
            page, 0, default_level("cited-without-page"),
            f"{key} is cited only in text read while the page is built (a docstring, a page or text another "
            "plugin or a hook writes), so `cite_only` made no page for it: its citations link to the page's references "
            "list (cite it in a page's own Markdown to give it a page)", "cited-without-page"))

    def _link_targets(self) -> dict[str, str]:
        """key -> the generated page (and anchor) a citation of it links to: the very targets
        the generated pages use, worked out once per build."""
        if self._targets is None:
            assert self.corpus is not None
            site = self.site_options
            if site.cite_only or site.paper_pages:  # a page per paper (with cite_only: per cited paper)
                folder = site.folder.strip("/")
                self._targets = {p.key: f"{folder}/papers/{page_name(p.key)}.md" for p in self.corpus.papers}
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
            self._watch(server, path if path.exists() else path.parent)
        resolved = resolution_path(self.settings.lock_path())  # written by `readinglist resolve`
        if resolved.exists():
            server.watch(str(resolved))
        if self.site_options.templates:  # an edited template makes its pages again
            server.watch(self.site_options.templates)
        if self.csl_path is not None and self.csl_path.parent != STYLE_DIR:  # a user's own .csl
            server.watch(str(self.csl_path))
        return server

    def _watch(self, server: LiveReloadServer, path: Path) -> None:
        """`server.watch(path)`, but the key lock the build itself wrote into a watched folder
        is not a change: each build that gave a key (a paper added) was followed by a second
        build and a second reload for it. An edit of the lock by hand, or any other file's
        change, rebuilds as before. (MkDocs' watch takes no filter: this schedules the same
        callback MkDocs does, on its observer; a server without them gets MkDocs' own watch.)"""
        condition = getattr(server, "_rebuild_cond", None)
        observer = getattr(server, "observer", None)
        if condition is None or observer is None or not hasattr(server, "_want_rebuild") \
                or os.path.abspath(path) in getattr(server, "_watched_paths", {}):
            server.watch(str(path))
            return
        import watchdog.events

        assert self.settings is not None
        lock = os.path.abspath(self.settings.lock_path())

        def callback(event: Any) -> None:
            if event.is_directory:
                return
            changed = {os.path.abspath(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p}
            if changed == {lock} and (self.writing_lock or _text_of(Path(lock)) == self.lock_left):
                return  # the lock as this process's build writes it, or its last build left it
            with condition:
                server._want_rebuild = True  # type: ignore[attr-defined]
                condition.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback  # type: ignore[method-assign]
        observer.schedule(handler, str(path), recursive=True)
        watched = getattr(server, "_watched_paths", None)  # named in MkDocs' "Watching paths for changes"
        if isinstance(watched, dict):
            watched[os.path.abspath(path)] = watched.get(os.path.abspath(path), 0) + 1

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.formatter is not None:
            self.formatter.save()
        if self.rendered is not None:
            self.rendered.save()


class CitableEntries(Mapping[str, str]):
    """key -> the paper's BibTeX entry as a formatter reads it alone (with the @string
    definitions it uses), as `site.standalone_entries` gives them, each rendered when first
    asked for: citations ask for the papers they cite, not for the whole corpus."""

    def __init__(self, papers: tuple[Paper, ...]) -> None:
        self._papers = {paper.key: paper for paper in papers}
        self._by_key: dict[str, Paper] | None = None  # every citable key, made when an entry inherits
        self._texts: dict[str, str] = {}
        self.rendered = 0  # entries rendered: the measure of the work

    def __getitem__(self, key: str) -> str:
        text = self._texts.get(key)
        if text is None:
            paper = self._papers[key]
            if self._by_key is None and paper.bib:
                self._by_key = citable_keys(self._papers.values())
            text = alone(paper, entry_text(paper), self._by_key or {}, entry_text)
            self._texts[key] = text
            self.rendered += 1
        return text

    def __contains__(self, key: object) -> bool:
        return key in self._papers

    def __iter__(self) -> Iterator[str]:
        return iter(self._papers)

    def __len__(self) -> int:
        return len(self._papers)


def _option_of(path: str, site: SiteOptions) -> str:
    """The option that places a generated file: the site's .bib file, or the reading list's folder."""
    return "`bib_file:`" if path == site.bib_file.strip("/") else "`folder:`"


def _text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


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


def _front_matter_lines(source: str, markdown: str) -> int:
    """Lines of front matter MkDocs took off the page, so messages point at the real line."""
    head = markdown[:80]
    position = source.find(head) if head else -1
    return source[:position].count("\n") if position > 0 else 0
