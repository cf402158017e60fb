"""The plugin's options, declared once.

`OPTIONS` is the one table of options: each has a name, a type, a default, a one-line doc and
(where a type says too little) a check. From it come the MkDocs config class
(adapters/config.py), the core's reading of options (settings.settings_from_mapping, which the
CLI's `--config` uses too) and the option reference in docs/configure.md
(`python scripts/options_doc.py` rewrites it; a test checks it is current).

Adding an option is adding one `Option(...)` entry here, and reading it where it is used.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .diagnostics import CODES, unknown_code_message
from .enrich.topics import TaxonomyError, topics_from_data
from .model import Severity
from .render.bibtex import LOCAL_PATH_FIELDS
from .sources import READERS

LEVELS = {"ignore": None, "info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}
REFERENCE_STYLES = ("plain", "unsrt", "alpha", "unsrtalpha")
MKDOCS_PLACE = "mkdocs.yml, plugins.readinglist"


class ConfigError(ValueError):
    """A mistake in the user's configuration: stops the build with this message."""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A file, folder or glob of listings, with facts that hold for all of it."""

    path: str
    year: int | None = None
    format: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """One option: `kind` is the YAML type its value must have (None is always allowed and means
    the default); `type_doc` says more than the type's name, for messages and the docs; `check`
    looks deeper and returns the value the core uses, or raises ConfigError with a message that
    starts with the option's name."""

    name: str
    kind: type
    default: object
    doc: str
    choices: tuple[str, ...] = ()
    type_doc: str = ""
    check: Callable[[object], object] | None = None
    # A check of the value with the other options' values (every option read), raising
    # ConfigError with a message that starts with the option's name.
    with_others: Callable[[object, Mapping[str, object]], None] | None = None

    def describe_type(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return self.type_doc or _TYPE_WORDS.get(self.kind, self.kind.__name__)

    def read(self, value: object) -> object:
        """The value as the core uses it; a wrong value raises ConfigError naming the option."""
        if value is None:
            value = self.default
            if value is None:
                return None
        if not isinstance(value, self.kind):
            raise ConfigError(f"`{self.name}` must be {self.type_doc or self.kind.__name__} "
                              f"(got {type(value).__name__} {value!r})")
        if self.choices and value not in self.choices:
            raise ConfigError(f"`{self.name}` must be one of {', '.join(self.choices)} (got {value!r})")
        return self.check(value) if self.check is not None else value


_TYPE_WORDS = {str: "text", bool: "true or false", int: "whole number", list: "list", dict: "mapping"}


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
            raise ConfigError(f"`{where}` item {index} must be a path or a mapping with `path:` (got {item!r})")
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


def _field_names(value: object) -> object:
    names = value if isinstance(value, list) else []
    if not all(isinstance(name, str) and name.strip() for name in names):
        raise ConfigError(f"`omit_fields` must be a list of field names, like [file, abstract] (got {value!r})")
    return tuple(dict.fromkeys(str(name).strip().lower() for name in names))


def _inside_the_site(value: object) -> bool:
    """A relative path that stays inside the site (not `../outside`, `/abs`, `C:`)."""
    text = str(value).replace("\\", "/")
    parts = text.strip("/").split("/")
    return bool(text.strip("/ ")) and not text.startswith("/") and ".." not in parts and ":" not in parts[0]


def _site_folder(value: object) -> object:
    """A folder inside the site: generated pages never land outside `site_dir` (`../outside`)."""
    if not _inside_the_site(value):
        raise ConfigError(f"`folder` must be a folder inside the site, like `reading-list` or `papers/list` "
                          f"(got {value!r})")
    return value


def _site_bib_file(value: object) -> object:
    """A .bib file inside the site: it is written there on every build, so a path outside it
    (`../bib/mine.bib`, `/tmp/x.bib`) overwrote that file, a user's own .bib included."""
    if not _inside_the_site(value) or not str(value).lower().endswith(".bib"):
        raise ConfigError(f"`bib_file` must be a .bib file's path inside the site, like `references.bib` or "
                          f"`reading-list/all.bib`; it is written on every build (got {value!r})")
    return value


def _own_topics_given(value: object, others: Mapping[str, object]) -> None:
    if value and not others.get("taxonomy") and not others.get("topics"):
        raise ConfigError("`replace_taxonomy` is true, which uses only your own topics, and none are given: set "
                          "`taxonomy:` (a YAML file) or `topics:` (a list), or leave it false")


def _a_title(value: object) -> object:
    if not str(value).strip():
        raise ConfigError("`title` must not be empty: it is the reading list's heading and its section in the nav "
                          "(got '')")
    return value


def _not_negative(value: object) -> object:
    if isinstance(value, int) and value < 0:
        raise ConfigError(f"`topic_page_size` must be 0 (no pagination) or a positive number (got {value!r})")
    return value


def _topics(value: object) -> object:
    try:
        topics_from_data(value, "`topics`")  # the list's shape; the names are checked with the taxonomy
    except TaxonomyError as exc:
        raise ConfigError(str(exc)) from exc
    return value


def listed_sources(raw: object) -> tuple[SourceSpec, ...]:
    """`sources:` read, and not empty: `sources: []` built an empty reading list, said at info level only."""
    specs = source_specs(raw)
    if not specs:
        raise ConfigError("`sources` is empty: name the folders or files of your listings and .bib files "
                          "(`sources: [bib]`, the default)")
    return specs


OPTIONS: tuple[Option, ...] = (
    Option("sources", list, ["bib"],
           "Files, folders or globs of listings and .bib files, relative to mkdocs.yml (a folder's files with "
           "a text suffix: .txt, .md, .bib, .yml ...; a file named on its own whatever its name). An item can also be "
           "a mapping `{path: ..., year: 2026, format: hf-daily}`: `year` dates year-less dates of that "
           "source, `format` forces a reader when detection from content is not wanted.",
           type_doc="a list of paths, e.g. `sources: [bib]`", check=listed_sources),
    Option("folder", str, "reading-list", "Where in the site the generated pages go.", check=_site_folder),
    Option("taxonomy", str, None, "A YAML taxonomy file (topics with keyword rules) that extends the built-in one.",
           type_doc="the path of a YAML taxonomy file"),
    Option("topics", list, None,
           "Topics written inline: a list of `{name: ..., keywords: [...]}` extending the built-in taxonomy.",
           check=_topics),
    Option("replace_taxonomy", bool, False, "Use only your own topics (`taxonomy`/`topics`), not the built-in ones.",
           with_others=_own_topics_given),
    Option("paper_pages", bool, True,
           "A page per paper. Off: papers are listed in full on their topic pages (for very large corpora)."),
    Option("papers_in_nav", bool, False,
           "List every paper page in the navigation. Off by default: Material renders the whole nav into "
           "every page, so a nav of thousands of papers makes the build quadratic."),
    Option("papers_in_tags_index", bool, False,
           "Tag each paper page with its topics and list paper pages in your own tags index (Material's tags "
           "plugin). Off: paper pages carry no tags (Material's search ranks tags far above text: a typed title "
           "came after every paper of its topics), and the reading list's topic pages index its papers."),
    Option("topic_page_size", int, 0,
           "Papers per topic page; 0 keeps each topic on one page (set it, e.g. 100, if `paper_pages` is off "
           "on a big corpus).", check=_not_negative),
    Option("bib_file", str, "references.bib", "The corpus's BibTeX file, served at this path of the site "
           "(a path inside the site: the file is written on every build).", check=_site_bib_file),
    Option("lock_file", str, None,
           "The citation-key lock (default: `readinglist.lock` in the first source's folder, unless another source's folder in the project already has one, which is kept; in the folder of `mkdocs.yml` when the first source is outside it). Commit it."),
    Option("diagnostics", dict, {},
           "Levels for kinds of data diagnostics you have reviewed, e.g. `{missing-meta: info}` (info, warning, "
           "error or ignore), like MkDocs' own `validation:` option.",
           type_doc="a mapping of diagnostic codes to info, warning, error or ignore", check=diagnostic_levels),
    Option("title", str, "Reading list", "Title of the reading-list home page and its navigation section.",
           check=_a_title),
    Option("reference_style", str, "plain",
           "pybtex style of the formatted reference on each paper page (plain, unsrt and alpha differ in their "
           "labels and order, which a paper page does not show; citations in your pages follow `csl`).",
           choices=REFERENCE_STYLES),
    Option("csl", str, "chicago-author-date",
           "Style of citations in your pages and their references lists: chicago-author-date, apa, ieee, acm, "
           "or the path of a `.csl` file (relative to mkdocs.yml)."),
    Option("references_title", str, "References",
           "Heading of the references list a page that cites gets at its end (where it has no `::: {#refs}`); "
           "unset, it follows the theme's language (`language: de` gives Literatur, as LaTeX's babel names the "
           "list); a page's front matter `references_title:` sets its own (a page in another language)."),
    Option("cite_only", bool, False,
           "A site that only cites: no home, topic or dataset pages. With `paper_pages`, a page for each paper "
           "your pages cite; with `paper_pages: false`, no generated pages at all (each citation links to the "
           "references list at the end of the page that cites it)."),
    Option("omit_fields", list, list(LOCAL_PATH_FIELDS),
           "Fields left out of the site's public .bib files and BibTeX blocks, like Better BibTeX's `skipFields` "
           "(a trailing `*` matches a prefix). Default: the fields that hold paths on your disk; `[]` keeps all. "
           "`readinglist bib` keeps every field unless told (`--omit FIELD`). A `pdf` that is a web address "
           "(`https://...`) is still linked on its paper page.",
           type_doc="a list of field names", check=_field_names),
    Option("templates", str, None,
           "A folder of page templates (relative to mkdocs.yml) whose files replace the built-in ones by name, "
           "e.g. `paper.md.j2` for paper pages; see [Page templates](templates.md).",
           type_doc="the path of a folder"),
    Option("strict", bool, False, "Fail the build on data warnings, even without `mkdocs build --strict`."),
)

OPTION_NAMES = frozenset(option.name for option in OPTIONS)
BY_NAME: Mapping[str, Option] = {option.name: option for option in OPTIONS}


def read_options(options: Mapping[str, object], place: str = MKDOCS_PLACE) -> dict[str, object]:
    """Every option's value as the core uses it (defaults filled in). An unknown option or a wrong
    value raises ConfigError naming the option and where it was written (`place`: the file and
    the mapping the options are in, e.g. `mkdocs.yml, plugins.readinglist`)."""
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, sorted(OPTION_NAMES), n=1)
            hints.append(f"{place}.{name}: unknown readinglist option {name!r}"
                         + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ConfigError("; ".join(hints) + f"; known: {', '.join(o.name for o in OPTIONS)}")
    values = {}
    for option in OPTIONS:
        try:
            values[option.name] = option.read(options.get(option.name))
        except ConfigError as exc:
            raise ConfigError(f"{place}.{option.name}: {exc}") from exc
    for option in OPTIONS:
        if option.with_others is not None:
            try:
                option.with_others(values[option.name], values)
            except ConfigError as exc:
                raise ConfigError(f"{place}.{option.name}: {exc}") from exc
    return values


def reference_markdown() -> str:
    """The option reference of docs/configure.md: the defaults as YAML, then a table of docs."""
    lines = ["```yaml", "- readinglist:"]
    for option in OPTIONS:
        lines.append(f"    {option.name}: {_yaml(option.default)}")
    lines += ["```", "", "| Option | Type | Default | What it does |", "| --- | --- | --- | --- |"]
    for option in OPTIONS:
        doc = option.doc.replace("|", "\\|")
        lines.append(f"| `{option.name}` | {option.describe_type()} | `{_yaml(option.default)}` | {doc} |")
    return "\n".join(lines) + "\n"


def _yaml(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else str(value)
    return str(value)
