"""Formatted references (pybtex) on paper pages: an entry pybtex cannot format gets no reference
and a `reference-format` Diagnostic at its .bib line, never a message written into the page;
the plugin logs it, the CLI prints it, `--strict` fails on it, `diagnostics:` tunes it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from mkdocs_readinglist.diagnostics import CODES, with_levels
from mkdocs_readinglist.model import Severity
from mkdocs_readinglist.pipeline import Corpus, SourceCache, run_pipeline
from mkdocs_readinglist.render.reference import _CACHE_VERSION, ReferenceFormatter
from mkdocs_readinglist.settings import settings_from_mapping
from mkdocs_readinglist.site import references_for

from .helpers import mkdocs_build, run_cli, texlive

XAMPL = Path(subprocess.run(["kpsewhich", "xampl.bib"], capture_output=True, text=True, check=True).stdout.strip())


def _line_of(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if re.match(rf"@\w+\{{{re.escape(key)},", line))


def _xampl_corpus(root: Path) -> Corpus:
    """xampl.bib read where TeX Live keeps it."""
    settings, _ = settings_from_mapping(root, {"sources": [str(XAMPL)], "lock_file": str(root / "keys.lock")})
    return run_pipeline(settings)


def test_an_unformattable_entry_gets_no_reference_and_a_diagnostic_at_its_line(tmp_path: Path) -> None:
    corpus = _xampl_corpus(tmp_path)
    formatter = ReferenceFormatter(tmp_path / "references.json")
    references = references_for(corpus, formatter)
    assert len(references) == len(corpus.papers)
    # pybtex's plain style requires an author (or editor) of an article, and a CSL style a title:
    # xampl's whole-journal (a journal issue cross-referenced by articles) has neither.
    assert references["whole-journal"] == ""
    by_key = {d.message.split(":")[0]: d for d in formatter.diagnostics}
    found = by_key["whole-journal"]
    assert (found.code, found.severity) == ("reference-format", Severity.WARNING)
    assert found.file == str(XAMPL) and found.line == _line_of(XAMPL, "whole-journal") == 43
    assert "missing author" in found.message
    # Every entry without a reference is reported, and only those.
    assert set(by_key) == {key for key, text in references.items() if not text} == {"whole-journal"}
    # pybtex cannot format the minimal booklet (no author): the default CSL style does, by its title
    assert references["booklet-minimal"] == "The Programming of Computer Art. n.d."
    # The others are formatted, and no failure text stands in for a reference.
    assert "Aamport. The gnats and gnus document preparation system." in references["article-full"]
    assert "The programming of computer art" in references["booklet-full"]
    assert not any("could not be formatted" in text for text in references.values())
    assert formatter.formatted == len(references)


def test_failures_are_cached_and_reported_again_without_formatting(tmp_path: Path) -> None:
    corpus = _xampl_corpus(tmp_path)
    first = ReferenceFormatter(tmp_path / "references.json")
    references = references_for(corpus, first)
    again = ReferenceFormatter(tmp_path / "references.json")
    assert references_for(corpus, again) == references
    assert again.formatted == 0  # nothing formatted: the failures came from the cache too
    assert again.diagnostics == first.diagnostics and again.diagnostics


def test_an_older_cache_with_failure_text_is_not_read(tmp_path: Path) -> None:
    """Before failures were Diagnostics, the cache held "(reference could not be formatted: ...)" as a
    reference: such a cache is formatted afresh rather than shown."""
    corpus = _xampl_corpus(tmp_path)
    cache = tmp_path / "references.json"
    cache.write_text('{"0123": "(reference could not be formatted: missing author)"}', encoding="utf-8")
    formatter = ReferenceFormatter(cache)
    references = references_for(corpus, formatter)
    assert formatter.formatted == len(references)
    assert f'"version": {_CACHE_VERSION}' in cache.read_text(encoding="utf-8")


def test_levels_apply_to_reference_diagnostics(tmp_path: Path) -> None:
    formatter = ReferenceFormatter(None)
    references_for(_xampl_corpus(tmp_path), formatter)
    assert formatter.diagnostics
    assert {d.severity for d in with_levels(formatter.diagnostics, {"reference-format": Severity.INFO})} \
        == {Severity.INFO}
    assert with_levels(formatter.diagnostics, {"reference-format": None}) == []
    assert CODES["reference-format"].level is Severity.WARNING


BIB = """@article{aamport1986,
  author = {Aamport, Leslie A.},
  title = {The Gnats and Gnus Document Preparation System},
  journal = {G-Animal's Journal},
  year = {1986},
}

@article{knvth-booklet,
  key = {Knvth},
  journal = {The Programming of Computer Art},
  year = {1988},
}
"""


def _bib_project(root: Path, extra: str = "") -> Path:
    (root / "bib").mkdir(parents=True)
    (root / "bib" / "refs.bib").write_text(BIB, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nAs in [@aamport1986] and [@knvth-booklet].\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\nplugins:\n  - readinglist:\n      sources: [bib]\n" + extra,
        encoding="utf-8")
    return root


EXPECTED = "bib/refs.bib:8: warning[reference-format]: knvth-booklet: pybtex's 'plain' style cannot format"


def test_the_cli_prints_it_and_strict_fails_on_it(tmp_path: Path) -> None:
    project = _bib_project(tmp_path)
    result = run_cli("pages", "bib", "--out", "docs", cwd=project)
    assert result.returncode == 0, result.stderr
    assert EXPECTED in result.stderr and "missing author" in result.stderr
    page = (project / "docs" / "reading-list" / "papers" / "knvth-booklet.md").read_text(encoding="utf-8")
    assert "The Programming of Computer Art" in page and "## Reference" not in page
    assert "could not be formatted" not in page
    assert "## Reference" in (project / "docs" / "reading-list" / "papers" / "aamport1986.md").read_text(
        encoding="utf-8")
    strict = run_cli("pages", "bib", "--out", "docs", "--strict", cwd=project)
    assert strict.returncode == 1 and EXPECTED in strict.stderr


def test_the_plugin_logs_it_and_strict_fails_on_it(tmp_path: Path) -> None:
    project = _bib_project(tmp_path)
    (project / "docs" / "more.md").write_text("# More\n\nAn unknown [@nosuchkey2031].\n", encoding="utf-8")
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0
    assert f"WARNING -  mkdocs_readinglist: {EXPECTED}" in strict.stderr, strict.stderr
    assert "more.md:3: warning[unknown-citation]: unknown citation key 'nosuchkey2031'" in strict.stderr
    # Both are Diagnostics: the user's `diagnostics:` levels apply to them as to the data's.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "      diagnostics: {reference-format: info, unknown-citation: info, no-title: info}\n", encoding="utf-8")
    tuned = mkdocs_build(project, "--strict")
    assert tuned.returncode == 0, tuned.stderr
    assert "warning[reference-format]" not in tuned.stderr and "warning[unknown-citation]" not in tuned.stderr
    verbose = mkdocs_build(project, "--strict", "--verbose")
    assert verbose.returncode == 0 and "more.md:3: info[unknown-citation]" in verbose.stderr
    assert "bib/refs.bib:8: info[reference-format]" in verbose.stderr
    html = (project / "site" / "reading-list" / "papers" / "knvth-booklet" / "index.html").read_text(encoding="utf-8")
    assert "The Programming of Computer Art" in html and "could not be formatted" not in html
    assert 'id="reference"' not in html
    assert 'id="reference"' in (project / "site" / "reading-list" / "papers" / "aamport1986" / "index.html") \
        .read_text(encoding="utf-8")


@pytest.mark.parametrize("style", ["plain", "alpha"])
def test_each_style_reports_the_same_failures(tmp_path: Path, style: str) -> None:
    formatter = ReferenceFormatter(None, style)
    references = references_for(_xampl_corpus(tmp_path), formatter)
    assert references["whole-journal"] == "" and references["article-full"]
    assert all(f"'{style}' style" in d.message for d in formatter.diagnostics)


def test_biblatex_entries_pybtex_cannot_format_get_a_csl_reference(tmp_path: Path) -> None:
    """pybtex reads BibTeX's types and fields only: biblatex-examples.bib's entries (journaltitle,
    date, @online, @report ...) get their reference from citeproc-py in the default CSL style."""
    biblatex = subprocess.run(["kpsewhich", "biblatex-examples.bib"], capture_output=True, text=True,
                              check=True).stdout.strip()
    settings, _ = settings_from_mapping(tmp_path, {"sources": [biblatex], "lock_file": str(tmp_path / "keys.lock")})
    formatter = ReferenceFormatter(None)
    references = references_for(run_pipeline(settings), formatter)
    # aksin: @article with journaltitle and date, which pybtex's plain style cannot format
    assert "Effect of Immobilization on Catalytic Characteristics" in references["aksin"]
    assert "2006" in references["aksin"] and "Organomet" in references["aksin"]
    assert "Chiu, Willy W." in references["chiu"] and "Multiple Virtual Storage" in references["chiu"]  # @report
    # Every entry has a reference, entries without names too (by their title: "vizedom:related", a
    # translation; "jcg", a @periodical), but a @set's (its members have theirs), which is no failure.
    assert formatter.diagnostics == () and len(references) > 80
    assert {key for key, text in references.items() if not text} == {"set", "stdmodel"}
    assert "The Rites of Passage" in references["vizedom:related"] and "Computers and Graphics" in references["jcg"]


def test_an_entry_that_inherits_is_formatted_with_what_it_inherits(tmp_path: Path) -> None:
    """xampl.bib's `*-crossref` entries hold only what their own entry adds (no book, year or
    publisher): formatted alone they failed (`reference-format`) and had no reference. The
    formatter now reads them with the fields BibTeX would fill in, and formats that entry, not
    its parent written after it."""
    settings, _ = settings_from_mapping(tmp_path, {"sources": [str(texlive("xampl.bib"))],
                                                   "lock_file": str(tmp_path / "keys.lock")})
    formatter = ReferenceFormatter()
    references = references_for(run_pipeline(settings, cache=SourceCache(memos=False)), formatter)
    assert not [d for d in formatter.diagnostics if "crossref" in d.message.split(":")[0]]
    child = references["incollection-crossref"]
    assert child.startswith("Daniel D. Lincoll. Semigroups of recurrences. In David J. Lipcoll")
    assert "High Speed Computer and Algorithm Organization" in child and "1977" in child and "179–183" in child
    assert references["inproceedings-crossref"].startswith("Alfred V. Oaho")
    assert "Theory of Computing" in references["inproceedings-crossref"]


def test_pybtex_references_show_what_latex_prints_not_its_commands() -> None:
    """pybtex's text backend leaves a value's LaTeX as written: 134 `\\TeX`, 16 `\\em` and 7 `\\LaTeX`
    showed on the paper pages of a site made of TeX Live's Beebe bibliographies."""
    entries = {
        "s1": '@article{s1,\n  author = "Mike Schmidt",\n  title = "{Cap\\TeX{}}: Industrial Strength {\\TeX{}}",\n'
              '  journal = "TeXniques",\n  year = "1988",\n}\n',
        "s2": '@article{s2,\n  author = "D. A. Hosek",\n  title = "Specimen Books: {{\\em M\\&H Type Catalogue}}",\n'
              '  journal = "Serif",\n  year = "1995",\n}\n',
        "s3": '@book{s3,\n  author = "Leslie Lamport",\n  title = "{\\LaTeX\\rm}: A Document Preparation System",\n'
              '  publisher = "Addison-Wesley",\n  year = "1986",\n}\n',
    }
    entries["s4"] = ('@article{s4,\n  author = {Jane Doe},\n  title = {{Mixtures of {\\ensuremath{\\infty}} Experts and '
                     '$\\alpha$-Bounds}},\n  journal = {J},\n  year = {2020},\n}\n')  # (the export's spelling of ∞)
    references = ReferenceFormatter(None).format_all(entries)
    assert references.pop("s4") == "Jane Doe. Mixtures of ∞ Experts and α-Bounds. J, 2020."  # "∞Experts" before
    assert references == {"s1": "Mike Schmidt. CapTeX: industrial strength TeX. TeXniques, 1988.",
                          "s2": "D. A. Hosek. Specimen books: M&H Type Catalogue. Serif, 1995.",
                          "s3": "Leslie Lamport. LaTeX: A Document Preparation System. Addison-Wesley, 1986."}


