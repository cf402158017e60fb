"""The paper model: what every reader produces and every renderer consumes.

Frozen dataclasses only, so stages can share objects without defensive copies and so
that a Paper can be hashed and cached by content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from enum import Enum
from itertools import chain
from sys import intern
from typing import TYPE_CHECKING


class _Pickled:
    """Pickled as its class and its fields' values, in order (read back through the class's own
    `__init__`): the source and corpus stores load thousands of these, and the generic way for
    slotted dataclasses (a `__setstate__` that walks `fields()` for each object) took most of a
    cite-only build's load time."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        names: tuple[str, ...] = type(self).__slots__  # the dataclass's fields, in order
        return type(self), tuple(getattr(self, name) for name in names)


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class SourceRef(_Pickled):
    """Where a record came from: a file and its 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Diagnostic(_Pickled):
    """A message about an input, always pointing at a file and 1-based line."""

    file: str
    line: int
    severity: Severity
    message: str
    code: str  # a stable name for the kind of problem (mkdocs_readinglist.diagnostics), for `diagnostics:` levels
    column: int | None = None

    def format(self) -> str:
        """`FILE:LINE[:COL]: warning[code]: message`."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.severity.value}[{self.code}]: {self.message}"


_SHORT_VALUE = 24  # a .bib value no longer than this is interned (see BibEntry)


