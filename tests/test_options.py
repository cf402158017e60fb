"""The one table of options (mkdocs_readinglist.options.OPTIONS) in process: every option is
documented, typed and defaulted; the MkDocs config class built from it and the core's settings
(what the plugin and the CLI's `--config` use) accept and reject the same values with the same
message; messages name the option and where it was written; docs/configure.md is current."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from mkdocs_readinglist.adapters.config import ReadingListConfig
from mkdocs_readinglist.citations import CitationExtension
from mkdocs_readinglist.citations.csl import DEFAULT_STYLE
from mkdocs_readinglist.options import BY_NAME, OPTION_NAMES, OPTIONS, REFERENCE_STYLES, ConfigError, Option
from mkdocs_readinglist.render.pages import PageOptions
from mkdocs_readinglist.settings import SITE_OPTION_NAMES, SiteOptions, settings_from_mapping

from .regen_options_doc import PAGE, with_reference

# Options the core's Settings holds (the others are SiteOptions' fields of the same name).
SETTINGS_OPTIONS = {"sources", "taxonomy", "topics", "replace_taxonomy", "lock_file", "diagnostics"}

# Values of each YAML type; per option, those of its own type and of the others are tried.
BY_TYPE: dict[type, list[object]] = {
    str: ["x", "plain", ""], bool: [True, False], int: [0, 5, -1], list: [["bib"], [], ["x", 3]],
    dict: [{}, {"yearless-date": "ignore"}], float: [2.5],
}
# Values that only some checks reject.
SPECIAL: dict[str, list[object]] = {
    "sources": [[{"path": "x", "year": 2025, "format": "hf-daily"}], [{"year": 2025}], [{"path": "x", "yaer": 1}],
                [{"path": "x", "year": "2025"}], [{"path": "x", "year": 1850}], [{"path": "x", "format": "csv"}]],
    "topics": [[{"name": "gait analysis", "keywords": ["gait"], "new": True}], [{"keywords": ["gait"]}],
               [{"name": "x", "keywords": "gait"}], [{"name": "x", "keywords": ["a"], "threshold": 0}]],
    "diagnostics": [{"no-abstract": "error", "x": "info"}, {"no-abstract": "loud"}, {"no-abstract": None}],
    "reference_style": [*REFERENCE_STYLES, "apa", "Plain"],
    "taxonomy": ["taxonomy.yml"],
}


def _samples(option: Option) -> list[object]:
    values: list[object] = [None, option.default]
    for examples in BY_TYPE.values():
        values += examples
    return values + SPECIAL.get(option.name, [])


def _mkdocs_errors(options: dict[str, object]) -> tuple[dict[str, str], list[str]]:
    config = ReadingListConfig()
    config.load_dict(options)
    errors, warnings = config.validate()
    return {key: str(error) for key, error in errors}, [f"{key}: {message}" for key, message in warnings]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name in ("taxonomy.yml", "x", "plain"):  # every text sample is a taxonomy file that exists
        (tmp_path / name).write_text("- name: gait analysis\n  new: true\n  keywords: [gait]\n", encoding="utf-8")
    return tmp_path


def test_every_option_has_a_doc_a_type_and_a_default_it_accepts() -> None:
    assert len(OPTION_NAMES) == len(OPTIONS)  # no name twice
    for option in OPTIONS:
        assert option.doc.endswith(".") and len(option.doc) > 20, option.name
        assert option.kind in (str, bool, int, list, dict), option.name
        assert option.default is None or isinstance(option.default, option.kind), option.name
        assert not option.choices or option.default in option.choices, option.name
        option.read(option.default)  # the default passes its own check
        assert BY_NAME[option.name] is option


def test_every_option_reaches_the_settings_or_the_site_options() -> None:
    """A new option must be read somewhere: into Settings, or a SiteOptions field of its name
    (whose default is the table's, so SiteOptions() is the defaults)."""
    assert SITE_OPTION_NAMES | SETTINGS_OPTIONS == OPTION_NAMES
    assert not SITE_OPTION_NAMES & SETTINGS_OPTIONS
    for field in fields(SiteOptions):
        assert field.default == BY_NAME[field.name].read(None), field.name  # the default as the core reads it
    page = {f.name: f.default for f in fields(PageOptions) if f.name != "cited"}  # cited: a build's fact
    assert page and all(BY_NAME[name].read(None) == default for name, default in page.items())
    changed = SiteOptions(folder="papers", paper_pages=False, topic_page_size=7, bib_file="a.bib", title="T")
    assert changed.page_options() == PageOptions(folder="papers", paper_pages=False, topic_page_size=7,
                                                 bib_file="a.bib", title="T")


def test_the_citation_extension_defaults_to_the_plugins_style() -> None:
    """The citation extension, listed alone under `markdown_extensions:`, has its own (Python-Markdown)
    config; its style's default is the plugin's."""
    assert CitationExtension().getConfig("csl") == DEFAULT_STYLE == BY_NAME["csl"].default


def test_the_mkdocs_config_class_is_the_table() -> None:
    schema = dict(ReadingListConfig._schema)
    assert list(schema) == [option.name for option in OPTIONS]
    config = ReadingListConfig()
    config.load_dict({})
    assert config.validate() == ([], [])
    assert dict(config) == {option.name: option.default for option in OPTIONS}
    assert config.strict is False and config.sources == ["bib"]  # attributes, as MkDocs plugins read them


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o.name)
def test_mkdocs_and_the_settings_accept_and_reject_the_same_values(site: Path, option: Option) -> None:
    accepted = rejected = 0
    for value in _samples(option):
        errors, warnings = _mkdocs_errors({option.name: value})
        assert not warnings, (value, warnings)
        try:
            settings_from_mapping(site, {option.name: value}, "site.yml, plugins.readinglist")
        except ConfigError as exc:
            rejected += 1
            message = str(exc)
            assert list(errors) == [option.name], (value, message)
            # the same words, after the place: MkDocs puts its own place before them
            assert message == f"site.yml, plugins.readinglist.{option.name}: {errors[option.name]}", value
            assert errors[option.name].startswith(f"`{option.name}`"), errors
        else:
            accepted += 1
            assert not errors, (value, errors)
    assert accepted >= 2 and rejected >= 2, (accepted, rejected)  # the samples tried both ways


