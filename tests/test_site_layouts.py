"""Every site layout, built by a real `mkdocs build` and crawled: no internal link or
anchor is broken. The layouts: papers only on topic pages (`paper_pages: false`, where papers
on no topic get a page of their own), and the sites that only cite (`cite_only`), with a page
per cited paper or with no generated page at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .helpers import copy_samples, mkdocs_build
from .test_site_crawl import ParsedPage, _resolve_all, parse_page

pytestmark = pytest.mark.slow

CITED = ("3dyoga90", "animal3d", "allkeypoints")
SURVEY = """# Survey

Yoga poses [@3dyoga90] and animals [@animal3d; @allkeypoints].
Again, in other case: [@ANIMAL3D]. In code, not a citation: `[@notakey]`.
"""


def _build(root: Path, options: dict[str, object], survey: str = SURVEY,
           extensions: tuple[object, ...] = ()) -> tuple[Path, dict[str, ParsedPage]]:
    copy_samples(root, with_lock=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n\nSee the [survey](survey.md).\n", encoding="utf-8")
    (root / "docs" / "survey.md").write_text(survey, encoding="utf-8")
    config = {"site_name": "Layouts", "theme": {"name": "material", "font": False},
              "markdown_extensions": list(extensions),
              "plugins": ["search", {"readinglist": {"sources": ["bib"], **options}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    # MkDocs' own warnings (unknown link targets, anchors): none. The samples' data warnings
    # (the plugin's, prefixed with its name) are not what this checks.
    mkdocs_warnings = [line for line in result.stderr.splitlines()
                       if line.startswith("WARNING") and "mkdocs_readinglist:" not in line]
    assert not mkdocs_warnings, mkdocs_warnings
    site = root / "site"
    return site, {page.path: page for page in (parse_page(site, f) for f in sorted(site.rglob("*.html")))}


def _no_broken_links(site: Path, pages: dict[str, ParsedPage], at_least: int) -> None:
    checked, broken = _resolve_all(site, pages)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:20])
    assert checked >= at_least, checked


def test_without_paper_pages_every_paper_link_lands(tmp_path: Path) -> None:
    # One topic of the user's own: most papers are on no topic page.
    site, pages = _build(tmp_path, {"paper_pages": False, "replace_taxonomy": True,
                                    "topics": [{"name": "Yoga", "keywords": ["yoga"]}]})
    untagged = pages["reading-list/untagged/index.html"]
    home = pages["reading-list/index.html"]
    # Papers on no topic are in full on their own page (they used to be linked as index.md#key,
    # an anchor that did not exist), and the home page links to it.
    assert len(untagged.ids) > 1
    assert any(url.rstrip("/").endswith("untagged") for _, url in home.refs)
    assert not any(p.startswith("reading-list/papers/") for p in pages)
    _no_broken_links(site, pages, at_least=1000)
    # A citation of a paper lands on its entry, wherever that is.
    survey = pages["survey/index.html"]
    assert ("a", "../reading-list/topics/yoga/#3dyoga90") in survey.refs, survey.refs
    assert ("a", "../reading-list/untagged/#animal3d") in survey.refs, survey.refs


def test_with_paper_pages_every_paper_page_is_reached_from_the_reading_list(tmp_path: Path) -> None:
    """The default layout with one topic of the user's own: most papers match no topic. Their
    pages existed but nothing in the reading list linked to them (a new user's .bib was
    invisible); they are listed on the page of papers on no topic, which the home page links to."""
    site, pages = _build(tmp_path, {"replace_taxonomy": True, "topics": [{"name": "Yoga", "keywords": ["yoga"]}]})
    home = pages["reading-list/index.html"]
    untagged = pages["reading-list/untagged/index.html"]
    assert any(url.rstrip("/").endswith("untagged") for _, url in home.refs)
    paper_pages = {p for p in pages if p.startswith("reading-list/papers/")}
    assert len(paper_pages) > 200
    linked = set()
    for path in ("reading-list/index.html", "reading-list/untagged/index.html",
                 *(p for p in pages if p.startswith("reading-list/topics/"))):
        for _, url in pages[path].refs:
            target = (site / Path(path).parent / url.split("#")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                linked.add(str(target.relative_to(site.resolve())))
    assert paper_pages <= linked, sorted(paper_pages - linked)[:5]
    assert len(untagged.refs) > 150
    _no_broken_links(site, pages, at_least=1000)


def test_cite_only_with_paper_pages_makes_pages_for_cited_papers_only(tmp_path: Path) -> None:
    site, pages = _build(tmp_path, {"cite_only": True})
    generated = sorted(p for p in pages if p.startswith("reading-list/"))
    assert generated == sorted(f"reading-list/papers/{key}/index.html" for key in CITED)
    assert not (site / "references.bib").exists()
    survey = pages["survey/index.html"]
    for key in CITED:
        assert any(url == f"../reading-list/papers/{key}/" for _, url in survey.refs), key
    _no_broken_links(site, pages, at_least=20)


def test_cite_only_a_paper_cited_in_an_included_snippet_gets_its_page(tmp_path: Path) -> None:
    """pymdownx.snippets' text is read while the page is built, after `cite_only` chose the pages
    to make: its citation linked to `reading-list/`, a page that does not exist. The snippets a page
    includes (inline and in a block, nested) are read with the page; a citation the plugin cannot
    see before the build (a generated page's, a docstring's) links to the page's references list."""
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "more.md").write_text("Also bananas [@banzfs2026].\n\n--8<-- \"deeper.md\"\n",
                                                   encoding="utf-8")
    (tmp_path / "includes" / "deeper.md").write_text("And actions [@actionhub2024].\n", encoding="utf-8")
    (tmp_path / "includes" / "block.md").write_text("Block-included [@bedlam].\n", encoding="utf-8")
    site, pages = _build(tmp_path, {"cite_only": True},
                         SURVEY + '\n--8<-- "more.md"\n\n--8<--\nblock.md\n--8<--\n\nUnknown to the plugin: [@ava2017]\n',
                         ({"pymdownx.snippets": {"base_path": [str(tmp_path / "includes")]}},))
    survey = pages["survey/index.html"]
    for key in (*CITED, "banzfs2026", "actionhub2024", "bedlam"):
        assert any(url == f"../reading-list/papers/{key}/" for _, url in survey.refs), key
    _no_broken_links(site, pages, at_least=20)


