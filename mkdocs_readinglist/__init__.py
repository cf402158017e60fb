"""mkdocs-readinglist: paper listings in, clean BibTeX and a browsable reading list out."""

__version__ = "0.1.0"
