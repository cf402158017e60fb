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


def cite(markdown: str, link_for: Callable[[str], str | None], references: Mapping[str, str]) -> Cited:
    """Replace citations; `link_for(key)` gives a page link, None for an unknown key."""
    if "[@" not in markdown:
        return Cited(markdown, (), ())
    lines = markdown.split("\n")
    fence: str | None = None
    used: list[str] = []
    unknown: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if "[@" not in line or line.startswith(("    ", "\t")):
            continue
        code_spans = [m.span() for m in _INLINE_CODE.finditer(line)]

        def replace(match: re.Match[str], number: int = number, spans: list[tuple[int, int]] = code_spans) -> str:
            if any(start <= match.start() < end for start, end in spans):
                return match.group(0)
            links = []
            for raw in match.group(1).split(";"):
                key = raw.strip().lstrip("@")
                link = link_for(key)
                if link is None:
                    unknown.append((number + 1, key))
                    links.append(f"[{md(key)}?]")
                    continue
                used.append(key)
                hover = _title_attribute(references.get(key, key))
                links.append(f'[{md(key)}]({link} "{hover}")')
            return "[" + "; ".join(links) + "]"

        lines[number] = _CITATION.sub(replace, line)
    keys = tuple(dict.fromkeys(used))
    text = "\n".join(lines)
    if keys:
        text += "\n\n## References\n\n" + "\n".join(
            f"- [{md(key)}]({link_for(key)}): {md(references.get(key, ''))}" for key in keys) + "\n"
    return Cited(text, keys, tuple(unknown))
