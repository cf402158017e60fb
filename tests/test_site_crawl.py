"""Crawl the built demo site: every internal link resolves, and every expected page is there.

The site is the repo's own demo (mkdocs.yml, docs/, bib/, demo/), built once per session by a
real `mkdocs build --strict` (the `built_demo_site` fixture in conftest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import bibtexparser
import pytest

pytestmark = pytest.mark.slow

PAPERS = 224  # ground truth of the sample listings (design.md: 225 records, one duplicate)
FOLDER = "reading-list"
BASE = "http://site.invalid/"  # only to resolve relative URLs; never fetched

# Attributes that point at another resource of the site.
_REF_ATTRS = {"href", "src"}
# Elements whose href/src the browser fetches or follows. (`<base>` is not used by MkDocs.)
_REF_TAGS = {"a", "link", "script", "img", "source", "iframe", "audio", "video", "embed"}
_NOT_TEXT = {"code", "pre", "script", "style"}
# Markup that would show as text if a page's Markdown or HTML went wrong: a citation left
# unconverted, a Markdown link or emphasis, an escaped HTML tag, a backslash escape.
_LEAKED_MARKUP = re.compile(r"\[@|\]\(|\*\*|</?(?:a|p|div|span|br|em|strong|code|script|img)\b|\\[\\`*_{}\[\]#+!.-]")


@dataclass
class ParsedPage:
    path: str  # relative to the site root, e.g. "reading-list/index.html"
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    h1: str = ""
    h2_links: list[str] = field(default_factory=list)  # hrefs of links inside <h2>
    bibtex_blocks: list[str] = field(default_factory=list)  # text of <code class="language-bibtex">
    text: list[str] = field(default_factory=list)  # visible text of the <article>, outside code


class _Parser(HTMLParser):
    def __init__(self, page: ParsedPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._in_h1 = 0
        self._in_h2 = 0
        self._in_bibtex = 0
        self._bibtex: list[str] = []
        self._in_article = 0
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag in _REF_TAGS:
            for attr in _REF_ATTRS & values.keys():
                self.page.refs.append((tag, values[attr]))
        if tag == "article":
            self._in_article += 1
        elif tag in _NOT_TEXT:
            self._in_code += 1
        if tag == "h1":
            self._in_h1 += 1
        elif tag == "h2":
            self._in_h2 += 1
        elif tag == "a" and self._in_h2 and "href" in values and "headerlink" not in values.get("class", ""):
            self.page.h2_links.append(values["href"])
        elif tag == "code" and "language-bibtex" in values.get("class", "").split():
            self._in_bibtex += 1
            self._bibtex = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article = max(0, self._in_article - 1)
        elif tag in _NOT_TEXT:
            self._in_code = max(0, self._in_code - 1)
        if tag == "h1":
            self._in_h1 = max(0, self._in_h1 - 1)
        elif tag == "h2":
            self._in_h2 = max(0, self._in_h2 - 1)
        elif tag == "code" and self._in_bibtex:
            self._in_bibtex -= 1
            self.page.bibtex_blocks.append("".join(self._bibtex))

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.page.h1 += data
        if self._in_bibtex:
            self._bibtex.append(data)
        if self._in_article and not self._in_code:
            self.page.text.append(data)


def parse_page(site: Path, file: Path) -> ParsedPage:
    page = ParsedPage(file.relative_to(site).as_posix())
    parser = _Parser(page)
    parser.feed(file.read_text(encoding="utf-8"))
    parser.close()
    page.h1 = page.h1.replace("¶", "").strip()
    return page


def crawl_site(site: Path) -> dict[str, ParsedPage]:
    """Every HTML page of a built site, parsed, keyed by its path from the site root."""
    return {page.path: page for page in (parse_page(site, file) for file in sorted(site.rglob("*.html")))}


@pytest.fixture(scope="module")
def crawled(built_demo_site: Path) -> dict[str, ParsedPage]:
    return crawl_site(built_demo_site)


def _target_file(site: Path, url_path: str) -> Path | None:
    """The file a site URL path serves (a directory URL serves its index.html), or None."""
    relative = unquote(url_path).lstrip("/")
    candidate = site / relative
    if relative == "" or url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _resolve_all(site: Path, pages: dict[str, ParsedPage]) -> tuple[int, list[str]]:
    checked = 0
    broken: list[str] = []
    for page in pages.values():
        for tag, url in page.refs:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:  # external (https:, mailto:, data:, javascript:)
                continue
            checked += 1
            absolute = urlsplit(urljoin(BASE + page.path, url))
            target = _target_file(site, absolute.path)
            if target is None:
                broken.append(f"{page.path}: <{tag}> {url!r} -> missing {absolute.path!r}")
                continue
            fragment = unquote(absolute.fragment)
            if fragment and target.suffix == ".html":
                target_page = pages[target.relative_to(site).as_posix()]
                if fragment not in target_page.ids:
                    broken.append(f"{page.path}: <{tag}> {url!r} -> no id {fragment!r} in {target_page.path}")
    return checked, broken


def test_no_broken_internal_link(built_demo_site: Path, crawled: dict[str, ParsedPage]) -> None:
    checked, broken = _resolve_all(built_demo_site, crawled)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])
    # Every paper page links to its topics, its BibTeX and the theme's assets: thousands of links.
    assert checked > PAPERS * 20, checked


def test_the_crawler_sees_broken_links(built_demo_site: Path, crawled: dict[str, ParsedPage]) -> None:
    """The check above would catch a missing page, a missing asset and a missing anchor."""
    home = crawled[f"{FOLDER}/index.html"]
    fake = ParsedPage(home.path, ids=set(home.ids), refs=[
        ("a", "papers/no-such-paper/"),
        ("script", "../assets/javascripts/no-such.js"),
        ("a", "datasets/#no-such-anchor"),
        ("a", "#topics"),  # fine
        ("a", "https://example.org/missing"),  # external: not checked
    ])
    _, broken = _resolve_all(built_demo_site, {**crawled, home.path: fake})
    assert len(broken) == 3, broken
    assert all(b.startswith(f"{FOLDER}/index.html: ") for b in broken)


def test_a_page_per_paper_matching_references_bib(built_demo_site: Path, crawled: dict[str, ParsedPage]) -> None:
    library = bibtexparser.parse_string((built_demo_site / "references.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks, [b.error for b in library.failed_blocks][:5]
    bib_keys = [entry.key for entry in library.entries]
    assert len(bib_keys) == PAPERS
    assert len(set(bib_keys)) == PAPERS, "duplicate keys in references.bib"

    paper_pages = {p.path.split("/")[2]: p for p in crawled.values()
                   if re.fullmatch(rf"{FOLDER}/papers/[^/]+/index\.html", p.path)}
    assert len(paper_pages) == PAPERS
    assert set(paper_pages) == set(bib_keys)

    titles = {entry.key: entry.fields_dict["title"].value for entry in library.entries if "title" in entry.fields_dict}
    for key, page in paper_pages.items():
        assert page.h1, f"{page.path} has no <h1>"
        assert len(page.bibtex_blocks) == 1, f"{page.path}: {len(page.bibtex_blocks)} BibTeX blocks"
        entry = bibtexparser.parse_string(page.bibtex_blocks[0])
        assert [e.key for e in entry.entries] == [key], f"{page.path}: BibTeX block is not the entry {key}"
        if key in titles:
            assert page.h1 != "" and not page.h1.startswith("Untitled"), page.path


def test_home_topic_table_matches_topic_pages(built_demo_site: Path, crawled: dict[str, ParsedPage]) -> None:
    home_html = (built_demo_site / FOLDER / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr>\s*<td><a href="topics/([^"/]+)/">[^<]+</a></td>\s*<td[^>]*>(\d+)</td>\s*</tr>', home_html)
    assert len(rows) >= 10, "the home page's topic table has too few rows"
    topic_dirs = {p.name for p in (built_demo_site / FOLDER / "topics").iterdir() if p.is_dir()}
    assert {slug for slug, _ in rows} == topic_dirs, "a topic page is missing from the home table, or vice versa"
    for slug, count in rows:
        page = crawled[f"{FOLDER}/topics/{slug}/index.html"]
        paper_links = [h for h in page.h2_links if h.startswith("../../papers/")]
        assert len(paper_links) == int(count), f"topic {slug}: home says {count}, page lists {len(paper_links)}"
        assert len(set(paper_links)) == len(paper_links), f"topic {slug} lists a paper twice"
        bib = bibtexparser.parse_string((built_demo_site / FOLDER / "topics" / f"{slug}.bib").read_text(encoding="utf-8"))
        assert len(bib.entries) == int(count), f"topics/{slug}.bib has {len(bib.entries)} entries, home says {count}"


def test_home_datasets_and_docs_pages_exist(crawled: dict[str, ParsedPage]) -> None:
    assert crawled[f"{FOLDER}/index.html"].h1 == "Reading list"
    datasets = crawled[f"{FOLDER}/datasets/index.html"]
    assert datasets.h1 == "Datasets & benchmarks"
    assert sum(1 for i in datasets.ids if i.startswith("dataset-")) >= 5
    for doc in ("index.html", "install/index.html", "configure/index.html", "cite/index.html",
                "export/index.html", "tags/index.html", "404.html"):
        assert doc in crawled, doc


def test_citations_on_the_cite_page_link_to_paper_pages(crawled: dict[str, ParsedPage]) -> None:
    cite = crawled["cite/index.html"]
    links = [url for tag, url in cite.refs if tag == "a" and "/papers/" in url]
    # clutch2026: twice in the text (`[@clutch2026]`, `[-@clutch2026]`), once in the references list,
    # which the page places with Pandoc's `::: {#refs}`.
    assert links.count("../reading-list/papers/clutch2026/") == 3, links
    assert "refs" in cite.ids
    assert "[@clutch2026]" not in " ".join(cite.text)


# A citation's Markdown wrapped over two lines, as docs/cite.md has it ("[@edgecape2026;\n
# @hilassie]"), is converted like any other.
def test_citation_wrapped_over_two_lines_is_converted(crawled: dict[str, ParsedPage]) -> None:
    cite = crawled["cite/index.html"]
    cited = {PurePosixPath(url).name for tag, url in cite.refs if tag == "a" and "/papers/" in url}
    assert {"edgecape2026", "hilassie"} <= cited, cited
    assert "[@" not in " ".join(cite.text)


def test_no_markup_leaks_into_page_text(crawled: dict[str, ParsedPage]) -> None:
    leaks = []
    for page in crawled.values():
        text = " ".join(" ".join(page.text).split())
        leaks.extend(f"{page.path}: …{text[max(0, m.start() - 40):m.end() + 40]}…"
                     for m in _LEAKED_MARKUP.finditer(text))
    assert not leaks, "\n".join(leaks[:30])
    papers = [p for p in crawled.values() if p.path.startswith(f"{FOLDER}/papers/")]
    assert all("Abstract" in p.text or "Summary" in p.text for p in papers)


def test_paper_pages_carry_no_tags_that_bury_their_titles_in_search(built_demo_site: Path) -> None:
    """Material's search ranks a page's `tags` a million times its text: with every paper page
    tagged with its topics, typing "PoseScript: Linking 3D Human Poses and Natural Language" listed
    every "Human Pose" paper first (23 of 40 titles came first). Paper pages are tagged only for a
    tags index that lists them (`papers_in_tags_index`), which the demo does not ask for."""
    import json

    index = json.loads((built_demo_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    papers = [doc for doc in index["docs"] if doc["location"].startswith(f"{FOLDER}/papers/")]
    assert len({doc["location"].split("#")[0] for doc in papers}) == PAPERS
    assert not [doc["location"] for doc in papers if doc.get("tags")]
    titled = [doc for doc in papers if "#" not in doc["location"]]
    assert any(doc["title"].startswith("PoseScript") for doc in titled)
