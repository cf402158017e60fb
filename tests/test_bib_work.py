"""Work counts of `readinglist bib` on a real bibliography (no stopwatch).

What the export skips or does once, counted: pybtex parses only the author names it could
reject, each once per process (not once per entry that names it), a user's own entries go out with no LaTeX encoding
of their values (they are written as they came), and no bibtexparser Library is built to write
them. Data: Nelson Beebe's typesetting bibliography from TeX Live (898 entries), used in place.
"""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names

from mkdocs_readinglist.latex import encode
from mkdocs_readinglist.pipeline import SourceCache, run_pipeline
from mkdocs_readinglist.render import bibtex
from mkdocs_readinglist.settings import Settings, SourceSpec
from mkdocs_readinglist.sources import bib_cache

from .test_bib_round_trip import texlive_bib


def _corpus(path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(base_dir=tmp_path, sources=(SourceSpec(str(path)),), lock_file="keys.lock")
    return run_pipeline(settings, cache=SourceCache(memos=False), write_lock=False, topics=False, links=False)


def _names(path: Path) -> tuple[int, set[str]]:
    """Every author name of the file (as BibTeX splits the field), and the distinct ones."""
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8", errors="replace"))
    names = [name.strip() for entry in library.entries if "author" in entry.fields_dict
             for name in split_multiple_persons_names(str(entry.fields_dict["author"].value))]
    return len(names), set(names)


def test_pybtex_parses_only_names_it_could_reject_each_once(tmp_path: Path) -> None:
    """pybtex rejects a name only for too many commas outside braces or braces nested over 100
    deep: names with at most two commas and 100 `{` (braced accents included) are not handed to
    it; the others are parsed once per distinct name."""
    path = texlive_bib("typeset.bib")
    total, distinct = _names(path)
    assert total > len(distinct) + 200  # the same authors entry after entry (1,169 names, 911 distinct)
    braced = {n for n in distinct if "{" in n or "}" in n}
    could_fail = {n for n in distinct if n.count(",") > 2 or n.count("{") > 100}
    assert len(braced) > 10 and len(could_fail) < len(braced)
    bib_cache.pybtex_name_problem.cache_clear()
    _corpus(path, tmp_path)
    first = bib_cache.pybtex_name_problem.cache_info()
    assert first.misses <= len(could_fail) + 5 < len(braced)  # each such name parsed once (+ names the reader repaired)
    assert first.hits + first.misses < total / 4  # not once per name of every entry
    _corpus(path, tmp_path / "again")
    assert bib_cache.pybtex_name_problem.cache_info().misses == first.misses  # read again: nothing parsed


EDGE_NAMES = ("{a}}, b", "a{{{b", "}}}", "{" * 101 + "x" + "}" * 101, "{" * 100 + "x", "a, {b, c}, d",
              "x, y, z, w", "{\\'e}, {\\\"o}", "a,b,c", "von {d}er X, Jr., Y", "{von} {\\relax d}e {La}, Jr, Y",
              "Last, {Jr}, {First, Second}", "{{{{a}}}}, b, c", "a, b, c, {d}")


def test_a_name_not_handed_to_pybtex_is_one_it_reads() -> None:
    """bib_cache.name_problem answers without pybtex only where pybtex has no complaint: the same
    answer as pybtex's on every author and editor name of TeX Live's bibliographies (thousands,
    hundreds with braced accents) and on names made to test its limits."""
    names = set(EDGE_NAMES)
    for path in sorted(texlive_bib("xampl.bib").parents[1].rglob("*.bib")):
        library = bibtexparser.parse_string(path.read_text(encoding="utf-8", errors="replace"))
        names.update(name.strip() for entry in library.entries for field in ("author", "editor")
                     if field in entry.fields_dict
                     for name in split_multiple_persons_names(str(entry.fields_dict[field].value)))
    assert len(names) > 3000 and sum("{" in name for name in names) > 300
    answered = [name for name in names if bib_cache.name_problem(name) != bib_cache.pybtex_name_problem(name)]
    assert answered == []
    assert bib_cache.name_problem("{" * 101 + "x" + "}" * 101) == "too many nested braces"
    assert bib_cache.name_problem("x, y, z, w") is not None


def test_a_users_entries_go_out_without_latex_encoding_or_a_library(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(texlive_bib("typeset.bib"), tmp_path)
    assert len(corpus.papers) > 800 and all(p.bib for p in corpus.papers)
    built: list[int] = []
    original = bibtexparser.Library.add

    def counted_add(self, blocks, fail_on_duplicate_key=True):  # type: ignore[no-untyped-def]
        built.append(1)
        return original(self, blocks, fail_on_duplicate_key)

    monkeypatch.setattr(bibtexparser.Library, "add", counted_add)
    encode.to_latex.cache_clear()
    text = bibtex.write_bibtex(corpus.papers)
    info = encode.to_latex.cache_info()
    assert info.hits + info.misses == 0  # no value LaTeX-encoded: every entry written as the user wrote it
    assert built == []  # no bibtexparser Library built to write them
    assert text.count("\n@") + 1 >= len(corpus.papers)


def test_listing_papers_encode_each_value_once(tmp_path: Path) -> None:
    """Papers from listings: values are encoded (they are not LaTeX yet), each distinct text once."""
    repo = Path(__file__).resolve().parent.parent
    settings = Settings(base_dir=repo, sources=(SourceSpec("bib"),), lock_file=str(tmp_path / "keys.lock"))
    corpus = run_pipeline(settings, cache=SourceCache(memos=False), write_lock=False, topics=False, links=False)
    encode.to_latex.cache_clear()
    bibtex.write_bibtex(corpus.papers)
    first = encode.to_latex.cache_info()
    assert first.misses > len(corpus.papers)  # titles, abstracts, names, venues
    bibtex.write_bibtex(corpus.papers)
    assert encode.to_latex.cache_info().misses == first.misses  # written again: nothing encoded again


def test_a_bib_file_is_split_once_unless_a_repair_needs_another_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """bibtexparser splits a file once; the workarounds read it again only when the first read
    shows they are needed (entries it took for comments, an entry it gave up on), and the
    backslash shield copies no text without a backslash pair. Every .bib under TeX Live's
    bibtex/bib tree that xampl.bib sits in."""
    from mkdocs_readinglist.sources import bib_repairs

    calls: list[int] = []
    real = bibtexparser.parse_string

    def counted(text: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(bib_repairs.bibtexparser, "parse_string", counted)
    paths = sorted(texlive_bib("xampl.bib").parents[1].rglob("*.bib"))
    assert len(paths) >= 20
    once = 0
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        if "\\\\" not in text and "\\\n" not in text:
            assert bib_repairs._shielded(text) is text  # (no copy)
        prepared, placeholders = bib_repairs.placeholder_keys(bib_repairs.command_prefixed_types(text))
        first = bib_repairs._parsed(prepared, placeholders)  # what parse reads first
        needed = bib_repairs.loose_heads_rewritten(prepared, first.blocks) is not prepared or \
            any(repair.code == "unparsable-entry" for repair in first.repairs)
        calls.clear()
        bib_repairs.parse(text)
        assert len(calls) == 1 or needed, path.name
        assert len(calls) <= 3, path.name
        once += len(calls) == 1
    assert once >= len(paths) - 3  # (texbook2.bib: an entry bibtexparser gives up on is read again)


def _block_facts(block: object) -> tuple[object, ...]:
    """What a parsed block is: its type, key, fields, values, raw text and metadata."""
    fields = tuple((f.key, str(f.value), f.start_line) for f in getattr(block, "fields", ()))
    return (type(block).__name__, getattr(block, "key", None), getattr(block, "entry_type", None), fields,
            str(getattr(block, "value", "")), str(getattr(block, "comment", "")), getattr(block, "raw", None),
            getattr(block, "start_line", None), repr(sorted(getattr(block, "parser_metadata", {}).items())))


def test_a_repair_that_changes_no_block_gives_the_library_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The block repairs give the library back when every block comes back as it was, instead
    of bibtexparser's new Library of the same blocks: the same blocks and repairs as with
    bibtexparser's own `BlockMiddleware.transform`, on every bibliography of TeX Live, the
    samples and the bad-input .bib files (whose repairs change blocks); and no Library is made
    by a repair of a file that needs none (counted)."""
    from bibtexparser.middlewares.middleware import BlockMiddleware

    from mkdocs_readinglist.sources import bib_repairs

    from .fixtures.bad.catalogue import CATALOGUE, SAMPLES

    texlive = sorted(Path("/usr/share/texlive/texmf-dist/bibtex/bib").rglob("*.bib"))
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in [*texlive, *SAMPLES.glob("*.bib")]]
    texts += [case.data.decode("utf-8", errors="replace") for case in CATALOGUE if case.name.endswith(".bib")]
    assert len(texts) > 40
    ours = [bib_repairs.parse(text) for text in texts]
    with monkeypatch.context() as patched:
        patched.setattr(bib_repairs._Recording, "transform", BlockMiddleware.transform)
        general = [bib_repairs.parse(text) for text in texts]
    changed = 0
    for fast, slow in zip(ours, general, strict=True):
        assert [_block_facts(b) for b in fast.blocks] == [_block_facts(b) for b in slow.blocks]
        assert fast.repairs == slow.repairs
        changed += bool(fast.repairs)
    assert changed >= 10  # files whose repairs changed blocks: the general path taken there

    made = []
    real_init = bib_repairs.Library.__init__

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(bib_repairs.Library, "__init__", counted)
    xampl = texlive_bib("xampl.bib").read_text(encoding="utf-8")
    assert not bib_repairs.parse(xampl).repairs
    fast_made = len(made)
    with monkeypatch.context() as patched:
        patched.setattr(bib_repairs._Recording, "transform", BlockMiddleware.transform)
        bib_repairs.parse(xampl)
    recording = [m for m in bib_repairs.repair_stack([], {}) if isinstance(m, bib_repairs._Recording)]
    assert len(recording) == 6 and len(made) - fast_made == fast_made + len(recording)  # none of theirs
