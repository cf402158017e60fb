"""The export's fast paths give what the general paths give, on real data.

`readinglist bib` takes shortcuts for the common case (corpus.py: a paper of one record made
without ranking its records; enrich/keys.py: a key's title words taken lazily, a keyed paper
copied without dataclasses.replace). Each is held here against the general path on every
record of the sample listings, the demo's sources and TeX Live's bibliographies (used in place).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_readinglist import corpus
from mkdocs_readinglist.cli import main
from mkdocs_readinglist.corpus import SOURCE_PRIORITY, _first, _text_aliases, find_urls, guess_short_name
from mkdocs_readinglist.enrich import keys
from mkdocs_readinglist.model import Paper, Record, SourceResult
from mkdocs_readinglist.pipeline import run_pipeline
from mkdocs_readinglist.settings import settings_from_mapping
from mkdocs_readinglist.sources import read_source
from mkdocs_readinglist.text import ascii_fold, normalize_title, title_is_identity

from .helpers import SAMPLES, SEED_NAMES, copy_samples, samples_and_texlive_settings, texlive
from .test_bib_round_trip import texlive_bib

TEXLIVE = ("xampl.bib", "biblatex-examples.bib", "typeset.bib", "texbook1.bib", "tugboat.bib")


@cache
def _read(name: str) -> SourceResult:
    result = read_source(SAMPLES / SEED_NAMES[name] if name in SEED_NAMES else texlive_bib(name))
    assert result.records
    return result


@pytest.mark.parametrize("name", [*SEED_NAMES, *TEXLIVE])
def test_a_paper_of_one_record_is_the_general_paper(name: str) -> None:
    records = _read(name).records
    for record in records:
        norm = normalize_title(record.title) if record.title else ""
        assert corpus._paper_from_record(record, norm) == corpus.paper_from_records([record])
    # and a record with every optional fact missing or empty
    bare = replace(records[0], title="", abstract="", summary="", authors=(), author_count=0, organisation="",
                   date="", year=0, arxiv_id="", arxiv_version=0, comment="", key="", entry_type="", fields=(),
                   topics=(), notes="", doi="", bib=None)
    assert corpus._paper_from_record(bare, "") == corpus.paper_from_records([bare])


def _general_significant_words(title: str) -> list[str]:
    """The words a key takes from a title, as keys.py made them before its fast path."""
    return [w for w in (keys._ascii_key(t) for t in re.findall(r"[A-Za-z0-9]+", ascii_fold(title)))
            if w and w not in keys.STOPWORDS]


@pytest.mark.parametrize("name", [*SEED_NAMES, *TEXLIVE])
def test_key_words_and_keyed_papers_are_the_general_ones(name: str) -> None:
    records = _read(name).records
    papers = corpus.merge_records([_read(name)]).papers
    for record in records:
        if record.title:
            assert keys.significant_words(record.title) == _general_significant_words(record.title)
    for paper in papers:
        words = _general_significant_words(paper.title) if paper.title else []
        year = str(paper.year) if paper.year else ""
        key = keys.base_key(paper)
        named = [a for a in paper.authors if a != "others"]
        if named:
            assert key == (keys.surname(named[0]) or "anon") + year + (words[0] if words else "")
        elif not (paper.short_name and keys._ascii_key(paper.short_name)) and words:
            head = ""
            for word in words[:3]:
                head += word
                if len(head) >= 10:
                    break
            assert key == head[:24] + year
        assert keys.with_key(paper, "somekey2024") == replace(paper, key="somekey2024")


def _general_plain_word(text: str) -> bool:
    """A word PyYAML writes without quotes and reads back as the same text, as keys.py asked
    PyYAML's resolver itself before its fast path."""
    return keys._PLAIN_WORD.fullmatch(text) is not None and not text.endswith(":") \
        and keys._RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == keys._STR_TAG


