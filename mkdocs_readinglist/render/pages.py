"""The reading-list site as Markdown: home, topic pages, paper pages, datasets, BibTeX files.

Engine-independent: the MkDocs plugin serves these in memory, `readinglist pages --out`
writes the very same text to disk for other site generators.

This module says where each page lives and what each page's template is given; the layout is
in the templates (render/templates/*.md.j2, overridable by a user's `templates` folder, see
render/templates.py). Each paper's BibTeX entry comes rendered (`entries`), and the .bib files
are those entries joined as bibtexparser joins them. Work worth keeping across rebuilds (paper
pages, a paper's entry on topic pages, topic pages, .bib files) is asked of `recall` under a
key holding all its inputs (memo.py): a `mkdocs serve` rebuild renders only what changed.
"""

from __future__ import annotations

import html
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar, overload

import jinja2

from ..latex.decode import plain_text
from ..memo import JoinedTexts, Memo, Recall, Same, make_now
from ..model import Paper
from ..text import bare_doi, slugify
from .bibtex import LOCAL_PATH_FIELDS, blocks_text, entry_text, export_order, keys_left_to_others
from .markdown_text import md
from .paths import front_matter, page_name, relpath
from .templates import Md, environment, get_template, href, render, url_filter


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
    templates: str | None = None  # a folder of templates overriding ours by name (an absolute path)
    # Paper pages tagged with their topics (front matter `tags:`), for a tags index that lists them.
    # Off, no tags: Material's search ranks a page's tags a million times its text, and every
    # paper of "Human Pose" came before the paper whose title was typed.
    papers_in_tags_index: bool = False


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    path: str  # relative to the docs folder, `/`-separated
    content: str
    in_nav: bool = True
    title: str | None = None  # the title its front matter gives, as MkDocs reads it back


class _PaperPage(GeneratedPage):
    """A paper page of a one-shot run (the CLI, bench.core), which holds every page to its end:
    its path made from its folder and key when asked, not a string of its own (~90 bytes per
    paper). Equal to the GeneratedPage of the same path, text, nav and title."""

    __slots__ = ("_folder", "_key")
    _folder: str
    _key: str

    def __init__(self, folder: str, key: str, content: str, title: str | None) -> None:
        put = object.__setattr__
        put(self, "_folder", folder)
        put(self, "_key", key)
        put(self, "content", content)
        put(self, "in_nav", False)
        put(self, "title", title)

    @property  # type: ignore[override]
    def path(self) -> str:
        return _paper_path(self._folder, self._key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GeneratedPage):
            return NotImplemented
        return (self.path, self.content, self.in_nav, self.title) == (other.path, other.content, other.in_nav,
                                                                       other.title)

    __hash__ = GeneratedPage.__hash__


def _paper_path(folder: str, key: str) -> str:
    return f"{folder}/papers/{page_name(key)}.md"


