"""How the model holds a corpus: a Paper's rarely set fields in one tuple (the same empty one for
every paper without them), a .bib entry's fields as one flat tuple with a braced title or abstract
held as the very text the reader decoded, one string per URL, date, short .bib value and key, and
the pages of a one-shot run holding neither a second index of the papers nor a path per paper
page. Checked by object identity on the seeds and TeX Live's bibliographies, and against what
the same objects give when made the plain way (all fields, every pair, equal copies)."""

from __future__ import annotations

import pickle
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import bibtexparser
import pytest

from mkdocs_readinglist.model import _NO_RARE, _RARE, PAPER_FIELDS, BibEntry, Paper, SourceRef
from mkdocs_readinglist.render.pages import GeneratedPage, PageOptions, _PaperPage, _PapersByKey, _Run, _Site
from mkdocs_readinglist.site import corpus_view, joined_entries
from mkdocs_readinglist.sources import read_source

from .helpers import samples_and_texlive_corpus, texlive


def test_a_paper_keeps_every_field_and_shares_one_tuple_when_it_has_no_rare_one(samples_folder: Path) -> None:
    papers = samples_and_texlive_corpus(samples_folder, memos=False).papers
    plain = [p for p in papers if all(getattr(p, name) in (None, ()) for name in _RARE)]
    rare = [p for p in papers if p not in plain]
    assert plain and rare
    assert all(p._rare is _NO_RARE for p in plain)  # type: ignore[attr-defined]
    for paper in papers:
        values = {name: getattr(paper, name) for name in PAPER_FIELDS}
        again = Paper(**values)
        assert again == paper and hash(again) == hash(paper)
        assert {name: getattr(again, name) for name in PAPER_FIELDS} == values
        assert pickle.loads(pickle.dumps(paper)) == paper
        assert isinstance(paper.provenance, tuple) and all(isinstance(s, SourceRef) for s in paper.provenance)
    one = rare[0]
    assert replace(one, notes="n").notes == "n" and replace(one, notes="n").bib == one.bib
    assert replace(plain[0], doi="10.1/x")._rare is not _NO_RARE  # type: ignore[attr-defined]
    assert replace(replace(plain[0], doi="10.1/x"), doi=None)._rare is _NO_RARE  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        one.notes = "x"  # type: ignore[misc]


def test_a_papers_one_record_place_is_held_without_a_tuple_and_given_as_one() -> None:
    place = SourceRef("bib/a.txt", 3)
    paper = Paper("arxiv:1", "T", provenance=(place,))
    assert paper._provenance is place and paper.provenance == (place,)  # type: ignore[attr-defined]
    two = Paper("arxiv:1", "T", provenance=(place, SourceRef("bib/b.txt", 4)))
    assert two.provenance == (place, SourceRef("bib/b.txt", 4))


@pytest.mark.parametrize("name", ["biblatex-examples.bib", "xampl.bib"])
def test_bib_entries_give_their_fields_as_written(name: str) -> None:
    path = texlive(name)
    result = read_source(path)
    written = {e.key: [(f.key, f.value) for f in e.fields]
               for e in bibtexparser.parse_string(path.read_text(encoding="utf-8"),
                                                  parse_stack=[]).entries}
    checked = shared = 0
    for record in result.records:
        entry = record.bib
        assert entry is not None
        assert pickle.loads(pickle.dumps(entry)) == entry
        assert entry.field_names() == tuple(n for n, _ in entry.fields)
        for field_name, value in entry.fields:
            assert entry.field(field_name.upper()) == next(v for n, v in entry.fields if n == field_name)
            assert isinstance(value, str)
        if entry.key in written:
            assert list(entry.fields) == written[entry.key]
            checked += 1
        for text in (record.title, record.abstract):
            if text is not None and any(held is text for held in entry._flat):  # type: ignore[attr-defined]
                shared += 1
                assert ("{" + text + "}") in (v for _, v in entry.fields)
    assert checked > 20
    if name == "biblatex-examples.bib":
        assert shared > 30  # titles written {Like this}: held once, as the paper's own title


