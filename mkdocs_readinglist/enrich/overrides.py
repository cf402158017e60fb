"""Applying the user's overrides to papers: set or fix any field, pin a key, add topics."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from ..corpus import find_urls, guess_short_name, title_id
from ..latex.decode import decode_latex
from ..memo import Recall, Same, make_now
from ..model import Diagnostic, Override, Paper, Severity, SourceRef, SourceResult
from ..sources.arxiv_listing import parse_arxiv_id
from ..text import bibtex_name, is_name_suffix
from ..venues import written_venue


@dataclass(frozen=True, slots=True)
class Applied:
    papers: tuple[Paper, ...]
    pinned_keys: dict[str, tuple[str, SourceRef]]  # paper id -> (key, the override that pins it)
    unmatched: tuple[Override, ...]
    diagnostics: tuple[Diagnostic, ...]


def titled_before_merging(results: Sequence[SourceResult], recall: Recall = make_now) -> list[SourceResult]:
    """Records an override titles by their arXiv id (an arXiv listing gives no titles), titled
    before merging: the same paper in another listing, known there by that title, is then merged
    with it, not kept as a second paper. `recall` names each titled file by the very file and the
    titles, so that a rebuild gets the very same titled file (later stages know it by identity)."""
    titles: dict[str, str] = {}
    for result in results:
        for override in result.overrides:
            title = dict(override.values).get("title")
            parsed = parse_arxiv_id(override.target)
            if isinstance(title, str) and title.strip() and parsed:
                titles[parsed[0]] = " ".join(title.split())
    if not titles:
        return list(results)
    named = tuple(sorted(titles.items()))
    return [recall((Same(result), named), partial(_titled, result, titles))
            if any(r.arxiv_id in titles and not r.title for r in result.records) else result for result in results]


def _titled(result: SourceResult, titles: dict[str, str]) -> SourceResult:
    records = tuple(replace(r, title=titles[r.arxiv_id]) if r.arxiv_id in titles and not r.title else r
                    for r in result.records)
    return replace(result, records=records)


def _target_ids(target: str) -> list[str]:
    ids = []
    parsed = parse_arxiv_id(target)
    if parsed:
        ids.append(f"arxiv:{parsed[0]}")
    ids.append(title_id(target))
    return ids


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"\s+and\s+|;", value) if v.strip()]
    return []


def _pinned_before(override: Override, index: dict[str, int], papers: Sequence[Paper]) -> int | None:
    """`clutch2026: {key: clutch}`: once the pin has taken effect (the lock holds `clutch`), no
    paper has the key the override names; the paper it pinned has the key it pins, a key the
    project gave (never a .bib entry's own key, which a pin cannot take)."""
    pinned = next((str(value) for name, value in override.values if name == "key"), None)
    found = index.get(f"key:{pinned.lower()}") if pinned else None
    if found is None or (papers[found].user_key or "").lower() == (pinned or "").lower():
        return None
    return found


# A paper's facts that a .bib entry's own fields give its BibTeX (written as they are).
_WRITTEN_BY_THE_BIB = ("title", "authors", "year", "venue", "date", "abstract", "arxiv_id", "doi")


def apply_overrides(papers: Sequence[Paper], overrides: Sequence[Override], by_key: bool = False,
                    resolve_topic: Callable[[str, str], str] | None = None) -> Applied:
    """Match overrides by arXiv id, exact title or user key (or, with by_key, assigned key)."""
    if not overrides:  # nothing to match: no index of every paper's ids
        return Applied(tuple(papers), {}, (), ())
    index: dict[str, int] = {}
    for position, paper in enumerate(papers):
        for alias in (paper.id, *paper.aliases):
            index.setdefault(alias, position)
        for key in (paper.user_key, paper.key if by_key else None):
            if key:
                index.setdefault(f"key:{key.lower()}", position)
    result = list(papers)
    pinned: dict[str, tuple[str, SourceRef]] = {}
    unmatched: list[Override] = []
    diagnostics: list[Diagnostic] = []
    for override in overrides:
        found = next(
            (index[i] for i in [f"key:{override.target.lower()}", *_target_ids(override.target)] if i in index), None)
        if found is None and by_key:
            found = _pinned_before(override, index, result)
        if found is None:
            unmatched.append(override)
            continue
        paper = result[found]
        changes: dict[str, object] = {}
        for name, value in override.values:
            if name == "key":
                pinned[paper.id] = (str(value), override.source)
            elif name == "reject":  # applies to resolved facts, before overrides (enrich/resolved.py)
                continue
            elif name == "authors":
                # `Martin Luther King, Jr.` as BibTeX reads it (`King, Jr., Martin Luther`): its
                # key, pages and entry take `King` for the last name, not `Jr.`
                names = _as_list(value)
                for at, part in reversed(list(enumerate(names))):
                    if at and is_name_suffix(part):  # YAML's `[Martin Luther King, Jr., Ann Lee]`
                        joined = f"{names[at - 1]}, {part}"
                        diagnostics.append(Diagnostic(
                            override.source.file, override.source.line, Severity.WARNING,
                            f"authors: {part!r} is no name: read with the one before it as {joined!r} (in a YAML "
                            "list, quote a name that holds a comma)", code="override-field"))
                        names[at - 1:at + 1] = [joined]
                authors = tuple(map(bibtex_name, names))
                changes["authors"] = authors
                # `others` (BibTeX's "and others") is no author: the count is of the names given
                given = len(authors) - authors.count("others")
                changes["author_count"] = given or None
                counted = paper.author_count if not paper.authors else None  # (a listing's `• 8 authors`)
                if counted and given < counted and "others" not in authors:
                    diagnostics.append(Diagnostic(
                        override.source.file, override.source.line, Severity.WARNING,
                        f"authors: {given} name{'s' if given != 1 else ''} for a paper its listing counts {counted} "
                        "authors of: the export says it has these alone; end the list with `others` (BibTeX's "
                        "\"and others\", printed et al.) if there are more", code="override-field"))
            elif name == "topics":
                names = _as_list(value) if not isinstance(value, str) else [value]
                if resolve_topic:
                    resolved = []
                    for topic_name in names:
                        try:
                            resolved.append(resolve_topic(topic_name, ""))  # (no place: the diagnostic has it)
                        except ValueError as exc:
                            diagnostics.append(Diagnostic(override.source.file, override.source.line,
                                                          Severity.WARNING, f"{exc}; topic ignored",
                                                          code="unknown-topic"))
                    names = resolved
                changes["topics"] = tuple(dict.fromkeys(names + list(paper.topics)))
            elif name in ("year", "author_count"):
                try:
                    changes[name] = int(str(value))
                except ValueError:
                    diagnostics.append(Diagnostic(override.source.file, override.source.line, Severity.WARNING,
                                                  f"{name} {value!r} is not a number; ignored", code="override-field"))
            elif name == "venue":
                venue, year = written_venue(str(value))  # as written: `Findings of ACL 2024` stays so
                changes["venue"] = venue or str(value)
                if year and "year" not in dict(override.values):
                    changes["year"] = year
            elif name == "arxiv_id":
                parsed = parse_arxiv_id(str(value))
                if parsed:
                    changes["arxiv_id"] = parsed[0]
                    changes["aliases"] = (*paper.aliases, f"arxiv:{parsed[0]}")
                else:
                    diagnostics.append(Diagnostic(override.source.file, override.source.line, Severity.WARNING,
                                                  f"malformed arXiv id {value!r}; ignored", code="override-field"))
            elif name in ("project", "code", "url"):
                changes["urls"] = ((("code" if name == "code" else "project"), str(value)), *paper.urls)
            elif name in ("title", "abstract", "summary", "notes", "comment", "short_name"):
                changes[name] = decode_latex(str(value)).text
                if name == "title":
                    changes["aliases"] = (*changes.get("aliases", paper.aliases), title_id(str(value)))  # type: ignore[misc]
            elif name == "date":
                changes["date"] = str(value)
                if re.match(r"\d{4}", str(value)) and "year" not in dict(override.values):
                    changes["year"] = int(str(value)[:4])
            else:
                changes[name] = value
        shown_only = [name for name in _WRITTEN_BY_THE_BIB if name in changes]
        if shown_only and paper.bib:
            diagnostics.append(Diagnostic(
                override.source.file, override.source.line, Severity.WARNING,
                f"the override of {', '.join(shown_only)} for {paper.bib[0].key or paper.key!r} shows on its pages "
                "only: the paper is an entry of your .bib, whose BibTeX, formatted reference and citations keep the "
                "entry's own values (the record is the truth); change them in the .bib", code="override-not-exported"))
        if "abstract" in changes or "summary" in changes:
            changes["urls"] = tuple(dict.fromkeys((*paper.urls, *find_urls(
                str(changes.get("summary", paper.summary or "")), str(changes.get("abstract", paper.abstract or ""))))))
        if "title" in changes and "short_name" not in changes and not paper.short_name:
            changes["short_name"] = guess_short_name(str(changes["title"]), paper.summary)
        result[found] = replace(paper, **changes)  # type: ignore[arg-type]
    return Applied(tuple(result), pinned, tuple(unmatched), tuple(diagnostics))
