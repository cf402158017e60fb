"""Records of the same paper merged into one Paper, on strong identity only.

Two records are one paper when they share a DOI or an arXiv id, or, when they come from
different files (or from one listing, which may repeat a paper), the same normalised title
with no disagreement on arXiv id, DOI, year or first author where both know them. Two
entries of one .bib file never merge on their title alone (the volumes of a multi-volume
book, every "Editorial" of a journal). Every .bib entry merged into a paper stays on it
(Paper.bib), so every key a user wrote stays citable.

Hash lookups only: each record is placed in O(1), so a corpus of 100k papers merges in
linear time. Each field keeps its best value; every record's file:line is kept.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from typing import Any, TypeVar

from .makers import make_paper
from .memo import Recall, Same, make_now, recall_each
from .model import Diagnostic, Paper, Record, Severity, SourceRef, SourceResult
from .sources.base import short_name_of
from .text import normalize_title, title_is_identity

# Which source is trusted first for a field (a user's .bib beats a scraped page).
SOURCE_PRIORITY = {"bibtex": 0, "notes-page": 1, "arxiv-listing": 2, "hf-daily": 3, "hf-search": 4}
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`]+")
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")
_CODE_HOST = re.compile("|".join(map(re.escape, _CODE_HOSTS)))  # `any(host in url ...)`, one search
# A summary that opens with a method name: "CurvSeg addresses ...", "DHVAE explicitly ...".
# Unambiguous quantifiers (the same names as `[A-Z][A-Za-z0-9]*(?:[A-Z0-9][A-Za-z0-9]*)+`), so that a
# long word ending in `_` backtracks in linear time, not exponential.
_LEADING_NAME = re.compile(r"^(?:The\s+)?([A-Z][a-z]*[A-Z0-9][A-Za-z0-9]*|[A-Z]{3}[A-Za-z0-9\-]*)\b")
_NOT_NAMES = {"This", "The", "These", "We", "In", "To", "For", "Our", "Existing", "Recent", "SOTA"}
# Papers of one title looked at for a record of that title: a journal's hundred "Editorial"s
# cost a few comparisons each, not one per earlier Editorial (linear, not quadratic).
MAX_TITLE_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Merged:
    papers: tuple[Paper, ...]
    diagnostics: tuple[Diagnostic, ...]
    built: int = 0  # papers made from their records (not taken from the memo): the measure of the work
    merges: tuple[tuple[SourceRef, SourceRef, str], ...] = ()  # (first record, merged record, why)
    comparisons: int = 0  # records compared with a paper of the same title: a measure of the work


def title_id(title: str) -> str:
    return "title:" + normalize_title(title)[:80]


def _first_author(record: Record) -> str | None:
    """The first author's surname, folded, for telling papers of one title apart."""
    named = next((a for a in record.authors if a != "others"), None)
    if not named:
        return None
    last = named.split(",")[0] if "," in named else (named.split() or [""])[-1]
    return normalize_title(last) or None


def _known_year(record: Record) -> int | None:
    """A year the source states (a .bib's, or a full date's), not one a source's `year:` option gave."""
    if record.format == "bibtex" or (record.date and not record.date.startswith("--")):
        return record.year
    return None


@dataclass(slots=True)
class _Group:
    records: list[Record]
    norms: list[str]  # each record's normalize_title(title) ("" without a title), made once in merge_records
    arxiv: str | None = None
    doi: str | None = None
    year: int | None = None
    bib_files: set[str] | None = None  # the .bib files of its records
    # The first author of its records, looked up only when a record of the same title is compared
    # (the first record's that names one): most papers are never compared, so never asked.
    _author: str | None = None
    _author_seen: int = 0  # records looked at for `_author`

    @property
    def author(self) -> str | None:
        while self._author is None and self._author_seen < len(self.records):
            self._author = _first_author(self.records[self._author_seen])
            self._author_seen += 1
        return self._author

    def title_conflict(self, record: Record) -> str | None:
        """Why a record of the same title is not this paper, or None when nothing disagrees."""
        if self.arxiv and record.arxiv_id and self.arxiv != record.arxiv_id:
            return f"a different arXiv id ({record.arxiv_id} vs {self.arxiv})"
        if self.doi and record.doi and self.doi != record.doi:
            return f"a different DOI ({record.doi} vs {self.doi})"
        if record.format == "bibtex" and self.bib_files and record.source.file in self.bib_files:
            return "another entry of the same .bib file (entries of one file merge only on a DOI or arXiv id)"
        year = _known_year(record)
        if self.year and year and self.year != year:
            return f"a different year ({year} vs {self.year})"
        author = _first_author(record)
        if author and (own := self.author) and own != author:
            return "a different first author"
        return None

    def add(self, record: Record, norm: str) -> None:
        self.records.append(record)
        self.norms.append(norm)
        self.arxiv = self.arxiv or record.arxiv_id
        self.doi = self.doi or record.doi
        self.year = self.year or _known_year(record)
        if record.format == "bibtex":
            if self.bib_files is None:
                self.bib_files = set()
            self.bib_files.add(record.source.file)


