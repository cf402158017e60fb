"""`readinglist resolve` end to end, as a user runs it: the real command against local servers for
every service (each in its real response format), then `readinglist bib` and a real `mkdocs build`
with every service's base URL at a closed port and any socket connection refused and logged: the
builds read resolved.yml and make no network call."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .helpers import copy_samples
from .resolve_servers import ArxivPaper, Published, World, closed_port, serve

CLUTCH = "CLUTCH: Contextualized Language model for Unlocking Text-Conditioned Hand motion modelling in the wild"
GPGAIT = "GPGait: Generalized Pose-based Gait Recognition"
SYNPAIN = "SynPAIN: A Synthetic Dataset of Pain and Non-Pain Facial Expressions"
BAH = "BAH Dataset for Ambivalence/Hesitancy Recognition in Videos for Digital Behaviour Analysis"
BANZ = "BANZ-FS: BANZSL Fingerspelling Dataset"

SITECUSTOMIZE = '''
import os, socket
def _refuse(self, address, *args):
    with open(os.environ["READINGLIST_TEST_NETLOG"], "a") as log:
        log.write(repr(address) + "\\n")
    raise OSError("network refused by the test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
'''


def _world() -> World:
    arxiv = [
        ArxivPaper("2510.04321v2", CLUTCH, ("Yuki Tanaka", "Anna Rossi", "Omar Patel"), "2025-10-05", "cs.CV"),
        ArxivPaper("2303.05234v1", GPGAIT, ("Yang Fu", "Shibei Meng", "Saihui Hou", "Xuecai Hu", "Yongzhen Huang"),
                   "2023-03-09", "cs.CV"),
        ArxivPaper("2507.19673v1", SYNPAIN, tuple(f"Author{i} Family{i}" for i in range(8)), "2025-07-31", "cs.CV"),
        ArxivPaper("2502.03836v1", "Adapting Human Mesh Recovery with Vision-Language Feedback",
                   ("Chongyang Xu", "Buzhen Huang", "Chengfang Zhang", "Ziliang Feng", "Yangang Wang"), "2025-02-06",
                   "cs.CV"),
        ArxivPaper("2507.02565v1", "Reconstructing Close Human Interaction with Appearance and Proxemics Reasoning",
                   ("Buzhen Huang", "Chen Li", "Chongyang Xu", "Dongyue Lu", "Jinnan Chen", "Yangang Wang",
                    "Gim Hee Lee"), "2025-07-03", "cs.CV"),
        ArxivPaper("2404.11291v1", "Closely Interactive Human Reconstruction with Proxemics and Physics-Guided Adaption",
                   ("Buzhen Huang", "Chen Li", "Chongyang Xu", "Liang Pan", "Yangang Wang", "Gim Hee Lee"),
                   "2024-04-17", "cs.CV"),
    ]
    published = [
        Published(CLUTCH, ("Yuki Tanaka", "Anna Rossi", "Omar Patel"), 2026, arxiv_id="2510.04321",
                  openreview=("cLuTcH26", "ICLR.cc/2026/Conference", "ICLR 2026 Poster"),
                  github="https://github.com/example/clutch"),
        Published(BAH, ("Sara Kim",), 2026, openreview=("bAh26", "ICLR.cc/2026/Conference/Rejected_Submission",
                                                        "Submitted to ICLR 2026")),
        Published(BANZ, ("Jonas Novak",), 2026, openreview=("bAnZ26", "ICLR.cc/2026/Conference/Withdrawn_Submission",
                                                            "ICLR 2026 Conference Withdrawn Submission")),
        Published(GPGAIT, ("Yang Fu", "Shibei Meng", "Saihui Hou", "Xuecai Hu", "Yongzhen Huang"), 2023,
                  arxiv_id="2303.05234", doi="10.1109/ICCV51070.2023.01803",
                  venue_full="IEEE/CVF International Conference on Computer Vision", dblp_venue="ICCV"),
        Published(SYNPAIN, tuple(f"Author{i} Family{i}" for i in range(8)), 2025, arxiv_id="2507.19673"),
    ]
    return World(arxiv, published)


def _project(tmp_path: Path) -> Path:
    copy_samples(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Reading list\n", encoding="utf-8")
    config = {"site_name": "Resolved", "theme": {"name": "material", "font": False},
              "plugins": ["search", "tags", {"readinglist": {
                  "sources": ["bib/iclr2026-human-understanding-notes.txt", "bib/hf-search-skeleton-pose.txt",
                              "bib/arxiv-close-interaction.txt", {"path": "bib/hf-daily-2026-05-13.txt", "year": 2026}],
                  "lock_file": "bib/readinglist.lock",
                  "diagnostics": {"missing-meta": "info", "unbalanced-braces": "info"}}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return tmp_path


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
                          capture_output=True, text=True, timeout=timeout, check=False)


def _offline_env(tmp_path: Path) -> dict[str, str]:
    guard = tmp_path / "netguard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    dead = closed_port()
    env = {f"READINGLIST_{name.upper()}_API": dead for name in World.prefixes}
    return {**env, "PYTHONPATH": os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")]),
            "READINGLIST_TEST_NETLOG": str(tmp_path / "netlog.txt")}


def _entry(bib: str, key_start: str) -> str:
    found = [e for e in re.split(r"\n(?=@)", bib) if re.match(r"@\w+\{" + re.escape(key_start), e)]
    assert len(found) == 1, f"{len(found)} entries start with {key_start!r}"
    return found[0]


@pytest.mark.slow
def test_resolve_then_bib_and_build_offline_show_what_was_found(tmp_path: Path) -> None:
    project = _project(tmp_path)
    world = _world()
    with serve(world) as (url, log):
        result = _run(["-m", "mkdocs_readinglist.cli", "resolve", "--config", "mkdocs.yml"], project,
                      {**world.env(url), "READINGLIST_RESOLVE_DELAY": "0"})
    assert result.returncode == 0, result.stderr
    assert "service" in result.stdout and "semantic_scholar" in result.stdout
    assert "224 papers: 8 with facts found, 0 pending review, 216 with nothing found, 0 still to ask" in result.stdout
    assert all(agent.startswith("mkdocs-readinglist/") for agent in log.user_agents)
    assert log.count("/openreview/notes") == 1  # ICLR 2026's accepted papers listed once, matched locally
    resolved = project / "bib" / "resolved.yml"
    text = resolved.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data["papers"]) == sorted(data["papers"])  # sorted: git diffs read well
    clutch = data["papers"][next(k for k in data["papers"] if k.startswith("title:clutch"))]
    services = {m["service"]: m for m in clutch["found"]}
    assert set(services) >= {"arxiv", "openreview", "huggingface"}
    assert services["arxiv"]["id"] == "2510.04321v2" and services["arxiv"]["score"] == 1.0
    assert services["arxiv"]["query"].startswith("search_query=ti:clutch")
    assert services["arxiv"]["date"] and services["openreview"]["id"] == "cLuTcH26"
    # rejected and withdrawn submissions are never matched
    assert "bAh26" not in text and "bAnZ26" not in text

    # Later commands and builds: every service unreachable, any connection refused and logged.
    offline = _offline_env(tmp_path)
    bib = _run(["-m", "mkdocs_readinglist.cli", "bib", "--config", "mkdocs.yml", "-o", "refs.bib"], project, offline)
    assert bib.returncode == 0, bib.stderr
    built = _run(["-m", "mkdocs", "build", "--strict"], project, offline)
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "netlog.txt").exists(), (tmp_path / "netlog.txt").read_text()
    refs = (project / "refs.bib").read_text(encoding="utf-8")

    entry = _entry(refs, "tanaka2026")  # authors found: the key is surname + year + word
    assert entry.startswith("@inproceedings{")
    assert "author = {Yuki Tanaka and Anna Rossi and Omar Patel}" in entry
    assert "booktitle = {International Conference on Learning Representations (ICLR)}" in entry
    assert "year = {2026}" in entry and "eprint = {2510.04321}" in entry  # the listing's venue year stays
    gait = _entry(refs, "fu2023gpgait")
    assert gait.startswith("@inproceedings{") and "International Conference on Computer Vision (ICCV)" in gait
    assert "doi = {10.1109/ICCV51070.2023.01803}" in gait
    pain = _entry(refs, "family02025synpain")
    assert pain.startswith("@misc{") and "eprint = {2507.19673}" in pain
    assert "archivePrefix = {arXiv}" in pain and "primaryClass = {cs.CV}" in pain
    assert "arxiv" not in pain.lower().split("eprint")[0]  # no venue "arXiv" anywhere before the eprint
    mesh = _entry(refs, "xu2025")  # the arXiv listing gives no title: arXiv's, by id
    assert "title = {{Adapting Human Mesh Recovery with Vision-Language Feedback}}" in mesh

    papers = project / "site" / "reading-list" / "papers"
    page = (papers / "tanaka2026clutch" / "index.html").read_text(encoding="utf-8")
    assert "Yuki Tanaka, Anna Rossi, Omar Patel" in page
    for link in ("https://arxiv.org/abs/2510.04321", "https://arxiv.org/pdf/2510.04321",
                 "https://openreview.net/forum?id=cLuTcH26", "https://github.com/example/clutch"):
        assert f'href="{link}"' in page, link
    gait_page = (papers / "fu2023gpgait" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://doi.org/10.1109/ICCV51070.2023.01803"' in gait_page
    shutil.rmtree(project / "site")


def test_builds_and_the_other_commands_never_import_the_network_code() -> None:
    code = ("import sys, mkdocs_readinglist.pipeline, mkdocs_readinglist.adapters.mkdocs_plugin, "
            "mkdocs_readinglist.cli, mkdocs_readinglist.site, mkdocs_readinglist.enrich.resolved; "
            "print(sorted(m for m in sys.modules if m.startswith(('mkdocs_readinglist.resolve', 'requests', "
            "'urllib3', 'tqdm'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