def _title(text: str) -> str:
    """A page's title as its front matter carries it (see paths.front_matter)."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class CorpusView:
    """What the pages need of a corpus, so this module does not depend on the pipeline."""

    papers: Sequence[Paper]
    taxonomy_names: Sequence[str]
    # The corpus's own link tables (read only here): not copies, which a 100k-paper site held
    # beside them through the whole pages stage (~40 bytes per paper).
    mentions: Mapping[str, tuple[str, ...]]
    mentioned_by: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]
    datasets: Mapping[str, tuple[str, ...]]
    paper_datasets: Mapping[str, tuple[str, ...]]
    sources: Sequence[tuple[str, str, int]]  # (file, format, records)
    header_topics: Sequence[tuple[str, str]]  # (listing, "Human Pose ×7 · ...")
    # The site's .bib file's entries when they are more than `papers` (biblatex's @set and
    # @xdata: entries of the file, with no page); None: `papers`.
    bib_papers: Sequence[Paper] | None = None


T = TypeVar("T")


class JoinedEntries(Mapping[str, str]):
    """Every paper's BibTeX entry, held as the text of the site's .bib file that joins them all
    (the sources' blocks, then the entries in export order, as `_bibtex_file` writes it) and
    each entry's place in it: one copy of the entries' text instead of two (a dict of entries
    and the file made of them). An entry asked for is cut out of the file's text.

    For a one-shot run (the CLI, bench.core): a serve process keeps each entry in its memo."""

    _BATCH = 512  # entries joined at a time: the loose entries held at once while joining

    def __init__(self, papers: Iterable[Paper], entry: Callable[[Paper], str]) -> None:
        chosen = export_order(papers)
        # `papers` when this text is their .bib file as _bibtex_file writes it (no merged
        # entry's key left to another paper): checked now, not again at the run's end, where
        # its sets of every key (~0.3 KB per paper) were the peak of a run holding every page.
        self.papers: Iterable[Paper] | None = papers if not keys_left_to_others(chosen) else None
        self.given = papers  # (the papers given, whatever their entries' keys)
        head = blocks_text(chosen)
        self._papers = tuple(chosen)  # in the order of their entries in `text`
        self._index = {paper.key: number for number, paper in enumerate(chosen)}
        self._starts = array("q")
        start = len(head) + 1 if head and chosen else 0
        chunks: list[str] = []
        batch: list[str] = []
        for paper in chosen:
            text = entry(paper)
            self._starts.append(start)
            start += len(text) + 1  # the "\n" between two entries
            batch.append(text)
            if len(batch) == self._BATCH:
                chunks.append("\n".join(batch))
                batch = []
        if batch:
            chunks.append("\n".join(batch))
        del batch
        body = "\n".join(chunks)
        del chunks
        self.text = f"{head}\n{body}" if head and body else head or body
        self._starts.append(len(self.text) + 1)

    def __getitem__(self, key: str) -> str:
        number = self._index[key]
        return self.text[self._starts[number]:self._starts[number + 1] - 1]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return (paper.key for paper in self._papers)

    def __len__(self) -> int:
        return len(self._papers)

    @property
    def order(self) -> tuple[str, ...]:
        """The keys of the entries, in their order in `text`."""
        return tuple(self)

    def paper(self, key: str) -> Paper | None:
        """The paper of a key, by the same index as its entry (see _Run.by_key)."""
        number = self._index.get(key)
        return None if number is None else self._papers[number]


class _PapersByKey:
    """key -> paper for the pages of a one-shot run, looked up in its JoinedEntries' index: not
    a second dict of every key (~50 bytes per paper at 100k, held to the run's end)."""

    __slots__ = ("_entries",)

    def __init__(self, entries: JoinedEntries) -> None:
        self._entries = entries

    def get(self, key: str) -> Paper | None:
        return self._entries.paper(key)


class Link(NamedTuple):
    """A link to a page of the site (a topic, a dataset): printed, `[name](href)`."""

    name: str
    href: Md

    def __html__(self) -> str:
        return f"[{md(self.name)}]({self.href})"


class Listed(NamedTuple):
    """A paper in a list (mentions, related papers, a dataset's): printed, its title linked,
    then its short name when the title does not hold it."""

    title: str
    href: Md
    name: str  # the short name, or ""
    paper: Paper

    def __html__(self) -> str:
        return f"[{md(self.title)}]({self.href})" + (f" ({md(self.name)})" if self.name else "")


class Section(NamedTuple):
    title: str
    papers: list[Listed]


class _Version:
    """A paper as a memo key part: the same paper (the very object, or an equal one a rebuild
    made again from unchanged records). Hashed by its key, so a Paper is compared whole only
    with last run's paper of the same key, and only when that is not the very object."""

    __slots__ = ("paper",)

    def __init__(self, paper: Paper) -> None:
        self.paper = paper

    def __hash__(self) -> int:
        return hash(self.paper.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Version) and (other.paper is self.paper or other.paper == self.paper)


class _Site:
    """Where each generated thing lives, and relative links between them."""

    def __init__(self, corpus: CorpusView, options: PageOptions) -> None:
        self.options = options
        self.corpus = corpus
        self.topic_pages: dict[str, list[list[Paper]]] = {}
        of_topic: dict[str, list[Paper]] = {topic: [] for topic in corpus.taxonomy_names}
        for paper in corpus.papers:  # one pass, corpus order kept within each topic
            for topic in paper.topics:
                bucket = of_topic.get(topic)
                if bucket is not None:
                    bucket.append(paper)
        # Each topic's members sorted by their sort keys made for that sort (a table of every
        # paper's sort key, made once, was ~0.25 KB per paper of small objects at once).
        for topic in corpus.taxonomy_names:
            members = sorted(of_topic[topic], key=_newest_first)
            if members:
                size = options.topic_page_size or len(members)
                self.topic_pages[topic] = [members[i:i + size] for i in range(0, len(members), size)]
        self.home = f"{options.folder}/index.md"
        self.datasets = f"{options.folder}/datasets.md"
        self.untagged = f"{options.folder}/untagged.md"  # the papers on no topic page
        self._paper_topic_page: dict[str, str] = {}  # where a paper is on a topic page (the first)
        self._forgot = False  # forget_topic_pages was called
        for topic, chunks in self.topic_pages.items():
            for number, chunk in enumerate(chunks, start=1):
                path = self.topic_path(topic, number)  # one string per topic page, not per paper
                for paper in chunk:
                    self._paper_topic_page.setdefault(paper.key, path)

    def forget_topic_pages(self) -> None:
        """Let go of the topic pages' papers and of where each paper is on them, once every topic
        page, the home and the page of papers on no topic are made: with paper pages, the pages
        made after them (each paper's) ask for neither (at 100k papers, ~0.07 KB per paper that
        the paper pages take instead of new memory)."""
        if not self.options.paper_pages:
            raise ValueError("links to papers need their places on topic pages")  # (paper_target)
        self.topic_pages.clear()
        self._paper_topic_page.clear()
        self._forgot = True

    def topic_path(self, topic: str, page: int = 1) -> str:
        suffix = "" if page == 1 else f"-{page}"
        return f"{self.options.folder}/topics/{slugify(topic)}{suffix}.md"

    def topic_bib(self, topic: str) -> str:
        return f"{self.options.folder}/topics/{slugify(topic)}.bib"

    def paper_path(self, paper: Paper) -> str:
        return _paper_path(self.options.folder, paper.key)

    def paper_target(self, paper: Paper) -> str:
        """Where a link to the paper goes: its page, or its entry on a topic page."""
        if self.options.paper_pages:
            return self.paper_path(paper)
        page = self._paper_topic_page.get(paper.key, self.untagged)
        return f"{page}#{paper.key}"

    def on_a_topic_page(self, paper: Paper) -> bool:
        if self._forgot:
            raise RuntimeError("asked where a paper is on the topic pages after forget_topic_pages")
        return paper.key in self._paper_topic_page

    def untagged_papers(self) -> list[Paper]:
        """The papers on no topic page, newest first, on a page of their own (in full without
        paper pages, so that every link to a paper lands; else linked to their pages, so that
        the reading list reaches every paper: a user's .bib may match no topic at all)."""
        return sorted((p for p in self.corpus.papers if not self.on_a_topic_page(p)), key=_newest_first)

    @staticmethod
    def link(from_page: str, to: str) -> Md:
        """A relative link from one generated page to another (or an anchor on it)."""
        target, _, anchor = to.partition("#")
        relative = relpath(target, from_page.rpartition("/")[0])
        if relative == from_page.rpartition("/")[2] and anchor:
            return Md(f"#{anchor}")
        return Md(relative + (f"#{anchor}" if anchor else ""))


class _Run:
    """One run of generate_pages: the site, its templates, the entries, and the recall of
    work kept across runs (with what was made counted)."""

    def __init__(self, site: _Site, references: Mapping[str, str], entries: Mapping[str, str] | None,
                 recall: Recall, counts: MutableMapping[str, int] | None) -> None:
        self.site = site
        self.options = site.options
        self.references = references
        self.entries: Mapping[str, str] = entries if entries is not None else {}
        self._entries_made: dict[str, str] = {}  # those not given, rendered here
        self.by_key: dict[str, Paper] | _PapersByKey
        if isinstance(entries, JoinedEntries) and entries.given is (site.corpus.bib_papers or site.corpus.papers):
            self.by_key = _PapersByKey(entries)  # (the very papers: their entries' index)
        else:
            self.by_key = {p.key: p for p in site.corpus.papers}
        self.env = environment(site.options.templates)
        self.same_env = Same(self.env)  # a changed user template: nothing is taken from the memo
        self._templates: dict[str, jinja2.Template] = {}
        self._recall = recall
        self._keeps = recall is not make_now and getattr(recall, "keep", True)
        self.keeps = self._keeps  # what this run makes is kept for a next one
        self.counts: MutableMapping[str, int] = counts if counts is not None else {}
        self._tokens: dict[str, object] = {}
        self.shared = Memo()  # made in this run, for reuse within it (a paper is on several topics)
        # The same for the papers' topic entries by folder, when no memo keeps them across runs.
        self.joined: dict[str, JoinedTexts] | None = None if self._keeps else {}

    def template(self, name: str) -> jinja2.Template:
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = get_template(self.env, name)
        return found

    def render(self, name: str, context: dict[str, Any]) -> str:
        return render(self.template(name), context)

    def recall(self, kind: str, key: Callable[[], tuple[Any, ...]], make: Callable[[], T]) -> T:
        """make(), or what an earlier run made of the same inputs (`key()`, worked out only when
        a memo keeps results); what is made is counted as `<kind> rendered`."""
        def counted() -> T:
            self.counts[kind + " rendered"] = self.counts.get(kind + " rendered", 0) + 1
            return make()
        if not self._keeps:  # keeps nothing (make_now, a one-shot run's memo): no key is made
            return self._recall(kind, counted)
        return self._recall((kind, *key(), self.same_env), counted)

    def token(self, paper: Paper) -> object:
        """The paper as a key part of other keys: an object that stays the same across runs while
        the paper does (the same object, or an equal one a rebuild made again), so keys of many
        papers (a topic page, a .bib file) are hashed and compared by identity."""
        found = self._tokens.get(paper.key)
        if found is None:
            found = self._tokens[paper.key] = self._recall(("paper", _Version(paper)), object)
        return found

    def entry(self, paper: Paper) -> str:
        text = self.entries.get(paper.key)
        if text is None:
            text = self._entries_made.get(paper.key)
            if text is None:
                text = self._entries_made[paper.key] = entry_text(paper, self.options.omit_fields)
        return text


_INVERT_DIGITS = {ord(c): chr(0x10FFFF - ord(c)) for c in "0123456789-"}


def _newest_first(paper: Paper) -> tuple[str, str]:
    date = paper.date if paper.date and not paper.date.startswith("--") else f"{paper.year or 0:04d}"
    if date.isascii() and not date.strip("0123456789-"):  # ISO dates, years: one translate
        inverted = date.translate(_INVERT_DIGITS)
    else:
        inverted = "".join(chr(0x10FFFF - ord(c)) for c in date)
    return inverted, (paper.title or paper.key).lower()


def natural_order(name: str) -> str:
    """A name as a reader reads it: BibTeX's `Cao, Zhe` is `Zhe Cao` and `Ford, Jr., Henry` is
    `Henry Ford, Jr.`; a list of names in `Last, First` form, joined by commas, cannot be told apart.
    An organisation an override braces (`{Google DeepMind}`: one name to BibTeX) is its text."""
    if name.startswith("{") and name.endswith("}") and name.count("{") == 1 and name.count("}") == 1:
        return name[1:-1]
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):
        return f"{parts[2]} {parts[0]}, {parts[1]}"
    return name


def _facts(paper: Paper) -> Md:
    parts = []
    if paper.short_name:
        parts.append(f"**{md(paper.short_name)}**")
    if paper.venue:
        parts.append(md(paper.venue))
    if paper.date:
        parts.append(md(paper.date.removeprefix("--")) if not paper.date.startswith("--") else md(paper.date[2:]) + " (year unknown)")
    elif paper.year and str(paper.year) not in (paper.venue or ""):  # (`CVPR 2024` says it already)
        parts.append(str(paper.year))
    if paper.author_count and "others" in paper.authors:  # BibTeX's `and others`: more than the names given
        parts.append(f"at least {paper.author_count + 1} authors")
    elif paper.author_count:
        parts.append(f"{paper.author_count} author{'s' if paper.author_count != 1 else ''}")
    elif paper.organisation:
        parts.append(md(paper.organisation))
    return Md(" · ".join(parts))


# (`web`: a .bib entry's own `url`, a publisher's or an author's page, not a project's)
_LINK_LABELS = {"code": "Code", "openreview": "OpenReview", "pdf": "PDF", "project": "Project", "web": "Web page"}


def link_list(paper: Paper) -> list[Md]:
    """The paper's links (arXiv, PDF, DOI, code, project pages) as Markdown links."""
    links = []
    if paper.arxiv_id:
        links.append(Md(f"[arXiv:{md(paper.arxiv_id)}](https://arxiv.org/abs/{href(paper.arxiv_id)})"))
        links.append(Md(f"[PDF](https://arxiv.org/pdf/{href(paper.arxiv_id)})"))
    doi = bare_doi(dict(paper.fields).get("doi") or "")
    if doi:
        links.append(Md(f"[DOI:{md(doi)}]({url_filter(f'https://doi.org/{doi}')})"))
    for kind, url in paper.urls:
        if kind == "pdf" and paper.arxiv_id:
            continue
        links.append(Md(f"[{_LINK_LABELS.get(kind, 'Project')}]({url_filter(url)})"))
    return links


def _links(paper: Paper) -> str:
    return " · ".join(link_list(paper))


def _neighbours(run: _Run, paper: Paper) -> tuple[Any, ...]:
    """All a paper's body shows of other papers: names, targets, the lists they are in."""
    corpus = run.site.corpus
    shown = []
    for keys in (corpus.mentions.get(paper.key, ()), corpus.mentioned_by.get(paper.key, ()),
                 corpus.related.get(paper.key, ())):
        shown.append(tuple((k, o.title, o.short_name, run.site.paper_target(o)) if (o := run.by_key.get(k)) is not None
                           else (k,) for k in keys))
    return (*shown, corpus.paper_datasets.get(paper.key, ()))


def _paper_items(run: _Run, here: str, keys: Iterable[str]) -> list[Listed]:
    """The papers of a list (mentions, related, a dataset's), those in the corpus."""
    items = []
    for key in keys:
        other = run.by_key.get(key)
        if other is not None:
            name = other.short_name if other.short_name and other.short_name not in (other.title or "") else ""
            items.append(Listed(other.title or other.key, run.site.link(here, run.site.paper_target(other)), name, other))
    return items


def _paper_context(run: _Run, here: str, paper: Paper, page: bool) -> dict[str, Any]:
    """What paper.md.j2 is given: on the paper's own page (`page`), or for its entry in full on
    a topic page or the page of papers on no topic."""
    site = run.site
    corpus = site.corpus
    lists = []
    for title, keys in (("Mentions", corpus.mentions.get(paper.key, ())),
                        ("Mentioned by", corpus.mentioned_by.get(paper.key, ())),
                        ("Related papers", corpus.related.get(paper.key, ()))):
        items = _paper_items(run, here, keys)
        if items:
            lists.append(Section(title, items))
    show_topics = not run.options.cite_only  # a site that only cites has no topic pages
    return {
        "paper": paper, "page": page, "heading": Md("##" if page else "###"), "front_matter": Md(""),
        "title": paper.title or f"Untitled ({paper.arxiv_id or paper.key})",
        "facts": _facts(paper),
        "authors": [natural_order(a) for a in paper.authors if a != "others"],
        "more_authors": "others" in paper.authors,
        "links": link_list(paper),
        "topics": [Link(t, site.link(here, site.topic_path(t))) for t in paper.topics] if show_topics else [],
        "entry": run.entry(paper),
        "reference": run.references.get(paper.key) or "",
        "lists": lists,
        "datasets": [Link(d, Md(f"{site.link(here, site.datasets)}#{dataset_anchor(d)}"))
                     for d in corpus.paper_datasets.get(paper.key, ())],
        "sources": [str(s) for s in paper.provenance],
    }


def generate_pages(corpus: CorpusView, options: PageOptions, references: dict[str, str],
                   progress: Callable[[str], None] | None = None, entries: Mapping[str, str] | None = None,
                   recall: Recall = make_now, counts: MutableMapping[str, int] | None = None,
                   references_given_away: bool = False) -> list[GeneratedPage]:
    """Every generated file. `entries` are the papers' BibTeX entries by key (rendered here
    when missing); `recall` gives what an earlier run made from the same inputs (memo.py);
    `counts` gets the pages and entries actually rendered, by kind. A mistake in a user's
    template raises templates.TemplateError (its file and line).

    `references_given_away` (a one-shot run, whose caller asks no more of `references`): each
    paper's reference is let go of, taken out of `references`, once its paper page holds it;
    a run that keeps every page's text to its end then does not hold them twice."""
    run = _Run(_Site(corpus, options), references, entries, recall, counts)
    site = run.site
    if options.cite_only:
        if not options.paper_pages:
            return []
        return [_paper_page(run, paper) for paper in corpus.papers if paper.key in options.cited]
    pages = [_home(run), _datasets(run)]
    untagged = site.untagged_papers()
    if untagged:
        pages.append(_untagged_page(run, untagged))
    for topic, chunks in site.topic_pages.items():
        facts = _topic_facts(run, topic)
        for number, chunk in enumerate(chunks, start=1):
            pages.append(_topic_page(run, topic, number, len(chunks), chunk, facts))
        pages.append(GeneratedPage(site.topic_bib(topic), _bibtex_file(run, (p for chunk in chunks for p in chunk)),
                                   in_nav=False))
    run.shared = Memo()  # the papers' topic entries: every topic page is made
    run.joined = None if run.joined is None else {}
    if options.paper_pages:  # every link to a paper goes to its page now: what the topic pages needed goes
        site.forget_topic_pages()
    table = len(references)  # entries the references' table was sized for
    if options.paper_pages:
        for number, paper in enumerate(corpus.papers, start=1):
            if progress and number % 2000 == 0:
                progress(f"paper pages: {number}/{len(corpus.papers)}")
            pages.append(_paper_page(run, paper))
            if references_given_away:  # its page is the one thing that shows it
                references.pop(paper.key, None)
                if len(references) * 2 < table:  # half its table empty: the same dict, a smaller table
                    left = dict(references)
                    references.clear()
                    references.update(left)
                    table = len(references)
    pages.append(GeneratedPage(options.bib_file, _bibtex_file(run, corpus.bib_papers or corpus.papers), in_nav=False))
    return pages


def _bibtex_file(run: _Run, papers: Iterable[Paper]) -> str:
    """write_bibtex(papers), from the entries already rendered: bibtexparser writes a library
    as its entries sorted by key, each as write_bibtex writes it alone, joined by the block
    separator ("\n"); tests/test_scaling.py checks that this stays so."""
    joined = run.entries
    if isinstance(joined, JoinedEntries) and joined.papers is not None and joined.papers is papers:
        # the very file (the site's .bib), made when the entries were, in its order
        return run.recall("bibtex files", lambda: tuple(run.token(p) for p in export_order(papers)),
                          lambda: joined.text)
    chosen = export_order(papers)  # keys are unique, case aside: write_bibtex's order

    def make() -> str:
        # A merged entry's key that another paper has (in any case) is left to that paper, as
        # write_bibtex leaves it: bibtex stops at a repeated key. Rare: most corpora have none.
        left = keys_left_to_others(chosen)
        if not left and isinstance(joined, JoinedEntries) and len(joined) == len(chosen) \
                and all(key == p.key for key, p in zip(joined, chosen, strict=True)):
            return joined.text  # the very file (the site's .bib): made when the entries were
        head = blocks_text(chosen)  # the sources' @string, @preamble and @comment blocks
        body = "\n".join(entry_text(p, run.options.omit_fields, left[p.key]) if p.key in left else run.entry(p)
                         for p in chosen)
        return f"{head}\n{body}" if head and body else head or body

    return run.recall("bibtex files", lambda: tuple(run.token(p) for p in chosen), make)


def _paper_page(run: _Run, paper: Paper) -> GeneratedPage:
    here = run.site.paper_path(paper)

    def make() -> GeneratedPage:
        context = _paper_context(run, here, paper, True)
        title = plain_text(context["title"])  # <title>, the nav, a social card: math as text (`α`, not `\(\alpha\)`)
        meta: dict[str, object] = {"title": title}
        if run.options.papers_in_tags_index:
            meta["tags"] = list(paper.topics)
        context["front_matter"] = Md(front_matter(meta))
        if not run.keeps:  # a one-shot run: the page's path is not held (_PaperPage)
            return _PaperPage(run.options.folder, paper.key, run.render("paper.md.j2", context), _title(title))
        return GeneratedPage(here, run.render("paper.md.j2", context), in_nav=False, title=_title(title))

    return run.recall("paper pages", lambda: (here, run.token(paper), run.references.get(paper.key), run.entry(paper),
                                              _neighbours(run, paper)), make)


def _paper_entry(run: _Run, here: str, paper: Paper) -> Md:
    """A paper in full on a topic page or the untagged page (no paper pages)."""
    return run.recall("topic bodies", lambda: (here, run.token(paper), run.references.get(paper.key), run.entry(paper),
                                               _neighbours(run, paper)),
                      lambda: Md(run.render("paper.md.j2", _paper_context(run, here, paper, False))))


def _topic_entry(run: _Run, here: str, paper: Paper) -> Md:
    """A paper's entry on a topic page (with paper pages): the same on every topic page of a
    folder, so made once per run (a paper is on several topics) and kept across runs."""
    folder = here.rpartition("/")[0]

    def make() -> Md:
        context = {"paper": paper, "title": paper.title or f"Untitled ({paper.arxiv_id or paper.key})",
                   "href": run.site.link(here, run.site.paper_path(paper)), "facts": _facts(paper)}
        return Md(run.render("topic_entry.md.j2", context))

    def made() -> Md:
        return run.recall("topic entries", lambda: (folder, run.token(paper)), make)

    if run.joined is not None:  # nothing kept across runs: the entries held joined (memo.JoinedTexts)
        texts = run.joined.get(folder)
        if texts is None:
            texts = run.joined[folder] = JoinedTexts()
        return Md(texts(paper.key, made))
    return run.shared((folder, paper.key), made)


def _topic_facts(run: _Run, topic: str) -> Md:
    """A topic's header line (topic_facts.md.j2), the same on each of its pages."""
    members = [p for chunk in run.site.topic_pages[topic] for p in chunk]
    venues = Counter(p.venue for p in members if p.venue)
    years = Counter(p.year for p in members if p.year)
    return Md(run.render("topic_facts.md.j2", {
        "topic": topic, "count": len(members),
        "venues": [{"name": v, "count": n} for v, n in venues.most_common(6)],
        "years": [{"year": y, "count": n} for y, n in sorted(years.items(), reverse=True)[:6]]}))


class _Entries(Sequence[Md]):
    """The papers' entries on a topic page (their `_topic_entry`), each made when the page's
    template asks for it: a page of thousands of papers does not hold them all at once."""

    def __init__(self, run: _Run, here: str, papers: Sequence[Paper]) -> None:
        self.run, self.here, self.papers = run, here, papers

    @overload
    def __getitem__(self, index: int) -> Md: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Md]: ...

    def __getitem__(self, index: int | slice) -> Md | Sequence[Md]:
        if isinstance(index, slice):
            return [_topic_entry(self.run, self.here, paper) for paper in self.papers[index]]
        return _topic_entry(self.run, self.here, self.papers[index])

    def __iter__(self) -> Iterator[Md]:
        for paper in self.papers:
            yield _topic_entry(self.run, self.here, paper)

    def __len__(self) -> int:
        return len(self.papers)