def test_a_one_shot_runs_references_are_those_of_a_kept_run_in_the_entries_order(tmp_path: Path) -> None:
    """format_all keeps no digest of an entry found in the cache (a one-shot run): the same
    references, failures and order as with every digest kept, and only what is missing formatted."""
    from mkdocs_readinglist.site import entry_texts, standalone_entries

    corpus = _xampl_corpus(tmp_path)
    entries = standalone_entries(corpus, entry_texts(corpus))
    kept = ReferenceFormatter(tmp_path / "kept.json")
    expected = kept.format_all(entries)
    assert kept.formatted == len(entries) and any(not text for text in expected.values())
    kept.save()
    # A cache missing one formatted entry: only that one is formatted again.
    missing = next(key for key, text in expected.items() if text)
    data = (tmp_path / "kept.json").read_text(encoding="utf-8")
    reduced = ReferenceFormatter(tmp_path / "kept.json")
    filed = [(d, t) for d, t in reduced._all_references().items() if t != expected[missing]]
    reduced._filed_digests, reduced._filed = "".join(d for d, _ in filed), [t for _, t in filed]
    one_shot = reduced.format_all(entries, keep_digests=False)
    assert reduced.formatted == 1
    assert one_shot == expected and list(one_shot) == list(entries)
    assert reduced.diagnostics == kept.diagnostics and reduced.diagnostics
    again = ReferenceFormatter(tmp_path / "kept.json")
    assert again.format_all(entries, keep_digests=False) == expected and again.formatted == 0
    assert again.diagnostics == kept.diagnostics
    assert (tmp_path / "kept.json").read_text(encoding="utf-8") == data


