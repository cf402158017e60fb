"""A user's .bib goes through the core in linear time, counted, not timed: a journal
bibliography where half the entries are titled "Editorial" (the worst case for merging on
titles: none of them may merge, and each must be told apart) does twice the work at twice
the size, and every key comes back out, every repair reported once."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from mkdocs_readinglist.corpus import MAX_TITLE_CANDIDATES
from mkdocs_readinglist.pipeline import SourceCache, run_pipeline
from mkdocs_readinglist.render.bibtex import write_bibtex
from mkdocs_readinglist.settings import Settings, SourceSpec


def journal_bib(entries: int) -> str:
    parts = []
    for number in range(entries):
        title = "Editorial" if number % 2 == 0 else f"Finding {number} in the {number % 97} Crowd & Its Poses"
        parts.append(f"@article{{j{number},\n  title = {{{title}}},\n  author = {{Editor, Ed{number % 13}}},\n"
                     f"  journal = {{Journal of Examples}},\n  volume = {{{number // 40}}},\n"
                     f"  year = {{{1990 + number % 30}}},\n  file = {{:papers/j{number}.pdf:PDF}}\n}}\n")
    return "\n".join(parts)


def work(folder: Path, entries: int) -> tuple[Counter[str], str]:
    folder.mkdir()
    (folder / "journal.bib").write_text(journal_bib(entries), encoding="utf-8")
    cache = SourceCache()
    settings = Settings(base_dir=folder, sources=(SourceSpec("journal.bib"),), lock_file="keys.lock")
    corpus = run_pipeline(settings, cache=cache, write_lock=True)
    text = write_bibtex(corpus.papers)
    counts = Counter(cache.work)
    counts["papers"] = len(corpus.papers)
    counts["entries written"] = len(re.findall(r"^@article\{", text, re.MULTILINE))
    counts["diagnostics"] = len(corpus.diagnostics)
    return counts, text


def test_a_journal_bib_of_editorials_costs_linear_work_and_keeps_every_key(tmp_path: Path) -> None:
    small, _ = work(tmp_path / "small", 1500)
    large, text = work(tmp_path / "large", 3000)
    assert large["papers"] == large["entries written"] == 3000  # no two entries of one file merged on a title
    assert set(re.findall(r"^@article\{(j\d+),", text, re.MULTILINE)) == {f"j{n}" for n in range(3000)}
    for measure in ("records read", "title comparisons", "papers merged", "entries written", "diagnostics"):
        ratio = large[measure] / small[measure]
        assert 1.9 <= ratio <= 2.1, f"{measure}: {small[measure]} -> {large[measure]} (x{ratio:.2f})"
    assert large["title comparisons"] <= MAX_TITLE_CANDIDATES * 3000
    assert large["diagnostics"] == 1500  # each unescaped `&` reported at its line, once
    assert text.count("Crowd \\& Its Poses}") == 1500  # and repaired on export
