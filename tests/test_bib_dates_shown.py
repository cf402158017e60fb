"""What a paper page says of a `.bib` entry's date: biblatex's `date = {2004-10-27}` gives the
paper its day (and `1991-03` its month; a range its start), not only its year; and a venue that
does not say the year (`journal = {J}`) no longer hides it: the header read "J · 1 author".
TeX Live's biblatex-examples.bib, read in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_readinglist.model import Paper, Record
from mkdocs_readinglist.render.pages import _facts
from mkdocs_readinglist.sources import read_source

from .helpers import texlive

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    result = read_source(texlive("biblatex-examples.bib"))
    return {r.bib.key: r for r in result.records if r.bib is not None}


def test_a_biblatex_date_gives_the_day_or_month(records: dict[str, Record]) -> None:
    assert records["baez/online"].date == "2004-10-27"
    assert records["shore"].date == "1991-03"
    assert records["shore"].year == 1991


def test_a_date_range_gives_its_start(tmp_path: Path) -> None:
    bib = tmp_path / "ranges.bib"
    bib.write_text("@article{a,\n  author = {Lee, Kim},\n  title = {Hands},\n  journal = {J},\n"
                   "  date = {2020-05/2020-06},\n}\n@article{b,\n  author = {Lee, Kim},\n  title = {Feet},\n"
                   "  journal = {J},\n  date = {2020-13-01},\n}\n", encoding="utf-8")
    dates = {r.bib.key: (r.date, r.year) for r in read_source(bib).records if r.bib is not None}
    assert dates == {"a": ("2020-05", 2020), "b": (None, 2020)}  # no month 13 invented


def test_the_header_shows_the_year_a_venue_does_not_say() -> None:
    assert _facts(Paper(id="x", title="T", key="k", venue="Journal of Hands", year=2021)) == "Journal of Hands · 2021"
    assert _facts(Paper(id="x", title="T", key="k", venue="CVPR 2024", year=2024)) == "CVPR 2024"
