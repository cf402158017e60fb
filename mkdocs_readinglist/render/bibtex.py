"""Papers to BibTeX entries, written by bibtexparser v2's writer.

A paper that came from a user's .bib is written back as its entry came: the same type, key
and fields in the same order, each value as written (braces, `@string` names and `#` kept),
except the values the reader reported as breaking LaTeX, which are written repaired. Every
.bib entry merged into a paper is written under its own key, so `\\cite{otherkey}` keeps
working with bibtex and biber alike; the sources' `@string`, `@preamble` and `@comment`
blocks come first. Fields can be left out by name (`omit`).

For papers from listings, every value is made LaTeX-safe once (latex.encode), so the file passes bibtex, biber and
pdflatex: arXiv papers are `@misc` with `eprint`; venue papers with known authors are
`@inproceedings`/`@article` with the venue's full name. A venue paper whose authors are
unknown stays `@misc` with `howpublished`, since `@inproceedings` without an author makes
bibtex warn; add the authors in the overrides file and it becomes `@inproceedings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence

import bibtexparser
from bibtexparser import Library, model

from ..latex.encode import encode_non_ascii, to_latex, to_unicode_latex
from ..latex.required import REQUIRED_FIELDS  # a listing's paper that lacks one is written as @misc
from ..model import BibEntry, Paper
from ..text import bibtex_name, braces_balanced
from ..venues import CANONICAL_VENUES, venue_kind, written_venue

MAX_ABSTRACT = 5000  # longer abstracts are left out of the .bib (pages still show them)
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_VERBATIM_FIELDS = {"url", "doi"}
NAME_FIELDS = ("author", "editor")
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
    text = text.strip()
    if "\\" in text:  # (the substitution and the first replacement change nothing without one)
        text = _URL_UNESCAPE.sub(r"\1", text).replace("\\", "%5C")
    if "{" in text or "}" in text or " " in text:
        text = text.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")
    return text


def _bibtex_author(name: str) -> str:
    """A name of a listing, a service or an override, LaTeX-safe, in a form BibTeX reads as
    meant: a suffix as BibTeX's `von Last, Jr., First` (text.bibtex_name), a name in braces
    (`{Google DeepMind}`, an organisation) kept in its braces, not escaped as characters."""
    name = bibtex_name(name)
    if len(name) > 2 and name[0] == "{" and name[-1] == "}" and braces_balanced(name[1:-1]):
        return "{" + to_latex(name[1:-1]) + "}"
    return to_latex(name)


def _venue_parts(venue: str) -> tuple[str, str, str | None]:
    """(entry type, full venue name, short name) for a venue like `ICLR 2026`. A venue not
    known by name is written as it is (`Findings of ACL 2024`, `NeurIPS 2023 Workshop on
    Foo`): a journal's name (`Nature 2023`) without its year as `@article`'s `journal`, a
    preprint server (`arXiv preprint`, `CoRR`) as `@misc`'s `howpublished`, anything else as
    `@inproceedings`' `booktitle`."""
    name = venue.rsplit(" ", 1)[0] if venue[-4:].isdigit() else venue
    if name in CANONICAL_VENUES:
        kind, full = CANONICAL_VENUES[name]
        return kind, f"{full} ({name})" if kind == "inproceedings" else full, name
    known = venue_kind(name)
    if known is None:
        return "misc", venue, None
    return known, name if known == "article" else venue, None


def _preferred_type(paper: Paper, named: list[str] | None = None) -> str:
    """(`named`: the paper's authors but `others`, when the caller has them.)"""
    if named is None:
        named = [a for a in paper.authors if a != "others"]
    stated = paper.entry_type  # (read once: a property)
    if stated and stated != "misc" and (named or stated not in ("inproceedings", "article")):
        return stated
    if paper.venue and named:
        return _venue_parts(paper.venue)[0]
    return "misc"


