"""The bad-input invariant (tests/cases/bad-inputs.md) as properties over generated inputs (hypothesis), for each
reader and for .bib files:

* no exception escapes reading, merging, keying or writing BibTeX;
* records read + records reported as skipped = records detected;
* every message and every record points at a 1-based line of the file;
* the .bib written from whatever was read always re-parses, one entry per paper, keys unique
  case-insensitively, every field brace-balanced.

Inputs are listings of the four formats and .bib files built from generated papers, then broken
by generated edits (lines dropped, doubled, swapped, cut, joined; junk, markup, LaTeX, control
characters and other line ends inserted): malformed files nobody here has seen.
"""

from __future__ import annotations

import os
import unicodedata
from html.parser import HTMLParser

import bibtexparser.model as bib
import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mkdocs_readinglist.corpus import merge_records
from mkdocs_readinglist.enrich.keys import KeyLock, assign_keys
from mkdocs_readinglist.latex.decode import plain_text
from mkdocs_readinglist.model import SourceResult
from mkdocs_readinglist.render.bibtex import write_bibtex
from mkdocs_readinglist.render.markdown_text import md
from mkdocs_readinglist.sources import READERS, read_text
from mkdocs_readinglist.sources.base import SourceOptions, reports_skipped_record
from mkdocs_readinglist.sources.bib_repairs import parse, silenced_parse
from mkdocs_readinglist.sources.encoding import decode_bytes
from mkdocs_readinglist.text import clean_text

# READINGLIST_PROPERTY_EXAMPLES=2000 for a deeper search than CI's
PROPERTY = settings(max_examples=int(os.environ.get("READINGLIST_PROPERTY_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.data_too_large])

# ---- text with every kind of trouble in it ---------------------------------------------------

NASTY = ["&", "%", "$", "#", "_", "^", "~", "{", "}", "\\", "\\&", "\\(\\alpha\\)", "$x^2$", "\\eg", "\\aus",
         "\\textbf{b}", "{https://x.org", "<script>", "<https://a.b>", "*", "__x__", "`", "[a](b)", "·", "•",
         "—", "→", "×", "\U0001F600", "e\u0301", "\u00a0", "\u200b", "\ufeff", "\t", "“", "”", "é", "ß", "Ł",
         "@article{", "arXiv:", "Created:", "• 3 authors", "Jul 31, 2025", "May 13", "Top topics:", "=", ",",
         "\"", "'", "%%", "}}", "{{", "\\\\", "\\)", "\\(", "$$", "@", "Subscribe", "&amp;", "&#x41;", "<!--",
         "-->", "***", "---", "> quote", "1)", "2.", "- ", "+", ":smile:", "{: .x}", "[^1]", "*[HTML]: x", "<b>",
         "</b>", "![i](j)", "<a href='x'>", "|", "  ", "\\*", "~~x~~", "==x=="]
WORDS = ["pose", "motion", "gait", "hands", "faces", "learning", "model", "diffusion", "video", "human",
         "benchmark", "transformer", "3D", "Net", "via", "of", "the", "GaitNet:", "CLUTCH:", "a"]

word = st.one_of(st.sampled_from(WORDS), st.sampled_from(NASTY),
                 st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6))
phrase = st.lists(word, min_size=1, max_size=14).map(" ".join)
title = st.lists(st.sampled_from(WORDS), min_size=2, max_size=8).map(lambda w: " ".join(w).title()) | phrase
abstract = st.lists(word, min_size=12, max_size=70).map(lambda w: " ".join(w) + ".")


def _date() -> st.SearchStrategy[str]:
    return st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(1990, 2030), st.integers(0, 13),
                     st.integers(0, 32))


@st.composite
def notes_page(draw: st.DrawFn) -> str:
    papers = draw(st.lists(st.tuples(title, st.lists(abstract, min_size=0, max_size=2)), max_size=8))
    declared = draw(st.integers(0, 12))
    head = f"Skip to content\n\n🧑 {draw(title)}\n\n🔬 ICLR2026 · {declared} paper notes\n\n🔥 Top topics: Human Pose ×3 · LLM ×1"
    body = "\n\n".join(t + "".join("\n\n" + p for p in summary) for t, summary in papers)
    return head + "\n\n" + body + "\n"


@st.composite
def hf_search(draw: st.DrawFn) -> str:
    papers = draw(st.lists(st.tuples(title, st.none() | abstract), max_size=10))
    lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    for number, (t, a) in enumerate(papers):
        lines.append(("Subscribe" if number == 0 else "") + t)
        if a is not None:
            lines.append(a)
    return "\n".join(lines) + "\n"


@st.composite
def arxiv_listing(draw: st.DrawFn) -> str:
    papers = []
    for _ in range(draw(st.integers(0, 6))):
        parts = [draw(abstract)]
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(["6 pages, 7 figures", "CVPR2024", "Accepted to NeurIPS 2023"]) | phrase))
        ident = draw(st.sampled_from(["2507.02565", "2502.03836v2", "cs/0112017", "2507.0256", "", "x"])
                     | st.from_regex(r"\d{4}\.\d{4,5}(v\d)?", fullmatch=True))
        meta = []
        if draw(st.booleans()) or True:
            meta.append(f"arXiv:{ident}")
        if draw(st.booleans()):
            meta.append(f"Created: {draw(_date())}" + (f" Updated: {draw(_date())}" if draw(st.booleans()) else ""))
        parts.append("\n".join(meta))
        papers.append("\n\n".join(parts))
    return "\n\n".join(papers) + "\n"


