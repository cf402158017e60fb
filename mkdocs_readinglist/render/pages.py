"""The reading-list site as Markdown: home, topic pages, paper pages, datasets, BibTeX files.

Engine-independent: the MkDocs plugin serves these in memory, `readinglist pages --out`
writes the very same text to disk for other site generators.

Speed (the same text, faster): each paper's BibTeX entry comes rendered (`entries`) and the
.bib files are those entries joined as bibtexparser joins them; front matter of plain text
is written without YAML's emitter; relative links are computed without the file system;
topic facts once per topic. With a `memo` (kept by the caller across rebuilds), the body of
a paper whose content and neighbourhood did not change is not rendered again.
"""

from __future__ import annotations

import html
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote

import yaml

from ..model import Paper
from ..text import slugify
from .bibtex import LOCAL_PATH_FIELDS, blocks_text, entry_text, export_order
from .markdown_text import code, md, summary_of


@dataclass(frozen=True, slots=True)
class PageOptions:
    folder: str = "reading-list"  # where in the site the pages go
    paper_pages: bool = True  # one page per paper, or papers only on topic pages
    topic_page_size: int = 0  # papers per topic page; 0 keeps each topic on one page
    bib_file: str = "references.bib"  # the corpus's BibTeX, at the site root
    title: str = "Reading list"
    # A site that only cites: no home, topic, dataset or .bib pages; with `paper_pages`, a
    # page for each `cited` paper only, else none (citations link to the citing page's references).
    cite_only: bool = False
    cited: frozenset[str] = frozenset()
    omit_fields: tuple[str, ...] = LOCAL_PATH_FIELDS  # fields left out of the site's BibTeX (lower case)


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    path: str  # relative to the docs folder, `/`-separated
    content: str
    in_nav: bool = True
    title: str | None = None  # the title its front matter gives, as MkDocs reads it back


def _title(text: str) -> str:
    """A page's title as its front matter carries it (see _front_matter)."""
    return html.escape(text, quote=False)


