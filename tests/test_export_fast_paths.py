"""The export's fast paths give what the general paths give, on real data.

`readinglist bib` takes shortcuts for the common case (corpus.py: a paper of one record made
without ranking its records; enrich/keys.py: a key's title words taken lazily, a keyed paper
copied without dataclasses.replace). Each is held here against the general path on every
record of the sample listings, the demo's sources and TeX Live's bibliographies (used in place).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_readinglist import corpus
from mkdocs_readinglist.enrich import keys
from mkdocs_readinglist.model import SourceResult
from mkdocs_readinglist.sources import read_source
from mkdocs_readinglist.text import ascii_fold, normalize_title

from .helpers import SAMPLES, SEED_NAMES
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
