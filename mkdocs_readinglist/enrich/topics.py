"""Topics from a taxonomy of keyword rules: the built-in one, extended or replaced by the user."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache, partial
from importlib import resources
from typing import Any

import yaml

from ..memo import Recall, Same, make_now
from ..model import Paper
from ..text import slugify


class TaxonomyError(ValueError):
    """A taxonomy or a topic name the user wrote is wrong: stops the build."""


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    slug: str
    keywords: tuple[str, ...]
    description: str = ""
    threshold: int = 2


_TOKEN = re.compile(r"[a-z0-9]+")
# An ASCII text's tokens, fast: every byte but [a-z0-9] becomes a space, then split.
_ASCII_WORDS = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Taxonomy:
    """Topics and their rules. A topic fires on a title hit, or on `threshold` distinct
    keyword hits in the summary and abstract (an abstract says "benchmark" in passing)."""

    topics: tuple[Topic, ...]

    @cached_property
    def _index(self) -> tuple[dict[str, set[int]], dict[str, list[tuple[str, int]]]]:
        single: dict[str, set[int]] = {}
        phrases: dict[str, list[tuple[str, int]]] = {}
        for index, topic in enumerate(self.topics):
            for keyword in topic.keywords:
                words = tokens(keyword)
                if len(words) == 1:
                    single.setdefault(words[0], set()).add(index)
                elif words:
                    phrases.setdefault(words[0], []).append((" " + " ".join(words) + " ", index))
        return single, phrases

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)

    def by_name(self) -> dict[str, Topic]:
        return {t.name: t for t in self.topics}

    @cached_property
    def _ascii_index(self) -> tuple[dict[bytes, set[int]], dict[bytes, list[tuple[bytes, int]]]]:
        """_index in bytes (keywords are ASCII: their tokens are [a-z0-9]+)."""
        single, phrases = self._index
        return ({word.encode(): indexes for word, indexes in single.items()},
                {word.encode(): [(phrase.encode(), index) for phrase, index in entries]
                 for word, entries in phrases.items()})

    def _text_hits(self, text: str) -> dict[int, int]:
        """_hits(tokens(text)); for ASCII (most texts) on bytes, 2-3x faster than the regex."""
        lower = text.lower()
        if lower.isascii():
            single, phrases = self._ascii_index
            return _hits_in(lower.encode().translate(_ASCII_WORDS).split(), single, phrases, b" ")
        return self._hits(_TOKEN.findall(lower))

    def _hits(self, words: list[str]) -> dict[int, int]:
        """topic index -> number of distinct keywords of it found among the words."""
        single, phrases = self._index
        return _hits_in(words, single, phrases, " ")

    def match_paper(self, title: str, body: str) -> tuple[str, ...]:
        title_hits = self._text_hits(title) if title else {}
        body_hits = self._text_hits(body) if body else {}
        return tuple(
            topic.name for index, topic in enumerate(self.topics)
            if title_hits.get(index) or body_hits.get(index, 0) >= topic.threshold)

    def match(self, text: str) -> tuple[str, ...]:
        """The topics whose rules fire on a text, in taxonomy order."""
        return self.match_paper(text, "")

    def resolve(self, name: str, where: str = "") -> str:
        """A topic name the user wrote, checked: unknown names stop with a suggestion."""
        known = {t.name.lower(): t.name for t in self.topics} | {t.slug: t.name for t in self.topics}
        found = known.get(name.lower()) or known.get(slugify(name))
        if found:
            return found
        close = difflib.get_close_matches(name, list(self.names) + [t.slug for t in self.topics], n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise TaxonomyError(f"{where}unknown topic {name!r}.{hint} Valid topics: {', '.join(self.names)}")


def _hits_in(words: Sequence[Any], single: Mapping[Any, set[int]], phrases: Mapping[Any, list[tuple[Any, int]]],
             space: Any) -> dict[int, int]:
    """topic index -> number of distinct keywords of it among the words (str or bytes alike)."""
    present = set(words)
    hits: dict[int, int] = {}
    for word in present.intersection(single):
        for index in single[word]:
            hits[index] = hits.get(index, 0) + 1
    starts = present.intersection(phrases)
    if starts:
        joined = space + space.join(words) + space
        for word in starts:
            for phrase, index in phrases[word]:
                if phrase in joined:
                    hits[index] = hits.get(index, 0) + 1
    return hits


def topics_from_data(data: Any, origin: str) -> list[Topic]:
    if isinstance(data, Mapping):
        data = data.get("topics", data)
    if isinstance(data, Mapping):  # {name: [keywords]}
        data = [{"name": k, "keywords": v} for k, v in data.items()]
    if not isinstance(data, Sequence) or isinstance(data, str):
        raise TaxonomyError(f"{origin}: a taxonomy is a list of topics, each with `name` and `keywords`")
    topics = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise TaxonomyError(f"{origin}: topic #{index} needs a `name` (text) and `keywords` (a list)")
        keywords = item.get("keywords") or []
        if isinstance(keywords, str) or not all(isinstance(k, str) for k in keywords):
            raise TaxonomyError(f"{origin}: topic {item['name']!r}: `keywords` must be a list of words or phrases")
        threshold = item.get("threshold", 2)
        if not isinstance(threshold, int) or threshold < 1:
            raise TaxonomyError(f"{origin}: topic {item['name']!r}: `threshold` must be a whole number >= 1")
        topics.append(Topic(item["name"], slugify(item["name"]), tuple(keywords),
                            str(item.get("description", "")), threshold))
    return topics


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The built-in taxonomy (immutable: parsed once per process, not once per build)."""
    text = resources.files(__package__).joinpath("taxonomy.yml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: 10x faster, same data
    return Taxonomy(tuple(topics_from_data(yaml.load(text, Loader=loader), "built-in taxonomy")))


def load_taxonomy_text(text: str, origin: str) -> list[Topic]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{origin}: not valid YAML: {exc}") from exc
    return topics_from_data(data, origin)


def build_taxonomy(extra: Iterable[Topic] = (), replace_default: bool = False) -> Taxonomy:
    """The default taxonomy, extended by (or replaced with) the user's topics; slugs must differ."""
    topics: dict[str, Topic] = {} if replace_default else {t.name: t for t in default_taxonomy().topics}
    for topic in extra:
        if topic.name in topics:  # extending a built-in topic adds keywords
            old = topics[topic.name]
            topic = replace(old, keywords=tuple(dict.fromkeys(old.keywords + topic.keywords)),
                            description=topic.description or old.description)
        topics[topic.name] = topic
    slugs: dict[str, str] = {}
    for topic in topics.values():
        if topic.slug in slugs:
            raise TaxonomyError(f"topics {slugs[topic.slug]!r} and {topic.name!r} would share the page "
                                f"`{topic.slug}`; rename one of them")
        slugs[topic.slug] = topic.name
    return Taxonomy(tuple(topics.values()))


def tag_papers(papers: Iterable[Paper], taxonomy: Taxonomy, matches: Recall = make_now,
               tagged: Recall = make_now) -> tuple[Paper, ...]:
    """Topics from the rules, after the topics a source or the user gave.

    Two kinds of work, each named by its inputs (the taxonomy is the setting of the memos a
    caller passes): `matches` the rules' topics of a text, by (title, summary, abstract), so
    a paper that changed elsewhere is not matched again; `tagged` a paper with its topics, by
    the very paper, so an unchanged paper stays the very object later stages recall by."""

    def match(paper: Paper) -> tuple[str, ...]:
        body = " ".join(t for t in (paper.summary, paper.abstract) if t)
        return taxonomy.match_paper(paper.title or "", body)

    # Papers with the same topics share one tuple of them (a few hundred distinct tuples for
    # 100k papers: ~60 bytes per paper of a one-shot run's peak).
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}

    def tag(paper: Paper) -> Paper:
        found = matches((paper.title, paper.summary, paper.abstract), lambda: match(paper))
        topics = tuple(dict.fromkeys(paper.topics + found))
        if topics == paper.topics:
            return paper
        return replace(paper, topics=shared.setdefault(topics, topics))

    return tuple(tagged(Same(paper), partial(tag, paper)) for paper in papers)