@settings(max_examples=600, deadline=None)
@given(st.one_of(
    st.text(alphabet="yYnNtTfFoO0123456789.:-+_eExXabl~<=/", min_size=1, max_size=12),
    st.sampled_from(["yes", "No", "TRUE", "off", "On", "y", "n", "null", "Null", "~", "1e3", "0x1f", "0o17", "1_000",
                     "2024-01-01", "12:30:00", ".inf", "-.Inf", ".nan", "<<", "=", "+5", "-1", "0b101", "title:on",
                     "arxiv:2401.00001", "bib:refs.bib:knuth:ct", "on:", "190:20:30.15"])))
def test_plain_words_are_the_ones_yaml_resolves_as_strings(text: str) -> None:
    assert keys._plain_word(text) == _general_plain_word(text)


def test_plain_words_of_a_real_lock() -> None:
    lock = keys.KeyLock.read(SAMPLES / "readinglist.lock")
    words = [*lock.keys, *(i for ids in lock.keys.values() for i in ids)]
    assert len(words) > 200
    assert [keys._plain_word(w) for w in words] == [_general_plain_word(w) for w in words]


@pytest.fixture(scope="module")
def real_locks(samples_folder: Path) -> list[str]:
    """The repo's lock of the samples, and the locks first runs write for the samples beside TeX
    Live's bibliographies and for xampl.bib alone (read in place; nothing generated beforehand,
    so that a fresh clone has them too)."""
    texts = [(SAMPLES / "readinglist.lock").read_text(encoding="utf-8")]
    xampl = settings_from_mapping(samples_folder, {"sources": [str(texlive("xampl.bib"))],
                                                   "lock_file": str(samples_folder / "xampl.lock")})[0]
    for chosen in (samples_and_texlive_settings(samples_folder), xampl):
        run_pipeline(chosen, write_lock=True)
        texts.append(chosen.lock_path().read_text(encoding="utf-8"))
    return texts


def _edited(text: str) -> list[str]:
    """A lock's text and the hand edits that leave its keys alone but not its layout."""
    lines = text.split("\n")
    body = text[len(keys.LOCK_HEADER):]
    key_lines = [i for i, line in enumerate(lines) if line.endswith(":") and not line.startswith("#")]
    swapped = lines[:]
    swapped[key_lines[0]], swapped[key_lines[1]] = swapped[key_lines[1]], swapped[key_lines[0]]
    two_ids = next(i for i in key_lines if lines[i + 1].startswith("- ") and lines[i + 2].startswith("- "))
    ids_swapped = lines[:]
    ids_swapped[two_ids + 1], ids_swapped[two_ids + 2] = ids_swapped[two_ids + 2], ids_swapped[two_ids + 1]
    return [text, text + "\n", text.rstrip("\n"), body, "# mine\n" + text, text.replace("\n- ", "\n\n- ", 1),
            keys.LOCK_HEADER + "# a note\n" + body, "\n".join(swapped), "\n".join(ids_swapped),
            keys.LOCK_HEADER + "{}\n", keys.LOCK_HEADER + "\n{}\n",
            "{}\n", text.replace("\n- ", "\n-  ", 1)]


def test_a_lock_known_to_be_in_its_layout_is_exactly_its_text(real_locks: list[str]) -> None:
    texts = [edited for text in real_locks for edited in _edited(text)]
    assert len(texts) >= 3 * 13
    known = 0
    for text in texts:
        lock = keys.KeyLock.parse(text, SAMPLES / "readinglist.lock")
        # known laid out only when it is (the fast check declines some words, `~2` ids: then read by lines)
        assert not lock.laid_out or lock.text() == text, text[:300]
        known += bool(lock.laid_out)
    assert 0 < known < len(texts)


def test_an_unchanged_lock_is_not_laid_out_again_and_an_edited_one_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    laid_out = []
    general = keys.KeyLock.text
    monkeypatch.setattr(keys.KeyLock, "text", lambda self: laid_out.append(1) or general(self))
    bib = copy_samples(tmp_path, with_lock=True)
    lock = bib / "readinglist.lock"
    before = lock.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(["bib", "bib", "-o", "a.bib", "--no-cache"]) == 0
    assert laid_out == [] and lock.read_bytes() == before
    # a hand edit that keeps every key (a blank line, a comment) is laid out and normalised
    lock.write_text(lock.read_text(encoding="utf-8").replace("\n- ", "\n\n- ", 1) + "# mine\n", encoding="utf-8")
    assert main(["bib", "bib", "-o", "b.bib", "--no-cache"]) == 0
    assert len(laid_out) == 1 and lock.read_bytes() == before
    assert (tmp_path / "a.bib").read_bytes() == (tmp_path / "b.bib").read_bytes()


