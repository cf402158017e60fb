"""A writer deletes a `.bib` entry that a page cites in text (`Gait was studied by @doe2019gait`):
a bare `@word` that names no paper is the page's prose and stays as written, reported at info
level only, so the citation was lost without a word and `--strict` passed. A word that the key
lock still keeps as a key is a citation that lost its paper: a warning (unknown-citation), as
`[@doe2019gait]` gets, which says why."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from .helpers import mkdocs_build

pytestmark = pytest.mark.slow

GAIT = """@article{doe2019gait,
  author = {Doe, Jane},
  title = {Gait Recognition in the Wild},
  journal = {Pattern Recognition},
  year = {2019},
}
"""
POSE = """@inproceedings{lee2021pose,
  author = {Lee, Kim},
  title = {Pose Estimation of Hands},
  booktitle = {CVPR},
  year = {2021},
}
"""


def _site(root: Path) -> Path:
    (root / "bib").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "bib" / "refs.bib").write_text(GAIT + "\n" + POSE, encoding="utf-8")
    (root / "docs" / "index.md").write_text(
        "# Survey\n\nGait was studied by @doe2019gait, and pose by @lee2021pose.\n\n"
        "Write to @someone for the data.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Former keys
        theme: {name: material}
        plugins:
          - readinglist:
              sources: [bib]
              lock_file: bib/readinglist.lock
        """), encoding="utf-8")
    return root


def test_a_deleted_entry_cited_in_text_is_a_warning_and_fails_strict(tmp_path: Path) -> None:
    root = _site(tmp_path)
    first = mkdocs_build(root, "--strict")
    assert first.returncode == 0, first.stderr
    assert "doe2019gait:" in (root / "bib" / "readinglist.lock").read_text(encoding="utf-8")
    (root / "bib" / "refs.bib").write_text(POSE, encoding="utf-8")  # the gait entry deleted
    second = mkdocs_build(root)
    assert second.returncode == 0, second.stderr
    warnings = [line for line in second.stderr.splitlines() if "WARNING" in line and "@doe2019gait" in line]
    assert len(warnings) == 1, second.stderr
    assert "index.md:3: warning[unknown-citation]" in warnings[0] and "no paper has it now" in warnings[0]
    assert "@someone" not in second.stderr.replace("DEBUG", "")  # prose stays prose, quietly
    page = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "@doe2019gait" in page  # left as written
    assert mkdocs_build(root, "--strict").returncode == 1


def test_a_bracketed_citation_of_a_deleted_entry_says_why(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert mkdocs_build(root).returncode == 0
    (root / "docs" / "index.md").write_text("# Survey\n\nSee [@doe2019gait].\n", encoding="utf-8")
    (root / "bib" / "refs.bib").write_text(POSE, encoding="utf-8")
    done = mkdocs_build(root)
    assert "unknown citation key 'doe2019gait'; the key lock keeps it, but no paper has it now (its entry removed" \
        in done.stderr


def test_a_key_replaced_by_a_pin_stays_citable(tmp_path: Path) -> None:
    """A listing paper whose locked key is replaced by one pinned in the overrides: a page that
    cites the old key still cites the paper (as a .bib entry's own key stays citable), with no
    warning; it said the paper had gone."""
    from .helpers import copy_demo

    project = copy_demo(tmp_path / "demo")
    overrides = project / "demo" / "overrides.yml"
    overrides.write_text(overrides.read_text(encoding="utf-8").replace(
        '  "2502.03836":\n', '  "2502.03836":\n    key: xu2025hmr\n', 1), encoding="utf-8")
    (project / "docs" / "pinned.md").write_text("# Pinned\n\nAdapting HMR [@xu2025adapting] and @xu2025hmr.\n",
                                                encoding="utf-8")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    assert "xu2025adapting" not in done.stderr, done.stderr
    page = (project / "site" / "pinned" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="citation" href="([^"]+)"', page)
    assert links == ["../reading-list/papers/xu2025hmr/"] * 2, links
