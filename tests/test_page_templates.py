"""The page layout as templates (render/templates/*.md.j2), in process: ours render the seeds'
papers; a user's folder overrides a template by name and leaves the others ours; scraped text
stays text whatever a template does with it; a mistake in a template names its file and line;
an edited template makes its pages again. One real MkDocs + Material build with `templates:`.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from mkdocs_readinglist.memo import Memo
from mkdocs_readinglist.model import Paper
from mkdocs_readinglist.pipeline import Corpus, SourceCache, run_pipeline
from mkdocs_readinglist.render.markdown_text import md
from mkdocs_readinglist.render.pages import CorpusView, GeneratedPage, PageOptions, generate_pages
from mkdocs_readinglist.render.templates import OURS, TemplateError, environment
from mkdocs_readinglist.settings import ConfigError, check_templates, settings_from_mapping
from mkdocs_readinglist.site import corpus_view, site_pages

from .helpers import copy_samples, mkdocs_build, run_cli
from .test_scaling import CountingFormatter

OVERRIDE = """\
{% if page %}
{{ front_matter }}# {{ title }}

{% else %}

<a id="{{ paper.key|md_attr }}"></a>

## {{ title }}

{% endif %}
{% if paper.abstract %}
{{ heading }} Abstract first

{{ paper.abstract }}

{% endif %}
{{ heading }} Reviewer notes

Key {{ paper.key|code }}{% if authors %} · {{ authors|join(", ") }}{% endif +%}

{{ heading }} BibTeX

{{ entry|bibtex }}
"""

# A user template that prints scraped text bare, the way one would write it without thinking.
BARE = """\
{{ front_matter }}# {{ paper.title }}

{{ paper.abstract }}

By {% for author in paper.authors %}{{ author }}, {% endfor %}

{% for kind, url in paper.urls %}[{{ kind }}]({{ url|url }}) {% endfor %}

{{ paper.title ~ " (" ~ paper.key ~ ")" }}
"""

EVIL_TITLE = "<script>alert(1)</script> *bold* _it_ | pipe `tick`"
EVIL_ABSTRACT = "See [x](javascript:alert(1)) and <img src=x onerror=alert(1)> and ![i](javascript:alert(2))."
EVIL_AUTHORS = ("Mal*ory* E_ve_", "Tr|udy `T`", "<b>Bold</b>")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("seeds")
    copy_samples(root, with_lock=True)
    settings, _ = settings_from_mapping(root, {"sources": ["bib"]})
    return run_pipeline(settings)


DEFAULT = PageOptions()


def _pages(corpus: Corpus, options: PageOptions = DEFAULT, **kwargs: object) -> dict[str, GeneratedPage]:
    references = {p.key: f"Reference of {p.key}." for p in corpus.papers}
    return {p.path: p for p in generate_pages(corpus_view(corpus), options, references, **kwargs)}  # type: ignore[arg-type]


class _Html(HTMLParser):
    """What Python-Markdown made of a page: its elements, links and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]
        self.tags.update(f"on-attribute:{name}" for name, _ in attrs if name.startswith("on"))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _html(page: str) -> _Html:
    body = page.split("---\n\n", 1)[1] if page.startswith("---\n") else page
    parser = _Html()
    parser.feed(markdown.markdown(body, extensions=["tables", "admonition", "attr_list", "md_in_html"]))
    parser.close()
    return parser


def test_every_template_of_ours_renders_the_seeds(seeds: Corpus) -> None:
    with_pages = _pages(seeds)
    without = _pages(seeds, PageOptions(paper_pages=False, topic_page_size=5))
    names = sorted(p.name for p in OURS.glob("*.md.j2"))
    assert names == ["datasets.md.j2", "home.md.j2", "paper.md.j2", "topic.md.j2", "topic_entry.md.j2",
                     "topic_facts.md.j2", "untagged.md.j2"]
    papers = {p.key: p for p in seeds.papers}
    paper_pages = [p for p in with_pages.values() if "/papers/" in p.path]
    assert len(paper_pages) == len(seeds.papers) > 50
    for page in paper_pages:  # paper.md.j2 (page): front matter, title, every section of the paper
        paper = papers[page.path.rsplit("/", 1)[1].removesuffix(".md")]
        html = _html(page.content)
        text = "".join(html.text)
        assert page.content.startswith("---\ntitle: ") and "\n## BibTeX\n" in page.content
        assert f"@{paper.entry_type or 'misc'}{{{paper.key}," in text.replace("@online", "@misc") or paper.key in text
        assert ("Reference of " + paper.key) in text and html.tags["pre"] == 1
        for topic in paper.topics:
            assert f"[{md(topic)}](../topics/" in page.content
    home = with_pages["reading-list/index.md"].content  # home.md.j2
    assert f"**{len(seeds.papers)} papers** from 4 sources" in home and "| Topic | Papers |" in home
    topic = next(p for p in with_pages.values() if "/topics/" in p.path and p.path.endswith(".md"))
    assert "papers · venues: " in topic.content or "papers · years: " in topic.content  # topic_facts.md.j2
    assert "## [" in topic.content and "](../papers/" in topic.content  # topic_entry.md.j2
    datasets = with_pages["reading-list/datasets.md"].content  # datasets.md.j2
    assert '<a id="dataset-' in datasets and "\n- [" in datasets
    assert ("reading-list/untagged.md" in without) == any(not p.topics for p in seeds.papers)
    entry = next(p for p in without.values() if p.path.endswith("-2.md")).content
    assert entry.count('\n<a id="') == 5 and "\n### BibTeX\n" in entry and "Pages: [1](" in entry