@pytest.mark.parametrize("text", ["", "\n", " \n\t", "@a{x}\n", "@a{x}", "\n@a{x}\n\n", " @a{x} ", "x\u00a0\n", "\u2003x\n",
                                  "@a{x}\n\n@b{y}\n", "x\r\n", "x\n\x1c"])
def test_an_export_stripped_as_before(text: str) -> None:
    from mkdocs_readinglist.render import bibtex

    stripped = text.strip()
    assert bibtex._stripped_line(text) == (stripped + "\n" if stripped else "")
    if stripped and text == stripped + "\n":
        assert bibtex._stripped_line(text) is text  # not copied


def test_a_lock_in_its_layout_is_read_as_line_by_line(real_locks: list[str]) -> None:
    texts = [edited for text in real_locks for edited in _edited(text)]
    read = [keys._laid_out_lock(text) for text in texts]
    assert read[0] is not None  # the repo's lock as written: read by the one pattern
    for text, laid_out in zip(texts, read, strict=True):
        assert laid_out is None or laid_out == keys._plain_lock_by_lines(text)


@given(st.lists(st.tuples(st.sampled_from(["a", "true", "t", "1e3", "key:x", "k-", "0x1f", "on", "a.b", "yes", "x" * 130,
                                           "_", "~", "2024-01-01", "a b", "é", "b:", "<<", "="]),
                          st.lists(st.sampled_from(["arxiv:2401.00001", "title:on", "no", "12", "title:x", "a:",
                                                    "null", "-1", "+5", ".inf", "bib:a.bib:k"]), max_size=3)),
                max_size=4))
def test_generated_locks_are_read_as_line_by_line(entries: list[tuple[str, list[str]]]) -> None:
    text = keys.LOCK_HEADER + "".join(f"{key}:\n" + "".join(f"- {i}\n" for i in ids) for key, ids in entries)
    laid_out = keys._laid_out_lock(text)
    assert laid_out is None or laid_out == keys._plain_lock_by_lines(text)
    if laid_out is None and entries and keys._plain_lock_by_lines(text) is not None:
        pytest.fail(f"a plain lock not read by the layout's path: {text!r}")


def _old_url(text: str) -> str:
    return (re.sub(r"\\([%#&_~$])", r"\1", text.strip()).replace("\\", "%5C").replace("{", "%7B")
            .replace("}", "%7D").replace(" ", "%20"))


@given(st.text(alphabet="ab\\%#&_~${} /:.\t", max_size=20))
def test_urls_written_as_before(text: str) -> None:
    from mkdocs_readinglist.render import bibtex

    assert bibtex._url(text) == _old_url(text)


@pytest.mark.parametrize("name", TEXLIVE)
def test_urls_of_real_entries_written_as_before(name: str) -> None:
    from mkdocs_readinglist.render import bibtex

    values = [value for record in _read(name).records if record.bib for field, value in record.bib.fields]
    assert values
    assert [bibtex._url(value) for value in values] == [_old_url(value) for value in values]


def _old_find_urls(*texts: str | None) -> tuple[tuple[str, str], ...]:
    """corpus.find_urls before its fast path: a search per code host, `setdefault` per url."""
    found: dict[str, str] = {}
    for text in texts:
        if not text or "http" not in text:
            continue
        for match in corpus._URL.finditer(text):
            url = re.split(r"(?<=.)(?=https?://)", match.group(0))[0]  # a URL written twice: the first
            url = url.rstrip(".,;:)]}>")
            if "arxiv.org" in url:
                continue
            found.setdefault(url, "code" if any(host in url for host in corpus._CODE_HOSTS) else "project")
    return tuple((kind, url) for url, kind in found.items())


