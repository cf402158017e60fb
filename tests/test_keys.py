"""Citation keys are readable, unique, deterministic, and never change once locked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import bibtexparser
import pybtex.errors
from pybtex.database import parse_file

from .helpers import SEED_NAMES, copy_samples, papers_json, run_cli


def _keys(root: Path, *paths: str) -> dict[str, str]:
    """paper id -> key, via the real CLI (which writes the lock)."""
    result = run_cli("bib", *paths, "-o", "out.bib", cwd=root)
    assert result.returncode == 0, result.stderr
    return {p["id"]: p["key"] for p in papers_json(*paths, cwd=root)}


def test_bib_export_parses_clean_and_is_byte_stable(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    first = run_cli("bib", "bib/", "-o", "refs.bib", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    text = (tmp_path / "refs.bib").read_text(encoding="utf-8")
    lock = (tmp_path / "bib" / "readinglist.lock").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == 224 and not library.failed_blocks
    assert len({e.key.lower() for e in library.entries}) == 224
    pybtex.errors.set_strict_mode(True)
    assert len(parse_file(str(tmp_path / "refs.bib")).entries) == 224
    for entry in library.entries:  # a title, or a clear note why there is none
        assert "title" in entry.fields_dict or "Title unknown" in entry.fields_dict["note"].value
    second = run_cli("bib", "bib/", "-o", "refs.bib", cwd=tmp_path)
    assert second.returncode == 0
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8") == text
    assert (tmp_path / "bib" / "readinglist.lock").read_text(encoding="utf-8") == lock


def test_lock_is_sorted_and_lists_every_key(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    keys = _keys(tmp_path, "bib/")
    lines = (tmp_path / "bib" / "readinglist.lock").read_text(encoding="utf-8").splitlines()
    locked = [line[:-1] for line in lines if line and not line.startswith(("#", "-", " "))]
    assert locked == sorted(locked)
    assert set(locked) == set(keys.values())


def test_deleting_the_lock_gives_the_same_keys(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    before = _keys(tmp_path, "bib/")
    (tmp_path / "bib" / "readinglist.lock").unlink()
    assert _keys(tmp_path, "bib/") == before


def test_reordering_sources_changes_no_key(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    forward = _keys(tmp_path, *(f"bib/{n}" for n in SEED_NAMES.values()))
    (tmp_path / "bib" / "readinglist.lock").unlink()
    backward = _keys(tmp_path, *(f"bib/{n}" for n in reversed(SEED_NAMES.values())))
    assert forward == backward


def test_a_colliding_listing_never_renames_existing_keys(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    before = _keys(tmp_path, "bib/")
    assert "clutch2026" in before.values() and "edgecape2026" in before.values()
    # Another CLUTCH of 2026 and a second EdgeCAPE: same short names, same years, other papers.
    (tmp_path / "bib" / "more.txt").write_text(
        "CLUTCH: Contrastive Learning Under Temporal Consistency for Hands\n"
        "We present CLUTCH, a method for hand tracking that uses contrastive learning over time. Hands move "
        "fast and occlude each other, so tracking them from a single camera is hard; we learn features that stay "
        "consistent over time and use them to track both hands through occlusions, outperforming prior work.\n"
        "EdgeCAPE: Edge-Aware Pose Estimation for Everything\n"
        "A second paper with the same short name as an existing one, about edge-aware pose estimation. We "
        "estimate the pose of any object category from a few examples, predicting the edges of its skeleton "
        "graph together with its keypoints, and we evaluate on several benchmarks with strong results.\n",
        encoding="utf-8")
    after = _keys(tmp_path, "bib/")
    assert {k: after[k] for k in before} == before  # no existing key moved
    new = {after[k] for k in after.keys() - before.keys()}
    assert len(new) == 2 and not new & set(before.values())
    assert all(key.startswith(("clutch", "edgecape")) for key in new)


def test_adding_authors_later_keeps_the_key(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    before = _keys(tmp_path, "bib/")
    (tmp_path / "bib" / "fixes.yml").write_text(
        "papers:\n  clutch2026:\n    authors: [Jane Roe, John Doe]\n"
        "  \"2507.02565\":\n    title: Reconstructing Close Human Interaction with Appearance and Proxemics Reasoning\n"
        "    authors: [Buzhen Huang, Chen Li]\n", encoding="utf-8")
    after = _keys(tmp_path, "bib/")
    assert after == before
    without_lock = tmp_path / "fresh"
    copy_samples(without_lock)
    shutil.copy(tmp_path / "bib" / "fixes.yml", without_lock / "bib" / "fixes.yml")
    fresh = _keys(without_lock, "bib/")
    assert fresh["arxiv:2507.02565"] == "huang2025reconstructing"  # Google Scholar style, once authors are known


def test_user_bib_keys_are_kept(tmp_path: Path) -> None:
    copy_samples(tmp_path)
    (tmp_path / "bib" / "mine.bib").write_text(
        "@inproceedings{MyClutchKey,\n  title = {CLUTCH: Contextualized Language model for Unlocking "
        "Text-Conditioned Hand motion modelling in the wild},\n  author = {Roe, Jane and Doe, John},\n"
        "  booktitle = {ICLR},\n  year = {2026}\n}\n"
        "@article{Smith2020,\n  title = {A Paper Only Here},\n  author = {Smith, Ann},\n  journal = {TPAMI},\n"
        "  year = {2020}\n}\n", encoding="utf-8")
    papers = {p["title"]: p for p in papers_json("bib/", cwd=tmp_path)}
    assert papers["A Paper Only Here"]["key"] == "Smith2020"
    clutch = next(p for t, p in papers.items() if t and t.startswith("CLUTCH:"))
    assert clutch["key"] == "MyClutchKey"  # merged with the notes page; the user's key wins
    assert clutch["authors"] == ["Roe, Jane", "Doe, John"]
    assert len(clutch["sources"]) == 2


def test_same_title_different_arxiv_ids_get_suffixes(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "two.txt").write_text(
        "A first abstract about pose estimation with a transformer model for people.\n\narXiv:2401.00001\n"
        "Created: 2024-01-02\n\nA second abstract about pose estimation, another paper entirely.\n\n"
        "arXiv:2401.00002\nCreated: 2024-01-03\n", encoding="utf-8")
    (tmp_path / "bib" / "titles.yml").write_text(
        "papers:\n  \"2401.00001\":\n    title: Pose Estimation Revisited\n"
        "  \"2401.00002\":\n    title: Pose Estimation Revisited\n", encoding="utf-8")
    papers = papers_json("bib/", cwd=tmp_path)
    assert sorted(p["key"] for p in papers) == ["poseestimation2024a", "poseestimation2024b"]


def _daily_with_a_namesake(bib: Path, first: bool) -> None:
    """The seed daily listing with a second paper titled as its first one (another year and
    abstract: two surveys named alike), written after it or before it."""
    path = bib / SEED_NAMES["hf_daily"]
    text = path.read_text(encoding="utf-8")
    start = text.index("SynPAIN: A Synthetic Dataset")
    end = text.index("Facial-R1: Aligning Reasoning")
    namesake = ("SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions\n\n"
                "An earlier dataset of synthetic faces in pain, from another group, under the very same name.\n\n"
                "  • 3 authors\n·\nJul 31, 2021\n\n")
    original = text[start:end]
    path.write_text(text[:start] + (namesake + original if first else original + namesake) + text[end:],
                    encoding="utf-8")


def test_two_papers_titled_alike_keep_their_keys_run_after_run_and_in_any_order(tmp_path: Path) -> None:
    """Two listing papers with one title (and no arXiv id) share a title id: the one numbered
    `~2` kept the shared id among its aliases, so each matched the other's key in the lock and
    their keys swapped from one run to the next (`\\cite` named another paper in each build)."""
    bib = copy_samples(tmp_path)
    _daily_with_a_namesake(bib, first=False)

    def by_year() -> dict[int, str]:
        result = run_cli("bib", "bib/", "-o", "out.bib", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        papers = [p for p in papers_json("bib/", cwd=tmp_path) if (p["title"] or "").startswith("SynPAIN:")]
        assert len(papers) == 2
        return {p["year"]: p["key"] for p in papers}

    keys = by_year()
    assert len(set(keys.values())) == 2
    for _ in range(3):
        assert by_year() == keys
    lock = (bib / "readinglist.lock").read_text(encoding="utf-8")
    assert all(lock.count(f"\n{key}:\n") == 1 for key in keys.values())
    # The listing scraped again with the namesake first: each paper keeps its key.
    copy_samples(tmp_path)
    shutil.copy(bib / "readinglist.lock", tmp_path / "kept.lock")
    _daily_with_a_namesake(bib, first=True)
    shutil.copy(tmp_path / "kept.lock", bib / "readinglist.lock")
    assert by_year() == keys
    # And without the lock, the same keys again.
    (bib / "readinglist.lock").unlink()
    assert by_year() == keys


def test_a_bib_entry_taking_a_listing_papers_locked_key_is_said_with_the_new_key(tmp_path: Path) -> None:
    """A user's .bib entry whose own key is a key the lock gave a listing paper (Google Scholar's
    keys look like ours): the .bib keeps its key, as it must, but the listing paper was given
    another with no word, and a paper.tex's `\\cite` of the old key named another paper."""
    copy_samples(tmp_path)
    before = {p["title"]: p["key"] for p in papers_json("bib/", cwd=tmp_path) if p["title"]}
    run_cli("bib", "bib/", "-o", "out.bib", cwd=tmp_path)  # the lock written
    title, key = next((t, k) for t, k in sorted(before.items()) if t.startswith("SynPAIN"))
    (tmp_path / "bib" / "mine.bib").write_text(
        f"@article{{{key},\n  author = {{Doe, Jane}},\n  title = {{Priors for Everyone}},\n"
        "  journal = {Journal of Poses},\n  year = {2025},\n}\n", encoding="utf-8")
    result = run_cli("check", "bib/", cwd=tmp_path)
    after = {p["title"]: p["key"] for p in papers_json("bib/", cwd=tmp_path) if p["title"]}
    assert after["Priors for Everyone"] == key and after[title] != key
    message = next(line for line in result.stderr.splitlines() if "key-taken" in line)
    assert f"the key lock's key {key!r} of paper {title!r} is not its key now: it is now another paper's own key" in message
    assert message.endswith(f"its key is {after[title]!r}"), message
    assert all(after[t] == k for t, k in before.items() if t != title)
    for _ in range(2):  # the new key is the paper's from now on: not another one each run
        assert run_cli("bib", "bib/", "-o", "out.bib", cwd=tmp_path).returncode == 0
        again = {p["title"]: p["key"] for p in papers_json("bib/", cwd=tmp_path) if p["title"]}
        assert again == after


