"""Where bibtexparser v2's splitter reads a .bib otherwise than BibTeX does, the reader reads it
as BibTeX does (sources/bib_repairs.py): backslashes before a delimiter or a line's end
(`_shielded`), and `"` inside braces inside a quoted value (`quotes_in_braces_hidden`).

Checked on the TeX Live bibliographies that showed each (Beebe's texbook2.bib and typeset.bib,
used in place), against the file's own text: every diagnostic that names a field or an entry
must point at a line that holds it, and no entry may be lost.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.sources import bib_repairs as br
from mkdocs_readinglist.sources import read_source

from .helpers import run_cli
from .test_bib_round_trip import entries_of, texlive_bib

_NAMES_FIELD = re.compile(r"\.bib:(\d+)(?::\d+)?: \w+\[[\w-]+\]: (\w[\w-]*): ")
_NAMES_ENTRY = re.compile(r"\.bib:(\d+)(?::\d+)?: \w+\[[\w-]+\]: .*?entry '([^']+)'")


@pytest.mark.parametrize("name", ("texbook2.bib", "typeset.bib"))
def test_every_diagnostic_names_the_line_of_its_field_and_no_entry_is_lost(name: str, tmp_path: Path) -> None:
    """Both files have fields whose lines end in `\\\\` (tables of contents): bibtexparser does
    not count those lines, and 1,900 of TeX Live's diagnostics pointed at the wrong line (the
    entries' own lines, which every diagnostic about an entry names, too)."""
    source = texlive_bib(name)
    text = source.read_text(encoding="utf-8")
    lines = text.split("\n")
    result = run_cli("bib", str(source), "-o", "out.bib", "--lock", "keys.lock", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    checked, wrong = 0, []
    for line in result.stderr.splitlines():
        if (match := _NAMES_FIELD.search(line)) or (match := _NAMES_ENTRY.search(line)):
            named = match.group(2).lower()
        else:
            continue
        checked += 1
        if named not in lines[int(match.group(1)) - 1].lower():
            wrong.append(line)
    assert checked >= 2
    assert not wrong, f"{len(wrong)} of {checked} diagnostics point elsewhere, e.g. {wrong[:3]}"
    records = read_source(source).records
    misplaced = [r.key for r in records if f"{{{r.key}," not in lines[r.source.line - 1]]
    assert len(records) > 500 and not misplaced, f"{len(misplaced)} entries placed at another line: {misplaced[:5]}"
    written = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert entries_of(written) == entries_of(text)
    assert "unparsable-entry" not in result.stderr


def test_a_value_quoted_with_quotes_inside_braces_is_read_whole(tmp_path: Path) -> None:
    """texbook2.bib's Greene:1982:MAA has `remark = "{... "optionalen" Kapitel aus "the Art of
    Computer Programming, Band 3". ...}."`: valid BibTeX that bibtexparser gave up on."""
    source = texlive_bib("texbook2.bib")
    text = source.read_text(encoding="utf-8")
    start = text.index("@Book{Greene:1982:MAA,")
    entry = text[start:text.index("\n@", start)]
    remark = re.search(r'  remark =\s+("\{.*?\}\.")', entry, re.S)
    assert remark
    (tmp_path / "greene.bib").write_text(entry + "\n", encoding="utf-8")
    result = read_source(tmp_path / "greene.bib")
    assert [d for d in result.diagnostics if d.code.endswith("unparsable-entry")] == []
    assert [r.key for r in result.records] == ["Greene:1982:MAA"]
    bib_entry = result.records[0].bib
    assert bib_entry is not None
    fields = dict(bib_entry.fields)
    assert fields["remark"] == remark.group(1)
    assert fields["pages"] == '"123"' and fields["LCCN"] == '"QA76.6 .G7423 1982"'  # the fields after it too


def test_backslashes_before_a_delimiter_or_a_line_end_are_read_as_bibtex_reads_them(tmp_path: Path) -> None:
    (tmp_path / "slashes.bib").write_text(
        "@misc{path,\n  title = {Files under C:\\\\},\n  year = {2024},\n}\n"
        "@misc{toc,\n  title = \"Contents\",\n  tableofcontents = \"1: One \\\\\n 2: Two \\\\\n 3: Three \\\\\",\n"
        "  year = \"2020\",\n}\n"
        "@misc{after,\n  title = {After},\n  year = {2021},\n  pages = {1--2--3},\n}\n", encoding="utf-8")
    result = read_source(tmp_path / "slashes.bib")
    assert [r.key for r in result.records] == ["path", "toc", "after"]
    fields = {r.key: dict(r.bib.fields) for r in result.records if r.bib}
    assert fields["path"] == {"title": "{Files under C:\\\\}", "year": "{2024}"}
    assert fields["toc"]["tableofcontents"] == "\"1: One \\\\\n 2: Two \\\\\n 3: Three \\\\\""
    assert fields["toc"]["year"] == "\"2020\""
    assert [r.source.line for r in result.records] == [1, 5, 12]  # the lines after `\\` counted


def test_hidden_characters_never_reach_the_records() -> None:
    """What the workarounds hide is put back in every block's text, and a text that already
    holds one of their characters is read as it is."""
    text = '@misc{a,\n  note = "{x "y, z" w} \\\\",\n  title = {T \\\\\n U},\n}\n'
    parsed = br.parse(text)
    entry = next(b for b in parsed.blocks if isinstance(b, br.bib.Entry))
    values = [str(f.value) for f in entry.fields]
    assert values == ['"{x "y, z" w} \\\\"', "{T \\\\\n U}"]
    assert all("\ue000" not in v and "\ue001" not in v and "\ue002" not in v for v in [*values, str(entry.raw)])
    assert br.quotes_in_braces_hidden("@misc{a, t = {\ue002}}") == "@misc{a, t = {\ue002}}"


def test_entry_heads_spread_over_lines_or_after_text_are_read_as_bibtex_reads_them(tmp_path: Path) -> None:
    """BibTeX's own btxdoc.bib shows the syntax: a type with a hyphen whose `{` is on the next
    line, and an `@` at the end of a line of prose with the type and `(` two lines below.
    bibtexparser took both for comments and the entries were lost without a word."""
    (tmp_path / "heads.bib").write_text(
        "Prose before the entries.\n\n"
        "@FAKE-ENTRY\n        {fake-database-key,\n        never-used = \"Even if this were a real entry\"\n        }\n\n"
        "Some prose that ends in an at sign.@\n\n"
        "MaNuAl  (scribe,\n        TITLE=\"Scribe Document Production System\",\n"
        "        ORGANIZATION =  {Unilogic,}#\" Ltd\"# {.\n                        },\n        YEAR=1984,\n)\n"
        "@misc{after,\n  title = {After},\n  year = {2021},\n}\n", encoding="utf-8")
    result = read_source(tmp_path / "heads.bib")
    assert [(r.key, r.bib.entry_type if r.bib else None, r.source.line) for r in result.records] == [
        ("fake-database-key", "FAKE-ENTRY", 3), ("scribe", "MaNuAl", 8), ("after", "misc", 16)]
    scribe = dict(result.records[1].bib.fields)  # type: ignore[union-attr]
    assert scribe["ORGANIZATION"] == "{Unilogic,}#\" Ltd\"# {.\n                        }"
    assert result.records[1].title == "Scribe Document Production System"
    exported = run_cli("bib", "heads.bib", cwd=tmp_path).stdout
    assert entries_of(exported) == {"scribe": "manual", "after": "misc"}  # (its pattern takes letters only)
    assert "@FAKE-ENTRY{fake-database-key," in exported
    # the parts joined by `#` written as they came (the writer's brace guard once merged them into one value)
    assert "ORGANIZATION = {Unilogic,}#\" Ltd\"# {.\n                        }," in exported


def test_text_that_is_no_entry_head_stays_a_comment(tmp_path: Path) -> None:
    (tmp_path / "prose.bib").write_text(
        "% written by someone@example.org, 2024\n"
        "@comment{see @misc{x, ...} in the other file}\n"
        "@article{a,\n  title = {A},\n  year = {2020},\n}\n", encoding="utf-8")
    result = read_source(tmp_path / "prose.bib")
    assert [r.key for r in result.records] == ["a"]


def test_biblatex_sets_and_xdata_need_no_year_or_title(tmp_path: Path) -> None:
    """biblatex-examples' @set entries (`set`, `stdmodel`) group other entries and have no year or
    title of their own: no `no-year`/`no-title` warning telling the user to add one; their members
    are still checked."""
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping

    path = texlive_bib("biblatex-examples.bib")
    text = path.read_text(encoding="utf-8")
    sets = {m.group(1): text[:m.start()].count("\n") + 1 for m in re.finditer(r"^@set\{([^,]+),", text, re.M)}
    assert set(sets) == {"set", "stdmodel"}
    settings, _ = settings_from_mapping(tmp_path, {"sources": [str(path)], "lock_file": str(tmp_path / "keys.lock")})
    corpus = run_pipeline(settings)
    warned = {(d.line, d.code) for d in corpus.diagnostics if d.code in ("no-year", "no-title")}
    assert not {(line, code) for line in sets.values() for code in ("no-year", "no-title")} & warned
    assert {"set", "stdmodel"} <= {p.key for p in corpus.papers}  # kept, as every entry


def test_an_undefined_dash_macro_is_a_dash_and_no_macro_name_is_glued_to_a_word(tmp_path: Path) -> None:
    """Beebe's typeset.bib writes `Soft{\\-}ware\\emdash Prac{\\-}tice` without defining `\\emdash`:
    the repair wrote `Soft{\\-}wareemdash Prac...` (21 places); it is TeX's dash now, on the page too."""
    from mkdocs_readinglist.latex.decode import decode_latex, repair_latex

    source = texlive_bib("typeset.bib")
    assert "ware\\emdash Prac" in source.read_text(encoding="utf-8")
    result = run_cli("bib", str(source), "-o", "out.bib", "--lock", "keys.lock", cwd=tmp_path)
    written = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert result.returncode == 0 and "Soft{\\-}ware---Prac{\\-}tice" in written
    assert not re.search(r"[A-Za-z]emdash", written)
    assert decode_latex.__wrapped__("Typesetting\\emdash An Author's View").text == "Typesetting\u2014An Author's View"
    assert repair_latex("word\\foobar next") == "word foobar next"  # an undefined name, not glued


def test_a_quote_inside_braces_of_a_quoted_value_keeps_every_later_field(tmp_path: Path) -> None:
    """texbook1.bib's Tschichold:NT91 has `subtitle = "{Ein Handbuch f{\\"u}r zeitgem{"a}{\\ss} ...}"`
    (German `{"a}`): BibTeX and biber read it whole; bibtexparser ended the value at that `"`
    without giving up, and the export lost publisher, year and nine fields more."""
    source = texlive_bib("texbook1.bib")
    text = source.read_text(encoding="utf-8")
    start = text.index("@Book{Tschichold:NT91,")
    entry = text[start:text.index("\n}", start) + 2]
    (tmp_path / "nt91.bib").write_text(entry + "\n", encoding="utf-8")
    result = run_cli("bib", "nt91.bib", "-o", "out.bib", "--lock", "keys.lock", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for code in ("unbalanced-braces", "no-year", "missing-field"):
        assert code not in result.stderr
    written = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert 'zeitgem{"a}{\\ss} Schaffende}"' in written
    for fld in ("publisher = pub-HSCHV", 'year = "1991"', 'pages = "240"', 'bibdate = "Tue Mar 1 12:12:20 1994"'):
        assert fld in written
    assert entries_of(written) == entries_of(entry)
    fields = dict(read_source(tmp_path / "nt91.bib").records[0].bib.fields)  # type: ignore[union-attr]
    assert len(fields) == 13


def test_a_single_quote_inside_braces_of_a_quoted_value(tmp_path: Path) -> None:
    """As the real tools read it: `note = "x {"a} z"` is the note `x {"a} z` (plain prints it);
    an entry whose braces do not balance keeps its `"` for the brace repairs."""
    (tmp_path / "q.bib").write_text('@misc{a, author = "Jan Doe", title = "Title", note = "x {"a} z", year = "1991"}\n'
                                    '@misc{b, author = "Ann Roe", title = "T {"o} U", year = "1992", note = {x}}\n',
                                    encoding="utf-8")
    result = read_source(tmp_path / "q.bib")
    fields = {r.key: dict(r.bib.fields) for r in result.records if r.bib}
    assert fields["a"] == {"author": '"Jan Doe"', "title": '"Title"', "note": '"x {"a} z"', "year": '"1991"'}
    assert fields["b"] == {"author": '"Ann Roe"', "title": '"T {"o} U"', "year": '"1992"', "note": "{x}"}
    assert [d.code for d in result.diagnostics if "brace" in d.code or "year" in d.code] == []
    assert br.quotes_in_braces_hidden('@misc{a, t = "x {"a} z", u = {{"}}}\n@misc{b, t = "{"}\n') == (
        '@misc{a, t = "x {\ue002a} z", u = {{\ue002}}}\n@misc{b, t = "{"}\n')
