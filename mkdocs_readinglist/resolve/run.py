"""One `readinglist resolve` run: ask each service about the papers that lack facts, judge the
candidates, and write resolved.yml after every answer, so an interrupted run keeps what it found
and the next run resumes where it stopped (papers a service was asked about are not asked again
unless `refresh`)."""

from __future__ import annotations

import datetime
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Protocol

from ..enrich.resolved import Match, PendingCandidate, Resolved, apply_facts, merged_facts, write_resolution
from ..model import Diagnostic, Paper, Severity
from . import arxiv, crossref, dblp, huggingface, openreview, semantic_scholar
from .http import Client, ServiceError
from .match import PENDING, Candidate, Verdict, judge, normalise, similarity

SAVE_EVERY = 2.0  # seconds between unforced writes of resolved.yml
ALL_ABSENT = 2  # this many answers, all 404 "no such paper", are worth a warning (a wrong address?)
SERVICES = ("arxiv", "huggingface", "semantic_scholar", "dblp", "openreview", "crossref")
CLIENTS: dict[str, Callable[[], Client]] = {
    "arxiv": arxiv.client, "huggingface": huggingface.client, "semantic_scholar": semantic_scholar.client,
    "dblp": dblp.client, "openreview": openreview.client, "crossref": crossref.client,
}


def parse_services(raw: str | None) -> list[str]:
    """`--services arxiv,s2` -> ["arxiv", "semantic_scholar"]; ValueError naming an unknown one."""
    if not raw:
        return list(SERVICES)
    aliases = {"s2": "semantic_scholar", "hf": "huggingface", "semanticscholar": "semantic_scholar"}
    names = [n.strip().lower().replace("-", "_") for n in raw.split(",") if n.strip()]
    names = [aliases.get(n, n) for n in names]
    unknown = [n for n in names if n not in SERVICES]
    if unknown:
        raise ValueError(f"unknown service {', '.join(unknown)}; known: {', '.join(SERVICES)}")
    return names


class Bar(Protocol):
    def update(self, n: int = 1) -> object: ...
    def close(self) -> None: ...


class _NoBar:
    def update(self, n: int = 1) -> object:
        return None

    def close(self) -> None:
        return None


@dataclass
class Summary:
    asked: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    pending: Counter[str] = field(default_factory=Counter)
    not_found: Counter[str] = field(default_factory=Counter)
    failed: dict[str, str] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)  # every request sent, retries included
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings of the run (ids skipped, ...)


def needs_lookup(paper: Paper) -> bool:
    """A paper lacks authors, an arXiv id, a year, a venue or a link to the paper."""
    named = [a for a in paper.authors if a != "others"]
    return not (named and paper.arxiv_id and paper.year and paper.venue and paper.urls)


