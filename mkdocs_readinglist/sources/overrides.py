"""The overrides file: a user's YAML that sets or fixes any field of any paper."""

from __future__ import annotations

import re

import yaml

from ..model import Override, SourceRef
from .base import ReaderOutput, SourceOptions

FORMAT = "overrides"
DESCRIPTION = "overrides YAML (`papers:` mapping of key / arXiv id / title to fields)"

FIELDS = {
    "title", "authors", "venue", "year", "date", "topics", "key", "notes", "abstract", "summary",
    "short_name", "arxiv_id", "entry_type", "comment", "project", "code", "url", "author_count",
    "reject",  # resolved matches to leave out: a service, SERVICE:ID, or all (enrich/resolved.py)
}
_HEAD = re.compile(r"^papers\s*:\s*$", re.MULTILINE)


def score(lines: list[str]) -> float:
    head = "\n".join(line for line in lines[:50] if not line.lstrip().startswith("#"))
    return 30.0 if _HEAD.search(head) else 0.0


def _plain(node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    return None


def read(lines: list[str], out: ReaderOutput, options: SourceOptions) -> None:
    out.listing = None
    try:
        root = yaml.compose("\n".join(lines), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        out.error(mark.line + 1 if mark else 1, f"overrides file is not valid YAML: {exc}; no override applied", "overrides-syntax")
        return
    if not isinstance(root, yaml.MappingNode):
        out.error(1, "overrides file must be a mapping with a `papers:` key", "overrides-syntax")
        return
    for key_node, value_node in root.value:
        if key_node.value != "papers":
            out.warn(key_node.start_mark.line + 1, f"unknown top-level key {key_node.value!r}; ignored", "overrides-unknown-key")
            continue
        if not isinstance(value_node, yaml.MappingNode):
            out.error(value_node.start_mark.line + 1, "`papers:` must map a key, arXiv id or title to fields", "overrides-syntax")
            continue
        for target_node, fields_node in value_node.value:
            line = target_node.start_mark.line + 1
            target = str(target_node.value).strip()
            if not isinstance(fields_node, yaml.MappingNode):
                out.skipped(line, f"override for {target!r} must be a mapping of fields; ignored", "bad-override",
                            error=True)
                continue
            out.detected += 1
            values: list[tuple[str, object]] = []
            for name_node, field_node in fields_node.value:
                name = str(name_node.value)
                if name not in FIELDS:
                    out.warn(name_node.start_mark.line + 1, f"unknown field {name!r} in override for "
                             f"{target!r}; known fields: {', '.join(sorted(FIELDS))}", "overrides-unknown-key")
                    continue
                values.append((name, _plain(field_node)))
            out.overrides.append(Override(target, tuple(values), SourceRef(out.file, line)))
