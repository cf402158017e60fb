"""Real LaTeX judges the exported BibTeX: pdflatex + bibtex (plain, alpha) and biblatex + biber.

The tools are never skipped in CI (CI=true): a machine without them fails these tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mkdocs_readinglist.latex.check import CheckResult, check_bib
from mkdocs_readinglist.latex.encode import LETTERS, SAFE_CHARACTERS, fallback, to_latex
from mkdocs_readinglist.latex.logs import in_order, letters
from mkdocs_readinglist.latex.run import ENGINES, missing_tools

from .helpers import REPO, copy_samples, papers_json, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "latex"
SPECIALS = "&%$#_^~{}\\"


def require_tex() -> None:
    """Skip without TeX on a developer machine; fail in CI, where scripts/test.sh installs it."""
    missing = missing_tools(ENGINES)
    if missing:
        message = f"LaTeX tools missing: {', '.join(missing)}"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message + " (CI must run the LaTeX check: see scripts/test.sh)")
        pytest.skip(message)


def report(result: CheckResult) -> str:
    return "\n".join(p.format() for p in result.problems)


def expected_on_page(title: str) -> list[str]:
    """What the model's title must put on the page, in order: prose only (pdftotext orders
    math its own way); a character the export cannot encode shows as its `<U+XXXX>` stand-in."""
    pieces = []
    for piece in re.split(r"\\\(.+?\\\)", title):  # the model's inline math: \(..\)
        shown = "".join(c if c.isascii() or fallback(c) not in to_latex(c) else f"U+{ord(c):04X}" for c in piece)
        if found := letters(shown):
            pieces.append(found)
    return pieces



def export(sources: list[Path], target: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The real pipeline's export of `sources` (copies: the key lock is written beside them),
    and its papers as JSON."""
    out = target / "refs.bib"
    paths = [str(s) for s in sources]
    result = run_cli("bib", *paths, "-o", str(out), cwd=target)
    assert result.returncode == 0, result.stderr
    return out, papers_json(*paths, cwd=target)


@pytest.fixture(scope="module")
def corpus_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    work = tmp_path_factory.mktemp("corpus-export")
    bib = copy_samples(work)
    return export([bib], work)


@pytest.fixture(scope="module")
def hard_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    work = tmp_path_factory.mktemp("hard-export")
    shutil.copytree(FIXTURES, work / "hard", ignore=shutil.ignore_patterns("broken*", "logs"))  # logs/: the log-reading tests' own
    return export([work / "hard"], work)


@pytest.mark.latex
def test_sample_corpus_export_compiles_cleanly_three_ways(corpus_export: tuple[Path, list[dict[str, Any]]]) -> None:
    require_tex()
    bib, papers = corpus_export
    result = check_bib(bib)
    assert result.problems == [], report(result)
    assert [r.engine for r in result.runs] == list(ENGINES)
    assert len(papers) == 224 and len(result.entries) == len(papers)
    titled = [p for p in papers if p["title"]]
    for run in result.runs:
        assert run.typeset == len(papers), run.engine
        assert run.titles_found == len(titled), run.engine
        page = letters(run.pdf_text)
        lost = [p["key"] for p in titled if not in_order(expected_on_page(p["title"]), page)]
        assert lost == [], f"{run.engine}: model titles not in the PDF: {lost}"


def test_hard_fixture_holds_the_hard_cases(hard_export: tuple[Path, list[dict[str, Any]]]) -> None:
    """The fixture really holds what it is for, as the model reads it (no TeX needed)."""
    bib, papers = hard_export
    titles = " ".join(p["title"] or "" for p in papers)
    abstracts = " ".join(p["abstract"] or "" for p in papers)
    for char in "&%$#_^~":
        assert char in titles, char
    for char in "{}\\":
        assert char in abstracts + titles, char
    assert "\\(" in titles
    authors = {a for p in papers for a in p["authors"]}
    assert {"García, María", "Øberg, Lars", "Antonín Dvořák", "others"} <= authors
    assert any(ord(c) > 0x3000 for c in titles) and any("\u0400" <= c <= "\u04ff" for c in titles)
    assert max(len(p["abstract"] or "") for p in papers) > 5000  # left out of the .bib
    assert max(len(p["abstract"] or "") for p in papers if len(p["abstract"] or "") <= 5000) > 4000
    text = bib.read_text(encoding="utf-8")
    assert "\\\\&" not in text and "{\\&}" in text  # `Front \& Back` escaped once, not doubled


