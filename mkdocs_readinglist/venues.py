"""Venue names as listings write them (`ICLR2026`, `CVPR 2024`, `NeurIPS'25`) made canonical."""

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


@lru_cache(maxsize=4096)
def venue_and_year(text: str) -> tuple[str | None, int | None]:
    """(`ICLR 2026`, 2026) from `ICLR2026`; (None, None) when no known venue is named."""
    match = _VENUE_YEAR.search(text)
    if not match:
        generic = re.fullmatch(r"\s*([A-Za-z][A-Za-z&\-]*?)\s*'?((?:19|20)\d{2})\s*", text)
        if generic:
            return f"{generic.group(1)} {generic.group(2)}", int(generic.group(2))
        return None, None
    name = _CANONICAL[match.group("name").lower()]
    year = int(match.group("year"))
    if year < 100:
        year += 2000
    return f"{name} {year}", year