@pytest.mark.parametrize("name", [*SEED_NAMES, *TEXLIVE])
def test_urls_and_short_names_found_as_before(name: str) -> None:
    """find_urls (one pattern for the code hosts) and short_name_of (a colon looked for before
    its pattern) on every record's texts."""
    from mkdocs_readinglist.sources import base

    records = _read(name).records
    texts = [text for record in records for text in (record.title, record.summary, record.abstract, record.comment,
                                                     record.notes) if text]
    assert texts
    for text in texts:
        assert corpus.find_urls(text) == _old_find_urls(text)
        match = base._SHORT_NAME_BEFORE_COLON.match(text)
        assert (base.short_name_of(text) is None) == (match is None or (
            base._PAREN_ACRONYM.search(match.group(1)) is None and len(match.group(1).split()) > 2))
    for record in records:
        assert corpus.find_urls(record.summary, record.abstract, record.comment) == \
            _old_find_urls(record.summary, record.abstract, record.comment)
    joined = " ".join(texts)  # every url of the file in one text, repeats included
    assert corpus.find_urls(joined, joined) == _old_find_urls(joined, joined)


@pytest.mark.parametrize("text", ["see https://github.com/a/b and http://x.org/p.", "GitLab: https://gitlab.com/x).",
                                  "https://arxiv.org/abs/1 https://huggingface.co/m, https://codeberg.org/c;"])
def test_urls_of_code_hosts_as_before(text: str) -> None:
    assert corpus.find_urls(text, None, text) == _old_find_urls(text, None, text)
    assert any(kind == "code" for kind, _ in corpus.find_urls(text))


@pytest.mark.parametrize("name", [*SEED_NAMES, *TEXLIVE])
def test_long_plain_texts_are_their_own_latex_without_the_cache(name: str) -> None:
    """to_latex gives a long text that is its own LaTeX back without its cache (most abstracts);
    every text of the file encodes as the cached function encodes it."""
    from mkdocs_readinglist.latex import encode

    texts = [text for record in _read(name).records for text in (record.title, record.abstract, record.summary,
                                                                 record.comment, *record.authors) if text]
    encode.to_latex.cache_clear()
    long_plain = [text for text in texts if len(text) > 300 and encode._plain_text(text)]
    for text in long_plain:
        assert encode.to_latex(text) is text
    assert encode.to_latex.cache_info().misses == 0  # not one lookup
    for text in texts:
        assert encode.to_latex(text) == encode._encoded(text)  # the encoder itself, no shortcut
    if name in SEED_NAMES and "notes" not in name:
        assert long_plain  # (the listings' abstracts)


# ---- paper_from_records: a paper of several records ------------------------------------------