def _grouped(results: Sequence[SourceResult]) -> tuple[list[_Group | Record], list[str], list[Diagnostic],
                                                      list[tuple[SourceRef, SourceRef, str]], int]:
    """The records of `results` in groups, one per paper (in the order of their first record),
    with each group's first normalised title, the merge's diagnostics, its merges and how many
    title comparisons it made. The lookups by arXiv id, DOI and title go with this call.

    A group of one record (most papers) is that record itself until another record is compared
    with it or joins it (`_group_at`): a `_Group`, its two lists and its set of .bib files were
    ~0.3 KB per paper at 100k, all alive at the merge's peak, before any paper is made."""
    infos: list[_Group | Record] = []
    norms: list[str] = []  # each group's first record's normalize_title(title), "" without a title
    by_arxiv: dict[str, int] = {}
    by_doi: dict[str, int] = {}
    by_title: dict[str, int | list[int]] = {}  # one group (most titles), else a list of them
    diagnostics: list[Diagnostic] = []
    merges: list[tuple[SourceRef, SourceRef, str]] = []
    comparisons = 0
    created = array("q")  # each paper's place: its first record's in the sources' order
    unordered = False  # a paper made after one whose first record comes later
    for place, record in _identified_first(results):
        why = ""
        gid = by_arxiv.get(record.arxiv_id) if record.arxiv_id else None
        if gid is not None:
            why = f"the same arXiv id {record.arxiv_id}"
        elif record.doi and (gid := by_doi.get(record.doi)) is not None:
            why = f"the same DOI {record.doi}"
        if gid is not None and record.title and _other_work(record.title, known := _first_record(infos[gid])):
            # One id, two works: a DOI pasted into the wrong entry, a book's DOI on each chapter
            diagnostics.append(Diagnostic(
                record.source.file, record.source.line, Severity.WARNING,
                f"{why[len('the same '):]} is that of {known.source} too, whose title is another "
                f"({known.title!r}); kept as two papers (a DOI or arXiv id given to the wrong entry, or a "
                "book's DOI on its chapters?)", code="shared-id"))
            gid, why = None, ""
        if gid is not None and record.arxiv_id and record.doi and (other := by_doi.get(record.doi)) is not None \
                and other != gid and _bridges(infos, norms, gid, other, record):
            # The record has both ids, each another paper's (a preprint's arXiv entry, a journal's
            # DOI entry, then INSPIRE's with both): the three are one paper, whatever the files' order.
            joining = {(r.source.file, r.source.line) for n in (gid, other) for r in _group_at(infos, norms, n).records}
            gid = _joined(infos, norms, min(gid, other), max(gid, other), (by_arxiv, by_doi, by_title))
            diagnostics[:] = [d for d in diagnostics if not (  # ("kept as two papers": they are one now)
                d.code == "same-title" and (d.file, d.line) in joining)]
            why = f"the same arXiv id {record.arxiv_id} and DOI {record.doi}, which joined two papers"
        norm = normalize_title(record.title) if record.title else ""
        if gid is None and title_is_identity(norm) and norm in by_title:
            same_title = by_title[norm]
            candidates = [same_title] if isinstance(same_title, int) else same_title[-MAX_TITLE_CANDIDATES:]
            conflicts = []
            fitting: list[int] = []  # papers of this title the record could be: more than one, none is chosen
            for candidate in candidates:
                comparisons += 1
                conflict = _group_at(infos, norms, candidate).title_conflict(record)
                if conflict is None:
                    fitting.append(candidate)
                else:
                    conflicts.append((candidate, conflict))
            if len(fitting) == 1:
                group = _group_at(infos, norms, fitting[0])  # what both state and agree on: only that is named
                year = bool(_known_year(record) and group.year)
                author = bool(_first_author(record) and group.author)
                gid, why = fitting[0], _SAME_TITLE[year, author]
            elif fitting:  # `Attention` of 2017 and of 2023, and one without a year or author to tell which
                named = " and ".join(str(_first_record(infos[c]).source) for c in fitting[:2])
                diagnostics.append(Diagnostic(
                    record.source.file, record.source.line, Severity.WARNING,
                    f"same title as {named}, which are {len(fitting)} papers, and nothing here tells which "
                    "this is (no year, first author, arXiv id or DOI of one of them); kept as a paper of its own "
                    "(give it one to merge it)", code="same-title"))
            else:
                reported = [(c, why_not) for c, why_not in conflicts if not why_not.startswith("another entry")]
                if reported:
                    there = _first_record(infos[reported[0][0]]).source
                    diagnostics.append(Diagnostic(
                        record.source.file, record.source.line, Severity.WARNING,
                        f"same title as {there} but {reported[0][1]}; kept as two papers", code="same-title"))
        if gid is None:
            gid = len(infos)
            infos.append(record)
            norms.append(norm)
            unordered = unordered or (bool(created) and place < created[-1])
            created.append(place)
        else:
            first = _first_record(infos[gid]).source
            merges.append((first, record.source, why))
            diagnostics.append(Diagnostic(
                record.source.file, record.source.line, Severity.INFO,
                f"duplicate of {first}; merged into one paper ({why})", code="duplicate"))
            _group_at(infos, norms, gid).add(record, norm)
        if record.arxiv_id:
            by_arxiv.setdefault(record.arxiv_id, gid)
        if record.doi:
            by_doi.setdefault(record.doi, gid)
        if title_is_identity(norm):
            same_title = by_title.setdefault(norm, gid)
            if isinstance(same_title, int):
                if same_title != gid:
                    by_title[norm] = [same_title, gid]
            elif gid not in same_title:
                same_title.append(gid)
    # The papers in the order of their first records (a paper a record read last made goes to its
    # place), without the groups a joining emptied
    joined = len(by_arxiv) + len(by_doi) and any(isinstance(info, _Group) and not info.records for info in infos)
    if joined or unordered:
        kept = sorted((n for n, info in enumerate(infos) if not (isinstance(info, _Group) and not info.records)),
                      key=created.__getitem__)
        infos[:], norms[:] = [infos[n] for n in kept], [norms[n] for n in kept]
    return infos, norms, diagnostics, merges, comparisons


