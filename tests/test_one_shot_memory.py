"""What a one-shot run (the CLI, bench.core) holds: one copy of every paper at a time while the
topics and keys stages copy them, one object for values many papers share (topic tuples, the
lock's ids, a .bib's field names), and nothing the pages stage no longer asks for (the link
tables copied, the formatted references' digests). Checked by object identity and by what the
stages hold while they run, on the seeds and TeX Live's own bibliographies; the results are
those of a run that keeps everything (a `serve` process)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pytest import MonkeyPatch

from mkdocs_readinglist.enrich.keys import KeyLock, assign_keys
from mkdocs_readinglist.enrich.topics import tag_papers
from mkdocs_readinglist.memo import JoinedTexts, Memo, given_away
from mkdocs_readinglist.model import PAPER_FIELDS, Paper
from mkdocs_readinglist.render.markdown_text import _md, _md_short, md
from mkdocs_readinglist.render.pages import PageOptions, _Run, generate_pages
from mkdocs_readinglist.render.paths import _folder_relpath, relpath
from mkdocs_readinglist.render.reference import ReferenceFormatter
from mkdocs_readinglist.site import corpus_view, entry_texts, joined_entries, site_pages, standalone_entries
from mkdocs_readinglist.sources import read_source
from mkdocs_readinglist.sources.base import CONTAINER_TYPES

from .helpers import samples_and_texlive_corpus, samples_and_texlive_settings, texlive


def test_given_away_lets_go_of_each_item_as_it_is_given() -> None:
    items = ["a", "b", "c"]
    left = []
    for item in given_away(items):
        left.append((item, len(items)))
    assert left == [("a", 2), ("b", 1), ("c", 0)] and items == []


def test_keys_given_away_are_the_same_keys_and_lock_with_one_copy_at_a_time(samples_folder: Path) -> None:
    papers = samples_and_texlive_corpus(samples_folder, memos=True).papers
    fresh = tuple(Paper(**{**{n: getattr(p, n) for n in PAPER_FIELDS}, "key": ""}) for p in papers)
    kept = assign_keys(fresh, KeyLock({}), papers_strings=True)
    listed = list(fresh)
    del fresh
    held: list[int] = []

    def recall(key: object, make: object) -> Paper:
        held.append(len(listed))  # the caller's list, as each keyed copy is made
        return make()  # type: ignore[operator, no-any-return]

    given = assign_keys(listed, KeyLock({}), recall=recall, papers_strings=True, given_away=True)
    assert [p.key for p in given.papers] == [p.key for p in kept.papers]
    assert given.papers == kept.papers and given.lock.keys == kept.lock.keys
    assert given.diagnostics == kept.diagnostics
    # Each old paper was let go as its copy was made: never all of them beside their copies.
    assert held == list(range(len(papers) - 1, -1, -1)) and listed == []


def test_tagged_papers_with_the_same_topics_share_one_tuple(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    settings = samples_and_texlive_settings(samples_folder)
    untagged = [Paper(**{**{n: getattr(p, n) for n in PAPER_FIELDS}, "topics": ()}) for p in corpus.papers]
    tagged = tag_papers(untagged, settings.taxonomy)
    by_topics: dict[tuple[str, ...], set[int]] = {}
    for paper in tagged:
        if paper.topics:
            by_topics.setdefault(paper.topics, set()).add(id(paper.topics))
    repeated = [topics for topics, count in Counter(p.topics for p in tagged if p.topics).items() if count > 1]
    assert repeated, "the seeds have papers with the same topics"
    assert all(len(by_topics[topics]) == 1 for topics in repeated)
    # A run that keeps everything tags the same topics.
    assert [p.topics for p in tagged] == [p.topics for p in tag_papers(untagged, settings.taxonomy, Memo(), Memo())]


def test_the_lock_holds_a_papers_own_aliases_when_they_are_its_ids(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    shared = [p for p in corpus.papers if corpus.lock.keys[p.key] is p.aliases]
    assert len(shared) > len(corpus.papers) // 2
    for paper in corpus.papers:  # the lock's ids are still every id of the paper, sorted
        assert set(corpus.lock.keys[paper.key]) >= {paper.id, *paper.aliases}
        assert list(corpus.lock.keys[paper.key]) == sorted(corpus.lock.keys[paper.key])


def test_a_bib_files_field_names_and_types_are_one_string_each(samples_folder: Path) -> None:
    result = read_source(texlive("biblatex-examples.bib"))
    names: dict[str, set[int]] = {}
    types: dict[str, set[int]] = {}
    for record in result.records:
        assert record.bib is not None
        for name, _ in record.bib.fields:
            names.setdefault(name, set()).add(id(name))
        types.setdefault(record.bib.entry_type, set()).add(id(record.bib.entry_type))
    assert names["title"] and len(names) > 20
    assert all(len(ids) == 1 for ids in names.values()) and all(len(ids) == 1 for ids in types.values())


def test_pages_read_the_corpus_links_themselves(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    view = corpus_view(corpus)
    assert view.related is corpus.links.related and view.mentions is corpus.links.mentions
    assert view.datasets is corpus.links.datasets and view.paper_datasets is corpus.links.paper_datasets


def test_a_one_shot_run_lets_the_references_go_once_saved_and_reads_them_back(samples_folder: Path,
                                                                              tmp_path: Path) -> None:
    cache_file = tmp_path / "references.json"
    first = ReferenceFormatter(cache_file)
    pages, references = site_pages(samples_and_texlive_corpus(samples_folder, memos=False), PageOptions(), first)
    assert first.formatted > 0 and cache_file.exists() and not first._all_references()  # held by the file only
    # The same references, read back by the same formatter (nothing formatted again) and made
    # by a serve process's run.
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    made = first.formatted
    again = first.format_all(standalone_entries(corpus, entry_texts(corpus, omit=PageOptions().omit_fields)))
    assert again == references and first.formatted == made and first._all_references()
    served_pages, served = site_pages(samples_and_texlive_corpus(samples_folder, memos=True), PageOptions(), ReferenceFormatter(cache_file))
    assert served == references and [p.content for p in served_pages] == [p.content for p in pages]
    later = ReferenceFormatter(cache_file)
    _, later_references = site_pages(samples_and_texlive_corpus(samples_folder, memos=False), PageOptions(), later)
    assert later.formatted == 0 and later_references == references  # nothing formatted again


def test_a_one_shot_run_formats_its_references_again_only_when_asked(samples_folder: Path, tmp_path: Path) -> None:
    """The pages hold each paper's reference: a one-shot run's site_pages gives back references
    read from the cache file when first asked for (the CLI never asks), the same as a serve
    process's."""
    cache_file = tmp_path / "references.json"
    ReferenceFormatter(cache_file).save()
    site_pages(samples_and_texlive_corpus(samples_folder, memos=False), PageOptions(), ReferenceFormatter(cache_file))
    formatter = ReferenceFormatter(cache_file)
    _, references = site_pages(samples_and_texlive_corpus(samples_folder, memos=False), PageOptions(), formatter)
    assert not isinstance(references, dict) and not formatter._all_references()  # nothing read back yet
    _, served = site_pages(samples_and_texlive_corpus(samples_folder, memos=True), PageOptions(),
                           ReferenceFormatter(cache_file))
    assert isinstance(served, dict) and len(served) > 300
    assert dict(references) == served and formatter.formatted == 0  # read back, none formatted again
    assert dict(references) is not served and set(references) == set(served) and len(references) == len(served)