def _general_paper_from_records(records: list[Record], norms: Sequence[str] | None = None) -> Paper:
    """corpus.paper_from_records as it was before its facts were taken by `_first_of` (a generator per fact)."""
    if norms is None:
        norms = [normalize_title(r.title) if r.title else "" for r in records]
    ranked = sorted(records, key=lambda r: SOURCE_PRIORITY.get(r.format, 9))
    title = _first(r.title for r in ranked)
    # The longest abstract (the others are cut short by the page they came from), unless the user's
    # own .bib gives another one: then that one, which is no cut copy of the longest.
    abstracts = [r.abstract for r in records if r.abstract]
    abstract = max(abstracts, key=len) if abstracts else None
    own = _first(r.abstract for r in records if r.format == "bibtex")
    if own is not None and abstract is not None and not abstract.startswith(own.rstrip(" .…")):
        abstract = own
    summary = _first(r.summary for r in ranked)
    authors = _first(r.authors for r in ranked) or ()
    count = len([a for a in authors if a != "others"]) if authors else _first(r.author_count for r in ranked)
    full_dates = [r for r in ranked if r.date and not r.date.startswith("--")]
    dated = full_dates[0] if full_dates else next((r for r in ranked if r.date), None)
    arxiv = _first(r.arxiv_id for r in ranked)
    versions = [r.arxiv_version for r in records if r.arxiv_version]
    fields: dict[str, str] = {}
    for record in ranked:
        for name, value in record.fields:
            fields.setdefault(name, value)
    comment = _first(r.comment for r in ranked)
    urls = find_urls(summary, abstract, comment)
    if "url" in fields:
        urls = ((("web", fields["url"]),) if "arxiv.org" not in fields["url"] else ()) + urls
    topics = tuple(dict.fromkeys(t for r in records for t in r.topics))
    aliases = [f"arxiv:{r.arxiv_id}" for r in records if r.arxiv_id]
    aliases += ["title:" + norm[:80] for r, norm in zip(records, norms, strict=True)
                if r.title and title_is_identity(norm)]
    user_key = _first(r.key for r in ranked)
    bib = sorted((r.bib for r in ranked if r.bib is not None), key=lambda entry: entry.key != user_key)
    doi = _first(r.doi for r in ranked)
    aliases += [f"bib:{entry.source.file}:{entry.key}" for entry in bib if entry.key]
    if arxiv:
        paper_id = f"arxiv:{arxiv}"
    elif title and title_is_identity(title_norm := normalize_title(str(title))):
        paper_id = "title:" + title_norm[:80]
    else:
        first = records[0].source
        paper_id = f"source:{first.file}:{first.line}"
        aliases.append(paper_id)
        aliases += _text_aliases(abstract or summary)
    paper_id = next((alias for alias in aliases if alias == paper_id), paper_id)  # one string, not two equal ones
    return Paper(  # (by position: _PAPER_ORDER)
        paper_id, title, "", guess_short_name(title, summary), abstract, summary, authors, count,
        _first(r.organisation for r in ranked), dated.date if dated else None, _first(r.year for r in ranked),
        _first(r.updated for r in ranked), _first(r.venue for r in ranked), arxiv, max(versions) if versions else None,
        comment, _first(r.entry_type for r in ranked), user_key, tuple(sorted(fields.items())), urls, topics,
        _first(r.notes for r in ranked), tuple(r.source for r in records), tuple(dict.fromkeys(aliases)), doi, tuple(bib))


def test_a_paper_of_several_records_is_the_general_paper() -> None:
    """paper_from_records takes each fact with `_first_of` (no generator per fact): the same paper
    as the form before, on every pair of records of the samples and TeX Live's bibliographies
    that one source ranks above the other in (both orders), and on groups of three."""
    records = [r for name in [*SEED_NAMES, *TEXLIVE[:2]] for r in _read(name).records]
    by_format: dict[str, list[Record]] = {}
    for record in records:
        by_format.setdefault(record.format, []).append(record)
    groups: list[list[Record]] = []
    formats = sorted(by_format)
    assert len(formats) >= 4
    for first in formats:
        for second in formats:
            for a, b in zip(by_format[first][:40], by_format[second][1:41], strict=False):
                groups.append([a, b])
    groups += [records[i:i + 3] for i in range(0, len(records) - 3, 7)]
    assert len(groups) > 500
    for group in groups:
        norms = [normalize_title(r.title) if r.title else "" for r in group]
        assert corpus.paper_from_records(group, norms) == _general_paper_from_records(group, norms)
        assert corpus.paper_from_records(group) == _general_paper_from_records(group)


def test_a_listing_papers_type_and_fields_are_made_once_as_the_general_path_makes_them() -> None:
    """render.bibtex._typed_fields (the writer's: the type and the fields of a listing paper made
    once) gives entry_type(paper) and paper_fields(paper), on every paper of the samples and of
    variants of them: `others` among the authors, an OpenReview url, extra fields (primaryclass,
    url, note), no title, no authors, no venue, no year."""
    from mkdocs_readinglist.render import bibtex

    papers = [corpus.paper_from_records([record]) for name in SEED_NAMES for record in _read(name).records]
    variants: list[Paper] = []
    for paper in papers[:60]:
        variants += [
            replace(paper, authors=(*paper.authors, "others")),
            replace(paper, authors=("others",)),
            replace(paper, urls=(("code", "https://github.com/a/b"), ("openreview", "https://openreview.net/forum?id=x"))),
            replace(paper, fields=(("primaryclass", "cs.CV"), ("url", "https://example.org/p"), ("note", "Oral"))),
            replace(paper, title=None),
            replace(paper, authors=(), venue=None),
            replace(paper, year=None, date=None),
            replace(paper, venue="ICLR 2026", entry_type="article", year=2026, authors=("B. Author", "others")),
            replace(paper, venue="ICLR 2026", year=2026, date="2026-04-23", authors=("A. Author",)),
        ]
    checked = [p for p in [*papers, *variants] if not p.bib]
    assert len(checked) > 500
    kinds = set()
    for paper in checked:
        kind, fields = bibtex._typed_fields(paper)
        assert (kind, fields) == (bibtex.entry_type(paper), bibtex.paper_fields(paper))
        kinds.add(kind)
    assert {"misc", "inproceedings", "article"} <= kinds