@pytest.mark.latex
def test_hard_fixture_compiles_cleanly_three_ways(hard_export: tuple[Path, list[dict[str, Any]]]) -> None:
    require_tex()
    bib, papers = hard_export
    result = check_bib(bib)
    assert result.problems == [], report(result)
    titled = [p for p in papers if p["title"]]
    for run in result.runs:
        assert run.typeset == len(papers) and run.titles_found == len(titled), run.engine
        page = letters(run.pdf_text)
        lost = [p["key"] for p in titled if not in_order(expected_on_page(p["title"]), page)]
        assert lost == [], f"{run.engine}: model titles not in the PDF: {lost}"


@pytest.mark.latex
def test_every_character_the_export_encodes_compiles(tmp_path: Path) -> None:
    """Each character the encoder writes as a macro (SAFE_CHARACTERS, LETTERS), and a sample of those
    it falls back on, in titles, through all three engines."""
    require_tex()
    samples = [*sorted(SAFE_CHARACTERS), *sorted(map(ord, LETTERS)), 0x4E2D, 0x0416, 0x1F916, 0x211D, 0x27E8, 0x0126,
               0x05D0]
    entries = [f"@misc{{c{cp:05x},\n  title = {{{{Sign {cp:05x} is {to_latex(chr(cp))} here}}}},\n"
               f"  key = {{{_label(i)}}}\n}}\n" for i, cp in enumerate(samples)]
    bib = tmp_path / "characters.bib"
    bib.write_text("\n".join(entries), encoding="utf-8")
    result = check_bib(bib)
    assert result.problems == [], report(result)
    assert all(run.typeset == len(samples) for run in result.runs)


NAMES_T1_PRINTS = """@article{ro2, author = {Țurcanu, Ion and Ștefan Popescu}, title = {Un titlu}, journal = {Revista}, year = {2020}}
@article{ro3, author = {Turner, Ann}, title = {Another}, journal = {Revista}, year = {2020}}
@article{ro4, author = {Đorđević, Milan and Čapek, Karel}, title = {Third}, journal = {Revista}, year = {2021}}
@article{iast, author = {Kṛṣṇa, Rāma}, title = {Ṛgveda and the Aṣṭādhyāyī of Pāṇini}, journal = {Indica}, year = {2019}}
@article{pinyin, author = {Lǚ, Xiǎo and Zhōu, Ǒu}, title = {Guǎngzhōu}, journal = {Sinica}, year = {2018}}
"""


