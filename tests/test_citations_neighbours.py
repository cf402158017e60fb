"""The plugin beside the plugins real sites use: no traceback, the user's pages as without it.

Each fixture site (tests/fixtures/neighbour_sites) is built twice in a git repository (RSS and git
dates read the history): with the reading list and without it. Every page of the user's is compared
by its content (the `<article>`: with the plugin the navigation gains the reading-list section);
pages that cite differ only where they cite.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .helpers import mkdocs_build
from .test_citations_site import biblatex_examples, citation_links

SITES = Path(__file__).parent / "fixtures" / "neighbour_sites"
pytestmark = pytest.mark.slow

# Pages that cite, each with the papers it cites (their HTML under the site directory).
CITING = {
    "blog": {"blog/2026/01/05/a-first-post/index.html": {"aksin", "yoon", "herrmann"},
             # the post's excerpt, on the blog's index, archive and category pages
             "blog/index.html": {"aksin", "yoon"}, "blog/archive/2026/index.html": {"aksin", "yoon"},
             "blog/category/reading/index.html": {"aksin", "yoon"}},
    "i18n": {"index.html": {"aksin"}, "fr/index.html": {"glashow"}},
    "nav": {"index.html": {"weinberg"}},
}


def project(name: str, target: Path, with_plugin: bool) -> Path:
    shutil.copytree(SITES / name, target)
    config_file = target / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    plugins = config["plugins"]
    for n, plugin in enumerate(plugins):
        if isinstance(plugin, dict) and "readinglist" in plugin:
            if with_plugin:
                plugin["readinglist"]["sources"] = [biblatex_examples()]
                # a data warning, for the check that each is logged once (the file gives no other)
                plugin["readinglist"]["diagnostics"] = {"duplicate": "warning"}
            else:
                del plugins[n]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    git = ["git", "-c", "user.email=test@example.org", "-c", "user.name=test"]
    subprocess.run(["git", "init", "-q", "."], cwd=target, check=True)
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "site"], cwd=target, check=True)
    return target


def article(page: Path) -> str:
    """The page's content: from its first `<article>` to its last (a blog index shows one per post)."""
    text = page.read_text(encoding="utf-8")
    # git-revision-date-localized dates a page git does not know (mkdocs-static-i18n's French
    # build) by the build's clock: the two builds differ by their seconds.
    return re.sub(r"\d\d:\d\d:\d\d UTC", "HH:MM:SS UTC", text[text.index("<article"):text.rindex("</article>")])


def _without_citing_paragraphs(text: str) -> str:
    text = re.sub(r'\n<h2 id="[^"]*">[^<]*</h2>\n<div id="refs".*?\n</div>', "", text, flags=re.DOTALL)
    return re.sub(r"<p>(?:(?!</p>).)*?(?:@|class=\"citation\")(?:(?!</p>).)*?</p>", "<p>CITING</p>", text,
                  flags=re.DOTALL)


def _warnings(log: str) -> set[str]:
    return {line for line in log.splitlines() if line.startswith("WARNING") and "biblatex-examples.bib" not in line}


def user_pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("index.html"))


@pytest.mark.parametrize("name", sorted(CITING))
def test_the_users_pages_are_as_without_the_plugin(tmp_path: Path, name: str) -> None:
    without = project(name, tmp_path / "without", with_plugin=False)
    built = mkdocs_build(without)
    assert built.returncode == 0, built.stderr
    with_plugin = project(name, tmp_path / "with", with_plugin=True)
    result = mkdocs_build(with_plugin)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    # 92 entries; baez/online and baez/article share an arXiv id; the two @set entries are not papers
    assert "mkdocs_readinglist: 89 papers" in result.stderr
    # Each data warning once, though mkdocs-static-i18n builds the French site inside the English one.
    data = [line for line in result.stderr.splitlines() if "biblatex-examples.bib:" in line and "WARNING" in line]
    assert data and len(data) == len(set(data)), name
    # No warning but those of the data (biblatex-examples.bib's biblatex-only types) and those the
    # site gives without the reading list.
    assert _warnings(result.stderr) <= _warnings(built.stderr)
    own = user_pages(without / "site")
    assert own and set(own) <= set(user_pages(with_plugin / "site"))
    for page in own:
        before, after = article(without / "site" / page), article(with_plugin / "site" / page)
        cited = CITING[name].get(page)
        if cited is None:
            assert after == before, page  # byte for byte
            continue
        linked = {href.rstrip("/").rsplit("/papers/", 1)[1] for href, _, _ in citation_links(after)}
        assert linked == cited, page
        # Apart from the paragraphs that cite (and the list they add), the page is the same.
        assert _without_citing_paragraphs(after) == _without_citing_paragraphs(before), page
    for href, _, _ in (links := [x for page in CITING[name] for x in citation_links(
            article(with_plugin / "site" / page))]):
        assert "/papers/" in href
    assert links