class _Site:
    """Where each generated thing lives, and relative links between them."""

    def __init__(self, corpus: CorpusView, options: PageOptions) -> None:
        self.options = options
        self.corpus = corpus
        self.topic_pages: dict[str, list[list[Paper]]] = {}
        self.topic_facts: dict[str, str] = {}  # a topic's header line, the same on each of its pages
        of_topic: dict[str, list[Paper]] = {topic: [] for topic in corpus.taxonomy_names}
        for paper in corpus.papers:  # one pass, corpus order kept within each topic
            for topic in paper.topics:
                bucket = of_topic.get(topic)
                if bucket is not None:
                    bucket.append(paper)
        order = {p.key: _newest_first(p) for p in corpus.papers}
        for topic in corpus.taxonomy_names:
            members = sorted(of_topic[topic], key=lambda p: order[p.key])
            if members:
                size = options.topic_page_size or len(members)
                self.topic_pages[topic] = [members[i:i + size] for i in range(0, len(members), size)]
        self.entries: dict[str, str] = {}  # key -> BibTeX entry
        self.previous: PageMemo = {}  # the memo of the previous run
        self.memo: PageMemo | None = None  # this run's
        self.counts: MutableMapping[str, int] = {}
        self.changed: set[str] = set()  # keys of papers not as they were in the previous run
        self.made: dict[tuple[Any, ...], Any] = {}  # made in this run, for reuse within it
        self.home = f"{options.folder}/index.md"
        self.datasets = f"{options.folder}/datasets.md"
        self.untagged = f"{options.folder}/untagged.md"  # without paper pages: papers on no topic page
        self._paper_topic_page: dict[str, str] = {}
        for topic, chunks in self.topic_pages.items():
            for number, chunk in enumerate(chunks, start=1):
                for paper in chunk:
                    self._paper_topic_page.setdefault(paper.key, self.topic_path(topic, number))

    def topic_path(self, topic: str, page: int = 1) -> str:
        suffix = "" if page == 1 else f"-{page}"
        return f"{self.options.folder}/topics/{slugify(topic)}{suffix}.md"

    def topic_bib(self, topic: str) -> str:
        return f"{self.options.folder}/topics/{slugify(topic)}.bib"

    def paper_path(self, paper: Paper) -> str:
        return f"{self.options.folder}/papers/{paper.key}.md"

    def paper_target(self, paper: Paper) -> str:
        """Where a link to the paper goes: its page, or its entry on a topic page."""
        if self.options.paper_pages:
            return self.paper_path(paper)
        page = self._paper_topic_page.get(paper.key, self.untagged)
        return f"{page}#{paper.key}"

    def untagged_papers(self) -> list[Paper]:
        """The papers on no topic page, newest first (shown in full on their own page when
        there are no paper pages, so that every link to a paper lands)."""
        if self.options.paper_pages:
            return []
        return sorted((p for p in self.corpus.papers if p.key not in self._paper_topic_page), key=_newest_first)

    @staticmethod
    def link(from_page: str, to: str) -> str:
        target, _, anchor = to.partition("#")
        relative = _relpath(target, from_page.rpartition("/")[0])
        if relative == from_page.rpartition("/")[2] and anchor:
            return f"#{anchor}"
        return relative + (f"#{anchor}" if anchor else "")


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for `/`-separated relative paths, without asking for the working
    directory (which relpath does twice per call); anything unusual goes to relpath. The
    way from a folder to a folder is worked out once (pages link into a few folders)."""
    folder, _, name = target.rpartition("/")
    prefix = _folder_relpath(folder, start, name)
    return name if prefix == "." else f"{prefix}/{name}" if prefix is not None else _parts_relpath(target, start)


@lru_cache(maxsize=4096)
def _folder_relpath(folder: str, start: str, name: str) -> str | None:
    """relpath(folder, start), or None when relpath(folder/name, start) is not that plus
    `/name` (name is then the next part of start, or a part is odd: `.`, `..`, empty)."""
    if not folder or not name or name in (".", "..") or _odd(folder) or (start and _odd(start)):
        return None
    from_parts = start.split("/") if start else []
    to_parts = folder.split("/")
    if len(from_parts) > len(to_parts) and from_parts[:len(to_parts)] == to_parts and from_parts[len(to_parts)] == name:
        return None
    relative = _parts_relpath(folder, start)
    return None if relative.startswith("/") else relative


def _odd(path: str) -> bool:
    """A path with an empty, `.` or `..` part (or a leading `/`): left to posixpath."""
    framed = f"/{path}/"
    return "//" in framed or "/./" in framed or "/../" in framed


def _parts_relpath(target: str, start: str) -> str:
    if _odd(target) or (start and _odd(start)):
        return posixpath.relpath(target, start)
    to_parts = target.split("/")
    from_parts = start.split("/") if start else []
    common = 0
    for a, b in zip(to_parts, from_parts, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."


@dataclass(frozen=True)
class CorpusView:
    """What the pages need of a corpus, so this module does not depend on the pipeline."""

    papers: Sequence[Paper]
    taxonomy_names: Sequence[str]
    mentions: dict[str, tuple[str, ...]]
    mentioned_by: dict[str, tuple[str, ...]]
    related: dict[str, tuple[str, ...]]
    datasets: dict[str, tuple[str, ...]]
    paper_datasets: dict[str, tuple[str, ...]]
    sources: Sequence[tuple[str, str, int]]  # (file, format, records)
    header_topics: Sequence[tuple[str, str]]  # (listing, "Human Pose ×7 · ...")


_INVERT_DIGITS = {ord(c): chr(0x10FFFF - ord(c)) for c in "0123456789-"}


def _newest_first(paper: Paper) -> tuple[str, str]:
    date = paper.date if paper.date and not paper.date.startswith("--") else f"{paper.year or 0:04d}"
    if date.isascii() and not date.strip("0123456789-"):  # ISO dates, years: one translate
        inverted = date.translate(_INVERT_DIGITS)
    else:
        inverted = "".join(chr(0x10FFFF - ord(c)) for c in date)
    return inverted, (paper.title or paper.key).lower()


def _front_matter(data: dict[str, object]) -> str:
    """YAML front matter. Themes put `title` into `<title>` and the nav unescaped, so it is
    HTML-escaped here; tags are topic names from the taxonomy."""
    if isinstance(data.get("title"), str):
        data = {**data, "title": html.escape(str(data["title"]), quote=False)}
    return "---\n" + _yaml_mapping(data) + "---\n\n"


_YAML_RESOLVER = yaml.resolver.Resolver()
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")


def _yaml_mapping(data: dict[str, object]) -> str:
    """yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096), byte for byte;
    written directly when every key and value is single-line printable ASCII text (or a
    list of such), else by PyYAML."""
    lines: list[str] = []
    for key, value in data.items():
        name = _yaml_scalar(key) if isinstance(key, str) else None
        if name is None or name != key:
            break
        if isinstance(value, str):
            scalar = _yaml_scalar(value)
            if scalar is None:
                break
            lines.append(f"{key}: {scalar}\n")
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            items = [_yaml_scalar(item) for item in value]
            if any(item is None for item in items):
                break
            lines.append(f"{key}: []\n" if not items else f"{key}:\n" + "".join(f"- {item}\n" for item in items))
        else:
            break
    else:
        return "".join(lines)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)


def _yaml_scalar(text: str) -> str | None:
    """How PyYAML's emitter writes a text in block context (plain, else single-quoted), for
    single-line printable ASCII without edge spaces (its rules for that case, from
    Emitter.analyze_scalar and choose_scalar_style); None for any other text."""
    if not text or len(text) > 1000 or not text.isascii() or not text.isprintable() \
            or text[0] == " " or text[-1] == " ":
        return None
    first = text[0]
    indicator = (first in _FIRST_INDICATORS or (first in "?:-" and (len(text) == 1 or text[1] == " "))
                 or text.startswith(("---", "...")) or ": " in text or text.endswith(":") or " #" in text)
    if not indicator and _YAML_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str":
        return text
    return "'" + text.replace("'", "''") + "'"


def _facts(paper: Paper) -> str:
    parts = []
    if paper.short_name:
        parts.append(f"**{md(paper.short_name)}**")
    if paper.venue:
        parts.append(md(paper.venue))
    if paper.date:
        parts.append(md(paper.date.removeprefix("--")) if not paper.date.startswith("--") else md(paper.date[2:]) + " (year unknown)")
    elif paper.year and not paper.venue:
        parts.append(str(paper.year))
    if paper.author_count:
        parts.append(f"{paper.author_count} author{'s' if paper.author_count != 1 else ''}")
    elif paper.organisation:
        parts.append(md(paper.organisation))
    return " · ".join(parts)


_LINK_LABELS = {"code": "Code", "openreview": "OpenReview", "pdf": "PDF", "project": "Project"}


def _links(paper: Paper) -> str:
    links = []
    if paper.arxiv_id:
        links.append(f"[arXiv:{md(paper.arxiv_id)}](https://arxiv.org/abs/{paper.arxiv_id})")
        links.append(f"[PDF](https://arxiv.org/pdf/{paper.arxiv_id})")
    doi = dict(paper.fields).get("doi")
    if doi:
        links.append(f"[DOI:{md(doi)}](<https://doi.org/{_href(doi)}>)")
    for kind, url in paper.urls:
        if kind == "pdf" and paper.arxiv_id:
            continue
        links.append(f"[{_LINK_LABELS.get(kind, 'Project')}](<{_href(url)}>)")
    return " · ".join(links)


def _href(url: str) -> str:
    """A URL as a Markdown link destination: a DOI like `10.1002/(SICI)...<377::AID-JCC1>...` holds
    `<`, `>` and parentheses, which would end the link; percent-encoded, they mean the same URL."""
    return quote(url, safe="/:?#=&%@+,;~!$*'")


def _authors(paper: Paper) -> str:
    named = [a for a in paper.authors if a != "others"]
    if not named:
        return ""
    return "Authors: " + ", ".join(md(a) for a in named) + (" and others" if "others" in paper.authors else "")


def _bibtex_block(text: str) -> str:
    """A code block Material gives a copy button, without Pygments (cheap on 10k pages)."""
    return f'<pre><code class="language-bibtex">{html.escape(text.rstrip(), quote=False)}</code></pre>\n'


PageMemo = dict[tuple[Any, ...], Any]


def generate_pages(corpus: CorpusView, options: PageOptions, references: dict[str, str],
                   progress: Callable[[str], None] | None = None, entries: Mapping[str, str] | None = None,
                   memo: PageMemo | None = None, counts: MutableMapping[str, int] | None = None) -> list[GeneratedPage]:
    """Every generated file. `entries` are the papers' BibTeX entries by key (rendered here
    when missing); `memo` holds pages and paper bodies from the previous run with these
    options (its caller keeps it): those whose inputs are unchanged are reused, and it is
    left holding this run's only. `counts` gets the pages and bodies actually rendered."""
    site = _Site(corpus, options)
    site.counts = counts if counts is not None else {}
    site.entries = dict(entries) if entries is not None else {}
    site.previous = dict(memo) if memo else {}
    site.memo = memo
    if memo is not None:
        memo.clear()
        # Memo keys hold papers' keys, not papers (hashing a Paper walks all its fields): a
        # paper that is not as it was in the previous run is never taken from the memo.
        before: dict[str, Paper] = site.previous.get(("papers",), {})
        site.changed = {p.key for p in corpus.papers if before.get(p.key) is not p and before.get(p.key) != p}
        memo[("papers",)] = {p.key: p for p in corpus.papers}
    by_key = {p.key: p for p in corpus.papers}
    if options.cite_only:
        if not options.paper_pages:
            return []
        return [_paper_page(site, paper, references, by_key) for paper in corpus.papers if paper.key in options.cited]
    pages = [_home(site, by_key), _datasets(site, by_key)]
    untagged = site.untagged_papers()
    if untagged:
        pages.append(_untagged_page(site, untagged, references, by_key))
    for topic, chunks in site.topic_pages.items():
        for number, chunk in enumerate(chunks, start=1):
            pages.append(_topic_page(site, topic, number, len(chunks), chunk, references, by_key))
        pages.append(GeneratedPage(site.topic_bib(topic), _bibtex_file(site, (p for chunk in chunks for p in chunk)),
                                   in_nav=False))
    if options.paper_pages:
        for number, paper in enumerate(corpus.papers, start=1):
            if progress and number % 2000 == 0:
                progress(f"paper pages: {number}/{len(corpus.papers)}")
            pages.append(_paper_page(site, paper, references, by_key))
    pages.append(GeneratedPage(options.bib_file, _bibtex_file(site, corpus.papers), in_nav=False))
    return pages


