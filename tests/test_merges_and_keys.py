"""Merges on strong identity only, and every key a user wrote stays citable: in the export
(each merged entry under its own key), in `[@key]` (a real MkDocs build), in the key lock."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from mkdocs_readinglist.pipeline import run_pipeline
from mkdocs_readinglist.settings import settings_from_mapping

from .helpers import mkdocs_build, papers_json, run_cli

A_BIB = """@article{smith2020pose,
  title = {Pose Estimation in Crowds},
  author = {Smith, Ann and Lee, Bo},
  journal = {Journal of Poses},
  year = {2020},
  doi = {10.1234/poses.2020.1},
}

@book{knuth:vol1,
  title = {The Art of Computer Programming},
  author = {Knuth, Donald E.},
  publisher = {Addison-Wesley},
  volume = {1},
  year = {1968},
}

@book{knuth:vol2,
  title = {The Art of Computer Programming},
  author = {Knuth, Donald E.},
  publisher = {Addison-Wesley},
  volume = {2},
  year = {1969},
}
"""
B_BIB = """@misc{crowdpose,
  title = {Pose estimation in crowds},
  author = {A. Smith},
  year = 2020,
  doi = {https://doi.org/10.1234/POSES.2020.1},
  note = {The preprint},
}
"""
C_BIB = """@article{other2021,
  title = {Pose Estimation in Crowds},
  author = {Smith, Ann},
  journal = {Another Journal},
  year = {2021},
}
"""


def project(root: Path) -> Path:
    (root / "bib").mkdir(parents=True)
    (root / "bib" / "a.bib").write_text(A_BIB, encoding="utf-8")
    (root / "bib" / "b.bib").write_text(B_BIB, encoding="utf-8")
    (root / "bib" / "c.bib").write_text(C_BIB, encoding="utf-8")
    return root


def test_merges_need_strong_identity_and_check_lists_each_with_both_lines(tmp_path: Path) -> None:
    project(tmp_path)
    found = papers_json("bib", cwd=tmp_path)
    keys = sorted(k for p in found for k in p["keys"])
    assert keys == ["crowdpose", "knuth:vol1", "knuth:vol2", "other2021", "smith2020pose"]
    assert len(found) == 4  # same DOI: one paper; the two volumes of one file and the 2021 paper stay apart
    merged = next(p for p in found if "crowdpose" in p["keys"])
    assert merged["key"] == "smith2020pose" and merged["keys"] == ["smith2020pose", "crowdpose"]
    run = run_cli("check", "bib", cwd=tmp_path)
    assert "bib/b.bib:1 merged into bib/a.bib:1: the same DOI 10.1234/poses.2020.1" in run.stdout
    assert re.search(r"bib/c\.bib:1: warning\[same-title\]: same title as bib/a\.bib:1 but a different year "
                     r"\(2021 vs 2020\); kept as two papers", run.stderr)
    assert "knuth" not in run.stderr  # two entries of one file never merge on their title, silently so


def test_every_merged_key_is_exported_under_its_own_key_and_selected_by_it(tmp_path: Path) -> None:
    project(tmp_path)
    text = run_cli("bib", "bib", cwd=tmp_path).stdout
    assert text.count("@article{smith2020pose,") == 1 and text.count("@misc{crowdpose,") == 1
    assert "  note = {The preprint}" in text and "  year = 2020," in text
    only = run_cli("bib", "bib", "--key", "crowdpose", cwd=tmp_path)
    assert "@misc{crowdpose," in only.stdout and "cited-key" not in only.stderr


def test_title_merge_across_files_when_year_and_first_author_agree(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "a.bib").write_text(
        "@inproceedings{mine,\n  title = {Hands in Motion},\n  author = {Doe, Jane},\n  booktitle = {CVPR},\n"
        "  year = {2024}\n}\n", encoding="utf-8")
    (tmp_path / "bib" / "b.bib").write_text(
        "@misc{theirs,\n  title = {Hands in {M}otion},\n  author = {Jane Doe and Roe, Rick},\n  year = {2024}\n}\n",
        encoding="utf-8")
    found = papers_json("bib", cwd=tmp_path)
    assert [sorted(p["keys"]) for p in found] == [["mine", "theirs"]]


def test_the_lock_never_renames_a_users_key_and_generated_keys_never_take_one(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "a.bib").write_text(
        "@article{test2,\n  title = {A Test Paper},\n  author = {Author, Ann},\n  journal = {J},\n  year = {2019}\n}\n",
        encoding="utf-8")
    paper = papers_json("bib", cwd=tmp_path)[0]
    # an old lock gave this paper a generated key, and another paper the user's key
    (tmp_path / "bib" / "readinglist.lock").write_text(
        f"author2019test:\n- {paper['id']}\ntest2:\n- title:someotherpaper\n", encoding="utf-8")
    (tmp_path / "bib" / "other.bib").write_text(  # no usable key: it gets a generated one
        "@misc{,\n  title = {Some Other Paper},\n  year = {2019}\n}\n", encoding="utf-8")
    found = json.loads(run_cli("papers", "--json", "bib", cwd=tmp_path).stdout)
    by_title = {p["title"]: p["key"] for p in found}
    assert by_title["A Test Paper"] == "test2"
    assert by_title["Some Other Paper"] not in ("test2", "author2019test")


def test_cite_works_for_every_key_of_merged_entries_in_a_real_build(tmp_path: Path) -> None:
    project(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Survey\n\nAs shown [@smith2020pose], and in the preprint [@crowdpose]; the volumes [@knuth:vol1; @knuth:vol2].\n",
        encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\nplugins:\n  - readinglist:\n      sources: [bib]\n"
        "      diagnostics: {same-title: info}\n", encoding="utf-8")
    result = mkdocs_build(tmp_path, "--strict")
    assert result.returncode == 0, result.stderr
    assert "unknown citation" not in result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(reading-list/papers/[^"/]+/)"', html)
    assert links.count("reading-list/papers/smith2020pose/") >= 2, links  # both keys lead to the one paper
    assert "reading-list/papers/knuth:vol1/" in links or any("vol1" in link for link in links)
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"]})
    corpus = run_pipeline(settings)
    assert corpus.paper_for_key("CROWDPOSE") is corpus.paper_for_key("smith2020pose") is not None


def test_a_merge_names_only_what_both_records_state(tmp_path: Path) -> None:
    """A Hugging Face search record (a title, no year, no authors) and a .bib entry of the same
    title: the merge said "the same title, year and first author", which only one of them states."""
    from .helpers import SAMPLES
    (tmp_path / "bib").mkdir()
    shutil.copy(SAMPLES / "hf-search-skeleton-pose.txt", tmp_path / "bib")
    (tmp_path / "bib" / "mine.bib").write_text(
        "@article{mine2025,\n  title = {Pose as Clinical Prior: Learning Dual Representations for Scoliosis Screening},\n"
        "  author = {Doe, Jane},\n  journal = {J},\n  year = {2025},\n  abstract = {My own short abstract.}\n}\n",
        encoding="utf-8")
    run = run_cli("check", "bib", cwd=tmp_path)
    # (a record a title alone identifies is placed last: it joins the user's entry)
    assert "bib/hf-search-skeleton-pose.txt:3 merged into bib/mine.bib:1: the same title (nothing else to compare)" \
        in run.stdout, run.stdout
    # The user's own abstract is the paper's, not the listing's longer one.
    merged = next(p for p in papers_json("bib", cwd=tmp_path) if "mine2025" in p["keys"])
    assert merged["abstract"] == "My own short abstract."


def test_a_record_that_fits_two_namesakes_merges_into_neither(tmp_path: Path) -> None:
    """Two papers of one title (other years, other first authors) kept apart, then a listing's
    record of that title with neither a year nor an author: it could be either, and was merged into
    the first (its abstract and links given to a paper it may not be). Kept as its own, and said."""
    from .helpers import SAMPLES
    title = "Pose as Clinical Prior: Learning Dual Representations for Scoliosis Screening"
    (tmp_path / "bib").mkdir()
    for name, key, author, year in (("a", "doe2025", "Doe, Jane", 2025), ("b", "roe2021", "Roe, Rob", 2021)):
        (tmp_path / "bib" / f"{name}.bib").write_text(
            f"@article{{{key},\n  title = {{{title}}},\n  author = {{{author}}},\n  journal = {{J}},\n"
            f"  year = {{{year}}}\n}}\n", encoding="utf-8")
    for listing in ("c-search.txt", "0-search.txt"):  # (read after the .bib files, and before them)
        for old in (tmp_path / "bib").glob("*-search.txt"):
            old.unlink()
        shutil.copy(SAMPLES / "hf-search-skeleton-pose.txt", tmp_path / "bib" / listing)
        run = run_cli("check", "bib", cwd=tmp_path)
        assert re.search(rf"bib/{listing}:\d+: warning\[same-title\]: same title as bib/a.bib:1 and bib/b.bib:1, "
                         r"which are 2 papers, and nothing here tells which this is", run.stderr), run.stderr
        papers = [p for p in papers_json("bib", cwd=tmp_path) if p["title"] == title]
        assert sorted(str(p["year"]) for p in papers) == ["2021", "2025", "None"], (listing, papers)
        assert all(p["abstract"] is None for p in papers if p["year"]), "the listing's abstract went to a .bib paper"


def test_a_key_two_files_use_stays_with_the_first_files_entry_as_in_bibtex(tmp_path: Path) -> None:
    """Crossref writes `Surname_Year` keys: two exports, two papers, one `He_2016`. BibTeX and
    biber take the first file's entry for `\\cite{He_2016}`; the export gave the key to the paper
    whose id sorts first (ResNet, of the second file), so a paper compiled against the export cited
    another paper than against the sources."""
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "z-resnet.bib").write_text(
        " @inproceedings{He_2016, title={Deep Residual Learning for Image Recognition}, "
        "DOI={10.1109/cvpr.2016.90}, booktitle={CVPR}, author={He, Kaiming and Zhang, Xiangyu}, year={2016}}\n",
        encoding="utf-8")
    (tmp_path / "bib" / "a-vbpr.bib").write_text(
        " @article{He_2016, title={VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback}, "
        "DOI={10.1609/aaai.v30i1.9973}, journal={AAAI}, author={He, Ruining and McAuley, Julian}, year={2016}}\n",
        encoding="utf-8")
    for order in (["bib/a-vbpr.bib", "bib/z-resnet.bib"], ["bib/z-resnet.bib", "bib/a-vbpr.bib"]):
        settings, _ = settings_from_mapping(tmp_path, {"sources": order, "lock_file": "keys.lock"})
        corpus = run_pipeline(settings)
        first = corpus.paper_for_key("He_2016")
        assert first is not None and first.bib[0].source.file == order[0], (order, first)
        taken = [d for d in corpus.diagnostics if d.code == "key-taken"]
        assert [d.file for d in taken] == [order[1]] and "He_2016" in taken[0].message
        # `[@He_2016]` in a page and `--key He_2016` name that paper too, not the renamed one
        from mkdocs_readinglist.render.bibtex import select
        from mkdocs_readinglist.site import corpus_aliases

        assert "He_2016" not in corpus_aliases(corpus), corpus_aliases(corpus)
        assert select(list(corpus.papers), keys=["He_2016"]) == [first]
        (tmp_path / "keys.lock").unlink(missing_ok=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nAs [@He_2016] shows.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: s\nplugins:\n  - readinglist:\n      sources: [bib/a-vbpr.bib, "
                                         "bib/z-resnet.bib]\n      lock_file: keys.lock\n      cite_only: true\n"
                                         "      paper_pages: false\n", encoding="utf-8")
    assert mkdocs_build(tmp_path).returncode == 0
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "VBPR" in page and "Deep Residual" not in page


def test_a_record_with_both_ids_joins_the_arxiv_paper_and_the_doi_paper_in_any_file_order(tmp_path: Path) -> None:
    """arXiv's export (the eprint, "The ATLAS Collaboration"), Crossref's (the DOI, Aad) and
    INSPIRE's (both): one paper. Read in that order the first two were kept apart (other first
    authors) and INSPIRE's joined only the arXiv one: two pages and a misleading `shared-id`, and
    one paper when INSPIRE's file came first."""
    title = "Observation of a new particle in the search for the Standard Model Higgs boson with the ATLAS detector at the LHC"
    files = {
        "arxiv.bib": f"@misc{{atlas2012arxiv,\n  title={{{title}}},\n  author={{The ATLAS Collaboration}},\n"
                     "  year={2012},\n  eprint={1207.7214},\n  archivePrefix={arXiv},\n  primaryClass={hep-ex}\n}\n",
        "crossref.bib": f" @article{{Aad_2012, title={{{title}}}, volume={{716}}, DOI={{10.1016/j.physletb.2012.08.020}}, "
                        "journal={Physics Letters B}, author={Aad, G. and Abajyan, T.}, year={2012}, pages={1–29} }\n",
        "inspire.bib": f'@article{{ATLAS:2012yve,\n    author = "Aad, Georges and others",\n    title = "{{{title}}}",\n'
                       '    eprint = "1207.7214",\n    archivePrefix = "arXiv",\n    doi = "10.1016/j.physletb.2012.08.020",\n'
                       '    journal = "Phys. Lett. B",\n    year = "2012"\n}\n'}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for order in (["arxiv.bib", "crossref.bib", "inspire.bib"], ["inspire.bib", "arxiv.bib", "crossref.bib"],
                  ["crossref.bib", "inspire.bib", "arxiv.bib"]):
        settings, _ = settings_from_mapping(tmp_path, {"sources": order, "lock_file": "keys.lock"})
        corpus = run_pipeline(settings)
        assert len(corpus.papers) == 1, (order, [p.key for p in corpus.papers])
        paper = corpus.papers[0]
        assert sorted(paper.cite_keys) == sorted(["ATLAS:2012yve", "Aad_2012", "atlas2012arxiv"]), paper.cite_keys
        assert paper.arxiv_id == "1207.7214" and paper.doi == "10.1016/j.physletb.2012.08.020"
        assert not [d for d in corpus.diagnostics if d.code in ("shared-id", "same-title")], corpus.diagnostics
    # Each .bib entry goes out under its own key: three entries of one paper, and said so
    run = run_cli("bib", *files, "-o", "out.bib", "--lock", "keys.lock", cwd=tmp_path)
    assert "wrote 3 entries (1 paper) to out.bib" in run.stderr, run.stderr
    assert (tmp_path / "out.bib").read_text(encoding="utf-8").count("\n@") + 1 == 3


