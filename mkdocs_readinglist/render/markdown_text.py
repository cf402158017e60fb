"""Scraped text made inert for Markdown: it shows as the text it is, never as markup or HTML.

`<script>`, `*`, `__x__`, a leading `#` or `1.`, `[x](y)`: all shown literally. Inline math
is shown as Unicode text (`\\(\\leftrightarrow\\)` -> `↔`), since a page has no TeX.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..latex.decode import plain_text

_INERT = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_",
    "[": "\\[", "]": "\\]", "#": "\\#", "!": "\\!", "{": "\\{", "}": "\\}", "|": "&#124;",
    "~": "&#126;", "^": "&#94;", "=": "&#61;", "$": "&#36;", "+": "\\+", "\n": " ",
})
_LINE_START = re.compile(r"^(\s*)(\d+)\.|^(\s*)([-+])")


def md(text: str | None) -> str:
    """Inline Markdown that renders exactly as the given text."""
    if not text:
        return ""
    if len(text) <= 160:  # titles, names, venues, topics: shown many times each
        return _md_short(text)
    return _md(text)


@lru_cache(maxsize=65536)
def _md_short(text: str) -> str:
    shown = _md(text)
    # Most titles and names need no escape: the cache then holds the text itself, the very
    # string a paper holds, not an equal copy (~65 bytes per paper at 100k papers).
    return text if shown == text else shown


def _md(text: str) -> str:
    shown = plain_text(text).translate(_INERT)
    return _LINE_START.sub(lambda m: f"{m.group(1) or ''}{m.group(2)}\\." if m.group(2)
                           else f"{m.group(3) or ''}\\{m.group(4)}", shown, count=1)


def code(text: str) -> str:
    """An inline code span holding exactly `text` (code spans show HTML and `*` as text)."""
    text = text.replace("\n", " ")
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def summary_of(text: str | None, limit: int = 420) -> str:
    """The first sentences of a text, up to about `limit` characters."""
    if not text:
        return ""
    shown = plain_text(text)
    if len(shown) <= limit:
        return shown
    cut = shown.rfind(". ", 0, limit)
    return shown[: cut + 1] if cut > limit // 3 else shown[:limit].rsplit(" ", 1)[0] + " …"
