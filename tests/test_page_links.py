"""Links on a paper's page land where they point, whatever characters the URL holds."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import markdown

from mkdocs_readinglist.model import Paper
from mkdocs_readinglist.render.pages import _links

# biblatex-examples.bib's `sigfridsson` entry: a SICI DOI with parentheses and angle brackets.
SICI = "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if tag == "a" and name == "href"]


def _hrefs(paper: Paper) -> list[str]:
    parser = _Hrefs()
    parser.feed(markdown.markdown(_links(paper)))
    return parser.hrefs


def test_a_doi_with_brackets_and_parentheses_is_one_working_link() -> None:
    paper = Paper(id="x", title="T", fields=(("doi", SICI),),
                  urls=(("code", "https://github.com/o/r (fork)"), ("project", "https://e.org/a?b=1&c=<2>")))
    hrefs = _hrefs(paper)
    assert [unquote(h) for h in hrefs] == [f"https://doi.org/{SICI}", "https://github.com/o/r (fork)",
                                           "https://e.org/a?b=1&c=<2>"]
    assert all("<" not in h and " " not in h for h in hrefs)


def test_a_doi_written_as_a_url_or_with_doi_links_to_doi_org_once() -> None:
    """ScienceDirect and EndNote write `doi = {https://doi.org/10.1016/...}`, others `doi:10...`:
    the page linked to `https://doi.org/https://doi.org/...`."""
    for written in ("https://doi.org/10.1016/j.adhoc.2026.104192", "http://dx.doi.org/10.1016/j.adhoc.2026.104192",
                    "doi:10.1016/j.adhoc.2026.104192", "DOI: 10.1016/j.adhoc.2026.104192"):
        assert _hrefs(Paper(id="x", title="T", fields=(("doi", written),))) == [
            "https://doi.org/10.1016/j.adhoc.2026.104192"], written


def test_an_arxiv_paper_links_abstract_and_pdf() -> None:
    assert _hrefs(Paper(id="2401.00001", title="T", arxiv_id="2401.00001")) == [
        "https://arxiv.org/abs/2401.00001", "https://arxiv.org/pdf/2401.00001"]


def test_a_dataset_is_listed_once_whatever_the_spelling(tmp_path: Path) -> None:
    """`the FreiHand dataset` (an alias of FreiHAND in datasets.yml) and FreiHAND, and an unknown
    name in two cases: one entry each on the datasets page (two entries shared one HTML id)."""
    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping

    listing = tmp_path / "bib" / "hf-search.txt"
    listing.parent.mkdir()
    listing.write_text(
        "Get trending papers in your email inbox!\n"
        "HandNet: Hand Pose Estimation from One Image\n"
        "Comprehensive evaluations on the FreiHand dataset and the PoseBank benchmark show that HandNet works.\n"
        "HandNet2: Better Hand Pose Estimation from One Image\n"
        "We test on FreiHAND and on the POSEBANK benchmark, where HandNet2 improves on HandNet.\n", encoding="utf-8")
    settings, _ = settings_from_mapping(tmp_path, {"sources": ["bib"], "lock_file": "keys.lock"})
    datasets = run_pipeline(settings).links.datasets
    assert len(datasets["FreiHAND"]) == 2 and "FreiHand" not in datasets
    assert [name for name in datasets if name.lower() == "posebank"] == ["PoseBank"]
    assert len(datasets["PoseBank"]) == 2


def test_the_built_in_topics_tag_the_samples_papers_as_a_reader_would() -> None:
    """A new user's read of the samples' tags: `reasoning` and `agent` alone made an LLM paper of a
    proxemics paper and of multi-agent RL; monkeys and autism were not Animals and Health."""
    import tempfile

    from mkdocs_readinglist.pipeline import run_pipeline
    from mkdocs_readinglist.settings import settings_from_mapping

    from .helpers import SAMPLES
    with tempfile.TemporaryDirectory() as tmp:
        settings, _ = settings_from_mapping(Path(tmp), {"sources": [str(SAMPLES)], "lock_file": f"{tmp}/keys.lock"})
        papers = run_pipeline(settings).papers

    def topics(start: str) -> tuple[str, ...]:
        return next(p.topics for p in papers if (p.title or "").startswith(start))

    assert "LLM" not in topics("PoseExaminer")
    assert "Animals" in topics("Monkey Transfer Learning")
    assert "Health & Medicine" in topics("Hugging Rain Man")
    assert "LLM" in topics("ExpLLM")


def _bib_site(tmp_path: Path, bib: str, options: str = "") -> Path:
    """A Material site whose reading list is one .bib (`options`: more plugin options, YAML lines),
    built with `--strict`; the built site's folder."""
    from .helpers import mkdocs_build

    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: u\ntheme: {name: material}\nplugins:\n  - readinglist:\n"
                                         "      sources: [bib]\n" + options, encoding="utf-8")
    built = mkdocs_build(tmp_path, "--strict")
    assert built.returncode == 0, built.stderr
    return tmp_path / "site"


