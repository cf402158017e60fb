"""Real variants of the four listing formats, built from the samples' own text: each variant reads
as the sample does (same papers, same facts), and what the reader skipped or repaired is reported."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs_readinglist.model import Record, Severity, SourceResult
from mkdocs_readinglist.sources import read_text
from mkdocs_readinglist.sources.arxiv_listing import parse_arxiv_id
from mkdocs_readinglist.sources.base import SourceOptions
from tests.fixtures.bad.catalogue import cli, papers

from .helpers import SAMPLES, SEED_NAMES

FACTS = ("title", "abstract", "summary", "author_count", "organisation", "date", "year", "updated", "venue",
         "arxiv_id", "arxiv_version", "comment")


def seed(name: str) -> str:
    return (SAMPLES / SEED_NAMES[name]).read_text(encoding="utf-8")


def facts(records: tuple[Record, ...] | list[Record]) -> list[tuple[object, ...]]:
    return [tuple(getattr(record, name) for name in FACTS) for record in records]


def codes(result: SourceResult, severity: Severity | None = None) -> list[str]:
    return [d.code for d in result.diagnostics if severity is None or d.severity is severity]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# arXiv listings


def test_arxiv_id_lines_with_the_trailers_arxiv_org_prints() -> None:
    text = seed("arxiv")
    original = read_text(text, "a.txt")
    variant = text.replace("arXiv:2507.02565\n", "arXiv:2507.02565 [cs.CV]\n").replace(
        "arXiv:2502.03836\n", "arXiv:2502.03836 [pdf, html, other]\n")
    result = read_text(variant, "a.txt")
    assert result.format == "arxiv-listing"
    assert [r.arxiv_id for r in result.records] == ["2507.02565", "2502.03836", "2404.11291"]
    assert facts(result.records) == facts(original.records)
    assert [r.source.line for r in result.records] == [r.source.line for r in original.records]
    assert "no-arxiv-id" not in codes(result)
    trailers = [d for d in result.diagnostics if d.code == "arxiv-line-trailer"]
    assert [(d.line, d.severity) for d in trailers] == [(3, Severity.INFO), (10, Severity.INFO)]
    assert "[pdf, html, other]" in trailers[1].message and "not read" in trailers[1].message
    # the category is the paper's primary class, a fact the line states
    assert [r.fields for r in result.records] == [(("primaryclass", "cs.CV"),), (), ()]
    assert "cs.CV, exported as primaryClass" in trailers[0].message


def test_the_category_after_an_id_is_exported_as_primary_class(tmp_path: Path) -> None:
    bib = tmp_path / "bib"
    bib.mkdir()
    (bib / "a.txt").write_text(seed("arxiv").replace("arXiv:2502.03836\n", "arXiv:2502.03836 [cs.CV]\n"),
                               encoding="utf-8")
    run = cli(tmp_path, "bib", "bib/")
    entries = run.out.split("@misc{")[1:]
    assert len(entries) == 3
    assert [("eprint = {2502.03836}" in entry, "primaryClass = {cs.CV}" in entry) for entry in entries
            if "primaryClass" in entry or "eprint = {2502.03836}" in entry] == [(True, True)]


def test_arxiv_id_lines_as_listing_pages_and_pdf_margins_print_them() -> None:
    text = seed("arxiv")
    original = read_text(text, "a.txt")
    variant = text.replace("arXiv:2507.02565\n", "arXiv:2507.02565 (replaced) [pdf, html, other]\n").replace(
        "arXiv:2502.03836\n", "arXiv:2502.03836v2 [cs.CV] 6 Feb 2025\n").replace(
        "arXiv:2404.11291\n", "arXiv:2404.11291 (cross-list from cs.LG) [pdf]\n")
    result = read_text(variant, "a.txt")
    assert [(r.arxiv_id, r.arxiv_version) for r in result.records] == [
        ("2507.02565", None), ("2502.03836", 2), ("2404.11291", None)]
    assert [r.comment for r in result.records] == [r.comment for r in original.records]
    assert codes(result, Severity.WARNING) == codes(original, Severity.WARNING)
    # a sentence after an id is no trailer: the line is no `arXiv:` line
    assert read_text(text.replace("arXiv:2404.11291", "arXiv:2404.11291 is our earlier paper"), "a.txt"
                     ).records[2].arxiv_id is None


def test_arxiv_updated_date_on_a_line_of_its_own() -> None:
    text = seed("arxiv")
    original = read_text(text, "a.txt")
    variant = text.replace("Created: 2025-07-03 Updated: 2025-07-04", "Created: 2025-07-03\nUpdated: 2025-07-04")
    result = read_text(variant, "a.txt")
    assert facts(result.records) == facts(original.records)
    assert result.records[0].updated == "2025-07-04"
    assert result.records[1].abstract is not None and result.records[1].abstract.startswith("Human mesh recovery")
    # every line after the split is one further down
    assert [r.source.line for r in result.records] == [1, 7, 14]
    assert codes(result) == codes(original)


def test_arxiv_updated_line_before_the_created_line() -> None:
    text = seed("arxiv")
    original = read_text(text, "a.txt")
    variant = text.replace("Created: 2025-07-03 Updated: 2025-07-04", "Updated: 2025-07-04\nCreated: 2025-07-03")
    result = read_text(variant, "a.txt")
    assert facts(result.records) == facts(original.records)
    assert codes(result) == codes(original)


def test_arxiv_updated_line_that_cannot_be_read_or_comes_before_created() -> None:
    text = seed("arxiv")
    bad = read_text(text.replace("Created: 2025-02-06", "Created: 2025-02-06\nUpdated: soon"), "a.txt")
    early = read_text(text.replace("Created: 2025-02-06", "Created: 2025-02-06\nUpdated: 2025-01-01"), "a.txt")
    for result in (bad, early):
        assert len(result.records) == 3 and result.records[1].updated is None
        assert result.records[1].abstract is not None and result.records[1].abstract.startswith("Human mesh")
        assert [(d.line, d.code) for d in result.diagnostics if d.severity is Severity.WARNING] == [(12, "bad-date")]


def test_an_old_id_with_its_subject_class_is_the_same_id() -> None:
    assert parse_arxiv_id("math.GT/0309136") == ("math/0309136", None)
    assert parse_arxiv_id("math.GT/0309136v2") == ("math/0309136", 2)
    assert parse_arxiv_id("math/0309136") == ("math/0309136", None)
    assert parse_arxiv_id("cs/0112017v1") == ("cs/0112017", 1)
    assert parse_arxiv_id("math.gt/0309136") is None  # the subject class is upper case
    abstract = seed("arxiv").split("\n")[0]
    listing = f"{abstract}\n\narXiv:math.GT/0309136\nCreated: 2003-09-08\n\n{abstract}\n\narXiv:math/0309136v2\n" \
        "Created: 2003-09-08\n"
    records = read_text(listing, "a.txt").records
    assert [(r.arxiv_id, r.arxiv_version) for r in records] == [("math/0309136", None), ("math/0309136", 2)]


def test_old_ids_with_and_without_subject_class_are_one_paper_of_the_corpus(tmp_path: Path) -> None:
    abstract = seed("arxiv").split("\n")[0]
    bib = tmp_path / "bib"
    bib.mkdir()
    (bib / "one.txt").write_text(f"{abstract}\n\narXiv:math.GT/0309136\nCreated: 2003-09-08\n", encoding="utf-8")
    (bib / "two.txt").write_text(f"{abstract}\n\narXiv:math/0309136v2\nCreated: 2003-09-08\n", encoding="utf-8")
    found = papers(tmp_path, "bib/")
    assert [(p["arxiv_id"], sorted(s["file"] for s in p["sources"])) for p in found] == [
        ("math/0309136", ["bib/one.txt", "bib/two.txt"])]


# Hugging Face daily papers


def _daily_meta_blocks(text: str) -> list[str]:
    return re.findall(r"^  • [^\n]*\n·\n[A-Z][a-z]{2} \d{1,2}(?:, \d{4})?(?: \d+)?$", text, flags=re.MULTILINE)


def test_daily_upvote_count_on_its_own_line_after_the_date() -> None:
    text = seed("hf_daily")
    original = read_text(text, "d.txt")
    metas = _daily_meta_blocks(text)
    assert len(metas) >= 50
    variant = text
    for number, meta in enumerate(metas):
        variant = variant.replace(meta + "\n", f"{meta}\n{number + 3}\n", 1)
    result = read_text(variant, "d.txt")
    assert facts(result.records) == facts(original.records)
    organisations = [r.organisation for r in result.records if r.organisation]
    assert organisations and not any(o.isdigit() for o in organisations)
    assert codes(result, Severity.WARNING) == codes(original, Severity.WARNING)


def test_daily_organisation_then_upvotes() -> None:
    abstract = "An abstract of a paper whose meta block names an organisation instead of an author count on the page."
    result = read_text(f"Daily Papers\n\nOrg Paper: From an Organisation\n\n{abstract}\n\n  • NVIDIA\n·\n"
                       "Jul 15, 2024\n27\n", "d.txt")
    assert [(r.title, r.organisation, r.date, r.source.line) for r in result.records] == [
        ("Org Paper: From an Organisation", "NVIDIA", "2024-07-15", 3)]
    assert not codes(result, Severity.WARNING)


def test_daily_upvote_counts_and_submitters_before_titles_are_page_text() -> None:
    text = seed("hf_daily")
    original = read_text(text, "d.txt")
    titles = [r.title for r in original.records]
    for element in ("42", "Submitted by akhaliq", "Submitted by\nakhaliq"):
        variant = text
        for title in titles[:10]:
            assert title is not None
            variant = variant.replace(f"\n\n{title}\n", f"\n\n{element}\n\n{title}\n", 1)
        result = read_text(variant, "d.txt")
        assert [r.title for r in result.records] == titles, element
        assert facts(result.records) == facts(original.records)
        page_text = [d for d in result.diagnostics if d.code == "page-elements"]
        assert len(page_text) == 1 and page_text[0].severity is Severity.INFO and "10 upvote" in page_text[0].message
        assert page_text[0].line == line_of(variant, f"\n\n{element}\n") + 2
        assert codes(result, Severity.WARNING) == codes(original, Severity.WARNING)


def test_daily_line_no_rule_knows_before_a_title_is_kept_apart_from_the_title() -> None:
    """A one-line element of the page before a title (here a badge), or a paper without an abstract:
    kept as a paper of its own, warned, and the next title keeps its abstract (never glued to it)."""
    text = seed("hf_daily")
    original = read_text(text, "d.txt")
    titles = [r.title for r in original.records[5:8]]
    variant = text
    for title in titles:
        variant = variant.replace(f"\n\n{title}\n", f"\n\nPaper of the day\n\n{title}\n", 1)
    result = read_text(variant, "d.txt")
    kept = [r for r in result.records if r.title != "Paper of the day"]
    assert facts(kept) == facts(original.records)
    extra = [r for r in result.records if r.title == "Paper of the day"]
    assert len(extra) == 3 and all(r.abstract is None and r.date is None for r in extra)
    for record in extra:
        assert {d.code for d in result.diagnostics if d.line == record.source.line} == {"no-abstract", "missing-meta"}


def test_daily_page_text_glued_to_a_title_in_one_block() -> None:
    text = seed("hf_daily")
    original = read_text(text, "d.txt")
    title = original.records[3].title
    assert title is not None
    variant = text.replace(f"\n\n{title}\n", f"\n\nSubmitted by\nakhaliq\n42\n{title}\n", 1)
    result = read_text(variant, "d.txt")
    assert facts(result.records) == facts(original.records)
    assert result.records[3].source.line == line_of(variant, f"\n{title}\n") + 1  # the title's own line
    assert [d.line for d in result.diagnostics if d.code == "page-elements"] == [original.records[3].source.line]


def test_daily_author_and_date_on_one_line() -> None:
    text = seed("hf_daily")
    original = read_text(text, "d.txt")
    variant = re.sub(r"^(  • [^\n]*|[A-Z]\w+ [A-Z]\w+)\n·\n([A-Z][a-z]{2} \d)", r"\1 · \2", text, flags=re.MULTILINE)
    assert variant.count("\n·\n") == 0
    result = read_text(variant, "d.txt")
    assert len(result.records) == 58
    assert facts(result.records) == facts(original.records)
    assert codes(result, Severity.WARNING) == codes(original, Severity.WARNING)


def test_two_daily_pages_pasted_into_one_file() -> None:
    text = seed("hf_daily")
    original = read_text(text, "d.txt")
    result = read_text(text + "\n\n" + text, "d.txt")
    assert result.format == "hf-daily"
    assert facts(result.records) == facts(original.records) * 2
    lines = text.count("\n") + 2
    assert [r.source.line for r in result.records] == [r.source.line for r in original.records] + [
        r.source.line + lines for r in original.records]
    pasted = [d for d in result.diagnostics if d.code == "page-pasted"]
    assert [(d.line, d.severity) for d in pasted] == [(lines + 1, Severity.WARNING)]
    assert result.listing is not None and result.listing.page_date == original.listing.page_date  # type: ignore[union-attr]


def test_a_daily_page_ending_in_its_pager_and_footer_is_one_page() -> None:
    text = seed("hf_daily")
    original = read_text(text, "d.txt")
    for ending in ("\n\nPrevious\n\nNext\n\nSystem theme\n\nCompany\n\nTOS\n\nPrivacy\n", "\nPrevious\nNext\n"):
        result = read_text(text + ending, "d.txt")
        assert facts(result.records) == facts(original.records)
        assert codes(result) == codes(original)


# Hugging Face search


def test_two_search_pages_pasted_into_one_file() -> None:
    text = seed("hf_search")
    original = read_text(text, "s.txt")
    result = read_text(text + "\n" + text, "s.txt")
    assert result.format == "hf-search"
    assert facts(result.records) == facts(original.records) * 2
    assert not [r for r in result.records if r.title is None or r.title.startswith("Subscribe")]
    pasted = [d for d in result.diagnostics if d.code == "page-pasted"]
    assert [d.line for d in pasted] == [text.count("\n") + 2]


# Paper-notes pages


def test_two_notes_pages_pasted_into_one_file_keep_their_own_venues() -> None:
    text = seed("notes")
    original = read_text(text, "n.txt")
    second = text.replace("ICLR2026 · 45 paper notes", "NeurIPS 2025 · 45 paper notes").replace(
        "Human Understanding", "Motion Generation")
    # a page's footer and the next page's first line run together, as a copy of one after the other gives them
    joined = text + "\n\nBack to top\n\nMade with Material for MkDocs\n" + second
    assert "\nMade with Material for MkDocs\nSkip to content\n" in joined
    result = read_text(joined, "n.txt")
    assert len(result.records) == 90
    assert facts(result.records[:45]) == facts(original.records)
    assert [r.title for r in result.records[45:]] == [r.title for r in original.records]
    assert {(r.venue, r.year) for r in result.records[45:]} == {("NeurIPS 2025", 2025)}
    assert result.listing == original.listing
    assert "count-mismatch" not in codes(result) and "no-summary" not in codes(result)
    pasted = [d for d in result.diagnostics if d.code == "page-pasted"]
    assert len(pasted) == 1 and "NeurIPS 2025" in pasted[0].message
    assert pasted[0].line == text.count("\n") + 5 + line_of(second, "🧑 Motion Generation")


def test_notes_link_lines_after_summaries() -> None:
    text = seed("notes")
    original = read_text(text, "n.txt")
    summaries = [r.summary for r in original.records if r.summary]
    variant = text
    links = ("📄 Paper · 💻 Code", "📄 Paper 💻 Code 🌐 Project page", "arXiv | GitHub", "[Paper] [Code]", "🤗 Demo")
    for summary, link in zip(summaries[:5], links, strict=True):
        head = summary[:60]
        start = variant.index(head)
        end = variant.index("\n\n", start)
        variant = variant[:end] + "\n\n" + link + variant[end:]
    result = read_text(variant, "n.txt")
    assert [r.title for r in result.records] == [r.title for r in original.records]
    assert facts(result.records) == facts(original.records)
    assert codes(result, Severity.WARNING) == codes(original, Severity.WARNING)
    links = [d for d in result.diagnostics if d.code == "notes-link-line"]
    assert len(links) == 1 and links[0].severity is Severity.INFO and links[0].message.startswith("5 line(s)")


def test_notes_header_counting_papers_not_paper_notes() -> None:
    text = seed("notes")
    original = read_text(text, "n.txt")
    for header in ("ICLR2026 · 45 papers", "ICLR 2026 · 45 papers", "ICLR2026 | 45 notes"):
        result = read_text(text.replace("ICLR2026 · 45 paper notes", header), "n.txt")
        assert result.listing == original.listing, header
        assert facts(result.records) == facts(original.records)
        assert codes(result) == codes(original)


def test_seeds_read_as_before_with_a_year_given() -> None:
    """The variants' readers still read every sample whole (the corpus test counts them too)."""
    counts = {name: len(read_text(seed(name), "x.txt", SourceOptions(year=2025)).records) for name in SEED_NAMES}
    assert counts == {"notes": 45, "hf_search": 119, "arxiv": 3, "hf_daily": 58}