def test_the_home_page_counts_in_words_that_agree(tmp_path: Path) -> None:
    copy_samples(tmp_path, with_lock=True)
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib/hf-daily-2026-05-13.txt"]})
    corpus = run_pipeline(settings)
    home = _pages(corpus)["reading-list/index.md"].content
    assert f"**{len(corpus.papers)} papers** from 1 source ·" in home


def test_one_of_a_kind_is_said_in_the_singular(tmp_path: Path) -> None:
    """A topic of one paper said "1 papers" (the demo's Sign Language page), as did a lone
    paper on no topic and a lone dataset."""
    pages = {page.path: page for page in generate_pages(_evil_corpus(), DEFAULT, {})}
    topic = next(page.content for path, page in pages.items() if "/topics/" in path or path.endswith("human-pose.md"))
    assert "\n2 papers" in topic
    home = pages["reading-list/index.md"].content
    assert "1 paper matches no topic" in home and "1 papers" not in home, home
    assert "1 dataset or benchmark named" in pages["reading-list/datasets.md"].content
    assert all("1 papers" not in page.content for page in pages.values())
    lone = Paper(id="lone", title="On no topic", key="lone2024", year=2024)
    bare = CorpusView(papers=[lone], taxonomy_names=[], mentions={}, mentioned_by={}, related={}, datasets={},
                      paper_datasets={}, sources=[("a.txt", "hf-daily", 1)], header_topics=[])
    home = next(page.content for page in generate_pages(bare, DEFAULT, {}) if page.path == "reading-list/index.md")
    assert "| Topic | Papers |" not in home and "No paper matches a topic yet" in home  # (not an empty table)


def test_a_user_paper_template_changes_paper_pages_only(seeds: Corpus, tmp_path: Path) -> None:
    (tmp_path / "paper.md.j2").write_text(OVERRIDE, encoding="utf-8")
    ours = _pages(seeds)
    theirs = _pages(seeds, PageOptions(templates=str(tmp_path)))
    assert ours.keys() == theirs.keys()
    changed = {path for path in ours if ours[path].content != theirs[path].content}
    assert changed == {path for path in ours if "/papers/" in path}
    paper = next(p for p in seeds.papers if p.abstract and p.topics)
    page = theirs[f"reading-list/papers/{paper.key}.md"].content
    assert page.index("## Abstract first") < page.index("## Reviewer notes") < page.index("## BibTeX")
    assert "## Summary" not in page and "Topics:" not in page  # what the override left out
    assert "## Abstract" in ours[f"reading-list/papers/{paper.key}.md"].content
    assert theirs[f"reading-list/papers/{paper.key}.md"].title == ours[f"reading-list/papers/{paper.key}.md"].title


def _evil_corpus() -> CorpusView:
    evil = Paper(id="evil", title=EVIL_TITLE, key="evil2024", abstract=EVIL_ABSTRACT, summary=EVIL_ABSTRACT,
                 authors=EVIL_AUTHORS, venue="Conf | *x*", date="2024-01-02", year=2024, topics=("Human Pose",),
                 urls=(("project", "javascript:alert(3)"), ("code", "https://example.org/a_b")),
                 notes="<iframe src=x></iframe>")
    other = Paper(id="other", title="A plain paper [see](javascript:alert(4))", key="plain2024",
                  short_name="<u>PL</u>", year=2024, topics=("Human Pose",))
    lone = Paper(id="lone", title="On no topic `x` <script>alert(5)</script>", key="lone2024", year=2024)
    return CorpusView(papers=[evil, other, lone], taxonomy_names=["Human Pose"], mentions={"evil2024": ("plain2024",)},
                      mentioned_by={"plain2024": ("evil2024",)}, related={}, datasets={"<b>Set</b>": ("evil2024",)},
                      paper_datasets={"evil2024": ("<b>Set</b>",)}, sources=[("a|b.txt", "hf-daily", 2)],
                      header_topics=[])


