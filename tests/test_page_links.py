"""Links on a paper's page land where they point, whatever characters the URL holds."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

import markdown

from mkdocs_readinglist.model import Paper
from mkdocs_readinglist.render.pages import _links

# biblatex-examples.bib's `sigfridsson` entry: a SICI DOI with parentheses and angle brackets.
SICI = "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if tag == "a" and name == "href"]


def _hrefs(paper: Paper) -> list[str]:
    parser = _Hrefs()
    parser.feed(markdown.markdown(_links(paper)))
    return parser.hrefs


def test_a_doi_with_brackets_and_parentheses_is_one_working_link() -> None:
    paper = Paper(id="x", title="T", fields=(("doi", SICI),),
                  urls=(("code", "https://github.com/o/r (fork)"), ("project", "https://e.org/a?b=1&c=<2>")))
    hrefs = _hrefs(paper)
    assert [unquote(h) for h in hrefs] == [f"https://doi.org/{SICI}", "https://github.com/o/r (fork)",
                                           "https://e.org/a?b=1&c=<2>"]
    assert all("<" not in h and " " not in h for h in hrefs)


def test_an_arxiv_paper_links_abstract_and_pdf() -> None:
    assert _hrefs(Paper(id="2401.00001", title="T", arxiv_id="2401.00001")) == [
        "https://arxiv.org/abs/2401.00001", "https://arxiv.org/pdf/2401.00001"]