def _topic_page(run: _Run, topic: str, number: int, total: int, papers: Sequence[Paper], facts: Md) -> GeneratedPage:
    site = run.site
    here = site.topic_path(topic, number)

    def make() -> GeneratedPage:
        shown: Sequence[Md]
        if site.options.paper_pages and run.joined is not None:
            shown = _Entries(run, here, papers)  # each made as the page is: never all at once
        elif site.options.paper_pages:
            shown = [_topic_entry(run, here, paper) for paper in papers]
        else:
            shown = [_paper_entry(run, here, paper) for paper in papers]
        context = {
            "front_matter": Md(front_matter({"title": topic})), "topic": topic, "facts": facts,
            "number": number, "papers": papers, "entries": shown,
            "pages": [{"number": n, "href": site.link(here, site.topic_path(topic, n))} for n in range(1, total + 1)],
            "bib_href": site.link(here, site.topic_bib(topic)), "home_href": site.link(here, site.home)}
        # Only a topic's first page goes in the nav (the others are linked from it): Material
        # renders the whole nav into every page, so a nav of every page of every topic makes a
        # paginated site's build grow with pages x topic pages (measured: 2.2x at 10k papers).
        return GeneratedPage(here, run.render("topic.md.j2", context), in_nav=number == 1, title=_title(topic))

    if not site.options.paper_pages:  # the bodies are kept one by one; the page is joined again
        return make()
    return run.recall("topic pages", lambda: (here, topic, total, str(facts), tuple(run.token(p) for p in papers)),
                      make)


