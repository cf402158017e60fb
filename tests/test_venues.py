"""Where a paper from a listing was published, and how its BibTeX entry says it (venues.py,
render/bibtex.py): an arXiv comment names the venue only when the paper was accepted there;
a venue keeps what it says besides its name (Findings, a workshop); the venue's year is the
entry's and the arXiv month is not the venue's; preprint servers are no venue; journals are
`@article`.

The listings are the seed arXiv listing (bib/arxiv-close-interaction.txt) with its paper's
comment line (`CVPR2024`) written as arXiv authors write theirs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.venues import comment_venue, venue_kind, written_venue

from .helpers import papers_json, run_cli
from .test_bib_round_trip import fields_of

SEED = Path(__file__).parent.parent / "bib" / "arxiv-close-interaction.txt"


def _paper_block() -> str:
    """The seed listing's CVPR 2024 paper: abstract, comment line, arXiv id, dates."""
    text = SEED.read_text(encoding="utf-8")
    start = text.rindex("\n\n", 0, text.index("\n\nCVPR2024\n")) + 2
    end = text.index("Created: 2024-04-17", start) + len("Created: 2024-04-17")
    block = text[start:end] + "\n"
    assert "arXiv:2404.11291" in block
    return block


def _listing(folder: Path, comments: dict[str, str], created: str = "2024-11-20") -> Path:
    """The seed paper once per comment, each under its own arXiv id, and an overrides file
    naming its authors (a venue paper without authors stays @misc)."""
    block = _paper_block()
    papers, overrides = [], ["papers:"]
    for number, (arxiv_id, comment) in enumerate(comments.items()):
        papers.append(block.replace("\nCVPR2024\n", f"\n{comment}\n").replace("2404.11291", arxiv_id)
                      .replace("Created: 2024-04-17", f"Created: {created}"))
        overrides += [f'  "{arxiv_id}":', f"    title: Paper {number}", "    authors: [Buzhen Huang, Chen Li]"]
    (folder / "listing.txt").write_text("\n".join(papers), encoding="utf-8")
    (folder / "overrides.yml").write_text("\n".join(overrides) + "\n", encoding="utf-8")
    return folder


def _export(folder: Path, *sources: str) -> dict[str, dict[str, str]]:
    result = run_cli("bib", *sources, "--lock", "keys.lock", "-o", "out.bib", cwd=folder)
    assert result.returncode == 0, result.stderr
    text = (folder / "out.bib").read_text(encoding="utf-8")
    types = {key: kind.lower() for kind, key in re.findall(r"^@(\w+)\{([^,]+),", text, re.MULTILINE)}
    return {fields["eprint"]: {"type": types[key], "key": key, **fields} for key, fields in fields_of(text).items()}


NOT_PUBLISHED = {
    "2410.00001": "Under review at NeurIPS 2024",
    "2410.00002": "Submitted to CVPR 2025",
    "2410.00003": "Rejected from ICLR 2024; extended version",
    "2410.00004": "In submission to ICML 2025. 12 pages, 5 figures",
    "2410.00005": "Extended version of our ICML 2023 paper",
    "2410.00006": "Code for our ECCV 2022 baseline",
    "2410.00007": "NeurIPS 2024 submission",
}
ACCEPTED = {  # comment -> (booktitle, year)
    "2410.00011": ("Accepted to CVPR 2025", "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", "2025"),
    "2410.00012": ("CVPR 2025 (Oral). Project page: https://example.org/p", "IEEE/CVF Conference on Computer Vision and "
                   "Pattern Recognition (CVPR)", "2025"),
    "2410.00013": ("To appear in NeurIPS 2024", "Advances in Neural Information Processing Systems (NeurIPS)", "2024"),
    "2410.00014": ("Accepted at the Findings of ACL 2025", "Findings of ACL 2025", "2025"),
    "2410.00015": ("Accepted to the NeurIPS 2024 Workshop on Foo Bar; 9 pages", "NeurIPS 2024 Workshop on Foo Bar", "2024"),
    "2410.00016": ("Camera-ready for ECCV 2024", "European Conference on Computer Vision (ECCV)", "2024"),
    "2410.00017": ("Published in EMNLP 2024 Findings", "EMNLP 2024 Findings", "2024"),
}


