"""corpus.merge_records in process: which records are one paper, which value each field keeps,
and that every record's file:line stays on its paper (provenance). Real records from the four
sample listings in bib/, and copies of them placed in other files where a rule needs one."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from mkdocs_readinglist.corpus import merge_records
from mkdocs_readinglist.memo import Memo
from mkdocs_readinglist.model import Paper, Record, Severity, SourceRef, SourceResult
from mkdocs_readinglist.sources import read_source

from .helpers import SAMPLES, SEED_NAMES


@pytest.fixture(scope="module")
def samples() -> list[SourceResult]:
    return [read_source(SAMPLES / SEED_NAMES[name], display=f"bib/{SEED_NAMES[name]}")
            for name in ("notes", "arxiv", "hf_daily", "hf_search")]


def _result(file: str, *records: Record) -> SourceResult:
    return SourceResult(file=file, format=records[0].format, records=records, diagnostics=())


def _moved(record: Record, file: str, line: int, **changes: object) -> Record:
    return replace(record, source=SourceRef(file, line), **changes)  # type: ignore[arg-type]


def test_the_samples_merge_one_paper_listed_twice_and_lose_no_record(samples: list[SourceResult]) -> None:
    merged = merge_records(samples)
    records = [r for s in samples for r in s.records]
    assert len(records) == 225 and len(merged.papers) == 224 and merged.built == 224
    provenance = [ref for p in merged.papers for ref in p.provenance]
    assert sorted(map(str, provenance)) == sorted(str(r.source) for r in records)  # each record on one paper
    twice = [p for p in merged.papers if len(p.provenance) > 1]
    assert len(twice) == 1 and twice[0].title is not None and twice[0].title.startswith("Representation-Centric")
    daily, search = (str(ref) for ref in twice[0].provenance)
    assert daily.startswith("bib/hf-daily-") and search.startswith("bib/hf-search-")
    assert [(d.file + f":{d.line}", d.severity, d.code) for d in merged.diagnostics] == \
        [(search, Severity.INFO, "duplicate")]
    assert f"duplicate of {daily}" in merged.diagnostics[0].message
    assert len({p.id for p in merged.papers}) == 224


def test_the_same_arxiv_id_is_one_paper_and_a_title_comes_from_whichever_source_has_one(
        samples: list[SourceResult]) -> None:
    listed = next(r for s in samples for r in s.records if r.arxiv_id)
    assert listed.title is None  # the arXiv listing's entries have no title line
    titled = _moved(listed, "bib/other.txt", 3, title="A Title From Another Listing", abstract=None)
    merged = merge_records([_result(listed.source.file, listed), _result("bib/other.txt", titled)])
    assert len(merged.papers) == 1
    paper = merged.papers[0]
    assert paper.arxiv_id == listed.arxiv_id and paper.id == f"arxiv:{listed.arxiv_id}"
    assert paper.provenance == (listed.source, titled.source)
    assert paper.title == "A Title From Another Listing" and paper.abstract == listed.abstract
    assert [d.code for d in merged.diagnostics] == ["duplicate"]


def test_the_same_title_with_different_arxiv_ids_is_two_papers_and_a_warning(samples: list[SourceResult]) -> None:
    daily = next(r for s in samples for r in s.records if s.format == "hf-daily")
    first = _moved(daily, "bib/a.txt", 2, arxiv_id="2101.00001")
    other = _moved(daily, "bib/b.txt", 7, arxiv_id="2101.00002")
    merged = merge_records([_result("bib/a.txt", first), _result("bib/b.txt", other)])
    assert [p.arxiv_id for p in merged.papers] == ["2101.00001", "2101.00002"]
    assert [(d.file, d.line, d.severity, d.code) for d in merged.diagnostics] == \
        [("bib/b.txt", 7, Severity.WARNING, "same-title")]
    assert "bib/a.txt:2" in merged.diagnostics[0].message


def test_each_field_keeps_its_best_value_and_nothing_is_invented(samples: list[SourceResult]) -> None:
    scraped = next(r for s in samples for r in s.records if s.format == "hf-daily" and r.date)
    assert scraped.title is not None and scraped.abstract is not None
    mine = Record(source=SourceRef("refs.bib", 12), format="bibtex", title=scraped.title.upper(),
                  abstract=scraped.abstract[:40], key="MyKey2024", entry_type="inproceedings",
                  fields=(("booktitle", "{CVPR}"),))
    merged = merge_records([_result(scraped.source.file, scraped), _result("refs.bib", mine)])
    paper, = merged.papers
    assert paper.title == mine.title  # the user's .bib comes first
    assert paper.abstract == scraped.abstract  # the longest abstract: the .bib's is a cut copy of it
    assert paper.date == scraped.date  # the .bib has none: the listing's
    assert paper.user_key == "MyKey2024" and paper.entry_type == "inproceedings"
    assert dict(paper.fields) == {"booktitle": "{CVPR}"}
    assert paper.provenance == (scraped.source, mine.source)
    assert paper.authors == () and paper.venue is None and paper.arxiv_id is None  # no source states them


def test_a_paper_without_a_usable_title_is_named_by_its_line() -> None:
    short = Record(source=SourceRef("bib/x.txt", 4), format="hf-daily", title="Pose")
    again = Record(source=SourceRef("bib/x.txt", 9), format="hf-daily", title="Pose")
    merged = merge_records([_result("bib/x.txt", short, again)])
    assert [p.id for p in merged.papers] == ["source:bib/x.txt:4", "source:bib/x.txt:9"]  # too short to merge on


def test_ids_stay_unique_when_long_titles_share_their_first_80_letters() -> None:
    stem = "A Very Long Title About Human Pose Estimation That Goes On And On For Many Many Words, Like Scraped Ones"
    first = Record(source=SourceRef("a.txt", 1), format="hf-daily", title=stem + " Part One", arxiv_id=None)
    second = Record(source=SourceRef("a.txt", 5), format="hf-daily", title=stem + " Part Two")
    merged = merge_records([_result("a.txt", first, second)])
    ids = [p.id for p in merged.papers]
    assert len(merged.papers) == 2 and ids[1] == ids[0] + "~2" and ids[1] in merged.papers[1].aliases


def test_the_memo_remakes_only_the_papers_of_a_listing_read_again(samples: list[SourceResult]) -> None:
    memo = Memo()
    cold = merge_records(samples, memo)
    memo.end_run()
    warm = merge_records(samples, memo)
    memo.end_run()
    assert cold.built == 224 and warm.built == 0 and warm.papers == cold.papers
    assert memo.made == 224 and memo.reused == 224
    reread = [*samples[:-1], read_source(Path(samples[-1].file))]  # new record objects for one file
    edited = merge_records(reread, memo)
    assert edited.built == len(samples[-1].records)  # each paper holding one of its records, the merged one too
    assert memo.made == 224 + edited.built
    assert edited.papers == cold.papers


def test_a_release_lets_each_papers_records_go_as_soon_as_it_is_made(samples: list[SourceResult]) -> None:
    # Records only this list holds (the fixture's are held by the fixture): read again, named apart.
    def read() -> list[SourceResult]:
        return [read_source(Path(s.file), display="again/" + s.file) for s in samples]

    results = read()
    files = {r.file for r in results}
    total = sum(len(r.records) for r in results)

    def live() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, Record) and o.source.file in files)

    released: list[int] = []

    def release() -> None:
        released.append(live())  # every record grouped, no paper made yet
        results[:] = [replace(r, records=()) for r in results]

    alive_before: dict[int, int] = {}
    calls = 0

    def recall(key: object, make: Callable[[], Paper]) -> Paper:
        nonlocal calls
        if calls in (0, 1, 100, total - 2):
            alive_before[calls] = live()
        calls += 1
        return make()

    merged = merge_records(results, recall, release)
    assert released == [total] and calls == len(merged.papers) == 224
    assert merged.papers == merge_records(read()).papers  # the same papers as a run that keeps its records
    made = [len(p.provenance) for p in merged.papers]  # each paper's records, in the order they are made
    assert alive_before == {n: total - sum(made[:n]) for n in alive_before}
    assert alive_before[1] < total and live() == 0


def test_a_papers_id_is_the_string_of_its_equal_alias(samples: list[SourceResult]) -> None:
    papers = merge_records(samples).papers
    assert {p.id.split(":")[0] for p in papers} >= {"arxiv", "title"}
    for paper in papers:
        assert any(alias is paper.id for alias in paper.aliases), paper.id


def test_a_link_written_as_latex_target_and_text_is_one_url() -> None:
    """The samples' ANUBIS abstract ends `https://yliu1082.github.io/ANUBIS/{https://yliu1082.github.io/ANUBIS/`
    (a LaTeX link's target and text): its brace dropped, the two made one broken URL."""
    from mkdocs_readinglist.corpus import find_urls
    from mkdocs_readinglist.sources import read_source

    from .helpers import SAMPLES
    listing = SAMPLES / "hf-search-skeleton-pose.txt"
    assert "ANUBIS/{https://yliu1082" in listing.read_text(encoding="utf-8")
    record = next(r for r in read_source(listing).records if r.abstract and "yliu1082" in r.abstract)
    assert find_urls(record.abstract) == (("project", "https://yliu1082.github.io/ANUBIS/"),)
    assert find_urls("see https://a.org/x and https://b.org/y.") == (("project", "https://a.org/x"),
                                                                       ("project", "https://b.org/y"))


def test_urls_are_found_from_the_first_http_on_as_in_the_whole_text() -> None:
    """find_urls starts its pattern at a text's first `http` (every URL starts there): the same
    URLs as the pattern over the whole text, on every abstract, summary and comment of the
    samples and of TeX Live's biblatex examples."""
    import re

    from mkdocs_readinglist import corpus
    from mkdocs_readinglist.sources import read_source

    from .helpers import SAMPLES
    from .test_bib_round_trip import texlive_bib

    texts = [t for path in [*sorted(SAMPLES.glob("*.txt")), texlive_bib("biblatex-examples.bib")]
             for r in read_source(path).records for t in (r.abstract, r.summary, r.comment) if t]
    with_urls = [t for t in texts if "http" in t]
    assert len(with_urls) > 10
    pattern: re.Pattern[str] = corpus._URL
    for text in [*texts, "no link", "http", "xhttp://a.b/c https://d.e/f."]:
        start = text.find("http")
        assert (pattern.findall(text, start) if start >= 0 else []) == pattern.findall(text)