@dataclass(frozen=True, init=False)
class BibEntry(_Pickled):
    """An entry of a user's .bib exactly as written: the record the export writes back.

    `fields` keeps every field in its order, each value as written (its braces or quotes,
    `@string` names and `#` concatenations left as they are); `repairs` names the fields whose
    text would stop LaTeX, with the Unicode text the export encodes instead (each repair was
    reported at its line when the file was read). `blocks` are the file's `@string`,
    `@preamble` and `@comment` blocks as (kind, name, raw value), shared by its entries.

    How it is held (`fields` gives the pairs as written, whatever the holding):
    - the fields as one flat tuple (name, value, name, value, ...): a tuple per field took 56
      bytes each, ~80 bytes per paper of a corpus whose every sixth paper is a .bib entry;
    - a value written as `{TEXT}` where TEXT is the very text the reader decoded from it (given
      as `texts`: a title or an abstract without LaTeX), as that decoded string, which the
      paper holds anyway, with its bit set in `_braced`: the abstract held once, not twice;
    - a short value (`{2025}`, `{arXiv}`, `jan`) as one string for every entry giving it."""

    __slots__ = ("_braced", "_flat", "blocks", "entry_type", "key", "left_out", "repairs", "source")

    entry_type: str  # as written: `Article`, `mvbook`, `webpage`
    key: str  # as written; "" when the key was unusable (the paper then gets a new key)
    fields: tuple[tuple[str, str], ...]
    source: SourceRef
    repairs: tuple[tuple[str, str], ...]
    blocks: tuple[tuple[str, str, str], ...]
    left_out: tuple[str, ...]  # fields (lower case) the export leaves out, each reported: a dangling crossref
    if TYPE_CHECKING:  # held, not fields of the dataclass
        _flat: tuple[str, ...]
        _braced: int  # bit n: field n is written `{` + its held value + `}`

    def __init__(self, entry_type: str, key: str, fields: Iterable[tuple[str, str]], source: SourceRef,
                 repairs: tuple[tuple[str, str], ...] = (), blocks: tuple[tuple[str, str, str], ...] = (),
                 left_out: tuple[str, ...] = (), *, texts: Iterable[tuple[str, str | None]] = ()) -> None:
        put = object.__setattr__
        put(self, "entry_type", entry_type)
        put(self, "key", key)
        decoded = {name: text for name, text in texts if text}
        braced = 0
        if decoded:
            flat: list[str] = []
            for number, (name, value) in enumerate(fields):
                flat.append(name)
                text = decoded.get(name.lower())
                if text is not None and len(value) == len(text) + 2 and value[0] == "{" and value[-1] == "}" \
                        and value.startswith(text, 1):
                    flat.append(text)
                    braced |= 1 << number
                else:
                    flat.append(value if len(value) > _SHORT_VALUE else intern(value))
        else:
            flat = [text if len(text) > _SHORT_VALUE else intern(text) for text in chain.from_iterable(fields)]
        put(self, "_flat", tuple(flat))
        put(self, "_braced", braced)
        put(self, "source", source)
        put(self, "repairs", repairs)
        put(self, "blocks", blocks)
        put(self, "left_out", left_out)

    def __reduce__(self) -> tuple[Callable[..., BibEntry], tuple[object, ...]]:
        return _bib_entry, (self.entry_type, self.key, self._flat, self._braced, self.source, self.repairs,
                            self.blocks, self.left_out)

    def field_names(self) -> tuple[str, ...]:
        """The fields' names, in order."""
        return self._flat[::2]

    def field(self, name: str) -> str | None:
        """The raw value of a field, by its name in any case."""
        wanted = name.lower()
        flat = self._flat
        for n in range(0, len(flat), 2):
            if flat[n].lower() == wanted:
                return "{" + flat[n + 1] + "}" if self._braced >> (n // 2) & 1 else flat[n + 1]
        return None


def _bib_fields(entry: BibEntry) -> tuple[tuple[str, str], ...]:
    flat = entry._flat
    braced = entry._braced
    if not braced:
        return tuple(zip(flat[::2], flat[1::2], strict=True))
    return tuple((flat[n], "{" + flat[n + 1] + "}" if braced >> (n // 2) & 1 else flat[n + 1])
                 for n in range(0, len(flat), 2))


BibEntry.fields = property(_bib_fields, doc="(name, raw value) of every field, in order")  # type: ignore[assignment, misc]


def _bib_entry(entry_type: str, key: str, flat: tuple[str, ...], braced: int, source: SourceRef,
               repairs: tuple[tuple[str, str], ...], blocks: tuple[tuple[str, str, str], ...],
               left_out: tuple[str, ...]) -> BibEntry:
    """A BibEntry back from its pickle (held as it was)."""
    entry = BibEntry.__new__(BibEntry)
    put = object.__setattr__
    put(entry, "entry_type", entry_type)
    put(entry, "key", key)
    put(entry, "_flat", flat)
    put(entry, "_braced", braced)
    put(entry, "source", source)
    put(entry, "repairs", repairs)
    put(entry, "blocks", blocks)
    put(entry, "left_out", left_out)
    return entry


@dataclass(frozen=True, slots=True)
class Record(_Pickled):
    """One paper as one source saw it. Missing facts stay None: never invented."""

    source: SourceRef
    format: str
    title: str | None = None
    abstract: str | None = None
    summary: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    organisation: str | None = None
    date: str | None = None  # ISO "YYYY-MM-DD", or "--MM-DD" when the year is unknown
    year: int | None = None
    updated: str | None = None
    venue: str | None = None
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    comment: str | None = None
    key: str | None = None  # a key the user wrote (in a .bib): kept as it is
    entry_type: str | None = None
    fields: tuple[tuple[str, str], ...] = ()  # further BibTeX fields, already LaTeX
    topics: tuple[str, ...] = ()
    notes: str | None = None
    doi: str | None = None  # lower-cased, without a resolver prefix: an identity, like arxiv_id
    bib: BibEntry | None = None  # the whole entry, when the record comes from a .bib


@dataclass(frozen=True, slots=True)
class TopicCount(_Pickled):
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Listing(_Pickled):
    """Facts a listing states about itself (the notes page's header, a page date)."""

    file: str
    format: str
    area: str | None = None
    venue: str | None = None
    year: int | None = None
    declared_count: int | None = None
    header_topics: tuple[TopicCount, ...] = ()
    other_venues: tuple[TopicCount, ...] = ()
    page_date: str | None = None


@dataclass(frozen=True, slots=True)
class Override(_Pickled):
    """A user's fix for one paper, found by citation key, arXiv id or exact title."""

    target: str
    values: tuple[tuple[str, object], ...]
    source: SourceRef


@dataclass(frozen=True, slots=True)
class SourceResult(_Pickled):
    """What reading one file gave: records, listing facts and diagnostics."""

    file: str
    format: str | None
    records: tuple[Record, ...]
    diagnostics: tuple[Diagnostic, ...]
    listing: Listing | None = None
    detected: int = 0  # records the reader saw, whether read or reported
    content_hash: str = ""
    overrides: tuple[Override, ...] = ()
    # A .bib file's part of the one database BibTeX reads for `\\bibliography{a,b}`: its
    # `@string` definitions (name, raw value), and the names and crossref targets its entries
    # use that it lacks (lower case, with the line of the first use), for another file to give.
    strings: tuple[tuple[str, str], ...] = ()
    wanted_strings: tuple[tuple[str, int], ...] = ()
    wanted_parents: tuple[tuple[str, int], ...] = ()  # crossref targets (lower case) no entry of the file has


# Paper's fields that nearly every paper leaves empty (most come only with a user's .bib entry):
# held together in one tuple per paper (`Paper._rare`), the same empty tuple for every paper that
# has none of them, instead of a slot each (11 slots: 88 bytes of every paper, and at 100k
# papers the objects made to hold them).
_RARE = ("authors", "organisation", "updated", "arxiv_version", "comment", "entry_type", "user_key", "fields",
         "notes", "doi", "bib")
_NO_RARE: tuple[object, ...] = ((), None, None, None, None, None, None, (), None, None, ())


# One int object per year (an int above 256 is an object of its own: each paper made its year).
_YEARS: dict[int, int] = {year: year for year in range(1000, 2200)}


@dataclass(frozen=True, init=False)
class Paper(_Pickled):
    """One paper of the corpus, merged from every record of it.

    Its fields are those of a frozen dataclass (`dataclasses.fields`, `replace`, equality and
    hashing see all of them, in this order); the rarely set ones (`_RARE`) are read through
    properties from one shared tuple."""

    __slots__ = ("_provenance", "_rare", "abstract", "aliases", "arxiv_id", "author_count", "date", "id", "key",
                 "short_name", "summary", "title", "topics", "urls", "venue", "year")

    id: str
    title: str | None
    key: str
    short_name: str | None
    abstract: str | None
    summary: str | None
    authors: tuple[str, ...]
    author_count: int | None
    organisation: str | None
    date: str | None
    year: int | None
    updated: str | None
    venue: str | None
    arxiv_id: str | None
    arxiv_version: int | None
    comment: str | None
    entry_type: str | None
    user_key: str | None
    fields: tuple[tuple[str, str], ...]
    urls: tuple[tuple[str, str], ...]  # (kind, url): project, code, arxiv, ...
    topics: tuple[str, ...]
    notes: str | None
    provenance: tuple[SourceRef, ...]
    aliases: tuple[str, ...]  # every id this paper is known by (for the key lock)
    doi: str | None
    # Every .bib entry merged into this paper, the one whose key the paper has first: each is
    # exported under its own key, so every key a user wrote stays citable.
    bib: tuple[BibEntry, ...]

    def __init__(self, id: str, title: str | None, key: str = "", short_name: str | None = None,
                 abstract: str | None = None, summary: str | None = None, authors: tuple[str, ...] = (),
                 author_count: int | None = None, organisation: str | None = None, date: str | None = None,
                 year: int | None = None, updated: str | None = None, venue: str | None = None,
                 arxiv_id: str | None = None, arxiv_version: int | None = None, comment: str | None = None,
                 entry_type: str | None = None, user_key: str | None = None,
                 fields: tuple[tuple[str, str], ...] = (), urls: tuple[tuple[str, str], ...] = (),
                 topics: tuple[str, ...] = (), notes: str | None = None, provenance: tuple[SourceRef, ...] = (),
                 aliases: tuple[str, ...] = (), doi: str | None = None, bib: tuple[BibEntry, ...] = ()) -> None:
        put = object.__setattr__
        put(self, "id", id)
        put(self, "title", title)
        put(self, "key", key)
        put(self, "short_name", short_name)
        put(self, "abstract", abstract)
        put(self, "summary", summary)
        put(self, "author_count", author_count)
        put(self, "date", intern(date) if date else date)  # one string per date, not one per paper
        put(self, "year", _YEARS.get(year, year))  # type: ignore[arg-type]  # (one int per year)
        put(self, "venue", venue)
        put(self, "arxiv_id", arxiv_id)
        put(self, "urls", urls)
        put(self, "topics", topics)
        # Most papers come from one record: its place, without a tuple around it.
        put(self, "_provenance", provenance[0] if len(provenance) == 1 else provenance)
        put(self, "aliases", aliases)
        if (not authors and organisation is None and updated is None and arxiv_version is None and comment is None
                and entry_type is None and user_key is None and not fields and notes is None and doi is None
                and not bib):
            put(self, "_rare", _NO_RARE)
        else:
            put(self, "_rare", (authors, organisation, updated, arxiv_version, comment, entry_type, user_key, fields,
                                notes, doi, bib))

    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        return type(self), tuple(getattr(self, name) for name in PAPER_FIELDS)

    @property
    def cite_keys(self) -> tuple[str, ...]:
        """Every key this paper answers to: its own and those of the .bib entries merged into it."""
        return tuple(dict.fromkeys([self.key, *(entry.key for entry in self.bib if entry.key)]))

    @property
    def alias_keys(self) -> tuple[str, ...]:
        """The keys biblatex's `ids` field gives the paper's .bib entries (a key the entry had
        before: `\\cite{zhang2023diffusion}` still finds it with biber), but its own keys. A
        citation finds the paper by one unless it is another paper's own key."""
        found: list[str] = []
        for entry in self.bib:
            ids = entry.field("ids")
            if ids:
                found.extend(key.strip() for key in ids.strip().strip('{}"').split(",") if key.strip())
        if not found:
            return ()
        own = {key.lower() for key in self.cite_keys}
        return tuple(key for key in dict.fromkeys(found) if key.lower() not in own)

    @property
    def text(self) -> str:
        """The searchable text of the paper: title, summary and abstract."""
        return " ".join(t for t in (self.title, self.summary, self.abstract) if t)


PAPER_FIELDS = tuple(f.name for f in dataclass_fields(Paper))


def _rare_field(number: int) -> property:
    return property(lambda paper: paper._rare[number], doc=f"Paper.{_RARE[number]} (held in Paper._rare)")


for _number, _name in enumerate(_RARE):
    setattr(Paper, _name, _rare_field(_number))


def _provenance(paper: Paper) -> tuple[SourceRef, ...]:
    held = paper._provenance  # type: ignore[attr-defined]
    return (held,) if type(held) is SourceRef else held  # type: ignore[no-any-return]


Paper.provenance = property(_provenance, doc="where each of the paper's records came from")  # type: ignore[assignment, misc]