def test_only_an_acceptance_in_an_arxiv_comment_names_the_venue(tmp_path: Path) -> None:
    """try14c: "Under review at NeurIPS 2024" made an @inproceedings in NeurIPS's proceedings;
    "Accepted to CVPR 2025" (created 2024-11) was CVPR with year 2024 and the arXiv month."""
    comments = {**NOT_PUBLISHED, **{i: c for i, (c, _, _) in ACCEPTED.items()}}
    entries = _export(_listing(tmp_path, comments), "listing.txt", "overrides.yml")
    assert set(entries) == set(comments)
    for arxiv_id in NOT_PUBLISHED:
        entry = entries[arxiv_id]
        assert entry["type"] == "misc", (NOT_PUBLISHED[arxiv_id], entry)
        assert "booktitle" not in entry and "howpublished" not in entry
        assert (entry["year"], entry["month"]) == ("2024", "nov")  # the arXiv version's date
    for arxiv_id, (comment, booktitle, year) in ACCEPTED.items():
        entry = entries[arxiv_id]
        assert (entry["type"], entry["booktitle"], entry["year"]) == ("inproceedings", booktitle, year), comment
        assert "month" not in entry, comment  # November is arXiv's month, not the conference's
        assert year in entry["key"]
    shown = {p["arxiv_id"]: p["venue"] for p in papers_json("listing.txt", "overrides.yml", cwd=tmp_path)}
    assert shown["2410.00014"] == "Findings of ACL 2025"  # the venue its pages show, as written
    assert shown["2410.00011"] == "CVPR 2025" and shown["2410.00001"] is None


def test_the_seed_listing_keeps_its_venue_without_the_arxiv_month(tmp_path: Path) -> None:
    (tmp_path / "listing.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "overrides.yml").write_text('papers:\n  "2404.11291":\n    title: Closely Interactive Human Reconstruction\n'
                                            '    authors: [Buzhen Huang, Chen Li]\n', encoding="utf-8")
    entry = _export(tmp_path, "listing.txt", "overrides.yml")["2404.11291"]
    assert entry["type"] == "inproceedings" and entry["year"] == "2024" and "month" not in entry
    assert entry["booktitle"] == "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"


OVERRIDDEN = {  # venue: -> (type, field, value)
    "2402.00001": ("Findings of ACL 2024", "inproceedings", "booktitle", "Findings of ACL 2024"),
    "2402.00002": ("EMNLP 2023 Findings", "inproceedings", "booktitle", "EMNLP 2023 Findings"),
    "2402.00003": ("NeurIPS 2023 Workshop on Foo", "inproceedings", "booktitle", "NeurIPS 2023 Workshop on Foo"),
    "2402.00004": ("CVPR 2024 Workshop", "inproceedings", "booktitle", "CVPR 2024 Workshop"),
    "2402.00005": ("ICML 2024 Workshop", "inproceedings", "booktitle", "ICML 2024 Workshop"),
    "2402.00006": ("arXiv", "misc", "howpublished", "arXiv"),
    "2402.00007": ("arXiv preprint", "misc", "howpublished", "arXiv preprint"),
    "2402.00008": ("CoRR", "misc", "howpublished", "CoRR"),
    "2402.00009": ("Nature", "article", "journal", "Nature"),
    "2402.00010": ("Science Robotics", "article", "journal", "Science Robotics"),
    "2402.00011": ("IEEE Robotics and Automation Letters", "article", "journal", "IEEE Robotics and Automation Letters"),
    "2402.00012": ("IEEE Transactions on Robotics", "article", "journal", "IEEE Transactions on Robotics"),
    "2402.00013": ("CVPR 2025", "inproceedings", "booktitle",
                   "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"),
}


