"""settings.settings_from_mapping in process: the plugin's options as written in mkdocs.yml
(what `--config` reads too) become Settings and SiteOptions; every mistake is a ConfigError
that names the option (and the item, for sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_readinglist.model import Severity
from mkdocs_readinglist.settings import ConfigError, SiteOptions, SourceSpec, settings_from_mapping


def test_options_as_written_become_settings_and_site_options(tmp_path: Path) -> None:
    settings, site = settings_from_mapping(tmp_path, {
        "sources": ["bib", {"path": "old/*.txt", "year": 2025, "format": "hf-daily"}],
        "folder": "papers", "paper_pages": False, "topic_page_size": 20, "bib_file": "all.bib",
        "title": "Papers", "reference_style": "alpha", "lock_file": "keys.lock",
        "diagnostics": {"yearless-date": "ignore", "no-abstract": "error"},
        "topics": [{"name": "gait analysis", "keywords": ["gait"], "new": True}],
    })
    assert settings.sources == (SourceSpec("bib"), SourceSpec("old/*.txt", 2025, "hf-daily"))
    assert settings.lock_path() == tmp_path / "keys.lock"
    assert dict(settings.diagnostic_levels) == {"yearless-date": None, "no-abstract": Severity.ERROR}
    assert "gait analysis" in {t.name for t in settings.taxonomy.topics}
    assert site == SiteOptions(folder="papers", paper_pages=False, topic_page_size=20, bib_file="all.bib",
                               title="Papers", reference_style="alpha")


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    settings, site = settings_from_mapping(tmp_path, {})
    assert settings.sources == (SourceSpec("bib"),) and site == SiteOptions()
    assert settings.lock_path() == tmp_path / "bib" / "readinglist.lock"
    assert dict(settings.diagnostic_levels) == {}


@pytest.mark.parametrize(("options", "named"), [
    ({"paper_page": True}, "'paper_page' (did you mean 'paper_pages'?)"),
    ({"folder": 3}, "`folder` must be str"),
    ({"folder": "../outside"}, "`folder` must be a folder inside the site"),  # pages written beside site_dir
    ({"folder": "/abs"}, "`folder` must be a folder inside the site"),
    ({"folder": "a/../../b"}, "`folder` must be a folder inside the site"),
    ({"paper_pages": "yes"}, "`paper_pages` must be bool"),
    ({"topic_page_size": "20"}, "`topic_page_size` must be int"),
    ({"topic_page_size": -1}, "`topic_page_size` must be 0"),
    ({"reference_style": "apa"}, "`reference_style` must be one of"),
    ({"sources": "bib"}, "`sources` must be a list of paths"),
    ({"sources": [{"year": 2025}]}, "`sources` item 1 must be a path or a mapping with `path:`"),
    ({"sources": ["bib", {"path": "x", "yaer": 2025}]}, "`sources` item 2: unknown option(s) yaer"),
    ({"sources": [{"path": "x", "year": "2025"}]}, "`sources` item 1: `year` must be a year"),
    ({"sources": [{"path": "x", "format": "csv"}]}, "`sources` item 1: unknown format 'csv'"),
    ({"diagnostics": ["no-abstract"]}, "`diagnostics` must be a mapping of diagnostic codes"),
    ({"diagnostics": {"no-abstract": "loud"}}, "`diagnostics`: level of 'no-abstract'"),
    ({"taxonomy": 3}, "`taxonomy` must be the path"),
    ({"taxonomy": "missing.yml"}, "taxonomy file 'missing.yml' does not exist"),
])
def test_each_mistake_names_its_option(tmp_path: Path, options: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from_mapping(tmp_path, options)
    assert named in str(raised.value)


def test_a_topic_named_almost_like_a_builtin_one_is_a_typo(tmp_path: Path) -> None:
    settings, _ = settings_from_mapping(tmp_path / "x", {})  # the built-in topics
    builtin = next(t for t in settings.taxonomy.topics if "-" in t.slug and len(t.slug) > 8)
    typo = builtin.slug[:2] + builtin.slug[3] + builtin.slug[2] + builtin.slug[4:]  # two letters swapped
    with pytest.raises(ConfigError) as raised:
        settings_from_mapping(tmp_path, {"topics": [{"name": typo, "keywords": ["x"]}]})
    assert "`topics`" in str(raised.value) and "new: true" in str(raised.value)
    settings, _ = settings_from_mapping(tmp_path, {"topics": [{"name": typo, "keywords": ["x"], "new": True}]})
    assert typo in {t.name for t in settings.taxonomy.topics}


def test_the_default_key_lock_stays_in_the_project(tmp_path: Path) -> None:
    """The lock goes beside the first source when that is the project's folder, but never beside a
    source read from elsewhere (TeX Live's own xampl.bib read in place, a shared folder): there it
    goes in the project's folder, unless an earlier run's lock is already there (its keys stay pinned)."""
    import subprocess

    project, shared = tmp_path / "project", tmp_path / "shared"
    (project / "bib").mkdir(parents=True)
    shared.mkdir()
    xampl = subprocess.run(["kpsewhich", "xampl.bib"], capture_output=True, text=True, check=True).stdout.strip()
    inside, _ = settings_from_mapping(project, {"sources": ["bib", xampl]})
    assert inside.lock_path() == project / "bib" / "readinglist.lock"
    outside, _ = settings_from_mapping(project, {"sources": [xampl, "bib"]})
    assert outside.lock_path() != Path(xampl).parent / "readinglist.lock" or outside.lock_path().is_file()
    (shared / "refs.bib").write_text("@misc{a, title = {A}}\n", encoding="utf-8")
    elsewhere, _ = settings_from_mapping(project, {"sources": [str(shared / "refs.bib")]})
    assert elsewhere.lock_path() == project / "readinglist.lock"
    (shared / "readinglist.lock").write_text("", encoding="utf-8")  # an earlier run's lock there
    assert elsewhere.lock_path() == shared / "readinglist.lock"