@pytest.mark.parametrize("layout", ["ours", "bare user template"])
def test_scraped_text_stays_text(tmp_path: Path, layout: str) -> None:
    templates = None
    if layout != "ours":
        (tmp_path / "paper.md.j2").write_text(BARE, encoding="utf-8")
        templates = str(tmp_path)
    for options in (PageOptions(templates=templates), PageOptions(templates=templates, paper_pages=False)):
        pages = generate_pages(_evil_corpus(), options, {"evil2024": "<script>x()</script> [r](javascript:y)"})
        for page in pages:
            if not page.path.endswith(".md"):
                continue
            html = _html(page.content)
            assert not {"script", "img", "iframe", "u", "b", "em"} & set(html.tags), (page.path, html.tags)
            assert not [t for t in html.tags if t.startswith("on-attribute")], page.path
            assert not [u for u in html.urls if u.lower().lstrip().startswith(("javascript:", "data:"))], html.urls
        shown = "".join(_html(next(p for p in pages if ("evil2024" in p.content and "/papers/" in p.path)
                                   or p.path.endswith("human-pose.md")).content).text)
        assert "<script>alert(1)</script> *bold* _it_ | pipe `tick`" in shown  # the title, as the source has it
        assert "[x](javascript:alert(1))" in shown
        if not options.paper_pages:  # untagged.md.j2: the paper on no topic, in full
            untagged = next(p for p in pages if p.path == "reading-list/untagged.md")
            assert "On no topic `x` <script>alert(5)</script>" in "".join(_html(untagged.content).text)
    paper_page = next((p for p in pages if p.path == "reading-list/papers/evil2024.md"), None)
    if paper_page is None:
        paper_page = next(p for p in pages if p.path == "reading-list/topics/human-pose.md")
    text = "".join(_html(paper_page.content).text)
    assert all(author in text for author in EVIL_AUTHORS[:2]), text


