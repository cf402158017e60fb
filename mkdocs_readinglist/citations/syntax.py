"""Pandoc's citation syntax, parsed: `[see @a, pp. 3-5 and passim; -@b]`, in-text `@a [p. 5]`, `@{braced key}`.

Pure functions on text. The rules follow Pandoc's manual ("Citation syntax"): a key starts with a
letter, digit or `_` and holds alphanumerics and *single internal* punctuation (`:.#$%&-+?<>~/`), so
`@Foo_bar.baz.` cites `Foo_bar.baz`; any other key is written in braces. A bracketed citation is a
list of items separated by `;`, each an optional prefix, `@key` or `-@key` (author suppressed), and
an optional `, locator suffix` where the locator starts with one of Pandoc's locator terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Pandoc's key: first character a letter, digit or _, then word characters or one punctuation mark
# followed by a word character.
KEY = r"[^\W](?:[^\W]|[:.#$%&\-+?<>~/](?=[^\W]))*"
BRACED_KEY = r"\{[^{}\n]+\}"
# Pandoc's rule: an `@` right after a word is no citation (`someone@example.org`); nor is one right
# after a character of a URL's path (`mastodon.social/@john`, `https://example.org/~me/@talk`).
NOT_AFTER = r"(?<![\w\\@/:.~#%&+=?-])"
_ITEM = re.compile(rf"(?P<prefix>.*?){NOT_AFTER}(?P<suppress>-?)@(?:(?P<braced>{BRACED_KEY})|(?P<key>{KEY}))(?P<rest>.*)",
                   re.DOTALL)

# Pandoc's English locator terms (singular and plural, full and abbreviated) -> CSL locator labels.
_TERMS: dict[str, str] = {}
_WORDS: dict[str, tuple[str, ...]] = {
    "book": ("book", "books", "bk.", "bks."),
    "chapter": ("chapter", "chapters", "chap.", "chaps.", "ch.", "chs."),
    "column": ("column", "columns", "col.", "cols."),
    "figure": ("figure", "figures", "fig.", "figs."),
    "folio": ("folio", "folios", "fol.", "fols."),
    "issue": ("number", "numbers", "no.", "nos."),
    "line": ("line", "lines", "l.", "ll."),
    "note": ("note", "notes", "n.", "nn."),
    "opus": ("opus", "opera", "op.", "opp."),
    "page": ("page", "pages", "p.", "pp."),
    "paragraph": ("paragraph", "paragraphs", "para.", "paras.", "¶", "¶¶"),
    "part": ("part", "parts", "pt.", "pts."),
    "section": ("section", "sections", "sec.", "secs.", "§", "§§"),
    "sub verbo": ("sub verbo", "sub verbis", "s.v.", "s.vv."),
    "verse": ("verse", "verses", "v.", "vv."),
    "volume": ("volume", "volumes", "vol.", "vols."),
}
for _label, _words in _WORDS.items():
    for _word in _words:
        _TERMS[_word] = _label
SUFFIX_MARKS = ",;:.!?"  # a suffix starting with one of these follows the label without a space (`, and passim`)
# A CSL locator label -> Pandoc's abbreviated term for it, singular and plural ("p.", "pp.").
TERM_OF: dict[str, tuple[str, str]] = {label: (words[2], words[3]) for label, words in _WORDS.items()}
_MANY = re.compile(r"[-–,&]")  # a range or a list, of numbers or not (`iv, vi-xi`, `A-3`, `2 & 4`)


def locator_is_plural(locator: str) -> bool:
    """Whether a locator takes its label's plural ("pp."): CSL 1.0.2's contextual plural, numbers
    "separated by a comma, hyphen, or ampersand" ("volumes 2 & 4"), and as Pandoc's citeproc
    decides it, for roman numerals and lettered pages too (`pp. iv, vi-xi`; citeproc-py counted
    digits only). Pandoc leaves `2 & 4` singular, against the spec; an em dash is no range."""
    return _MANY.search(locator) is not None


_TERM = "|".join(re.escape(t) for t in sorted(_TERMS, key=len, reverse=True))
# A locator value: numbers (dotted: `2.1`; with a letter part: `A-3`; `33ff.`), roman numerals,
# ranges and lists of them ("3-5", "xii", "33, 35-37", "2.1–2.3").
_PART = r"(?:[0-9]+|[ivxlcdmIVXLCDM]+)"
_ONE = rf"(?:[A-Z]{{1,2}}[-.]?(?=[0-9]))?{_PART}(?:[.:]{_PART})*(?:\([0-9a-z]{{1,3}}\))?(?:ff?\.|[a-z])?"
# (`3--5`: TeX's dash; `10/12`; `3a–b`: a letter alone only right after a dash)
_VALUE = rf"{_ONE}(?:\s*(?:-{{1,3}}|[–—,&/])\s*{_ONE}|(?:-{{1,3}}|[–—])[a-z](?![^\W\d_]))*"
_LOCATOR = re.compile(rf"^\s*(?:(?P<term>{_TERM})\s*)?(?P<value>{_VALUE})(?![^\W])(?P<suffix>.*)$", re.DOTALL)
# A word in the suffix that is not a locator value but a locator term with a braced value: `{}`
# Pandoc's locator in braces, taken as written (`p. {iv, vi-xi}`, `{pp. iv, vi-xi, (xv)}`, `{ch. 2 and on}`)
_BRACED_LOCATOR = re.compile(rf"^\s*(?P<term>{_TERM})\s*\{{(?P<value>[^{{}}]*)\}}(?P<suffix>.*)$", re.DOTALL)
_TERM_AHEAD = rf"(?:{_TERM})\s*[0-9ivxlcdmIVXLCDM{{]"  # `p. 33`, `chap. {2}`: a term, then its value
_BRACED_TERM = re.compile(rf"^(?P<term>{_TERM})\s*(?P<value>.+)$", re.DOTALL)
_LOCATOR_IN_BRACES = re.compile(rf"^\s*\{{\s*(?:(?P<term>{_TERM})\s*)?(?P<value>[^{{}}]*)\}}(?P<suffix>.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class CiteItem:
    key: str
    prefix: str = ""
    locator_label: str | None = None  # a CSL locator label ("page", "chapter", ...)
    locator: str | None = None  # "3-5"
    suffix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    items: tuple[CiteItem, ...]
    in_text: bool = False  # `@a` written in running text: "Doe (1999)"


_TEX_DASH = re.compile(r"-{2,3}")


_GLUED_BRACES = re.compile(r"^\{(?P<value>[^{}]*)\}(?P<suffix>.*)$", re.DOTALL)
_WITHOUT_COMMA = re.compile(rf"^\s+(?={_TERM_AHEAD})")


def _locator(rest: str) -> tuple[str | None, str | None, str]:
    """`, pp. 3-5 and passim` -> ("page", "3-5", " and passim"). A bare number is a page, as in Pandoc.
    As in Pandoc too: a locator in braces right after the key (`@a{ii, A, D-Z}`; `@a{}` for none,
    so that `@a{}, 99 years later` is all suffix), and a locator term without the comma (`@a p. 33`)."""
    glued = _GLUED_BRACES.match(rest)
    if glued:
        value = glued.group("value").strip()
        if not value:
            return None, None, glued.group("suffix")
        termed = _BRACED_TERM.match(value)
        label = _TERMS[termed.group("term")] if termed else "page"
        value = termed.group("value").strip() if termed else value
        return label, _TEX_DASH.sub("–", value) if "--" in value else value, glued.group("suffix")
    if not rest.startswith(","):
        if not _WITHOUT_COMMA.match(rest):
            return None, None, rest
        rest = "," + rest
    body = rest[1:]
    for pattern in (_BRACED_LOCATOR, _LOCATOR_IN_BRACES, _LOCATOR):
        match = pattern.match(body)
        if match and match.group("value").strip():
            term = match.group("term")
            if not term and pattern is _LOCATOR and not match.group("value")[0].isdigit():
                continue  # "civil war" is a suffix; only a number is a page without a term
            label = _TERMS[term] if term else "page"
            value = match.group("value").strip()
            return label, _TEX_DASH.sub("–", value) if "--" in value else value, match.group("suffix")
    return None, None, rest


def parse_item(text: str) -> CiteItem | None:
    """One `;`-separated part of a bracketed citation; None when it holds no `@key`."""
    match = _ITEM.fullmatch(text)
    if match is None:
        return None
    key = match.group("braced")[1:-1] if match.group("braced") else match.group("key")
    label, locator, suffix = _locator(match.group("rest"))
    return CiteItem(key=key, prefix=match.group("prefix").strip(), locator_label=label, locator=locator,
                    suffix=suffix.strip(),  # (`, and passim` keeps its comma: Pandoc prints it)
                    suppress_author=bool(match.group("suppress")))


# `;` separates items, but not the `;` that ends an entity (`p. 3 &amp; more`)
_SEPARATOR = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|(;)")


def _items(body: str) -> list[str]:
    parts, start = [], 0
    for found in _SEPARATOR.finditer(body):
        if found.group(1):
            parts.append(body[start:found.start()])
            start = found.end()
    parts.append(body[start:])
    return parts


def parse_bracketed(body: str) -> Citation | None:
    """The text between `[` and `]`: a citation only when every `;` part cites a key (as in Pandoc)."""
    items = []
    for part in _items(body):
        item = parse_item(part)
        if item is None:
            return None
        items.append(item)
    return Citation(tuple(items)) if items else None


def parse_in_text(key: str, suffix: str | None, suppress: bool = False) -> Citation:
    """`@a` or `@a [p. 5]` in running text (the bracket is the locator and suffix)."""
    label = locator = None
    rest = ""
    if suffix is not None:
        label, locator, rest = _locator("," + suffix.strip())
        if locator is None:
            rest = suffix.strip()
    rest = rest.strip()
    item = CiteItem(key=key, locator_label=label, locator=locator, suffix=rest, suppress_author=suppress)
    return Citation((item,), in_text=not suppress)


# For the inline processors: a bracketed citation (not a link, `[...](`, `[...][`, nor a footnote
# `[^`), and an in-text key not inside a word (so e-mail addresses stay text) and not escaped.
# (`[@key]: text` mid-line is a citation and a colon; a reference definition `[id]: url` at a
# line's start is taken by Markdown before inline patterns run.)
# A suffix may hold brackets of its own, one level (`[@a, p. 3 [emphasis added]]`), as in Pandoc.
BRACKETED = rf"\[(?!\^)(?P<body>[^\[\]]*?{NOT_AFTER}-?@(?:[^\[\]]|\[[^\[\]@]*\])*)\](?!\(|\[(?!\^))"
IN_TEXT = (rf"{NOT_AFTER}(?P<suppress>-?)@(?:(?P<braced>{BRACED_KEY})|(?P<key>{KEY}))"
           r"(?:(?:[ ]|[ ]?\n)?\[(?!\^)(?P<suffix>[^\[\]@]*)\](?![(\[]))?"  # (its bracket may be on the next line)
           r"(?![^\[\]]*\]\()")  # not in a link's text: `[see @a](url)` is a link

_ANY_KEY = re.compile(rf"{NOT_AFTER}-?@(?:(?P<braced>{BRACED_KEY})|(?P<key>{KEY}))")


def cited_keys(markdown: str) -> tuple[str, ...]:
    """Every key a page's Markdown may cite, each once, in order: what a site that only cites must
    know before any page is rendered. A superset (a key in code, say) only costs a page."""
    if "@" not in markdown:
        return ()
    keys = (m.group("braced")[1:-1] if m.group("braced") else m.group("key") for m in _ANY_KEY.finditer(markdown))
    return tuple(dict.fromkeys(keys))