def test_cite_only_reads_only_the_part_of_a_snippet_a_page_includes(tmp_path: Path) -> None:
    """`--8<-- "notes.md:intro"` (a section) and `--8<-- "notes.md:3:3"` (lines) include a part of a
    file: a paper cited only outside that part got a page nothing links to. A file snippets'
    `auto_append` adds to every page was not read: its citations got no page."""
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "notes.md").write_text(
        "Outside [@ava2017].\n\n--8<-- [start:intro]\nIn the section [@banzfs2026].\n--8<-- [end:intro]\n\n"
        "Line seven [@bedlam].\n", encoding="utf-8")
    (tmp_path / "includes" / "footer.md").write_text("Every page's footer cites [@actionhub2024].\n", encoding="utf-8")
    site, pages = _build(tmp_path, {"cite_only": True},
                         SURVEY + '\n--8<-- "notes.md:intro"\n\n--8<-- "notes.md:7:7"\n',
                         ({"pymdownx.snippets": {"base_path": [str(tmp_path / "includes")],
                                                 "auto_append": ["footer.md"]}},))
    survey = pages["survey/index.html"]
    for key in ("banzfs2026", "bedlam", "actionhub2024"):  # (and what snippets' auto_append adds to every page)
        assert any(url == f"../reading-list/papers/{key}/" for _, url in survey.refs), key
    assert "reading-list/papers/ava2017/index.html" not in pages
    _no_broken_links(site, pages, at_least=20)


def test_cite_only_a_paper_the_plugin_cannot_see_cited_links_to_the_references_list(tmp_path: Path) -> None:
    """A citation read only while the page is built (here: a page another plugin's hook writes)."""
    (tmp_path / "hooks.py").write_text(
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    return markdown + '\\n\\nAdded by a hook [@banzfs2026].\\n' if page.file.src_uri == 'survey.md' else markdown\n",
        encoding="utf-8")
    site, pages = _build(tmp_path, {"cite_only": True})  # (then again with the hook)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks: [hooks.py]\n", encoding="utf-8")
    built = mkdocs_build(tmp_path, "--verbose")
    assert built.returncode == 0, built.stderr
    assert "info[cited-without-page]: banzfs2026 is cited only in text read while the page is built" in built.stderr
    pages = {page.path: page for page in (parse_page(site, f) for f in sorted(site.rglob("*.html")))}
    survey = pages["survey/index.html"]
    assert ("a", "#ref-banzfs2026") in survey.refs and "ref-banzfs2026" in survey.ids
    assert "reading-list/papers/banzfs2026/index.html" not in pages
    _no_broken_links(site, pages, at_least=20)


def test_cite_only_without_paper_pages_links_to_the_references_list(tmp_path: Path) -> None:
    site, pages = _build(tmp_path, {"cite_only": True, "paper_pages": False})
    assert not any(p.startswith("reading-list/") for p in pages)
    survey = pages["survey/index.html"]
    for key in CITED:
        assert f"ref-{key}" in survey.ids
        assert ("a", f"#ref-{key}") in survey.refs
    assert "References" in " ".join(survey.text)
    _no_broken_links(site, pages, at_least=10)


