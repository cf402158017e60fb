"""Pandoc citations in Markdown pages, as a Python-Markdown extension (`mkdocs_readinglist.citations`)."""

from .extension import CitationExtension, key_index, lookup_key, makeExtension

__all__ = ["CitationExtension", "key_index", "lookup_key", "makeExtension"]
