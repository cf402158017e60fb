"""`resolved.yml`: facts `readinglist resolve` found online, read and applied in every build.

The file sits beside the key lock and is reviewed in git like it. Per paper (by its id) it keeps
each accepted match (service, the service's id, the query, the match score, the date, the facts),
the candidates left pending for review (never applied) and the services that found nothing. This
module never touches the network: only `mkdocs_readinglist.resolve` does, and it writes the file.

Precedence: the user's overrides, then resolved facts, then scraped ones. Resolved facts fill what
the sources lack and never remove anything: a listing's venue, year and title stay; a user's
.bib entry keeps every field it has. The overrides file can pin a match (`arxiv_id:`) or reject
one (`reject: arxiv`, `reject: arxiv:2501.01234`, `reject: all`).
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import yaml

from ..corpus import guess_short_name, title_id
from ..memo import Recall, Same, make_now
from ..model import Diagnostic, Override, Paper, Severity
from ..sources.arxiv_listing import parse_arxiv_id
from ..venues import venue_and_year

FILE_NAME = "resolved.yml"
HEADER = (
    "# Facts found online by `readinglist resolve`, applied in every build (no network call).\n"
    "# Review changes in git. Precedence: overrides > resolved > scraped. To pin a match, set\n"
    "# `arxiv_id:` for the paper in the overrides file; to reject one, `reject: SERVICE` (or\n"
    "# SERVICE:ID, or all). `pending:` candidates are NOT applied: copy a fact into the overrides\n"
    "# file to accept one, or run `readinglist resolve --refresh`.\n"
)
# Which service's value wins when several found the same fact.
SERVICE_ORDER = ("arxiv", "openreview", "dblp", "semantic_scholar", "crossref", "huggingface")
URL_FACTS = ("openreview", "code", "project", "pdf")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser and emitter when PyYAML has them
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_VENUE_WORDS_THAT_ARE_NOT_VENUES = ("arxiv", "corr", "biorxiv", "medrxiv", "ssrn", "preprint")


@dataclass(frozen=True, slots=True)
class Match:
    service: str
    service_id: str
    query: str
    score: float
    date: str
    facts: tuple[tuple[str, object], ...]


@dataclass(frozen=True, slots=True)
class PendingCandidate:
    service: str
    service_id: str
    title: str
    query: str
    score: float
    date: str
    reason: str
    facts: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Resolved:
    """Everything resolve learnt about one paper."""

    paper_id: str
    title: str = ""
    found: tuple[Match, ...] = ()
    pending: tuple[PendingCandidate, ...] = ()
    not_found: tuple[str, ...] = ()  # services asked that had nothing
    line: int = 0  # where the entry starts in resolved.yml (0 when made in memory)

    def asked(self) -> set[str]:
        return {m.service for m in self.found} | {p.service for p in self.pending} | set(self.not_found)


@dataclass
class Resolution:
    path: Path
    papers: dict[str, Resolved] = field(default_factory=dict)
    display: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def resolution_path(lock_path: Path) -> Path:
    return lock_path.parent / FILE_NAME


def is_not_a_venue(venue: str) -> bool:
    lowered = venue.lower()
    return any(word in lowered for word in _VENUE_WORDS_THAT_ARE_NOT_VENUES)


# -- reading ---------------------------------------------------------------------------------------

def _facts(raw: object) -> tuple[tuple[str, object], ...]:
    return tuple(sorted((str(k), v) for k, v in raw.items())) if isinstance(raw, dict) else ()


def _float(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return 0.0


def read_resolution(path: Path, display: str | None = None) -> Resolution:
    """The file's entries; a damaged file or entry is a diagnostic (naming the file as `display`),
    never a crash or a guess."""
    resolution = Resolution(path, display=display or str(path))
    if not path.is_file():
        return resolution
    shown = resolution.display
    loader: yaml.SafeLoader | None = None
    try:
        loader = _LOADER(path.read_text(encoding="utf-8"))
        root = loader.get_single_node()
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        resolution.diagnostics.append(Diagnostic(shown, mark.line + 1 if mark else 1, Severity.ERROR,
                                                 f"cannot read the resolution file: {exc}; no resolved fact "
                                                 "applied", code="resolved-file"))
        return resolution
    if root is None:
        return resolution
    papers = next((v for k, v in root.value if k.value == "papers"), None) \
        if isinstance(root, yaml.MappingNode) else None
    if not isinstance(papers, yaml.MappingNode):
        resolution.diagnostics.append(Diagnostic(shown, 1, Severity.ERROR, "the resolution file must map "
                                                 "`papers:` to entries; no resolved fact applied",
                                                 code="resolved-file"))
        return resolution
    for key_node, value_node in papers.value:
        line = key_node.start_mark.line + 1
        try:
            data = loader.construct_document(value_node) if loader is not None else None
        except yaml.YAMLError as exc:
            resolution.diagnostics.append(Diagnostic(shown, line, Severity.WARNING, f"entry {key_node.value!r} "
                                                     f"cannot be read ({exc}); ignored", code="resolved-entry"))
            continue
        if not isinstance(data, dict):
            resolution.diagnostics.append(Diagnostic(shown, line, Severity.WARNING, f"entry {key_node.value!r} "
                                                     "is not a mapping; ignored", code="resolved-entry"))
            continue
        found = tuple(Match(str(m.get("service", "")), str(m.get("id", "")), str(m.get("query", "")),
                            _float(m.get("score", 0)), str(m.get("date", "")), _facts(m.get("facts")))
                      for m in data.get("found") or [] if isinstance(m, dict))
        pending = tuple(PendingCandidate(str(c.get("service", "")), str(c.get("id", "")), str(c.get("title", "")),
                                         str(c.get("query", "")), _float(c.get("score", 0)), str(c.get("date", "")),
                                         str(c.get("reason", "")), _facts(c.get("facts")))
                        for c in data.get("pending") or [] if isinstance(c, dict))
        not_found = tuple(str(s) for s in data.get("not_found") or [])
        resolution.papers[str(key_node.value)] = Resolved(str(key_node.value), str(data.get("title") or ""),
                                                          found, pending, not_found, line)
    return resolution


# -- writing ---------------------------------------------------------------------------------------

def _entry_data(entry: Resolved) -> dict[str, object]:
    data: dict[str, object] = {"title": entry.title}
    if entry.found:
        data["found"] = [{"service": m.service, "id": m.service_id, "query": m.query, "score": m.score,
                          "date": m.date, "facts": dict(m.facts)}
                         for m in sorted(entry.found, key=lambda m: _service_rank(m.service))]
    if entry.pending:
        data["pending"] = [{"service": c.service, "id": c.service_id, "title": c.title, "query": c.query,
                            "score": c.score, "date": c.date, "reason": c.reason,
                            **({"facts": dict(c.facts)} if c.facts else {})}
                           for c in sorted(entry.pending, key=lambda c: (_service_rank(c.service), -c.score))]
    if entry.not_found:
        data["not_found"] = sorted(set(entry.not_found), key=_service_rank)
    return data


def resolution_text(papers: Mapping[str, Resolved]) -> str:
    body = {"papers": {pid: _entry_data(papers[pid]) for pid in sorted(papers)}}
    return HEADER + yaml.dump(body, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=False,
                              width=100)


def write_resolution(path: Path, papers: Mapping[str, Resolved]) -> None:
    """Written whole to a temporary file and renamed: an interrupted write never leaves half a file."""
    text = resolution_text(papers)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".resolved-", suffix=".yml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _service_rank(service: str) -> tuple[int, str]:
    return (SERVICE_ORDER.index(service) if service in SERVICE_ORDER else len(SERVICE_ORDER), service)


# -- applying --------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Choices:
    """What the overrides file says about resolved matches, per paper id."""

    pinned_arxiv: Mapping[str, str]
    rejected: Mapping[str, frozenset[str]]  # paper id -> {"all"} or {"arxiv", "arxiv:2501.01234", ...}


def user_choices(papers: Sequence[Paper], overrides: Sequence[Override], lock_keys: Mapping[str, Sequence[str]]) \
        -> Choices:
    """The overrides' `arxiv_id:` pins and `reject:` values, by the id of the paper they target
    (found like apply_overrides finds it: citation key, arXiv id, exact title)."""
    index: dict[str, str] = {}
    for paper in papers:
        for alias in (paper.id, *paper.aliases):
            index.setdefault(alias, paper.id)
        if paper.user_key:
            index.setdefault(f"key:{paper.user_key.lower()}", paper.id)
    for key, ids in lock_keys.items():
        for one in ids:
            if one in index:
                index.setdefault(f"key:{key.lower()}", index[one])
                break
    pinned: dict[str, str] = {}
    rejected: dict[str, frozenset[str]] = {}
    for override in overrides:
        values = dict(override.values)
        if "arxiv_id" not in values and "reject" not in values:
            continue
        target = override.target
        parsed = parse_arxiv_id(target)
        tries = [f"key:{target.lower()}", *([f"arxiv:{parsed[0]}"] if parsed else []), title_id(target)]
        paper_id = next((index[t] for t in tries if t in index), None)
        if paper_id is None:
            continue
        pin = parse_arxiv_id(str(values.get("arxiv_id", "")))
        if pin:
            pinned[paper_id] = pin[0]
        if "reject" in values:
            raw = values["reject"]
            items = raw if isinstance(raw, list) else [raw]
            names = {str(i).strip().lower() for i in items if str(i).strip()}
            if names & {"true", "yes", "all"}:
                names = {"all"}
            rejected[paper_id] = frozenset(names)
    return Choices(pinned, rejected)


def _rejected(match: Match, rejects: frozenset[str]) -> bool:
    return "all" in rejects or match.service.lower() in rejects \
        or f"{match.service}:{match.service_id}".lower() in rejects \
        or f"{match.service}:{match.service_id.split('v')[0]}".lower() in rejects


def merged_facts(entry: Resolved, choices: Choices | None = None) -> tuple[dict[str, object], list[Match]]:
    """The facts of an entry's accepted matches, first service (SERVICE_ORDER) first; and the
    matches used. A match the user rejected, or whose arXiv id is not the one they pinned, is left out."""
    rejects = choices.rejected.get(entry.paper_id, frozenset()) if choices else frozenset()
    pin = choices.pinned_arxiv.get(entry.paper_id) if choices else None
    facts: dict[str, object] = {}
    used: list[Match] = []
    for match in sorted(entry.found, key=lambda m: _service_rank(m.service)):
        found = dict(match.facts)
        if _rejected(match, rejects):
            continue
        if pin and found.get("arxiv_id") and str(found["arxiv_id"]) != pin:
            continue
        used.append(match)
        for name, value in found.items():
            facts.setdefault(name, value)
    return facts, used


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return ()


def apply_facts(paper: Paper, facts: Mapping[str, object]) -> Paper:
    """The paper with what it lacks filled from resolved facts; nothing it has is replaced."""
    changes: dict[str, object] = {}
    title = facts.get("title")
    if not paper.title and isinstance(title, str) and title.strip():  # an arXiv listing gives none
        changes["title"] = " ".join(title.split())
        changes["aliases"] = (*paper.aliases, title_id(changes["title"]))  # type: ignore[arg-type]
        if not paper.short_name:
            changes["short_name"] = guess_short_name(changes["title"], paper.summary)  # type: ignore[arg-type]
    named = [a for a in paper.authors if a != "others"]
    authors = _authors(facts.get("authors"))
    if authors and not named:
        changes["authors"] = authors
        if paper.author_count is None:
            changes["author_count"] = len(authors)
    arxiv = parse_arxiv_id(str(facts.get("arxiv_id") or ""))
    if arxiv and not paper.arxiv_id:
        changes["arxiv_id"] = arxiv[0]
        changes["aliases"] = (*changes.get("aliases", paper.aliases), f"arxiv:{arxiv[0]}")  # type: ignore[misc]
    year = facts.get("year")
    if paper.year is None and isinstance(year, int):
        changes["year"] = year
    date = facts.get("date")
    # A missing date is filled when the year agrees; a year-less `--MM-DD` only gains its year.
    if isinstance(date, str) and len(date) == 10 and date[:4].isdigit() \
            and (paper.date is None or date[4:] == paper.date[1:]) \
            and (changes.get("year") or paper.year) in (None, int(date[:4])):
        changes["date"] = date
    venue = facts.get("venue")
    if isinstance(venue, str) and venue and not paper.venue and not is_not_a_venue(venue):
        canonical, venue_year = venue_and_year(venue)
        changes["venue"] = canonical or venue
        if facts.get("entry_type") in ("inproceedings", "article") and not paper.entry_type:
            changes["entry_type"] = facts["entry_type"]  # a journal is `@article`, not a booktitle
        if paper.year is None and venue_year:  # the published version's year, not the preprint's
            changes["year"] = venue_year
            if isinstance(changes.get("date"), str) and not str(changes["date"]).startswith(str(venue_year)):
                del changes["date"]
    extra = dict(paper.fields)
    added: list[tuple[str, str]] = []
    if facts.get("doi") and "doi" not in extra:
        added.append(("doi", str(facts["doi"])))
    if facts.get("primary_class") and "primaryclass" not in extra and (paper.arxiv_id or arxiv):
        added.append(("primaryclass", str(facts["primary_class"])))
    if added:
        changes["fields"] = (*paper.fields, *added)
    have = {kind for kind, _ in paper.urls} | {url for _, url in paper.urls}
    urls = [(kind, str(facts[kind])) for kind in URL_FACTS
            if facts.get(kind) and kind not in have and str(facts[kind]) not in have]
    if urls:
        changes["urls"] = (*paper.urls, *urls)
    return replace(paper, **changes) if changes else paper  # type: ignore[arg-type]


def _entry_of(paper: Paper, resolution: Resolution) -> Resolved | None:
    return next((resolution.papers[i] for i in (paper.id, *paper.aliases) if i in resolution.papers), None)


def retitled(papers: Sequence[Paper], resolution: Resolution) -> dict[str, str]:
    """Paper id -> the id of the resolved facts it takes although its own id has none: a listing
    paper's id is its title, so fixing a word of the title left its facts (authors, arXiv id,
    venue) to no paper, and the paper lost them and its key. An entry no paper takes whose title
    id is at least 0.8 alike the paper's (as the key lock keeps a key across such an edit), one
    paper each."""
    used = {i for p in papers for i in (p.id, *p.aliases)}
    orphans = [pid for pid, entry in resolution.papers.items()
               if entry.found and pid not in used and pid.startswith("title:")]
    if not orphans:
        return {}
    out: dict[str, str] = {}
    for paper in papers:
        title = next((i for i in (paper.id, *paper.aliases) if i.startswith("title:")), None)
        if title is None or _entry_of(paper, resolution) is not None:
            continue
        close = [o for o in orphans if (m := difflib.SequenceMatcher(None, o, title)).quick_ratio() >= 0.8
                 and m.ratio() >= 0.8]
        if len(close) == 1 and close[0] not in out.values():
            out[paper.id] = close[0]
    return out


def apply_resolution(papers: Sequence[Paper], resolution: Resolution, choices: Choices,
                     recall: Recall = make_now, carried: Mapping[str, str] | None = None) -> tuple[Paper, ...]:
    """Every paper with its resolved facts applied (those a user rejected left out).

    `recall` names each paper's result by the very paper and resolution; the choices (a
    mapping, not a key) are the setting of the memo a caller passes. `carried`: `retitled`'s
    answer, when the caller has it."""
    if carried is None:
        carried = retitled(papers, resolution)

    def resolved(paper: Paper) -> Paper:
        entry = _entry_of(paper, resolution) or (resolution.papers[carried[paper.id]] if paper.id in carried else None)
        facts = merged_facts(entry, choices)[0] if entry is not None else {}
        return apply_facts(paper, facts) if facts else paper

    same_resolution = Same(resolution)
    return tuple(recall((Same(paper), same_resolution), partial(resolved, paper))
                 for paper in papers)


def rejected_ids(papers: Sequence[Paper], resolution: Resolution, choices: Choices) -> dict[str, frozenset[str]]:
    """Paper id -> the arXiv ids (`arxiv:2303.11111`) of its resolved matches the user rejected or
    pinned away, which its sources do not give it. An earlier build may have written them to the
    key lock under the paper's key; they must not keep binding that key (unbind_rejected)."""
    out: dict[str, frozenset[str]] = {}
    for paper in papers:
        entry = _entry_of(paper, resolution)
        if entry is None or not entry.found:
            continue
        used = merged_facts(entry, choices)[1]
        own = {paper.id, *paper.aliases}
        dropped = set()
        for match in entry.found:
            parsed = parse_arxiv_id(str(dict(match.facts).get("arxiv_id") or ""))
            if match not in used and parsed and f"arxiv:{parsed[0]}" not in own:
                dropped.add(f"arxiv:{parsed[0]}")
        if dropped:
            out[paper.id] = frozenset(dropped)
    return out