def test_an_unknown_option_is_named_with_the_closest_known_one_and_its_place(site: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from_mapping(site, {"paper_page": True, "sorces": ["bib"], "zzz": 1}, "docs.yml, plugins.readinglist")
    message = str(raised.value)
    assert "docs.yml, plugins.readinglist.paper_page: unknown readinglist option 'paper_page' " \
           "(did you mean 'paper_pages'?)" in message
    assert "docs.yml, plugins.readinglist.sorces: unknown readinglist option 'sorces' (did you mean 'sources'?)" \
        in message
    assert "docs.yml, plugins.readinglist.zzz: unknown readinglist option 'zzz';" in message
    # MkDocs itself only warns (an error under --strict); the plugin's on_config stops the build
    errors, warnings = _mkdocs_errors({"paper_page": True})
    assert errors == {} and warnings == ["paper_page: Unrecognised configuration name: paper_page"]


def test_a_missing_taxonomy_file_or_a_typo_in_topics_names_its_option(site: Path) -> None:
    """Checks of files and of topic names need the site's folder: the core makes them, after the
    table's checks, with the same place."""
    with pytest.raises(ConfigError) as raised:
        settings_from_mapping(site, {"taxonomy": "missing.yml"})
    assert str(raised.value).startswith("mkdocs.yml, plugins.readinglist.taxonomy: taxonomy file 'missing.yml' "
                                        "does not exist")
    with pytest.raises(ConfigError) as raised:
        settings_from_mapping(site, {"topics": [{"name": "humna-pose", "keywords": ["x"]}]})
    assert str(raised.value).startswith("mkdocs.yml, plugins.readinglist.topics: `topics`")


def test_the_default_place_is_the_mkdocs_plugin_entry(site: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from_mapping(site, {"topic_page_size": "20"})
    assert str(raised.value) == ("mkdocs.yml, plugins.readinglist.topic_page_size: `topic_page_size` must be int "
                                 "(got str '20')")


def test_none_means_the_default_in_mkdocs_and_in_the_settings(site: Path) -> None:
    written = {option.name: None for option in OPTIONS}
    settings, options = settings_from_mapping(site, written)
    defaults, _ = settings_from_mapping(site, {})
    assert options == SiteOptions()
    assert (settings.sources, settings.lock_file, settings.diagnostic_levels) == \
        (defaults.sources, defaults.lock_file, defaults.diagnostic_levels)
    assert settings.taxonomy.topics == defaults.taxonomy.topics
    assert _mkdocs_errors(written) == ({}, [])


def test_the_option_reference_in_the_docs_is_current() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert with_reference(page) == page, "run `python -m tests.regen_options_doc` and commit docs/configure.md"
    for option in OPTIONS:
        assert f"| `{option.name}` |" in page


def test_replace_taxonomy_without_topics_of_your_own_is_refused(site: Path) -> None:
    """`replace_taxonomy: true` alone left the site with no topic at all, and said nothing."""
    with pytest.raises(ConfigError, match=r"plugins\.readinglist\.replace_taxonomy: `replace_taxonomy` is true"):
        settings_from_mapping(site, {"replace_taxonomy": True}, "site.yml, plugins.readinglist")
    errors, _ = _mkdocs_errors({"replace_taxonomy": True})
    assert list(errors) == ["replace_taxonomy"]
    for given in ({"taxonomy": "taxonomy.yml"}, {"topics": [{"name": "Yoga", "keywords": ["yoga"]}]}):
        settings_from_mapping(site, {"replace_taxonomy": True, **given})
        assert _mkdocs_errors({"replace_taxonomy": True, **given}) == ({}, [])


def test_an_empty_title_is_refused(site: Path) -> None:
    """`title: ''` gave the home page an empty heading and the nav an empty section."""
    with pytest.raises(ConfigError, match=r"readinglist\.title: `title` must not be empty"):
        settings_from_mapping(site, {"title": "  "}, "site.yml, plugins.readinglist")
    assert list(_mkdocs_errors({"title": ""})[0]) == ["title"]
