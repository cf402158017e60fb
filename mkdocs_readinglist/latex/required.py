"""The fields bibtex's standard styles (plain.bst, alpha.bst) require per entry type: data.

Without one, bibtex warns ("empty journal in smith2020") and prints the entry without it;
biber says nothing. The export of a listing's paper writes such a paper as `@misc`, which
requires none; a `.bib` entry keeps the type its author wrote, and the reader warns at its line.
"""

from __future__ import annotations

# type -> the fields it requires; a tuple is "one of" (`author` or `editor`)
REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal",), ("year",)),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year",)),
    "booklet": (("title",),),
    "inbook": (("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year",)),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year",)),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year",)),
    "conference": (("author",), ("title",), ("booktitle",), ("year",)),
    "manual": (("title",),),
    "mastersthesis": (("author",), ("title",), ("school",), ("year",)),
    "phdthesis": (("author",), ("title",), ("school",), ("year",)),
    "proceedings": (("title",), ("year",)),
    "techreport": (("author",), ("title",), ("institution",), ("year",)),
    "unpublished": (("author",), ("title",), ("note",)),
}
