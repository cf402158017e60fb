"""Synthetic corpora for the benchmarks: listings in all four formats plus a .bib.

Text is recombined from the sample listings in bib/ (sentences of real abstracts and
summaries, real titles), so lengths, topic keywords, dataset names and the share of
special characters (LaTeX fragments, accents, math) follow the samples. On top of that:

- every paper gets a unique title; about half carry a short name before a colon
  (`GraphPose: ...`), and about 2% of short names are shared by two papers;
- about a third of the abstracts name the short names of other papers (cross-links);
- about 6% of papers are listed twice in different files (by title across Hugging Face
  listings and notes pages, by arXiv id between arXiv listings and the .bib), and most
  papers of the arXiv listings (which give no titles) are also in a .bib.

Deterministic for a seed. `python -m bench.generate 10000 /tmp/corpus` writes one.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "bib"
GENERATOR_VERSION = 7  # bump when the output changes, so cached corpora are rebuilt

# The formats of a corpus's files, in the order files are numbered (cycled); weights
# follow the samples: Hugging Face listings are the bulk, arXiv listings the fewest.
FILE_FORMATS = ("hf-search", "hf-daily", "notes-page", "hf-search", "bibtex",
                "hf-daily", "hf-search", "notes-page", "arxiv-listing", "hf-daily")
SUFFIX = {"bibtex": "bib"}

_SPECIAL = re.compile(r"[\\{}$]")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_UI = re.compile(r"^(?:Subscribe|Get trending|new$|Daily Papers|byAK|Skip to content|arXiv:|Created:|\s*•|·)")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_VENUES = ("CVPR", "ICCV", "ECCV", "NeurIPS", "ICLR", "ICML", "AAAI", "WACV", "BMVC", "3DV")
_GIVEN = ("Wei", "Jun", "Yan", "Li", "Anna", "Lukas", "Sofía", "José", "Zoë", "Łukasz", "Chloé", "Mehmet",
          "Priya", "Arjun", "Hyun-woo", "Minh", "Olga", "Jörg", "François", "Siddharth", "Kai", "Hannah")
_FAMILY = ("Huang", "Zhang", "Wang", "Li", "Chen", "Liu", "Xu", "Müller", "García", "Gómez", "Nguyễn",
           "Kowalski", "Søndergaard", "Kim", "Park", "Tanaka", "Rossi", "Dubois", "Öztürk", "Singh",
           "Patel", "Ivanova", "Schmidt", "O'Brien", "Van der Berg", "Lee", "Yang", "Zhao", "Wu", "Sun")
_LATEX_ACCENTS = {"ü": '{\\"u}', "ö": '{\\"o}', "é": "{\\'e}", "í": "{\\'i}", "ç": "{\\c{c}}", "ø": "{\\o}",
                  "Ł": "{\\L}", "ë": '{\\"e}', "Ö": '{\\"O}', "á": "{\\'a}"}
_COMMENTS = ("6 pages, 7 figures", "Accepted to CVPR 2025", "CVPR2024", "Project page available",
             "14 pages, 9 figures, 3 tables", "ECCV 2024 camera-ready")
_LEADS = ("Towards", "Rethinking", "Revisiting", "Learning", "Scaling", "Unified", "Efficient", "Robust")
_MENTION_TEMPLATES = (
    "Compared with {a}, our approach reduces the error by a large margin.",
    "Unlike {a} and {b}, we do not require paired annotations.",
    "We build on {a} and extend it to longer sequences.",
    "Experiments show clear gains over {a}, {b} and strong baselines.",
)


@dataclass
class Samples:
    """What the generator recombines, taken from the sample listings."""

    sentences: list[str]
    summary_sentences: list[str]
    special_share: float  # share of abstracts and summaries with LaTeX fragments (`\\`, `{`, `$`)
    abstract_lengths: list[int]
    summary_lengths: list[int]
    titles: list[str]
    title_words: list[str]


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            return False
    return depth == 0 and text.count("\\(") == text.count("\\)") and text.count("$") % 2 == 0


def load_samples(sample_dir: Path = SAMPLE_DIR) -> Samples:
    sentences: list[str] = []
    summary_sentences: list[str] = []
    abstract_lengths: list[int] = []
    summary_lengths: list[int] = []
    titles: list[str] = []
    paragraphs = special = 0
    for path in sorted(sample_dir.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        notes = any("paper notes" in line for line in lines[:20])
        for number, line in enumerate(lines):
            text = line.strip()
            if not text or _UI.match(text) or "Top topics" in text or "other venues" in text:
                continue
            if len(text) >= 250 or (notes and len(text) >= 120):
                pieces = [p for p in _SENTENCE_SPLIT.split(text) if _balanced(p)]
                (summary_sentences if notes else sentences).extend(pieces)
                (summary_lengths if notes else abstract_lengths).append(len(text))
                paragraphs += 1
                special += bool(_SPECIAL.search(text))
            elif 15 <= len(text) < 200 and not text.endswith(".") and number > 2 and "paper notes" not in text:
                titles.append(text.removeprefix("Subscribe"))
    words = sorted({w for t in titles for w in re.findall(r"[A-Za-z][a-z]{3,}", t)})
    if not sentences or not titles:
        raise SystemExit(f"no sample listings found in {sample_dir}")
    return Samples(sentences, summary_sentences or sentences, special / max(1, paragraphs), abstract_lengths, summary_lengths or [400],
                   titles, words)


@dataclass
class Paper:
    index: int
    title: str
    short: str | None
    abstract: str
    summary: str
    arxiv_id: str
    authors: list[str]
    year: int
    month: int
    day: int
    venue: str | None
    comment: str | None
    files: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Corpus:
    folder: Path
    files: tuple[Path, ...]
    papers: int  # distinct papers
    records: int  # records in the files (papers plus duplicates)
    text_bytes: int


def _short_name(rng: random.Random, words: Sequence[str]) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(words).capitalize() + rng.choice(words).capitalize()
    if kind < 0.75:
        return "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") for _ in range(rng.randint(3, 6)))
    if kind < 0.9:
        return rng.choice(words).capitalize() + "-" + "".join(rng.choice("ABCDEFGHKLMNPRSTVX") for _ in range(2))
    return rng.choice(words).capitalize() + str(rng.randint(2, 99))


def _split(pool: Sequence[str]) -> tuple[list[str], list[str]]:
    """(plain sentences, sentences with LaTeX fragments)."""
    return [s for s in pool if not _SPECIAL.search(s)], [s for s in pool if _SPECIAL.search(s)]


def _text(rng: random.Random, pools: tuple[list[str], list[str]], length: int, special_share: float) -> str:
    """Sentences of the pool up to `length`; LaTeX fragments in as many texts as in the samples."""
    plain, specials = pools
    out: list[str] = [rng.choice(specials)] if specials and rng.random() < special_share else []
    size = len(out[0]) if out else 0
    while size < length:
        sentence = rng.choice(plain)
        out.append(sentence)
        size += len(sentence) + 1
    text = " ".join(out)
    return text if text.endswith((".", "!", "?")) else text + "."


def make_papers(count: int, seed: int = 0, samples: Samples | None = None, files: int = 20) -> list[Paper]:
    rng = random.Random(seed)
    samples = samples or load_samples()
    words = samples.title_words
    abstract_pools, summary_pools = _split(samples.sentences), _split(samples.summary_sentences)
    shorts: list[str | None] = []
    seen_short: set[str] = set()
    for _ in range(count):
        if rng.random() < 0.55:
            name = _short_name(rng, words)
            while name in seen_short:
                name = _short_name(rng, words)
            seen_short.add(name)
            shorts.append(name)
        else:
            shorts.append(None)
    named = [s for s in shorts if s]
    for _ in range(len(named) // 50):  # ~2% of short names are shared by two papers
        i, j = rng.randrange(count), rng.randrange(count)
        if shorts[i] and shorts[j] and i != j:
            shorts[j] = shorts[i]
    papers: list[Paper] = []
    seen_titles: set[str] = set()
    for index in range(count):
        base = rng.choice(samples.titles)
        tail = base.split(": ", 1)[1] if ": " in base else base
        short = shorts[index]
        title = f"{short}: {tail}" if short else tail
        # Unique in the first 80 letters too, which is what a title-based paper id keeps.
        norm = re.sub(r"[^0-9a-z]+", "", title.lower())[:80]
        while norm in seen_titles:
            lead = f"{rng.choice(_LEADS)} {rng.choice(words).lower()}-aware"
            title = f"{short}: {lead} {tail[0].lower()}{tail[1:]}" if short else f"{lead} {tail[0].lower()}{tail[1:]}"
            tail = title.split(": ", 1)[1] if short else title
            norm = re.sub(r"[^0-9a-z]+", "", title.lower())[:80]
        seen_titles.add(norm)
        abstract = _text(rng, abstract_pools, max(300, rng.choice(samples.abstract_lengths)),
                         samples.special_share)
        if named and rng.random() < 0.33:
            template = rng.choice(_MENTION_TEMPLATES)
            mention = template.format(a=rng.choice(named), b=rng.choice(named))
            cut = abstract.find(". ", len(abstract) // 2)
            abstract = abstract[: cut + 2] + mention + " " + abstract[cut + 2:] if cut > 0 else abstract + " " + mention
        summary = _text(rng, summary_pools, max(150, rng.choice(samples.summary_lengths)),
                        samples.special_share)
        if short:
            summary = f"{short} {summary[0].lower()}{summary[1:]}" if rng.random() < 0.5 else summary
        year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024, 2024, 2025, 2025, 2025))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        authors = [f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}" for _ in range(rng.randint(1, 9))]
        venue = f"{rng.choice(_VENUES)} {year}" if rng.random() < 0.4 else None
        arxiv_id = f"{year % 100:02d}{month:02d}.{index % 100000:05d}"  # unique below 100k papers
        papers.append(Paper(index, title, short, abstract, summary, arxiv_id, authors, year, month, day, venue,
                            rng.choice(_COMMENTS) if rng.random() < 0.4 else None))
    # Each paper in one file; some also in a second file of a format that can merge with it.
    by_format: dict[str, list[int]] = {}
    for number in range(files):
        by_format.setdefault(FILE_FORMATS[number % len(FILE_FORMATS)], []).append(number)
    titled = [n for fmt, ns in by_format.items() if fmt != "arxiv-listing" for n in ns]
    for paper in papers:
        paper.files.append(paper.index * files // count if count else 0)
        first_format = FILE_FORMATS[paper.files[0] % len(FILE_FORMATS)]
        if first_format == "arxiv-listing" and by_format.get("bibtex") and rng.random() < 0.6:
            paper.files.append(rng.choice(by_format["bibtex"]))  # titles come from the user's .bib
        elif rng.random() < 0.06:
            if first_format in ("arxiv-listing", "bibtex"):
                other = [n for fmt in ("arxiv-listing", "bibtex") for n in by_format.get(fmt, []) if fmt != first_format]
            else:
                other = [n for n in titled if FILE_FORMATS[n % len(FILE_FORMATS)] != first_format]
            if other:
                paper.files.append(rng.choice(other))
    return papers


def _bib_escape(text: str, rng: random.Random) -> str:
    text = re.sub(r"(?<!\\)([&%#_])", r"\\\1", text)
    if not _balanced(text):
        text = text.replace("{", "").replace("}", "")
    return "".join(_LATEX_ACCENTS.get(c, c) if rng.random() < 0.5 else c for c in text)


def _author_bib(name: str, rng: random.Random) -> str:
    given, family = name.split(" ", 1)
    return _bib_escape(f"{family}, {given}", rng)


def write_file(fmt: str, number: int, papers: Sequence[Paper], rng: random.Random) -> str:
    out: list[str] = []
    if fmt == "notes-page":
        venue = _VENUES[number % len(_VENUES)]
        out.append(f"Skip to content\n\n🧑 Human Understanding\n\n🔬 {venue}2026 · {len(papers)} paper notes\n\n"
                   "📌 Same area in other venues: 📷 CVPR2026 (138) · 🧪 ICML2026 (5) · 🤖 AAAI2026 (20)\n\n"
                   "🔥 Top topics: Human Pose ×7 · Multimodal/VLM ×4 · Diffusion Models ×3 · LLM ×2\n\n")
        out.extend(f"{p.title}\n\n{p.summary}\n\n" for p in papers)
    elif fmt == "hf-search":
        out.append("Get trending papers in your email inbox once a day!\nGet trending papers in your email inbox!\n"
                   "Subscribe")
        out.extend(f"{p.title}\n{p.abstract}\n" for p in papers)
    elif fmt == "hf-daily":
        out.append("new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
                   "byAK and the research community\n\nMay 13\n\n")
        for p in papers:
            who = f"  • {len(p.authors)} authors" if rng.random() < 0.97 else "HKUSTGZ HKUSTGZ"
            out.append(f"{p.title}\n\n{p.abstract}\n\n{who}\n·\n{_MONTHS[p.month - 1]} {p.day}, {p.year}\n\n")
    elif fmt == "arxiv-listing":
        for p in papers:
            comment = f"{p.comment}\n\n" if p.comment else ""
            updated = f" Updated: {p.year}-{p.month:02d}-{p.day + 1:02d}" if rng.random() < 0.3 else ""
            out.append(f"{p.abstract}\n\n{comment}arXiv:{p.arxiv_id}\nCreated: {p.year}-{p.month:02d}-{p.day:02d}"
                       f"{updated}\n\n")
    elif fmt == "bibtex":
        for p in papers:
            kind = "inproceedings" if p.venue else "misc"
            key = re.sub(r"[^a-z]", "", p.authors[0].split()[-1].lower()) + f"{p.year}p{p.index}"
            fields = [("author", " and ".join(_author_bib(a, rng) for a in p.authors)),
                      ("title", _bib_escape(p.title, rng))]
            if p.venue:
                fields.append(("booktitle", p.venue))
            fields += [("year", str(p.year)), ("eprint", p.arxiv_id), ("archiveprefix", "arXiv"),
                       ("abstract", _bib_escape(p.abstract, rng))]
            body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
            out.append(f"@{kind}{{{key},\n{body}\n}}\n\n")
    else:
        raise ValueError(fmt)
    return "".join(out)


def generate(count: int, folder: Path, seed: int = 0, files: int = 20) -> Corpus:
    """Write a corpus of `count` papers in `files` files; reuse it when already written."""
    stamp = folder / "corpus.json"
    wanted = {"papers": count, "seed": seed, "files": files, "version": GENERATOR_VERSION}
    if stamp.exists():
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if data.get("spec") == wanted:
            written = tuple(folder / name for name in data["files"])
            if all(p.exists() for p in written):
                return Corpus(folder, written, count, data["records"], data["text_bytes"])
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    rng = random.Random(seed + 1)
    papers = make_papers(count, seed, files=files)
    members: list[list[Paper]] = [[] for _ in range(files)]
    for paper in papers:
        for number in paper.files:
            members[number].append(paper)
    paths: list[Path] = []
    records = 0
    text_bytes = 0
    for number in range(files):
        fmt = FILE_FORMATS[number % len(FILE_FORMATS)]
        path = folder / f"{number:02d}-{fmt}.{SUFFIX.get(fmt, 'txt')}"
        text = write_file(fmt, number, members[number], rng)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        records += len(members[number])
        text_bytes += len(text.encode("utf-8"))
    stamp.write_text(json.dumps({"spec": wanted, "files": [p.name for p in paths], "records": records,
                                 "text_bytes": text_bytes}, indent=1), encoding="utf-8")
    return Corpus(folder, tuple(paths), count, records, text_bytes)


def special_share(text: str) -> dict[str, float]:
    """Share of characters that need care: non-ASCII, LaTeX specials, math."""
    size = max(1, len(text))
    return {"non_ascii": sum(1 for c in text if not c.isascii()) / size,
            "latex_specials": sum(1 for c in text if c in "\\{}$&%#_^~") / size,
            "math": text.count("\\(") / size * 1000}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("papers", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = generate(args.papers, args.out, args.seed, args.files)
    generated = "".join(p.read_text(encoding="utf-8") for p in corpus.files if p.suffix == ".txt")
    sample = "".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt")))
    print(f"{corpus.papers} papers, {corpus.records} records in {len(corpus.files)} files, "
          f"{corpus.text_bytes / 1e6:.1f} MB under {corpus.folder}")
    for name, text in (("sample", sample), ("generated", generated)):
        share = special_share(text)
        print(f"  {name:9s}: non-ASCII {share['non_ascii']:.2%}, LaTeX specials {share['latex_specials']:.2%}, "
              f"inline math {share['math']:.2f} per 1000 chars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