def test_a_folder_put_before_the_locked_one_in_sources_keeps_the_lock(tmp_path: Path) -> None:
    """`sources: [extra, bib]` after builds of `sources: [bib]`: the lock went beside the first
    source, a new one, with keys given again (some moved to other papers), and bib/'s lock and
    resolved.yml were abandoned without a word. The lock already in a source folder is kept."""
    copy_samples(tmp_path)
    config = "site_name: t\nplugins:\n  - readinglist:\n      sources: [{}]\n"
    (tmp_path / "mkdocs.yml").write_text(config.format("bib"), encoding="utf-8")
    assert run_cli("bib", "--config", "mkdocs.yml", "-o", "one.bib", cwd=tmp_path).returncode == 0
    before = {p["id"]: p["key"] for p in papers_json("--config", "mkdocs.yml", cwd=tmp_path)}
    (tmp_path / "extra").mkdir()
    shutil.move(tmp_path / "bib" / SEED_NAMES["arxiv"], tmp_path / "extra" / SEED_NAMES["arxiv"])
    (tmp_path / "mkdocs.yml").write_text(config.format("extra, bib"), encoding="utf-8")
    result = run_cli("bib", "--config", "mkdocs.yml", "-o", "two.bib", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "extra" / "readinglist.lock").exists()
    assert {p["id"]: p["key"] for p in papers_json("--config", "mkdocs.yml", cwd=tmp_path)} == before