def test_chapters_that_inherit_their_books_doi_are_not_one_paper(tmp_path: Path) -> None:
    """TeX Live's texbook3.bib: the papers of a proceedings volume (`crossref =
    {Syropoulos:2004:TXD}`) inherit its DOI, and were merged into one paper by it (four talks
    shown as Athale's). An inherited DOI is the volume's, not a paper's identity."""
    from .helpers import texlive

    settings, _ = settings_from_mapping(tmp_path, {"sources": [str(texlive("texbook3.bib"))],
                                                   "lock_file": str(tmp_path / "keys.lock")})
    corpus = run_pipeline(settings)
    chapters = ("Athale:2004:ULT", "Bzyl:2004:MXC")
    papers = {key: corpus.paper_for_key(key) for key in chapters}
    assert all(papers.values()) and papers[chapters[0]] is not papers[chapters[1]]
    assert papers["Bzyl:2004:MXC"].title.startswith("Migrating to XML")  # type: ignore[union-attr]
    assert not [d for d in corpus.diagnostics if d.code in ("shared-id", "duplicate") and "texbook3" in d.file
                and d.line in (2583, 4240)]


def test_two_entries_of_one_doi_but_other_titles_stay_two_papers_with_a_warning(tmp_path: Path) -> None:
    """A DOI pasted into the wrong entry: one DOI, two works (titles without a word in common).
    Merged, one of them had no page of its own; kept apart now, and said."""
    (tmp_path / "refs.bib").write_text(A_BIB.replace("  volume = {1},\n", "  volume = {1},\n  doi = {10.1234/poses.2020.1},\n"),
                                       encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["refs.bib"], "lock_file": "keys.lock"})
    corpus = run_pipeline(settings)
    assert corpus.paper_for_key("knuth:vol1") is not corpus.paper_for_key("smith2020pose")
    warned = [d for d in corpus.diagnostics if d.code == "shared-id"]
    assert len(warned) == 1 and warned[0].line == 9 and "DOI 10.1234/poses.2020.1 is that of" in warned[0].message


