"""Citation labels and references lists in a CSL style, by citeproc-py.

The bundled styles are the Citation Style Language project's own files (https://citationstyles.org/,
CC BY-SA 3.0; see mkdocs_readinglist/csl/README.md). Each paper's BibTeX entry (as the export writes
it) is read by citeproc-py's BibTeX source; formatted references are kept per (style, entry text), so
a serve rebuild formats only entries that changed.
"""

from __future__ import annotations

import hashlib
import html
import os
import pickle
import re
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Diagnostic
from .csl_item import AMP, GT, ITALIC, LT, MISC_KIND, UPRIGHT, csl_item, entry_type, is_others
from .csl_rules import SORTED_AS, citeproc_as_csl_says, no_period_after_a_mark, punctuation_in_quote, typography
from .syntax import SUFFIX_MARKS, TERM_OF, Citation, CiteItem, locator_is_plural

# citeproc-py, bibtexparser and the LaTeX decoder are imported where a reference is formatted:
# a build whose pages are all in the rendered store (see CitationStyle) never loads them.
if TYPE_CHECKING:
    from citeproc import CitationStylesBibliography, CitationStylesStyle
    from citeproc.source import Name, Reference

STYLE_DIR = Path(__file__).resolve().parent.parent / "csl"
STYLES = {
    "chicago-author-date": "chicago-author-date.csl",
    "apa": "apa.csl",
    "ieee": "ieee.csl",
    "acm": "association-for-computing-machinery.csl",
}
DEFAULT_STYLE = "chicago-author-date"
_OPEN, _CLOSE, _AUTHOR = "\ue001", "\ue002", "\ue003"
_UNKNOWN, _UNKNOWN_CLOSE = "\ue008", "\ue009"  # around a key the corpus lacks, in its place in a label
_INDEX_BASE = 0xE100
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"^\[?\d+[\].]?\s*")  # a numeric style's "[1]" before a reference


class StyleError(ValueError):
    pass


def style_path(style: str, base_dir: Path) -> Path:
    """A bundled style's name, or a `.csl` file's path (relative to `base_dir`)."""
    if style in STYLES:
        return STYLE_DIR / STYLES[style]
    path = (base_dir / style).resolve()
    if path.suffix != ".csl" or not path.is_file():
        raise StyleError(f"citation style {style!r} is neither one of {', '.join(STYLES)} nor a .csl file "
                         f"(looked for {path}); set `csl:` to one of those or to a .csl file's path")
    return path


@lru_cache(maxsize=16)
def _style(path: str, mtime: float) -> CitationStylesStyle:
    from citeproc import CitationStylesStyle

    try:
        return CitationStylesStyle(path, validate=False)
    except Exception as exc:  # citeproc-py raises lxml's errors and its own
        raise StyleError(f"citation style {path} cannot be read ({exc}); fix the file or choose another `csl:`") \
            from exc


@lru_cache(maxsize=16)
def _style_class(path: str, _mtime: float) -> str | None:
    """The style's `class` (`in-text` or `note`), read from its root element alone: a page whose
    citations are kept from the last build does not load citeproc-py to learn it."""
    import xml.etree.ElementTree as etree

    try:
        for _, element in etree.iterparse(path, events=("start",)):
            return element.get("class")
    except (OSError, etree.ParseError):
        return None
    return None


@lru_cache(maxsize=16)
def _problems(path: str, _mtime: float) -> tuple[Diagnostic, ...]:
    from .csl_check import style_problems

    try:
        shown = os.path.relpath(path)
    except ValueError:  # (another drive)
        shown = path
    return style_problems(Path(path), path if shown.startswith("..") else shown)


def load_style(path: Path) -> CitationStylesStyle:
    return _style(str(path), path.stat().st_mtime)


def _as_html(text: str) -> str:
    """citeproc-py's output with the stand-ins of `<`, `>` and `&` written as entities, and an entry's
    emphasis as `<i>` (upright inside the style's own italics: `<span style="font-style:normal">`)."""
    text = text.replace(LT, "&lt;").replace(GT, "&gt;").replace(AMP, "&amp;")
    return _emphasis(text) if ITALIC in text or UPRIGHT in text else text


_UPRIGHT_SPAN = '<span style="font-style:normal">'


def _emphasis(text: str) -> str:
    """The emphasis stand-ins of an entry as HTML: `<i>...</i>`, or, inside the style's `<i>`, upright,
    as CSL's flip-flop formatting and Pandoc set it (APA's book title "<i>A Study of </i>vivo")."""
    out: list[str] = []
    opened: list[str] = []
    last = 0
    for found in re.finditer(f"[{ITALIC}{UPRIGHT}]", text):
        before = text[:found.start()]
        out.append(text[last:found.start()])
        last = found.end()
        if found.group() == ITALIC:
            in_italics = before.count("<i>") > before.count("</i>")
            opened.append("</span>" if in_italics else "</i>")
            out.append(_UPRIGHT_SPAN if in_italics else "<i>")
        elif opened:
            out.append(opened.pop())
    out.append(text[last:])
    out.extend(reversed(opened))
    return "".join(out)


