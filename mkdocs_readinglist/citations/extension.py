"""The Python-Markdown extension: Pandoc citations in every block, labels and a references list by CSL.

Inline processors see only text that other extensions left as text: code spans, fenced code, the
math of arithmatex or mdx_math, and every kind of link, image and URL are taken before them (their
patterns run at higher priority; a link's text is skipped by ANCESTOR_EXCLUDES), so citations there
stay as written. A prefix or suffix is rendered as inline Markdown. A conversion inside the page's
(mkdocstrings' docstrings) adds its citations to the page's one list. Labels are rendered once a
page is read (numeric styles number as their CSL file says), by a postprocessor that fills the
stashed placeholders and places the list where the page writes `::: {#refs}` (Pandoc's) or
`<div id="refs"></div>`, else at its end.

Engine independent: it never imports mkdocs. The MkDocs plugin hands it the corpus and each page's
links; listed alone under `markdown_extensions:` it reads `sources:` itself (see docs/cite.md).
"""

from __future__ import annotations

import html
import logging
import re
import sys
import xml.etree.ElementTree as etree
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import INLINE_PLACEHOLDER_RE

from ..diagnostics import default_level
from ..model import Diagnostic, Severity
from ..options import ConfigError, SourceSpec, listed_sources
from ..render.paths import page_name
from .csl import DEFAULT_STYLE, CitationStyle, Rendered, load_style, plain, style_path
from .csl_item import entry_type, set_members
from .footnotes import citation_notes, footnote_marks, page_footnotes, renumbered_mark
from .footnotes import merged as merged_footnotes
from .footnotes import numbers as footnote_numbers
from .syntax import (
    BRACKETED,
    IN_TEXT,
    SUFFIX_MARKS,
    TERM_OF,
    Citation,
    CiteItem,
    locator_is_plural,
    parse_bracketed,
    parse_in_text,
)

LOGGER = "mkdocs.plugins.mkdocs_readinglist.citations"  # MkDocs' --strict counts warnings under "mkdocs"
PLACE = "markdown_extensions, readinglist"  # where a mistake in the extension's options was written
PAGE = "<markdown>"  # the file of a Diagnostic when the engine does not say which page is converted
_LOG_LEVELS = {Severity.INFO: logging.INFO, Severity.WARNING: logging.WARNING, Severity.ERROR: logging.ERROR}


_STYLES_TOLD: set[tuple[str, float]] = set()  # style files (path, mtime) whose problems the extension alone reported


def log_diagnostic(diagnostic: Diagnostic) -> None:
    """A Diagnostic as a log record at its level, `FILE:LINE: warning[code]: message`."""
    logging.getLogger(LOGGER).log(_LOG_LEVELS[diagnostic.severity], diagnostic.format())
_REFS_HERE = "readinglist-references-here"  # a page's placeholder for its list, as the preprocessor leaves it
_REFS_TEXT = re.compile(r":::\s*\{\s*#refs(?:\s+[^{}]*)?\}\s*(?::::)?")
_NOTE_MARK = re.compile(r'<sup class="citation-note"[^>]*>.*?</sup>')
_LIST_HERE = "readinglist-references-list-here"  # where the list goes under the heading added for it
# (any level: `toc`'s baselevel, and Material's blog excerpts, shift the heading added as an h2)
_HEADING_AND_LIST = re.compile(rf"<h([1-6])\b[^>]*>(?:(?!</h\1>).)*</h\1>\s*<p>{_LIST_HERE}</p>", re.DOTALL)
_REFS_HERE_LINE = re.compile(rf"{_REFS_HERE}-(\d+)")  # the stand-in of the page's line N (0-based)
_REFS = re.compile(rf"<p>\s*{_REFS_HERE}-\d+\s*</p>|" r"<p>\s*:::\s*\{\s*#refs(?:\s+[^{}]*)?\}\s*(?::::)?\s*</p>|<div\s+id=[\"']refs[\"'][^>]*>\s*</div>")
_AFFIX = "\ue010%d\ue011"  # a prefix's or suffix's stand-in while the style formats the label
_AFFIXES = re.compile("\ue010([0-9]+)\ue011")
_MARKUP = re.compile(r"[*_`&<\\\x02\[!~^=]")  # text that may be more than plain text
_ESCAPED = re.compile("\x02[0-9]+\x03")  # Python-Markdown's escaped character
# A style's fields that are empty leave their delimiters: `Slash Key.  ↗` (ACM, a @misc without a URL)
_SPACES = re.compile(" {2,}")
_NESTED = "<span data-readinglist-cite=\"%d\"></span>"  # a docstring's citation until the page's labels are known


def lookup_key(keys: Mapping[str, str], key: str,
               aliases: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """The one place a written key is looked up: (the corpus key, None) when found as the .bib spells
    it, else (None, the right spelling) for a key differing only in case, else (None, None).
    `keys` maps each key's lower-case form to the key (see `key_index`); `aliases` maps the key of
    a .bib entry merged into another paper to that paper's key, so `[@otherkey]` still cites it."""
    if aliases and key in aliases:
        return aliases[key], None
    found = keys.get(key.lower())
    if found is None and aliases:
        found = next((alias for alias in aliases if alias.lower() == key.lower()), None)
    if found == key:
        return key, None
    return None, found


def key_index(keys: Iterable[str]) -> dict[str, str]:
    return {key.lower(): key for key in keys}


@dataclass
class _Pending:
    citation: Citation  # its known items
    unknown: list[str] = field(default_factory=list)
    stash: int = 0
    written: str = ""  # as the page wrote it: what `toc` and a page title read until the label is known
    marker: str = ""  # cited in a conversion inside the page's (a docstring): the label's stand-in there


@dataclass
class PageState:
    lines: list[str] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)
    affixes: list[str] = field(default_factory=list)  # HTML of the n-th prefix or suffix (`_AFFIX % n`)
    reported: dict[str, int] = field(default_factory=dict)  # key -> how many of its citations were placed
    tree_done: bool = False  # toc runs the postprocessors on heading texts before the page is done
    prose: list[str] | None = None  # `lines` without code and comments, where a citation's line is looked for


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COMMENT = re.compile(r"<!--.*?-->")


def _in_fences(lines: list[str]) -> list[bool]:
    """Whether each line is part of a fenced code block (its fences included)."""
    inside: list[bool] = []
    fence = ""
    for line in lines:
        opened = _FENCE.match(line)
        inside.append(bool(fence or opened))
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
    return inside


