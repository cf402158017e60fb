"""`readinglist`: check sources, list papers, export BibTeX, write pages, all from one pipeline."""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .diagnostics import with_levels
from .enrich.resolved import resolution_path
from .mkdocs_yml import load_config, own_plugin_options, plugin_options
from .model import Diagnostic, Paper, Severity
from .nav_text import nav_toml, nav_yaml, not_in_nav_hint
from .pipeline import Corpus, SourceCache, paused_gc, run_pipeline, source_files
from .render.bibtex import entry_type, select, written_bibtex
from .render.reference import ReferenceFormatter
from .render.templates import TemplateError
from .settings import ConfigError, Settings, SiteOptions, SourceSpec, check_templates, settings_from_mapping
from .site import corpus_aliases, nav_section, site_pages
from .source_store import CorpusStore, SourceStore
from .written import MANIFEST_NAME, manifest_text, read_manifest, written_by_us

if TYPE_CHECKING:
    from .latex.aux import Citation


def _n(count: int, word: str) -> str:
    """`1 paper`, `2 papers`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _plugin_options(config_path: Path) -> dict[str, Any]:
    """The plugin's options as `mkdocs build` reads them (with what the file inherits, inside
    Material's `group` plugin too)."""
    config, files = load_config(config_path)
    found, options, _ = plugin_options(config)
    if not found:
        listing = [str(f) for f in files[1:] if own_plugin_options(f)]
        inherited = (f" ({listing[0]}, which it inherits, lists it, but this file's own `plugins:` list replaces "
                     "that one, as MkDocs merges them: list `readinglist` here too, or write both as mappings)"
                     if listing else f" (nor in {', '.join(str(f) for f in files[1:])}, which it inherits)"
                     if len(files) > 1 else "")
        raise ConfigError(f"{config_path}: no `readinglist` plugin in `plugins:`{inherited}")
    return options


