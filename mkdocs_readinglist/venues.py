"""Venue names as listings write them (`ICLR2026`, `CVPR 2024`, `NeurIPS'25`) made canonical.

`venue_and_year` finds a known venue anywhere in a text (a `.bib` booktitle, a notes page's
venue line); `written_venue` reads a text that is a venue (an override's `venue:`), keeping
what it says besides the name and year (`Findings of ACL 2024`, `NeurIPS 2023 Workshop on
Foo`); `comment_venue` reads an arXiv comment, which names where the paper is published only
when it says it was accepted there (`Accepted to CVPR 2025`, `To appear in ...`, `CVPR 2025
(Oral)`), never `Under review at ...`, `Submitted to ...` or `Extended version of our ... paper`.
`venue_kind` tells a journal from a proceedings and a preprint server from both."""

from __future__ import annotations

import re
from functools import lru_cache

# Short name -> full proceedings or journal name, for `booktitle`/`journal`.
CANONICAL_VENUES: dict[str, tuple[str, str]] = {
    "ICLR": ("inproceedings", "International Conference on Learning Representations"),
    "NeurIPS": ("inproceedings", "Advances in Neural Information Processing Systems"),
    "NIPS": ("inproceedings", "Advances in Neural Information Processing Systems"),
    "ICML": ("inproceedings", "International Conference on Machine Learning"),
    "CVPR": ("inproceedings", "IEEE/CVF Conference on Computer Vision and Pattern Recognition"),
    "ICCV": ("inproceedings", "IEEE/CVF International Conference on Computer Vision"),
    "ECCV": ("inproceedings", "European Conference on Computer Vision"),
    "WACV": ("inproceedings", "IEEE/CVF Winter Conference on Applications of Computer Vision"),
    "BMVC": ("inproceedings", "British Machine Vision Conference"),
    "3DV": ("inproceedings", "International Conference on 3D Vision"),
    "AAAI": ("inproceedings", "AAAI Conference on Artificial Intelligence"),
    "IJCAI": ("inproceedings", "International Joint Conference on Artificial Intelligence"),
    "ACL": ("inproceedings", "Annual Meeting of the Association for Computational Linguistics"),
    "EMNLP": ("inproceedings", "Conference on Empirical Methods in Natural Language Processing"),
    "NAACL": ("inproceedings", "Conference of the North American Chapter of the Association for Computational Linguistics"),
    "COLING": ("inproceedings", "International Conference on Computational Linguistics"),
    "KDD": ("inproceedings", "ACM SIGKDD Conference on Knowledge Discovery and Data Mining"),
    "SIGGRAPH Asia": ("inproceedings", "ACM SIGGRAPH Asia Conference"),
    "SIGGRAPH": ("inproceedings", "ACM SIGGRAPH Conference"),
    "ACM MM": ("inproceedings", "ACM International Conference on Multimedia"),
    "ICRA": ("inproceedings", "IEEE International Conference on Robotics and Automation"),
    "IROS": ("inproceedings", "IEEE/RSJ International Conference on Intelligent Robots and Systems"),
    "CoRL": ("inproceedings", "Conference on Robot Learning"),
    "RSS": ("inproceedings", "Robotics: Science and Systems"),
    "FG": ("inproceedings", "IEEE International Conference on Automatic Face and Gesture Recognition"),
    "ICASSP": ("inproceedings", "IEEE International Conference on Acoustics, Speech and Signal Processing"),
    "MICCAI": ("inproceedings", "International Conference on Medical Image Computing and Computer-Assisted Intervention"),
    "AISTATS": ("inproceedings", "International Conference on Artificial Intelligence and Statistics"),
    "UAI": ("inproceedings", "Conference on Uncertainty in Artificial Intelligence"),
    "COLM": ("inproceedings", "Conference on Language Modeling"),
    "TPAMI": ("article", "IEEE Transactions on Pattern Analysis and Machine Intelligence"),
    "IJCV": ("article", "International Journal of Computer Vision"),
    "TIP": ("article", "IEEE Transactions on Image Processing"),
    "TOG": ("article", "ACM Transactions on Graphics"),
    "JMLR": ("article", "Journal of Machine Learning Research"),
    "TMLR": ("article", "Transactions on Machine Learning Research"),
}