def _prose_lines(lines: list[str]) -> list[str]:
    """The page's lines with fenced code blocks, code spans and one-line HTML comments blanked,
    so that a warning names the line of the citation and not of `[@doe]` shown in code above it."""
    return ["" if fenced else _COMMENT.sub("", _CODE_SPAN.sub("", line)) if "`" in line or "<!--" in line else line
            for line, fenced in zip(lines, _in_fences(lines), strict=True)]


class CitationExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "sources": [("bib",), "Listings and .bib files (as the plugin's `sources:`), relative to `base_dir`"],
            "base_dir": [".", "Folder the sources, `lock_file` and a `csl` path are relative to"],
            "lock_file": ["", "The citation-key lock (as the plugin's `lock_file:`)"],
            "csl": [DEFAULT_STYLE, "chicago-author-date, apa, ieee, acm or a .csl file's path"],
            "link": ["/reading-list/papers/{page}/",
                     "URL of a paper's page: `{page}` is replaced by the name of the page the plugin and "
                     "`readinglist pages` make for the key, `{key}` by the key itself (URL-quoted)"],
            "references_title": ["References", "Heading of the list added at a page's end"],
        }
        for_plugin = bool(kwargs.pop("for_plugin", False))  # (the plugin reads the sources and checks them)
        super().__init__(**kwargs)
        specs = self.source_specs()  # a mistake in `sources:` stops the engine as it loads the extension
        if not for_plugin:  # and a source that is not there (it stopped the first page holding an `@word`)
            base_dir = Path(str(self.getConfig("base_dir")))
            for spec in specs:
                target = base_dir / spec.path
                if not any(mark in spec.path for mark in "*?[") and not target.exists():
                    raise ConfigError(f"{PLACE}: source {spec.path!r} does not exist (looked for {target.resolve()}); "
                                      "name your listings and .bib files in `sources:`")
        if self.getConfig("csl") != DEFAULT_STYLE:  # and one in `csl:` (a file that is not there, not XML)
            load_style(style_path(str(self.getConfig("csl")), Path(str(self.getConfig("base_dir")))))
        self.entries: Mapping[str, str] | None = None  # key -> BibTeX entry text
        self.keys: dict[str, str] = {}
        self._by_start: tuple[dict[str, str], dict[str, list[str]]] | None = None  # keys by their first letters
        self.aliases: dict[str, str] = {}  # a merged .bib entry's key -> its paper's key
        self.former: frozenset[str] = frozenset()  # keys the key lock keeps that no paper has now (lower case)
        self.style: CitationStyle | None = None
        self._style_told: tuple[str, float] | None = None  # the style file whose problems were reported
        self.link: Callable[[str], str] = lambda key: str(self.getConfig("link")).replace(
            "{key}", quote(key)).replace("{page}", quote(page_name(key)))
        self.standalone = True  # no plugin hands it the corpus, the page and its links
        self.page = ""  # the page's path, for messages
        self.line_offset = 0  # lines of front matter the engine took off
        # Where its Diagnostics go: logged under `mkdocs` (the plugin sets its own, with the user's levels).
        self.report: Callable[[Diagnostic], None] = log_diagnostic
        self.state = PageState()
        self.last_lines: list[str] = []  # the lines of the page converted last (its code shows a placeholder as written)
        self.active = True  # off for pages the reading list generated itself
        # Called as each conversion starts, with its Markdown instance: the plugin sets `page`,
        # `line_offset`, `link` and `active` there from the file being rendered (which may be a blog
        # excerpt rendered long after its post, on another page).
        self.context: Callable[[Markdown], None] | None = None
        self._inline: Markdown | None = None  # renders prefixes and suffixes (see `inline_html`)
        # The page's conversion under way, and the Markdown instances converting inside it: mkdocstrings
        # renders each docstring with a Markdown of its own, with this extension, while the page is read.
        self.converting: Markdown | None = None
        self.inner: set[int] = set()
        self.inner_text: dict[int, str] = {}  # an inner conversion's first line, to name it in messages

    # The corpus: the plugin sets it; alone, the extension reads its sources on first use.
    def set_corpus(self, entries: Mapping[str, str], style: CitationStyle | None = None,
                   standalone: bool = True, aliases: Mapping[str, str] | None = None,
                   locked: Iterable[str] = ()) -> None:
        """`locked`: the key lock's keys, of which those no paper has now are former keys (a
        `.bib` entry deleted): a bare `@key` of one is a lost citation, not the page's prose."""
        self.standalone = standalone
        self.entries = entries
        self.keys = key_index(entries)
        self.aliases = dict(aliases or {})
        known = {key.lower() for key in self.aliases}
        self.former = frozenset(k for k in map(str.lower, locked) if k not in self.keys and k not in known)
        self.style = style
        if style is not None:
            self._tell_style_problems(style)

    def _tell_style_problems(self, style: CitationStyle) -> None:
        """A user's style file names what CSL does not have (`titel`): reported when the style is
        read, once (the extension alone: once per process and version of the file, though an engine
        makes an extension per page; with the plugin, once per style it hands over)."""
        told = (str(style.path), style.path.stat().st_mtime)
        if self.standalone:
            if told in _STYLES_TOLD:
                return
            _STYLES_TOLD.add(told)
        elif self._style_told == told:
            return
        self._style_told = told
        for diagnostic in style.problems():
            self.report(diagnostic)

    def source_specs(self) -> tuple[SourceSpec, ...]:
        """`sources:` read as the plugin reads its own: paths, or {path, year, format} mappings
        (`bib` when none is given); a wrong item raises ConfigError naming it."""
        raw = self.getConfig("sources")
        if isinstance(raw, tuple):  # (the default, `bib`; `sources: []` is a mistake, as for the plugin)
            raw = list(raw)
        try:
            return listed_sources(raw)
        except ConfigError as exc:
            raise ConfigError(f"{PLACE}: {exc}") from exc

    def _ensure_corpus(self) -> None:
        if self.entries is None:
            base_dir = Path(str(self.getConfig("base_dir"))).resolve()
            sources = self.source_specs()
            lock = str(self.getConfig("lock_file") or "")
            misses = _corpus_entries.cache_info().misses
            entries, aliases, locked, diagnostics = _corpus_entries(base_dir, sources, lock,
                                                                    _signature(base_dir, sources))
            if _corpus_entries.cache_info().misses > misses:  # read now: its problems are told, once per read
                for diagnostic in diagnostics:
                    if diagnostic.severity is Severity.INFO:  # as the plugin logs the data's infos
                        logging.getLogger(LOGGER).debug(diagnostic.format())
                    else:
                        self.report(diagnostic)
            self.set_corpus(entries, aliases=aliases, locked=locked)
        if self.style is None:
            assert self.entries is not None
            base_dir = Path(str(self.getConfig("base_dir"))).resolve()
            self.style = CitationStyle(style_path(str(self.getConfig("csl")), base_dir), self.entries)
            self._tell_style_problems(self.style)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if "@" not in md.ESCAPED_CHARS:  # `\@doe99` shows `@doe99`, as in Pandoc (not the backslash)
            md.ESCAPED_CHARS.append("@")
        md.preprocessors.register(_SourceLines(md, self), "readinglist-source", 40)
        # Below backticks (190), math (184-195), escapes (180) and every kind of link and image
        # (125-175, autolinks 120): what those took is theirs (a link's text, an image's alt, a URL).
        # Above inline HTML (90), so that a citation inside a tag or a raw `<a>` is seen as such.
        md.inlinePatterns.register(_Bracketed(BRACKETED, md, self), "readinglist-citation", 119)
        md.inlinePatterns.register(_InText(IN_TEXT, md, self), "readinglist-in-text", 118)
        md.treeprocessors.register(_ReferencesHeading(md, self), "readinglist-references-heading", 6)
        md.treeprocessors.register(_TreeDone(md, self), "readinglist-tree-done", -100)
        md.postprocessors.register(_Labels(md, self), "readinglist-labels", 35)
        md.postprocessors.register(_PlacesInCode(md, self), "readinglist-places-in-code", 25)  # (after raw HTML is back: 30)

    def reset(self) -> None:
        if self.converting is not None and _converting_now(self.converting):
            return  # another Markdown (mkdocstrings') is reset inside the page's conversion: the page's state stays
        self.state = PageState()
        self.converting = None
        self.inner.clear()
        self.inner_text.clear()

    # Work shared by the processors
    def line_of(self, key: str) -> int:
        """The line of the key's next citation: the n-th time a key is asked for, the line of its
        n-th occurrence in the page (two on one line both get that line)."""
        before = self.state.reported.get(key, 0)
        self.state.reported[key] = before + 1
        pattern = re.compile(rf"@(?:\{{{re.escape(key)}\}}|{re.escape(key)}(?![^\W]))")
        seen = 0
        if self.state.prose is None:
            self.state.prose = _prose_lines(self.state.lines)
        for number, line in enumerate(self.state.prose):
            seen += len(pattern.findall(line))
            if seen > before:
                return number + 1 + self.line_offset
        return 1 + self.line_offset

    def close_keys(self, key: str) -> str:
        """`; did you mean 'zebraposexl2025a'?`: the keys spelled most like an unknown one (a key
        typed wrong, or a paper whose title was edited and so got another key), else ""."""
        import difflib

        # Among the keys that start as it does (a typo or an edited title keeps the start): one look
        # through every key of a 20k corpus took ~35 ms per unknown key, on every build of the page.
        if self._by_start is None or self._by_start[0] is not self.keys:
            by_start: dict[str, list[str]] = {}
            for lowered in self.keys:
                by_start.setdefault(lowered[:2], []).append(lowered)
            self._by_start = (self.keys, by_start)
        close = difflib.get_close_matches(key.lower(), self._by_start[1].get(key.lower()[:2], ()), n=3, cutoff=0.7)
        if not close:
            return ""
        ratios = [difflib.SequenceMatcher(None, key.lower(), found).ratio() for found in close]
        close = [found for found, ratio in zip(close, ratios, strict=True) if ratio >= ratios[0] - 0.05]
        return f"; did you mean {' or '.join(repr(self.keys[c]) for c in close)}?"

    def read_short(self, key: str, written: str) -> str:
        """`[@2013ApJ...777...24Z]`: Pandoc's rule reads a key up to punctuation that is not
        followed by a letter or digit (`2013ApJ`); when the key as written, or a longer part of
        it, is a key of the corpus, the message says to write it in braces."""
        at = written.find(f"@{key}")
        if at < 0 or self.keys is None:
            return ""
        tail = re.match(r"[^\s;,\]\[{}]*", written[at + 1 + len(key):])
        whole = key + (tail.group(0) if tail else "")
        for end in range(len(whole), len(key), -1):
            found, _ = lookup_key(self.keys, whole[:end], self.aliases)
            if found is not None:
                return f"; the key is read up to its punctuation, as in Pandoc: write [@{{{whole[:end]}}}] to cite {found!r}"
        return ""

    def where(self, key: str, md: Markdown | None) -> tuple[int, str]:
        """The line of a key's citation in the page, and what to add to a message about it. A
        citation in a conversion inside the page's (a docstring) is on no line of the page: the
        message quotes the text it is in."""
        if md is None or id(md) not in self.inner:
            return self.line_of(key), ""
        return 0, f" (in text converted inside this page, such as a docstring: {self.inner_text.get(id(md), '')!r})"

    def near_a_key(self, key: str, md: Markdown | None = None, written: str = "") -> bool:
        """A bare `@word` is a citation when it names a paper, in any case (a wrong case is then
        reported as an unknown key with the right spelling). Any other `@word` is the page's own
        prose (a handle, a decorator, an e-mail's end) and stays as written: reported at info
        level, as `[@key]` would be at warning level."""
        self._ensure_corpus()
        found, spelling = lookup_key(self.keys, key, self.aliases)
        if found is None and spelling is None and key.lower() in self.former:
            line, inside = self.where(key, md)
            self.report(Diagnostic(self.page or PAGE, line, default_level("unknown-citation"),
                                   f"@{key} was a citation key (the key lock keeps it) but no paper has it now: left "
                                   f"as written; was its entry removed from the sources?{inside}", "unknown-citation"))
            return False
        if found is None and spelling is None:
            line, inside = self.where(key, md)
            braced = self.read_short(key, written)  # (`@2013ApJ...777...24Z`: write `@{2013ApJ...777...24Z}`)
            advice = braced.replace("write [@{", "write @{").replace("}]", "}") if braced else \
                f" (write [@{key}] to cite it)"
            self.report(Diagnostic(self.page or PAGE, line, default_level("not-a-citation"),
                                   f"@{key} names no paper: left as written{advice}{inside}", "not-a-citation"))
            return False
        return True

    def cite(self, citation: Citation, md: Markdown, written: str = "") -> str:
        self._ensure_corpus()
        known, unknown = [], []
        for item in citation.items:
            found, spelling = lookup_key(self.keys, item.key, self.aliases)
            line, inside = self.where(item.key, md)
            if found is None:
                hint = f"; the .bib spells it {spelling!r}" if spelling else \
                    self.read_short(item.key, written) or self.close_keys(item.key)
                if not spelling and item.key.lower() in self.former:
                    hint = "; the key lock keeps it, but no paper has it now (its entry removed from the sources, " \
                           f"or its title edited?){hint}"
                self.report(Diagnostic(self.page or PAGE, line, default_level("unknown-citation"),
                                       f"unknown citation key {item.key!r}{hint}{inside}", "unknown-citation"))
                unknown.append(item.key)
                known.append(item)  # shown in its place: `nosuch?`
                continue
            item = item if found == item.key else replace(item, key=found)
            kind = entry_type(self.entries.get(found, "")) if self.entries is not None else ""
            if kind == "xdata":
                self.report(Diagnostic(self.page or PAGE, line, default_level("uncitable-entry"),
                                       f"{found!r} is a biblatex @xdata entry (fields other entries take in), "
                                       f"which biblatex does not cite: shown as not found{inside}", "uncitable-entry"))
                unknown.append(item.key)
                known.append(item)
            elif kind == "set":
                known += self._set_members(item, line, inside)
            else:
                known.append(item)
        known = [self._affixes_held(item, md) for item in known]
        pending = _Pending(Citation(tuple(known), citation.in_text), unknown)
        if id(md) in self.inner:
            # A docstring's citation is the page's: the inner conversion ends long before the page's
            # labels are known, so it leaves a stand-in that the page's label replaces.
            pending.written, pending.marker = written, _NESTED % len(self.state.pending)
            self.state.pending.append(pending)
            return md.htmlStash.store(pending.marker)
        pending.stash = len(md.htmlStash.rawHtmlBlocks)
        # Filled once the whole page is read. Until then it holds the citation as written, which is
        # what `toc` makes a heading's id from (`## On @vaswani2017` keeps `on-vaswani2017`, as without
        # the plugin: permalinks stay) and shows in the table of contents.
        placeholder = md.htmlStash.store(html.escape(written))
        pending.written = written
        self.state.pending.append(pending)
        return placeholder

    def _set_members(self, item: CiteItem, line: int, inside: str) -> list[CiteItem]:
        """A biblatex @set cited: its members, as biblatex cites them (the citation's prefix before
        the first, its locator and suffix after the last). A member the corpus lacks is reported."""
        members: list[CiteItem] = []
        for written in set_members(self.entries.get(item.key, "") if self.entries is not None else ""):
            found, spelling = lookup_key(self.keys, written, self.aliases)
            if found is None or entry_type(self.entries.get(found, "") if self.entries else "") in ("set", "xdata"):
                hint = f"; the .bib spells it {spelling!r}" if spelling else ""
                self.report(Diagnostic(self.page or PAGE, line, default_level("unknown-citation"),
                                       f"the @set {item.key!r} names {written!r}, which is no paper of the corpus"
                                       f"{hint}{inside}", "unknown-citation"))
                continue
            members.append(CiteItem(found, suppress_author=item.suppress_author))
        if not members:
            return [item]  # (a set naming no paper is cited as itself)
        members[0] = replace(members[0], prefix=item.prefix)
        members[-1] = replace(members[-1], locator_label=item.locator_label, locator=item.locator, suffix=item.suffix)
        return members

    def _affixes_held(self, item: CiteItem, md: Markdown) -> CiteItem:
        """A prefix or suffix is Markdown (`*see*`, `` `code` ``, `\\*`, `&amp;`): rendered here, as
        inline Markdown, and handed to the style as a stand-in that the label gets back, so the
        style neither escapes the HTML nor shows what Python-Markdown stashed."""
        prefix, suffix = item.prefix, item.suffix
        if not prefix and not suffix:
            return item
        held = self.state.affixes
        if prefix:
            held.append(self.inline_html(prefix, md))
            prefix = _AFFIX % (len(held) - 1)
        if suffix:
            # A suffix that starts with punctuation (`, and passim`) follows the label without a
            # space, as in Pandoc: the mark stays before the stand-in, where the style sees it.
            mark = suffix[0] if suffix[0] in SUFFIX_MARKS else ""
            rest = suffix[len(mark):].strip()
            if rest:
                held.append(self.inline_html(rest, md))
                suffix = f"{mark} " * bool(mark) + _AFFIX % (len(held) - 1)
            else:  # the mark alone (`[@a, p. 3.]`): no space after it either
                suffix = mark
        return replace(item, prefix=prefix, suffix=suffix)

    def inline_html(self, text: str, md: Markdown) -> str:
        """`text` (part of a paragraph, which the page's code spans, escapes and math have already
        taken: their placeholders are in it) as HTML: the placeholders back, the rest inline Markdown."""
        if not _MARKUP.search(text):
            return html.escape(text, quote=False)
        inline = md.treeprocessors["inline"] if "inline" in md.treeprocessors else None  # noqa: SIM401 (a Registry has no get)
        stashed: Mapping[str, Any] = getattr(inline, "stashed_nodes", {})
        own = self._inline_converter()
        own.reset()

        def held(found: re.Match[str]) -> str:
            value = stashed.get(found.group(1))
            if value is None:
                return found.group(0)
            if isinstance(value, str):
                # an escaped character (`\*`) stays one: the converter's own unescape step shows it
                return value if _ESCAPED.fullmatch(value) else own.htmlStash.store(value)
            return own.htmlStash.store(md.serializer(value))

        prepared = INLINE_PLACEHOLDER_RE.sub(held, text)
        root = etree.Element("div")
        paragraph = etree.SubElement(root, "p")
        paragraph.text = prepared
        for processor in own.treeprocessors:
            root = processor.run(root) or root
        out = own.serializer(paragraph).strip()
        for postprocessor in own.postprocessors:
            out = postprocessor.run(out)
        out = out.strip()
        return out[len("<p>"):-len("</p>")] if out.startswith("<p>") and out.endswith("</p>") else out

    def _inline_converter(self) -> Markdown:
        if self._inline is None:
            self._inline = Markdown()  # the standard inline syntax: emphasis, code, escapes, entities
        return self._inline