def _entry(site: _Site, paper: Paper) -> str:
    text = site.entries.get(paper.key)
    if text is None:
        text = site.entries[paper.key] = entry_text(paper, site.options.omit_fields)
    return text


def _bibtex_file(site: _Site, papers: Iterable[Paper]) -> str:
    """write_bibtex(papers), from the entries already rendered: bibtexparser writes a library
    as its entries sorted by key, each as write_bibtex writes it alone, joined by the block
    separator ("\n"); tests/test_scaling.py checks that this stays so."""
    chosen = export_order(papers)  # keys are unique, case aside: write_bibtex's order
    by_key = {p.key: p for p in chosen}
    ordered = tuple(p.key for p in chosen)

    def make() -> str:
        head = blocks_text(chosen)  # the sources' @string, @preamble and @comment blocks
        body = "\n".join(_entry(site, by_key[k]) for k in ordered)
        return f"{head}\n{body}" if head and body else head or body

    return _made_once(site, lambda: ("bibtex files", ordered), ordered, make)


T = TypeVar("T")


def _made_once(site: _Site, memo_key: Callable[[], tuple[Any, ...]], papers: Iterable[str],
               make: Callable[[], T]) -> T:
    """make(), or what the previous run made from the same inputs (`memo_key()`, worked out
    only when the site keeps memos) when none of `papers` changed; remembered for the next."""
    if site.memo is None:
        return make()
    key = memo_key()
    found = _remembered(site, key, papers)
    if found is not None:
        return found  # type: ignore[no-any-return]
    return _remember(site, key, make())  # type: ignore[no-any-return]