def test_paper_tags_stay_out_of_the_users_tags_index_unless_asked(tmp_path: Path) -> None:
    without = project("blog", tmp_path / "without", with_plugin=False)
    assert mkdocs_build(without).returncode == 0
    site = project("blog", tmp_path / "with", with_plugin=True)
    assert mkdocs_build(site).returncode == 0
    tags_index = article(site / "site" / "tags" / "index.html")
    assert tags_index == article(without / "site" / "tags" / "index.html")
    assert "catalysis" in tags_index and "/papers/" not in tags_index
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][-1]["readinglist"]["papers_in_tags_index"] = True
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert mkdocs_build(site).returncode == 0
    assert "/papers/" in article(site / "site" / "tags" / "index.html")


def test_a_generated_page_never_takes_the_place_of_a_users_page(tmp_path: Path) -> None:
    site = project("blog", tmp_path / "site", with_plugin=True)
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][-1]["readinglist"]["folder"] = "tags"  # tags/index.md would be docs/tags.md's tags/
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = mkdocs_build(site)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert ("the generated page 'tags/index.md' would be written where your own 'tags.md' is "
            "(tags/index.html); choose another `folder:`") in result.stderr


def test_a_blog_excerpt_links_its_citations_to_the_posts_references_list(tmp_path: Path) -> None:
    """A site that only cites, without paper pages: a citation links to the page's own list
    (`#ref-key`). An excerpt on the blog's index, archive and category pages is the post's text on
    another page, whose list stays on the post: `#ref-key` there was an anchor of nothing."""
    site = project("blog", tmp_path / "site", with_plugin=True)
    config_file = site / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    options = next(p["readinglist"] for p in config["plugins"] if isinstance(p, dict) and "readinglist" in p)
    options.update(cite_only=True, paper_pages=False)
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    post = "blog/2026/01/05/a-first-post/index.html"
    for page, cited in CITING["blog"].items():
        links = citation_links(article(site / "site" / page))
        assert {href.rsplit("#ref-", 1)[1] for href, _, _ in links} == cited, page
        for href, _, _ in links:
            target, anchor = href.split("#")
            landing = (site / "site" / page).parent / target / "index.html" if target else site / "site" / page
            assert landing.resolve() == (site / "site" / post).resolve(), (page, href)
            assert f'id="{anchor}"' in landing.read_text(encoding="utf-8"), (page, href)


def test_a_site_that_only_cites_makes_pages_for_the_papers_its_blog_posts_cite(tmp_path: Path) -> None:
    """Material's blog holds its posts out of the site's files (excluded) until it builds its nav,
    so `cite_only` read no post and made no page for a paper only posts cite (they linked to the
    post's list). A draft the blog leaves out cites nothing."""
    site = project("blog", tmp_path / "site", with_plugin=True)
    (site / "docs" / "blog" / "posts" / "draft.md").write_text(
        "---\ndate: 2026-02-01\ndraft: true\n---\n\n# A draft\n\nIt cites [@glashow].\n", encoding="utf-8")
    config_file = site / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    next(p["readinglist"] for p in config["plugins"] if isinstance(p, dict) and "readinglist" in p)["cite_only"] = True
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    papers = site / "site" / "blog" / "posts" / "papers"
    assert sorted(p.name for p in papers.iterdir()) == ["aksin", "herrmann", "yoon"]
    for page, cited in CITING["blog"].items():
        linked = {href.rstrip("/").rsplit("/papers/", 1)[1] for href, _, _ in citation_links(article(site / "site" / page))}
        assert linked == cited, page


def test_each_language_of_an_i18n_site_has_its_own_references_heading(tmp_path: Path) -> None:
    """mkdocs-static-i18n sets the theme's language for each language it builds after the plugins'
    on_config: the heading was read there, and each language got the one before it (fr "References")."""
    site = project("i18n", tmp_path / "site", with_plugin=True)
    config_file = site / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"][2]["i18n"]["languages"].append({"locale": "de", "name": "Deutsch"})
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (site / "docs" / "index.de.md").write_text("# Start\n\nZitiert [@glashow].\n", encoding="utf-8")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    headings = {page: re.findall(r'<h2 id="[^"]*">([^<]*)</h2>', article(site / "site" / page))
                for page in ("index.html", "fr/index.html", "de/index.html")}
    assert headings == {"index.html": ["References"], "fr/index.html": ["Références"], "de/index.html": ["Literatur"]}
