"""Where citeproc-py 0.11 and CSL 1.0.2 (and Pandoc's citeproc) part, and what the style layer
does around it: the order of a citation's items, implicit year suffixes, styles without a
references list, label and note styles, range locators, keys without an entry. Real entries
(biblatex-examples.bib, read in place by the pipeline), the bundled styles, and small valid CSL
styles written here as the spec describes them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mkdocs_readinglist.citations.csl import CitationStyle, plain, style_path
from mkdocs_readinglist.citations.syntax import Citation, parse_bracketed, parse_in_text


def _kpsewhich(name: str) -> str:
    return subprocess.run(["kpsewhich", name], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping
    from mkdocs_readinglist.site import standalone_entries
    tmp = tmp_path_factory.mktemp("conformity")
    settings, _ = settings_from_mapping(tmp, {"sources": [_kpsewhich("biblatex-examples.bib")],
                                              "lock_file": str(tmp / "keys.lock")})
    return standalone_entries(run_pipeline(settings))


def citations(*texts: str) -> list[Citation]:
    """`[...]` bodies as bracketed citations, `in-text: key rest` as in-text ones (`@key [rest]`)."""
    out = []
    for text in texts:
        if text.startswith("in-text: "):
            key, _, rest = text.removeprefix("in-text: ").partition(" ")
            out.append(parse_in_text(key, rest or None))
        else:
            parsed = parse_bracketed(text)
            assert parsed is not None, text
            out.append(parsed)
    return out


def labels(csl: CitationStyle, *texts: str) -> list[str]:
    return [plain(label) for label in csl.render(citations(*texts), str).labels]


def bundled(name: str, entries: dict[str, str]) -> CitationStyle:
    return CitationStyle(style_path(name, Path(".")), entries)


def test_a_citation_keeps_the_order_written_unless_its_style_sorts_it(entries: dict[str, str]) -> None:
    """CSL 1.0.2, cs:sort: a cs:sort in cs:citation orders the cites of each citation; without
    one (Chicago's) they stay as written, as Pandoc keeps them. APA's citation sorts by author, and
    an author-suppressed item is sorted by the author it hides. The references list keeps its own
    sort (the bibliography's)."""
    chicago = bundled("chicago-author-date", entries)
    assert labels(chicago, "@knuth:ct:a; @aksin", "@knuth:ct:a; -@aksin", "@aksin; @knuth:ct:a") == [
        "(Knuth 1984; Aksın et al. 2006)", "(Knuth 1984; 2006)", "(Aksın et al. 2006; Knuth 1984)"]
    assert [key for key, _ in chicago.render(citations("@knuth:ct:a; @aksin"), str).references] == [
        "aksin", "knuth:ct:a"]
    apa = bundled("apa", entries)
    assert labels(apa, "@knuth:ct:a; @aksin", "@knuth:ct:a; -@aksin") == [
        "(Aksın et al., 2006; Knuth, 1984)", "(2006; Knuth, 1984)"]
    # IEEE sorts a citation by citation number: the page's first citation is [1].
    assert labels(bundled("ieee", entries), "@knuth:ct:a; @aksin", "@sigfridsson; @aksin") == ["[1], [2]", "[2], [3]"]
