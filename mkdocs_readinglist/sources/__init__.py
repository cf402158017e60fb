"""Reading sources: find the files, detect each one's format from its content, read it.

Sources never import renderers: they turn bytes into Records and Diagnostics, no more.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from ..model import Diagnostic, Severity, SourceRef, SourceResult
from . import arxiv_listing, bibfile, hf_daily, hf_search, notes_page, overrides
from .base import SITE_FOOTER, ReaderOutput, SourceOptions, blocks_of, looks_like_html, parse_month_day
from .encoding import decode_bytes
from .mixed import Segment, segments

READERS: dict[str, ModuleType] = {
    module.FORMAT: module for module in (bibfile, overrides, arxiv_listing, hf_daily, notes_page, hf_search)
}
LISTING_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".bib", ".bibtex", ".yml", ".yaml"}
LOCK_FILE_NAME = "readinglist.lock"


_PAGE_TEXT = notes_page.BOILERPLATE | hf_search.UI_LINES | hf_daily.UI_LINES | SITE_FOOTER | {
    "sign in", "log in", "sign up", "menu", "home", "share", "copy link", "cite", "pdf", "upvote", "github",
    "load more", "show more", "view all", "loading...", "loading", "page 1", "more",
}
_LEADING_SYMBOLS = re.compile(r"^[\W_]+")


def _is_page_text(line: str) -> bool:
    """A blank line, a menu or button label of a scraped page, or a bare date (`May 13`)."""
    text = _LEADING_SYMBOLS.sub("", line.strip()).strip().lower()
    return not text or text in _PAGE_TEXT or parse_month_day(text) is not None


def known_formats() -> str:
    return "; ".join(f"{name} ({module.DESCRIPTION})" for name, module in READERS.items())


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every listing, .bib and overrides file under the given files and folders, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in LISTING_SUFFIXES and p.name != LOCK_FILE_NAME
                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def left_out_by_suffix(folder: Path) -> list[Path]:
    """The files of a folder that `discover` leaves out by their suffix (not its hidden files and
    folders): named to the user, who may name one in `sources:` to have it read."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() not in LISTING_SUFFIXES and p.name != LOCK_FILE_NAME
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def detect_format(lines: list[str]) -> tuple[str | None, float]:
    """The reader whose signature fits the content best; never the file name."""
    best, best_score = None, 0.0
    for name, module in READERS.items():
        value = module.score(lines)
        if value > best_score:
            best, best_score = name, value
    return best, best_score


def read_text(text: str, file: str, options: SourceOptions | None = None, content_hash: str = "") -> SourceResult:
    """Read one listing already decoded to text."""
    options = options or SourceOptions()
    lines = text.split("\n")
    out = ReaderOutput(file)
    if not text or text.isspace():  # (text.strip() would copy a whole file that ends in a newline)
        out.warn(1, "no papers found: the file is empty", "no-papers")
        return _result(out, None, content_hash)
    if options.format:
        if options.format not in READERS:
            out.error(1, f"unknown format {options.format!r}; known formats: {known_formats()}", "unknown-format")
            return _result(out, None, content_hash)
        fmt: str | None = options.format
    elif looks_like_html(lines):
        out.error(1, "this file is a saved web page (HTML), not a listing's text: nothing read. Open the page in "
                  "a browser, select its text and paste it into a .txt file (or save the page as text)", "html-file")
        return _result(out, None, content_hash)
    else:
        fmt, _ = detect_format(lines)
        parts = None
        if fmt != overrides.FORMAT:
            blocks = blocks_of(lines)
            out.known_blocks = (lines, blocks)  # (the reader's paragraphs too)
            parts = segments(lines, blocks)
        if parts:
            return _result(_read_segments(lines, parts, out, options), "+".join(
                dict.fromkeys(part.format for part in parts)), content_hash)
    if fmt is None:
        if all(_is_page_text(line) for line in lines):
            out.warn(1, "no papers found: the file holds only page text (menus, buttons, dates)", "no-papers")
        else:
            out.error(1, "format not recognised; known formats: " + known_formats()
                      + ". Set `format:` for this source to force one", "unknown-format")
        return _result(out, None, content_hash)
    READERS[fmt].read(lines, out, options)
    if out.strings and not out.records:  # AMS's amsj.bib: definitions for the other .bib files
        out.info(1, f"no papers: {len(out.strings)} @string definitions, which the other .bib sources may use",
                 "strings-only")
    elif not out.records and not out.overrides and not any(
            d.severity is Severity.ERROR for d in out.diagnostics):
        out.warn(1, f"no papers found (read as {fmt})", "no-papers")
    return _result(out, fmt, content_hash)