_VENUE_YEAR = re.compile(
    r"\b(?P<name>" + "|".join(sorted((re.escape(v) for v in CANONICAL_VENUES), key=len, reverse=True))
    + r")\s*'?(?P<year>(?:19|20)\d{2}|\d{2})\b",
    re.IGNORECASE,
)
_CANONICAL = {name.lower(): name for name in CANONICAL_VENUES}
_GENERIC_VENUE = re.compile(r"\s*([A-Za-z][A-Za-z&\-]*?)\s*'?((?:19|20)\d{2})\s*")


@lru_cache(maxsize=4096)
def venue_and_year(text: str) -> tuple[str | None, int | None]:
    """(`ICLR 2026`, 2026) from `ICLR2026`; (None, None) when no known venue is named."""
    match = _VENUE_YEAR.search(text)
    if not match:
        generic = _GENERIC_VENUE.fullmatch(text)
        if generic:
            return f"{generic.group(1)} {generic.group(2)}", int(generic.group(2))
        return None, None
    name = _CANONICAL[match.group("name").lower()]
    year = int(match.group("year"))
    if year < 100:
        year += 2000
    return f"{name} {year}", year


def _canonical_span(text: str, match: re.Match[str]) -> tuple[str, int]:
    name = _CANONICAL[match.group("name").lower()]
    year = int(match.group("year"))
    if year < 100:
        year += 2000
    return text[:match.start()] + f"{name} {year}" + text[match.end():], year


_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.])")


@lru_cache(maxsize=4096)
def written_venue(text: str) -> tuple[str | None, int | None]:
    """A text that names a venue, as written (spaces made single), its known `NAME YEAR`
    written canonically (`Findings of EMNLP2023` -> `Findings of EMNLP 2023`, 2023); the year
    it names, if any. (None, None) for an empty text."""
    text = " ".join(text.split())
    if not text:
        return None, None
    match = _VENUE_YEAR.search(text)
    if match:
        return _canonical_span(text, match)
    year = _YEAR.search(text)
    return text, int(year.group(1)) if year else None


# What an arXiv comment says before the venue when the paper was accepted there.
_ACCEPTED = re.compile(
    r"\b(?:(?:has\s+been\s+|was\s+|is\s+)?accepted(?:\s+(?:as\s+an?\s+\w+(?:\s+(?:paper|presentation))?|for\s+"
    r"(?:publication|presentation)))?\s+(?:to|at|by|in|for)"
    r"|to\s+appear\s+(?:in|at)|appears?\s+(?:in|at)|published\s+(?:in|at|by)|camera[-\s]ready\s+(?:version\s+)?"
    r"(?:for|of)|in\s+proceedings\s+of|published\s+as\s+an?\s+(?:conference|journal|workshop)\s+paper\s+(?:at|in)"
    r"|presented\s+(?:at|in)|(?:oral|spotlight|poster)(?:\s+presentation)?\s+at|best\s+\w+(?:\s+award)?\s+at)\s+(?:the\s+)?",
    re.IGNORECASE)
# A venue's text ends at a sentence's end, a list, a parenthesis or a link.
_VENUE_END = re.compile(r"\.(?:\s|$)|[;,|(\[\]]|\s(?:as|where)\s|https?:", re.IGNORECASE)
# Words that make a comment's mention of a venue no publication there.
_NOT_PUBLISHED = re.compile(
    r"\b(?:under\s+review|review(?:ed|ing)?\s+(?:at|for|by)|submi(?:tted|ssion)|rejected|withdrawn|extended\s+"
    r"version|extension\s+of|version\s+of|preprint|draft|resubmi|in\s+preparation|baseline|code\s+for|"
    r"not\s+accepted)", re.IGNORECASE)
# A parenthesis after the venue that says how it was presented: not part of the venue.
_PRESENTED = re.compile(r"\s*\((?:[^()]*\b(?:oral|spotlight|highlight|poster|award|best|selected|"
                        r"camera[-\s]ready|main)\b[^()]*)\)", re.IGNORECASE)
_QUALIFIER_IN_PARENS = re.compile(r"\s*\((findings|workshops?|demo(?:nstrations?)?|industry(?: track)?)\)",
                                  re.IGNORECASE)


# Words around a venue in a comment that are not its name (`to appear in`, `the main conference of`,
# `the proceedings of`, a trailing `main`)
_AROUND_VENUE = re.compile(r"^(?:(?:to\s+)?appear\s+(?:in|at)\s+)?(?:the\s+)?(?:main\s+(?:conference|track)\s+of\s+)?"
                           r"(?:(?:the\s+)?proceedings\s+of\s+)?(?:the\s+)?|\s+main(?:\s+(?:conference|track))?$",
                           re.IGNORECASE)