def _home(run: _Run) -> GeneratedPage:
    site = run.site
    corpus = site.corpus
    here = site.home
    papers = corpus.papers
    counts = Counter(t for p in papers for t in p.topics)
    untagged = sum(1 for p in papers if not site.on_a_topic_page(p))
    venues = Counter(p.venue for p in papers if p.venue)
    years = Counter(p.year for p in papers if p.year)
    newest = sorted((p for p in papers if p.date and not p.date.startswith("--")), key=_newest_first)[:10]
    context = {
        "front_matter": Md(front_matter({"title": site.options.title})), "title": site.options.title,
        "papers": len(papers), "sources": corpus.sources, "header_topics": corpus.header_topics,
        "bib_href": site.link(here, site.options.bib_file), "datasets_href": site.link(here, site.datasets),
        "top_topics": [{"name": t, "href": site.link(here, site.topic_path(t)), "count": n}
                       for t, n in counts.most_common(6)],
        "topics": [{"name": t, "href": site.link(here, site.topic_path(t)), "count": counts[t]}
                   for t in corpus.taxonomy_names if counts.get(t)],
        "untagged": untagged,
        "untagged_href": site.link(here, site.untagged),
        "venues": [{"name": v, "count": n} for v, n in sorted(venues.items(), key=lambda kv: (-kv[1], kv[0]))],
        "years": [{"year": y, "count": n} for y, n in sorted(years.items(), reverse=True)],
        "newest": [{"date": p.date, "title": p.title or p.key, "href": site.link(here, site.paper_target(p)),
                    "paper": p} for p in newest],
    }
    return GeneratedPage(here, run.render("home.md.j2", context), title=_title(site.options.title))


