"""Macros LaTeX itself defines (font switches, primitives, logos, `\\mbox`) and those of
biblatex and the file's own `@preamble` are not "undefined": a `.bib` value that uses them goes
out as written, and pages show what they print (latex/defined.py). Checked on TeX Live's
tugboat.bib, xampl.bib and biblatex-examples.bib in place, where they were rewritten into bare
names (`{it Umlaut\\/}s`) and shown by name ("mkbibquoteIntention")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.latex.decode import decode_latex, repair_latex, undefined_macros
from mkdocs_readinglist.sources import read_source

from .helpers import run_cli
from .test_bib_round_trip import fields_of, texlive_bib


@pytest.mark.parametrize(("latex", "shown"), [
    ("{\\sl Apprendre \\`a programmer en \\TeX}", "Apprendre à programmer en TeX"),
    ("Political \\mkbibquote{Intention}", "Political Intention"),
    ("\\mbox{G-Animal's} Journal", "G-Animal's Journal"),
    ("{\\it Umlaut\\/}s", "Umlauts"),
    ("DVI\\kern-.15em VDU", "DVIVDU"),
    ("Typesetting with \\LaTeXe", "Typesetting with LaTeX2e"),
    ("{\\noopsort{1973b}}1973", "1973"),
    ("An {$O(n \\log n)$} Sorting Algorithm", "An \\(O(n \\log n)\\) Sorting Algorithm"),
])
def test_pages_show_what_latex_prints(latex: str, shown: str) -> None:
    decoded = decode_latex(latex, tie_is_space=True)
    assert " ".join(decoded.text.split()) == shown
    assert not [p for p in decoded.problems if p[0] == "undefined-macro"]


def test_macros_latex_does_not_define_are_still_named_and_repaired() -> None:
    assert undefined_macros("spatial units (\\aus), \\eg poses, \\it bold") == ["aus", "eg"]
    assert repair_latex("Pose, \\eg in the {\\it Wild} with \\foobar") == "Pose, e.g. in the {\\it Wild} with foobar"
    # TeX's rule for math in LaTeX source: spaces inside `$ $` make no difference; a lone `$` is a dollar
    assert repair_latex("of $ \\Omega $: Adobe, for $5") == "of $ \\Omega $: Adobe, for \\$5"


def test_tugboat_values_go_out_as_written(tmp_path: Path) -> None:
    """tugboat.bib uses `\\it`, `\\kern`, `\\LaTeXe` and its @preamble reads tugboat.def
    (`\\acro`): not one of its values is rewritten for a macro, nor a `$ \\Omega $` escaped."""
    source = texlive_bib("tugboat.bib")
    out = tmp_path / "out.bib"
    result = run_cli("bib", str(source), "-o", str(out), "--lock", str(tmp_path / "k.lock"), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert "bib-undefined-macro" not in result.stderr
    assert not re.search(r"latex-special\]: title: .*'\$'", result.stderr)
    text = source.read_text(encoding="utf-8")
    old, new = fields_of(text), fields_of(out.read_text(encoding="utf-8"))
    for key in ("Mittelbach:TB13-1-96", "Haralambous:TB15-3-344"):  # `$ \hookrightarrow $`, `$ \Omega $`
        assert new[key]["title"] == old[key]["title"]
    uses = [(key, field) for key, fields in old.items() for field, value in fields.items()
            if re.search(r"\\(?:it|sl|kern|LaTeXe|acro)(?![A-Za-z])", value)]
    assert len(uses) > 300
    assert [(k, f) for k, f in uses if new[k][f] != old[k][f]] == []


def test_xampl_reads_its_noopsort_years_month_ranges_and_math_without_false_warnings(tmp_path: Path) -> None:
    source = texlive_bib("xampl.bib")
    result = read_source(source)
    by_key = {r.key: r for r in result.records}
    assert by_key["inbook-minimal"].year == 1973  # `{\noopsort{1973b}}1973`
    assert not [d for d in result.diagnostics if d.code in ("latex-special", "bib-undefined-macro", "bad-month")]
    assert by_key["article-full"].date == "1986-07"  # month = jul
    assert by_key["inbook-full"].date == "1973-01"  # month = "10~" # jan (the 10th of January)
    assert by_key["manual-full"].date == "1986-04"  # month = apr # "-" # may (a range: its first month)
    # the only year still reported: `{\noopsort{1973a}}{\switchargs{--90}{1968}}` prints a range, 1968--90
    assert [d.line for d in result.diagnostics if d.code == "bad-year"] == [125]
    # the value as the file has it (a repr doubled each backslash)
    assert next(d.message for d in result.diagnostics if d.code == "bad-year").startswith(
        "year '{\\noopsort{1973a}}{\\switchargs{--90}{1968}}' is not a year")
    assert by_key["techreport-full"].title == "An \\(O(n \\log n / \\! \\log\\log n)\\) Sorting Algorithm"
    assert by_key["article-full"].venue == "G-Animal's Journal"  # `\mbox{G-Animal's} Journal`


def test_a_noopsort_no_preamble_defines_is_reported_where_it_is(tmp_path: Path) -> None:
    """Beebe's font.bib uses `year = "{\\noopsort{1992b}}1992"` (lines 13701, 14922) and defines
    `\\noopsort` in no @preamble: bibtex writes it into the .bbl and pdflatex stops ("Undefined
    control sequence"); nothing was said (`\\noopsort` counts as defined, for pages). xampl.bib
    defines it in its @preamble: nothing to say there. A `{\\foo{1992b}}1992` year was `bad-year`
    only, the macro left unsaid."""
    font = texlive_bib("font.bib")
    lines = font.read_text(encoding="utf-8").split("\n")
    result = read_source(font)
    said = [(d.line, d.message.split(":")[0]) for d in result.diagnostics
            if d.code.endswith("bib-undefined-macro") and "\\noopsort" in d.message]
    assert said == [(13701, "year"), (14922, "year")]
    assert all("{\\noopsort{1992b}}1992" in lines[line - 1] for line, _ in said)
    assert not [d for d in read_source(texlive_bib("xampl.bib")).diagnostics if d.code.endswith("undefined-macro")]
    (tmp_path / "years.bib").write_text(
        '@book{a, author = "Ann Roe", title = "T", publisher = "P", year = "{\\foo{1992b}}1992"}\n'
        '@book{b, author = "Bob Roe", title = "U", publisher = "P", year = 1993, volume = "{\\SortNoop{1984a}}A"}\n',
        encoding="utf-8")
    done = run_cli("bib", "years.bib", "--lock", "keys.lock", "-o", "out.bib", cwd=tmp_path)
    assert "years.bib:1: warning[bib-undefined-macro]: year: undefined LaTeX macro \\foo" in done.stderr
    assert "years.bib:1: warning[bad-year]" in done.stderr
    assert "years.bib:2: warning[bib-undefined-macro]: volume: undefined LaTeX macro \\SortNoop" in done.stderr
    assert 'year = "{\\foo{1992b}}1992"' in (tmp_path / "out.bib").read_text(encoding="utf-8")  # written as it is