def _venue_from(phrase: str) -> tuple[str | None, int | None]:
    phrase = _QUALIFIER_IN_PARENS.sub(r" \1", phrase)
    phrase = _AROUND_VENUE.sub("", phrase.strip())
    end = _VENUE_END.search(phrase)
    phrase = (phrase[:end.start()] if end else phrase).strip(" .:-")
    if not phrase or _NOT_PUBLISHED.search(phrase) or len(phrase) > 150:
        return None, None
    if not _VENUE_YEAR.search(phrase) and not _YEAR.search(phrase):
        return None, None  # a venue without a year is too loose a reading of a comment
    return written_venue(phrase)


@lru_cache(maxsize=4096)
def comment_venue(comment: str) -> tuple[str | None, int | None]:
    """The venue an arXiv comment says the paper is published in, and its year: after an
    acceptance (`Accepted to CVPR 2025`, `Accepted at the Findings of ACL 2024`, `To appear
    in ...`, `Published in ...`, `Camera-ready for ...`), or a comment that starts with a known
    venue and its year (`CVPR2024`, `CVPR 2025 (Oral)`, `ICLR 2024 camera ready`) and says
    nothing of a review or submission. (None, None) for any other comment."""
    comment = " ".join(comment.split())
    found = _comment_venue(comment)
    if found[0] is None and not _NOT_PUBLISHED.search(comment):
        # a known venue and its year anywhere in a comment that speaks of no review (`12 pages,
        # ECCV 2024`, `38th Conference on ... (NeurIPS 2024)`): as before acceptances were read
        return venue_and_year(comment)
    return found


def _comment_venue(comment: str) -> tuple[str | None, int | None]:
    accepted = _ACCEPTED.search(comment)
    if accepted:
        return _venue_from(comment[accepted.end():])
    start = _FINDINGS_OF.match(comment)
    match = _VENUE_YEAR.match(comment, start.end() if start else 0)
    if _NOT_PUBLISHED.search(comment):
        return None, None
    if not match:  # a comment that is a venue of one word and its year (`SIGIR 2024`) and nothing else
        return venue_and_year(comment) if _GENERIC_VENUE.fullmatch(comment) else (None, None)
    rest = _PRESENTED.sub("", comment[match.end():])
    rest = re.sub(r"^\s*(?:camera[-\s]ready(?:\s+version)?|main\s+(?:conference|track)|(?:oral|spotlight|highlight|"
                  r"poster)(?:\s+(?:paper|presentation))?)\b", "", rest,
                  flags=re.IGNORECASE)
    return _venue_from(comment[:match.end()].lstrip("[ ") + rest)


_FINDINGS_OF = re.compile(r"[\[\s]*(?:findings\s+of\s+(?:the\s+)?)?", re.IGNORECASE)


_PREPRINT_SERVERS = re.compile(r"\s*(?:arxiv(?:\.org)?(?:\s+(?:preprint|e-?prints?))?|corr|biorxiv|medrxiv|"
                               r"ssrn|openreview(?:\.net)?|preprint|techrxiv|chemrxiv)\s*(?:\d{4})?\s*",
                               re.IGNORECASE)
_JOURNAL = re.compile(
    r"\b(?:journal|transactions|letters|magazine|review|reviews|annals|bulletin|quarterly)\b"
    r"|^(?:nature|science|cell|pnas|plos|the\s+lancet|proceedings\s+of\s+the\s+national\s+academy)\b"
    r"|^(?:ieee|acm)\s+(?:ra-l|t-\w+)\b",
    re.IGNORECASE)
_PROCEEDINGS = re.compile(r"\b(?:conference|proceedings|symposium|workshops?|findings|meeting|congress|"
                          r"summit|forum)\b", re.IGNORECASE)


def venue_kind(name: str) -> str | None:
    """`article` for a journal (`Nature`, `Science Robotics`, `IEEE Robotics and Automation
    Letters`, `... Transactions on ...`, `Journal of ...`), `inproceedings` for anything else,
    None for a preprint server (`arXiv`, `arXiv preprint`, `CoRR`): no venue."""
    if _PREPRINT_SERVERS.fullmatch(name):
        return None
    if _JOURNAL.search(name) and not _PROCEEDINGS.search(name):
        return "article"
    return "inproceedings"