def _search_pairs(text: str) -> list[tuple[int, str, str]]:
    """(0-based index of the abstract line, which is the title's line number; title; abstract) of
    the search sample's papers."""
    lines = text.split("\n")
    return [(index + 1, lines[index], lines[index + 1]) for index in range(2, len(lines) - 1, 2)]


def test_a_search_page_ending_in_page_text_is_one_page() -> None:
    text = seed("hf_search")
    original = read_text(text, "s.txt")
    result = read_text(text + "\nPrevious\nNext\nPapers\nSort by\nModels\nDatasets\n", "s.txt")
    assert facts(result.records) == facts(original.records)
    assert codes(result) == codes(original)


def test_search_upvote_counts_are_page_text() -> None:
    text = seed("hf_search")
    original = read_text(text, "s.txt")
    lines = text.split("\n")
    for index, title, _abstract in reversed(_search_pairs(text)[:10]):
        lines[index - 1: index] = [str(len(title)), title]  # a count on the line before the title
    result = read_text("\n".join(lines), "s.txt")
    assert facts(result.records) == facts(original.records)
    assert codes(result, Severity.WARNING) == codes(original, Severity.WARNING)
    elements = [d for d in result.diagnostics if d.code == "page-elements"]
    assert [(d.line, d.severity) for d in elements] == [(3, Severity.INFO)] and elements[0].message.startswith("10 ")


