"""Links between papers: mentions by short name (and their backlinks), related papers,
and the datasets papers name. Every step is a hash lookup or a bounded scan: no O(n^2).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ..model import Paper

_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-+.]*[A-Za-z0-9+]|[A-Z0-9]{2,}")
_WORD = re.compile(r"[a-z][a-z0-9\-]{3,}")
_DATASET_PHRASE = re.compile(
    r"\b(?:the|on|of|from)\s+([A-Z][A-Za-z0-9.\-+]*[A-Z0-9][A-Za-z0-9.\-+]*)\s+(?:dataset|benchmark)s?\b")
_COMMON = frozenset(
    "this that with from their these have been which while where there other using based model "
    "models method methods approach results paper propose proposed show shows data learning human "
    "humans framework performance state task tasks network training existing novel first new".split())
RELATED_PER_PAPER = 5
POSTING_CAP = 40  # a term shared by more papers than this says nothing about relatedness


@dataclass(frozen=True, slots=True)
class Links:
    mentions: Mapping[str, tuple[str, ...]]  # key -> keys it names
    mentioned_by: Mapping[str, tuple[str, ...]]  # key -> keys that name it
    related: Mapping[str, tuple[str, ...]]
    datasets: Mapping[str, tuple[str, ...]]  # dataset name -> keys of papers naming it
    paper_datasets: Mapping[str, tuple[str, ...]]
    comparisons: int = 0  # candidate pairs scored: the deterministic measure of the work


def _is_name(name: str) -> bool:
    """A short name worth linking: `GraphCape`, `LASSIE`, `MP-100`, not `Pose` or `the`."""
    return len(name) >= 3 and " " not in name and any(c.isupper() or c.isdigit() for c in name[1:])


@lru_cache(maxsize=1)
def known_datasets() -> dict[str, str]:
    text = resources.files(__package__).joinpath("datasets.yml").read_text(encoding="utf-8")
    names: dict[str, str] = {}
    for item in yaml.safe_load(text)["datasets"]:
        names[item["name"]] = item["name"]
        for alias in item.get("aliases", []):
            names[alias] = item["name"]
    return names


def _datasets_in(text: str, known: Mapping[str, str], multiword: Sequence[str]) -> list[str]:
    found = {known[token] for token in _NAME_TOKEN.findall(text) if token in known}
    found.update(known[name] for name in multiword if name in text)
    found.update(m.group(1) for m in _DATASET_PHRASE.finditer(text) if m.group(1) not in ("The",))
    return sorted(found)


def build_links(papers: Sequence[Paper]) -> Links:
    by_name: dict[str, str | None] = {}
    for paper in papers:
        if paper.short_name and _is_name(paper.short_name):
            # a name two papers share is ambiguous: it links to neither
            by_name[paper.short_name] = None if paper.short_name in by_name else paper.key
    known = known_datasets()
    multiword = [name for name in known if " " in name]
    mentions: dict[str, tuple[str, ...]] = {}
    mentioned_by: dict[str, list[str]] = {}
    dataset_papers: dict[str, list[str]] = {}
    paper_datasets: dict[str, tuple[str, ...]] = {}
    term_lists: dict[str, list[str]] = {}
    for paper in papers:
        body = " ".join(t for t in (paper.summary, paper.abstract) if t)
        named = []
        for token in dict.fromkeys(_NAME_TOKEN.findall(body)):
            target = by_name.get(token.rstrip("."))
            if target and target != paper.key:
                named.append(target)
        if named:
            mentions[paper.key] = tuple(sorted(set(named)))
            for target in mentions[paper.key]:
                mentioned_by.setdefault(target, []).append(paper.key)
        datasets = _datasets_in(body, known, multiword)
        if datasets:
            paper_datasets[paper.key] = tuple(datasets)
            for name in datasets:
                dataset_papers.setdefault(name, []).append(paper.key)
        title_words = set(_WORD.findall((paper.title or "").lower())) - _COMMON
        terms = [f"w:{w}" for w in title_words] + [f"t:{t}" for t in paper.topics]
        terms += [f"d:{d}" for d in datasets] + [f"m:{m}" for m in mentions.get(paper.key, ())]
        term_lists[paper.key] = terms
    related, comparisons = _related(papers, term_lists)
    return Links(
        mentions=mentions,
        mentioned_by={k: tuple(sorted(set(v))) for k, v in mentioned_by.items()},
        related=related,
        datasets={k: tuple(v) for k, v in sorted(dataset_papers.items(), key=lambda kv: kv[0].lower())},
        paper_datasets=paper_datasets,
        comparisons=comparisons)


def _related(papers: Sequence[Paper], term_lists: Mapping[str, list[str]]) -> tuple[dict[str, tuple[str, ...]], int]:
    """Papers sharing the most informative terms; topic postings are sampled, never scanned whole."""
    postings: dict[str, list[str]] = {}
    for key, terms in term_lists.items():
        for term in terms:
            bucket = postings.setdefault(term, [])
            if len(bucket) <= POSTING_CAP:
                bucket.append(key)
    related: dict[str, tuple[str, ...]] = {}
    comparisons = 0
    for paper in papers:
        scores: Counter[str] = Counter()
        for term in term_lists[paper.key]:
            bucket = postings[term]
            if len(bucket) > POSTING_CAP and not term.startswith("t:"):
                continue
            weight = 3.0 if term[0] in "md" else (2.0 if term[0] == "w" else 0.5)
            if len(bucket) > POSTING_CAP:
                weight = 0.25
            for other in bucket[:POSTING_CAP]:
                if other != paper.key:
                    scores[other] += weight
                    comparisons += 1
        if scores:
            best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:RELATED_PER_PAPER]
            related[paper.key] = tuple(k for k, _ in best)
    return related, comparisons
