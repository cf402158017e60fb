"""`readinglist resolve`: progress bars, the summary table, one line per failed service, exit codes.

Printing is allowed here: it is the command line's own output (cli.py hands over to it so that the
other commands never import the network code)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tqdm import tqdm

from ..enrich.resolved import read_resolution, resolution_path
from ..pipeline import run_pipeline
from ..settings import Settings
from .run import SERVICES, Resolver


def _services(raw: str | None) -> list[str]:
    if not raw:
        return list(SERVICES)
    names = [n.strip().lower().replace("-", "_") for n in raw.split(",") if n.strip()]
    aliases = {"s2": "semantic_scholar", "hf": "huggingface", "semanticscholar": "semantic_scholar"}
    names = [aliases.get(n, n) for n in names]
    unknown = [n for n in names if n not in SERVICES]
    if unknown:
        raise ValueError(f"unknown service {', '.join(unknown)}; known: {', '.join(SERVICES)}")
    return names


def resolve_command(settings: Settings, args: argparse.Namespace,
                    table: Callable[[Sequence[Sequence[object]], Sequence[str]], str]) -> int:
    try:
        services = _services(args.services)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    corpus = run_pipeline(settings, resolved=False)
    path = resolution_path(settings.lock_path())
    resolution = read_resolution(path)
    for diagnostic in resolution.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if any(d.severity.value == "error" for d in resolution.diagnostics):
        print(f"error: {path} cannot be read; fix or remove it first (nothing was asked or written)", file=sys.stderr)
        return 1

    def bar(service: str, total: int) -> tqdm[object]:
        return tqdm(total=total, desc=f"{service:<16}", unit="paper", file=sys.stderr, leave=True,
                    disable=total == 0 or not sys.stderr.isatty())

    resolver = Resolver(path, dict(resolution.papers), services, args.refresh, bar=bar)
    papers = list(corpus.papers)
    if args.dry_run:
        plan = resolver.plan(papers)
        print(table([(s, n) for s, n in plan.items()], ("service", "papers to ask")))
        print(f"\n{len(papers)} papers; dry run: nothing asked, nothing written ({path})")
        return 0
    try:
        summary = resolver.run(papers)
    except KeyboardInterrupt:
        resolver.save()
        print(f"\ninterrupted: what was found so far is kept in {path}; run the same command again to resume",
              file=sys.stderr)
        return 130
    rows = [(s, summary.asked[s], summary.found[s], summary.pending[s], summary.not_found[s],
             summary.requests[s], "FAILED" if s in summary.failed else "ok") for s in services]
    print(table(rows, ("service", "asked", "found", "pending", "not found", "requests", "status")))
    entries = resolver.entries
    ids = {p.id for p in papers}
    found = sum(1 for i in ids if i in entries and entries[i].found)
    pending = sum(1 for i in ids if i in entries and not entries[i].found and entries[i].pending)
    asked = sum(1 for i in ids if i in entries)
    where = f"written to {path}" if path.exists() else "nothing written"
    print(f"\n{len(papers)} papers: {found} with facts found, {pending} pending review, "
          f"{asked - found - pending} with nothing found, {len(papers) - asked} not asked yet; {where}")
    for message in summary.failed.values():
        print(f"error: {message}; what was found is kept, run again to resume", file=sys.stderr)
    return 1 if summary.failed else 0