def plain(html_text: str) -> str:
    return html.unescape(_TAG.sub("", html_text)).strip()


@dataclass(frozen=True, slots=True)
class Rendered:
    labels: tuple[str, ...]  # HTML of each citation, links in place
    references: tuple[tuple[str, str], ...]  # (key, HTML of its reference), in the style's order
    notes: str = ""  # a note style's footnotes (HTML), one per citation, for the page's end


class RenderedStore:
    """Rendered pages and tooltips kept on disk between processes: a speed layer, nothing else.

    A `mkdocs build` is a fresh process, and citeproc-py needs tens of milliseconds per
    reference (a page citing 50 papers: ~1.5 s, five times MkDocs' own build of it). What a
    page's citations rendered to is kept in one file (`.cache/readinglist/citations.pickle`
    beside the mkdocs.yml), by a digest of everything it was made from: the citations, their
    links, the entries' BibTeX text, the style file's bytes and this package's code. Anything
    else gives another digest, so a kept result is used only for the very same inputs. The
    pickle is this package's own, in the project's cache folder: delete it at any time."""

    LIMIT = 8192  # entries kept (the most recently used); a site's pages and tooltips fit

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, Any] | None = None
        self.changed = False
        self.hits = 0

    def _entries(self) -> dict[str, Any]:
        if self._data is None:
            self._data = {}
            try:
                with self.path.open("rb") as handle:
                    kept = pickle.load(handle)
                if isinstance(kept, dict):
                    self._data = kept
            except Exception:  # a damaged or foreign cache file raises almost anything: it is only a cache
                pass
        return self._data

    def get(self, digest: str) -> Any:
        entries = self._entries()
        found = entries.pop(digest, None)
        if found is not None:
            entries[digest] = found  # the most recently used last: kept when the store is trimmed
            self.hits += 1
        return found

    def put(self, digest: str, value: Any) -> None:
        entries = self._entries()
        entries[digest] = value
        while len(entries) > self.LIMIT:
            del entries[next(iter(entries))]
        self.changed = True

    def save(self) -> None:
        """Written when something was added (best effort: a store that cannot be written is only slower)."""
        if not self.changed or self._data is None:
            return
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                pickle.dump(self._data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.path)
            self.changed = False
        except (OSError, pickle.PicklingError):
            temporary.unlink(missing_ok=True)