@st.composite
def hf_daily(draw: st.DrawFn) -> str:
    blocks = ["new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
              "byAK and the research community", "May 13"]
    for _ in range(draw(st.integers(0, 6))):
        blocks.append(draw(title))
        if draw(st.booleans()):
            blocks.append(draw(abstract))
        meta = draw(st.sampled_from(["  • 8 authors\n·\nJul 31, 2025", "  • 1 author\n·\nMay 2",
                                     "HKUSTGZ HKUSTGZ\n·\nApr 26, 2025 12", "·\nFeb 30", "  • 2 authors", ""]))
        if meta:
            blocks.append(meta)
    return "\n\n".join(blocks) + "\n"


FIELD_NAMES = ["title", "author", "year", "month", "journal", "booktitle", "abstract", "eprint", "crossref",
               "url", "pages", "doi", "note"]


@st.composite
def bib_entry(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["article", "inproceedings", "misc", "webpage", "string", "comment", "preamble"]))
    key = draw(st.sampled_from(["a2020", "A2020", "b", "bad key", "", "x{y", "k#1", "dup"])
               | st.from_regex(r"[a-z]{1,8}[0-9]{0,4}", fullmatch=True))
    fields = []
    for _ in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(FIELD_NAMES))
        value = draw(st.sampled_from(["2020", "n.d.", "13", "jan", "Doe, Jane and Others", "Roe, Rick, Jr, Extra",
                                      "Lee, A., Kim, B., & Park, C.", "2401.00001", "pami # \" x\""]) | phrase)
        enclosed = draw(st.sampled_from(["{%s}", "\"%s\"", "%s", "{%s", "%s}", "{{%s}}"])) % value
        fields.append(f"  {name} = {enclosed}")
    separator = draw(st.sampled_from([",\n", "\n", ",\n", ",\n"]))
    close = draw(st.sampled_from(["}", "}", "}}", "", ")"]))
    return f"@{kind}{{{key},\n" + separator.join(fields) + "\n" + close + "\n"


@st.composite
def bib_file(draw: st.DrawFn) -> str:
    entries = draw(st.lists(bib_entry(), max_size=8))
    if draw(st.booleans()):
        entries.insert(0, '@string{pami = "Pattern Analysis"}\n')
    return "\n".join(entries)


# ---- breaking them ---------------------------------------------------------------------------

