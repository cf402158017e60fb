"""The plugin's section of a mkdocs.yml, found as MkDocs finds it, for the command line.

MkDocs builds a site from the file and every file it `INHERIT`s (dictionaries merged, the
child's values winning, lists replaced), and Material's `group` plugin holds plugins of its own:
`readinglist ... --config` and `readinglist init` must find the plugin wherever `mkdocs build`
runs it, or the one reads no options and the other adds a second, empty instance.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .options import ConfigError

PLUGIN = "readinglist"


class _LenientLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` tags (Material's emoji) and `!ENV`: not ours to build."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _merged(parent: Any, child: Any) -> Any:
    """MkDocs' merge of an inherited file (mergedeep's REPLACE: mappings merged, the rest replaced)."""
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for key, value in child.items():
            out[key] = _merged(parent[key], value) if key in parent else value
        return out
    return child


def load_config(path: Path, _seen: frozenset[Path] = frozenset()) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """The file's settings with those it inherits, and the files read (the file first)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: cannot read it as YAML ({' '.join(str(exc).split())})") from exc
    if not isinstance(data, dict):
        return {}, (path,)
    parent_name = data.pop("INHERIT", None)
    if not isinstance(parent_name, str):
        return data, (path,)
    parent_path = (path.parent / parent_name).resolve()
    if parent_path in _seen:
        return data, (path,)
    if not parent_path.is_file():  # (MkDocs stops on it too)
        raise ConfigError(f"{path}: `INHERIT: {parent_name}` names a file that does not exist (looked for {parent_path})")
    parent, files = load_config(parent_path, _seen | {path.resolve()})
    return _merged(parent, data), (path, *files)


def _plugin_items(plugins: Any) -> list[tuple[str, Any]]:
    if isinstance(plugins, dict):
        return list(plugins.items())
    items: list[tuple[str, Any]] = []
    for plugin in plugins if isinstance(plugins, list) else []:
        if isinstance(plugin, str):
            items.append((plugin, None))
        elif isinstance(plugin, dict):
            items.extend(plugin.items())
    return items


def plugin_options(config: dict[str, Any]) -> tuple[bool, dict[str, Any], str]:
    """Whether the settings run the plugin, its options, and where (`plugins` or `group's
    plugins`): among `plugins:`, or inside Material's `group` plugin's own `plugins:`."""
    for name, options in _plugin_items(config.get("plugins")):
        if name == PLUGIN:
            return True, dict(options or {}), "plugins"
        if name == "group" and isinstance(options, dict):
            for inner, inner_options in _plugin_items(options.get("plugins")):
                if inner == PLUGIN:
                    return True, dict(inner_options or {}), "plugins.group.plugins"
    return False, {}, ""


def own_plugin_options(path: Path) -> bool:
    """Whether the file itself (what it inherits aside) lists the plugin."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and plugin_options(data)[0]