def test_an_address_without_its_scheme_is_a_web_address_and_strict_builds(tmp_path: Path) -> None:
    """archaeologie-examples.bib (TeX Live) has `url = {www....}`: the paper page linked it as a page
    of the site, MkDocs found no such page and `--strict` failed."""
    site = _bib_site(tmp_path, "@article{m12, author = {Ann Author}, title = {Magnetometry}, journal = {J}, "
                     "year = {2012},\n  url = {www.example.org/docs/paper.pdf}}\n")
    page = (site / "reading-list" / "papers" / "m12" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://www.example.org/docs/paper.pdf">Web page</a>' in page  # a .bib's url: no "Project"
    assert "url = {www.example.org/docs/paper.pdf}" in (site / "references.bib") \
        .read_text(encoding="utf-8")  # the record itself is as written


def test_a_public_pdf_and_an_address_in_howpublished_are_linked_a_file_on_disk_never(tmp_path: Path) -> None:
    """A `pdf` on the web (an author's copy) and `howpublished = {\\url{...}}` (a dataset, a program:
    misc entries as the biblatex and natbib guides write them) got no link on the paper page; a
    `pdf` on the user's disk (JabRef, BibDesk) must get none, and stays out of the page's BibTeX."""
    site = _bib_site(
        tmp_path,
        "@misc{hub2024, author = {{Hugging Face}}, title = {Model Hub},\n"
        "  howpublished = {\\url{https://example.org/~user/hub}}, year = {2024}}\n"
        "@article{roe2020, author = {Roe, Rick}, title = {Open Papers}, journal = {J}, year = {2020},\n"
        "  pdf = {https://example.org/papers/roe2020.pdf}}\n"
        "@article{doe2021, author = {Doe, Jane}, title = {Private Papers}, journal = {J}, year = {2021},\n"
        "  pdf = {/home/jane/papers/doe2021.pdf}}\n"
        "@misc{note2022, author = {Poe, Al}, title = {A Talk}, howpublished = {Talk at the Workshop}, year = {2022}}\n"
        "@misc{data2023, author = {Bee, Ann}, title = {Data}, howpublished = {Available at \\url{https://example.org/d}.},"
        " year = {2023}}\n"
        "@misc{code2024, author = {Cho, Kim}, title = {Code}, howpublished = {\\href{https://github.com/a/b}{GitHub}},"
        " year = {2024}}\n")

    def page(key: str) -> str:
        return (site / "reading-list" / "papers" / key / "index.html").read_text(encoding="utf-8")

    assert 'href="https://example.org/~user/hub">Web page</a>' in page("hub2024")
    assert 'href="https://example.org/papers/roe2020.pdf">PDF</a>' in page("roe2020")
    assert "/home/jane" not in page("doe2021") and ">PDF</a>" not in page("doe2021")
    assert ">Web page</a>" not in page("note2022") and ">PDF</a>" not in page("note2022")
    assert 'href="https://example.org/d">Web page</a>' in page("data2023")  # (not the sentence's period)
    assert 'href="https://github.com/a/b">Web page</a>' in page("code2024")


def test_a_paper_pages_title_shows_math_as_text_in_the_browser_tab_and_cards(tmp_path: Path) -> None:
    """The front matter's title is what Material puts in `<title>`, og:title, the nav and a social
    card: `\\(\\alpha\\)` showed there as written, while the page's heading showed α."""
    site = _bib_site(tmp_path, "@article{s20, author = {Erwin Schr{\\\"o}dinger}, title = {On the $\\alpha$-Stability "
                     "of {3D} Cats},\n  journal = {J}, year = {2020}}\n", "      papers_in_nav: true\n")
    page = (site / "reading-list" / "papers" / "s20" / "index.html").read_text(encoding="utf-8")
    assert "<title>On the α-Stability of 3D Cats - u</title>" in page
    assert "\\(" not in page.split("<article")[0]  # nothing in the head or the nav