def test_a_lock_key_given_to_two_papers_is_said(tmp_path: Path) -> None:
    """Two branches' locks merged by keeping both sides of a conflict: one key with the ids of two
    papers. One paper keeps it; the other got a new key with no word (its `\\cite` named the first)."""
    import yaml

    bib = copy_samples(tmp_path)
    run_cli("bib", "bib/", "-o", "out.bib", cwd=tmp_path)
    lock = yaml.safe_load((bib / "readinglist.lock").read_text(encoding="utf-8"))
    first, second = sorted(key for key, ids in lock.items() if any(i.startswith("arxiv:") for i in ids))[:2]
    lock[first] = lock[first] + lock.pop(second)
    (bib / "readinglist.lock").write_text(yaml.safe_dump(lock), encoding="utf-8")
    result = run_cli("check", "bib/", cwd=tmp_path)
    warned = [line for line in result.stderr.splitlines() if "key-taken" in line]
    assert len(warned) == 1 and f"the key lock's key {first!r} of paper" in warned[0], result.stderr
    assert "the key lock gives it to another paper too" in warned[0]
    new_key = re.search(r"its key is '([^']+)'$", warned[0])
    assert new_key and new_key.group(1) in {p["key"] for p in papers_json("bib/", cwd=tmp_path)}