def test_search_short_abstracts_without_a_final_period() -> None:
    text = seed("hf_search")
    original = read_text(text, "s.txt")
    lines = text.split("\n")
    changed: dict[int, str] = {}
    for index, _title, abstract in _search_pairs(text)[1:]:
        first = abstract.split(". ")[0]
        if 60 < len(first) < 150 and first[0].isupper() and "," not in first and len(changed) < 5:
            changed[index] = first  # its first sentence, without its period
    assert len(changed) == 5
    for index, short in changed.items():
        lines[index] = short
    result = read_text("\n".join(lines), "s.txt")
    assert [r.title for r in result.records] == [r.title for r in original.records]
    by_line = {r.source.line: r for r in result.records}
    assert [by_line[index].abstract for index in changed] == list(changed.values())
    assert facts([r for r in result.records if r.source.line not in changed]) == facts(
        [r for r in original.records if r.source.line not in changed])
    assert sorted(d.line for d in result.diagnostics if d.code == "abstract-by-position") == [i + 1 for i in changed]
    assert "no-abstract" not in codes(result) and "no-title" not in codes(result)


def test_a_short_search_block_pasted_before_an_arxiv_listing() -> None:
    search = seed("hf_search").split("\n")
    pairs = [(title, abstract.split(". ")[0] + ".") for _, title, abstract in _search_pairs("\n".join(search))]
    short = [(title, abstract) for title, abstract in pairs[1:] if 100 < len(abstract) <= 150][:2]
    assert len(short) == 2
    block = "\n".join(f"{title}\n{abstract}" for title, abstract in short)
    arxiv = seed("arxiv")
    original = read_text(arxiv, "a.txt")
    result = read_text(f"{block}\n\n{arxiv}", "m.txt")
    assert result.format == "hf-search+arxiv-listing"
    assert [(r.title, r.abstract, r.source.line) for r in result.records[:2]] == [
        (short[0][0], short[0][1], 1), (short[1][0], short[1][1], 3)]
    assert facts(result.records[2:]) == facts(original.records)
    assert [(d.line, d.code) for d in result.diagnostics if d.severity is Severity.WARNING] == [(6, "format-change")]
