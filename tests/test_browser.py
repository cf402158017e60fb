"""The built demo site in a real browser: Debian's headless Chromium driven by Playwright.

The site is built once per session by a real `mkdocs build --strict` and served on 127.0.0.1
(conftest.py). Every page a test opens is watched: a console error, an uncaught exception, a
failed request or an HTTP error response fails the test. Screenshots of the home page and a
paper page go to test-artifacts/ (gitignored) for a person to look at.

Without Chromium (or Playwright) these tests skip, except under CI (`CI=true`), where they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Request, Response

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "test-artifacts"
TIMEOUT_MS = 20_000

# Papers of the demo corpus (keys are pinned by bib/readinglist.lock).
SEARCHED = ("synchrorama2025", "SynchroRaMa")  # a word of its title that no other paper has
CROSS_LINKED = ("smplestx", "smplerx")  # smplestx's abstract mentions SMPLer-X
SHOWN = "clutch2026"  # the paper page in the screenshot (also cited on docs/cite.md)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason}; browser tests are never skipped in CI")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e .[test])")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A browser page on the demo site that records everything that goes wrong on it."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: {response.status if response else 'no response'}"

    def follow(self, link: Locator, url: str) -> None:
        """Click a link and wait until its page (`url`, a regex) has loaded, search index and all."""
        link.click()
        self.page.wait_for_url(re.compile(url))
        self.page.wait_for_load_state("networkidle")

    def h1(self) -> str:
        return self.page.locator("article h1").first.inner_text().replace("¶", "").strip()

    def path(self) -> str:
        return self.page.url.removeprefix(self.base).split("?")[0].split("#")[0]


@pytest.fixture
def tab(chromium: Browser, demo_site_url: str) -> Iterator[Tab]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_site_url.rstrip("/"))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watched = Tab(page, demo_site_url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.problems.append(f"console error on {page.url}: {message.text}")

    def on_failed(request: Request) -> None:
        watched.problems.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            watched.problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.problems.append(f"uncaught exception on {page.url}: {error}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        yield watched
        assert not watched.problems, "\n".join(watched.problems)
    finally:
        context.close()


def test_home_page_loads_cleanly_and_looks_like_material(tab: Tab) -> None:
    requests: list[str] = []
    tab.page.on("request", lambda request: requests.append(request.url))
    tab.open("reading-list/")
    assert tab.h1() == "Reading list"
    assert tab.page.title() == "Reading list - mkdocs-readinglist"
    assert re.search(r"\b224 papers\b", tab.page.locator("article").inner_text())
    # Material's own chrome is there and its JavaScript ran (it fills the search worker's config).
    assert tab.page.locator("header.md-header").is_visible()
    assert tab.page.locator("nav.md-nav--primary").count() >= 1
    assert tab.page.locator("input.md-search__input").count() == 1
    # Offline: every request stays on the local server (theme `font: false`, no CDN).
    foreign = [url for url in requests if not url.startswith(tab.base)]
    assert not foreign, foreign
    assert any(url.endswith(".css") for url in requests) and any(url.endswith(".js") for url in requests)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "home.png"))
    assert (ARTIFACTS / "home.png").stat().st_size > 10_000


def test_material_search_finds_a_paper_by_a_word_of_its_title(tab: Tab) -> None:
    key, word = SEARCHED
    tab.open("reading-list/")
    search = tab.page.locator("input.md-search__input")
    search.click()
    # Typed key by key: Material runs the query on `keyup` (a plain `fill()` sends none, so it
    # would only be seen if the search worker happened to become ready afterwards).
    search.press_sequentially(word.lower(), delay=20)
    first = tab.page.locator(".md-search-result__item > a").first
    first.wait_for()
    assert first.get_attribute("href").split("?")[0].endswith(f"reading-list/papers/{key}/")
    assert word in first.inner_text()
    tab.follow(first, rf"/reading-list/papers/{key}/")
    assert word in tab.h1()


def test_topic_pages_list_the_count_the_home_page_states(tab: Tab) -> None:
    tab.open("reading-list/")
    rows = tab.page.locator("article table tr:has(td a[href^='topics/'])")
    stated = [(row.locator("a").get_attribute("href"), int(row.locator("td").nth(1).inner_text()))
              for row in rows.all()]
    assert len(stated) >= 10, stated
    assert sum(count for _, count in stated) >= 224  # every paper has a topic here; some have several
    # The largest, the smallest and the first topic (the crawl test checks every topic page's HTML).
    by_count = sorted(stated, key=lambda row: row[1])
    for href, count in dict.fromkeys([by_count[-1], by_count[0], stated[0]]):
        tab.open(f"reading-list/{href}")
        papers = tab.page.locator("article h2 a[href*='/papers/']")
        assert papers.count() == count, f"{href}: the home page says {count} papers, the page lists {papers.count()}"
        assert re.match(rf"{count} {'paper' if count == 1 else 'papers'}\b", tab.page.locator("article h1 + p").inner_text()), href


def test_a_cross_link_lands_on_the_other_paper(tab: Tab) -> None:
    source, target = CROSS_LINKED
    tab.open(f"reading-list/papers/{source}/")
    source_title = tab.h1()
    link = tab.page.locator(f"article h2#mentions + ul a[href='../{target}/']")
    assert link.count() == 1
    shown = link.inner_text()
    tab.follow(link, rf"/reading-list/papers/{target}/$")
    assert tab.h1() == shown
    # and back: the other paper lists this one under "Mentioned by"
    back = tab.page.locator(f"article h2#mentioned-by + ul a[href='../{source}/']")
    assert back.inner_text() == source_title
    # a "Related papers" link, followed: its text is the h1 of the page it lands on
    related = tab.page.locator("article h2#related-papers + ul a").first
    related_title = related.inner_text()
    tab.follow(related, r"/reading-list/papers/[^/]+/$")
    assert tab.path() != f"reading-list/papers/{target}/"
    assert tab.h1() == related_title


def test_paper_page_bibtex_block_has_a_working_copy_button(tab: Tab) -> None:
    tab.open(f"reading-list/papers/{SHOWN}/")
    assert tab.h1().startswith("CLUTCH")
    block = tab.page.locator("article pre:has(code.language-bibtex)")
    assert block.count() == 1
    bibtex = block.locator("code").inner_text()
    assert re.match(rf"@\w+\{{{SHOWN},\n", bibtex), bibtex[:80]
    assert "title = {{CLUTCH: Contextualized" in bibtex
    # Material's copy button: `button.md-clipboard` up to 9.6, `nav.md-code__nav > button[data-md-type=copy]` since.
    button = block.locator("button.md-clipboard, button.md-code__button[data-md-type='copy']")
    assert button.count() == 1
    assert button.get_attribute("title") == "Copy to clipboard"
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / f"paper-{SHOWN}.png"))
    assert (ARTIFACTS / f"paper-{SHOWN}.png").stat().st_size > 10_000
    block.hover()
    button.click()
    copied = tab.page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == bibtex.strip()
    assert tab.page.locator(".md-dialog").inner_text() == "Copied to clipboard"


def test_a_citation_on_the_cite_page_shows_its_reference_on_hover_and_goes_to_the_paper(tab: Tab) -> None:
    tab.open("cite/")
    citation = tab.page.locator(f"article p a.citation[href='../reading-list/papers/{SHOWN}/']").first
    assert citation.inner_text().endswith("2026")  # Chicago author-date (no authors known: the title)
    citation.hover()  # Material's content.tooltips shows the formatted reference (the title attribute)
    tooltip = tab.page.locator(".md-tooltip2--active .md-tooltip2__inner")
    tooltip.wait_for(state="visible")
    shown = tooltip.inner_text()
    assert "CLUTCH: Contextualized Language model" in shown and "2026" in shown and "(ICLR)" in shown  # its venue, no "Preprint"
    assert tab.page.locator("#refs .csl-entry").count() == 3  # the list, where the page puts ::: {#refs}
    tab.follow(citation, rf"/reading-list/papers/{SHOWN}/$")
    assert tab.h1().startswith("CLUTCH: Contextualized Language model")


def test_the_watcher_sees_console_errors_and_failed_requests(tab: Tab) -> None:
    """The clean-page checks above would catch a script error, a console error and a 404."""
    tab.open("reading-list/")
    assert tab.problems == []
    tab.page.evaluate("console.error('boom')")
    tab.page.evaluate("setTimeout(() => { throw new Error('uncaught') }, 0)")
    tab.page.evaluate("fetch('no-such-file.js').catch(() => {})")
    tab.page.wait_for_load_state("networkidle")
    tab.page.wait_for_timeout(200)
    seen = "\n".join(tab.problems)
    assert "console error" in seen and "boom" in seen
    assert "uncaught exception" in seen and "uncaught" in seen
    assert "HTTP 404" in seen and "no-such-file.js" in seen
    tab.problems.clear()