def entry_type(paper: Paper) -> str:
    """The paper's type (the user's own, or from its venue), or `misc` when a field that type
    requires is unknown: bibtex warns on an @article without a journal or year, and never invents one."""
    if paper.bib:  # the user's own type, whatever it is
        return paper.bib[0].entry_type.lower()
    kind = _preferred_type(paper)
    if kind in REQUIRED_FIELDS:
        present = {name for name, _ in _fields(paper, kind)}
        if any(not present.intersection(one_of) for one_of in REQUIRED_FIELDS[kind]):
            return "misc"
    return kind


def _typed_fields(paper: Paper, encode: Callable[[str], str] = to_latex) -> tuple[str, list[tuple[str, str]]]:
    """entry_type(paper) and paper_fields(paper) of a paper from listings, its fields made once."""
    authors = paper.authors
    named = [a for a in authors if a != "others"] if "others" in authors else list(authors)
    kind = _preferred_type(paper, named)
    fields = _fields(paper, kind, named, encode)
    required = REQUIRED_FIELDS.get(kind)
    if required:
        present = {name for name, _ in fields}
        for one_of in required:
            if present.isdisjoint(one_of):
                return "misc", _fields(paper, "misc", named, encode)
    return kind, fields


def paper_fields(paper: Paper) -> list[tuple[str, str]]:
    """(name, already-enclosed value) pairs, in a fixed order."""
    return _fields(paper, entry_type(paper))


def _fields(paper: Paper, kind: str, named: list[str] | None = None,
            encode: Callable[[str], str] = to_latex) -> list[tuple[str, str]]:
    """(`named`: the paper's authors but `others`, when the caller has them; `encode`: to_latex,
    or to_unicode_latex for an export that keeps the characters.)"""
    fields: list[tuple[str, str]] = []
    if named is None:
        named = [a for a in paper.authors if a != "others"]
    if named:
        names = list(map(_bibtex_author, named))
        if "others" in paper.authors:
            names.append("others")
        fields.append(("author", "{" + " and ".join(names) + "}"))
    if paper.title:
        fields.append(("title", "{{" + encode(paper.title) + "}}"))
    extra = dict(given) if (given := paper.fields) else {}
    if paper.venue:
        _, full, _ = _venue_parts(paper.venue)
        if kind == "inproceedings" and "booktitle" not in extra:
            fields.append(("booktitle", _braced(encode(full))))
        elif kind == "article" and "journal" not in extra:
            fields.append(("journal", _braced(encode(full))))
        elif kind == "misc" and "howpublished" not in extra:
            fields.append(("howpublished", _braced(encode(full))))
    if paper.year:
        fields.append(("year", f"{{{paper.year}}}"))
    # The month is the date's (an arXiv version's), never a venue's: an entry of the venue's
    # paper (`@inproceedings`, `@article`) or a venue that names its year (`CVPR 2024`) gets none.
    if paper.date and len(paper.date) >= 7 and paper.date[5:7].isdigit() and not paper.date.startswith("--") \
            and not (paper.venue and (kind != "misc" or written_venue(paper.venue)[1])):
        month = int(paper.date[5:7])
        if 1 <= month <= 12 and paper.year and paper.date.startswith(str(paper.year)):
            fields.append(("month", MONTH_MACROS[month - 1]))
    # The published version's page (OpenReview) is the entry's url when known; else arXiv's abstract.
    openreview = None
    for url_kind, url in paper.urls:
        if url_kind == "openreview":
            openreview = url
            break
    if paper.arxiv_id:
        fields.append(("eprint", _braced(paper.arxiv_id)))
        fields.append(("archivePrefix", "{arXiv}"))
        if "primaryclass" in extra:
            fields.append(("primaryClass", _braced(encode(extra["primaryclass"]))))
        if "url" not in extra:
            fields.append(("url", _braced(_url(openreview or f"https://arxiv.org/abs/{paper.arxiv_id}"))))
    elif openreview and "url" not in extra:
        fields.append(("url", _braced(_url(openreview))))
    if not paper.title:  # said once, in the entry's own note if it has one
        unknown = "Title unknown: the source gives none (set it in the overrides file)"
        extra["note"] = f"{unknown}. {extra['note']}" if extra.get("note") else unknown
    for name, value in sorted(extra.items()) if extra else ():
        if name == "primaryclass":
            continue
        fields.append((name, _braced(_url(value) if name in _VERBATIM_FIELDS else encode(value))))
    if not named:
        sort_key = paper.short_name or paper.title or paper.arxiv_id or paper.key
        fields.append(("key", _braced(encode(sort_key))))
    if paper.abstract and len(paper.abstract) <= MAX_ABSTRACT:
        fields.append(("abstract", "{" + encode(paper.abstract) + "}"))
    return fields