@st.composite
def broken(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    lines = draw(base).split("\n")
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        edit = draw(st.sampled_from(["drop", "double", "swap", "cut", "join", "junk", "blank", "split"]))
        at = draw(st.integers(0, len(lines) - 1))
        if edit == "drop":
            del lines[at]
        elif edit == "double":
            lines.insert(at, lines[at])
        elif edit == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif edit == "cut":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        elif edit == "join" and at + 1 < len(lines):
            lines[at: at + 2] = [lines[at] + lines[at + 1]]
        elif edit == "junk":
            lines.insert(at, draw(phrase))
        elif edit == "blank":
            lines.insert(at, "")
        elif edit == "split" and lines[at]:
            cut = draw(st.integers(0, len(lines[at])))
            lines[at: at + 1] = [lines[at][:cut], lines[at][cut:]]
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return ending.join(lines)


any_listing = st.one_of(notes_page(), hf_search(), arxiv_listing(), hf_daily(), bib_file())


# ---- the invariants --------------------------------------------------------------------------

def read(text: str, options: SourceOptions | None = None, name: str = "gen.txt") -> SourceResult:
    decoded = decode_bytes(text.encode("utf-8", "surrogatepass"), name)
    if decoded.text is None:
        assert decoded.diagnostic is not None
        return SourceResult(name, None, (), (decoded.diagnostic,))
    return read_text(decoded.text, name, options)


def assert_invariants(result: SourceResult, text: str) -> None:
    reported = sum(1 for d in result.diagnostics if reports_skipped_record(d))
    assert len(result.records) + reported == result.detected, (len(result.records), reported, result.detected)
    lines = max(1, text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1)
    for diagnostic in result.diagnostics:
        assert 1 <= diagnostic.line <= lines, diagnostic
    for record in result.records:
        assert 1 <= record.source.line <= lines, record.source
        for value in (record.title, record.abstract, record.summary):
            assert value is None or ("\r" not in value and "\ufeff" not in value)
    assert_bib_reparses([result])


def assert_bib_reparses(results: list[SourceResult]) -> None:
    papers = assign_keys(merge_records(results).papers, KeyLock({})).papers
    text = write_bibtex(papers)
    # bibtexparser as BibTeX reads backslashes (`{C:\\\\}` closes; its splitter alone reads on):
    # sources/bib_repairs.silenced_parse, tests/test_bib_parser_workarounds.py
    library = silenced_parse(text)
    assert not library.failed_blocks, [b.raw for b in library.failed_blocks]
    # Every paper's entry as BibTeX reads the file (bib_repairs.parse, as the .bib reader does): a
    # type BibTeX takes and bibtexparser does not (`@&{...`, from a stray `@ & {` a user's .bib
    # holds: the record is the truth) counts too.
    # One entry per key a paper answers to: its own, and each key of the .bib entries merged into it
    # (every merged entry is written under its own key, unless another paper's entry has that key).
    entries = [b for b in parse(text).blocks if isinstance(b, bib.Entry)]
    keys = [e.key for e in entries]
    assert len({k.lower() for k in keys}) == len(keys)
    assert {k.lower() for k in keys} == {k.lower() for paper in papers for k in paper.cite_keys}
    assert {paper.key for paper in papers} <= set(keys)
    for entry in library.entries:
        for fld in entry.fields:
            value = str(fld.value)
            depth, index = 0, 0
            while index < len(value):
                if value[index] == "\\":  # `\{` is a brace as text; `\\` (a line break) is not one
                    index += 2
                    continue
                depth += {"{": 1, "}": -1}.get(value[index], 0)
                assert depth >= 0, (entry.key, fld.key, value)
                index += 1
            assert depth == 0, (entry.key, fld.key, value)


@PROPERTY
@given(broken(notes_page()))
def test_notes_page_reader(text: str) -> None:
    assert_invariants(read(text, SourceOptions(format="notes-page")), text)


@PROPERTY
@given(broken(hf_search()))
def test_hf_search_reader(text: str) -> None:
    assert_invariants(read(text, SourceOptions(format="hf-search")), text)


@PROPERTY
@given(broken(arxiv_listing()))
def test_arxiv_listing_reader(text: str) -> None:
    assert_invariants(read(text, SourceOptions(format="arxiv-listing")), text)


@PROPERTY
@given(broken(hf_daily()), st.none() | st.integers(1990, 2030))
def test_hf_daily_reader(text: str, year: int | None) -> None:
    assert_invariants(read(text, SourceOptions(format="hf-daily", year=year)), text)


@PROPERTY
@given(broken(bib_file()))
def test_bib_reader(text: str) -> None:
    assert_invariants(read(text, SourceOptions(format="bibtex")), text)


@PROPERTY
@given(st.lists(broken(any_listing), min_size=1, max_size=3).map("\n\n".join))
def test_detection_and_pasted_listings(text: str) -> None:
    """Unforced: the format is detected, pasted listings are cut; the same invariants hold."""
    assert_invariants(read(text), text)


@PROPERTY
@given(st.text(max_size=400) | st.binary(max_size=400).map(lambda b: b.decode("utf-8", "replace")))
def test_any_text_at_all(text: str) -> None:
    for name in (None, *READERS):
        assert_invariants(read(text, SourceOptions(format=name)), text)


@PROPERTY
@given(st.binary(max_size=600))
def test_any_bytes_are_read_or_named(data: bytes) -> None:
    decoded = decode_bytes(data, "gen.bin")
    if decoded.text is None:
        assert decoded.diagnostic is not None and decoded.diagnostic.severity.value == "error"
        assert decoded.diagnostic.line >= 1 and (decoded.diagnostic.column or 1) >= 1
        assert "file skipped" in decoded.diagnostic.message
    else:
        assert "\r" not in decoded.text and not decoded.text.startswith("\ufeff")
        assert_invariants(read_text(decoded.text, "gen.bin"), decoded.text)


@PROPERTY
@given(st.lists(broken(any_listing), min_size=2, max_size=4))
# Found by hypothesis: a braced value that closes early and ends in `\\` (LaTeX's line break)
# was written back as `{ \\}`, whose brace bibtexparser then read as escaped.
@example(["@article{a,\n  title = {} \\\\}\n}\n", "@misc{b,\n  title = {B}\n}\n"])
# Found by hypothesis: `title = {\\\\}` (a line break, balanced for BibTeX); a stray `@ & {https://x.org}` after
# an entry closed early, which BibTeX (and the reader) takes for an entry of type `&`.
@example(["@article{b,\n  title = {\\\\}\n}\n", "@misc{c,\n  title = {C}\n}\n"])
@example(["@article{a2020,\n  title = 2020},\n  title = {@ & {https://x.org}\n}\n", "@misc{c,\n  title = {C}\n}\n"])
def test_merging_several_files_keeps_the_bib_valid(texts: list[str]) -> None:
    results = [read(text, name=f"gen{number}.txt") for number, text in enumerate(texts)]
    assert_bib_reparses(results)


def test_untitled_bib_entry_with_a_note_exports_one_note() -> None:
    text = "@misc{a,\n  note = {Read later},\n  year = {2020}\n}\n"
    assert_invariants(read(text, SourceOptions(format="bibtex"), "gen.bib"), text)


# ---- text from sources never becomes markup --------------------------------------------------

class _Shown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _as_read(text: str) -> str:
    """Text as readers hand it on: control characters removed on decoding, spaces cleaned."""
    return clean_text("".join(c for c in text if unicodedata.category(c) != "Cc"))


MARKDOWN = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "admonition", "toc", "def_list",
                                         "footnotes", "abbr"])
