"""The plugin's options as MkDocs sees them (`plugins: [readinglist: {...}]`)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class ReadingListConfig(base.Config):
    sources = c.Type(list, default=["bib"])
    """Files, folders or globs of listings and .bib files, relative to mkdocs.yml. An item can
    also be a mapping `{path: ..., year: 2026, format: hf-daily}`: `year` dates year-less
    dates of that source, `format` forces a reader when detection from content is not wanted."""

    folder = c.Type(str, default="reading-list")
    """Where in the site the generated pages go."""

    taxonomy = c.Optional(c.Type(str))
    """A YAML taxonomy file (topics with keyword rules) that extends the built-in one."""

    topics = c.Optional(c.Type(list))
    """Topics written inline: a list of `{name: ..., keywords: [...]}` extending the built-in taxonomy."""

    replace_taxonomy = c.Type(bool, default=False)
    """Use only your own topics (`taxonomy`/`topics`), not the built-in ones."""

    paper_pages = c.Type(bool, default=True)
    """A page per paper. Off: papers are listed in full on their topic pages (for very large corpora)."""

    papers_in_nav = c.Type(bool, default=False)
    """List every paper page in the navigation. Off by default: Material renders the whole nav
    into every page, so a nav of thousands of papers makes the build quadratic."""

    topic_page_size = c.Type(int, default=0)
    """Papers per topic page; 0 keeps each topic on one page."""

    bib_file = c.Type(str, default="references.bib")
    """The corpus's BibTeX file, served at this path of the site."""

    lock_file = c.Optional(c.Type(str))
    """The citation-key lock (default: `readinglist.lock` in the first source folder). Commit it."""

    diagnostics = c.Type(dict, default={})
    """Levels for kinds of data diagnostics you have reviewed, e.g. `{missing-meta: info}`
    (info, warning, error or ignore), like MkDocs' own `validation:` option."""

    title = c.Type(str, default="Reading list")
    """Title of the reading-list home page and its navigation section."""

    reference_style = c.Choice(("plain", "unsrt", "alpha", "unsrtalpha"), default="plain")
    """pybtex style of the formatted references on paper pages and citation tooltips."""

    omit_fields = c.Optional(c.Type(list))
    """Fields left out of the site's public .bib files and BibTeX blocks, like Better BibTeX's
    `skipFields` (a trailing `*` matches a prefix). Default: the fields that hold paths on your
    disk (`file`, `pdf`, `localfile`, `local-url`, `bdsk-file-*`, `attachments`); `[]` keeps all."""

    strict = c.Type(bool, default=False)
    """Fail the build on data warnings, even without `mkdocs build --strict`."""