# Fields that hold paths on the user's own disk (JabRef, Zotero and Mendeley `file`, BibDesk
# `bdsk-file-N` and `local-url`, ...): left out of the site's public .bib by default.
LOCAL_PATH_FIELDS = ("file", "pdf", "localfile", "local-url", "bdsk-file-*", "attachments")


def omitted(name: str, omit: Collection[str]) -> bool:
    """Whether a field is left out: `omit` holds lower-case names, a trailing `*` a prefix."""
    if not omit:
        return False
    lower = name.lower()
    return lower in omit or any(o.endswith("*") and lower.startswith(o[:-1]) for o in omit)


def _user_entry(record: BibEntry, key: str, omit: Collection[str]) -> model.Entry:
    return model.Entry(record.entry_type, key, [model.Field(name, raw) for name, raw in _user_fields(record, omit)])


def _user_fields(record: BibEntry, omit: Collection[str], unicode: bool = False) -> list[tuple[str, str]]:
    """A user's entry's (name, value) pairs as the export writes them: as written, but the
    repaired values and the fields left out (`unicode`: a repaired value keeps its characters,
    for xelatex and lualatex, instead of LaTeX's accents and stand-ins)."""
    repairs = dict(record.repairs) if record.repairs else None
    fields = []
    for name, raw in record.fields:
        if omit and omitted(name, omit):
            continue
        lower = name.lower()
        if lower in record.left_out:
            continue
        if repairs and lower in repairs:
            # a month macro, bare; other values encoded, in braces
            if lower == "month":
                raw = repairs[lower]
            else:
                value = repairs[lower] if unicode else encode_non_ascii(repairs[lower])
                # a lone `\` at the end would escape the closing brace (`{\& \}`): a control space
                raw = _braced(value + " " if (len(value) - len(value.rstrip("\\"))) % 2 else value)
        # A last guard: a value written back must re-read. Not for parts joined by `#` (`{Unilogic,} #
        # " Ltd" # {.}`), whose braces pair as a whole: their first and last characters are not one pair.
        # (A value with no brace between its first and last characters has none to pair: most,
        # known without copying it.)
        if raw[:1] in "{\"" and (raw.find("{", 1, -1) >= 0 or raw.find("}", 1, -1) >= 0) \
                and not braces_balanced(raw[1:-1]) and not ("#" in raw and braces_balanced(raw)):
            text = raw[1:-1].replace("{", "").replace("}", "")
            # a closing brace after a backslash (`\\` ending the text) reads as an escaped brace
            raw = _braced(text + " " if text.endswith("\\") else text)
        fields.append((name, raw))
    return fields


def bib_entries(paper: Paper, omit: Collection[str] = ()) -> list[model.Entry]:
    """The paper's entries: each .bib entry merged into it under its own key (the first under
    the paper's key, and under its own as well when an override pinned another key), or one
    entry made from what the listings say."""
    if not paper.bib:
        kind, fields = _typed_fields(paper)
        return [model.Entry(kind, paper.key, [model.Field(n, v) for n, v in fields if not omitted(n, omit)])]
    entries = [_user_entry(paper.bib[0], paper.key, omit)]
    written = {paper.key.lower()}
    for entry in paper.bib:
        if entry.key and entry.key.lower() not in written:
            written.add(entry.key.lower())
            entries.append(_user_entry(entry, entry.key, omit))
    return entries


def bib_entry(paper: Paper) -> model.Entry:
    return bib_entries(paper)[0]