def _identified_first(results: Sequence[SourceResult]) -> Iterator[tuple[int, Record]]:
    """The records in their sources' order, those a title alone identifies (no arXiv id, DOI,
    year or author: a Hugging Face search listing's) last: each is then compared with every paper
    of its title, and one that could be either of two namesakes joins neither (read first, it took
    the first namesake in, and the merge depended on the files' names)."""
    later: list[Record] = []
    places = array("q")
    place = 0
    for result in results:
        for record in result.records:
            if record.arxiv_id or record.doi or _known_year(record) or record.authors or record.organisation:
                yield place, record
            else:
                later.append(record)
                places.append(place)
            place += 1
    yield from zip(places, later, strict=True)


def _bridges(infos: list[_Group | Record], norms: list[str], gid: int, other: int, record: Record) -> bool:
    """Whether a record whose arXiv id is paper `gid`'s and whose DOI is paper `other`'s makes them
    one: neither states another id than the record's, and its title is not another work's."""
    first, second = _group_at(infos, norms, gid), _group_at(infos, norms, other)
    if (second.arxiv and second.arxiv != record.arxiv_id) or (first.doi and first.doi != record.doi):
        return False
    return not (record.title and _other_work(record.title, _first_record(infos[other])))


def _joined(infos: list[_Group | Record], norms: list[str], kept: int, gone: int,
            lookups: tuple[dict[str, int], dict[str, int], dict[str, int | list[int]]]) -> int:
    """Paper `gone`'s records moved into paper `kept`, and every lookup pointing to it pointing to
    `kept`; `gone` is left an empty group (dropped once every record has found its paper)."""
    target, source = _group_at(infos, norms, kept), _group_at(infos, norms, gone)
    for record, norm in zip(source.records, source.norms, strict=True):
        target.add(record, norm)
    infos[gone] = _Group([], [])
    by_arxiv, by_doi, by_title = lookups
    for lookup in (by_arxiv, by_doi):
        for name, gid in list(lookup.items()):
            if gid == gone:
                lookup[name] = kept
    for name, found in list(by_title.items()):
        if found == gone:
            by_title[name] = kept
        elif isinstance(found, list) and gone in found:
            moved = list(dict.fromkeys(kept if gid == gone else gid for gid in found))
            by_title[name] = moved[0] if len(moved) == 1 else moved
    return kept