def _remembered(site: _Site, key: tuple[Any, ...], papers: Iterable[str]) -> Any:
    """What the previous run made from the same inputs (None if nothing), kept for the next;
    `papers` are the keys of the papers it shows in full, all of which must be unchanged."""
    if not site.changed.isdisjoint(papers):
        return None
    found = site.previous.get(key)
    if found is not None and site.memo is not None:
        site.memo[key] = found
    return found


def _remember(site: _Site, key: tuple[Any, ...], value: Any) -> Any:
    site.counts[key[0] + " rendered"] = site.counts.get(key[0] + " rendered", 0) + 1
    if site.memo is not None:
        site.memo[key] = value
    return value


def _neighbours(site: _Site, paper: Paper, by_key: dict[str, Paper]) -> tuple[Any, ...]:
    """All a paper's body shows of other papers: names, targets, the lists they are in."""
    corpus = site.corpus
    shown = []
    for keys in (corpus.mentions.get(paper.key, ()), corpus.mentioned_by.get(paper.key, ()),
                 corpus.related.get(paper.key, ())):
        shown.append(tuple((k, o.title, o.short_name, site.paper_target(o)) if (o := by_key.get(k)) is not None
                           else (k,) for k in keys))
    return (*shown, corpus.paper_datasets.get(paper.key, ()))


