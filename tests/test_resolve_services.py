"""Each service's client against a local server answering in that service's real response format,
and the resolution file read back into builds: precedence, pins, rejections, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_readinglist.enrich.resolved import FILE_NAME, read_resolution
from mkdocs_readinglist.pipeline import run_pipeline
from mkdocs_readinglist.resolve import arxiv, crossref, dblp, huggingface, openreview, semantic_scholar
from mkdocs_readinglist.resolve.http import ServiceError
from mkdocs_readinglist.settings import Settings, SourceSpec

from .resolve_servers import Published, World, atom_error, serve

ICLR = "ICLR.cc/2025/Conference"
PAPERS = [
    Published("Flow Matching for Human Motion", ("Wei Zhang", "Anna Rossi"), 2025, arxiv_id="2410.01234",
              doi="10.5555/fm.2025", venue_full="International Conference on Learning Representations",
              dblp_venue="ICLR", openreview=("fLoW25", ICLR, "ICLR 2025 Poster"),
              github="https://github.com/example/flow", project="https://example.org/flow"),
    Published("A Preprint Only", ("Jonas Novak",), 2024, arxiv_id="2403.00001", dblp_venue="CoRR",
              dblp_type="Informal and Other Publications"),
    Published("Rejected Paper on Poses", ("Sara Kim",), 2025,
              openreview=("rEj25", "ICLR.cc/2025/Conference/Rejected_Submission", "Submitted to ICLR 2025")),
    Published("Withdrawn Paper on Hands", ("Sara Kim",), 2025,
              openreview=("wDr25", "ICLR.cc/2025/Conference/Withdrawn_Submission", "ICLR 2025 Withdrawn Submission")),
]


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("READINGLIST_RESOLVE_DELAY", "0")
    return World([], PAPERS)


def _use(monkeypatch: pytest.MonkeyPatch, world: World, url: str) -> None:
    for name, value in world.env(url).items():
        monkeypatch.setenv(name, value)


def test_semantic_scholar_match_and_batch(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(world) as (url, log):
        _use(monkeypatch, world, url)
        api = semantic_scholar.client()
        query, found = semantic_scholar.match_title(api, "Flow Matching for Human Motion")
        batch = semantic_scholar.batch(api, ["ARXIV:2410.01234", "ARXIV:2403.00001", "ARXIV:9999.99999",
                                             "DOI:10.5555/fm.2025"])
        _, none = semantic_scholar.match_title(api, "Nothing Like This")
    assert query == "match:Flow Matching for Human Motion" and none == []
    assert found[0].venue == "ICLR 2025" and found[0].doi == "10.5555/fm.2025" and found[0].arxiv_id == "2410.01234"
    assert dict(found[0].extra)["dblp"].startswith("conf/iclr/")
    assert set(batch) == {"ARXIV:2410.01234", "ARXIV:2403.00001", "DOI:10.5555/fm.2025"}
    assert batch["ARXIV:2403.00001"].venue is None  # "arXiv.org" is not a venue
    assert log.requests[1][1] == "POST" and log.requests[1][3]["fields"][0] == semantic_scholar.FIELDS


def test_dblp_venue_doi_and_openreview_link_but_never_corr(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(world) as (url, _):
        _use(monkeypatch, world, url)
        api = dblp.client()
        _, found = dblp.search(api, "Flow Matching for Human Motion")
        _, preprint = dblp.search(api, "A Preprint Only")
    flow = next(c for c in found if c.title == "Flow Matching for Human Motion")  # DBLP's trailing "." dropped
    assert flow.venue == "ICLR 2025" and flow.doi == "10.5555/fm.2025"
    assert dict(flow.urls)["openreview"] == "https://openreview.net/forum?id=fLoW25"
    assert next(c for c in preprint if c.title == "A Preprint Only").venue is None
    assert dblp.candidate({"title": "T.", "year": "2020", "authors": {"author": {"text": "Wei Li 0003"}},
                           "venue": "CVPR", "type": "Conference and Workshop Papers"}).authors == ("Wei Li",)  # type: ignore[union-attr]


def test_openreview_lists_a_venue_once_and_never_a_rejected_or_withdrawn_submission(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    assert openreview.venue_id("ICLR 2025") == ICLR and openreview.venue_id("CVPR 2025") is None
    with serve(world) as (url, log):
        _use(monkeypatch, world, url)
        query, accepted = openreview.accepted(openreview.client(), "ICLR 2025")
    assert query == f"content.venueid={ICLR}" and log.count() == 1
    assert [c.title for c in accepted] == ["Flow Matching for Human Motion"]
    assert dict(accepted[0].urls)["openreview"] == "https://openreview.net/forum?id=fLoW25"
    for note in (World._note(PAPERS[2]), World._note(PAPERS[3])):  # even if a server sent them
        assert openreview.candidate(note, note["content"]["venueid"]["value"], "ICLR 2025") is None
    submitted = World._note(PAPERS[0])
    submitted["content"]["venue"]["value"] = "Submitted to ICLR 2025"
    assert openreview.candidate(submitted, ICLR, "ICLR 2025") is None


def test_openreview_pages_through_a_long_list(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    many = [Published(f"Accepted Paper Number {i}", ("A B",), 2025, openreview=(f"id{i}", ICLR, "ICLR 2025 Oral"))
            for i in range(5)]
    monkeypatch.setattr(openreview, "PAGE", 2)
    with serve(World([], many)) as (url, log):
        _use(monkeypatch, world, url)
        _, accepted = openreview.accepted(openreview.client(), "ICLR 2025")
    assert len(accepted) == 5 and log.count() == 3


def test_crossref_and_huggingface(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINGLIST_CONTACT", "me@example.org")
    with serve(world) as (url, log):
        _use(monkeypatch, world, url)
        _, found = crossref.search(crossref.client(), "Flow Matching for Human Motion")
        hf = huggingface.paper(huggingface.client(), "2410.01234")
        missing = huggingface.paper(huggingface.client(), "2401.99999")
    assert found[0].doi == "10.5555/fm.2025" and found[0].authors == ("Wei Zhang", "Anna Rossi") and found[0].year == 2025
    assert log.requests[0][3]["mailto"] == ["me@example.org"]
    assert hf is not None and dict(hf.urls) == {"code": "https://github.com/example/flow",
                                                 "project": "https://example.org/flow"}
    assert missing is None


def test_an_arxiv_error_feed_is_a_service_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ServiceError, match="incorrect id format"):
        arxiv.parse_feed(atom_error("incorrect id format for 1234.1234", "incorrect_id_format_for_1234.1234"))
    with pytest.raises(ServiceError, match="not an Atom feed"):
        arxiv.parse_feed(b"<html>Rate exceeded")


RESOLVED = """papers:
  title:{tid}:
    title: '{title}'
    found:
    - service: arxiv
      id: 2507.19673v1
      query: search_query=ti:synpain
      score: 1.0
      date: '2026-11-24'
      facts:
        arxiv_id: '2507.19673'
        authors: [Babak Taati, Muhammad Muzammil]
        primary_class: cs.CV
        year: 2025
    - service: dblp
      id: journals/x/Taati25
      query: q
      score: 1.0
      date: '2026-11-24'
      facts:
        venue: CoRR
    pending:
    - service: crossref
      id: 10.1/wrong
      title: SynPAIN Revisited
      query: q
      score: 0.9
      date: '2026-11-24'
      reason: titles differ
      facts:
        doi: 10.1/wrong
  title:nosuchpaperanywhere:
    title: No Such Paper
    found:
    - {{service: arxiv, id: 2501.00001v1, query: q, score: 1.0, date: '2026-11-24', facts: {{arxiv_id: '2501.00001'}}}}
