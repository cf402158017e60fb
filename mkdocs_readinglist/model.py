"""The paper model: what every reader produces and every renderer consumes.

Frozen dataclasses only, so stages can share objects without defensive copies and so
that a Paper can be hashed and cached by content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class _Pickled:
    """Pickled as its class and its fields' values, in order (read back through the class's own
    `__init__`): the source and corpus stores load thousands of these, and the generic way for
    slotted dataclasses (a `__setstate__` that walks `fields()` for each object) took most of a
    cite-only build's load time."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
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


@dataclass(frozen=True, slots=True)
class BibEntry(_Pickled):
    """An entry of a user's .bib exactly as written: the record the export writes back.

    `fields` keeps every field in its order, each value as written (its braces or quotes,
    `@string` names and `#` concatenations left as they are); `repairs` names the fields whose
    text would stop LaTeX, with the Unicode text the export encodes instead (each repair was
    reported at its line when the file was read). `blocks` are the file's `@string`,
    `@preamble` and `@comment` blocks as (kind, name, raw value), shared by its entries."""

    entry_type: str  # as written: `Article`, `mvbook`, `webpage`
    key: str  # as written; "" when the key was unusable (the paper then gets a new key)
    fields: tuple[tuple[str, str], ...]
    source: SourceRef
    repairs: tuple[tuple[str, str], ...] = ()
    blocks: tuple[tuple[str, str, str], ...] = ()
    left_out: tuple[str, ...] = ()  # fields (lower case) the export leaves out, each reported: a dangling crossref

    def field(self, name: str) -> str | None:
        """The raw value of a field, by its name in any case."""
        wanted = name.lower()
        return next((value for key, value in self.fields if key.lower() == wanted), None)


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


@dataclass(frozen=True, slots=True)
class Paper(_Pickled):
    """One paper of the corpus, merged from every record of it."""

    id: str
    title: str | None
    key: str = ""
    short_name: str | None = None
    abstract: str | None = None
    summary: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    organisation: str | None = None
    date: str | None = None
    year: int | None = None
    updated: str | None = None
    venue: str | None = None
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    comment: str | None = None
    entry_type: str | None = None
    user_key: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    urls: tuple[tuple[str, str], ...] = ()  # (kind, url): project, code, arxiv, ...
    topics: tuple[str, ...] = ()
    notes: str | None = None
    provenance: tuple[SourceRef, ...] = field(default_factory=tuple)
    aliases: tuple[str, ...] = ()  # every id this paper is known by (for the key lock)
    doi: str | None = None
    # Every .bib entry merged into this paper, the one whose key the paper has first: each is
    # exported under its own key, so every key a user wrote stays citable.
    bib: tuple[BibEntry, ...] = ()

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