def test_keys_with_colons_and_slashes_get_pages_of_their_own(tmp_path: Path) -> None:
    """Beebe's keys (`Knuth:CSS93`) and biblatex-examples' (`averroes/hannes`), read in place, each
    get one page directly in papers/, named without `:` (not allowed in Windows file names) or `/`
    (it made folders); citations of those keys and every other link land on them."""
    import subprocess

    from mkdocs_readinglist.render.paths import page_name
    sources = [subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()
               for name in ("texbook1.bib", "biblatex-examples.bib")]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Survey\n\nThe TeXbook [@Knuth:CSS93], Averroes [@averroes/hannes; @averroes/hercz].\n", encoding="utf-8")
    config = {"site_name": "Keys", "theme": {"name": "material", "font": False},
              "plugins": ["search", {"readinglist": {"sources": sources, "lock_file": "keys.lock"}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = mkdocs_build(tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    papers = site / "reading-list" / "papers"
    made = sorted(p.parent.relative_to(papers).as_posix() for p in papers.rglob("index.html"))
    assert made and all("/" not in name and ":" not in name for name in made), made[:5]
    assert page_name("Knuth:CSS93") in made and page_name("averroes/hannes") in made
    papers_read = int(re.search(r"mkdocs_readinglist: (\d+) papers", result.stderr).group(1))  # type: ignore[union-attr]
    assert len(made) == len(set(made)) == papers_read > 400  # one page per paper, none shared
    pages = {page.path: page for page in (parse_page(site, f) for f in sorted(site.rglob("*.html")))}
    survey = pages["index.html"]
    assert any(page_name("Knuth:CSS93") in url for _, url in survey.refs)
    _no_broken_links(site, pages, at_least=1000)


def test_page_names_are_the_keys_unless_a_file_name_cannot_carry_them() -> None:
    from mkdocs_readinglist.render.paths import page_name
    assert [page_name(k) for k in ("smith2020", "müller2020", "He_2016-resnet+v2")] == [
        "smith2020", "müller2020", "He_2016-resnet+v2"]
    odd = ["a:b", "a/b", "a b", "a?b", "a-b", ".a", "aux", "AUX", "con"]
    names = [page_name(k) for k in odd]
    assert len(set(names)) == len(odd)  # keys that differ never share a page
    assert all(re.fullmatch(r"[\w.+-]+", n) and not n.startswith(".") and n.lower() not in ("aux", "con")
               for n in names), names


def test_a_paper_without_a_title_says_so_without_the_admonition_extension(tmp_path: Path) -> None:
    """The README's config lists no Markdown extensions: the note on a paper page whose source gives
    no title (the arXiv listing's papers) showed as `!!! note "Title unknown"` text."""
    site, pages = _build(tmp_path, {})
    untitled = [path for path, page in pages.items() if "/papers/" in path and page.h1.startswith("Untitled")]
    assert untitled
    for path in untitled:
        text = (site / path).read_text(encoding="utf-8")
        assert "!!!" not in text and '<div class="admonition note">' in text, path


def test_the_references_heading_is_the_sites_option_or_the_pages_own(tmp_path: Path) -> None:
    """A site in another language names the list's heading (`references_title:`); a page in yet
    another language (mkdocs-static-i18n's `page.fr.md`) gives its own in its front matter."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fr.md").write_text("---\nreferences_title: Références\n---\n\n# Étude\n\nVoir [@3dyoga90].\n",
                                             encoding="utf-8")
    site, _ = _build(tmp_path, {"references_title": "Works cited"})
    survey = (site / "survey" / "index.html").read_text(encoding="utf-8")
    french = (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="works-cited">Works cited', survey) and ">References<" not in survey
    assert re.search(r'<h2 id="references">Références', french) and "Works cited" not in french


def test_sources_kept_in_docs_do_not_publish_the_key_lock(tmp_path: Path) -> None:
    """mkdocs-bibtex's layout, `sources: [docs/references.bib]`: the key lock the plugin writes
    beside the .bib was copied into the site (site/readinglist.lock) as a page's asset."""
    from .helpers import texlive

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "references.bib").write_bytes(texlive("xampl.bib").read_bytes())
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [@article-full].\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: s\nplugins:\n  - readinglist:\n      sources: [docs/references.bib]\n"
                                         "      cite_only: true\n", encoding="utf-8")
    for _ in range(2):  # (the second build finds the lock the first wrote)
        assert mkdocs_build(tmp_path).returncode == 0
    assert (tmp_path / "docs" / "readinglist.lock").is_file() and (tmp_path / "site" / "references.bib").is_file()
    assert not (tmp_path / "site" / "readinglist.lock").exists()


@pytest.mark.parametrize(("theme", "heading"), [
    ("{name: material, language: de, font: false}", "Literatur"),
    ("{name: mkdocs, locale: fr}", "Références"),
    ("{name: material, language: pt-BR, font: false}", "Referências"),
    ("{name: material, language: eo, font: false}", "References"),  # (a language babel's table here lacks)
])
def test_the_references_heading_follows_the_sites_language_unless_set(tmp_path: Path, theme: str, heading: str) -> None:
    """A German Material site's pages ended in an English "References"; the heading is the one
    LaTeX's babel gives the language (`references_title:` set is kept: the test above)."""
    from .helpers import texlive

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Start\n\nSiehe [@article-full].\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: s\ntheme: {theme}\nplugins:\n  - readinglist:\n      sources: [{texlive('xampl.bib')}]\n"
        f"      lock_file: keys.lock\n      cite_only: true\n      paper_pages: false\n", encoding="utf-8")
    assert mkdocs_build(tmp_path).returncode == 0
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<h2 id="[^"]+">{heading}', page), re.findall(r"<h2[^>]*>[^<]*", page)
