"""The paper model: what every reader produces and every renderer consumes.

Frozen dataclasses only, so stages can share objects without defensive copies and so
that a Paper can be hashed and cached by content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: a file and its 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A message about an input, always pointing at a file and 1-based line."""

    file: str
    line: int
    severity: Severity
    message: str
    column: int | None = None
    code: str = ""  # a stable name for the kind of problem, for `diagnostics:` levels

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class Record:
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


@dataclass(frozen=True, slots=True)
class TopicCount:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Listing:
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
class Override:
    """A user's fix for one paper, found by citation key, arXiv id or exact title."""

    target: str
    values: tuple[tuple[str, object], ...]
    source: SourceRef


@dataclass(frozen=True, slots=True)
class SourceResult:
    """What reading one file gave: records, listing facts and diagnostics."""

    file: str
    format: str | None
    records: tuple[Record, ...]
    diagnostics: tuple[Diagnostic, ...]
    listing: Listing | None = None
    detected: int = 0  # records the reader saw, whether read or reported
    content_hash: str = ""
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True, slots=True)
class Paper:
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

    @property
    def text(self) -> str:
        """The searchable text of the paper: title, summary and abstract."""
        return " ".join(t for t in (self.title, self.summary, self.abstract) if t)