def _block_text(block: model.Block) -> str:
    """One block as bibtexparser v2's writer writes it with `_FORMAT` (two-space indent, no
    value alignment, no trailing comma): the same bytes, joined here without building a
    Library. tests/test_bibtex_writer.py compares both on the samples and TeX Live's .bib files."""
    if isinstance(block, model.Entry):
        return _entry_text(block.entry_type, block.key, [(f.key, f.value) for f in block.fields])
    if isinstance(block, model.String):
        return f"@string{{{block.key} = {block.value}}}\n"
    if isinstance(block, model.Preamble):
        return f"@preamble{{{block.value}}}\n"
    if isinstance(block, model.ExplicitComment):
        return f"@comment{{{block.comment}}}\n"
    return _write_library([block])  # nothing here makes other blocks: bibtexparser's own writer


def _entry_text(kind: str, key: str, fields: Sequence[tuple[str, str]]) -> str:
    """An entry as bibtexparser's writer writes it with `_FORMAT` (see `_block_text`)."""
    if not fields:
        return f"@{kind}{{{key},\n}}\n"
    body = ",\n".join([f"  {name} = {value}" for name, value in fields])
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _write_library(blocks: Iterable[model.Block]) -> str:
    library = Library()
    for block in blocks:
        library.add(block)
    text: str = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=_FORMAT)
    return text


def _write(blocks: Iterable[model.Block]) -> str:
    text = "\n".join(_block_text(block) for block in blocks).strip()
    return text + "\n" if text else ""


def entry_text(paper: Paper, omit: Collection[str] = (), leave: Collection[str] = ()) -> str:
    """One paper's BibTeX, as the .bib has it (for its page's copy block); the merged entries
    whose keys are in `leave` (lower case: see keys_left_to_others) left out."""
    entries = bib_entries(paper, omit)
    if leave:
        entries = [entries[0], *(entry for entry in entries[1:] if entry.key.lower() not in leave)]
    return _write(entries)


def _entry_keys(paper: Paper) -> list[str]:
    """The keys of bib_entries(paper), in their order, without making the entries."""
    keys = [paper.key]
    seen = {paper.key.lower()}
    for entry in paper.bib:
        if entry.key and entry.key.lower() not in seen:
            seen.add(entry.key.lower())
            keys.append(entry.key)
    return keys


def keys_left_to_others(papers: Sequence[Paper]) -> dict[str, frozenset[str]]:
    """Paper key -> the keys (lower case) of its merged entries that the export leaves out: a
    merged entry's own key that is another paper's key, or an earlier paper's merged one (two
    files that spell one key in two cases; bibtex compares keys in any case and stops at a
    repeated one). `papers` in export order; most corpora give an empty dict."""
    primary = {paper.key.lower() for paper in papers}
    written: set[str] = set()
    left: dict[str, frozenset[str]] = {}
    for paper in papers:
        bib = paper.bib  # (read once: a property)
        if not bib or (len(bib) == 1 and bib[0].key.lower() in ("", paper.key.lower())):
            written.add(paper.key.lower())  # one entry, under the paper's key
            continue
        dropped: set[str] = set()
        for number, key in enumerate(_entry_keys(paper)):
            lower = key.lower()
            if number and (lower in primary or lower in written):
                dropped.add(lower)
                continue
            written.add(lower)
        if dropped:
            left[paper.key] = frozenset(dropped)
    return left


def source_blocks(papers: Iterable[Paper]) -> list[model.Block]:
    """The `@comment`, `@preamble` and `@string` blocks of the .bib files the papers come from,
    each once, in the order of the files: macro definitions are written back, so values that
    use them stay as they were written."""
    seen: set[tuple[str, str, str]] = set()
    comments: list[model.Block] = []
    preambles: list[model.Block] = []
    strings: list[model.Block] = []
    names: set[str] = set()
    for paper in papers:
        for entry in paper.bib:
            for block in entry.blocks:
                if block in seen:
                    continue
                seen.add(block)
                kind, name, value = block
                if kind == "comment":
                    comments.append(model.ExplicitComment(value))
                elif kind == "preamble":
                    preambles.append(model.Preamble(value))
                elif name.lower() not in names:  # the first definition of a name wins, as in BibTeX
                    names.add(name.lower())
                    strings.append(model.String(name, value))
    return [*comments, *preambles, *strings]


def blocks_text(papers: Iterable[Paper]) -> str:
    return _write(source_blocks(papers))


