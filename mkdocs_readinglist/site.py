"""From a corpus to the files of a site: the one place the plugin and the CLI share.

Each paper's BibTeX entry is rendered once per build (for its formatted reference and its
page alike), and recalled by the paper's content from the corpus's cache across rebuilds
(its `Memos`, memo.py). A one-shot run (a cache that keeps no memos: the CLI) holds the entries
once, as the text of the site's .bib file (render/pages.JoinedEntries).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any

from .latex.encode import to_latex
from .memo import Recall, Same, make_now
from .model import Paper
from .pipeline import Corpus, paused_gc
from .render.bibtex import citable_keys, entry_text, inherited_from, used_strings_text, with_inherited_fields
from .render.pages import CorpusView, GeneratedPage, JoinedEntries, PageOptions, generate_pages
from .render.reference import ReferenceFormatter
from .render.templates import environment
from .sources.base import CONTAINER_TYPES


def corpus_view(corpus: Corpus) -> CorpusView:
    header_topics = []
    for listing in corpus.listings:
        if listing.header_topics:
            header_topics.append((listing.file, " · ".join(f"{t.name} ×{t.count}" for t in listing.header_topics)))
    # biblatex's @set (a group of papers, cited as its members) and @xdata (fields other entries
    # take in) are entries of the .bib files, not papers: no page, not counted, on no list.
    papers, bib_papers = corpus.papers, None
    if any(paper.entry_type in CONTAINER_TYPES for paper in papers):
        papers, bib_papers = tuple(paper for paper in papers if paper.entry_type not in CONTAINER_TYPES), papers
    return CorpusView(
        papers=papers, taxonomy_names=corpus.taxonomy.names,
        mentions=corpus.links.mentions, mentioned_by=corpus.links.mentioned_by,
        related=corpus.links.related, datasets=corpus.links.datasets,
        paper_datasets=corpus.links.paper_datasets,
        sources=[(r.file, r.format or "unreadable", count) for r, count in corpus.sources() if not r.overrides],
        header_topics=header_topics, bib_papers=bib_papers)


def corpus_aliases(corpus: Corpus) -> dict[str, str]:
    """The key of every .bib entry merged into another paper, and every key biblatex's `ids` gives
    an entry (but another paper's own) -> that paper's key: still citable."""
    keyed = {paper.key.lower() for paper in corpus.papers}  # (another paper's own key is never an alias)
    aliases = {key: paper.key for paper in corpus.papers for key in paper.cite_keys
               if key != paper.key and key.lower() not in keyed}
    own = {key.lower() for paper in corpus.papers for key in paper.cite_keys}
    for paper in corpus.papers:
        for key in paper.alias_keys:
            if key.lower() not in own:
                aliases.setdefault(key, paper.key)
    # A key the lock gave a paper that has another key now (a key pinned in the overrides): the
    # old one stays citable in your pages, as a .bib entry's own key does.
    former = [key for key in corpus.lock.keys if key.lower() not in own and key not in aliases]
    if former:
        key_of = {paper_id: paper.key for paper in corpus.papers for paper_id in (paper.id, *paper.aliases)}
        for key in former:
            found = next((key_of[i] for i in corpus.lock.keys[key] if i in key_of), None)
            if found is not None and found != key:
                aliases[key] = found
    return aliases


@contextmanager
def _entry_maker(corpus: Corpus, omit: tuple[str, ...]) -> Iterator[Callable[[Paper], str]]:
    """What renders a paper's BibTeX entry for this corpus: recalled by the paper's content
    (equal, not only the very object: a listing read again gives new papers, and only the one
    that changed is rendered again) when the corpus has a cache, whose work counts the entries
    rendered once the caller is done."""
    if corpus.cache is None:
        yield partial(entry_text, omit=omit)
        return
    recall = corpus.cache.memo("bibtex entries", omit)
    rendered = recall.made
    yield lambda paper: recall(paper, partial(entry_text, paper, omit))
    corpus.cache.work["bibtex entries rendered"] += recall.made - rendered


def entry_texts(corpus: Corpus, only: Collection[str] | None = None, omit: tuple[str, ...] = ()) -> dict[str, str]:
    """key -> the paper's BibTeX entry (of the papers whose keys are in `only`, when given), fields
    in `omit` left out; papers unchanged since the last run are not rendered again."""
    with _entry_maker(corpus, omit) as make:
        return {p.key: make(p) for p in corpus.papers if only is None or p.key in only}


def alone(paper: Paper, text: str, by_key: Mapping[str, Paper], entry_of: Callable[[Paper], str]) -> str:
    """A paper's entry `text` as a formatter reads it alone: with the @string definitions it
    uses, and the entries its `crossref`/`xdata` inherit from (`entry_of` gives their text)."""
    if not paper.bib:
        return text
    parents = inherited_from(paper, by_key)
    strings = used_strings_text(paper, *parents)
    if parents:
        text = with_inherited_fields(text, paper, parents) + "".join("\n" + entry_of(parent) for parent in parents)
    return strings + text


class _Standalone(Mapping[str, str]):
    """standalone_entries of a one-shot run's JoinedEntries, each made when asked for (not a
    second copy of every entry)."""

    def __init__(self, corpus: Corpus, entries: Mapping[str, str]) -> None:
        self.entries = entries
        self.papers = {paper.key: paper for paper in corpus.papers}
        self.by_key = citable_keys(corpus.papers)

    def __getitem__(self, key: str) -> str:
        return alone(self.papers[key], self.entries[key], self.by_key, lambda parent: self.entries[parent.key])

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def joined_entries(corpus: Corpus, omit: tuple[str, ...] = ()) -> JoinedEntries:
    """Every paper's entry, as entry_texts gives them, held as the one text of the site's .bib
    file (render/pages.JoinedEntries): for one-shot runs, whose memos keep no entry."""
    with _entry_maker(corpus, omit) as make:
        return JoinedEntries(corpus.papers, make)


def standalone_entries(corpus: Corpus, entries: Mapping[str, str] | None = None) -> dict[str, str]:
    """Entries as a formatter (pybtex, citeproc-py) reads each alone: an entry that uses a .bib's
    @string macros comes with their definitions, one that inherits (`crossref`) with its parent."""
    given = dict(entries) if entries is not None else entry_texts(corpus)
    by_key = citable_keys(corpus.papers)
    result = dict(given)
    for paper in corpus.papers:
        if paper.key in given:
            result[paper.key] = alone(paper, given[paper.key], by_key,
                                      lambda parent: given.get(parent.key) or entry_text(parent))
    return result


def references_for(corpus: Corpus, formatter: ReferenceFormatter,
                   entries: Mapping[str, str] | None = None, again: bool = False) -> dict[str, str]:
    """key -> formatted reference; an entry pybtex cannot format leaves a Diagnostic in
    `formatter.diagnostics`, at the line of the paper's .bib entry (else its first record).
    A one-shot run (`entries` a JoinedEntries) lets the formatter's references go once saved,
    unless they are asked for `again` (once its pages are made)."""
    places = {paper.key: paper.bib[0].source if paper.bib else paper.provenance[0]
              for paper in corpus.papers if paper.bib or paper.provenance}
    if isinstance(entries, JoinedEntries):  # a one-shot run: each entry cut out and digested in turn
        references = formatter.format_all(_Standalone(corpus, entries), places, keep_digests=False)
        formatter.save()
        if again:
            return references
        formatter.forget()  # the run's references are these: the file keeps the rest
        return references
    references = formatter.format_all(standalone_entries(corpus, entries), places)
    formatter.save()
    return references


class _ReferencesAgain(Mapping[str, str]):
    """A one-shot run's references once its pages are made (each paper page holds its own, and
    the run let go of them as it went): formatted again from the cache file when first asked
    for, which neither the CLI nor bench.core does."""

    def __init__(self, corpus: Corpus, formatter: ReferenceFormatter, entries: Mapping[str, str]) -> None:
        self._args: tuple[Corpus, ReferenceFormatter, Mapping[str, str]] | None = (corpus, formatter, entries)
        self._references: dict[str, str] = {}

    def _made(self) -> dict[str, str]:
        if self._args is not None:
            self._references = references_for(*self._args, again=True)
            self._args = None
        return self._references

    def __getitem__(self, key: str) -> str:
        return self._made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


def site_pages(corpus: Corpus, options: PageOptions, formatter: ReferenceFormatter,
               progress: Callable[[str], None] | None = None,
               timings: dict[str, float] | None = None) -> tuple[list[GeneratedPage], Mapping[str, str]]:
    """The site's files and each paper's formatted reference (for citation tooltips).
    `timings`, when given, gets the seconds of each step (BibTeX entries, references, pages).
    A one-shot run's references (a cache that keeps no memos) are formatted again from the
    references' cache file when first asked for: its pages hold them meanwhile."""
    with paused_gc():
        return _site_pages(corpus, options, formatter, progress, timings)