_WORDS = re.compile(r"[^\W_]+")
_SMALL = frozenset({"a", "an", "the", "of", "for", "and", "on", "in", "to", "with", "via", "by", "at", "from", "is"})


def _other_work(title: str, other: Record) -> bool:
    """Whether two titles name two works: neither's words (but small ones) are all in the other
    (a short title, a subtitle added), and they share under 60% of their words (chapters of one
    book: `Neural Networks for Cats` and `... for Dogs`; a paper renamed between its preprint
    and its venue keeps most)."""
    if not other.title:
        return False
    mine = {w for w in _WORDS.findall(title.lower()) if w not in _SMALL}
    theirs = {w for w in _WORDS.findall(other.title.lower()) if w not in _SMALL}
    if not mine or not theirs or mine <= theirs or theirs <= mine:
        return False
    return len(mine & theirs) < 0.6 * len(mine | theirs)


def _group_at(infos: list[_Group | Record], norms: Sequence[str], gid: int) -> _Group:
    """The group `gid`, made a `_Group` if it was its one record alone (the same facts as a
    `_Group` that record was added to)."""
    info = infos[gid]
    if isinstance(info, _Group):
        return info
    group = _Group([], [])
    group.add(info, norms[gid])
    infos[gid] = group
    return group


def _first_record(info: _Group | Record) -> Record:
    return info.records[0] if isinstance(info, _Group) else info


# Why a record joined a paper of the same title: one string per kind, not one per merge.
_SAME_TITLE = {(year, author): "the same title" + (", year" if year else "") + (" and first author" if author else "")
               + ("" if year or author else " (nothing else to compare)")
               for year in (False, True) for author in (False, True)}


def merge_records(results: Sequence[SourceResult], recall: Recall = make_now,
                  release: Callable[[], None] | None = None, urls: bool = True) -> Merged:
    """`recall` names each paper's making by the very records it is made from (`Same`): a
    listing that was not read again gives the same record objects, so a serve process's memo
    makes again only the papers of the edited listing.

    `release`, when given, is called once every record has found its paper and before the
    papers are made: a caller that keeps no records (a one-shot run) lets go of its results'
    records there. Each paper's records are then let go as soon as that paper is made, so the
    records and the papers are never all alive at once.

    `urls=False`: the papers' `urls` are only their `url` fields' (a caller that writes none of
    the others, as the export, which writes a paper's OpenReview page or arXiv's: the links in
    their summaries, abstracts and comments are not looked for, ~1.7 µs a paper)."""
    infos, norms, diagnostics, merges, comparisons = _grouped(results)
    if release is not None:
        release()
    built = 0

    def build(info: _Group | Record, norm: str) -> Paper:
        nonlocal built
        built += 1
        if not isinstance(info, _Group):  # most papers: one record (tests/test_export_fast_paths.py: the same Paper)
            return _paper_from_record(info, norm, urls)
        if len(info.records) == 1:
            return _paper_from_record(info.records[0], info.norms[0], urls)
        return paper_from_records(info.records, info.norms, urls)

    # Each group is let go once its paper is made: the memo's key holds its records while a
    # `serve` process keeps them (its results hold them anyway); a one-shot run's go here.
    papers = list(recall_each(recall, _given_away_pairs(infos, norms), _same_records, _built(build)))
    return Merged(_unique_ids(papers), tuple(diagnostics), built, tuple(merges), comparisons)


