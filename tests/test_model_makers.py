"""makers.maker: the model's frozen dataclasses made faster are the very objects their classes make.

The readers, the corpus and the keys stage make a Record, a Paper and a keyed Paper per paper
through `makers.make_*` (an unfrozen twin filled, then made an instance of the class). Held here
against the classes' own `__init__` on every record and paper of the samples and of TeX Live's
bibliographies (used in place): the same type, fields, equality, hash, pickling, frozenness;
keywords and defaults as the class takes them; and the general path for a class the twin cannot
stand in for. Work is counted, not timed: each making runs no dataclass `__init__`.
"""

from __future__ import annotations

import dataclasses
import pickle
from functools import cache

import pytest

from mkdocs_readinglist import makers
from mkdocs_readinglist.corpus import paper_from_records
from mkdocs_readinglist.enrich.keys import with_key
from mkdocs_readinglist.model import BibEntry, Paper, Record, SourceRef, SourceResult
from mkdocs_readinglist.sources import read_source

from .helpers import SAMPLES, SEED_NAMES
from .test_bib_round_trip import texlive_bib

TEXLIVE = ("xampl.bib", "biblatex-examples.bib", "typeset.bib", "tugboat.bib")


@cache
def _read(name: str) -> SourceResult:
    result = read_source(SAMPLES / SEED_NAMES[name] if name in SEED_NAMES else texlive_bib(name))
    assert result.records
    return result


def _values(obj: object) -> tuple[object, ...]:
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


def _own_init(cls: type) -> bool:
    """A class with an `__init__` of its own (not the dataclass's): makers give the class itself."""
    return getattr(makers, f"make_{_snake(cls.__name__)}", None) is cls


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def _same_object(made: object, general: object) -> None:
    assert type(made) is type(general)
    assert made == general and hash(made) == hash(general)
    assert _values(made) == _values(general)
    if not _own_init(type(made)):
        # the values given, not copies (a compact class, model.Paper and BibEntry, gives a
        # tuple it holds in parts as a new one: those are their own class, makers' general path)
        assert all(a is b for a, b in zip(_values(made), _values(general), strict=True))
    assert pickle.loads(pickle.dumps(made)) == general
    assert dataclasses.replace(made) == general  # type: ignore[type-var]
    for field in dataclasses.fields(made):  # type: ignore[arg-type]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, field.name, "changed")


@pytest.mark.parametrize("name", [*SEED_NAMES, *TEXLIVE])
def test_made_records_and_papers_are_the_classes_own(name: str) -> None:
    records = _read(name).records
    for record in records:
        _same_object(makers.make_record(*_values(record)), Record(*_values(record)))
        _same_object(makers.make_source_ref(*_values(record.source)), SourceRef(*_values(record.source)))
        if record.bib is not None:
            _same_object(makers.make_bib_entry(*_values(record.bib)), BibEntry(*_values(record.bib)))
        paper = paper_from_records([record])
        _same_object(makers.make_paper(*_values(paper)), Paper(*_values(paper)))
        keyed = with_key(paper, "somekey2026")
        _same_object(keyed, dataclasses.replace(paper, key="somekey2026"))
    # Keywords and defaults (the listing readers make records by keyword): as the class takes them.
    source = records[0].source
    _same_object(makers.make_record(source=source, format="hf-daily", title="A title", year=2026),
                 Record(source=source, format="hf-daily", title="A title", year=2026))
    _same_object(makers.make_paper("arxiv:2601.00001", "A title"), Paper("arxiv:2601.00001", "A title"))
    with pytest.raises(TypeError):
        makers.make_paper(title="no id")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        makers.make_record(source, "x", nonsense=1)  # type: ignore[call-arg]


def test_a_default_factory_gives_a_fresh_value() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        name: str
        items: list[str] = dataclasses.field(default_factory=list)

    make = makers.maker(Listed)
    assert make is not Listed
    first, second = make("a"), make("b")
    assert first == Listed("a") and first.items is not second.items


def test_classes_the_twin_cannot_stand_in_for_get_their_own_init() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        name: str

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            if not self.name:
                raise ValueError("a name is needed")

    @dataclasses.dataclass(slots=True)
    class Unfrozen:
        name: str

    @dataclasses.dataclass(frozen=True, slots=True)
    class Hidden:
        name: str
        count: int = dataclasses.field(default=0, init=False)

    for cls in (NoSlots, Checked, Unfrozen, Hidden):
        assert makers.maker(cls) is cls


def _count_inits(monkeypatch: pytest.MonkeyPatch, cls: type, calls: list[int]) -> None:
    """Each run of `cls.__init__` from now on appends 1 to `calls`."""
    general = cls.__init__

    def counted(self: object, *args: object, **kwargs: object) -> None:
        calls.append(1)
        general(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", counted)


def test_a_making_runs_no_dataclass_init(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: the records a reader makes do not go through the class's `__init__` (what costs).
    (model.Paper has an `__init__` of its own, the compact layout's: makers give it Paper itself.)"""
    calls: list[int] = []
    _count_inits(monkeypatch, Record, calls)
    records = read_source(texlive_bib("xampl.bib")).records
    assert records and calls == []
    Record(records[0].source, "x")
    assert calls == [1]
    assert makers.make_paper is Paper  # the general path for a class of its own __init__


def test_a_replacer_copies_every_field_but_the_one_it_replaces() -> None:
    """makers.replacer(cls, name) is `dataclasses.replace(obj, name=value)`: on the papers of the
    samples for every field of Paper, and the general replace for a class without a twin."""
    papers = [paper_from_records([record]) for record in _read("hf_daily").records]
    for field in dataclasses.fields(Paper):
        replace = makers.replacer(Paper, field.name)
        for n, paper in enumerate(papers[:20]):
            value = getattr(papers[-1 - n], field.name)  # another paper's: a value the field takes
            _same_object(replace(paper, value), dataclasses.replace(paper, **{field.name: value}))

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        name: str
        count: int = 0

    assert makers.replacer(NoSlots, "count")(NoSlots("a"), 2) == NoSlots("a", 2)
    with pytest.raises(TypeError):
        makers.replacer(Paper, "nonsense")(papers[0], 1)


def test_a_keyed_copy_of_a_paper_runs_no_init_and_no_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: the keys stage's copy of each paper with its key (makers.replacer on model.Paper,
    whose `__init__` is its own) calls neither `Paper.__init__` nor `dataclasses.replace`, and
    gives `dataclasses.replace`'s paper on every paper of TeX Live's tugboat.bib: equal, with the
    key given and every other slot the very object the paper held."""
    papers = [paper_from_records([record]) for record in _read("tugboat.bib").records]
    expected = [dataclasses.replace(paper, key=f"k{n}") for n, paper in enumerate(papers)]
    calls: list[int] = []
    _count_inits(monkeypatch, Paper, calls)
    monkeypatch.setattr(dataclasses, "replace", lambda *a, **k: calls.append(2))
    keyed = [with_key(paper, f"k{n}") for n, paper in enumerate(papers)]
    assert len(keyed) > 4000 and calls == []
    monkeypatch.undo()
    for paper, copy, general_copy in zip(papers, keyed, expected, strict=True):
        _same_object(copy, general_copy)
        assert all(getattr(copy, slot) is getattr(paper, slot) for slot in Paper.__slots__ if slot != "key")