def test_a_paper_titled_as_another_keeps_its_key_when_the_other_goes_or_a_new_one_comes_first(tmp_path: Path) -> None:
    """The lock gives `title:x` the first paper's key and `title:x~2` the second's. When the first
    is removed, the second is known by `title:x` alone and took the removed paper's key; when a
    namesake is added that comes first, it took the key of the paper already there."""
    bib = copy_samples(tmp_path)
    daily = bib / SEED_NAMES["hf_daily"]
    original = daily.read_text(encoding="utf-8")

    def synpain() -> dict[int, str]:
        result = run_cli("bib", "bib/", "-o", "out.bib", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return {p["year"]: p["key"] for p in papers_json("bib/", cwd=tmp_path)
                if (p["title"] or "").startswith("SynPAIN:")}

    alone = synpain()  # the 2025 paper alone: its key locked to `title:x`
    _daily_with_a_namesake(bib, first=True)  # a 2021 namesake comes first in the listing
    both = synpain()
    assert both[2025] == alone[2025] and both[2021] != alone[2025]
    # The 2025 paper removed: the 2021 one keeps its own key, not the removed paper's.
    text = daily.read_text(encoding="utf-8")
    start = text.index("SynPAIN: A Synthetic Dataset", text.index("SynPAIN: A Synthetic Dataset") + 1)
    daily.write_text(text[:start] + text[text.index("Facial-R1: Aligning Reasoning"):], encoding="utf-8")
    assert synpain() == {2021: both[2021]}
    daily.write_text(original, encoding="utf-8")
    assert synpain() == {2025: alone[2025]}


def test_three_papers_titled_alike_keep_their_keys_when_an_older_one_comes_or_one_goes(tmp_path: Path) -> None:
    """Three namesakes (2021, 2022, 2023): their numbered ids follow their years, so an older one
    added (or one removed) shifts the numbers, and the keys followed the numbers to other papers."""
    bib = copy_samples(tmp_path)
    daily = bib / SEED_NAMES["hf_daily"]
    text = daily.read_text(encoding="utf-8")
    start = text.index("SynPAIN: A Synthetic Dataset")
    end = text.index("Facial-R1: Aligning Reasoning")

    def namesake(year: int) -> str:
        return (f"SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions\n\n"
                f"A dataset of synthetic faces in pain of {year}, from another group, under the very same name.\n\n"
                f"  • 3 authors\n·\nJul 31, {year}\n\n")

    def with_years(*years: int) -> dict[int, str]:
        daily.write_text(text[:start] + "".join(namesake(y) for y in years) + text[end:], encoding="utf-8")
        result = run_cli("bib", "bib/", "-o", "out.bib", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return {p["year"]: p["key"] for p in papers_json("bib/", cwd=tmp_path)
                if (p["title"] or "").startswith("SynPAIN:")}

    keys = with_years(2021, 2022, 2023)
    assert len(set(keys.values())) == 3
    with_older = with_years(2019, 2021, 2022, 2023)
    assert {year: with_older[year] for year in keys} == keys and with_older[2019] not in keys.values()
    assert with_years(2021, 2023) == {2021: keys[2021], 2023: keys[2023]}
    assert with_years(2022, 2023) == {2022: keys[2022], 2023: keys[2023]}


def test_a_lock_or_resolved_facts_the_build_does_not_use_are_said_and_never_read_as_sources(tmp_path: Path) -> None:
    """Two source folders with a lock each (an earlier layout): the first source's won with no
    word; a resolved.yml in a folder without a lock, another source first: it was read as an
    overrides file (20 warnings about `found:` and `pending:`) and its facts were lost."""
    bib = copy_samples(tmp_path)
    (tmp_path / "extra").mkdir()
    shutil.move(bib / SEED_NAMES["arxiv"], tmp_path / "extra" / SEED_NAMES["arxiv"])
    assert run_cli("bib", "extra", "-o", "one.bib", cwd=tmp_path).returncode == 0  # extra/readinglist.lock
    assert run_cli("bib", "bib", "-o", "two.bib", cwd=tmp_path).returncode == 0  # bib/readinglist.lock
    result = run_cli("check", "extra", "bib", cwd=tmp_path)
    assert ("bib/readinglist.lock: warning[lock-unused]: not the key lock this build uses (extra/readinglist.lock)"
            in result.stderr), result.stderr
    # resolve's facts beside no lock: the folder that holds them is where the lock goes
    (bib / "readinglist.lock").unlink()
    (tmp_path / "extra" / "readinglist.lock").unlink()
    (bib / "resolved.yml").write_text("# readinglist resolve\npapers: {}\n", encoding="utf-8")
    result = run_cli("check", "extra", "bib", cwd=tmp_path)
    assert "warning[override" not in result.stderr and "lock-unused" not in result.stderr, result.stderr
    assert run_cli("bib", "extra", "bib", "-o", "three.bib", cwd=tmp_path).returncode == 0
    assert (bib / "readinglist.lock").is_file() and not (tmp_path / "extra" / "readinglist.lock").exists()
