"""Topics from data (extend, replace), overrides of any field, through the real CLI."""

from __future__ import annotations

from pathlib import Path

from .helpers import by_title, copy_samples, papers_json, run_cli


def _config(root: Path, body: str) -> None:
    (root / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - readinglist:\n" + body, encoding="utf-8")


def test_topics_extend_the_builtin_taxonomy(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    _config(tmp_path, "      topics:\n        - name: Yoga\n          keywords: [yoga, pilates]\n"
                      "        - name: Gait\n          keywords: [scoliosis]\n")
    papers = papers_json("--config", "mkdocs.yml", "bib/", cwd=tmp_path)
    yoga = by_title(papers, "3DYoga90:")
    assert "Yoga" in yoga["topics"] and "Human Pose" in yoga["topics"]
    assert "Gait" in by_title(papers, "Pose as Clinical Prior")["topics"]  # keyword added to a built-in topic
    assert "Gait" in by_title(papers, "GPGait:")["topics"]  # the built-in keywords still apply


def test_replace_taxonomy_keeps_only_the_users_topics(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    (tmp_path / "topics.yml").write_text(
        "topics:\n  - name: Faces\n    keywords: [face, facial]\n  - name: Bodies\n    keywords: [body, pose, skeleton]\n",
        encoding="utf-8")
    _config(tmp_path, "      taxonomy: topics.yml\n      replace_taxonomy: true\n")
    papers = papers_json("--config", "mkdocs.yml", "bib/", cwd=tmp_path)
    assert {t for p in papers for t in p["topics"]} <= {"Faces", "Bodies"}
    assert "Faces" in by_title(papers, "SynPAIN:")["topics"]
    stats = run_cli("stats", "--config", "mkdocs.yml", "bib/", cwd=tmp_path)
    assert "without a topic" in stats.stdout
    # as every command: the sources' problems on stderr, and --strict fails on a warning
    assert stats.returncode == 0 and "warning[" in stats.stderr
    assert run_cli("stats", "--strict", "--config", "mkdocs.yml", "bib/", cwd=tmp_path).returncode == 1


def test_unknown_topic_stops_with_a_suggestion(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    result = run_cli("bib", "bib/", "--topic", "humna-pose", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown topic 'humna-pose'" in result.stderr and "Did you mean 'human-pose'?" in result.stderr
    assert "Human Pose" in result.stderr  # the valid topics are listed
    good = run_cli("bib", "bib/", "--topic", "Gait", "-o", "gait.bib", cwd=tmp_path)
    assert good.returncode == 0
    assert (tmp_path / "gait.bib").read_text(encoding="utf-8").count("@misc{") == 3


def test_colliding_topic_slugs_and_bad_taxonomy_are_config_errors(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    _config(tmp_path, "      topics:\n        - name: Multimodal VLM\n          keywords: [vlm]\n")
    result = run_cli("check", "--config", "mkdocs.yml", cwd=tmp_path)
    assert result.returncode == 2
    assert "'Multimodal/VLM' and 'Multimodal VLM' would share the page `multimodal-vlm`" in result.stderr
    (tmp_path / "broken.yml").write_text("topics: [name: x, keywords: [", encoding="utf-8")
    _config(tmp_path, "      taxonomy: broken.yml\n")
    broken = run_cli("check", "--config", "mkdocs.yml", cwd=tmp_path)
    assert broken.returncode == 2 and "broken.yml: not valid YAML" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_overrides_fix_any_field(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    (tmp_path / "bib" / "overrides.yml").write_text(
        "# my fixes\npapers:\n"
        "  \"2507.02565\":\n"
        "    title: Reconstructing Close Human Interaction with Appearance and Proxemics Reasoning\n"
        "    authors: [Buzhen Huang, Chen Li, Chongyang Xu]\n"
        "    venue: CVPR 2025\n"
        "  clutch2026:\n"
        "    topics: [Sign Language]\n"
        "    notes: Read first.\n"
        "    key: clutch\n"
        "  \"SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions\":\n"
        "    code: https://github.com/example/synpain\n"
        "  nosuchpaper2020:\n"
        "    title: Nothing\n"
        "  edgecape2026:\n"
        "    colour: blue\n", encoding="utf-8")
    result = run_cli("check", "bib/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "bib/overrides.yml:13: warning[override-unmatched]: no paper matches override 'nosuchpaper2020'" in result.stderr
    assert "bib/overrides.yml:16: warning[overrides-unknown-key]: unknown field 'colour'" in result.stderr
    papers = papers_json("bib/", cwd=tmp_path)
    closeapp = next(p for p in papers if p["arxiv_id"] == "2507.02565")
    assert closeapp["title"].startswith("Reconstructing Close Human Interaction")
    assert closeapp["authors"] == ["Buzhen Huang", "Chen Li", "Chongyang Xu"] and closeapp["author_count"] == 3
    assert (closeapp["venue"], closeapp["key"], closeapp["entry_type"]) == ("CVPR 2025", "huang2025reconstructing",
                                                                            "inproceedings")
    clutch = by_title(papers, "CLUTCH:")
    assert clutch["key"] == "clutch" and clutch["topics"][0] == "Sign Language"
    assert {"kind": "code", "url": "https://github.com/example/synpain"} in by_title(papers, "SynPAIN:")["urls"]
    assert sum(1 for line in result.stderr.splitlines() if "has no title" in line) == 2  # the other two arXiv papers


def test_a_paper_titled_by_an_override_merges_with_the_same_paper_in_another_listing(tmp_path: Path) -> None:
    """configure.md's own example: the arXiv listing gives no titles, the overrides title 2507.02565;
    a Hugging Face search listing has the same paper by that title. It was two papers (merging came
    before the overrides); it is one, from both listings."""
    import shutil

    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping

    from .helpers import SAMPLES
    title = "Reconstructing Close Human Interaction with Appearance and Proxemics Reasoning"
    bib = tmp_path / "bib"
    bib.mkdir()
    shutil.copy(SAMPLES / "arxiv-close-interaction.txt", bib)
    (bib / "hf-search.txt").write_text(f"{title}\nDue to visual ambiguities and inter-person occlusions, existing "
                                       "methods cannot recover plausible close interactions from in-the-wild videos.\n",
                                       encoding="utf-8")
    (bib / "overrides.yml").write_text(f'papers:\n  "2507.02565":\n    title: {title}\n', encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"], "lock_file": "keys.lock"})
    corpus = run_pipeline(settings)
    named = [p for p in corpus.papers if p.title == title]
    assert len(named) == 1, [p.key for p in named]
    paper, = named
    assert paper.arxiv_id == "2507.02565"
    assert {ref.file for ref in paper.provenance} == {"bib/arxiv-close-interaction.txt", "bib/hf-search.txt"}
    assert len(corpus.papers) == 3  # the listing's two other papers stay as they were


def test_an_override_ending_its_authors_with_others_counts_only_the_names(tmp_path: Path) -> None:
    """BibTeX's `and others` is no author: an override's list ending in `others` counts the names given,
    as a .bib entry's list does, so the paper's page says "at least 3 authors", not "3 authors"."""
    copy_samples(tmp_path)
    (tmp_path / "bib" / "overrides.yml").write_text(
        "papers:\n  \"2507.02565\":\n    authors: [Buzhen Huang, Chen Li, others]\n  clutch2026:\n    authors: [others]\n",
        encoding="utf-8")
    papers = papers_json("bib/", cwd=tmp_path)
    closeapp = next(p for p in papers if p["arxiv_id"] == "2507.02565")
    assert closeapp["authors"] == ["Buzhen Huang", "Chen Li", "others"] and closeapp["author_count"] == 2
    assert by_title(papers, "CLUTCH:")["author_count"] is None  # no name given: no count


def test_an_arxiv_id_given_by_an_override_to_a_second_paper_is_a_warning(tmp_path: Path) -> None:
    """An override's `arxiv_id:` (or `readinglist resolve`) gives a paper the arXiv id another
    paper of the corpus has: two papers, two .bib entries of one id, and no word."""
    copy_samples(tmp_path)
    (tmp_path / "bib" / "overrides.yml").write_text("papers:\n  clutch2026:\n    arxiv_id: \"2507.02565\"\n",
                                                    encoding="utf-8")
    result = run_cli("check", "bib/", cwd=tmp_path)
    shared = [line for line in result.stderr.splitlines() if "warning[shared-id]" in line]
    assert len(shared) == 1, result.stderr
    assert "has the arXiv id 2507.02565 of paper" in shared[0] and "arxiv-close-interaction.txt" in shared[0]
    assert sum(1 for p in papers_json("bib/", cwd=tmp_path) if p["arxiv_id"] == "2507.02565") == 2
    assert "shared-id" not in run_cli("check", "bib/", "--strict", cwd=copy_samples(tmp_path / "clean").parent).stderr
