""".bib files as services write them (SpringerLink, NASA ADS, INSPIRE, Citavi, Semantic Scholar,
IEEE Xplore, RefWorks, ACL Anthology): what the reader makes of each, what the export writes,
and, where LaTeX is concerned, what real pdflatex, bibtex and biber make of source and export.

Each entry below is written as the service writes it (its layout, its quoting, its macros).
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest

from mkdocs_readinglist.latex.check import check_bib
from mkdocs_readinglist.model import Diagnostic
from mkdocs_readinglist.sources import read_text

from .helpers import run_cli
from .test_latex_check import require_tex


def _codes(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in diagnostics]


def _export(tmp_path: Path, name: str, text: str, status: int = 0) -> tuple[str, str]:
    """(the export's text, what `readinglist bib` reported) of one .bib source; `status`: its exit
    status (1 when the source holds an error: the export is written all the same)."""
    folder = tmp_path / "bib"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out.bib"
    done = run_cli("bib", f"bib/{name}", "-o", str(out), cwd=tmp_path)
    assert done.returncode == status, done.stderr
    return out.read_text(encoding="utf-8"), done.stderr


def _flat(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------------- \url and \href in a field

URLS = """@misc{hub2024,
  author = {{Hugging Face}},
  title = {Model Hub},
  howpublished = {\\url{https://example.org/~user/ab?x=1&y=2_3}},
  year = {2024}
}
@inproceedings{zhang-etal-2023-x,
    title = "Improving Things",
    author = "Zhang, Wei",
    booktitle = "Findings of the Association for Computational Linguistics: ACL 2023",
    year = "2023",
    note = "Code at \\url{https://github.com/x/y_z} and \\href{https://github.com/a_b/c_d}{GitHub} & more",
}
"""


@pytest.mark.latex
def test_url_arguments_are_verbatim_not_escaped_nor_reported(tmp_path: Path) -> None:
    read = read_text(URLS, "bib/urls.bib")
    # the `&` of the note's prose is LaTeX's; the URLs' `~ & _` are the addresses' own
    assert _codes(read.diagnostics) == [(12, "latex-special")]
    assert "('&')" in read.diagnostics[0].message
    exported, _ = _export(tmp_path, "urls.bib", URLS)
    assert "howpublished = {\\url{https://example.org/~user/ab?x=1&y=2_3}}" in exported
    assert ("note = {Code at \\url{https://github.com/x/y_z} and \\href{https://github.com/a_b/c_d}{GitHub} \\& more}"
            in exported)
    # pages show the address as it is, and a link's text with its address
    notes = {r.key: dict(r.fields).get("note") or dict(r.fields).get("howpublished") for r in read.records}
    assert notes == {"hub2024": "https://example.org/~user/ab?x=1&y=2_3",
                     "zhang-etal-2023-x": "Code at https://github.com/x/y_z and GitHub (https://github.com/a_b/c_d) & more"}
    require_tex()
    (tmp_path / "export.bib").write_text(exported, encoding="utf-8")
    result = check_bib(tmp_path / "export.bib")  # its preamble loads hyperref: \url and \href are defined
    assert not result.problems, "\n".join(p.format() for p in result.problems)
    for run in result.runs:
        shown = _flat(run.pdf_text)
        assert "https://example.org/~user/ab?x=1&y=2_3" in shown and "https://github.com/x/y_z" in shown, run.engine
        assert "GitHub" in shown and "a_b" not in shown, run.engine  # \href prints its text


RAW_PERCENT = """@misc{web2024,
  author = {Doe, Jane},
  title = {Model Hub},
  howpublished = {\\url{https://example.org/~user/a%20b?x=1&y=2_3#frag}},
  year = {2024}
}
"""


@pytest.mark.latex
def test_a_raw_percent_in_a_url_is_written_as_it_is_and_reported_for_biblatex(tmp_path: Path) -> None:
    read = read_text(RAW_PERCENT, "bib/web.bib")
    assert _codes(read.diagnostics) == [(4, "url-special")]
    assert "`%` and `#`" in read.diagnostics[0].message and "biblatex" in read.diagnostics[0].message
    exported, _ = _export(tmp_path, "web.bib", RAW_PERCENT)
    assert "howpublished = {\\url{https://example.org/~user/a%20b?x=1&y=2_3#frag}}" in exported
    require_tex()
    source, export = tmp_path / "bib" / "web.bib", tmp_path / "export.bib"
    export.write_text(exported, encoding="utf-8")
    for bib in (source, export):  # bibtex prints the address as written; the export no worse than the source
        result = check_bib(bib, ["bibtex-plain", "biber"])
        bibtex = next(run for run in result.runs if run.engine == "bibtex-plain")
        assert not bibtex.problems and "https://example.org/~user/a%20b?x=1&y=2_3#" in _flat(bibtex.pdf_text)
        biber = next(run for run in result.runs if run.engine == "biber")
        assert any(p.code == "latex-tex-error" for p in biber.problems), bib  # what the warning says
        # latex-check's own reading says why, at the line, and no `_` or `&` of the URL is blamed
        assert [(p.line, p.code) for p in result.lint] == [(4, "latex-unescaped"), (4, "latex-unescaped")]
        assert all("inside a URL argument" in p.message for p in result.lint)


# ---------------------------------------------------------------------- entries without a key

SPRINGER = """@incollection{
      year={2009},
      isbn={978-3-642-01801-5},
      booktitle={MobileWireless Middleware, Operating Systems, and Applications},
      doi={10.1007/978-3-642-01802-2_20},
      title={An Analysis of Navigation Algorithms for Smartphones Using J2ME},
      publisher={Springer Berlin Heidelberg},
      author={Santos, Andr{\\'e} C. and Tarrataca, Lu{\\'i}s},
      pages={266-279}
}

@article{
\tyear={2013},
\tjournal={Progress in Artificial Intelligence},
\tdoi={10.1007/s13748-013-0040-3},
\ttitle={Event labeling combining ensemble detectors and background knowledge},
\tauthor={Fanaee-T, Hadi and Gama, Joao},
\tpages={1-15}
}
@inproceedings{
smith2020openreview,
title={A Key on the Next Line},
author={Smith, Ann},
booktitle={ICLR},
year={2020}
}
"""


def test_entries_without_a_key_are_kept_given_a_key_and_reported(tmp_path: Path) -> None:
    read = read_text(SPRINGER, "bib/springer.bib")
    assert _codes(read.diagnostics) == [(1, "bad-key"), (12, "bad-key")]
    assert [(r.title, r.year, r.doi) for r in read.records] == [
        ("An Analysis of Navigation Algorithms for Smartphones Using J2ME", 2009, "10.1007/978-3-642-01802-2_20"),
        ("Event labeling combining ensemble detectors and background knowledge", 2013, "10.1007/s13748-013-0040-3"),
        ("A Key on the Next Line", 2020, None)]
    assert read.records[2].key == "smith2020openreview"  # OpenReview's key on the next line is a key
    exported, reported = _export(tmp_path, "springer.bib", SPRINGER, status=1)
    library = bibtexparser.parse_string(exported)
    assert sorted((e.entry_type, e.key) for e in library.entries) == [
        ("article", "fanaeet2013event"), ("incollection", "santos2009analysis"),
        ("inproceedings", "smith2020openreview")]
    assert "bib/springer.bib:1: error[bad-key]: entry without a citation key; the entry is kept and given the key " \
           "'santos2009analysis'" in reported
    assert dict(library.entries_dict["santos2009analysis"].fields_dict.items())["pages"].value == "266-279"


# ---------------------------------------------------------------------- NASA ADS journal macros

ADS = """@ARTICLE{2013ApJ...777...24Z,
       author = {{Zhang}, Wei and {Smith}, Ann},
        title = "{A Study of Dust}",
      journal = {\\apj},
         year = 2013,
        month = nov,
       volume = {777},
          eid = {24},
        pages = {24},
archivePrefix = {arXiv},
       eprint = {1309.1234},
}

@ARTICLE{2019A&A...622A..10K,
       author = {{Kim}, Ha},
        title = "{Stars}",
      journal = {\\aap},
         year = 2019,
       volume = {622},
        pages = {A10},
}

@ARTICLE{2020MNRAS.491.1234L,
       author = {{Lee}, Bo},
        title = "{Galaxies}",
      journal = {\\mnras},
         year = 2020,
       volume = {491},
        pages = {1234-1240},
}
"""


@pytest.mark.latex
def test_ads_journal_macros_are_written_and_shown_as_the_journal(tmp_path: Path) -> None:
    read = read_text(ADS, "bib/ads.bib")
    assert _codes(read.diagnostics) == [(4, "journal-macro"), (17, "journal-macro"), (26, "journal-macro")]
    assert "`\\apj` as `ApJ`" in read.diagnostics[0].message
    assert [r.venue for r in read.records] == ["ApJ", "A&A", "MNRAS"]
    exported, _ = _export(tmp_path, "ads.bib", ADS)
    assert [line.strip() for line in exported.splitlines() if line.strip().startswith("journal")] == [
        "journal = {ApJ},", "journal = {A\\&A},", "journal = {MNRAS},"]
    require_tex()
    (tmp_path / "export.bib").write_text(exported, encoding="utf-8")
    result = check_bib(tmp_path / "export.bib", ["bibtex-plain"])
    assert not result.problems, "\n".join(p.format() for p in result.problems)
    shown = result.runs[0].pdf_text
    assert "ApJ" in shown and "A&A" in shown and "MNRAS" in shown and "apj" not in shown


def test_a_preamble_that_defines_a_journal_macro_keeps_it() -> None:
    text = '@preamble{"\\providecommand{\\apj}{Astrophys. J.}"}\n' + ADS
    read = read_text(text, "bib/ads.bib")
    assert [d.code for d in read.diagnostics] == ["journal-macro", "journal-macro"]  # \aap and \mnras only
    assert read.records[0].bib is not None and dict(read.records[0].bib.repairs).get("journal") is None


# ---------------------------------------------------------------------- arXiv ids


CITAVI_AND_S2 = """@article{Vaswani.2017,
 author = {Vaswani, Ashish and Shazeer, Noam},
 year = {2017},
 title = {Attention Is All You Need},
 url = {http://arxiv.org/pdf/1706.03762v5},
 journal = {arXiv preprint}
}

@misc{Kipf.2016,
 author = {Kipf, Thomas},
 year = {2016},
 title = {Semi-Supervised Classification},
 url = {https://arxiv.org/pdf/1609.02907.pdf}
}

@misc{Old.2004,
 author = {Old, Owen},
 year = {2004},
 title = {An Old One},
 url = {http://arxiv.org/abs/hep-ph/0403057v2}
}

@article{Vaswani2017AttentionIA,
  title={Attention is All you Need},
  author={Ashish Vaswani and Noam M. Shazeer},
  journal={ArXiv},
  year={2017},
  volume={abs/1706.03762},
  url={https://api.semanticscholar.org/CorpusID:13756489}
}

@article{Other2017,
  title={A Journal Volume},
  author={Other, Olga},
  journal={Journal of Things},
  year={2017},
  volume={abs/1706.03762}
}
"""


def test_arxiv_ids_from_arxiv_addresses_and_semantic_scholar_volumes() -> None:
    read = read_text(CITAVI_AND_S2, "bib/mixed.bib")
    found = {r.key: (r.arxiv_id, r.arxiv_version) for r in read.records}
    assert found == {"Vaswani.2017": ("1706.03762", 5), "Kipf.2016": ("1609.02907", None),
                     "Old.2004": ("hep-ph/0403057", 2), "Vaswani2017AttentionIA": ("1706.03762", None),
                     "Other2017": (None, None)}  # `abs/...` means arXiv only in the journal `ArXiv`


def test_citavi_and_semantic_scholar_entries_of_one_paper_merge(tmp_path: Path) -> None:
    exported, reported = _export(tmp_path, "mixed.bib", CITAVI_AND_S2)
    assert "same-title" not in reported
    # one paper, each entry written under its own key
    assert "@article{Vaswani.2017," in exported and "@article{Vaswani2017AttentionIA," in exported
    papers = run_cli("papers", "bib/mixed.bib", "--json", cwd=tmp_path)
    assert papers.returncode == 0
    assert papers.stdout.count('"arxiv_id": "1706.03762"') == 1


# ---------------------------------------------------------------------- an @article without a journal

INSPIRE = """@article{Aad:2012tfa,
    author = "Aad, Georges and others",
    collaboration = "ATLAS",
    title = "{Observation of a new particle in the search for the Standard Model Higgs boson}",
    eprint = "1207.7214",
    archivePrefix = "arXiv",
    primaryClass = "hep-ex",
    reportNumber = "CERN-PH-EP-2012-218",
    year = "2012"
}
"""


@pytest.mark.latex
def test_an_article_without_a_journal_keeps_its_type_and_is_reported_as_bibtex_warns(tmp_path: Path) -> None:
    read = read_text(INSPIRE, "bib/inspire.bib")
    assert _codes(read.diagnostics) == [(1, "missing-field")]
    assert '"empty journal"' in read.diagnostics[0].message
    exported, _ = _export(tmp_path, "inspire.bib", INSPIRE)
    assert exported.startswith("@article{Aad:2012tfa,")  # the type as written: the record is the truth
    require_tex()
    (tmp_path / "export.bib").write_text(exported, encoding="utf-8")
    result = check_bib(tmp_path / "export.bib", ["bibtex-plain", "biber"])
    by_engine = {run.engine: [p.message for p in run.problems] for run in result.runs}
    assert any("empty journal in Aad:2012tfa" in m for m in by_engine["bibtex-plain"]), by_engine
    assert by_engine["biber"] == []  # biber says nothing, as the message says


# ---------------------------------------------------------------------- months

MONTHS = """@INPROCEEDINGS{7780459,
  author={He, Kaiming and Zhang, Xiangyu},
  booktitle={2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)},
  title={Deep Residual Learning for Image Recognition},
  year={2016},
  volume={},
  number={},
  pages={770-778},
  month={}}

@article{RefWorks:doc:5a1b,
author={Roe, Rick},
year={2017},
title={A Day in the Month},
journal={Journal of Days},
month={Dec 15,},
volume={3}
}
"""


@pytest.mark.latex
def test_an_empty_month_is_no_month_and_a_day_with_it_is_what_biber_warns_about(tmp_path: Path) -> None:
    read = read_text(MONTHS, "bib/months.bib")
    assert _codes(read.diagnostics) == [(16, "month-text")]  # IEEE's `month={}`: nothing (bibtex, biber: nothing)
    assert [r.date for r in read.records] == [None, "2017-12"]
    require_tex()
    source = tmp_path / "months.bib"
    source.write_text(MONTHS, encoding="utf-8")
    result = check_bib(source, ["bibtex-plain", "biber"])
    by_engine = {run.engine: [p.message for p in run.problems] for run in result.runs}
    assert by_engine["bibtex-plain"] == []
    assert [m for m in by_engine["biber"] if "month" in m] and all(
        re.search(r"legacy month field 'Dec 15,' in entry 'RefWorks:doc:5a1b' is not an integer", m)
        for m in by_engine["biber"] if "month" in m), by_engine


ABBREVIATED_MONTHS = """@article{m3, author={Ash, A}, title={Three}, journal={J}, year=2020, month={Sept.}}
@article{m4, author={Birch, B}, title={Four}, journal={J}, year=2020, month={sep.}}
@article{m7, author={Cedar, C}, title={Seven}, journal={J}, year=2020, month={Jan.}}
@article{m15, author={Dogwood, D}, title={Fifteen}, journal={J}, year=2020, month={12.}}
@article{m16, author={Elm, E}, title={Sixteen}, journal={J}, year=2020, month={12}}
"""


@pytest.mark.latex
def test_an_abbreviated_month_is_written_as_the_month_macro(tmp_path: Path) -> None:
    """try14a: `{Jan.}`, `{Sept.}`, `{sep.}`, `{12.}` were written as they are, and biber warned
    "legacy month field 'Sept.' ... is not an integer" (`{Jan}` was already the macro `jan`)."""
    read = read_text(ABBREVIATED_MONTHS, "bib/abbr.bib")
    assert [r.date for r in read.records] == ["2020-09", "2020-09", "2020-01", "2020-12", "2020-12"]
    assert _codes(read.diagnostics) == [(1, "month-macro"), (2, "month-macro"), (3, "month-macro"), (4, "month-macro")]
    exported, _ = _export(tmp_path, "abbr.bib", ABBREVIATED_MONTHS)
    assert re.findall(r"month = (\S+)\n", exported) == ["dec", "{12}", "sep", "sep", "jan"]  # (m15, m16, m3, ...)
    require_tex()
    months = {"source": tmp_path / "bib" / "abbr.bib", "export": tmp_path / "export.bib"}
    months["export"].write_text(exported, encoding="utf-8")
    warned = {name: [p.message for run in check_bib(path, ["biber"]).runs for p in run.problems if "month" in p.message]
              for name, path in months.items()}
    assert len(warned["source"]) == 4 and "Sept." in " ".join(warned["source"]), warned
    assert warned["export"] == []


# ---------------------------------------------------------------------- a DOI written as an address

SCIENCEDIRECT = """@article{ZHANG2026104192,
title = {Routing in Ad Hoc Networks},
journal = {Ad Hoc Networks},
volume = {180},
pages = {104192},
year = {2026},
issn = {1570-8705},
doi = {https://doi.org/10.1016/j.adhoc.2026.104192},
url = {https://www.sciencedirect.com/science/article/pii/S1570870526001234},
author = {Wei Zhang and Li Wang},
}
"""


def test_a_doi_written_as_an_address_is_reported_and_exported_as_the_doi(tmp_path: Path) -> None:
    read = read_text(SCIENCEDIRECT, "bib/sd.bib")
    assert _codes(read.diagnostics) == [(8, "doi-url")]
    assert "https://doi.org/https://doi.org/" in read.diagnostics[0].message
    assert read.records[0].doi == "10.1016/j.adhoc.2026.104192"
    exported, reported = _export(tmp_path, "sd.bib", SCIENCEDIRECT)
    assert "  doi = {10.1016/j.adhoc.2026.104192},\n" in exported
    assert "doi-url" not in reported  # an info (nothing lost: the export writes the DOI): `check -v` shows it
    verbose = run_cli("check", "-v", "bib/sd.bib", cwd=tmp_path)
    assert "bib/sd.bib:8: info[doi-url]: doi 'https://doi.org/10.1016/j.adhoc.2026.104192'" in verbose.stderr
    assert "url = {https://www.sciencedirect.com/science/article/pii/S1570870526001234}" in exported  # as written
    # Other ways of writing the resolver or the label (`DOI: ` was not a DOI, for its space), and a
    # DOI that is not one, warned once (it was warned twice: asked as a field and as the identity)
    for written in ("DOI: 10.1016/j.adhoc.2026.104192", "doi.org/10.1016/j.adhoc.2026.104192",
                    "https://www.doi.org/10.1016/j.adhoc.2026.104192"):
        read = read_text(SCIENCEDIRECT.replace("https://doi.org/10.1016/j.adhoc.2026.104192", written), "bib/sd.bib")
        assert _codes(read.diagnostics) == [(8, "doi-url")] and read.records[0].doi == "10.1016/j.adhoc.2026.104192"
    read = read_text(SCIENCEDIRECT.replace("https://doi.org/10.1016/j.adhoc.2026.104192", "see the {journal}"), "bib/sd.bib")
    assert _codes(read.diagnostics) == [(8, "bad-field")] and read.records[0].doi is None


PERCENT_ENCODED_DOIS = """@article{lancet1, author={Huang, Chaolin}, title={Clinical features of patients infected with 2019
novel coronavirus in Wuhan}, journal={Lancet}, year=2020, doi={10.1016/S0140-6736(20)30183-5}}
@article{lancet2, author={Huang, Chaolin}, title={Clinical Features of Patients Infected With 2019 Novel Coronavirus
in Wuhan, China}, journal={The Lancet}, year=2020, doi={https://doi.org/10.1016/S0140-6736%2820%2930183-5}}
@article{wiley, author={Doe, J}, title={Wiley thing}, journal={Angew}, year=2020,
doi={https://doi.org/10.1002%2Fanie.202000001}}
"""


def test_a_percent_encoded_doi_address_is_the_doi_decoded(tmp_path: Path) -> None:
    """try14a: `https://doi.org/10.1002%2Fanie.202000001` (copied from a browser) was exported
    `10.1002%2Fanie.202000001`, and `...S0140-6736%2820%2930183-5` was not the paper
    `10.1016/S0140-6736(20)30183-5`."""
    read = read_text(PERCENT_ENCODED_DOIS, "bib/pct.bib")
    assert [r.doi for r in read.records] == ["10.1016/s0140-6736(20)30183-5"] * 2 + ["10.1002/anie.202000001"]
    exported, reported = _export(tmp_path, "pct.bib", PERCENT_ENCODED_DOIS)
    assert "doi = {10.1016/S0140-6736(20)30183-5}" in exported and "%28" not in exported
    assert "doi = {10.1002/anie.202000001}" in exported
    assert "3 entries (2 papers)" in reported  # the two Lancet entries are one paper, each key kept
    assert any(d.message.endswith("written as the DOI alone on export, 10.1002/anie.202000001")
               for d in read.diagnostics if d.code == "doi-url")


# ---------------------------------------------------------------------- ADS's braced accented surnames

ADS_NAMES = """@ARTICLE{2018ApJ...860..109G,
       author = {{G{\\'o}mez}, Leonardo},
        title = "{A Test of the Gomez Form}",
      journal = {Astrophysical Journal},
         year = 2018,
       volume = {860},
        pages = {109},
}

@ARTICLE{2010A&A...510A..80P,
       author = {{Pe{\\~n}a}, M.},
        title = "{Planetary Nebulae in the Dwarf Galaxy}",
      journal = {Astronomy and Astrophysics},
         year = 2010,
       volume = {510},
        pages = {A80},
}

@ARTICLE{2020MNRAS.491.1234L,
       author = {{de la Fuente Marcos}, Carlos and {Smith}, J.},
        title = "{Asteroids}",
      journal = {Monthly Notices},
         year = 2020,
}
"""


ADS_COMPOUND_NAMES = """@ARTICLE{2021A&A...650A..12M,
       author = {{M{\\"u}ller-L{\\"u}denscheidt}, H.},
        title = "{Hyphenated Surnames in Catalogues}",
      journal = {Astronomy and Astrophysics},
         year = 2021,
       volume = {650},
        pages = {A12},
}

@ARTICLE{2019MNRAS.482.4321L,
       author = {{L{\\'o}pez Garc{\\'\\i}a}, M.},
        title = "{Two-Word Surnames}",
      journal = {Monthly Notices},
         year = 2019,
}
"""


@pytest.mark.latex
def test_ads_hyphenated_and_two_word_accented_surnames_are_unbraced_too(tmp_path: Path) -> None:
    """try14a: the repair of `{{G{\\'o}mez}, Leonardo}` missed `{{M{\\"u}ller-L{\\"u}denscheidt}, H.}` and
    `{{L{\\'o}pez Garc{\\'\\i}a}, M.}`: exported as written, bibtex's alpha wrote `\\bibitem[{M{\\"}}21]`."""
    read = read_text(ADS_COMPOUND_NAMES, "bib/ads2.bib")
    assert [c for c in _codes(read.diagnostics) if c[1] == "repaired"][:2] == [(2, "repaired"), (11, "repaired")]
    assert [r.authors for r in read.records] == [("Müller-Lüdenscheidt, H.",), ("López García, M.",)]
    exported, _ = _export(tmp_path, "ads2.bib", ADS_COMPOUND_NAMES)
    assert 'author = {M{\\"u}ller-L{\\"u}denscheidt, H.}' in exported
    assert "author = {L{\\'o}pez Garc" in exported
    require_tex()
    source, export = tmp_path / "bib" / "ads2.bib", tmp_path / "export.bib"
    export.write_text(exported, encoding="utf-8")
    broken = check_bib(source, ["bibtex-alpha"])
    assert any(p.code == "latex-tex-error" for p in broken.problems)
    fixed = check_bib(export, ["bibtex-alpha", "biber"])
    assert not fixed.problems, "\n".join(p.format() for p in fixed.problems)
    alpha = fixed.runs[0].pdf_text
    assert "[ML21] H. Müller-Lüdenscheidt." in alpha and "[LG19] M. López García." in alpha, alpha


@pytest.mark.latex
def test_ads_braced_accented_surnames_are_unbraced_for_bibtex_alpha(tmp_path: Path) -> None:
    read = read_text(ADS_NAMES, "bib/ads.bib")
    assert _codes(read.diagnostics) == [(2, "repaired"), (11, "repaired")]  # a braced multi-word surname stays
    assert [r.authors for r in read.records] == [("Gómez, Leonardo",), ("Peña, M.",),
                                                 ("de la Fuente Marcos, Carlos", "Smith, J.")]
    exported, _ = _export(tmp_path, "ads.bib", ADS_NAMES)
    assert "author = {G{\\'o}mez, Leonardo}" in exported and "author = {Pe{\\~n}a, M.}" in exported
    assert "author = {{de la Fuente Marcos}, Carlos and {Smith}, J.}" in exported
    require_tex()
    source, export = tmp_path / "bib" / "ads.bib", tmp_path / "export.bib"
    export.write_text(exported, encoding="utf-8")
    broken = check_bib(source, ["bibtex-alpha"])
    assert any(p.code == "latex-tex-error" for p in broken.problems)  # `\bibitem[{G{\'}}18]`
    fixed = check_bib(export, ["bibtex-alpha", "biber"])
    assert not fixed.problems, "\n".join(p.format() for p in fixed.problems)
    alpha = fixed.runs[0].pdf_text
    assert "[Góm18]" in alpha and "[Peñ10]" in alpha, alpha