def _site_pages(corpus: Corpus, options: PageOptions, formatter: ReferenceFormatter,
                progress: Callable[[str], None] | None,
                timings: dict[str, float] | None) -> tuple[list[GeneratedPage], Mapping[str, str]]:
    clock = time.perf_counter()
    if corpus.cache is None:
        return _made_pages(corpus, options, formatter, progress, timings, clock)
    # When the pipeline reused its last corpus (nothing changed), so are the pages.
    made = corpus.cache.memo("site", options)
    before = made.made
    templates = environment(options.templates)  # a new one when a user's template changed
    pages, references = made((Same(corpus.papers), Same(corpus.links), Same(formatter), Same(templates)),
                             lambda: _made_pages(corpus, options, formatter, progress, timings, clock))
    if made.made == before and timings is not None:
        timings.update({"bibtex entries": 0.0, "references": 0.0, "pages": time.perf_counter() - clock})
    if isinstance(references, _ReferencesAgain):  # a one-shot run: not formatted again unless asked
        return pages, references
    return list(pages), dict(references)


def _made_pages(corpus: Corpus, options: PageOptions, formatter: ReferenceFormatter,
                progress: Callable[[str], None] | None, timings: dict[str, float] | None,
                clock: float) -> tuple[list[GeneratedPage], Mapping[str, str]]:
    # A site that only cites needs the entries and references of the cited papers only.
    entries: Mapping[str, str]
    one_shot = not (options.cite_only or (corpus.cache is not None and corpus.cache.keeps_memos))
    if not one_shot:
        entries = entry_texts(corpus, options.cited if options.cite_only else None, options.omit_fields)
    else:  # a one-shot run: the entries held once, as the site's .bib file
        entries = joined_entries(corpus, options.omit_fields)
        # Every entry is rendered now, and nothing renders one again in this run: the encoder's
        # cache (65,536 texts, ~0.1 KB per paper at 100k) need not live through the pages.
        to_latex.cache_clear()
    after_entries = time.perf_counter()
    references = references_for(corpus, formatter, entries)
    after_references = time.perf_counter()
    recall: Recall = corpus.cache.memo("pages", options) if corpus.cache is not None else make_now
    pages = generate_pages(corpus_view(corpus), options, references, progress, entries, recall,
                           corpus.cache.work if corpus.cache is not None else None, references_given_away=one_shot)
    if timings is not None:
        timings["bibtex entries"] = after_entries - clock
        timings["references"] = after_references - after_entries
        timings["pages"] = time.perf_counter() - after_references
    if one_shot:  # given away to the pages: what they left is not all of them
        return pages, _ReferencesAgain(corpus, formatter, entries)
    return pages, references


def nav_section(pages: list[GeneratedPage], folder: str, title: str) -> dict[str, list[Any]]:
    """The reading list's section of a site's nav: its home, the datasets page and the topics
    (paper pages stay out of the nav: topic pages list them). The plugin appends it to a
    user's own nav; `readinglist pages --nav` prints it for engines that do not run the plugin."""
    base = folder.strip("/") + "/"
    made = {p.path for p in pages}
    topics = sorted(path for path in made if path.startswith(f"{base}topics/") and path.endswith(".md"))
    # (a layout without a home or datasets page, a site that only cites: only the pages it makes)
    section: list[Any] = [path for path in (f"{base}index.md", f"{base}datasets.md") if path in made]
    if topics:
        section.append({"Topics": topics})
    return {title: section}
