"""Every diagnostic code, declared once: its default level and a one-line doc.

A Diagnostic always carries one of these codes; users set a code's level (info, warning,
error, or ignore) with the `diagnostics:` option, and an unknown code there is a
configuration error. docs/diagnostics.md is generated from this table
(`python -m mkdocs_readinglist.diagnostics > docs/diagnostics.md`); a test checks that the
committed page is current.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .model import Diagnostic, Severity

INFO, WARN, ERR = Severity.INFO, Severity.WARNING, Severity.ERROR


@dataclass(frozen=True, slots=True)
class Code:
    name: str
    level: Severity
    area: str
    doc: str


_TABLE: tuple[tuple[str, Severity, str, str], ...] = (
    # any source file
    ("unreadable-file", ERR, "files", "The file could not be read from disk (permissions, a broken link); it is skipped."),
    ("encoding", ERR, "files", "The file is not UTF-8 (Latin-1, CP1252, UTF-16 without its byte-order mark); the message names the first bad byte; skipped."),
    ("unicode-bom", INFO, "files", "The file is UTF-16 or UTF-32 with its byte-order mark: read as such (other tools expect UTF-8)."),
    ("binary", ERR, "files", "The file looks binary (NUL bytes, a PDF); skipped."),
    ("control-characters", WARN, "files", "Control characters were removed from the text."),
    ("no-papers", WARN, "files", "No paper was found in the file (or in one part of it)."),
    ("suffix-skipped", INFO, "files", "Files of a source folder left out by their suffix (a folder's listings are read from .txt, .md, .bib, .yml ... files); name one in `sources:` to read it."),
    ("strings-only", INFO, "files", "A .bib file holds only `@string` definitions (AMS's amsj.bib): no paper, and its definitions serve the other .bib sources."),
    ("unknown-format", ERR, "files", "The file's format was not recognised, or `format:` names no reader."),
    ("html-file", ERR, "files", "The file is a saved web page (HTML), not a listing's text; nothing is read. Copy the page's text from the browser into a .txt file (or save the page as text)."),
    ("format-change", WARN, "files", "Two listings of different formats are pasted into one file; each part is read by its own reader."),
    ("too-long", WARN, "files", "A field is over 20,000 characters; it is cut at a word (the source keeps the whole text; a .bib entry's field is exported whole, only its pages show it cut)."),
    ("unbalanced-braces", WARN, "text", "A `{` is never closed or a `}` closes nothing; exported brace-balanced."),
    ("undefined-macro", INFO, "text", "Scraped text uses a LaTeX macro that is not defined; it is shown as its name."),
    ("latex-unreadable", WARN, "text", "Text could not be read as LaTeX; it is kept as it is."),
    # listings
    ("count-mismatch", WARN, "listings", "A paper-notes page declares another number of papers than were read."),
    ("no-summary", WARN, "listings", "A paper of a paper-notes page has no summary."),
    ("notes-link-line", INFO, "listings", "Lines of a paper's links on a paper-notes page (`📄 Paper · 💻 Code`) are skipped: a copied page keeps their labels, not their addresses."),
    ("summary-joined", INFO, "listings", "A summary or abstract continues in a second paragraph; the two are joined."),
    ("no-title", WARN, "listings", "A paper has no title (the source gives none and none is invented); set it in the overrides file."),
    ("no-abstract", WARN, "listings", "A paper has no abstract; it is kept without one."),
    ("abstract-by-position", WARN, "listings", "Hugging Face search: a short line after a title that could be a title is read as its abstract, because a title follows it (title and abstract lines alternate); check it."),
    ("missing-meta", WARN, "listings", "A daily-papers entry has no `• N authors · date` block; kept without them."),
    ("bad-meta", WARN, "listings", "A daily-papers author/date block cannot be read, or has no paper before it."),
    ("page-pasted", WARN, "listings", "A second page of the same listing (its header: `Subscribe`, `Daily Papers`, `Get trending papers ...`) is pasted into the file: its page text is skipped, its papers are read."),
    ("page-elements", INFO, "listings", "Upvote counts (and a daily page's `Submitted by ...` lines) of a Hugging Face page are page text: skipped, never read as titles or abstracts (one message per file, at the first)."),
    ("yearless-date", WARN, "listings", "Dates without a year and no `year:` for the source: they stay year-less."),
    ("bad-arxiv-id", WARN, "listings", "A malformed arXiv id; the paper is kept without one."),
    ("no-arxiv-id", WARN, "listings", "An arXiv listing entry has no `arXiv:` line."),
    ("bad-date", WARN, "listings", "A `Created:`/`Updated:` date cannot be read, or the update is before the creation."),
    ("no-date", WARN, "listings", "An arXiv listing entry has no `Created:` date."),
    ("arxiv-line-trailer", INFO, "listings", "An `arXiv:` line carries text after the id, as arxiv.org prints it: a category (`[cs.CV]`) is exported as primaryClass, links (`[pdf, html, other]`) and notes (`(replaced)`) are not read."),
    ("skipped-orphan-paragraph", WARN, "listings", "A paragraph with no title before it is skipped."),
    # overrides
    ("overrides-syntax", ERR, "overrides", "The overrides file is not valid YAML or not a `papers:` mapping; nothing applied."),
    ("override-not-exported", WARN, "overrides", "An override of a fact (title, authors, year, venue, ...) of a paper from your .bib: its pages show it, its BibTeX, reference and citations keep the entry's own values."),
    ("overrides-unknown-key", WARN, "overrides", "An unknown top-level key or field in the overrides file; ignored."),
    ("skipped-bad-override", ERR, "overrides", "An override that is not a mapping of fields; ignored."),
    ("override-field", WARN, "overrides", "An override value that cannot be used (not a number, a malformed arXiv id); ignored."),
    ("override-unmatched", WARN, "overrides", "No paper matches an override's key, arXiv id or title."),
    ("unknown-topic", WARN, "overrides", "An override names a topic that is not in the taxonomy; ignored."),
    # .bib files
    ("skipped-unreadable-entry", ERR, "bib", "bibtexparser could not read an entry at all; it is skipped."),
    ("skipped-unparsable-entry", ERR, "bib", "An entry with a syntax error that cannot be recovered; it is skipped."),
    ("skipped-duplicate-key", WARN, "bib", "A second entry with the same key (or one differing only in case); the first is kept."),
    ("skipped-unclosed-entry", ERR, "bib", "An entry that is never closed and cannot be read back; the entries after it are read."),
    ("unclosed-entry", ERR, "bib", "An entry missing only its closing `}`; read as if it were there."),
    ("duplicate-field", WARN, "bib", "A field appears twice in one entry; the first is kept."),
    ("commented-entry", INFO, "bib", "An `@comment` holds an entry; it stays a comment and is not written."),
    ("fields-after-end", WARN, "bib", "An extra `}` closed an entry early; the fields after it are read as part of it."),
    ("missing-comma", ERR, "bib", "A comma is missing between two fields (bibtexparser merges them silently); read as two."),
    ("bad-key", ERR, "bib", "An empty citation key or one with a space or `,{}#%\"()=\\'`; the entry gets a new key."),
    ("missing-crossref", WARN, "bib", "A `crossref` names no entry of the file; nothing is inherited, and it is left out on export (bibtex stops on it)."),
    ("unknown-type", WARN, "bib", "An entry type neither BibTeX nor biblatex defines; kept as written."),
    ("bad-field", WARN, "bib", "A URL-like field (url, doi, eprint, ...) holds spaces, braces or backslashes; not used as a link."),
    ("doi-url", INFO, "bib", "A `doi` written as an address (`https://doi.org/10...`, `doi:10...`): biblatex links it as https://doi.org/ + the field; written as the DOI alone on export."),
    ("bad-year", WARN, "bib", "A `year` that is not a year (`n.d.`); kept as written, the paper gets no year."),
    ("bad-month", WARN, "bib", "A `month` that is not a month (`13`, `julember`); kept as written, the paper gets no month."),
    ("missing-field", WARN, "bib", "An entry lacks a field bibtex's standard styles require for its type (an `@article` without `journal`); written with its type as you wrote it."),
    ("month-text", WARN, "bib", "A `month` with more than a month in it (`{Dec 15,}`): bibtex prints it; biber warns and prints the month alone. Written as it is."),
    ("no-year", WARN, "bib", "An entry with neither `year` nor `date`."),
    ("bib-syntax", WARN, "bib", "A field value that breaks BibTeX's own syntax (a `\"` inside a quoted value); read, and repaired on export."),
    ("latex-special", WARN, "bib", "An unescaped `& % # _ ^` or a bare `$` that stops LaTeX; escaped on export."),
    ("url-special", WARN, "bib", "A raw `%` or `#` inside `\\url{...}` in a field: bibtex's styles print it, biblatex stops on it; written as it is."),
    ("html-entity", INFO, "bib", "An HTML entity or face tag in a value (Crossref's `Q&amp;A`, `<i>`, `<sub>`) is written as LaTeX (`Q\\&A`, `\\textit{}`, `\\textsubscript{}`)."),
    ("html-markup", WARN, "bib", "MathML or another HTML tag in a value (Crossref's titles) that LaTeX would print as text; left as written: write it as LaTeX."),
    ("journal-macro", INFO, "bib", "An AAS journal macro of NASA ADS (`\\apj`, `\\mnras`: aas_macros.sty's) is written out as the journal's abbreviation (ApJ, MNRAS)."),
    ("bib-undefined-macro", WARN, "bib", "A field uses a LaTeX macro that is not defined (`\\eg`); replaced by its text on export. In a year, volume or pages, and a `\\noopsort` no @preamble of the file defines: written as it is (pdflatex stops on it): define it in a @preamble."),
    ("repaired", WARN, "bib", "A field's text was changed on export so that LaTeX can read it; the message shows old and new."),
    ("non-ascii", INFO, "bib", "Non-ASCII letters of a field LaTeX reads are written as LaTeX accents (pdflatex; bibtex's alpha style cuts UTF-8 mid-byte)."),
    ("month-macro", INFO, "bib", "A month written as text (`{mar}`, `{March}`) is written as BibTeX's month macro `mar`, which biber reads."),
    ("apa-authors", WARN, "bib", "An author list separated by commas (APA style) instead of `and`; read as separate names."),
    ("bad-name", ERR, "bib", "An author name BibTeX cannot read (too many commas); fixed or left out as the message says."),
    # the corpus
    ("duplicate", INFO, "corpus", "Two records of one paper (same DOI or arXiv id, or same title, year and first author) merged."),
    ("undefined-string", WARN, "bib", "An entry uses a `@string` name that no .bib file of the sources defines: written as it is (bibtex warns and leaves the field empty)."),
    ("string-inlined", INFO, "bib", "A `@string` name means something else in this .bib than in an earlier one (BibTeX reads the sources as one database): the export writes the earlier definition once, and this file's values using the name in full."),
    ("shared-id", WARN, "corpus", "Two papers hold one arXiv id or DOI, given after the merge (by `readinglist resolve` or an override): one work entered twice, or a wrong match."),
    ("near-duplicate", INFO, "corpus", "Two papers kept apart whose titles differ only by small words or a version note, with nothing both state (arXiv id, DOI, year, first author, entry type, pages) telling them apart: perhaps one paper."),
    ("same-title", WARN, "corpus", "Two records share a title but not their identity (arXiv id, DOI, year, first author), or a record of that title fits two papers kept apart and nothing tells which; kept apart."),
    ("key-taken", WARN, "corpus", "A key someone chose, or the key lock gave a paper, is already another paper's own key; the message names the key the paper gets instead."),
    ("lock-unused", WARN, "keys", "A source folder holds a key lock or a resolved.yml that is not the one the build uses (another folder's, or `lock_file:` names another): its keys and facts are not read."),
    ("lock-duplicate-key", WARN, "keys", "A key is written twice in the key lock (two branches' locks merged with both sides kept): the first is kept, the paper of the other gets its own key again."),
    ("key-kept", INFO, "keys", "A paper whose title was edited keeps the key its earlier title had in the key lock (no new key with `a` after it)."),
    ("empty-glob", WARN, "corpus", "A source glob matches no file."),
    # citations and exports
    ("unknown-citation", WARN, "citations", "A `[@key]` in a page names no paper of the corpus."),
    ("cited-without-page", INFO, "citations", "With `cite_only`, a paper cited only in text made while a page is built (a docstring, a page or text another plugin or a hook writes) has no page of its own: its citations link to the page's references list."),
    ("not-a-citation", INFO, "citations", "A bare `@word` in a page names no paper (a handle, a decorator): it is the page's own text and stays as written; `[@word]` would be a citation."),
    ("cited-key-missing", WARN, "citations", "A key cited in a LaTeX .aux/.bcf (or given with --key) is not in the corpus."),
    ("cited-key-renamed", WARN, "citations", "A key cited in a LaTeX .aux/.bcf (or given with --key) is an earlier key of a paper, kept in the key lock (a key pinned since in the overrides file, or two papers merged); the export has the paper under its key now."),
    ("cited-key-case", WARN, "citations", "A cited key differs only in case from the corpus's key (biber matches case-sensitively)."),
    ("aux-part-missing", WARN, "citations", "An .aux given to `readinglist bib --aux` names an `\\include`d part's .aux that is not there: its citations are not known (bibtex stops on it)."),
    ("no-citations", WARN, "citations", "An .aux/.bcf given to `readinglist bib --aux` cites nothing."),
    ("reference-format", WARN, "citations", "Neither pybtex's `reference_style` nor the default CSL style "
     "can format a paper's reference (a field both require is missing); its pages show no reference."),
    ("uncitable-entry", WARN, "citations", "A `[@key]` names a biblatex @xdata entry (fields other entries take in), which biblatex does not cite; it is shown as not found."),
    ("refs-repeated", WARN, "citations", "A page writes `::: {#refs}` (or `<div id=\"refs\">`) more than once: the references list goes at the first (Pandoc repeats it in each, with the same ids); the later ones are left out."),
    ("citation-style", WARN, "citations", "citeproc-py could not format a page's citations in the chosen CSL style; the keys are shown instead."),
    ("citation-style-invalid", WARN, "citations", "A CSL style file of yours names a variable or date part CSL does not have, a macro it does not define or a `default-locale` citeproc-py has no terms for, or does not follow the CSL schema: what citeproc-py would pass over without a word."),
    # resolved.yml (written by `readinglist resolve`, read by every build)
    ("resolved-file", ERR, "resolved", "resolved.yml cannot be read; the build goes on without it."),
    ("resolved-entry", WARN, "resolved", "One entry of resolved.yml is malformed and is ignored."),
    ("resolved-orphan", INFO, "resolved", "An entry of resolved.yml names a paper no longer in the sources; kept, not applied."),
    ("resolved-retitled", INFO, "resolved", "A paper whose title you edited takes the facts `readinglist resolve` found for its earlier title (its id is its title)."),
    ("resolve-id", WARN, "resolved", "`readinglist resolve`: an arXiv id arXiv cannot have (an unknown archive), refuses, or leaves out of its answers twice; that paper is not asked about by id and nothing is recorded for it."),
    ("resolve-all-absent", WARN, "resolved", "`readinglist resolve`: every answer a service gave in the run was HTTP 404 \"no such paper\"; perhaps its base URL is wrong."),
    # `readinglist latex-check`: the .bib compiled with real LaTeX
    ("latex-encoding", ERR, "latex check", "The .bib is not UTF-8; nothing else is checked."),
    ("latex-unreadable-entry", ERR, "latex check", "bibtexparser cannot read an entry (duplicate key, broken syntax)."),
    ("latex-unescaped", WARN, "latex check", "An unescaped `% & # _ ^` outside math, at its exact line."),
    ("latex-verbatim-escape", WARN, "latex check", "`\\%`, `\\_` etc. in a URL-like field, which biber keeps (a broken link)."),
    ("latex-tool-failed", ERR, "latex check", "pdflatex, bibtex, biber or pdftotext exited non-zero or timed out."),
    ("latex-no-pdf", ERR, "latex check", "pdflatex wrote no PDF."),
    ("latex-entry-dropped", ERR, "latex check", "An entry is missing from the typeset bibliography."),
    ("latex-title-lost", ERR, "latex check", "An entry's title is not in the PDF's text (cut, mangled or lost)."),
    ("latex-bibtex-warning", WARN, "latex check", "A `Warning--` in bibtex's log."),
    ("latex-bibtex-error", ERR, "latex check", "An error in bibtex's log."),
    ("latex-biber-warning", WARN, "latex check", "A `WARN` in biber's log."),
    ("latex-biber-error", ERR, "latex check", "An `ERROR` in biber's log."),
    ("latex-tex-error", ERR, "latex check", "A TeX error in the final log, traced to its entry."),
    ("latex-tex-warning", WARN, "latex check", "A LaTeX, package or class warning (an undefined citation, a rerun note)."),
    ("latex-missing-character", WARN, "latex check", "A character missing from the font."),
)

CODES: dict[str, Code] = {name: Code(name, level, area, doc) for name, level, area, doc in _TABLE}
if len(CODES) != len(_TABLE):  # pragma: no cover - a code declared twice is a bug in this table
    raise RuntimeError("a diagnostic code is declared twice")


def default_level(code: str) -> Severity:
    return CODES[code].level


def with_levels(diagnostics: Iterable[Diagnostic], levels: Mapping[str, Severity | None]) -> list[Diagnostic]:
    """The diagnostics at the levels a user set with `diagnostics:` (None: left out)."""
    leveled = []
    for diagnostic in diagnostics:
        if diagnostic.code in levels:
            level = levels[diagnostic.code]
            if level is None:
                continue
            diagnostic = replace(diagnostic, severity=level)
        leveled.append(diagnostic)
    return leveled


def unknown_code_message(code: str) -> str:
    """`diagnostics: {misssing-meta: info}`: the unknown code named, with a did-you-mean."""
    close = difflib.get_close_matches(code, CODES, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"`diagnostics`: unknown diagnostic code {code!r}{hint}; the codes are listed in the documentation's "
            "diagnostics page (`python -m mkdocs_readinglist.diagnostics`)")


def markdown() -> str:
    """docs/diagnostics.md: every code with its default level and doc, by area."""
    lines = [
        "# Diagnostics",
        "",
        "Every message names the file and line it is about, its level and its code:",
        "",
        "```",
        "bib/refs.bib:12: warning[latex-special]: title: unescaped LaTeX special character ('&') would stop "
        "LaTeX; escaped on export",
        "```",
        "",
        "Set the level of any code with the plugin's `diagnostics:` option (the CLI reads it with "
        "`--config mkdocs.yml`): `info`, `warning`, `error`, or `ignore` to drop it. The site is always "
        "built with everything that could be read: each problem is reported at its FILE:LINE (an `ERROR` "
        "or `WARNING` line of MkDocs); `mkdocs build --strict` (or the plugin's `strict: true`) fails on "
        "warnings and errors alike, which is how a code set to `error` fails a CI build. The CLI exits "
        "with 1 on an error, and on a warning with `--strict`. An unknown code is a configuration error "
        "that names it.",
        "",
        "```yaml",
        "plugins:",
        "  - readinglist:",
        "      diagnostics:",
        "        missing-meta: info        # reviewed: shown only with `check -v`",
        "        latex-special: error      # my .bib must be LaTeX-clean (with --strict)",
        "```",
        "",
        "This page is generated from `mkdocs_readinglist/diagnostics.py` "
        "(`python -m mkdocs_readinglist.diagnostics > docs/diagnostics.md`); a test checks it is current.",
    ]
    areas = list(dict.fromkeys(code.area for code in CODES.values()))
    titles = {"files": "Any source file", "text": "LaTeX in text", "listings": "Listings",
              "overrides": "Overrides file", "bib": ".bib files", "corpus": "The corpus",
              "citations": "Citations and exports"}
    for area in areas:
        lines += ["", f"## {titles.get(area, area)}", "", "| code | default | what it means |", "|---|---|---|"]
        for code in CODES.values():
            if code.area == area:
                doc = code.doc.replace("|", "\\|")
                lines.append(f"| `{code.name}` | {code.level.value} | {doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
