"""Listings nobody here had seen (other areas, venues, dates) are read by format, not by sample."""

from __future__ import annotations

from pathlib import Path

from mkdocs_readinglist.sources import read_source
from mkdocs_readinglist.sources.base import SourceOptions

UNSEEN = Path(__file__).parent / "fixtures" / "unseen"


def test_notes_page_of_another_area_and_venue() -> None:
    result = read_source(UNSEEN / "rl-neurips-notes.txt")
    assert result.format == "notes-page"
    listing = result.listing
    assert listing is not None
    assert (listing.area, listing.venue, listing.year, listing.declared_count) == (
        "Reinforcement Learning", "NeurIPS 2025", 2025, 3)
    assert [(t.name, t.count) for t in listing.header_topics] == [("Reinforcement Learning", 3), ("LLM", 1)]
    titles = [r.title for r in result.records]
    assert titles == ["TD-Zero: Temporal Difference Learning without Bootstrapping Bias",
                      "Reward Models Are Secretly Value Functions", "Offline RL at Scale with Transformers"]
    assert "KL-regularised" in (result.records[1].summary or "")  # the second paragraph joined, not a title
    assert all(r.venue == "NeurIPS 2025" and r.year == 2025 for r in result.records)
    assert not [d for d in result.diagnostics if d.severity.value != "info"]


def test_hf_search_of_another_topic() -> None:
    result = read_source(UNSEEN / "hf-search-gait.txt")
    assert result.format == "hf-search"
    assert [r.title for r in result.records] == [
        "GaitFormer: Learning Gait Representations with Noisy Multi-Task Learning",
        "OpenGait: Revisiting Gait Recognition Toward Better Practicality"]
    assert [r.source.line for r in result.records] == [3, 5]
    assert all(r.abstract and r.abstract.startswith("Gait ") for r in result.records)


def test_arxiv_listing_with_versions_old_ids_and_comments() -> None:
    result = read_source(UNSEEN / "arxiv-mixed.txt")
    assert result.format == "arxiv-listing"
    records = {r.arxiv_id: r for r in result.records}
    assert set(records) == {"2311.01234", "2309.05678", "cs/0112017"}
    first = records["2311.01234"]
    assert (first.arxiv_version, first.date, first.updated, first.comment) == (3, "2023-11-02", "2024-01-15", None)
    assert first.abstract == "We study learning from demonstrations with a single sentence abstract."
    assert (records["2309.05678"].venue, records["2309.05678"].comment) == ("NeurIPS 2023", "Accepted to NeurIPS 2023")
    old = records["cs/0112017"]
    assert (old.arxiv_version, old.comment, old.year) == (2, "12 pages, 3 figures", 2001)
    assert all(r.title is None for r in result.records)


def test_hf_daily_with_other_dates_singular_author_and_organisation() -> None:
    result = read_source(UNSEEN / "hf-daily-dec.txt", SourceOptions(year=2024))
    assert result.format == "hf-daily"
    assert result.listing is not None and result.listing.page_date == "2024-12-03"
    solo, lab, other = result.records
    assert (solo.title, solo.author_count, solo.date) == ("SoloGait: Gait Recognition from a Single Camera", 1, "2023-01-05")
    assert (lab.organisation, lab.author_count, lab.date, lab.year) == ("DeepMind Team", None, "2024-11-30", 2024)
    assert (other.title, other.date) == ("Yet Another Gait Paper", None)
    assert [d.code for d in result.diagnostics if d.severity.value == "warning"] == ["missing-meta"]
    unconfigured = read_source(UNSEEN / "hf-daily-dec.txt")
    assert unconfigured.records[1].date == "--11-30" and unconfigured.records[1].year is None
    assert [d.code for d in unconfigured.diagnostics].count("yearless-date") == 1