# A BibTeX macro name (`j-TUGboat`, `STOC-key`): any character but white space and `"#%'(),={}`,
# not starting with a digit.
_MACRO_NAME = re.compile(r"[^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*")


def used_strings_text(*papers: Paper) -> str:
    """The `@string` definitions the papers' entries use (for formatting one entry on its own,
    with the entries it inherits from), each once."""
    used = {name for paper in papers for entry in paper.bib for _, raw in entry.fields if raw[:1] not in "{\"" or "#" in raw
            for part in raw.split("#") if _MACRO_NAME.fullmatch(name := part.strip().lower()) and name not in MONTH_MACROS}
    if not used:  # nearly every entry: no macro but the months BibTeX itself defines
        return ""
    return _write([block for block in source_blocks(papers)
                   if isinstance(block, model.String) and block.key.lower() in used])


def with_inherited_fields(text: str, paper: Paper, parents: Sequence[Paper]) -> str:
    """An entry's text with the fields it inherits written in, as BibTeX fills them in (a field
    the entry lacks comes from the entry its `crossref` or `xdata` names): pybtex and citeproc-py
    do not, and formatted xampl's `incollection-crossref` without its book, year or publisher."""
    have = {name.lower() for entry in paper.bib[:1] for name, _ in entry.fields}
    added: list[str] = []
    for parent in parents:
        for name, value in parent.bib[0].fields if parent.bib else ():
            if name.lower() not in have and name.lower() not in ("crossref", "xdata", "ids", "entryset"):
                have.add(name.lower())
                added.append(f",\n  {name} = {value}")
    body = text.rstrip()
    if not added or not body.endswith("}"):
        return text
    return body[:-1].rstrip() + "".join(added) + "\n}\n"


def citable_keys(papers: Iterable[Paper]) -> dict[str, Paper]:
    """Every key a paper answers to (its own and its merged entries'), lower case."""
    return {key.lower(): paper for paper in papers for key in paper.cite_keys}


def named_entries(paper: Paper, by_key: Mapping[str, Paper], names: Collection[str]) -> list[Paper]:
    """The papers that `paper`'s fields `names` (`crossref`, `entryset`, ...) name, by any key
    they answer to (`by_key`: citable_keys), each once."""
    found: list[Paper] = []
    for entry in paper.bib:
        for name, value in entry.fields:
            if name.lower() in names:
                for target in value.strip("{}\" ").split(","):
                    other = by_key.get(target.strip().lower())
                    if other is not None and other is not paper and other not in found:
                        found.append(other)
    return found


def inherited_from(paper: Paper, by_key: Mapping[str, Paper]) -> list[Paper]:
    """The papers whose entries `paper`'s `crossref` or `xdata` fields name: a formatter reading
    the entry alone needs them to fill in what it inherits (xampl's `inbook-crossref` has no
    title or publisher of its own)."""
    return named_entries(paper, by_key, ("crossref", "xdata"))


_PARENT_FIELDS = ("crossref", "xdata")


def _may_name_parent(entry: BibEntry) -> bool:
    """Whether an entry may have a `crossref` or `xdata` field: its names joined and looked in
    (a field named `mycrossref` says yes too, and is then looked at by its name)."""
    names = "\0".join(entry.field_names()).lower()
    return "crossref" in names or "xdata" in names


def export_order(papers: Iterable[Paper]) -> list[Paper]:
    """Papers sorted by key, except that a paper another one names in `crossref` or `xdata`
    comes after all that name it: bibtex reads a crossref'd entry only after its children."""
    ordered = sorted(papers, key=lambda p: p.key.lower())
    # (each entry's names looked in first: its (name, value) pairs are made only when one may be there)
    targets = {value.strip("{}\" ").lower() for paper in ordered for entry in paper.bib if _may_name_parent(entry)
               for name, value in entry.fields if name.lower() in _PARENT_FIELDS}
    if not targets:
        return ordered
    is_target = [any(k.lower() in targets for k in p.cite_keys) for p in ordered]
    return [p for p, t in zip(ordered, is_target, strict=True) if not t] + \
        [p for p, t in zip(ordered, is_target, strict=True) if t]