def test_a_braced_abstract_is_the_records_own_text_and_written_back_as_it_was(tmp_path: Path) -> None:
    abstract = "We lift 2D keypoints to 3D poses with a diffusion prior, trained on AMASS and tested on 3DPW."
    latex = r"A \emph{new} method, 10\% better."
    bib = tmp_path / "mine.bib"
    bib.write_text("@article{plain,\n  title = {Lifting Poses},\n  abstract = {" + abstract + "},\n  year = {2025},\n}\n"
                   "@article{latex,\n  title = {{Lifting} Poses Again},\n  abstract = {" + latex + "},\n"
                   "  year = {2025},\n}\n", encoding="utf-8")
    first, second = read_source(bib).records
    assert first.bib is not None and second.bib is not None
    assert first.abstract == abstract and any(v is first.abstract for v in first.bib._flat)  # type: ignore[attr-defined]
    assert first.bib.field("abstract") == "{" + abstract + "}" and first.bib.field("Title") == "{Lifting Poses}"
    assert dict(second.bib.fields) == {"title": "{{Lifting} Poses Again}", "abstract": "{" + latex + "}",
                                       "year": "{2025}"}
    assert not second.bib._braced  # type: ignore[attr-defined]  # nothing equal to a decoded text
    assert BibEntry(first.bib.entry_type, first.bib.key, first.bib.fields, first.bib.source) == first.bib


def test_equal_urls_dates_short_bib_values_and_keys_are_one_string(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    strings: dict[str, set[int]] = defaultdict(set)
    for paper in corpus.papers:
        for _, url in paper.urls:
            strings[url].add(id(url))
        if paper.date:
            strings[paper.date].add(id(paper.date))
        for entry in paper.bib:
            for value in entry._flat[1::2]:  # type: ignore[attr-defined]
                if len(value) <= 24:
                    strings[value].add(id(value))
    repeated = [s for s, ids in strings.items() if ids]
    assert len(repeated) > 50 and all(len(strings[s]) == 1 for s in repeated)
    lock_keys = {key: key for key in corpus.lock.keys}
    for paper in corpus.papers:  # the lock's key is the paper's own string (a .bib paper's too)
        assert lock_keys[paper.key] is paper.key
    assert any(p.user_key for p in corpus.papers)


def test_a_one_shot_runs_pages_look_papers_up_in_their_entries_and_hold_no_paper_path(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    view = corpus_view(corpus)
    options = PageOptions()
    entries = joined_entries(corpus, options.omit_fields)
    run = _Run(_Site(view, options), {}, entries, lambda key, make: make(), None)  # type: ignore[arg-type, return-value]
    assert isinstance(run.by_key, _PapersByKey)
    for paper in corpus.papers:
        assert run.by_key.get(paper.key) is paper
    assert run.by_key.get("no-such-key") is None
    page = _PaperPage("reading-list", corpus.papers[0].key, "text", "T")
    plain = GeneratedPage(run.site.paper_path(corpus.papers[0]), "text", False, "T")
    assert page.path == plain.path and page == plain and plain == page and hash(page) == hash(plain)
    assert page != GeneratedPage(plain.path, "other", False, "T")


def test_topic_pages_places_are_let_go_before_the_paper_pages(samples_folder: Path) -> None:
    corpus = samples_and_texlive_corpus(samples_folder, memos=False)
    site = _Site(corpus_view(corpus), PageOptions())
    assert site.topic_pages and site.on_a_topic_page(next(p for p in corpus.papers if p.topics))
    site.forget_topic_pages()
    assert not site.topic_pages
    with pytest.raises(RuntimeError):
        site.on_a_topic_page(corpus.papers[0])
    assert site.paper_target(corpus.papers[0]) == site.paper_path(corpus.papers[0])  # what paper pages ask
    with pytest.raises(ValueError):
        _Site(corpus_view(corpus), PageOptions(paper_pages=False)).forget_topic_pages()