def _seed_with_titles_ending(name: str, tmp_path: Path, titles: dict[str, str]) -> Path:
    from .helpers import SAMPLES
    text = (SAMPLES / name).read_text(encoding="utf-8")
    for old, new in titles.items():
        assert f"\n{old}\n" in text, old
        text = text.replace(f"\n{old}\n", f"\n{new}\n")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_titles_ending_in_an_exclamation_or_a_period_are_titles(tmp_path: Path) -> None:
    """Real titles end in `!` or `.` ("Pose It Like You Mean It!"): such a line was taken for the
    end of a sentence, so the notes page glued the paper into the one before, the daily listing
    dropped it, and the search listing split it in two untitled papers."""
    notes = _seed_with_titles_ending("iclr2026-human-understanding-notes.txt", tmp_path, {
        "CLUTCH: Contextualized Language model for Unlocking Text-Conditioned Hand motion modelling in the wild":
            "CLUTCH: Contextualized Language model for Unlocking Text-Conditioned Hand motion modelling in the wild!",
    })
    result = read_source(notes)
    assert len(result.records) == 45
    assert any(r.title and r.title.endswith("in the wild!") for r in result.records)
    search = _seed_with_titles_ending("hf-search-skeleton-pose.txt", tmp_path, {
        "GPGait: Generalized Pose-based Gait Recognition": "GPGait: Generalized Pose-based Gait Recognition.",
        "3DYoga90: A Hierarchical Video Dataset for Yoga Pose Understanding":
            "3DYoga90: A Hierarchical Video Dataset for Yoga Pose Understanding!",
    })
    result = read_source(search)
    assert len(result.records) == 119 and all(r.title for r in result.records)
    assert {"GPGait: Generalized Pose-based Gait Recognition.",
            "3DYoga90: A Hierarchical Video Dataset for Yoga Pose Understanding!"} <= {r.title for r in result.records}
    daily = _seed_with_titles_ending("hf-daily-2026-05-13.txt", tmp_path, {
        "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions":
            "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions.",
    })
    result = read_source(daily)
    assert len(result.records) == 58
    assert "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions." in {r.title for r in result.records}


def test_a_listing_saved_as_utf16_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Windows Notepad's "Unicode" is UTF-16 with a byte-order mark, which says how to read the file:
    the seed daily listing saved so reads as the UTF-8 one, and the file is named at info level.
    Without the mark the bytes are not guessed: skipped with the encoding error."""
    from .helpers import SAMPLES
    seed = SAMPLES / "hf-daily-2026-05-13.txt"
    text = seed.read_text(encoding="utf-8").replace("\n", "\r\n")
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))  # with its mark
    (tmp_path / "utf16le.txt").write_bytes(text.encode("utf-16-le"))  # without
    original, saved = read_source(seed), read_source(tmp_path / "utf16.txt")
    assert [(r.title, r.source.line) for r in saved.records] == [(r.title, r.source.line) for r in original.records]
    assert [(d.code, d.severity.value, d.line) for d in saved.diagnostics if d.code == "unicode-bom"] == [
        ("unicode-bom", "info", 1)]
    unmarked = read_source(tmp_path / "utf16le.txt")
    assert not unmarked.records
    assert [d.code for d in unmarked.diagnostics if d.severity.value == "error"] in (["binary"], ["encoding"])


FOOTER = "\n\nPrevious\n\nNext\n\nSystem theme\n\nCompany\n\nTOS\n\nPrivacy\n\nAbout\n\nJobs\n\nWebsite\n\nModels\n\nDatasets\n\nSpaces\n\nPricing\n\nDocs\n"


def test_the_sites_footer_pasted_after_the_last_paper_is_no_paper(tmp_path: Path) -> None:
    """A copy of the whole Hugging Face page brings its pager and footer along: each line was read
    as a paper (`systemtheme`, `tos`), six per file."""
    from .helpers import SAMPLES
    for name, count in (("hf-daily-2026-05-13.txt", 58), ("hf-search-skeleton-pose.txt", 119)):
        text = (SAMPLES / name).read_text(encoding="utf-8")
        path = tmp_path / name
        path.write_text(text + (FOOTER if name.startswith("hf-daily") else FOOTER.replace("\n\n", "\n")),
                        encoding="utf-8")
        result = read_source(path)
        assert len(result.records) == count, name
        assert not {"System theme", "TOS", "Pricing"} & {r.title for r in result.records}
