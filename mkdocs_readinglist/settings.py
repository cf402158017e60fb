"""The user's settings, engine-independent: the plugin and the CLI both build one of these."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import CODES, unknown_code_message
from .enrich.topics import Taxonomy, TaxonomyError, Topic, build_taxonomy, load_taxonomy_text, topics_from_data
from .model import Severity
from .render.bibtex import LOCAL_PATH_FIELDS
from .sources import LOCK_FILE_NAME, READERS

LEVELS = {"ignore": None, "info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}


class ConfigError(ValueError):
    """A mistake in the user's configuration: stops the build with this message."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A file, folder or glob of listings, with facts that hold for all of it."""

    path: str
    year: int | None = None
    format: str | None = None


@dataclass(frozen=True)
class Settings:
    base_dir: Path = field(default_factory=Path.cwd)
    sources: tuple[SourceSpec, ...] = (SourceSpec("bib"),)
    taxonomy: Taxonomy = field(default_factory=build_taxonomy)
    lock_file: str | None = None
    diagnostic_levels: Mapping[str, Severity | None] = field(default_factory=dict)

    def lock_path(self) -> Path:
        if self.lock_file:
            return self.base_dir / self.lock_file
        first = self.base_dir / self.sources[0].path if self.sources else self.base_dir
        folder = first if first.is_dir() else first.parent
        return folder / LOCK_FILE_NAME


def source_specs(raw: object, where: str = "sources") -> tuple[SourceSpec, ...]:
    """Sources as users write them: a list of paths, or of {path, year, format} mappings."""
    if isinstance(raw, str) or not isinstance(raw, list):
        raise ConfigError(f"`{where}` must be a list of paths (got {type(raw).__name__}: {raw!r}); "
                          "write `sources: [bib]` or a YAML list")
    specs = []
    for index, item in enumerate(raw, start=1):
        if isinstance(item, str):
            specs.append(SourceSpec(item))
            continue
        if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
            raise ConfigError(f"`{where}` item {index} must be a path or a mapping with `path:`")
        unknown = set(item) - {"path", "year", "format"}
        if unknown:
            raise ConfigError(f"`{where}` item {index}: unknown option(s) {', '.join(sorted(unknown))}; "
                              "known: path, year, format")
        year = item.get("year")
        if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2100):
            raise ConfigError(f"`{where}` item {index}: `year` must be a year like 2026 (got {year!r})")
        fmt = item.get("format")
        if fmt is not None and fmt not in READERS:
            raise ConfigError(f"`{where}` item {index}: unknown format {fmt!r}; known: {', '.join(READERS)}")
        specs.append(SourceSpec(item["path"], year, fmt))
    return tuple(specs)


def diagnostic_levels(raw: object) -> dict[str, Severity | None]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError("`diagnostics` must map a diagnostic code to info, warning, error or ignore")
    levels = {}
    for code, level in raw.items():
        if str(code) not in CODES:
            raise ConfigError(unknown_code_message(str(code)))
        if level not in LEVELS:
            raise ConfigError(f"`diagnostics`: level of {code!r} must be one of {', '.join(LEVELS)} (got {level!r})")
        levels[str(code)] = LEVELS[level]
    return levels


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
    """Options of the generated pages, shared by the plugin and `readinglist pages`."""

    folder: str = "reading-list"
    paper_pages: bool = True
    papers_in_nav: bool = False
    topic_page_size: int = 0
    bib_file: str = "references.bib"
    title: str = "Reading list"
    reference_style: str = "plain"
    omit_fields: tuple[str, ...] = LOCAL_PATH_FIELDS  # left out of the site's .bib files and BibTeX blocks


OPTION_NAMES = {
    "sources", "folder", "taxonomy", "topics", "replace_taxonomy", "paper_pages", "papers_in_nav",
    "topic_page_size", "bib_file", "lock_file", "diagnostics", "title", "reference_style", "strict",
    "omit_fields",
}


def settings_from_mapping(base_dir: Path, options: Mapping[str, object]) -> tuple[Settings, SiteOptions]:
    """Settings from the plugin's options as written in mkdocs.yml (the CLI's `--config`)."""
    unknown = set(options) - OPTION_NAMES
    if unknown:
        close = {name: difflib.get_close_matches(name, OPTION_NAMES, n=1) for name in unknown}
        hints = ", ".join(f"{n!r}" + (f" (did you mean {c[0]!r}?)" if c else "") for n, c in sorted(close.items()))
        raise ConfigError(f"unknown readinglist option(s): {hints}; known: {', '.join(sorted(OPTION_NAMES))}")
    sources = source_specs(options.get("sources", ["bib"]))
    taxonomy_file = options.get("taxonomy")
    if taxonomy_file is not None and not isinstance(taxonomy_file, str):
        raise ConfigError("`taxonomy` must be the path of a YAML taxonomy file")
    try:
        taxonomy = taxonomy_from(base_dir, taxonomy_file, options.get("topics"), bool(options.get("replace_taxonomy")))
    except TaxonomyError as exc:
        raise ConfigError(str(exc)) from exc
    lock_file = options.get("lock_file")
    settings = Settings(base_dir=base_dir, sources=sources, taxonomy=taxonomy,
                        lock_file=str(lock_file) if lock_file else None,
                        diagnostic_levels=diagnostic_levels(options.get("diagnostics")))
    site = SiteOptions()
    values: dict[str, object] = {}
    for name, kind in (("folder", str), ("paper_pages", bool), ("papers_in_nav", bool),
                       ("topic_page_size", int), ("bib_file", str), ("title", str), ("reference_style", str)):
        if name in options and options[name] is not None:
            if not isinstance(options[name], kind):
                raise ConfigError(f"`{name}` must be {kind.__name__} (got {options[name]!r})")
            values[name] = options[name]
    omit = options.get("omit_fields")
    if omit is not None:
        if not isinstance(omit, list) or not all(isinstance(name, str) and name.strip() for name in omit):
            raise ConfigError(f"`omit_fields` must be a list of field names, like [file, abstract] (got {omit!r})")
        values["omit_fields"] = tuple(dict.fromkeys(name.strip().lower() for name in omit))
    site = SiteOptions(**values)  # type: ignore[arg-type]
    if site.topic_page_size < 0:
        raise ConfigError("`topic_page_size` must be 0 (no pagination) or a positive number")
    if site.reference_style not in ("plain", "unsrt", "alpha", "unsrtalpha"):
        raise ConfigError(f"`reference_style` must be one of plain, unsrt, alpha, unsrtalpha (got {site.reference_style!r})")
    return settings, site