def _read_segments(lines: list[str], parts: list[Segment], out: ReaderOutput, options: SourceOptions) -> ReaderOutput:
    """Each part of a file holding two pasted listings read by its own reader, lines kept."""
    for index, part in enumerate(parts):
        piece = ReaderOutput(out.file)
        READERS[part.format].read(lines[part.start - 1 : part.end], piece, options)
        shift = part.start - 1
        if index:
            out.warn(part.start, f"the format changes here from {parts[index - 1].format} to {part.format} "
                     f"(two listings pasted into one file?); lines {part.start}-{part.end} are read as "
                     f"{part.format}", "format-change")
        out.records.extend(replace(r, source=SourceRef(r.source.file, r.source.line + shift)) for r in piece.records)
        out.diagnostics.extend(replace(d, line=d.line + shift) if d.line else d for d in piece.diagnostics)
        out.overrides.extend(piece.overrides)
        out.detected += piece.detected
        if out.listing is None or (piece.listing is not None and piece.listing.format == notes_page.FORMAT):
            out.listing = piece.listing or out.listing
        if not piece.records and not any(d.severity is Severity.ERROR for d in piece.diagnostics):
            out.warn(part.start, f"no papers found in lines {part.start}-{part.end} (read as {part.format})",
                     "no-papers")
    return out


def _result(out: ReaderOutput, fmt: str | None, content_hash: str) -> SourceResult:
    return SourceResult(
        file=out.file, format=fmt, records=tuple(out.records),
        diagnostics=tuple(sorted(out.diagnostics, key=lambda d: d.line)), listing=out.listing,
        detected=out.detected, content_hash=content_hash, overrides=tuple(out.overrides), strings=tuple(out.strings),
        wanted_strings=tuple(out.wanted_strings.items()), wanted_parents=tuple(out.wanted_parents.items()))


def read_source(path: Path, options: SourceOptions | None = None, display: str | None = None) -> SourceResult:
    """Read one file from disk; unreadable files come back as a diagnostic, never an exception."""
    file = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SourceResult(file, None, (), (Diagnostic(file, 0, Severity.ERROR, f"cannot read: {exc.strerror}", "unreadable-file"),))
    return read_bytes(data, file, options, hashlib.blake2b(data, digest_size=16).hexdigest())


def read_bytes(data: bytes, file: str, options: SourceOptions | None, digest: str) -> SourceResult:
    """Read one file's bytes, already read and hashed by the caller (the source store hashes
    them to look the file up: once, not twice)."""
    decoded = decode_bytes(data, file)
    if decoded.text is None:
        assert decoded.diagnostic is not None
        return SourceResult(file, None, (), (decoded.diagnostic,), content_hash=digest)
    result = read_text(decoded.text, file, options, digest)
    if decoded.diagnostic is not None:
        result = replace(result, diagnostics=(decoded.diagnostic, *result.diagnostics))
    if not gc.isenabled():
        # pylatexenc returns the exception that ends a text (with its traceback: a cycle through
        # the frames that decoded it, our readers' included, and their locals). Paused by the
        # pipeline, the cycle collector would keep every file's such garbage until the build
        # ends (at 10k papers: 15 KB per paper at the pipeline's peak, 6.6 with this); one
        # collection of the young objects per file frees it, each object looked at once.
        gc.collect(0)
    return result
