"""A listing saved as a web page (HTML) is named as such, with a hint, and no paper is made of its markup."""

from __future__ import annotations

import html
from pathlib import Path

from mkdocs_readinglist.model import Severity
from mkdocs_readinglist.sources import read_source, read_text
from mkdocs_readinglist.sources.base import looks_like_html
from tests.fixtures.bad.catalogue import cli, papers

from .helpers import SAMPLES, SEED_NAMES


def seed(name: str) -> str:
    return (SAMPLES / SEED_NAMES[name]).read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def arxiv_entries_page() -> str:
    """The arXiv sample as a page of `<div class="entry">` paragraphs, without a doctype."""
    entries = "\n".join(f'<div class="entry"><p>{html.escape(part).replace(chr(10), "<br>")}</p></div>'
                        for part in paragraphs(seed("arxiv")))
    return f"<html><body>\n{entries}\n</body></html>\n"


def notes_material_page() -> str:
    """The notes sample as a Material page saved by the browser."""
    body = "\n".join(f"<p>{html.escape(part)}</p>" for part in paragraphs(seed("notes")))
    return ('<!doctype html>\n<html lang="en" class="no-js">\n  <head>\n    <meta charset="utf-8">\n'
            '    <title>Human Understanding - Paper Notes</title>\n  </head>\n  <body dir="ltr">\n'
            f'<article class="md-content__inner md-typeset">\n{body}\n</article>\n</body>\n</html>\n')


def tags_only_page() -> str:
    """Markup with no `<html>` at all: a fragment of the daily page's list."""
    items = "\n".join(f"<li><h3>{html.escape(part)}</h3></li>" for part in paragraphs(seed("hf_daily"))[:40]
                      if len(part) < 200)
    return f'<ul class="papers">\n{items}\n</ul>\n'


def test_saved_pages_are_named_as_html_and_nothing_is_read() -> None:
    for name, page in (("arxiv.html", arxiv_entries_page()), ("notes.txt", notes_material_page()),
                       ("daily.txt", tags_only_page())):
        result = read_text(page, name)
        assert result.records == () and result.format is None, name
        assert [(d.line, d.severity, d.code) for d in result.diagnostics] == [(1, Severity.ERROR, "html-file")], name
        message = result.diagnostics[0].message
        assert "HTML" in message and "paste it into a .txt file" in message


def test_the_samples_and_their_angle_brackets_are_no_html() -> None:
    for name in SEED_NAMES:
        text = seed(name)
        assert not looks_like_html(text.split("\n")), name
    # an abstract line that starts with a bracketed address, a notes title that starts with a tag-like word
    assert not looks_like_html(["<https://github.com/x/y> is our code.", "", "Title", "", "<b>old</b> text"])
    assert not looks_like_html(["@article{a,", "  title = {<html> in titles},", "}"])


def test_the_cli_names_the_file_and_goes_on_with_the_others(tmp_path: Path) -> None:
    bib = tmp_path / "bib"
    bib.mkdir()
    (bib / "notes-saved.txt").write_text(notes_material_page(), encoding="utf-8")
    (bib / "arxiv.txt").write_text(seed("arxiv"), encoding="utf-8")
    run = cli(tmp_path, "check", "bib/")
    assert [(d["file"], d["line"]) for d in run.diagnostics if d["code"] == "html-file"] == [
        ("bib/notes-saved.txt", "1")]
    assert "bib/notes-saved.txt:1: error[html-file]: this file is a saved web page (HTML)" in run.err
    assert run.code == 1
    found = papers(tmp_path, "bib/")
    assert sorted(p["arxiv_id"] for p in found) == ["2404.11291", "2502.03836", "2507.02565"]
    assert not [p for p in found if "<" in (p["title"] or "")]


def test_a_saved_page_read_from_disk_with_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "list.html"
    path.write_text(arxiv_entries_page(), encoding="utf-8")
    result = read_source(path)
    assert result.records == () and [d.code for d in result.diagnostics] == ["html-file"]
