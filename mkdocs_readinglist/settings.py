"""The user's settings, engine-independent: the plugin and the CLI both build one of these."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from .enrich.resolved import FILE_NAME as RESOLVED_FILE_NAME
from .enrich.topics import Taxonomy, TaxonomyError, Topic, build_taxonomy, load_taxonomy_text, topics_from_data
from .model import Severity
from .options import (
    LEVELS,
    MKDOCS_PLACE,
    OPTION_NAMES,
    OPTIONS,
    ConfigError,
    SourceSpec,
    diagnostic_levels,
    read_options,
    source_specs,
)
from .render.bibtex import LOCAL_PATH_FIELDS
from .render.pages import PageOptions
from .render.templates import TemplateError, check_folder
from .sources import LOCK_FILE_NAME

__all__ = [
    "LEVELS",
    "OPTIONS",
    "OPTION_NAMES",
    "ConfigError",
    "Settings",
    "SiteOptions",
    "SourceSpec",
    "diagnostic_levels",
    "settings_from_mapping",
    "source_specs",
    "taxonomy_from",
]

@dataclass(frozen=True)
class Settings:
    base_dir: Path = field(default_factory=Path.cwd)
    sources: tuple[SourceSpec, ...] = (SourceSpec("bib"),)
    taxonomy: Taxonomy = field(default_factory=build_taxonomy)
    lock_file: str | None = None
    diagnostic_levels: Mapping[str, Severity | None] = field(default_factory=dict)

    def lock_path(self) -> Path:
        """`lock_file`, else `readinglist.lock` in the first source's folder when that folder is the
        project's (inside `base_dir`): a source read from elsewhere (TeX Live's bibliographies, a
        shared folder) is not written beside, so the lock goes in `base_dir`, unless a lock is
        already there from an earlier run (its pinned keys stay pinned)."""
        if self.lock_file:
            return self.base_dir / self.lock_file
        folder = _folder_of(self.base_dir / self.sources[0].path) if self.sources else self.base_dir
        beside = folder / LOCK_FILE_NAME
        if beside.is_file() or (folder / RESOLVED_FILE_NAME).is_file():
            return beside
        # Another source put first (`sources: [extra, bib]`) must not start a new lock beside it,
        # with new keys, while the lock of every earlier run (or its resolved.yml, which `resolve`
        # writes where the lock goes) sits in bib/.
        base = self.base_dir.resolve()
        for spec in self.sources[1:]:
            folder_of = _folder_of(self.base_dir / spec.path)
            kept = folder_of / LOCK_FILE_NAME
            if (kept.is_file() or (folder_of / RESOLVED_FILE_NAME).is_file()) and kept.resolve().is_relative_to(base):
                return kept
        if folder.resolve().is_relative_to(base):
            return beside
        return self.base_dir / LOCK_FILE_NAME


def taxonomy_from(base_dir: Path, taxonomy_file: str | None, topics: object, replace_default: bool) -> Taxonomy:
    extra: list[Topic] = []
    marked_new = _marked_new(topics)
    if taxonomy_file:
        path = base_dir / taxonomy_file
        if not path.is_file():
            raise ConfigError(f"taxonomy file {taxonomy_file!r} does not exist (looked in {path})")
        text = path.read_text(encoding="utf-8")
        extra += load_taxonomy_text(text, taxonomy_file)
        marked_new |= _marked_new(yaml.safe_load(text))
    if topics:
        extra += topics_from_data(topics, "`topics`")
    if not replace_default:
        _check_topic_names(extra, marked_new, taxonomy_file)
    return build_taxonomy(extra, replace_default)


def _marked_new(data: object) -> set[str]:
    if isinstance(data, Mapping):
        data = data.get("topics")
    return {str(t.get("name")) for t in data if isinstance(t, Mapping) and t.get("new")} \
        if isinstance(data, list) else set()


def _check_topic_names(extra: list[Topic], marked_new: set[str], origin: str | None) -> None:
    """A user topic named almost like a built-in one (`humna-pose`) is a typo, not a new topic:
    stop with the valid names, unless the topic says `new: true`."""
    builtin = build_taxonomy()
    slugs = {t.slug for t in builtin.topics}
    for topic in extra:
        if topic.slug in slugs or topic.name in marked_new:
            continue
        if difflib.get_close_matches(topic.slug, sorted(slugs), n=1, cutoff=0.8):
            try:
                builtin.resolve(topic.name, f"`topics`{f' or {origin}' if origin else ''}: ")
            except TaxonomyError as exc:
                raise ConfigError(f"{exc}. To add a new topic with this name, give it `new: true`") from exc


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """Options of the generated pages and of the build, shared by the plugin and `readinglist pages`.
    Each field is the option of the same name in options.OPTIONS (same default; a test checks it)."""

    folder: str = "reading-list"
    paper_pages: bool = True
    papers_in_nav: bool = False
    papers_in_tags_index: bool = False
    topic_page_size: int = 0
    bib_file: str = "references.bib"
    title: str = "Reading list"
    reference_style: str = "plain"
    csl: str = "chicago-author-date"  # citation labels and references lists in users' pages
    references_title: str = "References"  # the heading of a page's references list
    cite_only: bool = False
    strict: bool = False
    omit_fields: tuple[str, ...] = LOCAL_PATH_FIELDS  # left out of the site's .bib files and BibTeX blocks
    templates: str | None = None  # a folder of page templates overriding ours (absolute once read)

    def page_options(self, cited: frozenset[str] = frozenset()) -> PageOptions:
        """The options the page layout reads (the fields of PageOptions), taken by name; `cited`
        (the keys the user's pages cite) is a fact of the build, not an option."""
        return PageOptions(**{f.name: getattr(self, f.name) for f in fields(PageOptions) if f.name != "cited"},
                           cited=cited)


SITE_OPTION_NAMES = frozenset(f.name for f in fields(SiteOptions))


def settings_from_mapping(base_dir: Path, options: Mapping[str, object],
                          place: str = MKDOCS_PLACE) -> tuple[Settings, SiteOptions]:
    """Settings from the plugin's options as written in mkdocs.yml (the CLI's `--config`). A
    mistake raises ConfigError naming the option and `place` (where the options were written)."""
    values = read_options(options, place)
    taxonomy_file = values["taxonomy"]
    assert taxonomy_file is None or isinstance(taxonomy_file, str)
    try:
        taxonomy = taxonomy_from(base_dir, taxonomy_file, values["topics"], bool(values["replace_taxonomy"]))
    except (TaxonomyError, ConfigError) as exc:
        option = "topics" if str(exc).startswith("`topics`") or not taxonomy_file else "taxonomy"
        raise ConfigError(f"{place}.{option}: {exc}") from exc
    lock_file = values["lock_file"]
    settings = Settings(base_dir=base_dir, sources=values["sources"],  # type: ignore[arg-type]
                        taxonomy=taxonomy, lock_file=str(lock_file) if lock_file else None,
                        diagnostic_levels=values["diagnostics"])  # type: ignore[arg-type]
    if values["templates"] is not None:  # relative to the configuration; checked by check_templates
        values["templates"] = str((base_dir / str(values["templates"])).resolve())
    site = SiteOptions(**{name: values[name] for name in SITE_OPTION_NAMES})  # type: ignore[arg-type]
    return settings, site


def check_templates(folder: str | None, place: str = MKDOCS_PLACE) -> None:
    """A `templates` folder that is missing, or holds a template that does not compile, stops
    the build here (naming the template's file and line)."""
    if folder is None:
        return
    if not Path(folder).is_dir():
        raise ConfigError(f"{place}.templates: no folder {folder}")
    try:
        check_folder(folder)
    except TemplateError as exc:
        raise ConfigError(f"{place}.templates: {exc}") from exc


def _folder_of(source: Path) -> Path:
    """The folder a source is in: itself, a file's folder, or a glob's folder before its first
    wildcard (`refs/**/*.bib` is in `refs`: the lock went to `refs/**/readinglist.lock`)."""
    if any(char in part for part in source.parts for char in "*?["):
        parts = source.parts
        fixed = next(n for n, part in enumerate(parts) if any(char in part for char in "*?["))
        return Path(*parts[:fixed]) if fixed else Path(".")
    return source if source.is_dir() else source.parent