@pytest.mark.latex
def test_letters_t1_prints_are_written_as_latex_not_stand_ins(tmp_path: Path) -> None:
    """try14c: Romanian Ș ș Ț ț, Đ, IAST ṛ ṣ ṇ ṭ and Pinyin ǎ ǒ ǔ, which pdflatex prints with T1, were
    written `<U+0218>`: alpha's label of Đorđević and Čapek was `[<U+0110>Č21]`, abbrv's initial
    of Ștefan `<.`. (A capital with a dot below, or ǚ, stays a stand-in: biber writes it as a
    character inputenc's utf8 does not know.)"""
    require_tex()
    (tmp_path / "names.bib").write_text(NAMES_T1_PRINTS, encoding="utf-8")
    done = run_cli("bib", "names.bib", "--lock", "keys.lock", "-o", "out.bib", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    exported = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert "{\\textcommabelow{T}}urcanu" in exported and "{\\DJ}or{\\dj}evi{\\'c}" in exported
    assert "K{\\d{r}}{\\d{s}}{\\d{n}}a" in exported and "L{\\texttt{<U+01DA>}" in exported  # (ǚ: see above)
    assert exported.count("<U+") == 2 and "{\\texttt{<U+1E5A>}\\allowbreak}gveda" in exported  # ǚ, Ṛ
    result = check_bib(tmp_path / "out.bib")
    assert result.problems == [], report(result)
    alpha = next(run.pdf_text for run in result.runs if run.engine == "bibtex-alpha")
    assert "[ÐČ21]" in alpha and "Milan Ðorđević and Karel Čapek" in alpha, alpha  # (T1's Đ is Ð's glyph)


def _label(index: int) -> str:
    """Distinct 3-letter sort keys, so alpha's labels never collide."""
    letters_ = "abcdefghijklmnopqrstuvwxyz"
    return letters_[index // 676 % 26] + letters_[index // 26 % 26] + letters_[index % 26]


def _line_of(text: str, pattern: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(pattern)


def _reported(line: str, bib: Path, at: tuple[int, ...], severity: str, engine: str) -> bool:
    """A line of `latex-check` is `FILE:LINE: severity: [engine] ..` (or `severity[code]`) at one of `at`."""
    lines = "|".join(str(n) for n in at)
    return re.match(rf"{re.escape(str(bib))}:(?:{lines}): {severity}(?:\[[\w-]+\])?: \[{engine}\]", line) is not None


def _entry_lines(text: str, key: str) -> tuple[int, int]:
    """The 1-based lines of an entry's `@type{key,` and of its title."""
    entry_line = _line_of(text, rf"@\w+\{{{key},")
    return entry_line, entry_line + _line_of("\n".join(text.splitlines()[entry_line:]), r"^\s*title")


@pytest.mark.latex
def test_latex_check_names_the_broken_entries(tmp_path: Path) -> None:
    require_tex()
    bib = tmp_path / "broken.bib"
    shutil.copy(FIXTURES / "broken.bib", bib)
    text = bib.read_text(encoding="utf-8")
    done = run_cli("latex-check", str(bib), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for key, char in (("percent2021", "%"), ("amp2022", "&")):
        entry_line, title_line = _entry_lines(text, key)
        assert char in text.splitlines()[title_line - 1]
        at_entry = [line for line in lines if f"'{key}'" in line]
        for engine in ("bibtex-plain", "bibtex-alpha"):
            assert any(_reported(line, bib, (entry_line, title_line), "error", engine) for line in at_entry), \
                (engine, key, done.stdout)
        assert any(_reported(line, bib, (title_line,), "warning", "bib") for line in lines if key in line)
    # biber: the % runs away with the rest of the .bbl, so it is named and nothing after it
    percent_entry, _ = _entry_lines(text, "percent2021")
    assert any(_reported(line, bib, (percent_entry,), "error", "biber") for line in lines), done.stdout
    assert [line for line in lines if "good2020" in line] == []


@pytest.mark.latex
def test_biber_names_an_unescaped_ampersand(tmp_path: Path) -> None:
    require_tex()
    text = (FIXTURES / "broken.bib").read_text(encoding="utf-8")
    start = text.index("@article{percent2021")
    bib = tmp_path / "amp.bib"
    bib.write_text(text[:start] + text[text.index("@", start + 1):], encoding="utf-8")
    done = run_cli("latex-check", str(bib), "--engines", "biber", cwd=tmp_path)
    assert done.returncode == 1
    entry_line, title_line = _entry_lines(bib.read_text(encoding="utf-8"), "amp2022")
    assert any(_reported(line, bib, (entry_line, title_line), "error", "biber")
               and "'amp2022'" in line for line in done.stdout.splitlines()), done.stdout


@pytest.mark.latex
def test_an_xdata_entry_biblatex_never_prints_is_not_dropped(tmp_path: Path) -> None:
    """biblatex's @xdata lends its fields to the entries that name it and is never typeset
    itself: that is no entry lost."""
    require_tex()
    bib = tmp_path / "xd.bib"
    bib.write_text("@article{z, author = {Zhang, Wei}, title = {Diffusion}, journaltitle = {IJCV}, date = {2024},\n"
                   "  xdata = {common}}\n@xdata{common, publisher = {Springer}}\n", encoding="utf-8")
    done = run_cli("latex-check", str(bib), "--engines", "biber", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "latex-entry-dropped" not in done.stdout and "biber: 1/2 entries typeset" in done.stdout + done.stderr


@pytest.mark.latex
@pytest.mark.parametrize("backend", ["bibtex", "biber"])
def test_round_trip_five_citations(tmp_path: Path, backend: str) -> None:
    """A .tex citing five keys -> latex -> `readinglist bib --aux` -> bibtex (or biber) -> a PDF
    with those five references and nothing else."""
    require_tex()
    bib_dir = copy_samples(tmp_path)
    assert run_cli("bib", str(bib_dir), "-o", "all.bib", cwd=tmp_path).returncode == 0  # writes the key lock
    papers = papers_json(str(bib_dir), cwd=tmp_path)
    titled = sorted((p for p in papers if p["title"]), key=lambda p: p["key"])
    chosen = titled[:: len(titled) // 5][:5]
    keys = [p["key"] for p in chosen]
    preamble = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage{lmodern}\n"
    if backend == "biber":
        preamble += "\\usepackage[backend=biber,style=numeric]{biblatex}\n\\addbibresource{paper.bib}\n"
        ending = "\\printbibliography\n"
    else:
        ending = "\\bibliographystyle{plain}\n\\bibliography{paper}\n"
    (tmp_path / "paper.tex").write_text(
        preamble + "\\begin{document}\n"
        f"First \\cite{{{keys[0]},{keys[1]}}}, then \\cite{{{keys[2]}}} and \\cite{{{keys[3]}}}.\n"
        f"Again \\cite{{{keys[0]}}}; last \\cite{{{keys[4]}}}.\n" + ending + "\\end{document}\n", encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"]
    subprocess.run(latex, cwd=tmp_path, capture_output=True, check=True, timeout=120)
    done = run_cli("bib", str(bib_dir), "--aux", "paper.aux", "-o", "paper.bib", cwd=tmp_path)
    assert "cited key" not in done.stderr and "no citations" not in done.stderr, done.stderr
    bib_text = (tmp_path / "paper.bib").read_text(encoding="utf-8")
    assert re.findall(r"^@\w+\{([^,]+),", bib_text, re.M) == sorted(keys)
    tool = subprocess.run([backend, "paper"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    blg = (tmp_path / "paper.blg").read_text(encoding="utf-8", errors="replace")
    assert tool.returncode == 0 and "Warning--" not in blg and not re.search(r"\b(WARN|ERROR) -", blg), blg
    for _ in range(2):
        subprocess.run(latex, cwd=tmp_path, capture_output=True, check=True, timeout=120)
    log = (tmp_path / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert "undefined" not in log and "Rerun" not in log and "rerun" not in log
    bbl = (tmp_path / "paper.bbl").read_text(encoding="utf-8")
    assert len(re.findall(r"\\bibitem\{|\\entry\{", bbl)) == 5
    page = subprocess.run(["pdftotext", "-raw", "paper.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout
    assert "[?]" not in page
    assert sorted(int(n) for n in re.findall(r"^\[(\d+)\]", page, re.M)) == [1, 2, 3, 4, 5]
    flat = letters(page)
    for paper in chosen:
        assert in_order(expected_on_page(paper["title"]), flat), paper["key"]
    others = [p for p in titled if p["key"] not in keys and len(p["title"]) > 40]
    assert not any(letters(p["title"]) in flat for p in others)


USER_BIB = """\
@article{notitle2020,
  author = {Nobody, Ned}
}

@article{nojournal2021,
  author = {Smith, Ann},
  title = {Has No Journal},
  year = {2021}
}

@book{full2019,
  author = {Roe, Rick},
  title = {A Full Book},
  publisher = {Pub},
  year = {2019}
}

@article{fine2018,
  author = {Doe, Jane},
  title = {Fine Article},
  journal = {Journal of Things},
  year = {2018},
  pages = {1--9}
}
"""


@pytest.mark.latex
def test_entries_missing_required_fields_keep_their_type_and_warn_only_as_their_source_does(tmp_path: Path) -> None:
    """Issue 10: a user's @article without journal or year stays an @article (nothing invented,
    nothing retyped); bibtex warns on the export exactly as on the source."""
    require_tex()
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "mine.bib").write_text(USER_BIB, encoding="utf-8")
    out = tmp_path / "out.bib"
    assert run_cli("bib", "bib", "-o", str(out), cwd=tmp_path).returncode == 0
    types = dict((k, t) for t, k in re.findall(r"^@(\w+)\{([^,]+),", out.read_text(encoding="utf-8"), re.M))
    assert types == {"notitle2020": "article", "nojournal2021": "article", "full2019": "book", "fine2018": "article"}
    exported = check_bib(out, ("bibtex-plain", "bibtex-alpha"), workdir=tmp_path / "export")
    source = check_bib(tmp_path / "bib" / "mine.bib", ("bibtex-plain", "bibtex-alpha"), workdir=tmp_path / "source")
    assert sorted(p.message for p in exported.problems) == sorted(p.message for p in source.problems), report(exported)
    assert all(p.severity == "warning" and "empty" in p.message for p in exported.problems), report(exported)
