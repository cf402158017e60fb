"""Papers to BibTeX entries, written by bibtexparser v2's writer.

Every value is made LaTeX-safe once (latex.encode), so the file passes bibtex, biber and
pdflatex: arXiv papers are `@misc` with `eprint`; venue papers with known authors are
`@inproceedings`/`@article` with the venue's full name. A venue paper whose authors are
unknown stays `@misc` with `howpublished`, since `@inproceedings` without an author makes
bibtex warn; add the authors in the overrides file and it becomes `@inproceedings`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import bibtexparser
from bibtexparser import Library, model

from ..latex.encode import to_latex
from ..model import Paper
from ..venues import CANONICAL_VENUES

MAX_ABSTRACT = 5000  # longer abstracts are left out of the .bib (pages still show them)
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_VERBATIM_FIELDS = {"url", "doi"}
_FORMAT = bibtexparser.BibtexFormat()
_FORMAT.indent = "  "
_FORMAT.block_separator = "\n"


def _braced(text: str) -> str:
    return "{" + text + "}"


_URL_UNESCAPE = re.compile(r"\\([%#&_~$])")


def _url(text: str) -> str:
    """URLs go verbatim: biber and `\\url` read them as they are, so `%` stays `%` (biber turns
    `\\%` into `%5C%`, a broken link) and a LaTeX escape a user put in is undone. Only what
    would break the entry itself, a brace or a space, is percent-encoded."""
    return (_URL_UNESCAPE.sub(r"\1", text.strip()).replace("\\", "%5C").replace("{", "%7B")
            .replace("}", "%7D").replace(" ", "%20"))


def _venue_parts(venue: str) -> tuple[str, str, str | None]:
    """(entry type, full venue name, short name) for a venue like `ICLR 2026`."""
    name = venue.rsplit(" ", 1)[0] if venue[-4:].isdigit() else venue
    if name in CANONICAL_VENUES:
        kind, full = CANONICAL_VENUES[name]
        return kind, f"{full} ({name})" if kind == "inproceedings" else full, name
    return "inproceedings", venue, None


# The fields bibtex's standard styles (plain.bst, alpha.bst) warn about when missing, per type;
# a tuple is "one of". An entry that lacks one is written as @misc, which needs none.
REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal",), ("year",)),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year",)),
    "booklet": (("title",),),
    "inbook": (("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year",)),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year",)),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year",)),
    "conference": (("author",), ("title",), ("booktitle",), ("year",)),
    "manual": (("title",),),
    "mastersthesis": (("author",), ("title",), ("school",), ("year",)),
    "phdthesis": (("author",), ("title",), ("school",), ("year",)),
    "proceedings": (("title",), ("year",)),
    "techreport": (("author",), ("title",), ("institution",), ("year",)),
    "unpublished": (("author",), ("title",), ("note",)),
}


def _preferred_type(paper: Paper) -> str:
    named = [a for a in paper.authors if a != "others"]
    if paper.entry_type and paper.entry_type != "misc" and (named or paper.entry_type not in ("inproceedings", "article")):
        return paper.entry_type
    if paper.venue and named:
        return _venue_parts(paper.venue)[0]
    return "misc"


def entry_type(paper: Paper) -> str:
    """The paper's type (the user's own, or from its venue), or `misc` when a field that type
    requires is unknown: bibtex warns on an @article without a journal or year, and never invents one."""
    kind = _preferred_type(paper)
    if kind in REQUIRED_FIELDS:
        present = {name for name, _ in _fields(paper, kind)}
        if any(not present.intersection(one_of) for one_of in REQUIRED_FIELDS[kind]):
            return "misc"
    return kind


def paper_fields(paper: Paper) -> list[tuple[str, str]]:
    """(name, already-enclosed value) pairs, in a fixed order."""
    return _fields(paper, entry_type(paper))


def _fields(paper: Paper, kind: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    named = [a for a in paper.authors if a != "others"]
    if named:
        names = [to_latex(a) for a in named] + (["others"] if "others" in paper.authors else [])
        fields.append(("author", _braced(" and ".join(names))))
    if paper.title:
        fields.append(("title", _braced(_braced(to_latex(paper.title)))))
    extra = dict(paper.fields)
    if paper.venue:
        _, full, _ = _venue_parts(paper.venue)
        if kind == "inproceedings" and "booktitle" not in extra:
            fields.append(("booktitle", _braced(to_latex(full))))
        elif kind == "article" and "journal" not in extra:
            fields.append(("journal", _braced(to_latex(full))))
        elif kind == "misc" and "howpublished" not in extra:
            fields.append(("howpublished", _braced(to_latex(full))))
    if paper.year:
        fields.append(("year", _braced(str(paper.year))))
    if paper.date and len(paper.date) >= 7 and paper.date[5:7].isdigit() and not paper.date.startswith("--"):
        month = int(paper.date[5:7])
        if 1 <= month <= 12 and paper.year and paper.date.startswith(str(paper.year)):
            fields.append(("month", MONTH_MACROS[month - 1]))
    # The published version's page (OpenReview) is the entry's url when known; else arXiv's abstract.
    openreview = next((url for kind, url in paper.urls if kind == "openreview"), None)
    if paper.arxiv_id:
        fields.append(("eprint", _braced(paper.arxiv_id)))
        fields.append(("archivePrefix", "{arXiv}"))
        if "primaryclass" in extra:
            fields.append(("primaryClass", _braced(to_latex(extra["primaryclass"]))))
        if "url" not in extra:
            fields.append(("url", _braced(_url(openreview or f"https://arxiv.org/abs/{paper.arxiv_id}"))))
    elif openreview and "url" not in extra:
        fields.append(("url", _braced(_url(openreview))))
    if not paper.title:  # said once, in the entry's own note if it has one
        unknown = "Title unknown: the source gives none (set it in the overrides file)"
        extra["note"] = f"{unknown}. {extra['note']}" if extra.get("note") else unknown
    for name, value in sorted(extra.items()):
        if name == "primaryclass":
            continue
        fields.append((name, _braced(_url(value) if name in _VERBATIM_FIELDS else to_latex(value))))
    if not named:
        sort_key = paper.short_name or paper.title or paper.arxiv_id or paper.key
        fields.append(("key", _braced(to_latex(sort_key))))
    if paper.abstract and len(paper.abstract) <= MAX_ABSTRACT:
        fields.append(("abstract", _braced(to_latex(paper.abstract))))
    return fields


def bib_entry(paper: Paper) -> model.Entry:
    return model.Entry(entry_type(paper), paper.key, [model.Field(n, v) for n, v in paper_fields(paper)])


def entry_text(paper: Paper) -> str:
    """One paper's BibTeX, as the .bib has it (for its page's copy block)."""
    return write_bibtex([paper])


def write_bibtex(papers: Iterable[Paper]) -> str:
    """The .bib text of papers, sorted by key: the same papers always give the same bytes."""
    library = Library()
    for paper in sorted(papers, key=lambda p: p.key.lower()):
        library.add(bib_entry(paper))
    text: str = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=_FORMAT)
    return text.strip() + "\n" if text.strip() else ""


def select(papers: Sequence[Paper], topic: str | None = None, keys: Sequence[str] = ()) -> list[Paper]:
    chosen = list(papers)
    if topic:
        chosen = [p for p in chosen if topic in p.topics]
    if keys:
        wanted = {k.lower() for k in keys}
        chosen = [p for p in chosen if p.key.lower() in wanted]
    return chosen
