"""Scraped text made inert for Markdown: it shows as the text it is, never as markup or HTML.

`<script>`, `*`, `__x__`, a leading `#` or `1.`, `[x](y)`: all shown literally. Inline math
is shown as Unicode text (`\\(\\leftrightarrow\\)` -> `↔`), since a page has no TeX.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..latex.decode import plain_text

_INERT_AS = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_",
    "[": "\\[", "]": "\\]", "#": "\\#", "!": "\\!", "{": "\\{", "}": "\\}", "|": "&#124;",
    "~": "&#126;", "^": "&#94;", "=": "&#61;", "$": "&#36;", "+": "\\+", "\n": " ",
}
_INERT = str.maketrans(_INERT_AS)
_LINE_START = re.compile(r"^(\s*)(\d+)\.|^(\s*)([-+])")
# Whether `_md` changes a text at all: a character `_INERT` replaces (the `\\` of inline math
# among them), or a start `_LINE_START` escapes (`+` is one of those characters). Most titles
# and names have none. (Two patterns: one alternation of both was 3x slower.)
_INERT_CHARACTER = re.compile("[" + "".join(map(re.escape, _INERT_AS)) + "]").search
_ESCAPED_START = re.compile(r"\s*(?:\d+\.|-)").match


def md(text: str | None) -> str:
    """Inline Markdown that renders exactly as the given text."""
    if not text:
        return ""
    if len(text) <= 160:  # titles, names, venues, topics: shown many times each
        # Most need no escape: they are shown as the very text, with no cache entry (65,536
        # entries of texts that need none were ~0.07 KB per paper at 100k papers).
        if _INERT_CHARACTER(text) is None and _ESCAPED_START(text) is None:
            return text
        return _md_short(text)
    return _md(text)


@lru_cache(maxsize=4096)
def _md_short(text: str) -> str:
    """`_md` of a short text that may change (the text itself if none)."""
    shown = _md(text)
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