class _SourceLines(Preprocessor):
    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        extension = self.extension
        if extension.converting is not None and extension.converting is not self.md \
                and _converting_now(extension.converting):
            extension.inner.add(id(self.md))  # inside the page's conversion: its state stays the page's
            first = next((line.strip() for line in lines if line.strip()), "")
            extension.inner_text[id(self.md)] = first if len(first) <= 60 else first[:59] + "…"
            return lines
        extension.inner.discard(id(self.md))
        extension.converting = self.md
        self.extension.state = PageState(lines=list(lines))
        self.extension.last_lines = self.extension.state.lines  # (the page's state ends before its code is done)
        if self.extension.context is not None:
            self.extension.context(self.md)
        elif self.extension.standalone:
            self.extension.page = _engine_page(self.md)
        return _list_places(lines)


# (any indent: inside an admonition or a list item; Pandoc's classes after the id, `{#refs .small}`)
_PLACE_LINE = re.compile(r"(?P<indent>[ \t]*)(?::::\s*\{\s*#refs(?:\s+[^{}]*)?\}\s*(?::::)?|\\bibliography(?:\{[^{}]*\})?)\s*")


def _list_places(lines: list[str]) -> list[str]:
    """Where a page asks for its list, written as Pandoc's `::: {#refs}` (and its closing `:::`) or
    as mkdocs-bibtex's `\\bibliography`: made a stand-in (`_REFS_HERE`) before any block processor
    reads it (mkdocstrings takes every `::: name` line for an object to document, and stopped the
    build on this one). Lines in fenced code are left; the count of lines stays (a warning names
    its line)."""
    if not any("refs" in line or "bibliography" in line for line in lines):
        return lines
    out = list(lines)
    closing = False
    for number, (line, fenced) in enumerate(zip(lines, _in_fences(lines), strict=True)):
        if fenced:
            continue
        if closing and line.strip():
            closing = False
            if line.strip() == ":::":
                out[number] = ""
                continue
        if (place := _PLACE_LINE.fullmatch(line)):
            out[number] = f"{place.group('indent')}{_REFS_HERE}-{number}"
            closing = line.strip().startswith(":::") and not line.strip().endswith(":::", 3)
    return out


