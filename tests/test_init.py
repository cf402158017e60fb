"""`readinglist init`: the plugin added to existing mkdocs.yml files, and nothing else changed.

The real-world configurations in tests/fixtures/mkdocs_configs/ (sources in its README.md) carry
comments, `!!python/name:` and `!!python/object/apply:` tags, `!ENV` values, quoted regexes,
non-ASCII text and both ways of writing `plugins:` (a list, a mapping).
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_readinglist.cli import _plugin_options
from mkdocs_readinglist.init_site import InitError, add_plugin
from mkdocs_readinglist.mkdocs_yml import _LenientLoader

from .helpers import REPO, SAMPLES, SEED_NAMES, mkdocs_build, run_cli

CONFIGS = Path(__file__).parent / "fixtures" / "mkdocs_configs"
REAL_WORLD = ["material.yml", "pymdown-extensions.yml", "fastapi.yml"]


def _only_added(old: str, new: str) -> list[str]:
    """The lines `new` adds to `old`; fails if any line of `old` was changed, moved or removed."""
    a, b = old.splitlines(), new.splitlines()
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), f"{tag}: {a[i1:i2]} -> {b[j1:j2]}"
        if tag == "insert":
            added.extend(b[j1:j2])
    return added


def _settings(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader)
    return data


@pytest.mark.parametrize("name", REAL_WORLD)
def test_init_adds_only_the_plugin_lines_to_real_configs(name: str, tmp_path: Path) -> None:
    config = tmp_path / "site" / "mkdocs.yml"
    config.parent.mkdir()
    shutil.copy(CONFIGS / name, config)
    old = config.read_text(encoding="utf-8")
    assert "!!python/" in old  # every one of them carries Python tags
    inherited = _settings(config).get("INHERIT")  # (FastAPI's: a file of its repository, empty here)
    if inherited:
        (config.parent / inherited).parent.mkdir(parents=True, exist_ok=True)
        (config.parent / inherited).write_text("{}\n", encoding="utf-8")
    result = run_cli("init", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    new = config.read_text(encoding="utf-8")
    added = _only_added(old, new)
    assert [line.strip() for line in added] == [
        "- readinglist:  # mkdocs-readinglist: the reading list made from the files in bib/"
        if name != "fastapi.yml" else "readinglist:  # mkdocs-readinglist: the reading list made from the files in bib/",
        "sources:", "- bib"]
    # What the plugin's readers make of the file: the new section, and every other setting as it was.
    assert _plugin_options(config) == {"sources": ["bib"]}
    before, after = yaml.load(old, Loader=_LenientLoader), _settings(config)
    plugins = after.pop("plugins")
    old_plugins = before.pop("plugins")
    assert after == before
    if isinstance(plugins, dict):
        assert list(plugins) == [*old_plugins, "readinglist"]
    else:
        assert plugins[:-1] == old_plugins and plugins[-1] == {"readinglist": {"sources": ["bib"]}}
    assert (config.parent / "bib" / "README").is_file()
    assert "listings" in (config.parent / "bib" / "README").read_text(encoding="utf-8")
    # A second run refuses: the plugin is there now.
    again = run_cli("init", "--config", str(config), cwd=tmp_path)
    assert again.returncode == 2 and "the `readinglist` plugin is already in `plugins:`" in again.stderr
    assert config.read_text(encoding="utf-8") == new


def test_tags_and_env_values_stay_as_written(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    shutil.copy(CONFIGS / "material.yml", config)
    assert run_cli("init", "--config", str(config), cwd=tmp_path).returncode == 0
    text = config.read_text(encoding="utf-8")
    for kept in ("property: !ENV GOOGLE_ANALYTICS_KEY",
                 "emoji_index: !!python/name:material.extensions.emoji.twemoji",
                 "slugify: !!python/object/apply:pymdownx.slugs.slugify",
                 "    # - content.code.select",
                 "separator: '[\\s\\u200b\\-_,:!=\\[\\]()\"`/]+|\\.(?!\\d)|&[lg]t;|(?!\\b)(?=[A-Z][a-z])'"):
        assert kept in text, kept
    # The plugin goes at the end of the plugins list, before the comment that opens the next section.
    lines = text.splitlines()
    at = lines.index("  - readinglist:  # mkdocs-readinglist: the reading list made from the files in bib/")
    assert lines[at - 1] == "      minify_html: true" and lines[at + 3:at + 5] == ["", "# Hooks"]


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    shutil.copy(CONFIGS / "pymdown-extensions.yml", config)
    old = config.read_bytes()
    result = run_cli("init", "--config", str(config), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("--- a/mkdocs.yml\n+++ b/mkdocs.yml\n@@ -221,3 +221,6 @@\n")
    assert [line for line in result.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")] == [
        "+  - readinglist:  # mkdocs-readinglist: the reading list made from the files in bib/",
        "+      sources:", "+        - bib"]
    assert "would create" in result.stderr and "bib/README" in result.stderr
    assert config.read_bytes() == old and not (tmp_path / "bib").exists()


def test_the_plugin_an_inherited_file_or_materials_group_plugin_runs_is_found(tmp_path: Path) -> None:
    """Textual's layout: mkdocs-online.yml INHERITs mkdocs-common.yml, whose `plugins:` (a mapping,
    merged by MkDocs with the child's) runs the plugin; and Material's `group` plugin holding it.
    `init` added a second, empty instance (the build then read no sources) and `--config` said
    there was no plugin, while `mkdocs build` runs it."""
    (tmp_path / "refs").mkdir()
    shutil.copy(SAMPLES / SEED_NAMES["hf_daily"], tmp_path / "refs" / "daily.txt")
    (tmp_path / "mkdocs-common.yml").write_text(
        "site_name: Textual\nplugins:\n  search: {}\n  readinglist:\n    sources: [refs]\n", encoding="utf-8")
    (tmp_path / "mkdocs-online.yml").write_text("INHERIT: mkdocs-common.yml\nplugins:\n  blog: {}\n", encoding="utf-8")
    (tmp_path / "group.yml").write_text(
        "site_name: G\nplugins:\n  - search\n  - group:\n      enabled: !ENV [CI, false]\n      plugins:\n"
        "        - readinglist:\n            sources: [refs]\n", encoding="utf-8")
    for name, where in (("mkdocs-online.yml", "plugins` (in "), ("group.yml", "plugins.group.plugins`")):
        old = (tmp_path / name).read_bytes()
        result = run_cli("init", "--config", name, cwd=tmp_path)
        assert result.returncode == 2 and "MkDocs already runs the `readinglist` plugin, in `" + where in result.stderr, \
            result.stderr
        assert (tmp_path / name).read_bytes() == old and not (tmp_path / "bib").exists()
        assert _plugin_options(tmp_path / name) == {"sources": ["refs"]}
        checked = run_cli("check", "--config", name, cwd=tmp_path)
        assert checked.returncode == 0 and "refs/daily.txt" in checked.stdout, checked.stdout + checked.stderr
    # A child whose own `plugins:` list replaces the inherited mapping (MkDocs runs no plugin of
    # the parent's then), and a parent that is not there: each said, naming the file
    (tmp_path / "list.yml").write_text("INHERIT: mkdocs-common.yml\nplugins:\n  - search\n", encoding="utf-8")
    (tmp_path / "missing.yml").write_text("INHERIT: nothere.yml\nplugins:\n  - readinglist\n", encoding="utf-8")
    replaced = run_cli("check", "--config", "list.yml", cwd=tmp_path)
    assert replaced.returncode == 2 and "which it inherits, lists it, but this file's own `plugins:` list replaces " \
        "that one" in replaced.stderr, replaced.stderr
    missing = run_cli("check", "--config", "missing.yml", cwd=tmp_path)
    assert missing.returncode == 2 and "`INHERIT: nothere.yml` names a file that does not exist" in missing.stderr


def test_refuses_a_file_with_the_plugin_or_that_does_not_parse(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    shutil.copy(REPO / "mkdocs.yml", config)
    old = config.read_bytes()
    result = run_cli("init", "--config", str(config), cwd=tmp_path)
    line = old.decode().splitlines().index("plugins:") + 1
    assert result.returncode == 2
    assert f"mkdocs.yml:{line}: the `readinglist` plugin is already in `plugins:`; nothing was changed" in result.stderr
    assert config.read_bytes() == old and not (tmp_path / "bib").exists()

    config.write_text("site_name: Mine\ntheme:\n  name: material\n  features: [a, b\nplugins:\n  - search\n",
                      encoding="utf-8")
    broken = config.read_bytes()
    result = run_cli("init", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2 and "cannot parse it as YAML" in result.stderr
    assert f"{config}:5:" in result.stderr and "Traceback" not in result.stderr
    assert config.read_bytes() == broken

    missing = run_cli("init", "--config", str(tmp_path / "nope.yml"), cwd=tmp_path)
    assert missing.returncode == 2 and "nope.yml does not exist" in missing.stderr


@pytest.mark.parametrize(("before", "after"), [
    # no plugins at all: MkDocs' default `search` is kept
    ("site_name: Mine\n# my theme\ntheme: material\n",
     "site_name: Mine\n# my theme\ntheme: material\n\nplugins:\n  - search\n  - readinglist:  # mkdocs-readinglist: "
     "the reading list made from the files in bib/\n      sources:\n        - bib\n"),
    # a one-line list
    ("site_name: Mine\nplugins: [search, 'tags']  # mine\nnav: [index.md]\n",
     "site_name: Mine\nplugins: [search, 'tags', readinglist]  # mine\nnav: [index.md]\n"),
    ("site_name: Mine\nplugins: []\n", "site_name: Mine\nplugins: [readinglist]\n"),
    # !ENV in a plugin's options, a commented-out plugin and a commented next section
    ("plugins:\n  - search\n  - git-revision-date-localized:\n      enabled: !ENV [CI, false]\n  # - social\n\n"
     "# Extensions\nmarkdown_extensions: [toc]\n",
     "plugins:\n  - search\n  - git-revision-date-localized:\n      enabled: !ENV [CI, false]\n  # - social\n"
     "  - readinglist:  # mkdocs-readinglist: the reading list made from the files in bib/\n      sources:\n"
     "        - bib\n\n# Extensions\nmarkdown_extensions: [toc]\n"),
    # Windows line ends stay
    ("site_name: Mine\r\nplugins:\r\n- search\r\nnav:\r\n- index.md\r\n",
     "site_name: Mine\r\nplugins:\r\n- search\r\n- readinglist:  # mkdocs-readinglist: the reading list made from "
     "the files in bib/\r\n    sources:\r\n      - bib\r\nnav:\r\n- index.md\r\n"),
])
def test_other_ways_of_writing_plugins(before: str, after: str) -> None:
    assert add_plugin(before).text == after
    # Nothing of the old text is changed or removed: text is only inserted (a one-line list gains an item).
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in opcodes} == {"equal", "insert"}


def test_refuses_what_it_cannot_edit_safely() -> None:
    with pytest.raises(InitError, match=r"INHERIT: base\.yml"):
        add_plugin("INHERIT: base.yml\nsite_name: Mine\n")
    with pytest.raises(InitError, match="one-line list with options"):
        add_plugin("plugins: [search, {tags: {}}]\n")
    with pytest.raises(InitError, match="not a mapping of MkDocs settings"):
        add_plugin("- just\n- a list\n")


@pytest.mark.slow
def test_a_new_site_after_init_builds_its_reading_list(tmp_path: Path) -> None:
    """`mkdocs new`'s site, `readinglist init`, a listing dropped into bib/, `mkdocs build --strict`."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Welcome to MkDocs\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: My Docs\n", encoding="utf-8")
    assert run_cli("init", cwd=tmp_path).returncode == 0
    shutil.copy(SAMPLES / SEED_NAMES["notes"], tmp_path / "bib" / SEED_NAMES["notes"])
    result = mkdocs_build(tmp_path, "--strict")
    assert result.returncode == 0, result.stderr
    assert "45 papers from 1 source (" in result.stderr  # README is not read as a source
    assert len(list((tmp_path / "site" / "reading-list" / "papers").glob("*/index.html"))) == 45