def write_bibtex(papers: Iterable[Paper], omit: Collection[str] = (), unicode: bool = False) -> str:
    """The .bib text of papers (the sources' blocks, then the entries sorted by key, crossref
    targets last): the same papers always give the same bytes. `unicode`: text keeps its
    characters (for xelatex and lualatex with biber), instead of LaTeX's accents and stand-ins."""
    return written_bibtex(papers, omit, unicode)[0]


def written_bibtex(papers: Iterable[Paper], omit: Collection[str] = (), unicode: bool = False) -> tuple[str, int]:
    """`write_bibtex`'s text, and the number of entries in it (a paper's merged entries each one)."""
    chosen = export_order(papers)
    entries = list(_unique_entry_texts(chosen, omit, unicode))
    return _stripped_line("\n".join([*map(_block_text, source_blocks(chosen)), *entries])), len(entries)


def _stripped_line(text: str) -> str:
    """`text.strip() + "\n"` ("" for a blank text), without copying a text that is that already
    (an export's entries end with one newline: the whole file, 30 MB at 20k papers, was copied
    twice to strip and add it back)."""
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return ""
    if start == 0 and end == len(text) - 1 and text[end] == "\n":
        return text
    return text[start:end] + "\n"


def _unique_entry_texts(papers: Sequence[Paper], omit: Collection[str], unicode: bool = False) -> Iterator[str]:
    """Every paper's entries as text, but never a key twice (in any case, as bibtex compares
    them): a merged entry's own key that is another paper's key (two files that spell one key
    in two cases, one paper given a new key) is left to that paper. A paper from listings has
    one entry, under its own key: its text is made from its fields, without a bibtexparser
    Entry (`_block_text` would give the same text)."""
    left = keys_left_to_others(papers)
    encode = to_unicode_latex if unicode else to_latex
    for paper in papers:
        bib = paper.bib  # (read once: a property)
        if not bib:
            kind, fields = _typed_fields(paper, encode)
            yield _entry_text(kind, paper.key, [f for f in fields if not omitted(f[0], omit)] if omit else fields)
            continue
        # bib_entries(paper, omit), each written by _block_text, without bibtexparser's objects
        leave = left.get(paper.key, frozenset())
        first = bib[0]
        yield _entry_text(first.entry_type, paper.key, _user_fields(first, omit, unicode))
        if len(bib) == 1 and first.key.lower() in ("", paper.key.lower()):
            continue  # (most: one entry, under the paper's key)
        written = {paper.key.lower()}
        for entry in bib:
            lower = entry.key.lower()
            if entry.key and lower not in written:
                written.add(lower)
                if lower not in leave:
                    yield _entry_text(entry.entry_type, entry.key, _user_fields(entry, omit, unicode))


# Fields that name other entries a selected entry needs: bibtex's `crossref`, biblatex's `xdata`,
# a `@set`'s members (`entryset`) and `related` entries (biber warns on each one missing).
_NAMES_ENTRIES = ("crossref", "xdata", "entryset", "related")


def select(papers: Sequence[Paper], topic: str | None = None, keys: Sequence[str] = ()) -> list[Paper]:
    """Papers of a topic and/or with given keys (any key a paper answers to); the entries their
    `crossref`, `xdata`, `entryset` or `related` fields name come along."""
    chosen = list(papers)
    if topic:
        chosen = [p for p in chosen if topic in p.topics]
    if keys:
        wanted = {k.lower() for k in keys}
        keyed = {p.key.lower(): p for p in papers}  # a key that is a paper's own names that paper only
        chosen = [p for p in chosen if any(k.lower() in wanted and keyed.get(k.lower(), p) is p
                                           for k in (*p.cite_keys, *p.alias_keys))]
    if len(chosen) == len(papers):
        return chosen
    by_key = citable_keys(papers)
    have = {id(p) for p in chosen}
    pending = list(chosen)
    while pending:
        for found in named_entries(pending.pop(), by_key, _NAMES_ENTRIES):
            if id(found) not in have:
                have.add(id(found))
                chosen.append(found)
                pending.append(found)
    return chosen
