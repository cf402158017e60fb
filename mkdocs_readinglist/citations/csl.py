"""Citation labels and references lists in a CSL style, by citeproc-py.

The bundled styles are the Citation Style Language project's own files (https://citationstyles.org/,
CC BY-SA 3.0; see mkdocs_readinglist/csl/README.md). Each paper's BibTeX entry (as the export writes
it) is read by citeproc-py's BibTeX source; formatted references are kept per (style, entry text), so
a serve rebuild formats only entries that changed.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import pickle
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .syntax import Citation

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
# citeproc-py's HTML output does not escape the text of a BibTeX source (citeproc-py issues #27,
# #97): `<` and `>` of an entry go in as these stand-ins and come out as entities, so scraped or
# user text can never make a tag in a page.
_LT, _GT = "\ue004", "\ue005"
_INERT = str.maketrans({"<": _LT, ">": _GT})
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


def load_style(path: Path) -> CitationStylesStyle:
    return _style(str(path), path.stat().st_mtime)


@lru_cache(maxsize=4096)
def _reference(entry_text: str) -> Reference | None:
    """citeproc-py's reading of one BibTeX entry (it warns about fields CSL has no place for).

    citeproc-py's own LaTeX reading fails on some macros (`C{\\textendash}C`) and values (`pages =
    {431--456, 791--823}`): then the fields, decoded to Unicode by our LaTeX decoder, are given to
    it, and if it still fails, without the one field it cannot read (the record itself is untouched).
    """
    import bibtexparser
    from citeproc.source.bibtex import BibTeX

    from ..latex.encode import without_stand_ins

    written = entry_text
    # What prints in HTML: the characters the export wrote as LaTeX stand-ins, and each value on
    # one line (citeproc-py does not split names across lines: DBLP's `Bin Xiao and\n  Haiping Wu`).
    entry_text = _CONTINUED_LINE.sub(" ", without_stand_ins(entry_text)).translate(_INERT)
    if _BIBLATEX.search(entry_text) or "{\\" in entry_text:
        entry_text = _bibtex_view(entry_text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _with_display_fields(next(iter(BibTeX(io.StringIO(entry_text)).values()), None), written)
        except Exception:
            pass
        library = bibtexparser.parse_string(entry_text)
        if not library.entries:
            return None
        entry = library.entries[0]
        for skip in (None, *range(len(entry.fields))):
            try:
                return _with_display_fields(
                    next(iter(BibTeX(io.StringIO(_decoded_entry(entry, skip))).values()), None), written)
            except Exception:
                continue
    return None


_CONTINUED_LINE = re.compile(r"\n[ \t]+(?![ \t]|[A-Za-z][\w-]*[ \t]*=)")  # not a line that starts a field


# What CSL reads that citeproc-py's BibTeX source leaves out: the item's language (CSL applies
# text-case="title" to English items only, so a German title keeps its case) and its short title
# (`shorttitle`, else the title before its colon, as Pandoc derives it), which author-date styles
# print in place of missing authors in a citation.
_DISPLAY_FIELD = re.compile(r"^\s*(langid|language|shorttitle|url|urldate)\s*=\s*[{\"](.*?)[}\"]\s*,?\s*$",
                            re.IGNORECASE | re.MULTILINE)
_ONLINE = re.compile(r"\s*@(?:online|www|electronic)\s*\{", re.IGNORECASE)
_URL_ESCAPE = re.compile(r"\\([_%#&$~])")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LANGUAGES = {
    **dict.fromkeys(("english", "american", "british", "usenglish", "ukenglish", "australian", "canadian",
                     "newzealand", "canadien"), "en"),
    **dict.fromkeys(("german", "ngerman", "austrian", "naustrian", "swissgerman", "nswissgerman", "deutsch"), "de"),
    **dict.fromkeys(("french", "francais", "français", "acadian"), "fr"),
    **dict.fromkeys(("portuguese", "portuges", "brazil", "brazilian"), "pt"),
    **dict.fromkeys(("norwegian", "norsk", "nynorsk"), "no"),
    **dict.fromkeys(("hungarian", "magyar"), "hu"),
    "spanish": "es", "italian": "it", "dutch": "nl", "russian": "ru", "polish": "pl", "czech": "cs",
    "swedish": "sv", "danish": "da", "finnish": "fi", "greek": "el", "turkish": "tr", "japanese": "ja",
    "chinese": "zh", "korean": "ko", "latin": "la", "catalan": "ca", "croatian": "hr", "romanian": "ro",
    "slovak": "sk", "slovene": "sl", "slovenian": "sl", "ukrainian": "uk", "hebrew": "he", "arabic": "ar",
    "estonian": "et", "lithuanian": "lt", "latvian": "lv", "icelandic": "is", "irish": "ga", "welsh": "cy",
    "bulgarian": "bg", "serbian": "sr", "indonesian": "id", "vietnamese": "vi", "thai": "th", "hindi": "hi",
}
_LANGUAGE_CODE = re.compile(r"^([a-z]{2})(?:[-_][A-Za-z]{2,4})*$")


def language_code(value: str) -> str | None:
    """A `langid`/`language` value (babel's `ngerman`, or `de-DE`) as a CSL language code."""
    first = re.split(r"\s+and\s+|[,;]", value.strip(), maxsplit=1)[0].strip().strip("{}")
    found = _LANGUAGE_CODE.match(first)
    if found:
        return found.group(1).lower()
    return _LANGUAGES.get(first.lower())


def _with_display_fields(reference: Reference | None, entry_text: str) -> Reference | None:
    from citeproc.source import Reference
    from citeproc.string import MixedString, NoCase, String

    if reference is None:
        return None
    fields = {name.lower(): value for name, value in _DISPLAY_FIELD.findall(entry_text)}
    extra: dict[str, Any] = {}
    language = language_code(fields.get("langid") or fields.get("language") or "")
    if language:
        extra["language"] = language
    url = _URL_ESCAPE.sub(r"\1", fields.get("url", "")).strip()
    if url and "URL" not in reference and not re.search(r"[\s{}\\]", url):  # the web page of an @online
        extra["URL"] = url
        accessed = _ISO_DATE.match(fields.get("urldate", "").strip())
        if accessed:
            from citeproc.source import Date

            day = {"year": int(accessed.group(1))}
            if accessed.group(2):
                day["month"] = int(accessed.group(2))
                if accessed.group(3):
                    day["day"] = int(accessed.group(3))
            extra["accessed"] = Date(**day)
    if "title_short" not in reference:
        if fields.get("shorttitle"):
            from ..latex.decode import decode_latex, plain_text

            extra["title_short"] = String(plain_text(decode_latex(fields["shorttitle"], tie_is_space=True).text)
                                          .replace("{", "").replace("}", ""))
        elif "title" in reference:
            parts = list(reference.title) if isinstance(reference.title, MixedString) else [reference.title]
            head = MixedString()
            for part in parts:
                if ": " in str(part):
                    head += (NoCase if isinstance(part, NoCase) else String)(str(part).split(": ", 1)[0])
                    if str(head).strip():
                        extra["title_short"] = head
                    break
                head += part
    for name in ("title", "container_title", "collection_title"):
        if isinstance(reference.get(name), MixedString) and (whole := _words_whole(reference[name])) is not None:
            extra[name] = whole
    for name in ("author", "editor"):
        names = reference.get(name)
        if isinstance(names, list) and any(_is_others(person) for person in names):
            # BibTeX's `and others` is no person: the style's et-al rules say how the list ends
            extra[name] = [person for person in names if not _is_others(person)]
    kind = "webpage" if _ONLINE.match(entry_text) else reference.type  # biblatex's @online, not a preprint
    if not extra and kind == reference.type:
        return reference
    fields_now = {name: value for name, value in reference.items() if name not in ("key", "type", *extra)}
    return Reference(reference.key, kind, **fields_now, **extra)


def _is_others(person: Any) -> bool:
    return str(person.get("family", "")).strip() == "others" and not person.get("given")


def _words_whole(text: Any) -> Any:
    """citeproc-py title-cases a value piece by piece, its case-protected `{...}` pieces apart, and
    joins the words with spaces: a word that spans two pieces comes apart (`{{OpenPose}}: Realtime`
    gave "OpenPose : Realtime", `pre{BERT}` "Pre BERT"). Each such word goes whole into its
    protected piece; None when no word spans two pieces."""
    from citeproc.string import MixedString, NoCase, String

    parts = [part for part in text if str(part)]
    out: list[Any] = []
    changed = False
    for part in parts:
        if out and not str(out[-1])[-1].isspace() and not str(part)[0].isspace() and \
                (isinstance(out[-1], NoCase) or isinstance(part, NoCase)):
            changed = True
            before, after = str(out[-1]), str(part)
            if isinstance(out[-1], NoCase) and isinstance(part, NoCase):
                out[-1] = NoCase(before + after)
                continue
            if isinstance(out[-1], NoCase):  # `OpenPose` + `: Realtime`: the `:` joins the protected word
                head, *rest = re.split(r"(?=\s)", after, maxsplit=1)
                out[-1] = NoCase(before + head)
                part = String("".join(rest)) if rest else None
            else:  # `pre` + `BERT`: the start of the word joins it
                start = max(before.rfind(c) for c in " \t\n") + 1
                if start:
                    out[-1] = String(before[:start])
                else:
                    out.pop()
                part = NoCase(before[start:] + after)
        if part is not None and str(part):
            out.append(part)
    return MixedString(out) if changed else None


# citeproc-py reads BibTeX's fields and types only: a user's biblatex entry (kept as written in the
# corpus) is shown to it with the BibTeX names of the same facts, for display only.
_BIBLATEX = re.compile(r"^\s*(?:date|journaltitle|location)\s*=|^@(?:online|mv\w+|bookinbook|collection|reference|"
                       r"inreference|supp\w+|report|thesis|patent|periodical|dataset|software|set|xdata)\s*\{",
                       re.IGNORECASE | re.MULTILINE)
_BIBLATEX_FIELDS = {"journaltitle": "journal", "location": "address"}
_BIBLATEX_TYPES = {
    "mvbook": "book", "bookinbook": "inbook", "collection": "book", "mvcollection": "book", "reference": "book",
    "mvreference": "book", "inreference": "incollection", "suppbook": "inbook", "suppcollection": "incollection",
    "suppperiodical": "article", "mvproceedings": "proceedings", "report": "techreport", "thesis": "phdthesis",
    "online": "misc", "patent": "misc", "periodical": "misc", "dataset": "misc", "software": "misc", "set": "misc",
    "xdata": "misc",
}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?")


def _bibtex_view(entry_text: str) -> str:
    import bibtexparser

    library = bibtexparser.parse_string(entry_text)
    if not library.entries:
        return entry_text
    entry = library.entries[0]
    names = {f.key.lower() for f in entry.fields}
    fields: list[tuple[str, str]] = []
    for fld in entry.fields:
        name, value = fld.key.lower(), _special_characters_inline(" ".join(str(fld.value).split()))
        if name == "date":
            found = _DATE.match(value)
            if found and "year" not in names:
                fields.append(("year", found.group(1)))
                if found.group(2) and "month" not in names:
                    fields.append(("month", str(int(found.group(2)))))
            continue
        fields.append((_BIBLATEX_FIELDS.get(name, name) if _BIBLATEX_FIELDS.get(name) not in names else name, value))
    kind = _BIBLATEX_TYPES.get(entry.entry_type.lower(), entry.entry_type)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{entry.key},\n{body}\n}}"


def _special_characters_inline(value: str) -> str:
    """`{\\"U}ber` -> `Über`: a brace group that starts with a command, at the value's top level,
    is one of BibTeX's "special characters", not a case-protected word; citeproc-py reads it as a
    separate piece of text and title-cases around it ("Schr Ö Dinger"). Given as the character it
    stands for (display only), the word stays whole."""
    if "{\\" not in value:
        return value
    from ..latex.decode import decode_latex

    out: list[str] = []
    depth, start, last = 0, 0, 0
    for found in re.finditer(r"(?<!\\)[{}]", value):
        if found.group() == "{":
            if depth == 0:
                start = found.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and value.startswith("{\\", start):
                group = value[start + 1:found.start()]
                text = decode_latex(group, tie_is_space=True).text
                if text and not any(c in text for c in "{}\\") and len(text) <= 2:
                    out += [value[last:start], text]
                    last = found.end()
    out.append(value[last:])
    return "".join(out)


def _decoded_entry(entry: Any, skip: int | None) -> str:
    from ..latex.decode import decode_latex, plain_text

    fields = ",\n".join(
        f"  {f.key} = {{{plain_text(decode_latex(str(f.value), tie_is_space=True).text).replace('{', '').replace('}', '')}}}"
        for n, f in enumerate(entry.fields) if n != skip)
    return f"@{entry.entry_type}{{{entry.key},\n{fields}\n}}"


_PRINTED: list[list[tuple[str, str]]] = []  # per substitute being rendered: the variables it printed
_PATCHED: list[int] = [0]


@contextmanager
def _citeproc_as_csl_says() -> Iterator[None]:
    """Two rules of CSL 1.0.2 that citeproc-py 0.11 does not follow, followed while a style renders
    here (citeproc-py is left as it was afterwards):

    - cs:substitute: "Substituted variables are suppressed in the rest of the output to prevent
      duplication." citeproc-py suppresses one only when the substitute names it directly
      (`<text variable="title"/>`); the bundled styles substitute the title for missing authors
      through a macro, so a paper without authors, as most scraped papers are, showed its title twice.
    - cs:name `initialize="false"`: given names are not initialized (`initialize-with` then only
      formats initials the data already has). citeproc-py initialized them all: Chicago printed
      "Cao, Z." for "Cao, Zhe".
    - `is-numeric="locator"` tests the citation's locator; citeproc-py looked for it in the entry,
      so Chicago and APA dropped the label of a numeric chapter: `[@a, chap. 3]` gave "(A 2016, 3)"."""
    from citeproc import model

    if _PATCHED[0]:
        _PATCHED[0] += 1
        try:
            yield
        finally:
            _PATCHED[0] -= 1
        return
    render, add, variable = model.Substitute.render, model.Substitute.add_to_repressed_list, model.Text._variable
    name_option = model.Name.get_option
    is_numeric = model.If._is_numeric

    def locator_is_numeric(self: Any, item: Any) -> Any:
        results = is_numeric(self, item)
        names = self.get("is-numeric").split()
        if "locator" in names and getattr(item, "has_locator", False):
            results[names.index("locator")] = bool(self.re_numeric.match(str(item.locator.identifier)))
        return results

    def get_name_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return name_option(self, name, context, sort_options)

    def substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        _PRINTED.append([])
        try:
            return render(self, item, context=context, **kwargs)
        finally:
            _PRINTED.pop()

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        add(self, child, context)
        repressed = context.get_layout().repressed
        for tag, name in _PRINTED[-1] if _PRINTED else ():
            repressed.setdefault(tag, []).append(name)

    def text_variable(self: Any, item: Any, context: Any) -> Any:
        text = variable(self, item, context)
        if text and _PRINTED:
            _PRINTED[-1].append((self.tag, self.get("variable")))
        return text

    model.Substitute.render, model.Substitute.add_to_repressed_list = substitute_render, add_to_repressed_list
    model.Text._variable, model.Name.get_option = text_variable, get_name_option
    model.If._is_numeric = locator_is_numeric
    _PATCHED[0] = 1
    try:
        yield
    finally:
        model.Substitute.render, model.Substitute.add_to_repressed_list, model.Text._variable = render, add, variable
        model.Name.get_option, model.If._is_numeric = name_option, is_numeric
        _PATCHED[0] = 0


_OUTSIDE_QUOTE = re.compile(r"([.?!]?)”([.,])")


def _punctuation_in_quote(text: str) -> str:
    """`“Title”.` -> `“Title.”`: American usage, which the locale of the bundled styles asks for
    (`punctuation-in-quote`) and citeproc-py does not apply; a title that ends in `?` or `!` keeps
    its own mark and drops the period (`“Who Needs Labels?”`)."""
    def moved(found: re.Match[str]) -> str:
        own, after = found.group(1), found.group(2)
        if not own:
            return f"{after}”"
        return f"{own}”" if after == "." else found.group(0)

    return _OUTSIDE_QUOTE.sub(moved, text) if "”" in text else text


def _as_html(text: str) -> str:
    """citeproc-py's output with the stand-ins of `<` and `>` written as entities."""
    return text.replace(_LT, "&lt;").replace(_GT, "&gt;")


def plain(html_text: str) -> str:
    return html.unescape(_TAG.sub("", html_text)).strip()


@dataclass(frozen=True, slots=True)
class Rendered:
    labels: tuple[str, ...]  # HTML of each citation, links in place
    references: tuple[tuple[str, str], ...]  # (key, HTML of its reference), in the style's order


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

    @property
    def style(self) -> CitationStylesStyle:
        return load_style(self.path)

    @property
    def numeric(self) -> bool:
        style = self.style
        return style.root.get("class") == "in-text" and "numeric" in _categories(style)

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
        """(key, HTML reference) of `keys`, in the style's order (no locators: a list, not citations)."""
        with _citeproc_as_csl_says():
            return self._references(keys)

    def _references(self, keys: Sequence[str], suffixes: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem, CitationStylesBibliography, formatter
        from citeproc.source import BibliographySource
        from citeproc.string import String

        source = BibliographySource()
        for n, key in enumerate(keys):
            source[f"k{n}"] = _copy(_reference(self.entries.get(key, "")), f"k{n}", None, key)
            if suffixes and key in suffixes:
                source[f"k{n}"]["year_suffix"] = String(suffixes[key])
        bibliography = CitationStylesBibliography(self.style, source, formatter.html)
        for n in range(len(keys)):
            bibliography.register(CslCitation([CitationItem(f"k{n}")]))
        bibliography.sort()  # the style's order (author-date styles sort; numeric ones keep the page's)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            entries = [self._quoted(_as_html(str(entry))) for entry in bibliography.bibliography()]
        self.formatted += len(entries)
        return list(zip([keys[int(k[1:])] for k in bibliography.keys], entries, strict=False))

    def render(self, citations: Sequence[Citation], link: Callable[[str], str]) -> Rendered:
        """Labels of a page's citations (all known keys) and its references list. citeproc-py
        needs milliseconds per reference: a page whose citations, links and entries are the same
        as last time (a serve rebuild after another page's edit; with a store, the last build)
        is not formatted again."""
        keys = list(dict.fromkeys(item.key for citation in citations for item in citation.items))
        memo_key = (tuple(citations), tuple(link(k) for k in keys), tuple(self.entries.get(k, "") for k in keys))
        found = self._pages.get(memo_key)
        if found is None:
            if len(self._pages) > 4096:
                self._pages.clear()
            digest = self._digest("page", memo_key) if self.store is not None else ""
            kept = self.store.get(digest) if self.store is not None else None
            if isinstance(kept, tuple) and len(kept) == 2:
                found = Rendered(*kept)
            else:
                found = self._render(citations, link)
                if self.store is not None:
                    self.store.put(digest, (found.labels, found.references))
            self._pages[memo_key] = found
        return found

    def _render(self, citations: Sequence[Citation], link: Callable[[str], str]) -> Rendered:
        with _citeproc_as_csl_says():
            return self._render_now(citations, link)

    def _render_now(self, citations: Sequence[Citation], link: Callable[[str], str]) -> Rendered:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem, CitationStylesBibliography, formatter
        from citeproc.source import BibliographySource, Name

        numeric = self.numeric
        source = BibliographySource()
        ids: dict[str, str] = {}
        for citation in citations:
            for item in citation.items:
                if item.key in ids:
                    continue
                ids[item.key] = cid = f"k{len(ids)}"
                for variant, author in ((cid, None), (cid + "s", [Name(family=_AUTHOR)])):
                    reference = _copy(_reference(self.entries.get(item.key, "")), variant, author, item.key)
                    source[variant] = reference
        bibliography = CitationStylesBibliography(self.style, source, formatter.html)
        # Registered in page order, plain (no locators), so that numbers and the list follow the page.
        for key in ids:
            bibliography.register(CslCitation([CitationItem(ids[key])]))
        bibliography.sort()  # disambiguation and numbers follow the style's order
        if not numeric:
            # Author-less variants sit beside their items (citeproc-py sorts a citation's items and
            # skips unknown ones by this list); numeric styles number by it, so they get none.
            bibliography.keys[:] = [k for cid in bibliography.keys for k in (cid, cid + "s")]
        suffixes = {} if numeric else self._year_suffixes(bibliography, ids)
        labels = [self._label(bibliography, citation, ids, link, numeric) for citation in citations]
        return Rendered(tuple(labels), tuple(self._references(list(ids), suffixes)))

    def _year_suffixes(self, bibliography: CitationStylesBibliography, ids: Mapping[str, str]) -> dict[str, str]:
        """Papers a page would cite alike (`He et al. 2016` twice) get `a`, `b`, ... after the year, in
        the list's order, in their labels and references: the styles ask for it
        (`disambiguate-add-year-suffix`), citeproc-py does not do it. (A CSL processor first tries
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
               link: Callable[[str], str], numeric: bool) -> str:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem, Locator

        index = {item.key: n for n, item in enumerate(citation.items)}

        def cite(variant: bool) -> str:
            items = []
            for item in citation.items:
                extra: dict[str, Any] = {}
                if item.locator and item.locator_label:
                    extra["locator"] = Locator(item.locator_label, item.locator)
                prefix = (item.prefix + " " if item.prefix else "") + _OPEN + chr(_INDEX_BASE + index[item.key])
                suffix = _CLOSE + (" " + item.suffix if item.suffix else "")
                cid = ids[item.key] + ("s" if variant and (item.suppress_author or citation.in_text) else "")
                cite_item = CitationItem(cid, prefix=prefix, suffix=suffix, **extra)
                cite_item.reference = bibliography.source[cid]
                items.append(cite_item)
            csl_citation = CslCitation(items)
            # Attached, not registered: the author-less variants must not join the list or its numbers.
            csl_citation.bibliography = bibliography
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return str(bibliography.style.render_citation(csl_citation, bibliography._cites, lambda _i: None))

        if numeric:
            text = cite(variant=False)
            if citation.in_text:
                text = f"{_names(bibliography.source[ids[citation.items[0].key]])} {text}"
            return self._link(text, citation, link)

        text = cite(variant=True)
        if citation.in_text:
            full = cite(variant=False)
            author = _author_text(full, text)
            text = f"{author} {_without_author(text)}" if author else full
        elif _AUTHOR in text:
            text = _without_author(text)
        text = text.replace(_AUTHOR, "")

        return self._link(text, citation, link)

    def _link(self, text: str, citation: Citation, link: Callable[[str], str]) -> str:
        def opening(match: re.Match[str]) -> str:
            key = citation.items[ord(match.group(1)) - _INDEX_BASE].key
            return f'<a class="citation" href="{html.escape(link(key))}" title="{html.escape(self.tooltip(key))}">'

        return re.sub(f"{_OPEN}(.)", opening, self._quoted(_as_html(text))).replace(_CLOSE, "</a>")

    def _quoted(self, text: str) -> str:
        if self._piq is None:
            self._piq = str(self.style.root.get_locale_option("punctuation-in-quote")).lower() == "true"
        return _punctuation_in_quote(text) if self._piq else text


def _letters(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: year suffixes."""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _names(reference: Reference) -> str:
    """`Doe`, `Doe and Roe`, `Doe et al.`: the authors of an in-text citation in a numeric style."""
    try:
        names = [str(name.family) for name in reference.author]
    except Exception:  # no authors: the title stands for them, as CSL substitutes it
        try:
            return f"“{reference.title}”"
        except Exception:
            return ""
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


def _categories(style: CitationStylesStyle) -> set[str]:
    return {c.get("citation-format", "") for c in style.root.iter("{*}category")}


def _copy(reference: Reference | None, cid: str, author: list[Name] | None, key: str) -> Reference:
    """`reference` under the id `cid` (its author replaced when asked); a key citeproc-py cannot
    read at all is shown by its key as its title."""
    from citeproc.source import Reference
    from citeproc.string import String

    fields: dict[str, Any] = dict(reference) if reference is not None else {"title": key}
    kind = reference.type if reference is not None else "article"
    if author is not None:
        fields["author"] = author
    fields.pop("key", None)
    fields.pop("type", None)
    for name, value in fields.items():
        # citeproc-py's BibTeX reader leaves numbers (volume, number) as int or str, which its text
        # casing cannot handle (APA crashes on `volume = {5}`): they become its own String type.
        if isinstance(value, (int, str)) and not isinstance(value, String):
            fields[name] = String(str(value))
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