def _paper_list(site: _Site, here: str, keys: Sequence[str], by_key: dict[str, Paper]) -> str:
    lines = []
    for key in keys:
        other = by_key.get(key)
        if other is not None:
            name = f" ({md(other.short_name)})" if other.short_name and other.short_name not in (other.title or "") else ""
            lines.append(f"- [{md(other.title or other.key)}]({site.link(here, site.paper_target(other))}){name}")
    return "\n".join(lines) + "\n" if lines else ""


def _paper_body(site: _Site, here: str, paper: Paper, references: dict[str, str],
                by_key: dict[str, Paper], heading: str) -> list[str]:
    corpus = site.corpus
    out = []
    facts = _facts(paper)
    out.append(f"{facts} · key {code(paper.key)}\n" if facts else f"Key {code(paper.key)}\n")
    authors = _authors(paper)
    if authors:
        out.append(f"\n{authors}\n")
    links = _links(paper)
    if links:
        out.append(f"\n{links}\n")
    if paper.topics and not site.options.cite_only:  # a site that only cites has no topic pages
        out.append("\nTopics: " + " · ".join(
            f"[{md(t)}]({site.link(here, site.topic_path(t))})" for t in paper.topics) + "\n")
    if paper.summary:
        out.append(f"\n{heading} Summary\n\n{md(paper.summary)}\n")
    if paper.abstract:
        out.append(f"\n{heading} Abstract\n\n{md(paper.abstract)}\n")
    if not paper.title:
        out.append("\n!!! note \"Title unknown\"\n    The source gives no title for this paper; none is invented. "
                   "Set `title:` for it in the overrides file.\n")
    if paper.notes:
        out.append(f"\n{heading} Notes\n\n{md(paper.notes)}\n")
    out.append(f"\n{heading} BibTeX\n\n{_bibtex_block(_entry(site, paper))}")
    if references.get(paper.key):
        out.append(f"\n{heading} Reference\n\n{md(references[paper.key])}\n")
    for title, keys in (("Mentions", corpus.mentions.get(paper.key, ())),
                        ("Mentioned by", corpus.mentioned_by.get(paper.key, ())),
                        ("Related papers", corpus.related.get(paper.key, ()))):
        listing = _paper_list(site, here, keys, by_key)
        if listing:
            out.append(f"\n{heading} {title}\n\n{listing}")
    datasets = corpus.paper_datasets.get(paper.key, ())
    if datasets:
        out.append(f"\n{heading} Datasets\n\n" + " · ".join(
            f"[{md(d)}]({site.link(here, site.datasets)}#{dataset_anchor(d)})" for d in datasets) + "\n")
    out.append(f"\n{heading} Sources\n\n" + "\n".join(f"- {code(str(s))}" for s in paper.provenance) + "\n")
    return out


def _paper_page(site: _Site, paper: Paper, references: dict[str, str], by_key: dict[str, Paper]) -> GeneratedPage:
    here = site.paper_path(paper)

    def make() -> GeneratedPage:
        title = paper.title or f"Untitled ({paper.arxiv_id or paper.key})"
        front = _front_matter({"title": title, "tags": list(paper.topics)})
        body = [front, f"# {md(title)}\n\n", *_paper_body(site, here, paper, references, by_key, "##")]
        return GeneratedPage(here, "".join(body), in_nav=False, title=_title(title))

    return _made_once(site, lambda: ("paper pages", here, paper.key, references.get(paper.key), _entry(site, paper),
                                     _neighbours(site, paper, by_key)), (paper.key,), make)