def test_the_cache_files_references_are_looked_up_in_sorted_digests_as_a_dict_would(tmp_path: Path) -> None:
    """The cache file holds its digests joined in sorted order: a one-shot run looks each entry up
    there by bisection (no dict of every digest); a serve process makes them a dict when first
    asked. Both find exactly the references a dict of every digest finds, and nothing else."""
    import json

    from mkdocs_readinglist.site import entry_texts, standalone_entries

    corpus = _xampl_corpus(tmp_path)
    entries = standalone_entries(corpus, entry_texts(corpus))
    first = ReferenceFormatter(tmp_path / "references.json")
    expected = first.format_all(entries)
    first.save()
    data = json.loads((tmp_path / "references.json").read_text(encoding="utf-8"))
    digests = [data["digests"][i:i + 24] for i in range(0, len(data["digests"]), 24)]
    assert len(digests) == len(data["references"]) > 10 and digests == sorted(digests)
    everything = dict(zip(digests, data["references"], strict=True))
    one_shot = ReferenceFormatter(tmp_path / "references.json")
    assert not one_shot._cache and one_shot._filed == data["references"]  # no dict of the digests
    assert all(one_shot._reference(d) == text for d, text in everything.items())
    # digests next to each filed one, before the first and after the last: not there
    near = {d[:-1] + c for d in digests for c in "0f" if d[:-1] + c not in everything} | {"0" * 24, "f" * 24, ""}
    assert all(one_shot._reference(d) is None for d in near - everything.keys())
    assert one_shot.format_all(entries, keep_digests=False) == expected and one_shot.formatted == 0
    assert not one_shot._cache  # still none
    served = ReferenceFormatter(tmp_path / "references.json")
    assert served.format_all(entries) == expected and served.formatted == 0
    assert served._cache == everything and not served._filed  # a dict, made once
    # A file whose digests are out of order: what is not found is formatted again, never mistaken.
    data["digests"] = "".join(reversed(digests))
    (tmp_path / "references.json").write_text(json.dumps(data), encoding="utf-8")
    shuffled = ReferenceFormatter(tmp_path / "references.json")
    assert shuffled.format_all(entries, keep_digests=False) == expected and shuffled.formatted > 0