def test_paper_pages_of_a_run_giving_its_references_away_let_each_go(samples_folder: Path) -> None:
    """With references given away (a one-shot run), each paper's reference is taken out once its
    page holds it: none is left at the end, and the pages are those of a run keeping them."""
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    formatter = ReferenceFormatter()
    references = formatter.format_all(standalone_entries(corpus, entry_texts(corpus, omit=PageOptions().omit_fields)))
    assert sum(1 for text in references.values() if text) > 300
    kept = generate_pages(corpus_view(corpus), PageOptions(), dict(references))
    given = dict(references)
    held: list[int] = []
    real_render = _Run.render

    def render(run: _Run, name: str, context: dict[str, object]) -> str:
        if name == "paper.md.j2" and context.get("page"):
            held.append(len(given))
        return real_render(run, name, context)

    _Run.render = render  # type: ignore[method-assign]
    try:
        made = generate_pages(corpus_view(corpus), PageOptions(), given, references_given_away=True)
    finally:
        _Run.render = real_render  # type: ignore[method-assign]
    assert [(p.path, p.content) for p in made] == [(p.path, p.content) for p in kept]
    # (biblatex's @set entries have no page: their references, empty, are the ones left)
    pageless = {p.key for p in corpus.papers if p.entry_type in CONTAINER_TYPES}
    assert pageless == {"set", "stdmodel"} and set(given) == pageless and not any(given.values())
    assert held == list(range(len(references), len(pageless), -1))


