"""A user's own .bib goes out as it came in: real bibliographies through `readinglist bib`.

BibTeX's xampl.bib and biblatex's biblatex-examples.bib, and two large real-world
bibliographies (Nelson Beebe's TUGboat and typesetting bibliographies, 4,837 and 898
entries, thousands of `@string` macros and tool fields), all used in place from TeX Live:
every key and entry type survives, and at least 99.5% of the fields are identical after
LaTeX decoding; a failure names each lost or changed field. Real LaTeX then compiles a
document citing every key against the export, with bibtex and with biber, with no more
undefined citations than against the source.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares

from mkdocs_readinglist.latex.decode import decode_latex

from .helpers import run_cli
from .test_latex_check import require_tex


def texlive_bib(name: str) -> Path:
    found = subprocess.run(["kpsewhich", name], capture_output=True, text=True).stdout.strip()
    if found:
        return Path(found)
    for path in Path("/usr/share/texlive/texmf-dist/bibtex/bib").rglob(name):
        return path
    pytest.fail(f"{name} is not installed (scripts/test.sh installs texlive-bibtex-extra)")


BIBS = ("xampl.bib", "biblatex-examples.bib", "tugboat.bib", "typeset.bib")
_ENTRY = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,", re.MULTILINE)


def entries_of(text: str) -> dict[str, str]:
    """key -> entry type, read with a regular expression (independent of any parser)."""
    return {key: kind.lower() for kind, key in _ENTRY.findall(text)
            if kind.lower() not in ("string", "preamble", "comment")}


def fields_of(text: str) -> dict[str, dict[str, str]]:
    """key -> field name -> value with @string macros expanded and braces removed."""
    library = bibtexparser.parse_string(text, parse_stack=[
        middlewares.ResolveStringReferencesMiddleware(True), middlewares.RemoveEnclosingMiddleware(True)])
    return {e.key: {f.key.lower(): str(f.value) for f in e.fields} for e in library.entries}


def decoded(value: str) -> str:
    return " ".join(decode_latex(value, tie_is_space=True).text.split())


def export(source: Path, tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "out.bib"
    result = run_cli("bib", str(source), "-o", str(out), "--lock", str(tmp_path / "keys.lock"), *extra, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", BIBS)
def test_real_bibliography_round_trips_keys_types_and_fields(name: str, tmp_path: Path) -> None:
    source = texlive_bib(name)
    text = source.read_text(encoding="utf-8", errors="replace")
    written = export(source, tmp_path)
    before, after = entries_of(text), entries_of(written)
    assert len(before) >= 30
    lost = sorted(set(before) - set(after))
    assert not lost, f"{len(lost)} of {len(before)} keys lost: {lost[:20]}"
    changed = sorted(k for k in before if before[k] != after[k])
    assert not changed, "types changed: " + ", ".join(f"{k}: @{before[k]} -> @{after[k]}" for k in changed[:20])
    old, new = fields_of(text), fields_of(written)
    total, differences = 0, []
    for key, fields in old.items():
        for field, value in fields.items():
            total += 1
            now = new.get(key, {}).get(field)
            if now is None:
                differences.append(f"{key}.{field}: lost")
            elif decoded(now) != decoded(value):
                differences.append(f"{key}.{field}: {value[:60]!r} -> {now[:60]!r}")
    same = (total - len(differences)) / total
    assert same >= 0.995, f"{same:.2%} of {total} fields identical; changed:\n" + "\n".join(differences)
    assert total > 200


def test_rows_9_11_30_every_repair_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    text = ("@article{repairs2020,\n"
            "  title = {Pose Estimation, \\eg in the Wild},\n"
            "  note = {Costs $5 per image},\n"
            "  month = julember,\n"
            "  journal = \"A \"quoted\" Word\",\n"
            "  author = {Roe, Rick and Others},\n"
            "  year = {2020}\n}\n")
    (tmp_path / "bib" / "r.bib").write_text(text, encoding="utf-8")
    run = run_cli("check", "bib/r.bib", cwd=tmp_path)
    for line, code, what in ((2, "bib-undefined-macro", r"undefined LaTeX macro \\eg"),
                             (3, "latex-special", r"unescaped LaTeX special character \('\$'\)"),
                             (4, "bad-month", "month 'julember' is not a month"),
                             (5, "bib-syntax", "a `\"` inside a value delimited by quotes"),
                             (6, "repaired", "'Others' prints \"et al.\" only as lowercase `others`")):
        assert re.search(rf"^bib/r\.bib:{line}: warning\[{code}\]: .*{what}", run.stderr, re.MULTILINE), run.stderr
    written = run_cli("bib", "bib/r.bib", cwd=tmp_path).stdout
    assert "title = {Pose Estimation, e.g. in the Wild}" in written
    assert "note = {Costs \\$5 per image}" in written
    assert "month = julember" in written  # not a month, so not made one: written as it came
    assert "journal = {A \"quoted\" Word}" in written
    assert "author = {Roe, Rick and others}" in written
    # the entry keeps every field in its order
    assert re.findall(r"^  (\w+) =", written, re.MULTILINE) == ["title", "note", "month", "journal", "author", "year"]


def test_local_path_fields_are_omitted_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "z.bib").write_text(
        "@article{zot2021,\n  title = {A Zotero Entry},\n  author = {Doe, Jane},\n  journal = {J},\n  year = {2021},\n"
        "  file = {Full Text:/home/me/Zotero/storage/X/doe.pdf:application/pdf},\n"
        "  bdsk-file-1 = {YnBsaXN0},\n  abstract = {Short.},\n}\n", encoding="utf-8")
    everything = run_cli("bib", "bib", cwd=tmp_path).stdout
    assert "file = {Full Text:/home/me" in everything and "bdsk-file-1" in everything
    told = run_cli("bib", "bib", "--omit", "file", "--omit", "bdsk-file-*", "--omit", "ABSTRACT", cwd=tmp_path).stdout
    assert "file" not in told and "abstract" not in told and "title = {A Zotero Entry}" in told
    pages = run_cli("pages", "bib", "--out", str(tmp_path / "docs"), cwd=tmp_path)
    assert pages.returncode == 0, pages.stderr
    site_bib = (tmp_path / "docs" / "references.bib").read_text(encoding="utf-8")
    assert "zot2021" in site_bib and "/home/me" not in site_bib and "bdsk-file-1" not in site_bib
    assert "abstract = {Short.}" in site_bib


def _undefined_citations(tex_dir: Path, bib: Path, keys: list[str], engine: str) -> list[str]:
    """Citations pdflatex leaves undefined with `bib`, after bibtex (plain) or biber."""
    work = tex_dir / f"{engine}-{bib.stem}"
    work.mkdir(parents=True)
    shutil.copy(bib, work / "refs.bib")
    cites = "\n".join(f"\\cite{{{key}}}" for key in keys)
    if engine == "biber":
        head = "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n"
        tail = "\\printbibliography\n"
    else:
        head, tail = "", "\\bibliographystyle{plain}\n\\bibliography{refs}\n"
    (work / "doc.tex").write_text(f"\\documentclass{{article}}\n\\usepackage[T1]{{fontenc}}\n{head}"
                                  f"\\begin{{document}}\n{cites}\n{tail}\\end{{document}}\n", encoding="utf-8")

    def run(*command: str) -> None:
        subprocess.run(command, cwd=work, capture_output=True, timeout=300, check=False)

    latex = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    run(*latex)
    run("biber", "doc") if engine == "biber" else run("bibtex", "doc")
    run(*latex)
    run(*latex)  # the second run reads the references, the third their labels
    log = (work / "doc.log").read_text(encoding="latin-1")
    return sorted(set(re.findall(r"Citation [`']([^']+)' on page \d+ undefined", log)))


@pytest.mark.latex
@pytest.mark.parametrize("name", ("xampl.bib", "biblatex-examples.bib"))
def test_document_citing_every_key_compiles_against_the_export_as_against_the_source(
        name: str, tmp_path: Path) -> None:
    require_tex()
    source = texlive_bib(name)
    keys = sorted(entries_of(source.read_text(encoding="utf-8")))
    exported = tmp_path / "export.bib"
    exported.write_text(export(source, tmp_path), encoding="utf-8")
    resolved = {}
    for engine in ("bibtex", "biber"):
        against_source = _undefined_citations(tmp_path / "tex", source, keys, engine)
        against_export = _undefined_citations(tmp_path / "tex", exported, keys, engine)
        assert len(against_export) <= len(against_source), (
            f"{engine}: undefined with the export but not the source: {sorted(set(against_export) - set(against_source))}")
        resolved[engine] = len(keys) - len(against_export)
    # the document really cites and resolves (bibtex's plain style rejects most of biblatex's examples)
    assert resolved["biber"] == len(keys), resolved
    if name == "xampl.bib":
        assert resolved["bibtex"] == len(keys), resolved


@pytest.mark.latex
def test_entry_types_that_begin_with_a_command_name_stay_entries_for_bibtex_and_biber(tmp_path: Path) -> None:
    """jurabib's comment.bib holds four `@COMMENTED{...}` entries. BibTeX and biber read the
    whole word after `@` (only `@comment` itself is a comment); bibtexparser v2 took any type
    starting with `comment` for a comment, and the entries were lost from the export."""
    require_tex()
    source = texlive_bib("comment.bib")
    written = export(source, tmp_path)
    before, after = entries_of(source.read_text(encoding="utf-8")), entries_of(written)
    assert before == {"erm": "commented", "mueko": "commented", "palandt": "commented", "soergel": "commented"}
    assert after == before
    assert "@COMMENTED{palandt," in written  # the type as written, with the entry's own key
    assert "title = {Kommentar zum B{\\\"u}rgerlichen Gesetzbuch}" in written
    exported = tmp_path / "export.bib"
    exported.write_text(written, encoding="utf-8")
    keys = sorted(before)
    for engine in ("bibtex", "biber"):
        assert _undefined_citations(tmp_path / "tex", source, keys, engine) == [], engine
        assert _undefined_citations(tmp_path / "tex", exported, keys, engine) == [], engine


def test_only_the_command_itself_is_a_comment(tmp_path: Path) -> None:
    """`@comment{...}` stays a comment, `@commentary{...}`, `@Stringent{...}` and
    `@preambles{...}` are entries of those types, at their own lines."""
    (tmp_path / "mixed.bib").write_text(
        "@comment{jabref-meta: databaseType:bibtex;}\n"
        "@commentary{c1,\n  title = {A Commentary on Contracts},\n  year = {2001},\n}\n"
        "@string{pub = {Beck}}\n"
        "@Stringent{s1,\n  title = {Stringent Tests of Gravity},\n  publisher = pub,\n  year = {2002},\n}\n"
        "@preambles{p1,\n  title = {Preambles of Constitutions},\n  year = {2003},\n}\n", encoding="utf-8")
    result = run_cli("bib", "mixed.bib", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert entries_of(result.stdout) == {"c1": "commentary", "s1": "stringent", "p1": "preambles"}
    assert "@Stringent{s1," in result.stdout and "publisher = pub," in result.stdout  # the macro kept as written
    assert "@string{pub = {Beck}}" in result.stdout and "@comment{jabref-meta: databaseType:bibtex;}" in result.stdout
    lines = {m.group(2): int(m.group(1)) for m in re.finditer(
        r"mixed\.bib:(\d+): warning\[unknown-type\]: unknown entry type @(\w+)", result.stderr)}
    assert lines == {"Stringent": 7, "preambles": 12}  # biblatex knows @commentary
    assert "readinglistType" not in result.stdout + result.stderr


UNICODE_BIB = """@article{lodz2020,
  author = {M{\\"u}ller, Jörg and Wiśniewska, Łucja},
  title = {Naïve café models from Łódź},
  journal = {Journal of Ångström Studies},
  year = {2020},
}

@article{wang2020,
  title = {深度学习综述: A Survey},
  author = {Wang, Wei and 李, 明},
  journal = {计算机学报},
  year = {2020},
}
"""


@pytest.mark.latex
def test_unicode_export_keeps_the_characters_for_biber(tmp_path: Path) -> None:
    """`readinglist bib --unicode`: a xelatex or lualatex user's characters go out as they are (the
    default writes LaTeX accents, and a stand-in where pdflatex has no glyph: Chinese); a document
    compiled with biber prints them."""
    (tmp_path / "refs.bib").write_text(UNICODE_BIB, encoding="utf-8")
    run = run_cli("bib", "refs.bib", "--unicode", "-o", "export.bib", "--lock", "keys.lock", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    text = (tmp_path / "export.bib").read_text(encoding="utf-8")
    assert "title = {深度学习综述: A Survey}" in text and "journal = {计算机学报}" in text
    assert "author = {Wang, Wei and 李, 明}" in text and "Naïve café models from Łódź" in text
    assert "<U+" not in text and "M{\\\"u}ller, Jörg" in text  # what the user wrote, as written
    # (pdflatex reads UTF-8 Latin letters too; lualatex here lacks Latin Modern's OpenType files)
    latex = ["pdflatex", "-interaction=nonstopmode", "doc.tex"]
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
                                      "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{export.bib}\n"
                                      "\\begin{document}\n\\cite{lodz2020}\n\\printbibliography\n\\end{document}\n",
                                      encoding="utf-8")
    for command in (latex, ["biber", "doc"], latex):
        subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=300)
    pdf = subprocess.run(["pdftotext", "-enc", "UTF-8", "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
                         text=True).stdout
    assert "Naïve café models from Łódź" in " ".join(pdf.split()), pdf
    assert "Ångström" in pdf and "Wiśniewska" in pdf


def test_the_export_never_overwrites_a_source_it_reads(tmp_path: Path) -> None:
    """`readinglist bib refs.bib -o refs.bib` replaced the user's file with the export (comments
    gone, entries reordered, repairs made permanent), without a word."""
    from .helpers import texlive

    source = tmp_path / "refs.bib"
    source.write_bytes(texlive("xampl.bib").read_bytes())
    before = source.read_bytes()
    for output in ("refs.bib", "./refs.bib", str(source)):
        run = run_cli("bib", "refs.bib", "-o", output, "--lock", "keys.lock", cwd=tmp_path)
        assert run.returncode == 2 and "is one of the sources (or the key lock, or resolve's" in run.stderr
    assert source.read_bytes() == before
    assert run_cli("bib", "refs.bib", "-o", "export.bib", "--lock", "keys.lock", cwd=tmp_path).returncode == 0
    # resolve's facts beside the lock (reviewed online facts: gone, and the next run failed on the export)
    resolved = tmp_path / "resolved.yml"
    resolved.write_text("papers: {}\n", encoding="utf-8")
    run = run_cli("bib", "refs.bib", "-o", "resolved.yml", "--lock", "keys.lock", cwd=tmp_path)
    assert run.returncode == 2 and resolved.read_text(encoding="utf-8") == "papers: {}\n"
    # A new file in a source folder: the next export would read it as a source, every paper twice
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "refs.bib").write_bytes(before)
    run = run_cli("bib", "bib", "-o", "bib/export.bib", "--lock", "keys.lock", cwd=tmp_path)
    assert run.returncode == 2 and "is in a source folder" in run.stderr
    assert not (tmp_path / "bib" / "export.bib").exists()
    assert run_cli("bib", "bib", "-o", "bib/export.pdf.txt.out", "--lock", "keys.lock", cwd=tmp_path).returncode == 0
    # A glob source (`bib/*.bib`) reads what it matches: the export too
    run = run_cli("bib", "bib/*.bib", "-o", "bib/out.bib", "--lock", "keys.lock", cwd=tmp_path)
    assert run.returncode == 2 and "is in a source folder" in run.stderr and not (tmp_path / "bib" / "out.bib").exists()
    # ... and a `**` glob's lock goes in the glob's folder (it went to `bib/**/readinglist.lock`)
    run = run_cli("bib", "bib/**/*.bib", "-o", "export2.bib", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "bib" / "readinglist.lock").is_file()