class Resolver:
    def __init__(self, path: Path, entries: dict[str, Resolved], services: Sequence[str] = SERVICES,
                 refresh: bool = False, today: str | None = None,
                 bar: Callable[[str, int], Bar] | None = None,
                 clients: dict[str, Callable[[], Client]] | None = None) -> None:
        self.path = path
        self.entries = entries
        self.services = [s for s in SERVICES if s in services]
        self.refresh = refresh
        self.today = today or datetime.date.today().isoformat()
        self.bar = bar or (lambda _name, _total: _NoBar())
        self.clients = clients or CLIENTS
        self.summary = Summary()
        self._refreshed: set[tuple[str, str]] = set()
        self._saved = 0.0

    # -- state -----------------------------------------------------------------------------------

    def entry(self, paper: Paper) -> Resolved:
        return self.entries.get(paper.id) or Resolved(paper.id, self.view(paper).title or "")

    def view(self, paper: Paper) -> Paper:
        """The paper with what was found so far (this run and earlier ones)."""
        entry = self.entries.get(paper.id)
        return apply_facts(paper, merged_facts(entry)[0]) if entry else paper

    def asked(self, paper: Paper, service: str) -> bool:
        if self.refresh and (paper.id, service) not in self._refreshed:
            return False
        return service in self.entry(paper).asked()

    def record(self, paper: Paper, service: str, query: str, verdict: Verdict) -> None:
        entry = self.entry(paper)
        found = tuple(m for m in entry.found if m.service != service)
        pending = tuple(c for c in entry.pending if c.service != service)
        not_found = tuple(s for s in entry.not_found if s != service)
        self.summary.asked[service] += 1
        if verdict.status == "found" and verdict.candidate is not None:
            found += (Match(service, verdict.candidate.service_id, query, round(verdict.score, 4), self.today,
                            tuple(sorted(verdict.candidate.facts().items()))),)
            self.summary.found[service] += 1
        elif verdict.status == "pending" and verdict.candidate is not None:
            shown = [(verdict.candidate, verdict.score, verdict.reason)]
            shown += [(c, s, "runner-up") for c, s in verdict.others if c is not verdict.candidate][:2]
            pending += tuple(PendingCandidate(service, c.service_id, c.title, query, round(s, 4), self.today, reason,
                                              tuple(sorted(c.facts().items()))) for c, s, reason in shown)
            self.summary.pending[service] += 1
        else:
            not_found += (service,)
            self.summary.not_found[service] += 1
        self.entries[paper.id] = replace(entry, title=paper.title or entry.title, found=found, pending=pending,
                                         not_found=not_found)
        self._refreshed.add((paper.id, service))

    def save(self, force: bool = True) -> None:
        """Write the file; unforced (after each answer), at most every SAVE_EVERY seconds, since
        a long file takes a while to write. Failures, Ctrl-C and the end of each service force it."""
        if not force and time.monotonic() - self._saved < SAVE_EVERY:
            return
        if self.entries or self.path.exists():  # no empty file where nothing was ever found
            write_resolution(self.path, self.entries)
        self._saved = time.monotonic()

    # -- the run ---------------------------------------------------------------------------------

    def run(self, papers: Sequence[Paper]) -> Summary:
        steps = {"arxiv": self._arxiv, "huggingface": self._huggingface, "semantic_scholar": self._s2,
                 "dblp": self._dblp, "openreview": self._openreview, "crossref": self._crossref}
        for service in self.services:
            api = self.clients[service]()
            try:
                steps[service](api, papers)
            except ServiceError as exc:
                self.summary.failed[service] = str(exc)
            finally:
                self.summary.requests[service] += api.stats.tries
                api.close()
                self.save()
            stats = api.stats
            if service not in self.summary.failed and stats.answers >= ALL_ABSENT and stats.absent == stats.answers:
                self.summary.diagnostics.append(Diagnostic(
                    api.base_url, 0, Severity.WARNING,
                    f"{service}: all {stats.answers} answers were HTTP 404 \"no such paper\" (recorded as not "
                    f"found); if READINGLIST_{service.upper()}_API is wrong, fix it and run again with --refresh",
                    code="resolve-all-absent"))
        return self.summary

    def warn(self, paper: Paper, message: str) -> None:
        where = paper.provenance[0] if paper.provenance else None
        self.summary.diagnostics.append(Diagnostic(where.file if where else str(self.path), where.line if where else 0,
                                                   Severity.WARNING, message, code="resolve-id"))

    def still_to_ask(self, papers: Sequence[Paper]) -> set[str]:
        """The ids of the papers some service of the run would still ask about (it failed, or
        skipped them)."""
        wants = self._wants()
        return {p.id for s in self.services for p in self.todo(papers, s, wants[s])}

    def todo(self, papers: Iterable[Paper], service: str, wanted: Callable[[Paper], bool]) -> list[Paper]:
        return [p for p in papers if not self.asked(p, service) and wanted(self.view(p))]

    def plan(self, papers: Sequence[Paper]) -> dict[str, int]:
        """How many papers each service would be asked about now (before any answer)."""
        wants = self._wants()
        return {s: len(self.todo(papers, s, wants[s])) for s in self.services}

    def _wants(self) -> dict[str, Callable[[Paper], bool]]:
        return {
            "arxiv": lambda p: bool(p.title or p.arxiv_id) and (needs_lookup(p) or not p.authors),
            "huggingface": lambda p: bool(p.arxiv_id) and not any(k in ("code", "project") for k, _ in p.urls),
            "semantic_scholar": lambda p: bool(p.title or p.arxiv_id) and (not p.venue or "doi" not in dict(p.fields)),
            "dblp": lambda p: bool(p.title) and not p.venue,
            "openreview": lambda p: bool(p.title and p.venue and openreview.venue_id(p.venue))
            and not any(k == "openreview" for k, _ in p.urls),
            # OpenReview's venues (ICLR, NeurIPS, TMLR) register no DOIs: not worth a request
            "crossref": lambda p: bool(p.title and p.venue) and "doi" not in dict(p.fields)
            and not openreview.venue_id(p.venue or ""),
        }

    def _each(self, service: str, todo: Sequence[Paper], ask: Callable[[Paper], None]) -> None:
        bar = self.bar(service, len(todo))
        try:
            for paper in todo:
                ask(paper)
                self.save(force=False)
                bar.update(1)
        finally:
            bar.close()

    def _by_id(self, paper: Paper, service: str, query: str, found: Candidate | None) -> None:
        """A look-up by id: the id is the paper, unless the titles plainly differ (a wrong id)."""
        if found is None:
            self.record(paper, service, query, Verdict("none"))
        elif paper.title and similarity(paper.title, found.title) < PENDING:
            self.record(paper, service, query, Verdict("pending", found, similarity(paper.title, found.title),
                                                       "the id's title is not the listing's"))
        else:
            self.record(paper, service, query, Verdict("found", found, 1.0, "by id"))

    def _arxiv(self, api: Client, papers: Sequence[Paper]) -> None:
        todo = self.todo(papers, "arxiv", self._wants()["arxiv"])
        with_id = [p for p in todo if self.view(p).arxiv_id]
        bar = self.bar("arxiv", len(todo))
        try:
            askable = []
            for paper in with_id:  # an id arXiv cannot have would make it refuse the whole batch
                why = arxiv.known_id(str(self.view(paper).arxiv_id))
                if why:
                    self.warn(paper, f"arxiv: `{self.view(paper).arxiv_id}` is not an arXiv id ({why}); "
                                     "the paper is not asked about")
                    bar.update(1)
                else:
                    askable.append(paper)
            for start in range(0, len(askable), arxiv.BATCH):
                batch = askable[start:start + arxiv.BATCH]
                ids = [str(self.view(p).arxiv_id) for p in batch]
                answer = arxiv.by_ids(api, ids)
                found = {c.arxiv_id: c for c in answer.found}
                for paper, one in zip(batch, ids, strict=True):
                    if one in answer.refused:
                        self.warn(paper, f"arxiv: the API refused the id `{one}` ({answer.refused[one]}); "
                                         "the paper is not asked about")
                    elif one in answer.missing:
                        self.warn(paper, f"arxiv: the id `{one}` is missing from arXiv's answers (asked twice); "
                                         "nothing recorded, asked again next run")
                    else:
                        self._by_id(paper, "arxiv", f"id_list={one}", found.get(one))
                self.save(force=False)
                bar.update(len(batch))
            for paper in todo:
                if self.view(paper).arxiv_id:
                    continue
                query, candidates = arxiv.search(api, self.view(paper).title or "")
                self.record(paper, "arxiv", f"search_query={query}", judge(self.view(paper), candidates))
                self.save(force=False)
                bar.update(1)
        finally:
            bar.close()

    def _huggingface(self, api: Client, papers: Sequence[Paper]) -> None:
        def ask(paper: Paper) -> None:
            arxiv_id = str(self.view(paper).arxiv_id)
            self._by_id(paper, "huggingface", f"papers/{arxiv_id}", huggingface.paper(api, arxiv_id))

        self._each("huggingface", self.todo(papers, "huggingface", self._wants()["huggingface"]), ask)

    def _s2(self, api: Client, papers: Sequence[Paper]) -> None:
        todo = self.todo(papers, "semantic_scholar", self._wants()["semantic_scholar"])
        with_id = [p for p in todo if self.view(p).arxiv_id or dict(self.view(p).fields).get("doi")]
        if with_id:
            ids = [f"ARXIV:{view.arxiv_id}" if view.arxiv_id else f"DOI:{dict(view.fields)['doi']}"
                   for view in map(self.view, with_id)]
            found = semantic_scholar.batch(api, ids)
            for paper, one in zip(with_id, ids, strict=True):
                self._by_id(paper, "semantic_scholar", one, found.get(one))
            self.save()

        def ask(paper: Paper) -> None:
            query, candidates = semantic_scholar.match_title(api, self.view(paper).title or "")
            self.record(paper, "semantic_scholar", query, judge(self.view(paper), candidates))

        batched = {p.id for p in with_id}
        self._each("semantic_scholar", [p for p in todo if p.id not in batched and self.view(p).title], ask)

    def _dblp(self, api: Client, papers: Sequence[Paper]) -> None:
        def ask(paper: Paper) -> None:
            query, candidates = dblp.search(api, self.view(paper).title or "")
            self.record(paper, "dblp", query, judge(self.view(paper), candidates))

        self._each("dblp", self.todo(papers, "dblp", self._wants()["dblp"]), ask)

    def _openreview(self, api: Client, papers: Sequence[Paper]) -> None:
        todo = self.todo(papers, "openreview", self._wants()["openreview"])
        venues: dict[str, tuple[str, list[Candidate], dict[str, list[Candidate]]]] = {}

        def ask(paper: Paper) -> None:
            venue = str(self.view(paper).venue)
            if venue not in venues:
                query, listed = openreview.accepted(api, venue)
                by_title: dict[str, list[Candidate]] = {}
                for candidate in listed:
                    by_title.setdefault(normalise(candidate.title), []).append(candidate)
                venues[venue] = (query, listed, by_title)
            query, _, by_title = venues[venue]
            wanted = normalise(self.view(paper).title or "")
            near = by_title.get(wanted) or [c for t in get_close_matches(wanted, list(by_title), 3, PENDING)
                                            for c in by_title[t]]
            self.record(paper, "openreview", query, judge(self.view(paper), near))

        self._each("openreview", todo, ask)

    def _crossref(self, api: Client, papers: Sequence[Paper]) -> None:
        def ask(paper: Paper) -> None:
            query, candidates = crossref.search(api, self.view(paper).title or "")
            self.record(paper, "crossref", query, judge(self.view(paper), candidates))

        self._each("crossref", self.todo(papers, "crossref", self._wants()["crossref"]), ask)
