"""latex.lint: the .bib read as LaTeX will see it, in process (no TeX runs)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from mkdocs_readinglist.latex.lint import lint, problem, read_entries
from mkdocs_readinglist.model import Severity

FIXTURES = Path(__file__).parent / "fixtures" / "latex"


def test_lint_points_at_the_exact_line_of_unescaped_specials() -> None:
    text = ("@article{a,\n  title = {Fine \\% and {$x_1^2$}},\n  abstract = {line one\n  50% and a & b},\n"
            "  url = {https://x.org/a_b%20c},\n  doi = {10.1/a\\_b}\n}\n")
    found = [(p.line, p.code, p.message.split(": ", 1)[1][:14]) for p in lint(text, "refs.bib")]
    assert found == [(4, "latex-unescaped", "unescaped '%' "), (4, "latex-unescaped", "unescaped '&' "),
                     (6, "latex-verbatim-escape", "`\\_` in a verb")]
    assert all(p.file == "refs.bib" and p.severity is Severity.WARNING for p in lint(text, "refs.bib"))


def test_lint_of_the_broken_fixture_names_both_entries_at_their_title_lines() -> None:
    text = (FIXTURES / "broken.bib").read_text(encoding="utf-8")
    lines = text.splitlines()
    found = lint(text, "broken.bib")
    assert [(p.line, p.code) for p in found] == [
        (next(n for n, line in enumerate(lines, 1) if "50%" in line), "latex-unescaped"),
        (next(n for n, line in enumerate(lines, 1) if "Pose &" in line), "latex-unescaped")]
    assert "'percent2021'" in found[0].message and "silently drops" in found[0].message
    assert found[1].format().startswith(f"broken.bib:{found[1].line}: warning")


def test_an_entry_bibtexparser_cannot_read_is_an_error_at_its_line() -> None:
    text = "@article{ok,\n  title = {Fine}\n}\n\n@article{ok,\n  title = {Again}\n}\n"
    found = lint(text, "dup.bib")
    assert [(p.line, p.severity, p.code) for p in found] == [(5, Severity.ERROR, "latex-unreadable-entry")]
    assert [e.key for e in read_entries(text)] == ["ok"]


def test_read_entries_on_texlive_xampl_bib() -> None:
    """TeX Live's own example bibliography: every entry read with its line, `@string`s resolved."""
    found = subprocess.run(["kpsewhich", "xampl.bib"], capture_output=True, text=True, check=False).stdout.strip()
    assert shutil.which("kpsewhich") and found, "TeX Live's xampl.bib is needed (scripts/test.sh installs it)"
    text = Path(found).read_text(encoding="latin-1")
    entries = read_entries(text)
    lines = text.splitlines()
    assert len(entries) == len([line for line in lines if line.lstrip().startswith("@") and
                                not line.lstrip().lower().startswith(("@string", "@preamble", "@comment"))])
    for entry in entries:
        assert entry.key in lines[entry.line - 1], entry
        if entry.title_line is not None:
            assert "title" in lines[entry.title_line - 1].lower(), entry


def test_problem_names_engine_entry_and_context_once() -> None:
    made = problem("x.bib", "biber", Severity.ERROR, "latex-tex-error", "pdflatex: Oops", "k1", 7, "ctx")
    assert (made.file, made.line, made.message) == ("x.bib", 7, "[biber] pdflatex: Oops (entry 'k1') near 'ctx'")
    assert made.code == "latex-tex-error"
    named = problem("x.bib", "bib", Severity.WARNING, "latex-unescaped", "field 'title' of 'k1': bad", "k1")
    assert named.message == "[bib] field 'title' of 'k1': bad" and named.line == 0
    assert named.format().startswith("x.bib: warning")  # no line: the file alone


def test_only_typeset_fields_are_checked_for_specials_and_logos_are_letters() -> None:
    """JabRef's `comment` (no style typesets it) may hold `&`; a title may not. dk-bib's `The {\\LaTeX}
    Companion` puts "The LATEX Companion" on the page: its letters are the title's."""
    from mkdocs_readinglist.latex.logs import in_order, letters, title_letters

    text = "@book{b, title = {Cost & Benefit}, comment = {Read it & weep}, year = {2001}}\n"
    found = lint(text, "j.bib")
    assert [(d.code, "'title'" in d.message) for d in found] == [("latex-unescaped", True)]
    assert in_order(title_letters(r"The {\LaTeX} Companion"), letters("The LATEX Companion, 2nd edition"))
    assert in_order(title_letters(r"{\TeX}book"), letters("The TEXbook"))