class CitationStyle:
    """One style over one corpus (key -> BibTeX entry text). `link(key)` gives a URL for a paper.

    The style file is read by citeproc-py when a reference is first formatted; with a `store`,
    pages and tooltips rendered by an earlier process for the same inputs are taken from it."""

    def __init__(self, path: Path, entries: Mapping[str, str], store: RenderedStore | None = None) -> None:
        self.path = path
        if path.parent != STYLE_DIR:  # a user's style file is read now, to report a broken one at once
            load_style(path)
        self.entries = entries
        self.store = store
        self._tooltips: dict[tuple[str, str], str] = {}
        self._pages: dict[tuple[Any, ...], Rendered] = {}
        self._identity: str | None = None
        self.formatted = 0  # references citeproc formatted: the measure of the work
        self._piq: bool | None = None  # the style's locale puts `.` and `,` inside quotes
        self._labelled: bool | None = None  # the style uses `citation-label`
        self._volume_title: bool | None = None  # the style prints `volume-title`

    @property
    def style(self) -> CitationStylesStyle:
        return load_style(self.path)

    def problems(self) -> tuple[Diagnostic, ...]:
        """What is wrong with a user's style file (an unknown variable, date part, macro or locale;
        see csl_check), each at its line; () for the bundled styles."""
        if self.path.parent == STYLE_DIR:
            return ()
        return _problems(str(self.path), self.path.stat().st_mtime)

    @property
    def numeric(self) -> bool:
        style = self.style
        return style.root.get("class") == "in-text" and "numeric" in _categories(style)

    @property
    def adds_year_suffix(self) -> bool:
        """The style asks for letters after the year of papers cited alike (CSL's
        `disambiguate-add-year-suffix="true"` on cs:citation; "false" is the default)."""
        found = self.style.root.find("{*}citation")
        return found is not None and found.get("disambiguate-add-year-suffix", "").strip() == "true"

    def citable(self, key: str) -> bool:
        """The corpus has an entry for the key that can be cited (a biblatex @xdata entry cannot)."""
        text = self.entries.get(key, "")
        return bool(text) and entry_type(text) != "xdata"

    @property
    def uses_citation_label(self) -> bool:
        """The style prints or sorts by `citation-label` (a label style's "[Knu84]"), which CSL
        leaves to the processor to make and citeproc-py does not make."""
        if self._labelled is None:
            self._labelled = bool(self.style.root.xpath(".//*[@variable='citation-label']"))
        return self._labelled

    @property
    def uses_volume_title(self) -> bool:
        """The style prints `volume-title` (the title of one volume of a multi-volume work)."""
        if self._volume_title is None:
            self._volume_title = bool(self.style.root.xpath(".//*[contains(@variable, 'volume-title')]"))
        return self._volume_title

    def citation_labels(self, keys: Sequence[str]) -> dict[str, str]:
        """key -> its `citation-label` as BibTeX's alpha.bst makes it (`Knu84`, `GMS93`, `ABC+90`),
        with a letter after each label two papers share, in the order of `keys` (`Knu86a`,
        `Knu86b`); {} for a style that does not use labels, and for an entry that gives its own."""
        if not self.uses_citation_label:
            return {}
        made = {}
        for key in keys:
            text = self.entries.get(key, "")
            if text:
                field = _KEY_FIELD.search(text)
                written = re.sub(r"\\[A-Za-z]+|[{}\"\\]", "", field.group(1)) if field else ""  # its letters
                made[key] = alpha_label(csl_item(text), written or key)
        count: dict[str, int] = {}
        for label in made.values():  # (alike as alpha.bst's sort.label: `Ter88` and `Tér88` too)
            count[_unaccented(label)] = count.get(_unaccented(label), 0) + 1
        seen: dict[str, int] = {}
        for key, label in made.items():
            alike = _unaccented(label)
            if count[alike] > 1:
                made[key] = label + _letters(seen.get(alike, 0))
                seen[alike] = seen.get(alike, 0) + 1
        return made

    @property
    def has_bibliography(self) -> bool:
        """A CSL style need not define a references list (cs:bibliography is optional): one without
        formats citations only, and a page citing in it gets no list."""
        return bool(self.style.has_bibliography())

    @property
    def second_field_align(self) -> bool:
        """The style sets the list's first field (IEEE's "[1]") apart from the rest of each entry."""
        found = self.style.root.find("{*}bibliography")
        return found is not None and bool(found.get("second-field-align"))

    def _digest(self, kind: str, inputs: object) -> str:
        """What `inputs` rendered to under this style and code is kept under this digest."""
        if self._identity is None:
            from ..source_store import code_digest

            self._identity = hashlib.blake2b(self.path.read_bytes(), digest_size=16).hexdigest() + code_digest()
        return hashlib.blake2b(f"{self._identity}\n{kind}\n{inputs!r}".encode(), digest_size=16).hexdigest()

    def tooltip(self, key: str) -> str:
        """The key's formatted reference as plain text (for the label's title attribute)."""
        text = self.entries.get(key, "")
        found = self._tooltips.get((key, text))
        if found is None:
            digest = self._digest("tooltip", (key, text)) if self.store is not None else ""
            found = self.store.get(digest) if self.store is not None else None
            if not isinstance(found, str):
                entries = self.references([key])
                found = _NUMBER.sub("", plain(entries[0][1])) if entries else key
                if self.store is not None:
                    self.store.put(digest, found)
            self._tooltips[(key, text)] = found
        return found

    def references(self, keys: Sequence[str]) -> list[tuple[str, str]]:
        """(key, HTML reference) of `keys`, in the style's order (no locators: a list, not citations).
        A key with no entry in the corpus has none (nothing is made up from the key)."""
        with citeproc_as_csl_says():
            return self._references(keys)

    def _references(self, keys: Sequence[str], suffixes: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem, CitationStylesBibliography, formatter
        from citeproc.source import BibliographySource
        from citeproc.string import String

        if not self.has_bibliography:
            return []
        keys = [key for key in keys if self.entries.get(key)]  # a key with no entry has no reference
        source = BibliographySource()
        labels = self.citation_labels(keys)
        for n, key in enumerate(keys):
            source[f"k{n}"] = _copy(csl_item(self.entries.get(key, "")), f"k{n}", None, key, labels.get(key),
                                    self.uses_volume_title)
            if suffixes and key in suffixes:
                source[f"k{n}"]["year_suffix"] = String(suffixes[key])
        bibliography = CitationStylesBibliography(self.style, source, formatter.html)
        for n in range(len(keys)):
            bibliography.register(CslCitation([CitationItem(f"k{n}")]))
        bibliography.sort()  # the style's order (author-date styles sort; numeric ones keep the page's)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            entries = [self._quoted(_as_html(str(entry))) for entry in bibliography.bibliography()]
        ordered = [keys[int(k[1:])] for k in bibliography.keys]
        entries = [_repository_once(entry, source[cid]) for cid, entry in zip(bibliography.keys, entries, strict=False)]
        if self.second_field_align:
            entries = [_first_field_apart(entry) for entry in entries]
        self.formatted += len(entries)
        return list(zip(ordered, entries, strict=False))

    def render(self, citations: Sequence[Citation], link: Callable[[str], str],
               in_footnotes: frozenset[int] = frozenset()) -> Rendered:
        """Labels of a page's citations (all known keys) and its references list. citeproc-py
        needs milliseconds per reference: a page whose citations, links and entries are the same
        as last time (a serve rebuild after another page's edit; with a store, the last build)
        is not formatted again. `in_footnotes`: the citations (by position) written inside the
        page's own footnotes, which a note style shows in place (a note has no note of its own)."""
        keys = list(dict.fromkeys(item.key for citation in citations for item in citation.items))
        memo_key = (tuple(citations), tuple(link(k) for k in keys), tuple(self.entries.get(k, "") for k in keys),
                    tuple(sorted(in_footnotes)) if self.note else ())
        found = self._pages.get(memo_key)
        if found is None:
            if len(self._pages) > 4096:
                self._pages.clear()
            digest = self._digest("page", memo_key) if self.store is not None else ""
            kept = self.store.get(digest) if self.store is not None else None
            if isinstance(kept, tuple) and len(kept) == 3:
                found = Rendered(*kept)
            else:
                found = self._render(citations, link, in_footnotes)
                if self.store is not None:
                    self.store.put(digest, (found.labels, found.references, found.notes))
            self._pages[memo_key] = found
        return found

    def _render(self, citations: Sequence[Citation], link: Callable[[str], str],
                in_footnotes: frozenset[int] = frozenset()) -> Rendered:
        with citeproc_as_csl_says():
            return self._render_now(citations, link, in_footnotes)

    def _render_now(self, citations: Sequence[Citation], link: Callable[[str], str],
                    in_footnotes: frozenset[int] = frozenset()) -> Rendered:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem, CitationStylesBibliography, formatter
        from citeproc.source import BibliographySource, Name

        numeric = self.numeric
        source = BibliographySource()
        ids: dict[str, str] = {}
        for citation in citations:
            for item in citation.items:
                if self.citable(item.key):
                    ids.setdefault(item.key, f"k{len(ids)}")
        made = self.citation_labels(list(ids))
        for key, cid in ids.items():
            for variant, author in ((cid, None), (cid + "s", [Name(family=_AUTHOR)])):
                source[variant] = _copy(csl_item(self.entries.get(key, "")), variant, author, key, made.get(key),
                                        self.uses_volume_title)
        bibliography = CitationStylesBibliography(self.style, source, formatter.html)
        # Registered in page order, plain (no locators), so that numbers and the list follow the page.
        for key in ids:
            bibliography.register(CslCitation([CitationItem(ids[key])]))
        if self.has_bibliography:  # (without one: the page's order)
            bibliography.sort()  # disambiguation and numbers follow the style's order
        if not numeric:
            # Author-less variants sit beside their items (citeproc-py sorts a citation's items and
            # skips unknown ones by this list); numeric styles number by it, so they get none.
            bibliography.keys[:] = [k for cid in bibliography.keys for k in (cid, cid + "s")]
        if not numeric:
            _given_names_added(bibliography, ids)
        suffixes = self._year_suffixes(bibliography, ids) if not numeric and self.adds_year_suffix else {}
        references = self._references(list(ids), suffixes)
        # A label's title is its reference as the page lists it (with its year's letter, `1999a`)
        tips = {key: _NUMBER.sub("", plain(entry)) for key, entry in references}
        note = self.note  # (a note in text is the whole citation: the authors' names stay in the text too)
        labels = [self._label(bibliography, Citation(citation.items) if note and citation.in_text else citation,
                              ids, link, numeric, tips) for citation in citations]
        if note:
            return self._as_notes(citations, labels, bibliography, ids, references, in_footnotes)
        return Rendered(tuple(labels), tuple(references))

    @property
    def note(self) -> bool:
        """A note style (`class="note"`, Chicago notes and bibliography, say): its citations are footnotes."""
        return _style_class(str(self.path), self.path.stat().st_mtime) == "note"

    def _as_notes(self, citations: Sequence[Citation], labels: Sequence[str], bibliography: CitationStylesBibliography,
                  ids: Mapping[str, str], references: Sequence[tuple[str, str]],
                  in_footnotes: frozenset[int] = frozenset()) -> Rendered:
        """A note style's citations as Pandoc renders them: each a footnote, numbered in the page's
        order, its mark where the citation was (after the authors' names for one in text, `Knuth¹`);
        the notes, in Python-Markdown's footnote markup (so a theme styles them as footnotes), go at
        the page's end. A citation inside one of the page's own footnotes is shown in place, in
        parentheses when bracketed (`[@doe]`), as Pandoc does."""
        marks, notes = [], []
        number = 0
        for index, (citation, text) in enumerate(zip(citations, labels, strict=True)):
            note = text.strip()
            if index in in_footnotes:  # (the sentence of the note goes on: the style's closing period left out)
                note = note[:-1] if note.endswith(".") and not note.endswith("..") else note
                marks.append(note if citation.in_text else f"({note})")
                continue
            number += 1
            if note and not note.endswith((".", "?", "!", ".</i>", ".</a>")):
                note += "."
            mark = (f'<sup class="citation-note" id="cite-noteref-{number}"><a class="footnote-ref" '
                    f'href="#cite-note-{number}">{number}</a></sup>')
            first = citation.items[0].key if citation.items else ""
            if citation.in_text and first in ids:
                mark = f"{html.escape(_names(bibliography.source[ids[first]], bibliography.style))}{mark}"
            marks.append(mark)
            notes.append(f'<li id="cite-note-{number}"><p>{note}&#160;<a class="footnote-backref" '
                         f'href="#cite-noteref-{number}" title="Back to the citation">&#8617;</a></p></li>')
        block = '<div class="footnote citation-notes">\n<hr />\n<ol>\n' + "\n".join(notes) + "\n</ol>\n</div>"
        return Rendered(tuple(marks), tuple(references), block if notes else "")

    def _year_suffixes(self, bibliography: CitationStylesBibliography, ids: Mapping[str, str]) -> dict[str, str]:
        """Papers a page would cite alike (`He et al. 2016` twice) get `a`, `b`, ... after the year, in
        the list's order, in their labels and references, when the style asks for it
        (`disambiguate-add-year-suffix`): citeproc-py does not do it. (A CSL processor first tries
        more names, then given names; a year suffix alone always tells them apart.)"""
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem
        from citeproc.string import String

        if len(ids) < 2:
            return {}
        alike: dict[str, list[str]] = {}
        for key, cid in ids.items():
            item = CitationItem(cid)
            item.reference = bibliography.source[cid]
            alone = CslCitation([item])
            alone.bibliography = bibliography
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = plain(str(bibliography.style.render_citation(alone, [], lambda _i: None)))
            alike.setdefault(text, []).append(key)
        order = {cid: n for n, cid in enumerate(bibliography.keys)}
        suffixes: dict[str, str] = {}
        for text, keys in alike.items():
            if len(keys) < 2 or not re.search(r"\d{4}", text):  # a year to add the letter to
                continue
            for n, key in enumerate(sorted(keys, key=lambda k: order.get(ids[k], 0))):
                suffixes[key] = _letters(n)
                for variant in (ids[key], ids[key] + "s"):
                    bibliography.source[variant]["year_suffix"] = String(suffixes[key])
        return suffixes

    def _label(self, bibliography: CitationStylesBibliography, citation: Citation, ids: Mapping[str, str],
               link: Callable[[str], str], numeric: bool, tips: Mapping[str, str]) -> str:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem, Locator

        if citation.in_text and len(citation.items) > 1:  # a biblatex @set cited in text: each member so
            return "; ".join(self._label(bibliography, Citation((item,), True), ids, link, numeric, tips)
                             for item in citation.items)
        index = {item.key: n for n, item in enumerate(citation.items)}

        def cite(variant: bool) -> str:
            items = []
            for item in citation.items:
                if item.key not in ids:  # no entry: `nosuch?` in its place, its affixes around it
                    after = _locator_text(item)
                    glue = "" if item.suffix[:1] in SUFFIX_MARKS or not after else ", "
                    items.append(CitationItem(
                        f"unknown{index[item.key]}", prefix=(item.prefix + " " if item.prefix else "")
                        + _UNKNOWN + chr(_INDEX_BASE + index[item.key]),
                        suffix=_UNKNOWN_CLOSE + (glue + after if after else "")))
                    continue
                extra: dict[str, Any] = {}
                if item.locator and item.locator_label:  # (text: its `&` is no entity's start)
                    extra["locator"] = Locator(item.locator_label, item.locator.replace("&", AMP))
                prefix = (item.prefix + " " if item.prefix else "") + _OPEN + chr(_INDEX_BASE + index[item.key])
                glue = "" if item.suffix[:1] in SUFFIX_MARKS else " "  # `, and passim`: no space before it
                suffix = _CLOSE + (glue + item.suffix if item.suffix else "")
                cid = ids[item.key] + ("s" if variant and (item.suppress_author or citation.in_text) else "")
                cite_item = CitationItem(cid, prefix=prefix, suffix=suffix, **extra)
                # (what the writer put around it: sorted with it, never collapsed into a range)
                cite_item["affix_before"], cite_item["affix_after"] = bool(item.prefix), bool(item.suffix)
                if cid != ids[item.key]:
                    cite_item["sort_as"] = ids[item.key]  # sorted by its own author, which it hides
                items.append(cite_item)
            csl_citation = CslCitation(items)
            # Attached, not registered: the author-less variants must not join the list or its numbers.
            csl_citation.bibliography = bibliography
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return str(bibliography.style.render_citation(
                    csl_citation, bibliography._cites, lambda unknown: unknown.get("prefix", "") + unknown.get("suffix", "")))

        if numeric:
            text = cite(variant=False)
            if citation.in_text and citation.items[0].key in ids:
                text = f"{_names(bibliography.source[ids[citation.items[0].key]], bibliography.style)} {text}"
            return self._link(text, citation, link, tips)

        text = cite(variant=True)
        if citation.in_text:
            full = cite(variant=False)
            author = _author_text(full, text)
            text = f"{author} {_without_author(text)}" if author else full
        elif _AUTHOR in text:
            text = _without_author(text)
        text = text.replace(_AUTHOR, "")

        return self._link(text, citation, link, tips)

    def _link(self, text: str, citation: Citation, link: Callable[[str], str], tips: Mapping[str, str]) -> str:
        def opening(match: re.Match[str]) -> str:
            key = citation.items[ord(match.group(1)) - _INDEX_BASE].key
            tip = tips.get(key) or self.tooltip(key)
            return f'<a class="citation" href="{html.escape(link(key))}" title="{html.escape(tip)}">'

        def unknown(match: re.Match[str]) -> str:
            return f'<span class="citation-unknown">{html.escape(citation.items[ord(match.group(1)) - _INDEX_BASE].key)}?'

        text = re.sub(f"{_OPEN}(.)", opening, self._quoted(_as_html(text))).replace(_CLOSE, "</a>")
        return re.sub(f"{_UNKNOWN}(.)", unknown, text).replace(_UNKNOWN_CLOSE, "</span>")

    def _quoted(self, text: str) -> str:
        if self._piq is None:
            self._piq = str(self.style.root.get_locale_option("punctuation-in-quote")).lower() == "true"
        text = no_period_after_a_mark(typography(text))
        return punctuation_in_quote(text) if self._piq else text


def _repository_once(entry: str, reference: Reference) -> str:
    """`<i>arXiv</i>: arXiv:1706.03762` -> `arXiv:1706.03762`: a style that prints a preprint's
    publisher, a colon and its number (IEEE's) names the repository twice when the number, as an
    arXiv id given to CSL is, starts with it; the number alone says both, as IEEE's guide cites a
    preprint ("2017, arXiv:1706.03762")."""
    publisher, number = str(reference.get("publisher", "")).strip(), str(reference.get("number", "")).strip()
    if not publisher or not number.startswith(f"{publisher}:"):
        return entry
    named = re.escape(html.escape(publisher, quote=False))
    return re.sub(rf"(?:<(i|b)>)?{named}(?:</\1>)?: (?={re.escape(html.escape(number, quote=False))})", "", entry,
                  count=1)


_FIRST_FIELD = re.compile(r"^(\[?\d+[\].]?)\s*")


def _first_field_apart(entry: str) -> str:
    """`[1]R. Rho, ...` -> `<span class="csl-left-margin">[1]</span> <span class="csl-right-inline">R. Rho,
    ...</span>`: CSL's `second-field-align` renders the first field (the number) and the rest as two
    blocks, which citeproc-py writes together with nothing between them. These are the classes
    Pandoc gives the two blocks (a theme's CSS may align them), and a space keeps them apart without it."""
    found = _FIRST_FIELD.match(entry)
    if found is None:
        return entry
    return (f'<span class="csl-left-margin">{found.group(1)}</span> '
            f'<span class="csl-right-inline">{entry[found.end():].strip()}</span>')


def _given_names_added(bibliography: CitationStylesBibliography, ids: Mapping[str, str]) -> None:
    """CSL's global name disambiguation for the styles that ask for it (`disambiguate-add-givenname`
    with `givenname-disambiguation-rule` "primary-name", Chicago's, or "primary-name-with-initials",
    APA's): two first authors a page cites with one family name and different given names are
    cited with their initials when these tell them apart, else (but with "-with-initials") their
    given names: "(S. Schwartz 1992; L. R. Schwartz 1988)", "(John Smith 2019; Jane Smith 2020)",
    as Pandoc cites them, where citeproc-py gave "(Smith 2019; Smith 2020)". The page's citations only: the
    references list already names them in full. ("all-names" rules are taken for the first
    author alone; "by-cite", the default, is left to the year's letter.)"""
    from citeproc.source import Name

    citation = bibliography.style.root.find("{*}citation")
    if citation is None or citation.get("disambiguate-add-givenname", "") != "true":
        return
    rule = citation.get("givenname-disambiguation-rule", "by-cite")
    if rule == "by-cite":
        return
    initials_only = rule.endswith("-with-initials")

    def first_author(cid: str) -> Any:
        names = bibliography.source[cid].get("author") or []
        return names[0] if names and names[0].get("family") and not is_others(names[0]) else None

    def family(name: Any) -> str:
        return " ".join(str(name.get(part) or "") for part in ("non-dropping-particle", "family")).strip()

    def given(name: Any) -> str:
        return " ".join(str(name.get(part) or "") for part in ("given", "dropping-particle")).strip()

    def initials(text: str) -> str:  # (a word that starts with no letter whole: `1st` is "1st.", as Pandoc)
        return " ".join(f"{word[0] if word[0].isalpha() else word}." for word in re.split(r"[\s.]+", text) if word)

    by_family: dict[str, set[str]] = {}
    for cid in ids.values():
        name = first_author(cid)
        if name is not None and given(name):
            by_family.setdefault(family(name), set()).add(given(name))
    shown: dict[str, dict[str, str]] = {}  # family -> given name -> what the citations show of it
    for name_family, givens in by_family.items():
        if len(givens) < 2:
            continue
        # Each name apart: its initials where they tell it from the others, else (but with
        # "-with-initials") its given names in full; John, Jane and Kate Smith are "John Smith",
        # "Jane Smith", "K. Smith" (APA: "Smith", "Smith", "K. Smith"), as Pandoc cites them.
        marks = {text: initials(text) for text in givens}
        alike = Counter(marks.values())
        shown[name_family] = {text: marks[text] if alike[marks[text]] == 1 else text for text in givens
                              if alike[marks[text]] == 1 or not initials_only}
    for cid in ids.values():
        name = first_author(cid)
        if name is None or given(name) not in shown.get(family(name), {}):
            continue
        for variant in (cid, cid + "s"):
            reference = bibliography.source.get(variant)
            if reference is None or not reference.get("author") or family(reference["author"][0]) != family(name):
                continue  # (the author-suppressed stand-in has none)
            added = shown[family(name)][given(name)]
            suffix = str(name.get("suffix") or "").strip()  # (`Smith, 1st, Ann`: "A. Smith 1st")
            namesake = Name(family=" ".join(part for part in (added, family(name), suffix) if part))
            namesake[SORTED_AS] = reference["author"][0]  # (a citation's items sort by the name itself)
            reference["author"] = [namesake, *reference["author"][1:]]


def _letters(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: year suffixes."""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


_KEY_FIELD = re.compile(r"^\s*key\s*=\s*(.+?)\s*,?\s*$", re.IGNORECASE | re.MULTILINE)  # BibTeX's `key` field


def _unaccented(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _locator_text(item: CiteItem) -> str:
    """`p. 3, and passim`: an item's locator (Pandoc's term for its label) and suffix, as text,
    where no style formats them (a key the corpus lacks)."""
    after = ""
    if item.locator:
        singular, plural = TERM_OF.get(item.locator_label or "page", ("", ""))
        after = f"{plural if locator_is_plural(item.locator) else singular} {item.locator.replace('&', AMP)}".strip()
    if item.suffix:
        glue = "" if item.suffix[:1] in SUFFIX_MARKS else " "
        after = f"{after}{glue}{item.suffix}" if after else item.suffix
    return after


def alpha_label(reference: Reference | None, key: str) -> str:
    """BibTeX's alpha.bst label (`calc.label`, `format.lab.names`) of an entry: the authors (else
    the editors); one name gives its von and last parts' initials, or the first three letters of
    its last name when that is one letter (`Knu`, `vL`); two to four names their initials (`GMS`);
    more, the first three's and `+` (as does a list ending in `and others`); no names, the first
    three characters of `key` (the entry's BibTeX `key` field, else its citation key). Then the
    year's last two digits: `Knu84`."""
    names: list[Any] = []
    for role in ("author", "editor"):
        try:
            names = list(reference[role]) if reference is not None and role in reference else []
        except Exception:
            names = []
        if names:
            break

    def initials(name: Any) -> str:
        parts = re.split(r"[\s~-]+", " ".join(str(name.get(part, "")) for part in ("non-dropping-particle", "family")))
        return "".join(_first_letter(part) for part in parts)

    if not names:
        text = key[:3]
    elif len(names) == 1:
        text = initials(names[0])
        if len(text) < 2:
            text = "".join(c for c in str(names[0].get("family", "")) if c.isalnum())[:3]
    else:
        shown = names[:3] if len(names) > 4 else names
        text = "".join("+" if is_others(name) else initials(name) for name in shown)
        if len(names) > 4:
            text += "+"
    year = ""
    issued = reference.get("issued") if reference is not None else None
    if issued is not None:
        # (a range: alpha.bst takes the last two digits of the whole field, `1998--1999` -> 99)
        end = issued.get("end") if isinstance(issued, dict) else None
        if end is not None and not end.get("year"):  # an open range (`2020/`): its start
            end = None
        last = (end or issued.get("begin", issued)) if isinstance(issued, dict) else issued
        digits = "".join(c for c in str(last.get("year", "") if isinstance(last, dict) else "") if c.isdigit())
        year = digits[-2:]
    return text + year


def _first_letter(part: str) -> str:
    found = re.search(r"\w", part)
    return found.group(0) if found else ""


def _names(reference: Reference, style: CitationStylesStyle | None = None) -> str:
    """`von Neumann`, `Doe and Roe`, `Doe et al.`: who an in-text citation names in a numeric (or
    note) style, whose citations print only a number. The authors, else the editors, else the
    translators, as the styles substitute them; each by their family name with its particle, as the
    style's references print it ("J. von Neumann"); two joined by the style's "and" (its locale's
    term, or "&" where its names say `and="symbol"`), three or more (or BibTeX's `and others`) the
    first and the locale's "et al.". No names: the short title in quotes, as the styles put the
    title in their place."""
    for role in ("author", "editor", "translator"):
        try:
            people = list(reference[role]) if role in reference else []
        except Exception:
            people = []
        names = [_family(person) for person in people if _family(person)]
        if names:
            break
    else:
        title = reference.get("title_short") or reference.get("title")
        return f"“{title}”" if title else ""
    and_word, et_al = _terms(style)
    if len(names) > 2 or is_others(people[-1]):
        return f"{names[0]} {et_al}"
    return f" {and_word} ".join(names)


def _family(person: Any) -> str:
    """A name's family part with its particle (`von Neumann`, `van der Waals`), or its literal
    form (`{World Health Organization}`); "" for BibTeX's `others`."""
    if is_others(person):
        return ""
    parts = [str(person.get(part) or "").strip() for part in ("non-dropping-particle", "family")]
    return " ".join(part for part in parts if part) or str(person.get("literal") or "").strip()


def _terms(style: CitationStylesStyle | None) -> tuple[str, str]:
    """The style's "and" (or "&" when its names use the symbol) and "et al." in its locale."""
    if style is None:
        return "and", "et al."
    try:
        symbol = any(name.get("and") == "symbol" for name in style.root.iter("{*}name"))
        and_word = "&" if symbol else style.root.get_term("and").text
        return and_word or "and", style.root.get_term("et-al").text or "et al."
    except Exception:  # (a locale without the terms: English)
        return "and", "et al."


def _categories(style: CitationStylesStyle) -> set[str]:
    return {c.get("citation-format", "") for c in style.root.iter("{*}category")}


def _copy(reference: Reference | None, cid: str, author: list[Name] | None, key: str,
          label: str | None = None, volume_title: bool = True) -> Reference:
    """`reference` under the id `cid` (its author replaced when asked, its `citation-label` given
    when it has none); a key citeproc-py cannot read at all is shown by its key as its title."""
    from citeproc.source import Reference
    from citeproc.string import String

    fields: dict[str, Any] = dict(reference) if reference is not None else {"title": key}
    if not volume_title and "volume_title" in fields:
        # (a style that never prints volume-title: the volume's own title stays its title, as before
        # its work's `maintitle` was read; the work's title is then not shown)
        fields["title"] = fields.pop("volume_title")
    if label and not fields.get("citation_label"):
        fields["citation_label"] = label
    kind = reference.type if reference is not None else MISC_KIND  # "article" invented "Preprint."
    if author is not None:
        fields["author"] = author
    fields.pop("key", None)
    fields.pop("type", None)
    for name, value in fields.items():
        # citeproc-py's BibTeX reader leaves numbers (volume, number) as int or str, which its text
        # casing cannot handle (APA crashes on `volume = {5}`): they become its own String type.
        if isinstance(value, (int, str)) and not isinstance(value, String):
            fields[name] = String(str(value))
    with warnings.catch_warnings():  # (citeproc-py warns of a variable it does not list: volume_title)
        warnings.simplefilter("ignore")
        return Reference(cid, kind, **fields)


def _without_author(text: str) -> str:
    """`(\ue003 1999, 5)` -> `(1999, 5)`: the author suppressed, as Pandoc's `[-@a]`."""
    return re.sub(f"{_AUTHOR}[,.]?\\s*", "", text)


def _author_text(full: str, variant: str) -> str:
    """What the style wrote for the author: `full` and `variant` differ only there."""
    start = variant.find(_AUTHOR)
    if start < 0:
        return ""
    tail = len(variant) - start - 1
    rest = variant[start + 1:]
    if not full.endswith(rest) and tail:
        return ""
    author = full[start:len(full) - tail] if tail else full[start:]
    return _TAG.sub("", author).strip(" ,")
