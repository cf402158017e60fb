"""`[@key]` and `[@a; @b]` in a user's Markdown: links to paper pages and a references list.

Pure text in, text out; fenced code blocks and inline code are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .markdown_text import md

_CITATION = re.compile(r"\[(@[^\[\]\s;]+(?:\s*;\s*@[^\[\]\s;]+)*)\](?!\()")
_FENCE = re.compile(r"^\s*(```+|~~~+)")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


@dataclass(frozen=True, slots=True)
class Cited:
    markdown: str
    keys: tuple[str, ...]
    unknown: tuple[tuple[int, str], ...]  # (1-based line, key)


def _title_attribute(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "&quot;")


def _code_spans(markdown: str) -> list[tuple[int, int]]:
    """Character ranges of fenced blocks, indented code and inline code: citations there stay."""
    spans: list[tuple[int, int]] = []
    position = 0
    fence: str | None = None
    fence_start = 0
    for line in markdown.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                spans.append((fence_start, position + len(line)))
                fence = None
        elif opening:
            fence, fence_start = opening.group(1), position
        elif line.startswith(("    ", "\t")):
            spans.append((position, position + len(line)))
        else:
            spans.extend((position + m.start(), position + m.end()) for m in _INLINE_CODE.finditer(line))
        position += len(line)
    if fence:
        spans.append((fence_start, len(markdown)))
    return spans


def citation_keys(markdown: str) -> tuple[str, ...]:
    """The keys a page cites (outside code), each once, in order: what a site that only
    cites needs to know before any page is rendered."""
    if "[@" not in markdown:
        return ()
    spans = _code_spans(markdown)
    keys: list[str] = []
    for match in _CITATION.finditer(markdown):
        if not any(start <= match.start() < end for start, end in spans):
            keys.extend(raw.strip().lstrip("@") for raw in match.group(1).split(";"))
    return tuple(dict.fromkeys(keys))


def reference_anchor(key: str) -> str:
    """The id of a key's item in a page's references list (`reference_anchors=True`)."""
    return "ref-" + "".join(c if c.isalnum() or c in "-_.:" else "-" for c in key)


def cite(markdown: str, link_for: Callable[[str], str | None], references: Mapping[str, str],
         reference_anchors: bool = False) -> Cited:
    """Replace citations (one may span lines); `link_for(key)` gives a page link, None for an
    unknown key. With `reference_anchors`, each item of the references list gets an anchor
    (`reference_anchor(key)`), for links to the list itself."""
    if "[@" not in markdown:
        return Cited(markdown, (), ())
    spans = _code_spans(markdown)
    used: list[str] = []
    unknown: list[tuple[int, str]] = []

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in spans):
            return match.group(0)
        line = markdown.count("\n", 0, match.start()) + 1
        links = []
        for raw in match.group(1).split(";"):
            key = raw.strip().lstrip("@")
            link = link_for(key)
            if link is None:
                unknown.append((line, key))
                links.append(f"{md(key)}?")
                continue
            used.append(key)
            hover = _title_attribute(references.get(key, key))
            links.append(f'[{md(key)}]({link} "{hover}")')
        return "\\[" + "; ".join(links) + "\\]"

    text = _CITATION.sub(replace, markdown)
    keys = tuple(dict.fromkeys(used))
    if keys:
        text += "\n\n## References\n\n" + "\n".join(
            ("- " + (f'<a id="{reference_anchor(key)}"></a>' if reference_anchors else "")
             + f"[{md(key)}]({link_for(key)}): {md(references.get(key, ''))}") for key in keys) + "\n"
    return Cited(text, keys, tuple(unknown))
