"""A title's identity keeps the letters that have no ASCII spelling (Greek, Cyrillic, Chinese):
folded away, "α-Net for Pose" and "β-Net for Pose" were merged into one paper (three titles and
abstracts lost, nothing said), and a Chinese title was no identity at all, so its key was pinned
to its file and line and moved when a paper was added above it."""

from __future__ import annotations

from pathlib import Path

import yaml

from mkdocs_readinglist.text import normalize_title

from .helpers import papers_json, run_cli


def _daily(*papers: tuple[str, str]) -> str:
    """A Hugging Face daily page of these (title, abstract), as the demo's hf-daily listing writes them."""
    blocks = "".join(f"{title}\n\n{abstract}\n\n  • 2 authors\n·\nJul 31, 2025\n\n" for title, abstract in papers)
    return f"Daily Papers\n\nMay 13\n\n{blocks}"


def test_titles_differing_in_letters_of_other_scripts_stay_apart(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    titles = {"a": "α-Net for Pose", "b": "β-Net for Pose", "c": "Поза: Net for Pose", "d": "Поле: Net for Pose"}
    for name, title in titles.items():
        (tmp_path / "bib" / f"{name}.txt").write_text(_daily((title, f"Abstract of {name}.")), encoding="utf-8")
    found = papers_json("bib", cwd=tmp_path)
    assert sorted(p["title"] for p in found) == sorted(titles.values())
    assert sorted(p["abstract"] for p in found) == [f"Abstract of {name}." for name in sorted(titles)]
    assert "merged into" not in run_cli("check", "bib", cwd=tmp_path).stdout
    # the same paper in two listings is still one, whatever its script
    (tmp_path / "bib" / "e.txt").write_text(_daily(("Поза: Net for Pose", "Abstract of c.")), encoding="utf-8")
    assert len(papers_json("bib", cwd=tmp_path)) == len(titles)


def test_a_chinese_title_is_an_identity_and_its_key_stays_when_a_paper_is_added_above(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    listing = tmp_path / "bib" / "c.txt"
    listing.write_text(_daily(("人体姿态估计", "我们研究人体姿态。"), ("手部姿态估计", "我们研究手部动作。")), encoding="utf-8")
    first = {p["title"]: p["key"] for p in papers_json("bib", cwd=tmp_path)}
    assert run_cli("bib", "bib", "-o", "out.bib", cwd=tmp_path).returncode == 0  # writes the key lock
    lock = yaml.safe_load((tmp_path / "bib" / "readinglist.lock").read_text(encoding="utf-8"))
    assert lock[first["人体姿态估计"]] and all(not i.startswith("source:") for ids in lock.values() for i in ids)
    listing.write_text(_daily(("面部表情识别", "我们研究面部表情。"), ("人体姿态估计", "我们研究人体姿态。"),
                              ("手部姿态估计", "我们研究手部动作。")), encoding="utf-8")
    again = {p["title"]: p["key"] for p in papers_json("bib", cwd=tmp_path)}
    assert again["人体姿态估计"] == first["人体姿态估计"] and again["手部姿态估计"] == first["手部姿态估计"]
    assert again["面部表情识别"] not in first.values()


def test_latin_titles_keep_the_identity_they_had() -> None:
    """Titles of Latin letters, accented or not, are folded as before: the key lock's ids stay."""
    assert normalize_title("Łódź Ørsted Straße æther") == "lodzorstedstrasseaether"
    assert normalize_title("Café naïve ﬁsh: a 2nd Look") == "cafenaivefisha2ndlook"
    assert normalize_title("Pose 🕺 Net") == "posenet"
    assert normalize_title("α-Net for Pose") == "αnetforpose" != normalize_title("β-Net for Pose")