def test_a_one_shot_sites_bib_file_is_its_entries_text_checked_once(samples_folder: Path, monkeypatch: MonkeyPatch) -> None:
    """The site's .bib of a one-shot run is the text its entries were joined into, its keys
    checked (keys_left_to_others over every paper) once, when joined, not again at the end."""
    import mkdocs_readinglist.render.pages as pages_module

    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    sizes: list[int] = []
    real = pages_module.keys_left_to_others

    def counted(papers: Sequence[Paper]) -> dict[str, frozenset[str]]:
        sizes.append(len(papers))
        return real(papers)

    monkeypatch.setattr(pages_module, "keys_left_to_others", counted)
    joined = joined_entries(corpus, PageOptions().omit_fields)
    assert joined.papers is corpus.papers and sizes == [len(corpus.papers)]
    made = generate_pages(corpus_view(corpus), PageOptions(), {}, entries=joined)
    site_bib = next(p for p in made if p.path == PageOptions().bib_file)
    assert site_bib.content is joined.text
    assert sizes.count(len(corpus.papers)) == 1  # the topics' .bib files are checked, the site's not again
    kept = generate_pages(corpus_view(corpus), PageOptions(), {}, entries=entry_texts(corpus, omit=PageOptions().omit_fields))
    assert next(p for p in kept if p.path == PageOptions().bib_file).content == joined.text


def test_joined_texts_give_each_text_as_made_and_make_it_once() -> None:
    texts = JoinedTexts()
    made: list[str] = []

    def make(number: int) -> str:
        made.append(f"t{number}")
        return f"entry {number}\n" * (number % 7) + ("é" if number % 5 == 0 else "")  # some empty

    expected = {number: make(number) for number in range(1000)}
    made.clear()
    first = [texts(("folder", number), lambda number=number: make(number)) for number in range(1000)]  # type: ignore[misc]
    assert first == [expected[number] for number in range(1000)] and len(made) == 1000 == texts.made
    # Asked again, in any order, across and within the chunks being filled: the same, none made.
    for number in [999, 0, 255, 256, 511, 512, 767, 768, 998, 3, 1000 - 1]:
        assert texts(("folder", number), lambda: make(-1)) == expected[number]
    assert len(made) == 1000 and len(texts) == 1000


def test_templates_are_joined_a_batch_at_a_time_into_the_same_text() -> None:
    from mkdocs_readinglist.render.templates import _joined

    for count in (0, 1, 511, 512, 513, 1024, 1025, 3000):
        parts = [f"{number}," if number % 3 else "" for number in range(count)]
        assert _joined(iter(parts)) == "".join(parts)


def test_topic_entries_of_a_one_shot_run_are_made_once_and_as_each_page_asks(samples_folder: Path) -> None:
    """A paper on several topic pages has its topic entry made once (held joined, memo.JoinedTexts),
    and a topic page's template gets its entries as a sequence that makes each when asked."""
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    view = corpus_view(corpus)
    counts: dict[str, int] = {}
    seen: list[object] = []
    real_render = _Run.render

    def render(run: _Run, name: str, context: dict[str, object]) -> str:
        if name == "topic.md.j2":
            seen.append(context["entries"])
        return real_render(run, name, context)

    _Run.render = render  # type: ignore[method-assign]
    try:
        made = generate_pages(view, PageOptions(), {}, counts=counts)
    finally:
        _Run.render = real_render  # type: ignore[method-assign]
    on_topics = {p.key for p in view.papers if any(t in view.taxonomy_names for t in p.topics)}
    placements = sum(1 for p in view.papers for t in p.topics if t in view.taxonomy_names)
    assert placements > len(on_topics) > 50  # papers on several topics
    untagged = [p for p in view.papers if p.key not in on_topics]  # (the view: @set entries are not papers)
    assert counts["topic entries rendered"] == len(on_topics) + len(untagged)
    assert seen and all(not isinstance(entries, list) for entries in seen)
    kept = generate_pages(view, PageOptions(), {}, recall=Memo())  # a serve process's run: entries kept in its memo
    assert [(p.path, p.content) for p in made] == [(p.path, p.content) for p in kept]