def _topic_facts(site: _Site, topic: str) -> str:
    facts_line = site.topic_facts.get(topic)
    if facts_line is None:
        all_members = [p for chunk in site.topic_pages[topic] for p in chunk]
        venues = Counter(p.venue for p in all_members if p.venue)
        years = Counter(p.year for p in all_members if p.year)
        facts = [f"{len(all_members)} papers"]
        if venues:
            facts.append("venues: " + " · ".join(f"{md(v)} ({n})" for v, n in venues.most_common(6)))
        if years:
            facts.append("years: " + " · ".join(f"{y} ({n})" for y, n in sorted(years.items(), reverse=True)[:6]))
        facts_line = site.topic_facts[topic] = " · ".join(facts)
    return facts_line


def _topic_page(site: _Site, topic: str, number: int, total: int, papers: Sequence[Paper],
                references: dict[str, str], by_key: dict[str, Paper]) -> GeneratedPage:
    here = site.topic_path(topic, number)
    facts_line = _topic_facts(site, topic)
    memo_key: tuple[Any, ...] = ()
    if site.memo is not None and site.options.paper_pages:  # else the bodies are remembered
        members = tuple(p.key for p in papers)
        memo_key = ("topic pages", here, topic, total, facts_line, members)
        found = _remembered(site, memo_key, members)
        if found is not None:
            return found  # type: ignore[no-any-return]
    out = [_front_matter({"title": topic}), f"# {md(topic)}\n\n"]
    out.append(facts_line + "\n\n")
    out.append(f"[Download BibTeX for this topic]({site.link(here, site.topic_bib(topic))})"
               f" · [Reading list home]({site.link(here, site.home)})\n")
    if total > 1:
        out.append("\nPages: " + " · ".join(
            f"**{n}**" if n == number else f"[{n}]({site.link(here, site.topic_path(topic, n))})"
            for n in range(1, total + 1)) + "\n")
    for paper in papers:
        if site.options.paper_pages:
            out.append(_topic_entry(site, here, paper))
        else:
            title = md(paper.title or f"Untitled ({paper.arxiv_id or paper.key})")
            out.append(f'\n<a id="{paper.key}"></a>\n\n## {title}\n\n')
            out.append(_topic_body(site, here, paper, references, by_key))
    # Only a topic's first page goes in the nav (the others are linked from it): Material
    # renders the whole nav into every page, so a nav of every page of every topic makes a
    # paginated site's build grow with pages x topic pages (measured: 2.2x at 10k papers).
    page = GeneratedPage(here, "".join(out), in_nav=number == 1, title=_title(topic))
    return _remember(site, memo_key, page) if memo_key else page


def _topic_entry(site: _Site, here: str, paper: Paper) -> str:
    """A paper's entry on a topic page (with paper pages): title linked to its page, facts,
    the summary's first sentences. The same on every topic page of a folder, so made once
    per run (a paper is on several topics) and remembered across runs."""
    memo_key = ("topic entries", here.rpartition("/")[0], paper.key)
    found = site.made.get(memo_key)
    if found is None and site.memo is not None:
        found = _remembered(site, memo_key, (paper.key,))
    if found is None:
        title = md(paper.title or f"Untitled ({paper.arxiv_id or paper.key})")
        parts = [f"\n## [{title}]({site.link(here, site.paper_path(paper))})\n\n"]
        facts_line = _facts(paper)
        if facts_line:
            parts.append(facts_line + "\n\n")
        parts.append(md(summary_of(paper.summary or paper.abstract)) + "\n")
        found = "".join(parts)
        if site.memo is not None:
            _remember(site, memo_key, found)
    site.made[memo_key] = found
    return found  # type: ignore[no-any-return]


def _topic_body(site: _Site, here: str, paper: Paper, references: dict[str, str], by_key: dict[str, Paper]) -> str:
    """A paper in full on a topic page (no paper pages), remembered across runs."""
    return _made_once(site, lambda: ("topic bodies", here, paper.key, references.get(paper.key), _entry(site, paper),
                                     _neighbours(site, paper, by_key)), (paper.key,),
                      lambda: "".join(_paper_body(site, here, paper, references, by_key, "###")))