def dataset_anchor(name: str) -> str:
    return "dataset-" + slugify(name.replace("+", " plus "))


def _datasets(run: _Run) -> GeneratedPage:
    here = run.site.datasets
    datasets = [{"name": name, "anchor": dataset_anchor(name), "count": len(keys),
                 "papers": _paper_items(run, here, keys)} for name, keys in run.site.corpus.datasets.items()]
    context = {"front_matter": Md(front_matter({"title": "Datasets & benchmarks"})), "datasets": datasets}
    return GeneratedPage(here, run.render("datasets.md.j2", context), title=_title("Datasets & benchmarks"))


def _untagged_page(run: _Run, papers: Sequence[Paper]) -> GeneratedPage:
    """The papers on no topic page: in full without paper pages, else as on topic pages."""
    here = run.site.untagged
    entry = _topic_entry if run.site.options.paper_pages else _paper_entry
    context = {"front_matter": Md(front_matter({"title": "Papers on no topic"})), "papers": papers,
               "entries": [entry(run, here, paper) for paper in papers],
               "home_href": run.site.link(here, run.site.home)}
    return GeneratedPage(here, run.render("untagged.md.j2", context), in_nav=False, title=_title("Papers on no topic"))


def paper_targets(corpus: CorpusView, options: PageOptions) -> dict[str, str]:
    """key -> where a link to the paper goes (its page, or its anchor on a topic page or the
    page of papers on no topic): the targets the generated pages themselves link to."""
    site = _Site(corpus, options)
    return {paper.key: site.paper_target(paper) for paper in corpus.papers}