class _PlacesInCode(Postprocessor):
    """A list's placeholder shown in an indented code block (`    ::: {#refs}`, as a page that
    documents it writes it) is code: its line as written, not the stand-in `_list_places` made."""

    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if _REFS_HERE not in text:
            return text
        lines = self.extension.last_lines
        return _REFS_HERE_LINE.sub(
            lambda found: html.escape(lines[int(found.group(1))].strip(), quote=False)
            if int(found.group(1)) < len(lines) else found.group(0), text)


_TAG_OPEN = re.compile(r"<[A-Za-z][\w:-]*(?:\s[^<>]*)?$")
_A_OPEN = re.compile(r"<a(?:\s[^<>]*)?>", re.IGNORECASE)
_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def _inside_a_tag(data: str, start: int) -> bool:
    """`<span title="[@key]">`: inline HTML is the page's own and is written as it is (these
    patterns run before Python-Markdown stashes it). True when an HTML tag opened before
    `start` on this text is not closed yet, or when `start` is inside a raw `<a ...>...</a>`
    (a link of the page's own: a citation there would put a link inside a link)."""
    opened = data.rfind("<", 0, start)
    if opened >= 0 and data.rfind(">", opened, start) < 0 and bool(_TAG_OPEN.match(data, opened, start)):
        return True
    if "<" not in data:
        return False
    last_open = max((m.end() for m in _A_OPEN.finditer(data, 0, start)), default=-1)
    return last_open >= 0 and _A_CLOSE.search(data, last_open, start) is None