def test_chapters_of_one_book_doi_with_titles_alike_stay_apart_and_a_shorter_title_merges(tmp_path: Path) -> None:
    """Two chapters carrying their book's own DOI, whose titles share words (`Neural Networks for
    Cats` / `... for Dogs`), were one paper; a title and the same title with a subtitle are one."""
    (tmp_path / "refs.bib").write_text(
        "@incollection{roe,\n  author = {Roe, Rick},\n  title = {Neural Networks for Cats},\n  booktitle = {Pets},\n"
        "  year = {2020},\n  doi = {10.1000/pets},\n}\n\n"
        "@incollection{poe,\n  author = {Poe, Pat},\n  title = {Neural Networks for Dogs},\n  booktitle = {Pets},\n"
        "  year = {2020},\n  doi = {10.1000/pets},\n}\n\n"
        "@article{flow,\n  author = {Smith, Ann},\n  title = {PoseFlow},\n  journal = {J},\n  year = {2025},\n"
        "  doi = {10.1000/flow},\n}\n\n"
        "@misc{flowpre,\n  author = {Smith, Ann},\n  title = {PoseFlow: Rectified Flow for Whole-Body Pose Estimation},\n"
        "  year = {2025},\n  doi = {10.1000/flow},\n}\n", encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["refs.bib"], "lock_file": "keys.lock"})
    corpus = run_pipeline(settings)
    assert corpus.paper_for_key("roe") is not corpus.paper_for_key("poe")
    assert corpus.paper_for_key("flow") is corpus.paper_for_key("flowpre")
    assert [d.line for d in corpus.diagnostics if d.code == "shared-id"] == [9]
