"""A key pinned by an override on a paper of the user's own .bib: the paper takes the new key,
and the key the .bib gave it stays citable, in `[@key]`, in `readinglist bib --key`, and in the
export (the entry written under both keys, as merged entries are), so that `\\cite{old}` still
works with bibtex. Real data: TeX Live's xampl.bib, read in place."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import markdown

from mkdocs_readinglist.citations import CitationExtension
from mkdocs_readinglist.citations.csl import CitationStyle, style_path
from mkdocs_readinglist.pipeline import Corpus, run_pipeline
from mkdocs_readinglist.render.bibtex import write_bibtex
from mkdocs_readinglist.settings import settings_from_mapping
from mkdocs_readinglist.site import corpus_aliases, standalone_entries

from .helpers import run_cli

XAMPL = Path(subprocess.run(["kpsewhich", "xampl.bib"], capture_output=True, text=True, check=True).stdout.strip())
OVERRIDES = "papers:\n  article-full:\n    key: aamport1986gnats\n    topics: [LLM]\n"


def pinned_corpus(root: Path) -> Corpus:
    (root / "overrides.yml").write_text(OVERRIDES, encoding="utf-8")
    settings, _ = settings_from_mapping(root, {"sources": [str(XAMPL), "overrides.yml"],
                                               "lock_file": str(root / "keys.lock")})
    return run_pipeline(settings)


def test_the_pinned_paper_answers_to_both_keys(tmp_path: Path) -> None:
    corpus = pinned_corpus(tmp_path)
    paper = corpus.paper_for_key("aamport1986gnats")
    assert paper is not None and paper.bib[0].key == "article-full"
    assert corpus.paper_for_key("article-full") is paper
    assert paper.cite_keys == ("aamport1986gnats", "article-full")
    assert corpus_aliases(corpus)["article-full"] == "aamport1986gnats"
    assert not [d for d in corpus.diagnostics if d.code in ("override-unmatched", "key-taken")]


def test_the_old_key_cites_the_paper_in_pages(tmp_path: Path) -> None:
    corpus = pinned_corpus(tmp_path)
    entries = standalone_entries(corpus)
    extension = CitationExtension(link="/papers/{key}/")
    extension.set_corpus(entries, CitationStyle(style_path("apa", Path(".")), entries), aliases=corpus_aliases(corpus))
    reports: list[object] = []
    extension.report = reports.append
    html = markdown.markdown("Old [@article-full] and new [@aamport1986gnats].", extensions=[extension])
    assert reports == []
    assert re.findall(r'<a class="citation" href="/papers/([^/]+)/"', html) == ["aamport1986gnats"] * 2
    assert "Aamport" in html


def test_the_export_writes_the_entry_under_both_keys_and_bibtex_finds_both(tmp_path: Path) -> None:
    corpus = pinned_corpus(tmp_path)
    text = write_bibtex(corpus.papers)
    library = bibtexparser.parse_string(text)
    by_key = {entry.key: entry for entry in library.entries}
    assert {"aamport1986gnats", "article-full"} <= by_key.keys()
    fields = {key: [(f.key, f.value) for f in by_key[key].fields] for key in ("aamport1986gnats", "article-full")}
    assert fields["aamport1986gnats"] == fields["article-full"]  # one record, as the .bib wrote it
    assert ("note", "This is a full ARTICLE entry") in fields["article-full"]
    # Every key of xampl.bib is still in the export, each once (bibtex compares keys in any case).
    source_keys = set(re.findall(r"^@\w+\{([^,\s]+),", XAMPL.read_text(encoding="utf-8"), re.MULTILINE))
    source_keys -= {"preamble", "string"}
    lowered = [entry.key.lower() for entry in library.entries]
    assert len(lowered) == len(set(lowered))
    assert {key.lower() for key in source_keys} <= set(lowered)
    # bibtex itself: \cite{article-full} and \cite{aamport1986gnats} both resolve against the export.
    (tmp_path / "out.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{article-full}\n\\citation{aamport1986gnats}\n"
                                      "\\bibstyle{plain}\n\\bibdata{out}\n", encoding="utf-8")
    run = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert "didn't find a database entry" not in log and "Repeated entry" not in log, log
    assert run.returncode == 0, log
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert "\\bibitem{aamport1986gnats}" in bbl and "\\bibitem{article-full}" in bbl


def test_the_cli_selects_by_the_old_key(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    shutil.copy(XAMPL, tmp_path / "bib" / "xampl.bib")
    (tmp_path / "bib" / "overrides.yml").write_text(OVERRIDES, encoding="utf-8")
    result = run_cli("bib", "bib", "--key", "article-full", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"^@ARTICLE\{([^,]+),", result.stdout, re.MULTILINE) == ["aamport1986gnats", "article-full"]


def test_a_listing_key_replaced_by_a_pin_is_found_by_the_cli_with_a_warning(tmp_path: Path) -> None:
    """A listing paper's locked key replaced by one pinned in the overrides: `readinglist bib --key`
    with the old key (as a paper.tex still cites it) selects the paper and says what to cite; it said
    the key was not in the corpus and exported nothing."""
    from .helpers import copy_demo

    project = copy_demo(tmp_path / "demo")
    overrides = project / "demo" / "overrides.yml"
    overrides.write_text(overrides.read_text(encoding="utf-8").replace(
        '  "2502.03836":\n', '  "2502.03836":\n    key: xu2025hmr\n', 1), encoding="utf-8")
    result = run_cli("bib", "--config", "mkdocs.yml", "--key", "xu2025adapting", "-o", "-", cwd=project)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"^@\w+\{([^,]+),", result.stdout, re.MULTILINE) == ["xu2025hmr"]
    assert ("command line: warning[cited-key-renamed]: cited key 'xu2025adapting' is an earlier key of the paper now keyed "
            "'xu2025hmr'"
            in result.stderr), result.stderr
    assert "cited-key-missing" not in result.stderr
    assert run_cli("bib", "--config", "mkdocs.yml", "--key", "xu2025adapting", "--strict", "-o", "-",
                   cwd=project).returncode == 1


def test_a_key_two_files_spell_in_two_cases_is_written_once(tmp_path: Path) -> None:
    """The other side of writing every key of a paper: a .bib key another paper owns (in another
    case; bibtex compares keys in any case) is not written twice."""
    (tmp_path / "a.bib").write_text("@article{Smith2020,\n  title = {One Paper},\n  year = {2020}\n}\n",
                                    encoding="utf-8")
    (tmp_path / "b.bib").write_text("@article{smith2020,\n  title = {Another Paper},\n  year = {2020}\n}\n",
                                    encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["a.bib", "b.bib"], "lock_file": str(tmp_path / "k")})
    corpus = run_pipeline(settings)
    keys = [entry.key for entry in bibtexparser.parse_string(write_bibtex(corpus.papers)).entries]
    assert len(keys) == 2 and len({key.lower() for key in keys}) == 2, keys
    assert sorted(keys) == sorted(paper.key for paper in corpus.papers)


def test_a_pin_never_takes_the_key_of_another_bib_entry(tmp_path: Path) -> None:
    """`\\cite{booklet-full}` must keep finding the booklet whatever an override pins: a pin asking
    for another entry's key is refused at the override's line, in both orders of the papers' ids."""
    for pinned, wanted in (("misc-minimal", "booklet-full"), ("booklet-full", "misc-minimal")):
        root = tmp_path / pinned
        root.mkdir()
        (root / "overrides.yml").write_text(f"papers:\n  {pinned}:\n    key: {wanted}\n", encoding="utf-8")
        settings, _ = settings_from_mapping(root, {"sources": [str(XAMPL), "overrides.yml"],
                                                   "lock_file": str(root / "keys.lock")})
        corpus = run_pipeline(settings)
        owner = corpus.paper_for_key(wanted)
        assert owner is not None and owner.user_key == wanted and owner.key == wanted
        refused = corpus.paper_for_key(pinned)
        assert refused is not None and refused.key == pinned and refused is not owner
        taken = [d for d in corpus.diagnostics if d.code == "key-taken"]
        assert [(Path(d.file).name, d.line) for d in taken] == [("overrides.yml", 2)], taken
        assert repr(pinned) in taken[0].message
        library = bibtexparser.parse_string(write_bibtex(corpus.papers))
        by_key = {entry.key: entry for entry in library.entries}
        assert by_key[wanted].entry_type.lower() == ("booklet" if wanted == "booklet-full" else "misc")
        assert by_key[pinned].entry_type.lower() == ("booklet" if pinned == "booklet-full" else "misc")