CONTEXTS = {"p": "{}", "h1": "# {}", "h2": "## {} ##", "li": "- {}", "a": "[{}](https://example.org)",
            "td": "| a |\n|---|\n| {} |", "strong": "**{}**"}


@PROPERTY
@given((phrase | title | st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=80)).map(_as_read)
       .filter(bool), st.sampled_from(sorted(CONTEXTS)))
def test_scraped_text_renders_as_itself_in_pages(text: str, context: str) -> None:
    """Whatever a title or abstract holds, a page shows it as text: no element it did not ask for,
    and the same characters (math shown as Unicode, spaces collapsed)."""
    MARKDOWN.reset()
    html = MARKDOWN.convert(CONTEXTS[context].format(md(text)))
    shown = _Shown()
    shown.feed(html)
    wanted = {"p": ["p"], "h1": ["h1"], "h2": ["h2"], "li": ["ul", "li"], "a": ["p", "a"],
              "td": ["table", "thead", "tr", "th", "tbody", "tr", "td"], "strong": ["p", "strong"]}[context]
    assert shown.tags == wanted, (md(text), html)
    expected = " ".join(plain_text(text).split())
    got = " ".join("".join(shown.text).split())
    if context == "td":
        got = got.removeprefix("a").strip()
    assert got == expected, (md(text), html)