def _given_away_pairs(infos: list[_Group | Record], norms: list[str]) -> Iterator[tuple[_Group | Record, str]]:
    """Each group with its title, as `given_away` gives items: the lists let go of each as it is
    given (not `zip`, whose reused result tuple would hold the first group to the end)."""
    infos.reverse()
    norms.reverse()
    while infos:
        yield infos.pop(), norms.pop()


def _same_records(grouped: tuple[_Group | Record, str]) -> tuple[Same[Record], ...]:
    """A group's memo key: its very records (a group of one record is that record)."""
    info = grouped[0]
    return tuple(map(Same, info.records if isinstance(info, _Group) else (info,)))


def _built(build: Callable[[_Group | Record, str], Paper]) -> Callable[[tuple[_Group | Record, str]], Paper]:
    return lambda grouped: build(*grouped)


def _unique_ids(papers: list[Paper]) -> tuple[Paper, ...]:
    """Ids are the keys of the key lock: two papers never share one (two surveys titled alike,
    long titles alike in their first 80 letters), so all but one get a numbered id, which
    replaces the shared one among their aliases: a paper that kept it matched the lock's key of
    the other, and their keys swapped from one run to the next. Papers sharing an id are
    numbered in the order of their own facts (year, date, authors, abstract), not of their
    places in the sources: a listing scraped again in another order keeps each paper's key."""
    counted: dict[str, int] = {}
    for paper in papers:
        counted[paper.id] = counted.get(paper.id, 0) + 1
    if len(counted) == len(papers):
        return tuple(papers)
    sharing: dict[str, list[int]] = {}
    for index, paper in enumerate(papers):
        if counted[paper.id] > 1:
            sharing.setdefault(paper.id, []).append(index)
    seen = set(counted)
    result = list(papers)
    for shared, indexes in sharing.items():
        ranked = sorted(indexes, key=lambda i: (papers[i].year or 0, papers[i].date or "", papers[i].authors,
                                                papers[i].abstract or "", i))
        number = 2
        for index in ranked[1:]:
            while f"{shared}~{number}" in seen:
                number += 1
            numbered = f"{shared}~{number}"
            seen.add(numbered)
            paper = papers[index]
            result[index] = replace(paper, id=numbered,
                                    aliases=(*(a for a in paper.aliases if a != shared), numbered))
    return tuple(result)


T = TypeVar("T")


def _first(values: Iterable[T | None]) -> T | None:
    """The first value that is there: not None, not empty."""
    return next((v for v in values if v is not None and v != "" and v != ()), None)


def _first_of(records: Sequence[Record], name: str) -> Any:
    """`_first(getattr(r, name) for r in records)`, without a generator per fact (a paper of
    several records asks a dozen of them: half its making)."""
    for record in records:
        value = getattr(record, name)
        if value is not None and value != "" and value != ():
            return value
    return None


def _priority(record: Record) -> int:
    return SOURCE_PRIORITY.get(record.format, 9)


_WEB_ADDRESS = re.compile(r"https?://\S+")


