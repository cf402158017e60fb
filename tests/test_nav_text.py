"""The nav section `readinglist pages --nav` prints reads back as the same structure, in YAML and TOML."""

from __future__ import annotations

import tomllib
import yaml

from mkdocs_readinglist.nav_text import nav_toml, nav_yaml, not_in_nav_hint

SECTION = {'Lab "reading" list — ü\\x\t': ["reading-list/index.md", "reading-list/datasets.md",
                                          {"Topics": ["reading-list/topics/gait.md", "reading-list/topics/ä b.md"]}]}


def test_yaml_section_reads_back() -> None:
    text = nav_yaml(SECTION)
    assert text.startswith("# the reading list's section")
    assert yaml.safe_load(text) == [SECTION]


def test_toml_section_reads_back_as_a_nav_item() -> None:
    text = nav_toml(SECTION) + not_in_nav_hint("reading-list", toml=True)
    assert tomllib.loads("nav = [\n" + text + "]\n") == {"nav": [SECTION]}
    assert tomllib.loads(not_in_nav_hint("reading-list/", toml=True).replace("# not_in_nav", "not_in_nav")
                         .split("\n", 1)[1]) == {"not_in_nav": "/reading-list/papers/"}
    assert tomllib.loads("nav = [\n" + nav_toml({"Plain\x7f": ["a.md"]}) + "]") == {"nav": [{"Plain\x7f": ["a.md"]}]}