def _settings(args: argparse.Namespace) -> tuple[Settings, SiteOptions]:
    base = Path.cwd()
    options: dict[str, Any] = {}
    if args.config:
        config_path = Path(args.config)
        if not config_path.is_file():
            raise ConfigError(f"config file {args.config!r} does not exist")
        options = _plugin_options(config_path)
        base = config_path.resolve().parent
    place = f"{args.config}, plugins.readinglist" if args.config else "options"
    settings, site = settings_from_mapping(base, options, place)
    if args.paths:
        years = {s.path: s for s in settings.sources}
        specs = []
        for raw in args.paths:
            path = Path(raw).resolve()
            try:
                shown = str(path.relative_to(base))
            except ValueError:
                shown = str(path)
            known = years.get(shown)
            specs.append(SourceSpec(shown, known.year if known else None, known.format if known else None))
        settings = replace(settings, sources=tuple(specs))
    elif not args.config:
        settings = replace(settings, sources=(SourceSpec("bib"),))
    if getattr(args, "year", None):
        settings = replace(settings, sources=tuple(replace(s, year=s.year or args.year) for s in settings.sources))
    if getattr(args, "lock", None):
        settings = replace(settings, lock_file=str(Path(args.lock).resolve()))
    return settings, site


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r\033[K{message}", end="", file=sys.stderr, flush=True)


def _table(rows: Sequence[Sequence[object]], header: Sequence[str], width: int | None = None) -> str:
    """Columns of text; on a terminal (or with COLUMNS set) the widest text columns are cut to fit
    its width, with `…` (a file or a pipe gets every character)."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(row[i].isdigit() for row in cells[1:]) and cells[1:] != [] for i in range(len(header))]
    if width is None and (sys.stdout.isatty() or "COLUMNS" in os.environ):
        width = shutil.get_terminal_size().columns
    while width and sum(widths) + 2 * (len(widths) - 1) > width:
        widest = max((i for i in range(len(widths)) if not numeric[i]), key=lambda i: widths[i], default=None)
        if widest is None or widths[widest] <= max(12, len(cells[0][widest])):
            break
        widths[widest] -= 1
    cells = [[c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)] for row in cells]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True)).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths]), *map(line, cells[1:])])


def _exit_code(corpus: Corpus, strict: bool, problems: Sequence[Diagnostic] = ()) -> int:
    """1 for an error (the corpus's or a command's own `problems`), or a warning with --strict."""
    if corpus.count(Severity.ERROR) or any(p.severity is Severity.ERROR for p in problems):
        return 1
    if strict and (corpus.count(Severity.WARNING) or any(p.severity is Severity.WARNING for p in problems)):
        return 1
    return 0


def _report(corpus: Corpus, verbose: bool) -> None:
    for line in _report_lines(corpus, verbose):
        print(line, file=sys.stderr)


def _report_lines(corpus: Corpus, verbose: bool) -> list[str]:
    return [diagnostic.format() for diagnostic in sorted(corpus.diagnostics, key=lambda d: (d.file, d.line))
            if diagnostic.severity is not Severity.INFO or verbose]


def cmd_check(args: argparse.Namespace) -> int:
    settings, _ = _settings(args)
    corpus = run_pipeline(settings, progress=_progress)
    _progress("")
    rows = []
    for result, records in corpus.sources():
        mine = [d for d in corpus.diagnostics if d.file == result.file]
        warnings = sum(1 for d in mine if d.severity is Severity.WARNING)
        errors = sum(1 for d in mine if d.severity is Severity.ERROR)
        count = len(result.overrides) if result.overrides else records
        rows.append((result.file, result.format or "-", count, warnings, errors))
    print(_table(rows, ("file", "format", "records", "warnings", "errors")))
    untagged = sum(1 for p in corpus.papers if not p.topics)
    print(f"\n{_n(sum(count for _, count in corpus.sources()), 'record')} -> {_n(len(corpus.papers), 'paper')}; "
          f"{untagged} without a topic; {_n(corpus.count(Severity.WARNING), 'warning')}, "
          f"{_n(corpus.count(Severity.ERROR), 'error')}")
    if corpus.merges:
        print(f"\n{_n(len(corpus.merges), 'record')} merged into the paper of another (every key stays citable):")
        for first, merged, why in corpus.merges:
            print(f"  {merged} merged into {first}: {why}")
    _report(corpus, args.verbose)
    return _exit_code(corpus, args.strict)


def paper_json(paper: Paper) -> dict[str, Any]:
    return {
        "key": paper.key, "keys": list(paper.cite_keys), "id": paper.id, "title": paper.title, "short_name": paper.short_name,
        "year": paper.year, "date": paper.date, "updated": paper.updated, "arxiv_id": paper.arxiv_id,
        "arxiv_version": paper.arxiv_version, "doi": paper.doi, "authors": [a for a in paper.authors],
        "author_count": paper.author_count, "organisation": paper.organisation, "venue": paper.venue,
        "entry_type": entry_type(paper), "comment": paper.comment, "topics": list(paper.topics),
        "urls": [{"kind": k, "url": u} for k, u in paper.urls],
        "abstract": paper.abstract, "summary": paper.summary,
        "sources": [{"file": s.file, "line": s.line} for s in paper.provenance],
    }


def cmd_papers(args: argparse.Namespace) -> int:
    settings, _ = _settings(args)
    corpus = run_pipeline(settings)
    if args.json:
        json.dump([paper_json(p) for p in corpus.papers], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        rows = [(p.key, (p.title or "(no title)")[:70], p.year or "", p.venue or "", ", ".join(p.topics[:2]))
                for p in corpus.papers]
        print(_table(rows, ("key", "title", "year", "venue", "topics")))
    _report(corpus, False)
    return _exit_code(corpus, args.strict)


def cmd_bib(args: argparse.Namespace) -> int:
    from .latex.aux import citations
    from .sources import LISTING_SUFFIXES

    settings, _ = _settings(args)
    if args.output != "-":
        output = Path(args.output).resolve()
        files, _ = source_files(settings)
        lock = settings.lock_path()
        if any(path.resolve() == output for path, _, _ in files) or output in (lock.resolve(),
                                                                              resolution_path(lock).resolve()):
            print(f"error: -o {args.output} is one of the sources (or the key lock, or resolve's resolved.yml) this "
                  "export reads; nothing was written (name another file: the export rewrites every entry, and would "
                  "replace your own file)", file=sys.stderr)
            return 2
        folders = [(settings.base_dir / spec.path).resolve() for spec in settings.sources
                   if (settings.base_dir / spec.path).is_dir()]
        globs = [os.path.abspath(settings.base_dir / spec.path) for spec in settings.sources
                 if any(char in spec.path for char in "*?[")]
        if output.suffix.lower() in LISTING_SUFFIXES and (any(output.is_relative_to(f) for f in folders)
                                                          or any(fnmatch.fnmatch(str(output), g) for g in globs)):
            print(f"error: -o {args.output} is in a source folder: the next build and export would read the export "
                  "as a source, and every paper twice; nothing was written (write it beside your LaTeX paper)",
                  file=sys.stderr)
            return 2
    cited: list[Citation] = []
    if args.aux:
        try:
            cited = citations(Path(args.aux))
        except (OSError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    # The whole export of the same inputs, kept by their digest (unchanged inputs: nothing is
    # read, merged, keyed or written again). Any other input, option or code gives another digest.
    exports = None if args.no_cache else _export_store(settings, args)
    sources = None if args.no_cache else SourceStore(settings.base_dir / ".cache" / "readinglist" / "sources")
    inputs = _export_inputs(settings, sources) if exports else None
    digest = _export_digest(settings, args, cited, inputs) if inputs else ""
    kept = exports.get(digest) if exports else None
    if isinstance(kept, BibExport):
        return _deliver(args, kept)
    # A one-shot run: the cycle collector stays off throughout (as in the pipeline's stages),
    # or each collection walks every paper made so far (at 20k papers, 3/4 of the writing).
    with paused_gc():
        export, read = _export(settings, args, cited, sources)
    # Kept only when the run read the very bytes of the digest and left the lock as it was (an
    # export that gave new keys wrote the lock: the next export, reading it, is kept).
    if exports and inputs and read == inputs.sources and _lock_bytes(settings) == inputs.lock:
        exports.put(digest, export)
    return _deliver(args, export)


@dataclass(frozen=True)
class BibExport:
    """What `readinglist bib` gives: the .bib text, its number of papers, the lines it reports
    and its exit code."""

    text: str
    papers: int
    report: tuple[str, ...]
    code: int
    entries: int = 0  # entries written (a paper's merged .bib entries each go out)


def _export_store(settings: Settings, args: argparse.Namespace) -> CorpusStore:
    """The store of this export command's last result: one entry per command (lock, output,
    selection), under .cache/readinglist/exports/."""
    command = repr((str(settings.lock_path()), args.output, args.topic, args.key, args.aux, args.omit, args.unicode))
    name = hashlib.blake2b(command.encode("utf-8"), digest_size=12).hexdigest()
    return CorpusStore(settings.base_dir / ".cache" / "readinglist" / "exports" / f"{name}.pickle")


@dataclass(frozen=True)
class ExportInputs:
    """The files an export reads: each source's display name and the digest of its bytes (as
    the pipeline's reading gives them: `SourceResult.content_hash`), and the bytes of the key
    lock and resolved.yml."""

    sources: tuple[tuple[str, str], ...]
    options: tuple[str, ...]  # each source's path and options
    lock: tuple[bytes | str, ...]


def _export_inputs(settings: Settings, store: SourceStore | None = None) -> ExportInputs:
    """(`store`: told each file's digest, so that the run finds a kept result without reading
    and hashing the file again.)"""
    files, _ = source_files(settings)
    sources = []
    for path, _, display in files:
        try:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            sources.append((display, "(missing)"))
            continue
        sources.append((display, digest))
        if store is not None:
            store.know(path, digest)
    return ExportInputs(tuple(sources), tuple(repr((str(path), options)) for path, options, _ in files),
                        _lock_bytes(settings))


def _lock_bytes(settings: Settings) -> tuple[bytes | str, ...]:
    """The key lock's and resolved.yml's paths and bytes."""
    lock = settings.lock_path()
    parts: list[bytes | str] = []
    for path in (lock, resolution_path(lock)):
        parts.append(str(path))
        try:
            parts.append(path.read_bytes())
        except OSError:
            parts.append("(missing)")
    return tuple(parts)


def _export_digest(settings: Settings, args: argparse.Namespace, cited: Sequence[object],
                   inputs: ExportInputs) -> str:
    """A digest of every input of the export: the settings (taxonomy and diagnostic levels
    included), each source file's name, path, options and bytes' digest, the key lock's and
    resolved.yml's bytes, the options and the citations of --aux (with their lines), and the
    versions of this package, its parsers and Python (CorpusStore adds the digest of the
    package's code)."""
    parts: list[str | bytes] = ["readinglist bib", __version__, sys.version, repr(settings),
                                repr((args.topic, args.key, args.aux, args.omit, args.strict, args.unicode, cited))]
    parts.extend(f"{name} {_version(name)}" for name in ("bibtexparser", "pylatexenc", "pybtex", "PyYAML"))
    parts.extend(f"{display}\0{digest}" for display, digest in inputs.sources)
    parts.extend(inputs.options)
    parts.extend(inputs.lock)
    return CorpusStore.digest(parts)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _export(settings: Settings, args: argparse.Namespace, cited: Sequence[Citation],
            store: SourceStore | None = None) -> tuple[BibExport, tuple[tuple[str, str], ...]]:
    """The export, and each source's display name and the digest of the bytes the run read."""
    # Only what the .bib needs: no links between papers, no URLs found in the papers' texts
    # (written: OpenReview's page or arXiv's); topic rules only to select a topic.
    # Parsed sources are kept by content under .cache/readinglist/sources (as the plugin keeps
    # them): an export after editing one listing parses that listing only.
    corpus = run_pipeline(settings, SourceCache(memos=False, store=store), write_lock=True, progress=_progress,
                          topics=bool(args.topic), links=False, urls=False)
    _progress("")
    read = tuple((result.file, result.content_hash or "(missing)") for result in corpus.results)
    papers = list(corpus.papers)
    if args.topic:
        try:
            topic = settings.taxonomy.resolve(args.topic)
        except ValueError as exc:
            return BibExport("", 0, (f"error: {exc}",), 2), read
        papers = select(papers, topic=topic)
    where = {c.key: (c.file, c.line) for c in cited}
    where.update({k: ("command line", 0) for k in args.key or []})
    keys = list(dict.fromkeys([*(args.key or []), *(c.key for c in cited if c.key != "*")]))
    problems: list[Diagnostic] = []
    if args.aux:
        from .latex.aux import missing_parts

        problems.extend(Diagnostic(part.file, part.line, Severity.WARNING,
                                   f"{part.key} is not there (an \\include'd part not compiled, or deleted): its "
                                   "citations are not known, and bibtex stops on it; run LaTeX on the whole document",
                                   "aux-part-missing") for part in missing_parts(Path(args.aux)))
    if args.aux and not cited:
        problems.append(Diagnostic(args.aux, 0, Severity.WARNING,
                                   "no citations found (cite something and run LaTeX first)", "no-citations"))
    if (args.key or args.aux) and not any(c.key == "*" for c in cited):
        by_lower = {k.lower(): k for p in papers for k in p.alias_keys}  # biblatex's `ids`, under the keys
        by_lower.update({k.lower(): k for p in papers for k in p.cite_keys})
        # A key the lock gave a paper before the overrides pinned it another (a paper.tex cites it still)
        renamed = {old.lower(): new for old, new in corpus_aliases(corpus).items()
                   if old.lower() not in by_lower and new.lower() in by_lower}
        for index, key in enumerate(keys):
            file, line = where[key]
            if key.lower() in renamed:
                keys[index] = renamed[key.lower()]
                problems.append(Diagnostic(
                    file, line, Severity.WARNING, f"cited key {key!r} is an earlier key of the paper now keyed "
                    f"{renamed[key.lower()]!r} (the key lock keeps it: a key pinned since, or two papers merged): the "
                    f"export writes the paper under {renamed[key.lower()]!r} only; cite that",
                    "cited-key-renamed"))
            elif key.lower() not in by_lower:
                scope = f"topic {args.topic!r}" if args.topic else "the corpus"
                problems.append(Diagnostic(file, line, Severity.WARNING, f"cited key {key!r} is not in {scope}",
                                           "cited-key-missing"))
            elif by_lower[key.lower()] != key:
                problems.append(Diagnostic(
                    file, line, Severity.WARNING, f"cited key {key!r} is {by_lower[key.lower()]!r} in the corpus; "
                    "biber matches keys case-sensitively, so cite it as written there", "cited-key-case"))
        papers = select(papers, keys=keys) if keys else []
    problems = with_levels(problems, settings.diagnostic_levels)
    text, entries = written_bibtex(papers, omit={name.lower() for name in args.omit or []}, unicode=args.unicode)
    code = _exit_code(corpus, args.strict, problems)
    return BibExport(text, len(papers), (*(p.format() for p in problems), *_report_lines(corpus, False)), code,
                     entries), read


def _deliver(args: argparse.Namespace, export: BibExport) -> int:
    if export.code == 2 and not export.text:  # an option the corpus cannot take (an unknown topic)
        for line in export.report:
            print(line, file=sys.stderr)
        return 2
    if args.output == "-":
        sys.stdout.write(export.text)
    else:
        try:
            Path(args.output).write_text(export.text, encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 1
        entries = export.entries
        papers = "" if entries == export.papers else f" ({export.papers} paper{'' if export.papers == 1 else 's'})"
        print(f"wrote {entries} entr{'y' if entries == 1 else 'ies'}{papers} to {args.output}", file=sys.stderr)
    for line in export.report:
        print(line, file=sys.stderr)
    return export.code


def cmd_pages(args: argparse.Namespace) -> int:
    settings, site = _settings(args)
    if args.templates:  # relative to the working directory, as paths on the command line are
        site = replace(site, templates=str(Path(args.templates).resolve()))
    check_templates(site.templates, "--templates" if args.templates else f"{args.config}, plugins.readinglist")
    corpus = run_pipeline(settings, write_lock=True, progress=_progress)
    out = Path(args.out)
    options = site.page_options()
    cache = settings.base_dir / ".cache" / "readinglist" / "references.json"
    formatter = ReferenceFormatter(cache, site.reference_style)
    try:
        pages, _ = site_pages(corpus, options, formatter, _progress)
    except TemplateError as exc:
        _progress("")
        print(exc, file=sys.stderr)
        return 1
    _progress("")
    problems = with_levels(formatter.diagnostics, settings.diagnostic_levels)
    ours = read_manifest(out)
    for page in pages:
        target = out / page.path
        if target.exists() and not args.force and not written_by_us(ours, page.path, target.read_bytes()) \
                and target.read_text(encoding="utf-8", errors="replace") != page.content:
            print(f"error: {target} exists and was not written by readinglist; not overwritten, nothing was written "
                  "(choose another folder, or use --force)", file=sys.stderr)
            return 1
    made = {page.path for page in pages}
    removed, kept_edited = 0, []
    try:
        for page in pages:
            target = out / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.content, encoding="utf-8")
        # A page an earlier run wrote that this one does not make (its paper left the sources) goes,
        # unless it was edited since: then it stays, named, and the manifest keeps it (the plugin
        # leaves such a file out of a MkDocs build).
        for path in sorted(set(ours) - made):
            target = out / path
            if not target.is_file():
                continue
            if written_by_us(ours, path, target.read_bytes()):
                target.unlink()
                removed += 1
                for folder in target.parents:
                    if folder == out or not folder.is_relative_to(out) or any(folder.iterdir()):
                        break
                    folder.rmdir()
            else:
                kept_edited.append(path)
        kept = [(p.path, p.content) for p in pages]
        manifest = manifest_text(kept)
        if kept_edited:
            manifest += "".join(f"{ours[path]}  {path}\n" if ours[path] else f"{path}\n" for path in kept_edited)
        (out / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write under {out}: {exc.strerror} ({exc.filename})", file=sys.stderr)
        return 1
    print(f"wrote {len(pages)} files under {out}" + (f", removed {removed} it wrote before and no longer makes"
                                                       if removed else ""), file=sys.stderr)
    for path in kept_edited:
        print(f"{out / path}: no longer made (its paper left the sources), but edited since readinglist wrote it: "
              "left as it is; delete it yourself", file=sys.stderr)
    if args.nav:
        section = nav_section(pages, site.folder, site.title)
        toml = args.nav == "toml"
        print((nav_toml(section) if toml else nav_yaml(section)) + not_in_nav_hint(site.folder, toml), end="")
    _report(corpus, False)
    for problem in problems:
        if problem.severity is not Severity.INFO:
            print(problem.format(), file=sys.stderr)
    return _exit_code(corpus, args.strict, problems)


def cmd_stats(args: argparse.Namespace) -> int:
    settings, _ = _settings(args)
    corpus = run_pipeline(settings)
    from collections import Counter

    topics = Counter(t for p in corpus.papers for t in p.topics)
    print(_table(topics.most_common(), ("topic", "papers")))
    print(f"\n{_n(len(corpus.papers), 'paper')}, {sum(1 for p in corpus.papers if not p.topics)} without a topic, "
          f"{_n(sum(len(v) for v in corpus.links.mentions.values()), 'mention')}, "
          f"{_n(len(corpus.links.datasets), 'dataset')}")
    print("stage times: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in corpus.timings.items()))
    _report(corpus, False)  # as every other command: the sources' problems, and their exit code
    return _exit_code(corpus, args.strict)


def cmd_resolve(args: argparse.Namespace) -> int:
    """The only command that touches the network: look up what papers lack, write resolved.yml.
    Its modules (requests, tqdm) are imported here only, so no other command loads them."""
    from tqdm import tqdm

    from .enrich.resolved import read_resolution, resolution_path
    from .resolve.run import Resolver, parse_services

    settings, _ = _settings(args)
    try:
        services = parse_services(args.services)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from .pipeline import SourceCache

    cache = SourceCache(memos=False)  # the sources are parsed once for both runs of the pipeline
    corpus = run_pipeline(settings, cache, resolved=False)  # the sources' own facts are what is judged
    path = resolution_path(settings.lock_path())
    resolution = read_resolution(path)
    for diagnostic in resolution.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if any(d.severity is Severity.ERROR for d in resolution.diagnostics):
        print(f"error: {path} cannot be read; fix or remove it first (nothing was asked or written)", file=sys.stderr)
        return 1

    def bar(service: str, total: int) -> tqdm[Any]:  # with an ETA; only on a terminal
        progress: tqdm[Any] = tqdm(total=total, desc=f"{service:<16}", unit="paper", file=sys.stderr,
                                      disable=total == 0 or not sys.stderr.isatty())
        return progress

    resolver = Resolver(path, dict(resolution.papers), services, args.refresh, bar=bar)
    papers = list(corpus.papers)
    if args.dry_run:
        print(_table(list(resolver.plan(papers).items()), ("service", "papers to ask")))
        print(f"\n{_n(len(papers), 'paper')}; dry run: nothing asked, nothing written ({path})")
        shown = run_pipeline(settings, cache)  # the sources' problems as `check` shows them
        _report(shown, False)
        return _exit_code(shown, args.strict)
    try:
        summary = resolver.run(papers)
    except KeyboardInterrupt:
        resolver.save()
        kept = f"what was found so far is kept in {path}" if path.exists() else "nothing was found yet, nothing written"
        print(f"\ninterrupted: {kept}; run the same command again to resume", file=sys.stderr)
        return 130
    rows = [(s, summary.asked[s], summary.found[s], summary.pending[s], summary.not_found[s],
             summary.requests[s], "FAILED" if s in summary.failed else "ok") for s in services]
    print(_table(rows, ("service", "asked", "found", "pending", "not found", "requests", "status")))
    entries = resolver.entries
    ids = [p.id for p in papers]
    found = sum(1 for i in ids if i in entries and entries[i].found)
    pending = sum(1 for i in ids if i in entries and not entries[i].found and entries[i].pending)
    nothing = sum(1 for i in ids if i in entries and not entries[i].found and not entries[i].pending)
    later = len(resolver.still_to_ask(papers))  # a service failed or skipped them: the next run asks
    where = f"written to {path}" if path.exists() else "nothing written"
    print(f"\n{_n(len(papers), 'paper')}: {found} with facts found, {pending} pending review, "
          f"{nothing} with nothing found, {later} still to ask; {where}")
    # the sources' problems as `check` shows them now, with what was found applied (a title found
    # for an arXiv listing is no longer missing); then the run's own
    shown = run_pipeline(settings, cache)
    _report(shown, False)
    for diagnostic in summary.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    for message in summary.failed.values():
        print(f"error: {message}; what was found is kept, run again to resume", file=sys.stderr)
    if summary.failed:
        return 1
    return _exit_code(shown, args.strict, summary.diagnostics)


def cmd_latex_check(args: argparse.Namespace) -> int:
    """`readinglist latex-check BIB`: 0 clean, 1 problems, 2 cannot check.

    Anything the tools report fails (bibtex exits 0 on warnings; that is the point). The
    warnings of the quick reading of the .bib fail only with `--strict`.
    """
    from .latex.check import check_bib
    from .latex.run import DEBIAN_PACKAGES, parse_engines

    bib = Path(args.bib)
    try:
        names = parse_engines(args.engines)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not bib.is_file():
        print(f"error: {bib}: no such file", file=sys.stderr)
        return 2
    result = check_bib(bib, names)
    for problem in result.problems:
        print(problem.format())
    sys.stdout.flush()
    for run in result.runs:
        total = sum(1 for e in result.entries if e.title)
        print(f"{run.engine}: {run.typeset}/{len(result.entries)} entries typeset, "
              f"{run.titles_found}/{total} titles in the PDF, "
              f"{sum(p.severity is Severity.ERROR for p in run.problems)} errors, "
              f"{sum(p.severity is Severity.WARNING for p in run.problems)} warnings ({run.seconds:.1f} s)",
              file=sys.stderr)
    if result.missing_tools:
        print(f"error: cannot run {', '.join(e for e in names if e not in {r.engine for r in result.runs})}: "
              f"{', '.join(result.missing_tools)} not found. Install TeX Live, biber and poppler "
              f"(Debian/Ubuntu: apt-get install {' '.join(DEBIAN_PACKAGES)})", file=sys.stderr)
        return 2
    tool_problems = [p for run in result.runs for p in run.problems]
    if tool_problems or result.errors or (args.strict and result.problems):
        return 1
    print(f"{bib}: compiles cleanly with {', '.join(names)}" if not result.problems
          else f"{bib}: {len(result.problems)} warnings", file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .init_site import BIB_README, InitError, add_plugin, diff

    config = Path(args.config)
    if not config.is_file():
        print(f"error: {config} does not exist: run this in your site's folder, or name its configuration with "
              "--config (start a new site with `mkdocs new .`)", file=sys.stderr)
        return 2
    try:
        old = config.read_bytes().decode("utf-8")
        try:
            merged, files = load_config(config)
        except ConfigError:  # (not YAML: add_plugin says where)
            merged, files = {}, (config,)
        found, _, where = plugin_options(merged)
        own = own_plugin_options(config)
        if found and not (own and where == "plugins"):  # (in the file's own `plugins:`: add_plugin says so)
            inherited = f" (in {files[-1]}, which {config} inherits)" if not own else ""
            raise InitError(f"{config}: MkDocs already runs the `readinglist` plugin, in `{where}`{inherited}; "
                            "nothing was changed (a second one would read no sources)")
        edit = add_plugin(old, str(config))
    except UnicodeDecodeError as exc:
        print(f"error: {config}: not UTF-8 text (byte {exc.start}); nothing was changed", file=sys.stderr)
        return 2
    except InitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    bib = config.resolve().parent / "bib"
    readme = bib / "README"
    if args.dry_run:
        sys.stdout.write(diff(old, edit.text, config.name))
        if not bib.exists():
            print(f"would create {readme} (a short README: what to put in bib/)", file=sys.stderr)
        return 0
    try:
        config.write_bytes(edit.text.encode("utf-8"))
        if not bib.exists():
            bib.mkdir(parents=True)
            readme.write_text(BIB_README, encoding="utf-8")
            print(f"created {readme}", file=sys.stderr)
    except OSError as exc:
        print(f"error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"added the readinglist plugin to {config} ({len(edit.added)} lines"
          + (", with MkDocs' default `search` plugin kept" if edit.kept_search else "") + "); put your listings "
          "and .bib files in bib/ and run `mkdocs serve`", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="readinglist", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("paths", nargs="*", metavar="PATH", help="listings, .bib files or folders (default: bib/)")
        sub.add_argument("--config", help="read sources and options from this mkdocs.yml's readinglist plugin")
        sub.add_argument("--year", type=int, help="year for year-less dates in the sources")
        sub.add_argument("--strict", action="store_true", help="exit 1 on warnings too")

    check = commands.add_parser("check", help="read the sources and report problems")
    common(check)
    check.add_argument("-v", "--verbose", action="store_true", help="show info messages too")
    check.set_defaults(func=cmd_check)
    papers = commands.add_parser("papers", help="list the papers (as JSON with --json)")
    common(papers)
    papers.add_argument("--json", action="store_true")
    papers.set_defaults(func=cmd_papers)
    bib = commands.add_parser("bib", help="write BibTeX")
    common(bib)
    bib.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    bib.add_argument("--topic", help="only papers of this topic")
    bib.add_argument("--key", action="append", help="only these keys (repeatable)")
    bib.add_argument("--aux", help="only the keys a LaTeX run cited (.aux or biber .bcf)")
    bib.add_argument("--lock", help="key lock file (default: readinglist.lock in the first source's folder, or in the current folder when that folder is elsewhere)")
    bib.add_argument("--no-cache", action="store_true",
                     help="parse every source and make the export again (default: parsed sources are kept in "
                          ".cache/readinglist/sources, and the export of unchanged inputs in .cache/readinglist/exports)")
    bib.add_argument("--omit", action="append", metavar="FIELD",
                     help="leave this field out of every entry (repeatable; `bdsk-file-*` for a prefix); "
                          "by default every field is written")
    bib.add_argument("--unicode", action="store_true",
                     help="write text with its own characters (UTF-8: Ü, 深度) for xelatex or lualatex with biber; "
                          "by default non-ASCII text is written as LaTeX accents, and a stand-in where pdflatex has "
                          "no glyph")
    bib.set_defaults(func=cmd_bib)
    pages = commands.add_parser("pages", help="write the site's Markdown pages for other site generators")
    common(pages)
    pages.add_argument("--out", required=True, help="docs folder to write into")
    pages.add_argument("--force", action="store_true", help="overwrite files readinglist did not write")
    pages.add_argument("--templates", metavar="DIR",
                       help="a folder of page templates replacing the built-in ones by name (as `templates:`)")
    pages.add_argument("--nav", nargs="?", const="yaml", choices=("yaml", "toml"),
                       help="print the reading list's nav section on standard output: yaml (the default) for "
                            "`nav:` in mkdocs.yml, toml for `nav` in zensical.toml")
    pages.set_defaults(func=cmd_pages)
    stats = commands.add_parser("stats", help="topic counts, links and stage timings")
    common(stats)
    stats.set_defaults(func=cmd_stats)
    init = commands.add_parser("init", help="add the plugin (and a bib/ folder) to an existing mkdocs.yml")
    init.add_argument("--config", default="mkdocs.yml", help="the site's configuration (default: mkdocs.yml)")
    init.add_argument("--dry-run", action="store_true", help="print the change as a diff; write nothing")
    init.set_defaults(func=cmd_init)
    resolve_help = ("look up missing authors, ids, venues and links online; "
                    "write resolved.yml beside the key lock (the only command that goes online)")
    resolve = commands.add_parser("resolve", help=resolve_help, description=resolve_help[0].upper() + resolve_help[1:]
                                  + ". Builds read resolved.yml offline; each fact in it names the service it came "
                                  "from. --dry-run says what would be asked and where it would be written.")
    common(resolve)
    resolve.add_argument("--services", help="comma-separated, in this order: arxiv, huggingface, semantic_scholar, "
                         "dblp, openreview, crossref (default: all)")
    resolve.add_argument("--refresh", action="store_true", help="ask again about papers already asked about")
    resolve.add_argument("--dry-run", action="store_true", help="say what would be asked; no network, nothing written")
    resolve.set_defaults(func=cmd_resolve)
    latex = commands.add_parser("latex-check", help="compile a .bib with real LaTeX and report problems")
    latex.add_argument("bib", help="the .bib file")
    latex.add_argument("--engines", default="bibtex-plain,bibtex-alpha,biber",
                       help="comma-separated: bibtex-plain, bibtex-alpha, biber")
    latex.add_argument("--strict", action="store_true")
    latex.set_defaults(func=cmd_latex_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
