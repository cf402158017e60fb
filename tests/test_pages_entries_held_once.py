"""A one-shot run (the CLI, bench.core) holds each paper's BibTeX entry once in its pages stage:
as the text of the site's .bib file (render/pages.JoinedEntries), each entry cut out of it when
a page or a reference asks for it, and without the digest cache that would keep every entry
alive for a rebuild that never comes. The pages are the very bytes a serve process (whose memos
keep each entry) makes, on the seeds and on TeX Live's own bibliographies (@string macros,
crossref'd entries that go last)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mkdocs_readinglist.enrich.keys import KeyLock, assign_keys
from mkdocs_readinglist.latex.decode import decode_latex
from mkdocs_readinglist.latex.encode import one_spaced, to_latex
from mkdocs_readinglist.pipeline import Corpus, SourceCache, run_pipeline
from mkdocs_readinglist.render import reference
from mkdocs_readinglist.render.bibtex import LOCAL_PATH_FIELDS, entry_text, write_bibtex
from mkdocs_readinglist.render.pages import JoinedEntries, PageOptions, generate_pages
from mkdocs_readinglist.render.reference import ReferenceFormatter
from mkdocs_readinglist.settings import settings_from_mapping
from mkdocs_readinglist.site import (
    corpus_view,
    entry_texts,
    joined_entries,
    references_for,
    site_pages,
    standalone_entries,
)

from .helpers import copy_samples, samples_and_texlive_corpus


def test_joined_entries_are_the_entries_and_the_sites_bib_file(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    assert any(p.bib for p in corpus.papers) and any(not p.bib for p in corpus.papers)
    joined = joined_entries(corpus, LOCAL_PATH_FIELDS)
    assert dict(joined) == entry_texts(corpus, omit=LOCAL_PATH_FIELDS)  # every entry, cut out exactly
    assert joined.text == write_bibtex(corpus.papers, LOCAL_PATH_FIELDS)  # crossref targets last, @strings first
    assert "@string" in joined.text.lower() and "crossref" in joined.text.lower()
    assert len(joined) == len(corpus.papers) and "no-such-key" not in joined
    with pytest.raises(KeyError):
        joined["no-such-key"]
    # The site's .bib page is that very text, not a second copy of it.
    options = PageOptions()
    pages = generate_pages(corpus_view(corpus), options, {}, entries=joined)
    bib = next(p for p in pages if p.path == options.bib_file)
    assert bib.content is joined.text


def test_a_one_shot_run_makes_the_pages_a_serve_process_makes(samples_folder: Path) -> None:
    kept = samples_and_texlive_corpus(samples_folder, memos=True)
    once = samples_and_texlive_corpus(samples_folder, memos=False)
    for options in (PageOptions(), PageOptions(paper_pages=False, topic_page_size=3)):
        formatter = ReferenceFormatter()
        kept_pages, kept_refs = site_pages(kept, options, formatter)
        once_pages, once_refs = site_pages(once, options, ReferenceFormatter())
        assert [(p.path, p.content, p.in_nav, p.title) for p in once_pages] == \
            [(p.path, p.content, p.in_nav, p.title) for p in kept_pages]
        assert once_refs == kept_refs and sum(1 for r in once_refs.values() if r) > 100
        assert once.cache is not None and kept.cache is not None
    assert once.cache.work["bibtex entries rendered"] == 2 * len(once.papers)  # each entry once per run
    assert kept.cache.work["bibtex entries rendered"] == len(kept.papers)  # the second run recalls them


def test_one_shot_references_leave_no_entry_in_the_digest_cache(samples_folder: Path, tmp_path: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    joined = joined_entries(corpus)
    cache_file = tmp_path / "references.json"
    first = references_for(corpus, ReferenceFormatter(cache_file), entry_texts(corpus))
    reference._digest.cache_clear()
    again = ReferenceFormatter(cache_file)
    assert references_for(corpus, again, joined) == first
    assert again.formatted == 0  # every reference found by the digest of the same entry text
    assert reference._digest.cache_info().currsize == 0
    entries = standalone_entries(corpus)  # each with the @string definitions it uses
    assert ReferenceFormatter(cache_file).format_all(entries) == first
    assert reference._digest.cache_info().currsize == len(entries)  # a serve process keeps them


def test_one_spaced_gives_the_text_itself_when_nothing_changes() -> None:
    text = "Already one-spaced, as nearly every abstract is."
    assert one_spaced(text) is text
    assert one_spaced("  two  spaces ") == " two spaces "
    assert one_spaced("\t") == " " and one_spaced("") == ""


def test_an_entry_not_given_is_rendered(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    paper = corpus.papers[0]
    joined = JoinedEntries(corpus.papers[1:], entry_text)
    assert paper.key not in joined
    pages = generate_pages(corpus_view(corpus), PageOptions(), {}, entries=joined)
    page = next(p for p in pages if p.path.endswith(f"/papers/{paper.key}.md"))
    first_line = entry_text(paper).splitlines()[0]
    assert first_line.split("{")[0] in page.content and paper.key in page.content


def test_a_one_shot_run_lets_the_records_go_once_merged(samples_folder: Path) -> None:
    once, kept = samples_and_texlive_corpus(samples_folder, memos=False), samples_and_texlive_corpus(samples_folder, memos=True)
    assert once.papers == kept.papers and once.diagnostics == kept.diagnostics
    assert not any(r.records for r in once.results) and all(r.records for r in kept.results)
    assert [(r.file, count) for r, count in once.sources()] == [(r.file, len(r.records)) for r in kept.results]
    assert once.listings == kept.listings


def test_a_one_shot_runs_key_lock_holds_the_papers_own_ids(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"]})
    written = run_pipeline(settings, write_lock=True).lock  # the lock file a first build leaves
    read = KeyLock.read(settings.lock_path())
    assert read == written and len(read.keys) > 200
    once, kept = (run_pipeline(settings, cache=SourceCache(memos=memos)) for memos in (False, True))
    assert once.lock == kept.lock == read and once.papers == kept.papers
    # A serve process keeps the lock it read (what it keeps is named by it) ...
    assert kept.cache is not None and kept.lock is KeyLock.read(settings.lock_path(), kept.cache.memo("key lock"))

    def ids_held_by_papers(corpus: Corpus) -> int:
        papers_ids = {id(text) for p in corpus.papers for text in (p.id, *p.aliases)}
        return sum(id(text) in papers_ids for p in corpus.papers for text in corpus.lock.keys[p.key or ""])

    every_id = sum(len(once.lock.keys[p.key or ""]) for p in once.papers)
    assert ids_held_by_papers(kept) == 0  # ... whose ids are its own strings, equal to the papers'
    assert ids_held_by_papers(once) == every_id  # a one-shot run's lock holds the papers' own
    # The lock file is not written again by a one-shot run: its text is the same.
    before = settings.lock_path().stat().st_mtime_ns
    assert run_pipeline(settings, write_lock=True).lock == read
    assert settings.lock_path().stat().st_mtime_ns == before


def test_assign_keys_gives_back_the_lock_it_was_given_unless_asked_for_the_papers_strings(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    corpus = samples_and_texlive_corpus(tmp_path, memos=True)
    papers = [replace(p, key=None) for p in corpus.papers]
    given = KeyLock(dict(corpus.lock.keys))
    assert assign_keys(papers, given).lock is given
    made = assign_keys(papers, given, papers_strings=True)
    assert made.lock is not given and made.lock == given
    assert [p.key for p in made.papers] == [p.key for p in corpus.papers]


def test_a_one_shot_run_leaves_no_decoded_latex_cached(samples_folder: Path) -> None:
    kept = samples_and_texlive_corpus(samples_folder, memos=True)
    assert decode_latex.cache_info().currsize > 100  # the readers' cache, kept for a next read
    once = samples_and_texlive_corpus(samples_folder, memos=False)
    assert decode_latex.cache_info().currsize == 0  # nothing reads again in a one-shot run
    assert once.papers == kept.papers


def test_a_one_shot_site_leaves_no_latex_encoding_cached(samples_folder: Path) -> None:
    kept = samples_and_texlive_corpus(samples_folder, memos=True)
    kept_pages, _ = site_pages(kept, PageOptions(), ReferenceFormatter())
    assert to_latex.cache_info().currsize > 100  # a serve process keeps it for its next build
    once = samples_and_texlive_corpus(samples_folder, memos=False)
    once_pages, _ = site_pages(once, PageOptions(), ReferenceFormatter())
    assert to_latex.cache_info().currsize == 0  # every entry rendered once, before the pages
    assert [(p.path, p.content) for p in once_pages] == [(p.path, p.content) for p in kept_pages]
