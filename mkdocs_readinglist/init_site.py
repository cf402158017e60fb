"""`readinglist init`: add the plugin to an existing site's mkdocs.yml, adding lines and nothing else.

A round-trip YAML parser (ruamel.yaml) reads the file: it accepts what MkDocs users write
(`!!python/name:` and `!!python/object/apply:` tags, `!ENV` values, comments, any quoting) and
tells where the `plugins:` section is and how it is indented. The plugin's lines are then
inserted into the text at that place, so the user's comments, order, quoting and layout stay
byte for byte (dumping the parsed document again would re-indent and re-quote it). The result
is parsed again to check that it holds the plugin and still reads.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

PLUGIN = "readinglist"
BIB_README = """\
Put the reading list's sources here (see https://pypi.org/project/mkdocs-readinglist/):

- scraped paper listings saved as .txt or .md (paper-notes pages, Hugging Face paper search or
  daily papers, arXiv listings): the format is recognised from the content;
- your own .bib files: every entry is kept with its key, type and fields;
- overrides.yml: fix or pin any field of any paper (title, authors, venue, topics, key, notes).

readinglist.lock appears here after the first build: it pins every citation key once given.
Commit it with the sources. `readinglist check bib/` lists the sources and any problems.
This README has no listing suffix, so the plugin does not read it.
"""


class InitError(ValueError):
    """The file cannot be edited safely; the message says why and what to do."""


@dataclass(frozen=True)
class Edit:
    text: str  # the new file
    added: tuple[str, ...]  # the lines added, for messages
    kept_search: bool  # a new `plugins:` section lists `search`, MkDocs' default plugin


def _parse(text: str, name: str) -> Any:
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
        problem = " ".join(str(exc.problem or exc.context or "not valid YAML").split())
        raise InitError(f"{where}: cannot parse it as YAML ({problem}); nothing was changed") from exc
    except YAMLError as exc:
        raise InitError(f"{name}: cannot parse it as YAML ({' '.join(str(exc).split())}); nothing was changed") \
            from exc


def _has_plugin(plugins: Any) -> bool:
    if isinstance(plugins, dict):
        return PLUGIN in plugins
    if isinstance(plugins, list):
        return any(item == PLUGIN or (isinstance(item, dict) and PLUGIN in item) for item in plugins)
    return False


def _block_end(lines: list[str], root: CommentedMap, key: str) -> int:
    """Index of the line after the last line of `key`'s block: the next top-level key, less the
    blank lines and unindented comments that introduce it."""
    keys = list(root.keys())
    after = keys[keys.index(key) + 1:]
    end = root.lc.key(after[0])[0] if after else len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def _section(indent: int, mapping: bool) -> list[str]:
    pad = " " * indent
    head = f"{pad}{PLUGIN}:" if mapping else f"{pad}- {PLUGIN}:"
    inner = " " * (indent + (2 if mapping else 4))
    return [f"{head}  # mkdocs-readinglist: the reading list made from the files in bib/",
            f"{inner}sources:", f"{inner}  - bib"]


def add_plugin(text: str, name: str = "mkdocs.yml") -> Edit:
    """The text of `name` with the plugin's section added, or InitError saying why not."""
    document = _parse(text, name)
    if not isinstance(document, CommentedMap):
        raise InitError(f"{name}: the file is not a mapping of MkDocs settings (site_name: ..., nav: ...); "
                        "nothing was changed")
    plugins = document.get("plugins")
    if _has_plugin(plugins):
        line = document.lc.key("plugins")[0] + 1
        raise InitError(f"{name}:{line}: the `{PLUGIN}` plugin is already in `plugins:`; nothing was changed")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    kept_search = False
    if "plugins" not in document:
        if "INHERIT" in document:
            raise InitError(f"{name}: the file inherits its settings (INHERIT: {document['INHERIT']}) and has no "
                            "`plugins:` of its own; a new `plugins:` here would replace the inherited ones, so add "
                            f"`- {PLUGIN}` to the plugins where they are listed; nothing was changed")
        # MkDocs' default plugin list is [search]: a new section keeps it.
        added = ["plugins:", "  - search", *_section(2, mapping=False)]
        at = len(lines)
        while at > 0 and not lines[at - 1].strip():
            at -= 1
        added = ([""] if at else []) + added
        lines[at:at] = added
        kept_search = True
    elif isinstance(plugins, CommentedSeq) and (plugins.fa.flow_style() or not plugins):  # [a, b] or []
        return _add_to_flow_sequence(text, document, plugins, name)
    elif isinstance(plugins, CommentedSeq) and plugins:
        item_line, item_col = plugins.lc.item(0)
        dash = lines[item_line][:item_col].rstrip()
        if not dash.endswith("-"):
            raise InitError(f"{name}:{item_line + 1}: cannot tell how `plugins:` is indented; add `- {PLUGIN}` "
                            "yourself; nothing was changed")
        added = _section(len(dash) - 1, mapping=False)
        at = _block_end(lines, document, "plugins")
        lines[at:at] = added
    elif isinstance(plugins, CommentedMap) and plugins:
        first = next(iter(plugins))
        added = _section(plugins.lc.key(first)[1], mapping=True)
        at = _block_end(lines, document, "plugins")
        lines[at:at] = added
    elif plugins is None:
        # `plugins:` with nothing under it: the plugin becomes its only item.
        at = document.lc.key("plugins")[0] + 1
        added = _section(2, mapping=False)
        lines[at:at] = added
    else:
        raise InitError(f"{name}:{document.lc.key('plugins')[0] + 1}: `plugins:` is neither a list nor a mapping "
                        "of plugins; nothing was changed")
    new_text = newline.join(lines) + newline
    _check(new_text, name)
    return Edit(new_text, tuple(added), kept_search)


def _add_to_flow_sequence(text: str, document: CommentedMap, plugins: CommentedSeq, name: str) -> Edit:
    """`plugins: [search, tags]` -> `plugins: [search, tags, readinglist]` (sources default to bib/)."""
    lines = text.splitlines(keepends=True)
    if not all(isinstance(item, str) for item in plugins):
        raise InitError(f"{name}:{document.lc.key('plugins')[0] + 1}: `plugins:` is a one-line list with options "
                        f"in it; add `{PLUGIN}` to it yourself; nothing was changed")
    if plugins:
        line, col = plugins.lc.item(len(plugins) - 1)
        start = sum(len(x) for x in lines[:line]) + col
        quote = text[start]
        end = text.index(quote, start + 1) + 1 if quote in "'\"" else start + len(str(plugins[-1]))
        close = text.index("]", end)
        insertion = f", {PLUGIN}"
    else:
        line, col = document.lc.value("plugins")
        start = sum(len(x) for x in lines[:line]) + col
        close = text.index("]", start)
        insertion = PLUGIN
    new_text = text[:close] + insertion + text[close:]
    _check(new_text, name)
    return Edit(new_text, (insertion,), False)


def _check(new_text: str, name: str) -> None:
    document = _parse(new_text, name)
    if not isinstance(document, CommentedMap) or not _has_plugin(document.get("plugins")):
        raise InitError(f"{name}: the plugin could not be added safely (the edited file does not read back with "
                        f"it); add `- {PLUGIN}` under `plugins:` yourself; nothing was changed")


def diff(old: str, new: str, name: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=f"a/{name}", tofile=f"b/{name}"))