def test_markdown_of_a_text_needing_no_escape_is_that_very_text(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    plain = [p.title for p in corpus.papers if p.title and len(p.title) <= 160
             and not any(c in p.title for c in "&<>\\`*_[]#!{}|~^=$+\n") and not p.title[0].isdigit()
             and not p.title.lstrip().startswith(("-", "+"))]
    assert len(plain) > 10
    _md_short.cache_clear()
    assert all(md(title) is title for title in plain)  # the paper's own string
    assert _md_short.cache_info().currsize == 0  # and no cache entry for any of them
    assert md("a <b> *c*") == "a &lt;b&gt; \\*c\\*" and md("1. First") == "1\\. First"


def test_markdown_of_short_texts_is_that_of_the_general_path_and_caches_only_changed_ones(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    texts = {t for p in corpus.papers for t in (p.title, p.short_name, p.venue, p.organisation, *p.authors, *p.topics)
             if t and len(t) <= 160}
    texts |= {"1. First", " 12. x", "- item", "  -x", "+ plus", "x - y", "1.5 m", "12 Angry", "a\nb", "\u2003- x",
              "Math \\(\\alpha\\) here", "a|b", "x~y", "C++", "A=B", "$5", "[x](y)", "#1", "tab\t1. x"}
    _md_short.cache_clear()
    shown = {text: md(text) for text in texts}
    assert shown == {text: _md(text) for text in texts}  # as the escape of every text
    changed = {text for text in texts if _md(text) != text}
    assert len(changed) > 10 and len(texts) - len(changed) > 100
    assert all(shown[text] is text for text in texts - changed)
    info = _md_short.cache_info()
    assert info.currsize == len(changed) and info.misses == len(changed)  # only the changed ones are cached


def test_relative_links_are_worked_out_once_per_pair_of_folders(samples_folder: Path) -> None:
    """The pages' relative links: one cached way per (folder, start folder), not one per target
    (a cache of 4,096 that turned over once per paper, each entry leaving a hole)."""
    import posixpath

    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    _folder_relpath.cache_clear()
    starts = ["reading-list/topics", "reading-list/papers", "reading-list", ""]
    for start in starts:
        for paper in corpus.papers:
            target = f"reading-list/papers/{paper.key}.md"
            assert relpath(target, start) == posixpath.relpath(target, start or ".")
    # (biblatex-examples.bib has keys holding a `/`: `baez/article` links into papers/baez/)
    folders = {f"reading-list/papers/{paper.key}.md".rpartition("/")[0] for paper in corpus.papers}
    info = _folder_relpath.cache_info()
    assert len(corpus.papers) > 300 and len(folders) > 1
    assert info.currsize == info.misses == len(starts) * len(folders)
    # A target named like the next part of its start's path still gets posixpath's answer.
    assert relpath("a/b", "a/b/c") == posixpath.relpath("a/b", "a/b/c") == ".."


def test_a_group_of_one_record_is_that_record_and_gives_the_paper_of_the_general_path(samples_folder: Path) -> None:
    from mkdocs_readinglist.corpus import _Group, _grouped, merge_records, paper_from_records

    results = samples_and_texlive_corpus(samples_folder, memos=True).results
    records = [r for result in results for r in result.records]
    infos, norms, _, merges, _ = _grouped(results)
    groups = [info.records if isinstance(info, _Group) else [info] for info in infos]
    # every record in exactly one group, groups in the order of their first record
    assert sorted(map(id, (r for g in groups for r in g))) == sorted(map(id, records))
    assert [records.index(g[0]) for g in groups] == sorted(records.index(g[0]) for g in groups)
    several = [g for g in groups if len(g) > 1]
    assert several and len(records) - len(groups) == len(merges) == sum(len(g) - 1 for g in several)
    # a record merged with none is held alone (no _Group, lists or set): most of them
    alone = [info for info in infos if not isinstance(info, _Group)]
    assert len(alone) > len(infos) // 2 and all(any(info is r for r in records) for info in alone)
    assert all(len(info.records) > 1 or info.records[0].title for info in infos if isinstance(info, _Group))
    first_norms = [info.norms[0] if isinstance(info, _Group) else norm for info, norm in zip(infos, norms, strict=True)]
    assert first_norms == norms
    # each paper is the one the general path makes of its group's records
    papers = merge_records(results).papers
    assert len(papers) == len(groups)
    general = [paper_from_records(list(g)) for g in groups]
    assert [p.title for p in papers] == [p.title for p in general]
    assert all(p == g or (p.id != g.id and p.id.startswith(g.id + "~")) for p, g in zip(papers, general, strict=True))


def test_links_share_equal_tokens_and_terms_without_interning_them(samples_folder: Path) -> None:
    import sys

    from mkdocs_readinglist.enrich.links import build_links

    papers = samples_and_texlive_corpus(samples_folder, memos=False).papers
    texts, titles = Memo(), Memo()
    links = build_links(papers, texts, titles)
    assert links == build_links(papers)  # the same links as a run that keeps nothing
    tokens = [t for candidates, _ in texts._this.values() for t in candidates]
    words = [w for found in titles._this.values() for w in found]
    by_value: dict[str, set[int]] = {}
    for text in tokens + words:
        by_value.setdefault(text, set()).add(id(text))
    assert len(tokens) > len({*tokens}) and len(words) > len({*words})  # the same token or word in several papers
    assert all(len(ids) == 1 for ids in by_value.values())  # one string for each
    # and none of them is left in the process's interned strings
    assert not any(sys.intern((t + ".")[:-1]) is t for t in {*tokens, *words})