def bib_links(fields: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A .bib entry's own links: its `url` (a publisher's or an author's page; an arXiv address
    is the arXiv link already), else the address a `howpublished` gives (`\\url{...}` of a
    dataset, a program), and a `pdf` that is an address on the web (JabRef's and BibDesk's
    `pdf` is mostly a file on your disk: never linked)."""
    links: list[tuple[str, str]] = []
    url, howpublished = fields.get("url"), (fields.get("howpublished") or "").strip()
    if url and "arxiv.org" not in url:
        links.append(("web", url))
    elif not url and (address := _WEB_ADDRESS.search(howpublished)) and "arxiv.org" not in address.group(0):
        # (`\url{...}`, `Available at \url{...}.`, `\href{...}{text}`: the address, not the sentence's mark)
        links.append(("web", address.group(0).rstrip(".,;:)]}'\"")))
    pdf = (fields.get("pdf") or "").strip()
    if _WEB_ADDRESS.fullmatch(pdf):
        links.append(("pdf", pdf))
    return tuple(links)


def find_urls(*texts: str | None) -> tuple[tuple[str, str], ...]:
    """(kind, url) pairs found in free text: `code` for code hosts, else `project`."""
    found: dict[str, str] = {}
    for text in texts:
        if not text:
            continue
        start = text.find("http")
        if start < 0:
            continue
        for url in _URL.findall(text, start):  # (every URL starts with `http`: none before the first)
            again = url.find("://", 8)  # `https://a/https://a`: a LaTeX link's target and text, its brace dropped
            if again > 0:
                url = url[:url.rfind("http", 0, again)] or url
            url = url.rstrip(".,;:)]}>")
            if "arxiv.org" in url:
                continue
            if url not in found:  # (one string per URL: listings name a project's page on many papers)
                found[sys.intern(url)] = "code" if _CODE_HOST.search(url) else "project"
    return tuple((kind, url) for url, kind in found.items())


def guess_short_name(title: str | None, summary: str | None) -> str | None:
    """The acronym of a title (`CLUTCH: ...`), else the method name a summary opens with."""
    if title:
        name = short_name_of(title)
        if name:
            return name
    if summary:
        match = _LEADING_NAME.match(summary)
        if match and match.group(1) not in _NOT_NAMES:
            return match.group(1)
    return None


def paper_from_records(records: list[Record], norms: Sequence[str] | None = None, urls_in_texts: bool = True) -> Paper:
    """The paper of `records` (`norms`: their normalised titles, when the caller has them;
    `urls_in_texts=False`: no URLs looked for in its texts, see merge_records)."""
    if norms is None:
        norms = [normalize_title(r.title) if r.title else "" for r in records]
    ranked = sorted(records, key=_priority)
    title = _first_of(ranked, "title")
    # The longest abstract (the others are cut short by the page they came from), unless the user's
    # own .bib gives another one: then that one, which is no cut copy of the longest.
    abstracts = [r.abstract for r in records if r.abstract]
    abstract = max(abstracts, key=len) if abstracts else None
    own = _first(r.abstract for r in records if r.format == "bibtex")
    if own is not None and abstract is not None and not abstract.startswith(own.rstrip(" .…")):
        abstract = own
    summary = _first_of(ranked, "summary")
    authors = _first_of(ranked, "authors") or ()
    count = len(authors) - authors.count("others") if authors else _first_of(ranked, "author_count")
    full_dates = [r for r in ranked if r.date and not r.date.startswith("--")]
    dated = full_dates[0] if full_dates else next((r for r in ranked if r.date), None)
    arxiv = _first_of(ranked, "arxiv_id")
    versions = [r.arxiv_version for r in records if r.arxiv_version]
    fields: dict[str, str] = {}
    for record in ranked:
        for name, value in record.fields:
            fields.setdefault(name, value)
    comment = _first_of(ranked, "comment")
    urls = find_urls(summary, abstract, comment) if urls_in_texts else ()
    urls = bib_links(fields) + urls
    topics = tuple(dict.fromkeys(t for r in records for t in r.topics))
    aliases = [f"arxiv:{r.arxiv_id}" for r in records if r.arxiv_id]
    aliases += ["title:" + norm[:80] for r, norm in zip(records, norms, strict=True)
                if r.title and title_is_identity(norm)]
    user_key = _first_of(ranked, "key")
    bib = sorted((r.bib for r in ranked if r.bib is not None), key=lambda entry: entry.key != user_key)
    doi = _first_of(ranked, "doi")
    aliases += [f"bib:{entry.source.file}:{entry.key}" for entry in bib if entry.key]
    if arxiv:
        paper_id = f"arxiv:{arxiv}"
    elif title and title_is_identity(title_norm := normalize_title(str(title))):
        paper_id = "title:" + title_norm[:80]
    else:
        first = records[0].source
        paper_id = f"source:{first.file}:{first.line}"
        aliases.append(paper_id)
        aliases += _text_aliases(abstract or summary)
    paper_id = next((alias for alias in aliases if alias == paper_id), paper_id)  # one string, not two equal ones
    return make_paper(  # (by position: _PAPER_ORDER)
        paper_id, title, "", guess_short_name(title, summary), abstract, summary, authors, count,
        _first_of(ranked, "organisation"), dated.date if dated else None, _first_of(ranked, "year"),
        _first_of(ranked, "updated"), _first_of(ranked, "venue"), arxiv, max(versions) if versions else None,
        comment, _first_of(ranked, "entry_type"), user_key, tuple(sorted(fields.items())), urls, topics,
        _first_of(ranked, "notes"), tuple(r.source for r in records), tuple(dict.fromkeys(aliases)), doi, tuple(bib))


def _there(value: T | None) -> T | None:
    """The value when it is there (what `_first` takes): not None, not empty."""
    return value if value is not None and value != "" and value != () else None


# Paper's fields in their order: _paper_from_record passes them by position (by name, 27
# keywords cost a Paper more than half again its making). A change of Paper's fields stops the import.
_PAPER_ORDER = (
    "id", "title", "key", "short_name", "abstract", "summary", "authors", "author_count", "organisation", "date",
    "year", "updated", "venue", "arxiv_id", "arxiv_version", "comment", "entry_type", "user_key", "fields", "urls",
    "topics", "notes", "provenance", "aliases", "doi", "bib")
if tuple(f.name for f in dataclass_fields(Paper)) != _PAPER_ORDER:  # pragma: no cover (a guard for model.py's edits)
    raise ImportError("corpus._PAPER_ORDER is not Paper's order of fields: update _paper_from_record")


def _text_aliases(text: str | None) -> list[str]:
    """A paper with neither title nor arXiv id is known by its place (`source:FILE:LINE`), which a
    line added above it changes; its abstract's start is known as well, so that its key (pinned in
    the lock to all its ids) stays when the listing gains lines."""
    norm = normalize_title(text)[:80] if text else ""
    return [f"text:{norm}"] if title_is_identity(norm) else []


def _paper_from_record(record: Record, norm: str, urls_in_texts: bool = True) -> Paper:
    """paper_from_records([record]), written out for one record (`norm`: its normalised title):
    the same Paper, without ranking, `_first` over one value, or normalising the title again.
    (A text or tuple that is not there is falsy: `x or None` is `_there(x)` for them, not for
    a number, where 0 is there.)"""
    title = record.title or None
    abstract = record.abstract or None
    summary = record.summary or None
    authors = record.authors
    count = len(authors) - authors.count("others") if authors else _there(record.author_count)
    if record.fields:
        fields_by_name: dict[str, str] = {}
        for name, value in record.fields:
            fields_by_name.setdefault(name, value)
        extra = tuple(sorted(fields_by_name.items()))
    else:
        extra = ()
    comment = record.comment or None
    urls = find_urls(summary, abstract, comment) if urls_in_texts and (summary or abstract or comment) else ()
    if extra:
        urls = bib_links(fields_by_name) + urls
    arxiv = record.arxiv_id or None
    aliases = [f"arxiv:{arxiv}"] if arxiv else []
    long_title = title_is_identity(norm)
    if title and long_title:
        aliases.append("title:" + norm[:80])
    entry = record.bib
    if entry is not None and entry.key:
        aliases.append(f"bib:{entry.source.file}:{entry.key}")
    # The id is the very string of its equal alias (one string per paper, not two equal ones).
    if arxiv or (title and long_title):
        paper_id = aliases[0]  # arXiv's alias first, else the title's
    else:
        paper_id = f"source:{record.source.file}:{record.source.line}"
        aliases.append(paper_id)
        aliases += _text_aliases(record.abstract or record.summary)
    topics = record.topics
    return make_paper(
        paper_id, title, "", guess_short_name(title, summary) if title or summary else None, abstract, summary,
        authors or (), count, record.organisation or None, record.date or None, _there(record.year),
        record.updated or None, record.venue or None, arxiv, record.arxiv_version or None, comment,
        record.entry_type or None, record.key or None, extra, urls,
        tuple(dict.fromkeys(topics)) if topics else (), record.notes or None, (record.source,),
        tuple(dict.fromkeys(aliases)) if len(aliases) > 1 else tuple(aliases), record.doi or None,
        (entry,) if entry is not None else ())