def test_a_pin_on_a_listing_paper_cannot_take_a_bib_key(tmp_path: Path) -> None:
    shutil.copy(Path(__file__).parents[1] / "bib" / "hf-search-skeleton-pose.txt", tmp_path / "listing.txt")
    first = run_pipeline(settings_from_mapping(tmp_path, {"sources": ["listing.txt"],
                                                          "lock_file": str(tmp_path / "a.lock")})[0])
    listing_paper = sorted(first.papers, key=lambda p: p.id)[0]
    (tmp_path / "overrides.yml").write_text(f"papers:\n  {listing_paper.key}:\n    key: article-full\n",
                                            encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["listing.txt", str(XAMPL), "overrides.yml"],
                                                   "lock_file": str(tmp_path / "keys.lock")})
    corpus = run_pipeline(settings)
    owner = corpus.paper_for_key("article-full")
    assert owner is not None and owner.user_key == "article-full"
    moved = next(p for p in corpus.papers if p.id == listing_paper.id)
    assert moved.key != "article-full"
    assert [d.code for d in corpus.diagnostics if d.code == "key-taken"] == ["key-taken"]


def test_the_sites_bib_file_writes_a_key_two_files_spell_in_two_cases_once(tmp_path: Path) -> None:
    """The site's own references.bib (made from the paper pages' entries, not by write_bibtex)
    leaves the clashing merged key to its paper as the export does, in a one-shot run (the CLI)
    and in a process that keeps memos (serve); bibtex reads it without a repeated entry."""
    from mkdocs_readinglist.pipeline import SourceCache
    from mkdocs_readinglist.render.pages import PageOptions
    from mkdocs_readinglist.render.reference import ReferenceFormatter
    from mkdocs_readinglist.site import site_pages

    # Paper one: Smith2020 in a.bib, merged (same DOI) with b.bib's smith2021; paper two's own key
    # in c.bib is SMITH2021, so the merged entry's key is another paper's, case aside.
    (tmp_path / "a.bib").write_text("@article{Smith2020,\n  title = {One Paper},\n  doi = {10.1/one},\n"
                                    "  year = {2020}\n}\n", encoding="utf-8")
    (tmp_path / "b.bib").write_text("@article{smith2021,\n  title = {One Paper},\n  doi = {10.1/one},\n"
                                    "  year = {2020}\n}\n", encoding="utf-8")
    (tmp_path / "c.bib").write_text("@article{SMITH2021,\n  title = {Another Paper},\n  year = {2021}\n}\n",
                                    encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["a.bib", "b.bib", "c.bib"],
                                                   "lock_file": str(tmp_path / "k")})
    for cache in (SourceCache(memos=False), SourceCache()):
        corpus = run_pipeline(settings, cache=cache)
        merged = next(p for p in corpus.papers if len(p.bib) == 2)
        assert {entry.key for entry in merged.bib} == {"Smith2020", "smith2021"}
        pages, _ = site_pages(corpus, PageOptions(), ReferenceFormatter(tmp_path / "refs.json"))
        site_bib = next(page.content for page in pages if page.path == "references.bib")
        assert site_bib == write_bibtex(corpus.papers, PageOptions().omit_fields)
        keys = [entry.key.lower() for entry in bibtexparser.parse_string(site_bib).entries]
        assert sorted(keys) == ["smith2020", "smith2021"], keys
        (tmp_path / "site.bib").write_text(site_bib, encoding="utf-8")
        (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{site}\n", encoding="utf-8")
        subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        log = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
        assert "Repeated entry" not in log, log


def test_an_override_that_names_a_paper_by_its_generated_key_and_pins_another_keeps_working(
        tmp_path: Path) -> None:
    """docs/configure.md's example: `clutch2026: {key: clutch, notes: ...}`. The first run finds
    the paper by its generated key and pins `clutch` (the lock keeps it); every later run must
    still find it, though no paper has the key `clutch2026` any more."""
    from .helpers import copy_samples

    bib = copy_samples(tmp_path)
    (bib / "overrides.yml").write_text(
        "papers:\n  clutch2026:\n    notes: Read this first.\n    key: clutch\n", encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"]})
    for run in (1, 2, 3):
        corpus = run_pipeline(settings, write_lock=True)
        assert [d for d in corpus.diagnostics if d.code == "override-unmatched"] == [], run
        paper = corpus.paper_for_key("clutch")
        assert paper is not None and paper.title is not None and paper.title.startswith("CLUTCH"), run
        assert paper.notes == "Read this first.", run
        assert corpus.paper_for_key("clutch2026") is None or corpus.paper_for_key("clutch2026") is paper
    assert "clutch" in (bib / "readinglist.lock").read_text(encoding="utf-8")


def test_a_pin_is_not_found_through_another_papers_own_bib_key(tmp_path: Path) -> None:
    """An override naming a key nobody has, pinning a key a user's .bib entry owns: it matches no
    paper (the .bib entry never receives the override's fields)."""
    (tmp_path / "overrides.yml").write_text(
        "papers:\n  nosuchkey2020:\n    notes: Not for the booklet.\n    key: booklet-full\n", encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": [str(XAMPL), "overrides.yml"],
                                                   "lock_file": str(tmp_path / "keys.lock")})
    corpus = run_pipeline(settings)
    assert [d.code for d in corpus.diagnostics if "nosuchkey2020" in d.message] == ["override-unmatched"]
    booklet = corpus.paper_for_key("booklet-full")
    assert booklet is not None and booklet.notes is None


def test_a_paper_known_only_by_its_place_keeps_its_key_when_lines_come_before_it(tmp_path: Path) -> None:
    """An abstract whose title line is missing (a Hugging Face search listing, its title dropped)
    has neither title nor arXiv id: its id is its place, `source:FILE:LINE`. Its key stays when the
    listing gains papers above it, because the lock also knows it by its abstract's start."""
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping

    from .helpers import SAMPLES
    lines = (SAMPLES / "hf-search-skeleton-pose.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    title_line = next(n for n, line in enumerate(lines) if line.startswith("3DYoga90: "))
    del lines[title_line]  # the abstract after it has no title now
    listing = tmp_path / "bib" / "hf-search.txt"
    listing.parent.mkdir()
    listing.write_text("".join(lines), encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"], "lock_file": "keys.lock"})

    def untitled() -> tuple[str, str]:
        corpus = run_pipeline(settings, write_lock=True)
        paper = next(p for p in corpus.papers if (p.abstract or "").startswith("The increasing popularity of exercises"))
        assert paper.title is None and paper.id.startswith("source:")
        return paper.id, paper.key

    first_id, first_key = untitled()
    added = ["A New Paper on Pose: Something\n", "An abstract of the new paper.\n"]
    listing.write_text("".join([*lines[:3], *added, *lines[3:]]), encoding="utf-8")
    second_id, second_key = untitled()
    assert second_id != first_id and second_key == first_key


def test_a_paper_whose_title_was_edited_keeps_its_key(tmp_path: Path) -> None:
    """A listing paper without an arXiv id is known by its title: fixing a word of it gave the
    paper a new key (`synpain2025a`) without a word, and `[@synpain2025]` stopped citing it. The
    key its earlier title had stays its key (info `key-kept`); a paper of another title does not
    take it."""
    from .helpers import SAMPLES
    listing = tmp_path / "bib" / "hf-daily.txt"
    listing.parent.mkdir()
    shutil.copy(SAMPLES / "hf-daily-2026-05-13.txt", listing)
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"], "lock_file": "keys.lock"})
    old_title = "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions"

    def key_of(start: str) -> tuple[str, list[str]]:
        corpus = run_pipeline(settings, write_lock=True)
        paper = next(p for p in corpus.papers if (p.title or "").startswith(start))
        return paper.key, [d.message for d in corpus.diagnostics if d.code == "key-kept"]

    assert key_of("SynPAIN")[0] == "synpain2025"
    text = listing.read_text(encoding="utf-8")
    listing.write_text(text.replace(old_title, "SynPAIN: A Synthetic Dataset of Pain and Pain-Free Facial Expressions"),
                       encoding="utf-8")
    key, kept = key_of("SynPAIN")
    assert key == "synpain2025" and len(kept) == 1 and "keeps the key 'synpain2025'" in kept[0]
    listing.write_text(text.replace(old_title, "SynPAIN: Measuring Pain From Faces Without Any Labels"),
                       encoding="utf-8")
    assert key_of("SynPAIN")[0] == "synpain2025a"  # another title: the key stays the earlier paper's