def unbind_rejected(lock_keys: Mapping[str, tuple[str, ...]], rejected: Mapping[str, frozenset[str]]) \
        -> dict[str, tuple[str, ...]] | None:
    """The lock's ids without each rejected id under the key of the paper it was rejected for
    (the key whose ids hold that paper's id); None when nothing changes."""
    if not rejected:
        return None
    out: dict[str, tuple[str, ...]] = {}
    changed = False
    for key, ids in lock_keys.items():
        drop = {i for one in ids if one in rejected for i in rejected[one]} & set(ids)
        out[key] = tuple(i for i in ids if i not in drop) if drop else ids
        changed = changed or bool(drop)
    return out if changed else None


def orphan_diagnostics(papers: Sequence[Paper], resolution: Resolution,
                       carried: Mapping[str, str] | None = None) -> list[Diagnostic]:
    """Entries with facts that no paper of the sources takes (its listing changed or is not read),
    and those a paper whose title was edited takes (retitled)."""
    titles = {p.id: p.title for p in papers}
    taken_by = {old: titles.get(new) or new
                for new, old in (retitled(papers, resolution) if carried is None else carried).items()}
    used = {i for p in papers for i in (p.id, *p.aliases)}
    place = resolution.display or str(resolution.path)
    return [Diagnostic(place, entry.line, Severity.INFO,
                       f"resolved facts for {paper_id!r} are taken by the paper titled {taken_by[paper_id]!r} "
                       "(its title edited since `readinglist resolve` ran)", code="resolved-retitled")
            if paper_id in taken_by else
            Diagnostic(place, entry.line, Severity.INFO,
                       f"resolved facts for {paper_id!r} match no paper of the sources (its listing changed "
                       "or is not read); kept, not applied", code="resolved-orphan")
            for paper_id, entry in resolution.papers.items() if entry.found and paper_id not in used]
