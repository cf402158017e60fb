"""Links between papers: mentions by short name (and their backlinks), related papers,
and the datasets papers name. Every step is a hash lookup or a bounded scan: no O(n^2).

Speed: a text is tokenised once, for its mentions and its datasets alike; related papers
are scored with C-level counting.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources
from operator import itemgetter

import yaml

from ..memo import Recall, make_now
from ..model import Paper

_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-+.]*[A-Za-z0-9+]|[A-Z0-9]{2,}")
_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
_WORD = re.compile(r"[a-z][a-z0-9\-]{3,}")
_DATASET_PHRASE = re.compile(
    r"\b(?:the|on|of|from)\s+([A-Z][A-Za-z0-9.\-+]*[A-Z0-9][A-Za-z0-9.\-+]*)\s+(?:dataset|benchmark)s?\b")
_COMMON = frozenset([
    "this", "that", "with", "from", "their", "these", "have", "been", "which", "while", "where", "there",
    "other", "using", "based", "model", "models", "method", "methods", "approach", "results", "paper",
    "propose", "proposed", "show", "shows", "data", "learning", "human", "humans", "framework",
    "performance", "state", "task", "tasks", "network", "training", "existing", "novel", "first", "new",
])
RELATED_PER_PAPER = 5
POSTING_CAP = 40  # a term shared by more papers than this says nothing about relatedness


@dataclass(frozen=True, slots=True)
class Links:
    mentions: Mapping[str, tuple[str, ...]]  # key -> keys it names
    mentioned_by: Mapping[str, tuple[str, ...]]  # key -> keys that name it
    related: Mapping[str, tuple[str, ...]]
    datasets: Mapping[str, tuple[str, ...]]  # dataset name -> keys of papers naming it
    paper_datasets: Mapping[str, tuple[str, ...]]
    comparisons: int = 0  # candidate pairs scored in this run: the deterministic measure of the work


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


def _datasets_in(text: str, known: Mapping[str, str], multiword: Sequence[str],
                 tokens: Collection[str] | None = None) -> list[str]:
    """Dataset names in a text; `tokens` are its _NAME_TOKEN tokens when already found."""
    if tokens is None:
        tokens = _NAME_TOKEN.findall(text)
    found = {known[token] for token in tokens if token in known}
    found.update(known[name] for name in multiword if name in text)
    if "dataset" in text or "benchmark" in text:  # the phrase has one of them, literally
        for match in _DATASET_PHRASE.finditer(text):
            if match.group(1) != "The":  # "the FreiHand dataset": the known name of an alias (FreiHAND)
                found.add(known.get(match.group(1), match.group(1)))
    return sorted(found)


def build_links(papers: Sequence[Paper], texts: Recall = make_now, titles: Recall = make_now,
                related: Recall = make_now, postings: Recall = make_now) -> Links:
    """Mentions, backlinks, related papers and datasets of a corpus.

    Three kinds of work, each named by all its inputs, so that a rebuild redoes only what
    changed: `texts` what a (summary, abstract) gives (name-like tokens and datasets), `titles`
    the informative words of a title, `related` a paper's related papers by its terms and
    the posting of each of them (see _related), `postings` a stamp per posting (see _related)."""
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
    spelled: dict[str, str] = {}  # a dataset name in lower case -> its first spelling
    paper_datasets: dict[str, tuple[str, ...]] = {}
    term_lists: dict[str, tuple[str, ...]] = {}
    # One string per equal token, title word or term of this corpus (dict keys and tuple items of
    # every paper that has them), shared through a dict of this call: sys.intern's table is the
    # process's, and never shrinks, for strings alive only while the links are made.
    shared: dict[str, str] = {}
    one = shared.setdefault

    def scan(text: tuple[str | None, str | None]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        body = " ".join(t for t in text if t)
        # A token never ends with "." (_NAME_TOKEN), so it is looked up as it is.
        tokens = set(_NAME_TOKEN.findall(body))
        found = tuple(_datasets_in(body, known, multiword, tokens))
        # Kept for the mentions: the tokens that may be a short name (a superset of those
        # _is_name takes: 3+ characters, not a word whose letters after the first are
        # lower-case), one string each (`one`).
        return tuple([one(t, t) for t in tokens if len(t) > 2 and not (t.isalpha() and t[1:].islower())]), found

    def title_words(title: str | None) -> tuple[str, ...]:
        return tuple([one(w, w) for w in set(_WORD.findall((title or "").lower())) - _COMMON])

    for paper in papers:
        text = (paper.summary, paper.abstract)
        candidates, datasets = texts(text, partial(scan, text))
        named = {target for target in map(by_name.get, candidates) if target and target != paper.key}
        if named:
            mentions[paper.key] = tuple(sorted(named))
            for target in mentions[paper.key]:
                mentioned_by.setdefault(target, []).append(paper.key)
        if datasets:
            paper_datasets[paper.key] = datasets
            for name in datasets:
                # one entry per name whatever its case ("ExPose", "EXPOSE"): the page's anchors are lower case
                name = spelled.setdefault(name.lower(), name)
                dataset_papers.setdefault(name, []).append(paper.key)
        title = paper.title
        words = titles(title, partial(title_words, title))
        terms = [f"w:{w}" for w in words] + [f"t:{t}" for t in paper.topics]
        terms += [f"d:{d}" for d in datasets] + [f"m:{m}" for m in mentions.get(paper.key, ())]
        # A topic, a dataset, a common title word: one string for all its papers.
        term_lists[paper.key] = tuple([one(t, t) for t in terms])
    related_keys, comparisons = _related(papers, term_lists, related, postings)
    return Links(
        mentions=mentions,
        mentioned_by={k: tuple(sorted(set(v))) for k, v in mentioned_by.items()},
        related=related_keys,
        datasets={k: tuple(v) for k, v in sorted(dataset_papers.items(), key=lambda kv: kv[0].lower())},
        paper_datasets=paper_datasets,
        comparisons=comparisons)


def _related(papers: Sequence[Paper], term_lists: Mapping[str, tuple[str, ...]],
             recall: Recall, stamps: Recall) -> tuple[dict[str, tuple[str, ...]], int]:
    """Papers sharing the most informative terms; topic postings are sampled, never scanned whole.

    A shared mention or dataset weighs 3, a title word 2, a topic 0.5 (0.25 when the topic's
    posting is sampled); a term shared by more than POSTING_CAP papers otherwise counts for
    nothing. Scores are sums of multiples of 0.25, exact in any order, so they are counted
    per weight with Counter (C code) and combined. A paper's scores depend on its key, its
    terms and their postings only (a term's weight is its kind and its posting's length): that
    is the key `recall` names its related papers by, so a rebuild scores again only the papers
    one of whose terms' postings changed. A posting stands in that key as its stamp: an object
    `stamps` makes once per (term, posting) and recalls while the posting stays the same, so a
    paper's key is hashed without hashing every paper named in its postings again."""
    lists: dict[str, list[str]] = {}
    for key, terms in term_lists.items():
        for term in terms:
            bucket = lists.setdefault(term, [])
            if len(bucket) <= POSTING_CAP:
                bucket.append(key)
    postings = {term: tuple(bucket) for term, bucket in lists.items()}
    del lists  # not beside the postings: one copy of them
    stamp = {term: stamps((term, posting), object) for term, posting in postings.items()}
    weighted: dict[str, tuple[float, tuple[str, ...]] | None] = {}
    for term, posting in postings.items():
        if len(posting) <= POSTING_CAP:
            weighted[term] = (3.0 if term[0] in "md" else (2.0 if term[0] == "w" else 0.5), posting)
        else:
            weighted[term] = (0.25, posting[:POSTING_CAP]) if term.startswith("t:") else None
    comparisons = 0

    def score(key: str, terms: tuple[str, ...]) -> tuple[str, ...]:
        nonlocal comparisons
        by_weight: dict[float, list[str]] = {}
        for term in terms:
            entry = weighted[term]
            if entry is not None:
                members = by_weight.get(entry[0])
                if members is None:
                    by_weight[entry[0]] = list(entry[1])
                else:
                    members.extend(entry[1])
        scores: dict[str, float] = {}
        compared = 0
        for weight, members in by_weight.items():
            compared += len(members)
            for other, count in Counter(members).items():
                scores[other] = scores.get(other, 0.0) + weight * count
        if key in scores:  # a paper is in its own postings: not a comparison
            compared -= sum(members.count(key) for members in by_weight.values())
            del scores[key]
        comparisons += compared
        if not scores:
            return ()
        ranked = sorted(scores.items(), key=itemgetter(0))  # ties: by key
        ranked.sort(key=itemgetter(1), reverse=True)  # stable: best score first
        return tuple(k for k, _ in ranked[:RELATED_PER_PAPER])

    related: dict[str, tuple[str, ...]] = {}
    for paper in papers:
        key = paper.key
        terms = term_lists[key]
        best = recall((key, terms, tuple(map(stamp.__getitem__, terms))),
                      partial(score, key, terms))
        if best:
            related[key] = best
    return related, comparisons