"""
SYNPAIN = "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions"


def _corpus(tmp_path: Path, overrides: str = "", resolved: str | None = None) -> dict[str, object]:
    from .helpers import SAMPLES, SEED_NAMES

    bib = tmp_path / "bib"
    bib.mkdir(exist_ok=True)
    (bib / SEED_NAMES["hf_daily"]).write_text((SAMPLES / SEED_NAMES["hf_daily"]).read_text(encoding="utf-8"),
                                              encoding="utf-8")
    if overrides:
        (bib / "overrides.yml").write_text(overrides, encoding="utf-8")
    from mkdocs_readinglist.text import normalize_title

    text = RESOLVED.format(tid=normalize_title(SYNPAIN)[:80], title=SYNPAIN) if resolved is None else resolved
    (bib / FILE_NAME).write_text(text, encoding="utf-8")
    corpus = run_pipeline(Settings(base_dir=tmp_path, sources=(SourceSpec("bib"),)))
    paper = next(p for p in corpus.papers if p.title == SYNPAIN)
    return {"paper": paper, "diagnostics": corpus.diagnostics, "files": [r.file for r in corpus.results]}


def test_resolved_facts_fill_what_the_sources_lack(tmp_path: Path) -> None:
    got = _corpus(tmp_path)
    paper = got["paper"]
    assert paper.authors == ("Babak Taati", "Muhammad Muzammil")  # type: ignore[attr-defined]
    assert paper.arxiv_id == "2507.19673" and ("primaryclass", "cs.CV") in paper.fields  # type: ignore[attr-defined]
    assert paper.author_count == 8  # type: ignore[attr-defined]  # the listing's own count stays
    assert paper.venue is None  # type: ignore[attr-defined]  # "CoRR" is no venue
    assert all(v != "10.1/wrong" for _, v in paper.fields)  # type: ignore[attr-defined]  # pending: not applied
    assert "bib/resolved.yml" not in got["files"]  # read by the pipeline, not as a listing
    orphan = [d for d in got["diagnostics"] if d.code == "resolved-orphan"]  # type: ignore[attr-defined]
    assert len(orphan) == 1 and "nosuchpaperanywhere" in orphan[0].message and orphan[0].line == RESOLVED.splitlines().index("  title:nosuchpaperanywhere:") + 1


def test_overrides_reject_or_pin_a_match_and_win_over_resolved_facts(tmp_path: Path) -> None:
    rejected = _corpus(tmp_path, f'papers:\n  "{SYNPAIN}":\n    reject: arxiv\n')["paper"]
    assert rejected.authors == () and rejected.arxiv_id is None  # type: ignore[attr-defined]
    pinned = _corpus(tmp_path, f'papers:\n  "{SYNPAIN}":\n    arxiv_id: "2508.00002"\n')["paper"]
    assert pinned.arxiv_id == "2508.00002" and pinned.authors == ()  # type: ignore[attr-defined]
    won = _corpus(tmp_path, f'papers:\n  "{SYNPAIN}":\n    authors: [Babak Taati]\n')["paper"]
    assert won.authors == ("Babak Taati",) and won.arxiv_id == "2507.19673"  # type: ignore[attr-defined]


def test_a_damaged_resolution_file_is_an_error_with_its_line_and_the_build_goes_on(tmp_path: Path) -> None:
    got = _corpus(tmp_path, resolved="papers:\n  title:x:\n    found: [\n")
    errors = [d for d in got["diagnostics"] if d.code == "resolved-file"]  # type: ignore[attr-defined]
    assert len(errors) == 1 and errors[0].file.endswith(FILE_NAME) and errors[0].line >= 3
    assert got["paper"].authors == ()  # type: ignore[attr-defined]
    assert read_resolution(tmp_path / "nothing.yml").papers == {}


def test_a_serve_rebuild_reads_a_changed_resolution_file(tmp_path: Path) -> None:
    from mkdocs_readinglist.pipeline import SourceCache
    from mkdocs_readinglist.text import normalize_title

    from .helpers import SAMPLES, SEED_NAMES

    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "daily.txt").write_text((SAMPLES / SEED_NAMES["hf_daily"]).read_text(encoding="utf-8"),
                                                encoding="utf-8")
    settings = Settings(base_dir=tmp_path, sources=(SourceSpec("bib"),))
    cache = SourceCache(memos=True)

    def synpain() -> tuple[str, ...]:
        return next(p for p in run_pipeline(settings, cache).papers if p.title == SYNPAIN).authors

    assert synpain() == ()
    (tmp_path / "bib" / FILE_NAME).write_text(RESOLVED.format(tid=normalize_title(SYNPAIN)[:80], title=SYNPAIN),
                                              encoding="utf-8")
    assert synpain() == ("Babak Taati", "Muhammad Muzammil")
    assert cache.reads == 1  # the listing was read once; only the resolution file changed
    (tmp_path / "bib" / FILE_NAME).unlink()
    assert synpain() == ()


def test_a_published_venue_gives_the_year_and_a_listing_venue_is_never_replaced() -> None:
    from mkdocs_readinglist.enrich.resolved import apply_facts
    from mkdocs_readinglist.model import Paper

    preprint_facts = {"year": 2022, "date": "2022-11-30", "venue": "ICCV 2023", "arxiv_id": "2211.00001"}
    paper = apply_facts(Paper(id="t", title="T"), preprint_facts)
    assert (paper.venue, paper.year, paper.date, paper.arxiv_id) == ("ICCV 2023", 2023, None, "2211.00001")
    listed = apply_facts(Paper(id="t", title="T", venue="CVPR 2024", year=2024), {"venue": "ICCV 2023", "year": 2023})
    assert (listed.venue, listed.year) == ("CVPR 2024", 2024)
    arxiv_only = apply_facts(Paper(id="t", title="T"), {"venue": "arXiv.org", "year": 2025, "date": "2025-03-01"})
    assert (arxiv_only.venue, arxiv_only.year, arxiv_only.date) == (None, 2025, "2025-03-01")
    year_less = apply_facts(Paper(id="t", title="T", date="--07-31"), {"date": "2025-07-31", "year": 2025})
    assert year_less.date == "2025-07-31"


def test_journal_articles_become_article_and_proceedings_volumes_are_dropped() -> None:
    from mkdocs_readinglist.enrich.resolved import apply_facts
    from mkdocs_readinglist.model import Paper
    from mkdocs_readinglist.render.bibtex import bib_entry

    journal = dblp.candidate({"title": "Gait Sets.", "year": "2022", "type": "Journal Articles",
                              "venue": "IEEE Trans. Pattern Anal. Mach. Intell.", "key": "journals/pami/X22",
                              "authors": {"author": [{"text": "Hanqing Chao"}]}})
    assert journal is not None and journal.facts()["entry_type"] == "article"
    eccv = dblp.candidate({"title": "Pose.", "year": "2024", "type": "Conference and Workshop Papers",
                           "venue": "ECCV (12)", "authors": {"author": {"text": "A B"}}})
    assert eccv is not None and eccv.venue == "ECCV 2024"
    s2 = semantic_scholar.candidate({"paperId": "p", "title": "T", "year": 2023, "venue": "Computer Vision and "
                                     "Pattern Recognition", "publicationVenue": {"name": "x", "type": "conference"}})
    assert s2 is not None and s2.venue == "CVPR 2023" and s2.kind == "inproceedings"
    paper = apply_facts(Paper(id="t", title="Gait Sets", key="chao2022gait"), journal.facts())
    entry = bib_entry(paper)
    assert entry.entry_type == "article" and entry.fields_dict["journal"].value == "{IEEE Trans. Pattern Anal. Mach. Intell.}"


def test_a_rejected_match_no_longer_binds_the_key_lock(tmp_path: Path) -> None:
    """A wrong match's arXiv id went into the key lock under the paper's key; once rejected, the
    lock lets it go, and a listing of that id added later gets its own key, not the paper's."""
    from mkdocs_readinglist.enrich.keys import KeyLock
    from mkdocs_readinglist.text import normalize_title

    from .helpers import SAMPLES, SEED_NAMES

    bib = tmp_path / "bib"
    bib.mkdir()
    (bib / "daily.txt").write_text((SAMPLES / SEED_NAMES["hf_daily"]).read_text(encoding="utf-8"), encoding="utf-8")
    (bib / FILE_NAME).write_text(RESOLVED.format(tid=normalize_title(SYNPAIN)[:80], title=SYNPAIN), encoding="utf-8")
    settings = Settings(base_dir=tmp_path, sources=(SourceSpec("bib"),), lock_file=str(bib / "readinglist.lock"))

    def build() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
        corpus = run_pipeline(settings, write_lock=True)
        return {p.id: p.key for p in corpus.papers}, dict(KeyLock.read(settings.lock_path()).keys)

    keys, lock = build()
    synpain = next(i for i in keys if i.startswith("title:synpain"))
    key = keys[synpain]
    assert "arxiv:2507.19673" in lock[key]  # the (here wrong) match bound the key
    (bib / "overrides.yml").write_text(f'papers:\n  "{SYNPAIN}":\n    reject: arxiv:2507.19673\n', encoding="utf-8")
    keys, lock = build()
    assert keys[synpain] == key and "arxiv:2507.19673" not in lock[key] and synpain in lock[key]
    (bib / "arxiv.txt").write_text("The real paper of that id, with an abstract long enough to be one.\n\n"
                                   "arXiv:2507.19673v1\nCreated: 2025-07-25\n", encoding="utf-8")
    keys, lock = build()
    assert keys[synpain] == key and keys["arxiv:2507.19673"] != key
    assert lock[keys["arxiv:2507.19673"]] == ("arxiv:2507.19673",)


