"""The four sample listings read exactly, through the real `readinglist` command."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mkdocs_readinglist.diagnostics import CODES

from .helpers import SEED_NAMES, by_title, copy_samples, papers_json, run_cli


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    root = tmp_path_factory.mktemp("samples")
    copy_samples(root)
    return papers_json("bib/", cwd=root)


def test_224_papers_from_225_records(papers: list[dict[str, Any]]) -> None:
    assert len(papers) == 224
    per_file = Counter(Path(s["file"]).name for p in papers for s in p["sources"])
    assert per_file == {SEED_NAMES["notes"]: 45, SEED_NAMES["hf_search"]: 119,
                        SEED_NAMES["arxiv"]: 3, SEED_NAMES["hf_daily"]: 58}


def test_every_paper_has_the_json_fields(papers: list[dict[str, Any]]) -> None:
    fields = {"key", "title", "short_name", "year", "date", "arxiv_id", "authors", "author_count",
              "venue", "entry_type", "topics", "urls", "sources"}
    for paper in papers:
        assert fields <= set(paper)
        assert all(source["line"] >= 1 for source in paper["sources"])


def test_keys_unique_and_clean(papers: list[dict[str, Any]]) -> None:
    keys = [p["key"] for p in papers]
    assert len({k.lower() for k in keys}) == 224
    assert all(k.isascii() and k.isalnum() and k == k.lower() for k in keys)


def test_notes_page_facts(papers: list[dict[str, Any]]) -> None:
    notes = [p for p in papers if any(s["file"].endswith(SEED_NAMES["notes"]) for s in p["sources"])]
    assert len(notes) == 45
    assert {p["venue"] for p in notes} == {"ICLR 2026"}
    assert {p["year"] for p in notes} == {2026}
    clutch = by_title(papers, "CLUTCH:")
    assert clutch["short_name"] == "CLUTCH"
    assert clutch["key"] == "clutch2026"
    assert clutch["sources"] == [{"file": f"bib/{SEED_NAMES['notes']}", "line": 19}]
    # The second paragraph of a summary is never a title: 45 titles, all real ones.
    assert by_title(papers, "Zero-Shot Human Pose Estimation Using Diffusion-Based Inverse Solvers")
    assert by_title(papers, "EdgeCAPE:")["short_name"] == "EdgeCAPE"


def test_notes_page_header(tmp_path: Path) -> None:
    from mkdocs_readinglist.sources import read_source

    copy_samples(tmp_path)
    result = read_source(tmp_path / "bib" / SEED_NAMES["notes"])
    listing = result.listing
    assert listing is not None
    assert (listing.area, listing.venue, listing.year, listing.declared_count) == (
        "Human Understanding", "ICLR 2026", 2026, 45)
    assert [(t.name, t.count) for t in listing.header_topics] == [
        ("Human Pose", 7), ("Multimodal/VLM", 4), ("Diffusion Models", 3), ("LLM", 2)]
    assert ("CVPR 2026", 138) in [(v.name, v.count) for v in listing.other_venues]
    assert not [d for d in result.diagnostics if d.code == "count-mismatch"]


def test_hf_search_strips_glued_ui_text(papers: list[dict[str, Any]]) -> None:
    first = by_title(papers, "Pose as Clinical Prior: Learning Dual Representations for Scoliosis Screening")
    assert first["sources"][0]["line"] == 3
    assert not [p for p in papers if (p["title"] or "").startswith("Subscribe")]
    search = [p for p in papers if any(s["file"].endswith(SEED_NAMES["hf_search"]) for s in p["sources"])]
    assert len(search) == 119
    assert all(p["date"] is None or any(s["file"].endswith(SEED_NAMES["hf_daily"]) for s in p["sources"])
               for p in search)
    assert by_title(papers, "HccePose(BF): Predicting Front & Back Surfaces")  # `\&` read once


def test_arxiv_listing(papers: list[dict[str, Any]]) -> None:
    arxiv = {p["arxiv_id"]: p for p in papers if p["arxiv_id"]}
    assert set(arxiv) == {"2507.02565", "2502.03836", "2404.11291"}
    assert all(p["title"] is None for p in arxiv.values())  # never invented
    assert all(p["authors"] == [] and p["author_count"] is None for p in arxiv.values())
    assert (arxiv["2507.02565"]["date"], arxiv["2507.02565"]["updated"]) == ("2025-07-03", "2025-07-04")
    assert arxiv["2502.03836"]["comment"] == "6 pages, 7 figures"
    assert arxiv["2502.03836"]["venue"] is None
    assert (arxiv["2404.11291"]["venue"], arxiv["2404.11291"]["comment"]) == ("CVPR 2024", None)
    assert arxiv["2404.11291"]["year"] == 2024
    assert all(p["entry_type"] == "misc" for p in arxiv.values())


def test_hf_daily(papers: list[dict[str, Any]]) -> None:
    synpain = by_title(papers, "SynPAIN:")
    assert (synpain["author_count"], synpain["date"], synpain["year"]) == (8, "2025-07-31", 2025)
    stabilize = by_title(papers, "Learning to Stabilize Faces")
    assert (stabilize["author_count"], stabilize["date"]) == (7, "2024-11-22")
    vla = by_title(papers, "Unified Diffusion VLA:")  # an organisation, and an upvote count after the date
    assert (vla["organisation"], vla["author_count"], vla["date"]) == ("HKUSTGZ", None, "2025-11-03")
    unit = by_title(papers, "UniT: Toward a Unified Physical Language")  # no meta block at all
    assert (unit["author_count"], unit["date"], unit["year"]) == (None, None, None)
    yearless = by_title(papers, "Bidirectional Learning of Facial Action Units")
    assert (yearless["date"], yearless["year"]) == ("--04-11", None)
    daily = [p for p in papers if any(s["file"].endswith(SEED_NAMES["hf_daily"]) for s in p["sources"])]
    assert len(daily) == 58
    assert sum(1 for p in daily if p["date"] is None) == 1


def test_configured_year_dates_yearless_papers(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - readinglist:\n      sources:\n        - bib/" + SEED_NAMES["hf_search"]
        + "\n        - path: bib/" + SEED_NAMES["hf_daily"] + "\n          year: 2026\n", encoding="utf-8")
    papers = papers_json("--config", "mkdocs.yml", cwd=tmp_path)
    yearless = by_title(papers, "Bidirectional Learning of Facial Action Units")
    assert (yearless["date"], yearless["year"]) == ("2026-04-11", 2026)
    assert by_title(papers, "SynPAIN:")["date"] == "2025-07-31"  # a stated year is kept
    check = run_cli("check", "--config", "mkdocs.yml", cwd=tmp_path)
    assert "have no year" not in check.stderr


def test_the_survey_in_two_listings_is_one_paper(papers: list[dict[str, Any]]) -> None:
    anubis = by_title(papers, "Representation-Centric Survey of Skeletal Action Recognition and the ANUBIS Benchmark")
    assert sorted(Path(s["file"]).name for s in anubis["sources"]) == sorted(
        [SEED_NAMES["hf_search"], SEED_NAMES["hf_daily"]])
    assert anubis["author_count"] == 11  # from the daily page
    assert anubis["abstract"]


def test_check_exits_zero_and_reports_each_source(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    result = run_cli("check", "bib/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name, count in ((SEED_NAMES["notes"], 45), (SEED_NAMES["hf_search"], 119),
                        (SEED_NAMES["arxiv"], 3), (SEED_NAMES["hf_daily"], 58)):
        row = next(line for line in result.stdout.splitlines() if name in line)
        assert f" {count} " in f" {row} "
    assert "225 records -> 224 papers; 0 without a topic" in result.stdout
    for line in result.stderr.strip().splitlines():
        location, severity = line.split(": ")[0], line.split(": ")[1]
        assert location.count(":") == 1 and int(location.split(":")[1]) >= 1
        level, _, code = severity.partition("[")
        assert level in ("warning", "error", "info") and code.rstrip("]") in CODES
    strict = run_cli("check", "--strict", "bib/", cwd=tmp_path)
    assert strict.returncode == 1  # the sample has warnings (missing titles, a year-less date)


def test_every_sample_paper_gets_a_topic(papers: list[dict[str, Any]]) -> None:
    assert [p["title"] for p in papers if not p["topics"]] == []
    clutch = by_title(papers, "CLUTCH:")
    assert "Hands" in clutch["topics"] and "Motion Generation" in clutch["topics"]
    assert "Gait" in by_title(papers, "GPGait:")["topics"]