def test_a_typo_in_a_template_names_its_file_and_line(seeds: Corpus, tmp_path: Path) -> None:
    (tmp_path / "paper.md.j2").write_text("{{ front_matter }}# {{ title }}\n\nBy {{ paper.auhtors }}\n",
                                          encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        _pages(seeds, PageOptions(templates=str(tmp_path)))
    assert caught.value.file == str(tmp_path / "paper.md.j2") and caught.value.line == 3
    assert str(caught.value).startswith(f"{tmp_path / 'paper.md.j2'}:3: error: ") and "auhtors" in str(caught.value)
    (tmp_path / "topic.md.j2").write_text("# {{ topic }}\n{% if facts %}\n{% endfor %}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topic\.md\.j2:3: error: .*endfor"):
        check_templates(str(tmp_path))
    (tmp_path / "topic.md.j2").unlink()
    (tmp_path / "papers.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'papers\.md\.j2' is none of the page templates"):
        check_templates(str(tmp_path))
    (tmp_path / "papers.md.j2").unlink()
    for misnamed in ("home.md", "paper.j2"):  # not ours by their suffix: they stop it too, with no `:0:` line
        (tmp_path / misnamed).write_text("# {{ title }}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"{re.escape(misnamed)}: error: '{re.escape(misnamed)}' is none of"):
            check_templates(str(tmp_path))
        (tmp_path / misnamed).unlink()
    (tmp_path / "_notes.txt").write_text("my notes\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    check_templates(str(tmp_path))  # a helper and a hidden file are not page templates
    with pytest.raises(ConfigError, match="no folder"):
        check_templates(str(tmp_path / "missing"))


def test_the_cli_prints_file_and_line_of_a_broken_template(tmp_path: Path) -> None:
    copy_samples(tmp_path, with_lock=True)
    (tmp_path / "layout").mkdir()
    home = tmp_path / "layout" / "home.md.j2"
    for text, code, word in (("# {{ title }}\n\n{{ papers|nosuchfilter }}\n", 2, "nosuchfilter"),  # compiling
                             ("# {{ title }}\n\n{{ paper_count }}\n", 1, "paper_count")):  # rendering
        home.write_text(text, encoding="utf-8")
        result = run_cli("pages", "--out", "out", "--templates", "layout", cwd=tmp_path)
        assert result.returncode == code, result.stderr
        assert f"{home}:3: error: " in result.stderr and word in result.stderr
        assert not (tmp_path / "out").exists()
    (tmp_path / "layout" / "home.md.j2").write_text("# {{ title }}, by us\n", encoding="utf-8")
    result = run_cli("pages", "--out", "out", "--templates", "layout", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "reading-list" / "index.md").read_text(encoding="utf-8") == "# Reading list, by us\n"
    assert "## BibTeX" in (tmp_path / "out" / "reading-list" / "papers" / "synpain2025.md").read_text(encoding="utf-8")


def test_an_edited_template_makes_its_pages_again(seeds: Corpus, tmp_path: Path) -> None:
    (tmp_path / "paper.md.j2").write_text(OVERRIDE, encoding="utf-8")
    options = PageOptions(templates=str(tmp_path))
    memo = Memo()
    runs = []
    for edit in (None, None, "Reviewer notes", None):
        if edit:
            (tmp_path / "paper.md.j2").write_text(OVERRIDE.replace(edit, "Notes of the week"), encoding="utf-8")
        counts: dict[str, int] = {}
        pages = _pages(seeds, options, recall=memo, counts=counts)
        memo.end_run()
        runs.append((counts.get("paper pages rendered", 0), pages))
    papers = len(seeds.papers)
    assert [count for count, _ in runs] == [papers, 0, papers, 0]
    assert all("## Notes of the week" in p.content for p in runs[2][1].values() if "/papers/" in p.path)
    assert environment(str(tmp_path)) is environment(str(tmp_path))  # made once while the folder is as it was


def test_serve_rebuilds_pages_after_a_template_edit(tmp_path: Path) -> None:
    """Through site_pages, as the plugin calls it: an unchanged corpus reuses its last pages
    unless a template changed."""
    copy_samples(tmp_path, with_lock=True)
    (tmp_path / "layout").mkdir()
    template = tmp_path / "layout" / "home.md.j2"
    template.write_text("# {{ title }} one\n", encoding="utf-8")
    settings, site = settings_from_mapping(tmp_path, {"sources": ["bib"], "templates": "layout"})
    cache, formatter = SourceCache(), CountingFormatter()
    homes = []
    for text in (None, None, "# {{ title }} two\n"):
        if text:
            template.write_text(text, encoding="utf-8")
        corpus = run_pipeline(settings, cache=cache)
        pages, _ = site_pages(corpus, site.page_options(), formatter)
        homes.append(next(p.content for p in pages if p.path == "reading-list/index.md"))
    assert homes == ["# Reading list one\n", "# Reading list one\n", "# Reading list two\n"]


@pytest.mark.slow
def test_a_real_build_shows_the_users_paper_page(tmp_path: Path) -> None:
    copy_samples(tmp_path, with_lock=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    shutil.copytree(OURS, tmp_path / "layout", ignore=lambda _, names: [n for n in names if n != "paper.md.j2"])
    (tmp_path / "layout" / "paper.md.j2").write_text(OVERRIDE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Templates\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "  - readinglist:\n      sources: [bib]\n      templates: layout\n", encoding="utf-8")
    result = mkdocs_build(tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site" / "reading-list"
    page = (site / "papers" / "synpain2025" / "index.html").read_text(encoding="utf-8")
    assert 'id="reviewer-notes"' in page and 'id="abstract-first"' in page and 'id="summary"' not in page
    assert page.index('id="abstract-first"') < page.index('id="reviewer-notes"') < page.index('id="bibtex"')
    topic = next((site / "topics").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Download BibTeX for this topic" in topic  # ours


@pytest.mark.slow
def test_a_broken_template_stops_the_build_naming_its_line(tmp_path: Path) -> None:
    copy_samples(tmp_path, with_lock=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "layout").mkdir()
    (tmp_path / "layout" / "topic.md.j2").write_text("# {{ topic }}\n\n{{ facts }\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Templates\nplugins:\n  - readinglist:\n      sources: [bib]\n      templates: layout\n",
        encoding="utf-8")
    result = mkdocs_build(tmp_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'layout' / 'topic.md.j2'}:3: error: " in result.stderr, result.stderr
    (tmp_path / "layout" / "topic.md.j2").write_text("# {{ topic }}\n\n{{ facts.nosuch }}\n", encoding="utf-8")
    result = mkdocs_build(tmp_path)  # compiles, fails when rendering: the plugin names the line too
    assert result.returncode == 1
    assert f"{tmp_path / 'layout' / 'topic.md.j2'}:3: error: " in result.stderr, result.stderr