def test_a_paper_whose_title_was_edited_keeps_its_resolved_facts(tmp_path: Path) -> None:
    """A listing paper's id is its title: fixing one word of the title after `readinglist resolve`
    left its facts (authors, arXiv id) to no paper (`resolved-orphan`, at info) and the paper lost
    them, and its key with them. A title alike (as the key lock keeps a key) takes them."""
    from mkdocs_readinglist.text import normalize_title

    from .helpers import SAMPLES, SEED_NAMES

    bib = tmp_path / "bib"
    bib.mkdir()
    listing = (SAMPLES / SEED_NAMES["hf_daily"]).read_text(encoding="utf-8")
    (bib / SEED_NAMES["hf_daily"]).write_text(listing, encoding="utf-8")
    (bib / FILE_NAME).write_text(RESOLVED.format(tid=normalize_title(SYNPAIN)[:80], title=SYNPAIN), encoding="utf-8")
    settings = Settings(base_dir=tmp_path, sources=(SourceSpec("bib"),))
    key = next(p.key for p in run_pipeline(settings, write_lock=True).papers if p.title == SYNPAIN)
    edited = SYNPAIN.replace("Facial Expressions", "Facial Expression")
    (bib / SEED_NAMES["hf_daily"]).write_text(listing.replace(SYNPAIN, edited), encoding="utf-8")
    corpus = run_pipeline(settings, write_lock=True)
    paper = next(p for p in corpus.papers if p.title == edited)
    assert paper.arxiv_id == "2507.19673" and paper.authors == ("Babak Taati", "Muhammad Muzammil")
    assert paper.key == key  # (the key the resolved facts gave it: taati2025synpain)
    notes = {d.code: d for d in corpus.diagnostics if d.code in ("resolved-retitled", "resolved-orphan")}
    assert "resolved-retitled" in notes and edited in notes["resolved-retitled"].message
    assert "nosuchpaperanywhere" in notes["resolved-orphan"].message  # a title not alike stays an orphan
