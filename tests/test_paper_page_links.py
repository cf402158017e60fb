"""A paper page's links (render/pages.link_list) from the fields as services write them."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs_readinglist.pipeline import run_pipeline
from mkdocs_readinglist.render.pages import link_list
from mkdocs_readinglist.settings import settings_from_mapping


def test_a_doi_written_as_a_url_links_to_doi_org_once(tmp_path: Path) -> None:
    """ScienceDirect and EndNote write `doi = {https://doi.org/10.1016/...}`: the page linked to
    `https://doi.org/https://doi.org/...`. The DOI as written stays in the export."""
    (tmp_path / "refs.bib").write_text(
        "@article{wen2026espfi,\n  title = {ESP-Fi HAR: A low-power WiFi CSI dataset},\n  author = {Wen, Z.},\n"
        "  journal = {Ad Hoc Networks},\n  year = {2026},\n  doi = {https://doi.org/10.1016/j.adhoc.2026.104192}\n}\n"
        "@article{legittimo2024,\n  title = {LF2SLAM},\n  author = {Legittimo, Marco},\n  journal = {IROS},\n"
        "  year = {2024},\n  doi = {doi:10.1109/IROS58592.2024.10801935}\n}\n", encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["refs.bib"], "lock_file": "keys.lock"})
    corpus = run_pipeline(settings)
    targets = {key: [re.search(r"\]\(<?([^>)]+)>?\)$", str(link)).group(1)  # type: ignore[union-attr]
                     for link in link_list(corpus.paper_for_key(key))]  # type: ignore[arg-type]
               for key in ("wen2026espfi", "legittimo2024")}
    assert targets == {"wen2026espfi": ["https://doi.org/10.1016/j.adhoc.2026.104192"],
                       "legittimo2024": ["https://doi.org/10.1109/IROS58592.2024.10801935"]}, targets
    assert corpus.paper_for_key("wen2026espfi").doi == "10.1016/j.adhoc.2026.104192"  # type: ignore[union-attr]