# attr_list's own pattern for `{: #id .class key="value" }` (Python-Markdown's extensions/attr_list.py)
_ATTRIBUTES = re.compile(r"\{\:?[ ]*([^\}\n ][^\n]*)[ ]*\}")


def _in_markup(data: str, start: int, end: int, md: Markdown) -> bool:
    """Text that is the page's markup, not its prose, where a citation would break the page: an
    HTML tag or link (`_inside_a_tag`), an HTML comment (`<!-- TODO [@doe] -->`: Pandoc leaves it
    alone and lists nothing), or attr_list's attributes (`{ title="@doe" }`: a link inside an
    attribute value breaks the element)."""
    if _inside_a_tag(data, start):
        return True
    if "<!--" in data and data.rfind("<!--", 0, start) > data.rfind("-->", 0, start):
        return True
    if "{" not in data or "attr_list" not in md.treeprocessors:
        return False
    opened = data.rfind("{", 0, start)
    if opened < 0 or "}" in data[opened:start] or "\n" in data[opened:start] or data[opened - 1:opened] == "@":
        return False  # (`@{braced key}` is a citation)
    closed = data.find("}", end)
    return closed >= 0 and "\n" not in data[end:closed] and bool(_ATTRIBUTES.fullmatch(data, opened, closed + 1))