def _bbl_names(bbl: str, key: str) -> str:
    """What BibTeX printed before the first \\newblock of `key`'s item: its authors or editors."""
    item = bbl.split(f"\\bibitem{{{key}}}\n", 1)[1]
    return " ".join(item.split("\\newblock", 1)[0].split()).replace("~", " ")


def test_and_others_prints_et_al_as_bibtex_itself_does(tmp_path: Path) -> None:
    """`and others` is no co-author: pybtex's styles printed "Bart Childs and others"; plain.bst
    prints "Bart Childs et al." (and "Peter Bain, Paul Shaw, et al."). Held to real BibTeX on real
    entries of TeX Live's Beebe bibliographies, read in place."""
    keys = {"Childs:TQ7-117": texlive("texnique.bib"), "Bain:1998:BTN": texlive("printing-history.bib"),
            "Finlay:2009:PVA": texlive("printing-history.bib")}
    folder = tmp_path / "tex"
    folder.mkdir()
    (folder / "doc.tex").write_text(
        "\\documentclass{article}\\begin{document}\\nocite{" + ",".join(keys) + "}\\bibliographystyle{plain}"
        "\\bibliography{texnique,printing-history}\\end{document}\n", encoding="utf-8")
    subprocess.run(["pdflatex", "-interaction=batchmode", "doc"], cwd=folder, capture_output=True, timeout=120)
    subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, timeout=120, check=True)
    bbl = (folder / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    settings, _ = settings_from_mapping(tmp_path, {"sources": sorted({str(path) for path in keys.values()}),
                                                   "lock_file": str(tmp_path / "keys.lock")})
    corpus = run_pipeline(settings)
    references = references_for(corpus, ReferenceFormatter(None))
    printed = {key: _bbl_names(bbl, key) for key in keys}
    assert printed == {"Childs:TQ7-117": "Bart Childs et al.", "Bain:1998:BTN": "Peter Bain, Paul Shaw, et al.",
                       "Finlay:2009:PVA": "Nancy Finlay, Georgia Brady Barnhill, et al., editors."}
    for key, names in printed.items():
        assert references[key].startswith(names), (references[key], names)


def test_a_reference_whose_title_keeps_latex_shows_the_eprint_and_doi_once(tmp_path: Path) -> None:
    """A title with LaTeX (ADS's `{\\ensuremath{\\sim}}`, INSPIRE's `$\\sqrt{s}$`) sends the reference
    through pybtex's LaTeX output, which writes the eprint and the DOI as `\\href{URL}{text}`: the
    page showed the URL and the text run together (`…/abs/2009.00733arXiv:2009.00733`)."""
    entry = ("@article{k1,\n  author = {Kourkchi, Ehsan},\n  title = {The Catalog of {\\ensuremath{\\sim}}10,000 Distances},\n"
             "  journal = {ApJ},\n  year = 2020,\n  volume = {902},\n  pages = {145},\n"
             "  doi = {10.3847/1538-4357/abb66b},\n  eprint = {2009.00733},\n  archivePrefix = {arXiv},\n}\n")
    reference = ReferenceFormatter(None).format_all({"k1": entry})["k1"]
    assert "The catalog of ∼10,000 distances. ApJ, 902:145, 2020." in reference, reference  # (plain's title case)
    assert "abs/2009.00733arXiv" not in reference and "abb66bdoi" not in reference, reference
    assert reference.count("2009.00733") == 1 and reference.count("10.3847/1538-4357/abb66b") == 1, reference


def test_empty_fields_are_no_facts_in_a_reference() -> None:
    """IEEE Xplore writes `number={}` and `month={}`: plain printed '63():1-17', a number nobody gave."""
    ieee = ("@ARTICLE{9123456,\n  author={Zhang, Wei and Li, Na},\n  journal={IEEE Transactions on Pattern Analysis"
            " and Machine Intelligence},\n  title={Deep Learning for Things},\n  year={2021},\n  volume={63},\n"
            "  number={},\n  pages={1-17},\n  keywords={Deep learning;Training},\n  doi={10.1109/TPAMI.2021.3123456},\n"
            "  ISSN={1939-3539},\n  month={},}\n")
    references = ReferenceFormatter(None).format_all({"9123456": ieee})
    assert references["9123456"] == ("Wei Zhang and Na Li. Deep learning for things. IEEE Transactions on Pattern "
                                     "Analysis and Machine Intelligence, 63:1-17, 2021. doi:10.1109/TPAMI.2021.3123456.")