@pytest.mark.parametrize("name", TEXLIVE)
def test_crossref_targets_found_from_the_field_names_as_from_every_field(name: str) -> None:
    """export_order looks in an entry's field names before making its (name, value) pairs: the
    entries that may name a parent are those whose pairs hold a `crossref` or `xdata` field, on
    TeX Live's bibliographies (xampl.bib's and biblatex-examples.bib's crossrefs among them)."""
    from mkdocs_readinglist.render import bibtex

    papers = corpus.merge_records([_read(name)]).papers
    entries = [entry for paper in papers for entry in paper.bib]
    naming = [entry for entry in entries
              if any(field.lower() in ("crossref", "xdata") for field, _ in entry.fields)]
    assert all(bibtex._may_name_parent(entry) for entry in naming)
    assert sum(map(bibtex._may_name_parent, entries)) == len(naming)  # (no field here holds those names otherwise)
    if name in ("xampl.bib", "biblatex-examples.bib"):
        assert naming
    keyed = [keys.with_key(paper, f"k{n:05d}") for n, paper in enumerate(papers)]
    targets = {value.strip("{}\" ").lower() for paper in keyed for entry in paper.bib
               for field, value in entry.fields if field.lower() in ("crossref", "xdata")}
    general = sorted(keyed, key=lambda p: p.key.lower())
    if targets:
        general = [p for p in general if not any(k.lower() in targets for k in p.cite_keys)] + \
            [p for p in general if any(k.lower() in targets for k in p.cite_keys)]
    assert bibtex.export_order(keyed) == general


def _export_papers(settings: object, urls: bool) -> tuple[tuple[Paper, ...], str]:
    from mkdocs_readinglist.pipeline import SourceCache
    from mkdocs_readinglist.render.bibtex import write_bibtex

    corpus_made = run_pipeline(settings, SourceCache(memos=False), topics=False, links=False,  # type: ignore[arg-type]
                               urls=urls)
    return corpus_made.papers, write_bibtex(corpus_made.papers)


def test_the_export_looks_for_no_urls_in_texts_and_writes_the_same(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`readinglist bib` asks for papers without the URLs of their texts (run_pipeline's `urls`):
    find_urls is not called, every paper is the one the general path makes but for the URLs found
    in its texts, and the written .bib is the same bytes, on the seeds and TeX Live's xampl.bib and
    biblatex-examples.bib. With a resolved.yml (whose OpenReview page is added only when the
    paper's own URLs lack it) the URLs are looked for as before."""
    copy_samples(tmp_path)
    settings = samples_and_texlive_settings(tmp_path)
    calls = []

    def counted(*texts: str | None) -> tuple[tuple[str, str], ...]:
        calls.append(texts)
        return find_urls(*texts)

    monkeypatch.setattr(corpus, "find_urls", counted)
    general, general_text = _export_papers(settings, urls=True)
    assert len(calls) > 200 and len(general) > 300  # (a paper with no summary, abstract or comment: no call)
    assert any(kind in ("code", "project") for paper in general for kind, _ in paper.urls)
    calls.clear()
    papers, text = _export_papers(settings, urls=False)
    assert calls == []
    assert text == general_text
    assert papers == tuple(replace(p, urls=tuple(u for u in p.urls if u[0] == "web")) for p in general)
    assert any(paper.urls for paper in papers)  # (a `url` field's page stays)
    (tmp_path / "bib" / "resolved.yml").write_text("{}\n", encoding="utf-8")
    settings = samples_and_texlive_settings(tmp_path)
    papers, text = _export_papers(settings, urls=False)
    assert len(calls) > 200 and papers == general and text == general_text