def test_an_override_venue_is_written_as_it_says(tmp_path: Path) -> None:
    """try14c: `venue: Findings of ACL 2024` became ACL's main conference; `venue: arXiv` an
    @inproceedings "In arXiv"; `venue: Nature` an @inproceedings too."""
    _listing(tmp_path, dict.fromkeys(OVERRIDDEN, "6 pages, 7 figures"), created="2024-02-10")
    lines = (tmp_path / "overrides.yml").read_text(encoding="utf-8").splitlines()
    with_venues = [lines[0]]
    for line in lines[1:]:
        with_venues.append(line)
        if line.startswith('  "'):
            with_venues.append(f"    venue: {OVERRIDDEN[line.strip()[1:-2]][0]}")
    (tmp_path / "overrides.yml").write_text("\n".join(with_venues) + "\n", encoding="utf-8")
    entries = _export(tmp_path, "listing.txt", "overrides.yml")
    for arxiv_id, (venue, kind, name, value) in OVERRIDDEN.items():
        entry = entries[arxiv_id]
        assert (entry["type"], entry.get(name)) == (kind, value), (venue, entry)
        if kind != "misc":
            assert "month" not in entry
    assert entries["2402.00001"]["year"] == "2024" and entries["2402.00002"]["year"] == "2023"
    assert entries["2402.00006"]["month"] == "feb"  # a preprint's date is the arXiv version's


@pytest.mark.parametrize(("text", "venue"), [
    ("iclr2026", ("ICLR 2026", 2026)), ("NeurIPS'25", ("NeurIPS 2025", 2025)),
    ("Findings of  EMNLP2023", ("Findings of EMNLP 2023", 2023)), ("CVPR Workshops 2024", ("CVPR Workshops 2024", 2024)),
    ("Nature", ("Nature", None)),
])
def test_a_written_venue_keeps_its_words(text: str, venue: tuple[str, int | None]) -> None:
    assert written_venue(text) == venue


def test_comment_venue_and_venue_kind_cases() -> None:
    assert comment_venue("This paper has been accepted to ICRA 2025") == ("ICRA 2025", 2025)
    assert comment_venue("Accepted to ACL 2024 (Findings)") == ("ACL 2024 Findings", 2024)
    assert comment_venue("[CVPR 2025] oral") == ("CVPR 2025", 2025)
    assert comment_venue("Accepted to Nature") == (None, None)  # no year: too loose a reading
    assert comment_venue("6 pages, 7 figures") == (None, None)
    assert comment_venue("SIGIR2024") == ("SIGIR 2024", 2024) and comment_venue("Draft 2023") == (None, None)
    assert [venue_kind(v) for v in ("CoRR", "arXiv.org e-prints", "Robotics: Science and Systems",
                                    "Journal of Machine Learning Research", "Physical Review Letters")] == [
        None, None, "inproceedings", "article", "article"]


@pytest.mark.parametrize(("comment", "venue"), [
    # How arXiv authors write an acceptance (the conferences' own footers among them): each named the
    # venue before acceptances were read, and none after (or a booktitle of "appear in CVPR 2025")
    ("Published as a conference paper at ICLR 2025", "ICLR 2025"),
    ("38th Conference on Neural Information Processing Systems (NeurIPS 2024)", "NeurIPS 2024"),
    ("Accepted at the 38th Conference on Neural Information Processing Systems (NeurIPS 2024)", "NeurIPS 2024"),
    ("In Proceedings of the 41st International Conference on Machine Learning (ICML 2024)", "ICML 2024"),
    ("Presented at ICML 2024", "ICML 2024"), ("Oral presentation at ICLR 2025", "ICLR 2025"),
    ("Best Paper Award at CoRL 2023", "CoRL 2023"), ("12 pages, 5 figures, ECCV 2024", "ECCV 2024"),
    ("Accepted to appear in CVPR 2025", "CVPR 2025"), ("To appear in the proceedings of CVPR 2025", "CVPR 2025"),
    ("Accepted to the main conference of ACL 2024", "ACL 2024"), ("Accepted to ACL 2024 main", "ACL 2024"),
    ("Accepted at the Findings of ACL 2024", "Findings of ACL 2024"),
    ("Under review at NeurIPS 2024", None), ("Extended version of our ICML 2023 paper", None),
])
def test_an_arxiv_comments_acceptance_in_the_words_authors_use(comment: str, venue: str | None) -> None:
    from mkdocs_readinglist.venues import comment_venue

    assert comment_venue(comment)[0] == venue