def _home(site: _Site, by_key: dict[str, Paper]) -> GeneratedPage:
    corpus = site.corpus
    here = site.home
    papers = corpus.papers
    out = [_front_matter({"title": site.options.title}), f"# {md(site.options.title)}\n\n"]
    counts = Counter(t for p in papers for t in p.topics)
    top = " · ".join(f"[{md(t)}]({site.link(here, site.topic_path(t))}) ×{n}" for t, n in counts.most_common(6))
    out.append(f"**{len(papers)} papers** from {len(corpus.sources)} sources"
               f" · [BibTeX for all]({site.link(here, options_bib(site))})"
               f" · [Datasets & benchmarks]({site.link(here, site.datasets)})\n\n")
    if top:
        out.append(f"Top topics: {top}\n\n")
    for listing, topics in corpus.header_topics:
        out.append(f"Header topics of {code(listing)}: {md(topics)}\n\n")
    out.append("## Topics\n\n| Topic | Papers |\n| --- | ---: |\n")
    for topic in corpus.taxonomy_names:
        if counts.get(topic):
            out.append(f"| [{md(topic)}]({site.link(here, site.topic_path(topic))}) | {counts[topic]} |\n")
    untagged = sum(1 for p in papers if not p.topics)
    if untagged:
        if site.options.paper_pages:
            out.append(f"\n{untagged} papers match no topic.\n")
        else:
            out.append(f"\n[{untagged} papers match no topic]({site.link(here, site.untagged)}).\n")
    venues = Counter(p.venue for p in papers if p.venue)
    years = Counter(p.year for p in papers if p.year)
    if venues:
        out.append("\n## Venues\n\n" + " · ".join(f"{md(v)} ({n})" for v, n in sorted(venues.items(), key=lambda kv: (-kv[1], kv[0]))) + "\n")
    if years:
        out.append("\n## Years\n\n" + " · ".join(f"{y} ({n})" for y, n in sorted(years.items(), reverse=True)) + "\n")
    out.append("\n## Sources\n\n| File | Format | Papers |\n| --- | --- | ---: |\n")
    for file, fmt, count in corpus.sources:
        out.append(f"| {md(file)} | {md(fmt)} | {count} |\n")
    newest = sorted((p for p in papers if p.date and not p.date.startswith("--")), key=_newest_first)[:10]
    if newest:
        out.append("\n## Newest\n\n" + "".join(
            f"- {md(p.date)}: [{md(p.title or p.key)}]({site.link(here, site.paper_target(p))})\n" for p in newest))
    return GeneratedPage(here, "".join(out), title=_title(site.options.title))


def dataset_anchor(name: str) -> str:
    return "dataset-" + slugify(name.replace("+", " plus "))


def options_bib(site: _Site) -> str:
    return site.options.bib_file


def _datasets(site: _Site, by_key: dict[str, Paper]) -> GeneratedPage:
    here = site.datasets
    out = [_front_matter({"title": "Datasets & benchmarks"}), "# Datasets & benchmarks\n\n",
           f"{len(site.corpus.datasets)} datasets and benchmarks named in the papers' abstracts and summaries.\n"]
    for name, keys in site.corpus.datasets.items():
        out.append(f'\n<a id="{dataset_anchor(name)}"></a>\n\n## {md(name)}\n\n{len(keys)} paper{"s" if len(keys) != 1 else ""}\n\n')
        out.append(_paper_list(site, here, keys, by_key))
    return GeneratedPage(here, "".join(out), title=_title("Datasets & benchmarks"))


def _untagged_page(site: _Site, papers: Sequence[Paper], references: dict[str, str],
                   by_key: dict[str, Paper]) -> GeneratedPage:
    """Without paper pages, the papers on no topic page, in full (as on topic pages)."""
    here = site.untagged
    out = [_front_matter({"title": "Papers on no topic"}), "# Papers on no topic\n\n",
           f"{len(papers)} papers that match no topic · [Reading list home]({site.link(here, site.home)})\n"]
    for paper in papers:
        title = md(paper.title or f"Untitled ({paper.arxiv_id or paper.key})")
        out.append(f'\n<a id="{paper.key}"></a>\n\n## {title}\n\n')
        out.append(_topic_body(site, here, paper, references, by_key))
    return GeneratedPage(here, "".join(out), in_nav=False, title=_title("Papers on no topic"))


def paper_targets(corpus: CorpusView, options: PageOptions) -> dict[str, str]:
    """key -> where a link to the paper goes (its page, or its anchor on a topic page or the
    page of papers on no topic): the targets the generated pages themselves link to."""
    site = _Site(corpus, options)
    return {paper.key: site.paper_target(paper) for paper in corpus.papers}
