"""The reading list's nav section as text to paste into a site's configuration, for engines
that do not run the plugin (Zensical): YAML items for `nav:` in mkdocs.yml, or one TOML item
for `nav = [...]` in zensical.toml. Written by PyYAML, and by the JSON encoder for TOML's
strings (a JSON string without `\\/` or DEL is a TOML basic string); the tests read both back."""

from __future__ import annotations

import json
from typing import Any

import yaml


def nav_yaml(section: dict[str, Any]) -> str:
    body = yaml.safe_dump([section], allow_unicode=True, sort_keys=False, default_flow_style=False, indent=2)
    return "# the reading list's section: add these lines under `nav:` in mkdocs.yml\n" + body


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_item(item: Any, indent: str) -> str:
    if isinstance(item, str):
        return _toml_string(item)
    (title, children), = item.items()
    inner = indent + "  "
    body = "".join(f"{inner}{_toml_item(child, inner)},\n" for child in children)
    return f"{{{_toml_string(title)} = [\n{body}{indent}]}}"


def nav_toml(section: dict[str, Any]) -> str:
    return ("# the reading list's section: add this item to `nav = [...]` under [project] in zensical.toml\n"
            + _toml_item(section, "") + ",\n")


def not_in_nav_hint(folder: str, toml: bool = False) -> str:
    """For a site without a nav of its own (its engine lists every page): keep paper pages out."""
    path = f"/{folder.strip('/')}/papers/"
    if toml:
        return f"# no `nav` of your own? keep the paper pages out of the generated one instead:\n" \
               f'# not_in_nav = "{path}"\n'
    return f"# no `nav:` of your own? keep the paper pages out of the generated one instead:\n" \
           f"# not_in_nav: |\n#   {path}\n"