class _Bracketed(InlineProcessor):
    # A link's text is the link's: `[see @a](url)`, `[see @a][ref]`, and mkdocs-autorefs' `[see @a][pkg.mod]`
    ANCESTOR_EXCLUDES = ("a", "autoref")

    def __init__(self, pattern: str, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:
        citation = parse_bracketed(m.group("body"))
        if citation is None or not self.extension.active or _in_markup(data, m.start(0), m.end(0), self.md):
            return None, None, None
        return self.extension.cite(citation, self.md, m.group(0)), m.start(0), m.end(0)


class _InText(InlineProcessor):
    ANCESTOR_EXCLUDES = ("a", "autoref")

    def __init__(self, pattern: str, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:
        key = m.group("braced")[1:-1] if m.group("braced") else m.group("key")
        if key is None or not self.extension.active or _in_markup(data, m.start(0), m.end(0), self.md):
            return None, None, None
        if not m.group("braced") and not m.group("suppress") and \
                not self.extension.near_a_key(key, self.md, data[m.start(0):m.start(0) + 200]):
            return None, None, None  # `follow @someone`, `use @dataclass`: prose of the page, left as written
        citation = parse_in_text(key, m.group("suffix"), suppress=bool(m.group("suppress")))
        return self.extension.cite(citation, self.md, m.group(0)), m.start(0), m.end(0)


def _raw_refs(md: Markdown) -> bool:
    """Whether the page holds a raw `<div id="refs"></div>` (kept aside by Python-Markdown)."""
    return any(isinstance(raw, str) and "refs" in raw and bool(_REFS.fullmatch(raw.strip()))
               for raw in md.htmlStash.rawHtmlBlocks)


class _ReferencesHeading(Treeprocessor):
    """Before `toc` (which runs at 5): a page that cites and does not say where its list goes gets
    its References heading here, so that the table of contents lists it and gives it an id no other
    heading of the page has; the list goes under it once the citations are formatted."""

    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        if id(self.md) in self.extension.inner:
            return  # a docstring's citations go to the page's one list
        if not any(p.citation.items for p in self.extension.state.pending):
            return
        if any(_REFS_TEXT.fullmatch(text := (paragraph.text or "").strip()) or _REFS_HERE_LINE.fullmatch(text)
               for paragraph in root.iter("p")):
            return
        if _raw_refs(self.md):
            return
        # Before the page's footnotes when they end the page, as Pandoc places the list (not above
        # the place the footnotes extension's `///Footnotes Go Here///` put them mid-page)
        at = len(root) - 1 if len(root) and root[-1].tag == "div" and root[-1].get("class") == "footnote" else len(root)
        heading = etree.Element("h2")
        heading.text = str(self.extension.getConfig("references_title"))
        if not any(char.isascii() and char.isalnum() for char in heading.text):
            # `参考文献`: toc's slugify keeps ASCII only, and the anchor was `_1`
            ids = {str(element.get("id")) for element in root.iter() if element.get("id")}
            toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None  # noqa: SIM401
            slugify, separator = getattr(toc, "slugify", toc_slugify), getattr(toc, "sep", "-")
            ids |= {slugify("".join(element.itertext()), separator) for element in root.iter()  # (toc's, later)
                    if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not element.get("id")}
            heading.set("id", next(f"references{'' if n == 1 else f'-{n}'}" for n in range(1, len(ids) + 2)
                                   if f"references{'' if n == 1 else f'-{n}'}" not in ids))
        heading.tail = "\n"  # (`prettify`, which puts these between blocks, has run)
        marker = etree.Element("p")
        marker.text, marker.tail = _LIST_HERE, "\n"
        root.insert(at, marker)
        root.insert(at, heading)


class _TreeDone(Treeprocessor):
    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        if id(self.md) not in self.extension.inner:
            self.extension.state.tree_done = True


class _Labels(Postprocessor):
    def __init__(self, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        extension = self.extension
        if id(self.md) in extension.inner:
            return text  # the stand-ins of a docstring's labels stay until the page's labels are known
        if extension.state.tree_done:
            extension.converting = None
            extension.inner.clear()
        pending = extension.state.pending
        if not pending or not extension.state.tree_done:
            # A placeholder on a page that cites nothing: an empty list, as Pandoc leaves it
            return self._placed(text, '<div id="refs" class="references csl-bib-body"></div>')[0] \
                if "refs" in text or _REFS_HERE in text or _raw_refs(self.md) else text
        assert extension.style is not None
        # Inline patterns run one after another over a paragraph (bracketed ones first): the page's
        # order of citations is the order of their placeholders in the finished text.
        position = {id(p): self._position(text, p) for p in pending}
        footnotes = page_footnotes(text) if extension.style.note else None
        # A note style counts a citation in one of the page's footnotes where that footnote's mark
        # is (its first citation or a later one, `Ibid.`), as Pandoc does: the notes' texts come
        # last in the page, their marks where they were written.
        order = dict(position)
        if footnotes is not None:
            marks = footnote_marks(text, footnotes)
            for p in pending:
                at = position[id(p)][0]
                if footnotes.start <= at < footnotes.end and (mark := marks(at)) is not None:
                    order[id(p)] = (mark, at)
        pending = sorted(pending, key=lambda p: (order[id(p)][0] < 0, order[id(p)]))
        with_keys = [p for p in pending if len(p.unknown) < len(p.citation.items)]  # (unknown keys in place)
        in_footnotes = frozenset(index for index, p in enumerate(with_keys) if footnotes is not None
                                 and footnotes.start <= position[id(p)][0] < footnotes.end)
        try:
            rendered = extension.style.render([p.citation for p in with_keys], extension.link, in_footnotes)
        except Exception as exc:  # citeproc-py fails on some styles' corners: keys instead, and say so
            keys = sorted({i.key for p in with_keys for i in p.citation.items})
            extension.report(Diagnostic(
                extension.page or PAGE, 0, default_level("citation-style"),
                f"the style {extension.style.path.name} could not format {', '.join(keys)} ({exc!r}); "
                "the keys are shown instead (choose another `csl:`)", "citation-style"))
            rendered = Rendered(tuple(keys_label(p.citation, extension.link, p.unknown) for p in with_keys), ())
        affixes = extension.state.affixes
        labels = {id(p): _AFFIXES.sub(lambda found: affixes[int(found.group(1))], label) if affixes else label
                  for p, label in zip(with_keys, rendered.labels, strict=True)}
        notes = f"\n{rendered.notes}" if rendered.notes else ""  # a note style's footnotes: at the page's end
        if notes and affixes:
            notes = _AFFIXES.sub(lambda found: affixes[int(found.group(1))], notes)
        if notes and footnotes is not None:  # and the page's own: one list, numbered in the page's order
            noted = [p for index, p in enumerate(with_keys) if index not in in_footnotes]
            page_numbers, note_numbers = footnote_numbers(text, footnotes, [position[id(p)][0] for p in noted])
            labels.update({id(p): renumbered_mark(labels[id(p)], number, text)
                           for p, number in zip(noted, note_numbers, strict=True)})
            text = merged_footnotes(text, footnotes, page_numbers,
                                    list(zip(note_numbers, citation_notes(notes), strict=True)))
            notes = ""
        in_place = {id(with_keys[index]) for index in in_footnotes}  # (shown where written, no note mark)
        for item in pending:
            if id(item) in labels:
                shown = labels[id(item)]
            else:  # no key the corpus has: the citation as written, `[see nosuch?, p. 3]`
                shown = keys_label(item.citation, extension.link, item.unknown)
                shown = _AFFIXES.sub(lambda found: affixes[int(found.group(1))], shown) if affixes else shown
            if item.marker:
                text = self._marker_filled(text, item.marker, shown)
            else:
                if id(item) in labels and (" <sup>" in shown or shown.startswith("<sup>")):
                    # A style that cites in superscript (Nature's): no space before it, as Pandoc
                    # writes it (`shown¹²`, `Aksın et al.¹`)
                    shown = shown.replace(" <sup>", "<sup>")
                    placeholder = self.md.htmlStash.get_placeholder(item.stash)
                    if shown.startswith("<sup>"):
                        text = text.replace(f" {placeholder}", placeholder)
                self.md.htmlStash.rawHtmlBlocks[item.stash] = shown
                if rendered.notes and not item.citation.in_text and id(item) in labels and id(item) not in in_place:
                    # a footnote's mark follows the word before it and the punctuation after it, as
                    # Pandoc places it (`notes-after-punctuation`): `as shown.¹`
                    placeholder = self.md.htmlStash.get_placeholder(item.stash)
                    text = re.sub(rf" ?{re.escape(placeholder)}([.,;:!?]?)",
                                  rf"\1{placeholder.replace(chr(92), chr(92) * 2)}", text)
        titled: dict[str, str] = {}  # a note's mark is no part of a heading's title (Pandoc leaves notes out of one)
        for p in reversed(pending):
            if p.written and not p.marker:
                shown = html.escape(plain(_NOTE_MARK.sub("", str(self.md.htmlStash.rawHtmlBlocks[p.stash]))))
                titled[html.escape(p.written)] = shown
                if not shown:
                    titled[f" {html.escape(p.written)}"] = ""
        self._retitled(titled)
        if not rendered.references:  # (a style without a references list: its place stays empty)
            extension.state = PageState()
            text = _HEADING_AND_LIST.sub("", text).replace(f"<p>{_LIST_HERE}</p>", "")
            if "refs" in text or _REFS_HERE in text or _raw_refs(self.md):
                text = self._placed(text, '<div id="refs" class="references csl-bib-body"></div>')[0]
            return text + notes
        entries = "\n".join(
            f'<div class="csl-entry" id="ref-{html.escape(key)}">'
            + _with_link(_SPACES.sub(" ", entry).strip(),
                         f'<a class="reference-link" href="{html.escape(extension.link(key))}" '
                         f'title="{html.escape(key)}">&#8599;</a>') + "</div>"
            for key, entry in rendered.references)
        block = f'<div id="refs" class="references csl-bib-body">\n{entries}\n</div>'
        text, placed = self._placed(text, block)
        if not placed and f"<p>{_LIST_HERE}</p>" in text:
            text, count = _HEADING_AND_LIST.subn(lambda found: self._with_id(found.group(0), text).replace(
                f"<p>{_LIST_HERE}</p>", block), text, count=1)
            if not count:  # (the heading changed beyond knowing: the list goes where it was asked for)
                text = text.replace(f"<p>{_LIST_HERE}</p>", block, 1)
            placed = True
        if not placed:
            title = html.escape(str(extension.getConfig("references_title")))
            anchor, number = "references", 1
            while f'id="{anchor}"' in text:  # the page's own "References" heading keeps its id
                number += 1
                anchor = f"references-{number}"
            text += f'\n<h2 id="{anchor}">{title}</h2>\n{block}'
        extension.state = PageState()
        return text + notes

    def _position(self, text: str, pending: _Pending) -> tuple[int, int]:
        """Where a citation is in the page: its placeholder's place; a docstring's, the place of the
        block that holds its stand-in (then its place in that block)."""
        stash = self.md.htmlStash
        if not pending.marker:
            return text.find(stash.get_placeholder(pending.stash)), 0
        found = text.find(pending.marker)
        if found >= 0:
            return found, 0
        for number, raw in enumerate(stash.rawHtmlBlocks):
            if isinstance(raw, str) and pending.marker in raw:
                return text.find(stash.get_placeholder(number)), raw.find(pending.marker)
        return -1, 0

    def _marker_filled(self, text: str, marker: str, label: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        for number, raw in enumerate(stash):
            if isinstance(raw, str) and marker in raw:
                stash[number] = raw.replace(marker, label)
        return text.replace(marker, label)

    def _retitled(self, shown: Mapping[str, str]) -> None:
        """A heading that cites (`# Replicating [@doe99]`): `toc` read its text, and MkDocs the page's
        title, before the labels were known. The table of contents, the nav and `<title>` show the
        label's text, as the heading does (Pandoc's would), not the citation as written. Its id stays
        the one made from the text as written (a permalink does not change with the style)."""
        processors = self.md.treeprocessors  # MkDocs' page title, from its first heading:
        title = processors["mkdocs_extract_title"] if "mkdocs_extract_title" in processors else None  # noqa: SIM401
        toc, page_title = getattr(self.md, "toc", None), getattr(title, "title", None)
        if not shown or not any(isinstance(text, str) and "@" in text for text in (toc, page_title)):
            return  # no heading cites (`md.toc` holds every heading's text)
        pattern = re.compile("|".join(re.escape(written) for written in sorted(shown, key=len, reverse=True)))

        def retitle(text: str) -> str:
            return pattern.sub(lambda found: shown[found.group(0)], text)

        def tokens(items: Iterable[Any]) -> None:
            for token in items:
                if isinstance(token, dict):
                    for name in ("name", "html"):
                        if isinstance(token.get(name), str):
                            token[name] = retitle(token[name])
                    tokens(token.get("children") or ())

        tokens(getattr(self.md, "toc_tokens", None) or ())
        if isinstance(toc, str):
            self.md.toc = retitle(toc)  # type: ignore[attr-defined]
        if isinstance(page_title, str):
            title.title = retitle(page_title)  # type: ignore[union-attr]

    @staticmethod
    def _with_id(heading: str, text: str) -> str:
        """The added heading with an id when `toc` gave it none (a converter without it)."""
        bare = re.match(r"<h([1-6])>", heading)
        if bare is None:
            return heading
        anchor, number = "references", 1
        while f'id="{anchor}"' in text:
            number += 1
            anchor = f"references-{number}"
        return f'<h{bare.group(1)} id="{anchor}">' + heading[len(bare.group(0)):]

    def _placed(self, text: str, block: str) -> tuple[str, bool]:
        """The list where the page asks for it: Pandoc's `::: {#refs}`, or a raw `<div id="refs"></div>`,
        which Python-Markdown keeps aside until after this step (its place in the text is a stand-in)."""
        stash = self.md.htmlStash
        places: list[tuple[int, Any]] = [(found.start(), found) for found in _REFS.finditer(text)]
        for number, raw in enumerate(stash.rawHtmlBlocks):
            if isinstance(raw, str) and "refs" in raw and _REFS.fullmatch(raw.strip()):
                at = text.find(stash.get_placeholder(number))
                if at >= 0:
                    places.append((at, number))
        if not places:
            return text, False
        places.sort(key=lambda place: place[0])
        # Pandoc puts the list in every `#refs` div; here it goes in the first only (each reference has
        # its `id`, which a page may hold once) and a later one is reported and left out, not printed.
        if len(places) > 1:
            self._report_repeated_refs(len(places) - 1)
        for at, where in reversed(places):
            shown = block if at == places[0][0] else ""
            if isinstance(where, int):  # (a comment is a block to Python-Markdown: no empty <p> is left)
                stash.rawHtmlBlocks[where] = shown or "<!-- a repeated references list, left out -->"
            else:
                text = text[:where.start()] + shown + text[where.end():]
        return text, True

    def _report_repeated_refs(self, count: int) -> None:
        lines = [number + 1 + self.extension.line_offset for number, line in enumerate(self.extension.state.lines)
                 if _PLACE_LINE.fullmatch(line) or _REFS.fullmatch(line.strip())]
        for line in (lines[1:] if len(lines) > count else [0] * count):
            self.extension.report(Diagnostic(
                self.extension.page or PAGE, line, default_level("refs-repeated"),
                "a second `::: {#refs}` (or <div id=\"refs\">) on the page: the references list is placed at "
                "the first one only, and this one is left out", "refs-repeated"))


def keys_label(citation: Citation, link: Callable[[str], str], unknown: Collection[str] = ()) -> str:
    """A citation the style could not format, as written with its keys for labels: `[see doe99,
    pp. 3-5 and passim; smith2000]`, in text `doe99 [p. 7]` (prefixes and suffixes are HTML or the
    page's stand-ins for it; the locator's term is Pandoc's abbreviation of its label). A key in
    `unknown` (the corpus lacks it) shows as `nosuch?`, linked nowhere; a citation of no other key
    is marked as such: `<span class="citation-unknown">[see nosuch?, p. 3]</span>`."""
    def parts(item: CiteItem) -> tuple[str, str, str]:
        if item.key in unknown:
            key = f'<span class="citation-unknown">{html.escape(item.key)}?</span>'
        else:
            key = f'<a class="citation" href="{html.escape(link(item.key))}">{html.escape(item.key)}</a>'
        after = ""
        if item.locator:
            singular, plural = TERM_OF.get(item.locator_label or "page", ("", ""))
            term = plural if locator_is_plural(item.locator) else singular
            after = f"{term} {html.escape(item.locator)}".strip()
        if item.suffix:
            glue = "" if item.suffix[:1] in SUFFIX_MARKS else " "
            after = f"{after}{glue}{item.suffix}" if after else item.suffix
        return (f"{item.prefix} " if item.prefix else ""), key, after

    alone = bool(unknown) and all(item.key in unknown for item in citation.items)
    if citation.in_text and len(citation.items) == 1 and not alone:  # (`@nosuch` shows `[nosuch?]`)
        _, key, after = parts(citation.items[0])
        shown = f"{key} [{after}]" if after else key
    else:
        written = []
        for item in citation.items:
            prefix, key, after = parts(item)
            glue = ", " if item.locator else "" if after[:1] in SUFFIX_MARKS else " "
            written.append(f"{prefix}{key}{glue}{after}" if after else f"{prefix}{key}")
        shown = "[" + "; ".join(written) + "]"
    if alone:  # (`[nosuch?]`, marked as a whole)
        shown = '<span class="citation-unknown">' + re.sub(r'<span class="citation-unknown">([^<]*)</span>', r"\1",
                                                           shown) + "</span>"
    return shown


def _with_link(entry: str, link: str) -> str:
    """The entry and its paper's link after it (inside the entry's second block, when the style sets
    the first apart: `[1] <span class="csl-right-inline">... ↗</span>`)."""
    if entry.startswith('<span class="csl-left-margin">') and entry.endswith("</span>"):
        return f"{entry[:-len('</span>')].rstrip()} {link}</span>"
    return f"{entry} {link}"


def _signature(base_dir: Path, sources: tuple[SourceSpec, ...]) -> tuple[float, ...]:
    """Modification times of the sources (and their files): an edited listing is read again."""
    times: list[float] = []
    for source in sources:
        path = base_dir / source.path
        paths = [path, *path.rglob("*")] if path.is_dir() else [path]
        times.extend(p.stat().st_mtime for p in paths if p.exists())
    return tuple(times)


@lru_cache(maxsize=4)
def _corpus_entries(base_dir: Path, sources: tuple[SourceSpec, ...], lock: str, _signature: tuple[float, ...]
                    ) -> tuple[dict[str, str], dict[str, str], tuple[str, ...], tuple[Diagnostic, ...]]:
    """key -> BibTeX entry of the corpus, read once per process: engines that make a Markdown
    instance (and so an extension) per page, as Zensical and MkDocs do, read the sources once.
    Also the sources' diagnostics (a binary file, a missing comma, a name dropped), which the
    extension reports at their default levels when it reads them."""
    from ..pipeline import run_pipeline
    from ..settings import settings_from_mapping
    from ..site import corpus_aliases, standalone_entries

    options: dict[str, Any] = {"lock_file": lock} if lock else {}
    settings, _ = settings_from_mapping(base_dir, options, PLACE)
    corpus = run_pipeline(replace(settings, sources=sources))
    return standalone_entries(corpus), corpus_aliases(corpus), tuple(corpus.lock.keys), tuple(corpus.diagnostics)


def _converting_now(md: Markdown) -> bool:
    """Is `md.convert` on the call stack (so a conversion starting now is inside it)? A conversion
    that failed half-way (a `mkdocs serve` rebuild goes on) is not mistaken for one under way."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "convert" and frame.f_locals.get("self") is md:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _engine_page(md: Markdown) -> str:
    """The page's path when the engine tells extensions (Zensical registers a preprocessor that
    holds the `page`, with its `path`); "" when it does not (plain Python-Markdown)."""
    for processor in md.preprocessors:
        path = getattr(getattr(processor, "page", None), "path", None)
        if isinstance(path, str):
            return path
    return ""


def makeExtension(**kwargs: Any) -> CitationExtension:
    return CitationExtension(**kwargs)


__all__ = ["CitationExtension", "key_index", "lookup_key", "makeExtension"]
