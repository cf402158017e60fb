"""From a corpus to the files of a site: the one place the plugin and the CLI share."""

from __future__ import annotations

from collections.abc import Callable

from .pipeline import Corpus
from .render.bibtex import entry_text
from .render.pages import CorpusView, GeneratedPage, PageOptions, generate_pages
from .render.reference import ReferenceFormatter


def corpus_view(corpus: Corpus) -> CorpusView:
    header_topics = []
    for listing in corpus.listings:
        if listing.header_topics:
            header_topics.append((listing.file, " · ".join(f"{t.name} ×{t.count}" for t in listing.header_topics)))
    return CorpusView(
        papers=corpus.papers, taxonomy_names=corpus.taxonomy.names,
        mentions=dict(corpus.links.mentions), mentioned_by=dict(corpus.links.mentioned_by),
        related=dict(corpus.links.related), datasets=dict(corpus.links.datasets),
        paper_datasets=dict(corpus.links.paper_datasets),
        sources=[(r.file, r.format or "unreadable", len(r.records)) for r in corpus.results if not r.overrides],
        header_topics=header_topics)


def references_for(corpus: Corpus, formatter: ReferenceFormatter) -> dict[str, str]:
    references = formatter.format_all({p.key: entry_text(p) for p in corpus.papers})
    formatter.save()
    return references


def site_pages(corpus: Corpus, options: PageOptions, formatter: ReferenceFormatter,
               progress: Callable[[str], None] | None = None) -> tuple[list[GeneratedPage], dict[str, str]]:
    """The site's files and each paper's formatted reference (for citation tooltips)."""
    references = references_for(corpus, formatter)
    return generate_pages(corpus_view(corpus), options, references, progress), references
