"""Repairs of a `.bib` file, each recorded (line, code, message) for the reader to report at FILE:LINE.

bibtexparser v2 splits a file into blocks and lets a few mistakes through silently (a missing
comma glues two fields, an extra `}` leaves fields behind) or gives up on a block (a `}` missing).
What can be repaired is repaired here, in two layers, in the order they run:

1. **Text repairs**, before bibtexparser sees the text, only for what its splitter cannot
   recover from: `placeholder_keys` gives an entry whose key is missing or invalid a
   placeholder key (bibtexparser would drop the entry), keeping every line where it was.
2. **Block repairs**, bibtexparser middlewares run after its splitter (`repair_stack`), in
   this order: `DuplicateFields` (the first of a field written twice is kept),
   `UnclosedEntries` (an entry missing only its own `}` is read as if it were there; other
   failed blocks are reported), `BadKeys` (entries with an invalid key are marked to get a
   new key), `FieldsAfterEnd` (fields after an extra `}` are read back into their entry),
   `DuplicateKeys` (a key used twice, or twice up to case: the first entry is kept),
   `MergedFields` (fields glued by a missing comma are split), `QuotesInQuotes` (a `"` inside
   a quoted value is marked to be written in braces), `CommentedEntries` (an `@comment`
   holding an entry is named).

Each middleware appends what it did to a shared list of `Repair`s; nothing here reports or
prints. `parse` runs both layers (and, should bibtexparser itself fail on the whole text, the
same on each entry on its own). Lines: blocks and fields keep bibtexparser's 0-based lines;
a block read from a part of the file carries that part's first line in its metadata
(`LINE_OFFSET`); `block_line` and `field_line` give 1-based lines of the file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import bibtexparser
from bibtexparser import Library
from bibtexparser import model as bib
from bibtexparser.middlewares.middleware import BlockMiddleware, LibraryMiddleware, Middleware

from ..text import braces_balanced
from .bib_values import ENTRY_START, TYPESET_FIELDS, lines_first_at, quote_inside_quotes, resolve, string_table

Level = Literal["info", "warning", "error"]

LINE_OFFSET = "readinglist.line_offset"  # parser metadata: the 0-based line of the file where the parsed text began
BAD_KEY = "readinglist.bad_key"  # parser metadata: the invalid key as written ("" for none); a new key is given
REBRACE = "readinglist.rebrace"  # parser metadata: lower-case names of fields to write in braces


@dataclass(frozen=True, slots=True)
class Repair:
    """What a repair did (or could not do), at a 1-based line of the file."""

    line: int
    code: str
    message: str
    level: Level = "warning"
    skipped: bool = False  # a block the parser saw that the reader leaves out (an entry skipped)


def block_line(block: bib.Block) -> int:
    """The 1-based line of the file where a block starts."""
    return (block.start_line or 0) + 1 + int(block.parser_metadata.get(LINE_OFFSET, 0))


def field_line(entry: bib.Block, fld: bib.Field) -> int:
    """The 1-based line of the file where a field of the entry starts."""
    return (fld.start_line or 0) + 1 + int(entry.parser_metadata.get(LINE_OFFSET, 0))


def entry_label(entry: bib.Entry) -> str:
    """How messages name an entry: its key as written, or where it is."""
    shown = entry.parser_metadata.get(BAD_KEY, entry.key)
    return str(shown) or f"at line {block_line(entry)}"


def _with_fields(entry: bib.Entry, fields: list[bib.Field], key: str | None = None) -> bib.Entry:
    """A copy of the entry with other fields (and its metadata)."""
    copy = bib.Entry(entry.entry_type, entry.key if key is None else key, fields, start_line=entry.start_line,
                     raw=entry.raw)
    copy.parser_metadata.update(entry.parser_metadata)
    return copy


# --- 1. Text repairs: before bibtexparser sees the text -------------------------------------

_ENTRY_HEAD = re.compile(r"^(?P<head>[ \t]*@[ \t]*(?P<type>[A-Za-z]+)[ \t]*[{(][ \t]*)(?P<key>[^,\n]*)",
                         re.MULTILINE)
_FIELD_START = re.compile(r"^\s*[A-Za-z][\w\-]*\s*=")
_NEXT_FIELD = re.compile(r"\s*[A-Za-z][\w\-]*\s*=")  # (matched at a position: no `^`)
NOT_ENTRIES = {"string", "preamble", "comment"}
PLACEHOLDER = "readinglist-invalid-key-line-"
INVALID_KEY = re.compile(r"[\s,{}#%\"()=\\']")


def placeholder_keys(text: str) -> tuple[str, dict[str, str]]:
    """Entries whose key is missing, empty or holds `,{}#%"()=\\` or a space get a placeholder key,
    so that bibtexparser reads the entry instead of dropping it; line numbers stay the same.
    Returns the text and {placeholder: the key as written ("" for none)}."""
    bad: dict[str, str] = {}
    if "@" not in text:
        return text, bad

    def fix(match: re.Match[str]) -> str:
        if match.group("type").lower() in NOT_ENTRIES:
            return match.group(0)
        key = match.group("key")
        line_end = text.find("\n", match.end())
        rest_of_line = text[match.end(): line_end if line_end >= 0 else len(text)]
        placeholder = f"{PLACEHOLDER}{match.start()}"
        if _FIELD_START.match(key):  # `@article{title = {...},`: no key at all
            bad[placeholder] = ""
            return f"{match.group('head')}{placeholder}, {key}"
        stripped = key.strip()
        if not stripped and not rest_of_line.strip() and _NEXT_FIELD.match(text, match.end()):
            # `@incollection{` and the fields on the lines after it (SpringerLink, EndNote): no key at all
            bad[placeholder] = ""
            return f"{match.group('head')}{placeholder},{key}"
        if not stripped and rest_of_line.startswith(","):
            bad[placeholder] = ""
            return f"{match.group('head')}{placeholder}"
        if stripped and rest_of_line.startswith(",") and INVALID_KEY.search(stripped):
            bad[placeholder] = stripped
            return f"{match.group('head')}{placeholder}"
        return match.group(0)

    # `_ENTRY_HEAD.sub(fix, text)`, with only the heads whose key may need a placeholder given to `fix`
    pieces: list[str] = []
    last = 0
    for match in _entry_heads(text):
        key = match.group("key")
        if key and not INVALID_KEY.search(key):  # `fix` keeps it (its cases all need such a character)
            continue
        fixed = fix(match)
        if fixed != match.group(0):
            pieces += [text[last:match.start()], fixed]
            last = match.end()
    if not pieces:
        return text, bad
    pieces.append(text[last:])
    return "".join(pieces), bad


# BibTeX reads the whole word after `@` before it compares it with `comment`, `preamble` and
# `string` (bibtex.web): `@commentary{` or jurabib's `@COMMENTED{` opens an entry of that type.
# bibtexparser v2 takes any word that starts with one of them for that command, and such an
# entry would become a comment, lost to BibTeX on export.
_COMMAND_PREFIXED = re.compile(r"@[ \t]*(?:comment|preamble|string)[A-Za-z]", re.IGNORECASE)
_COMMANDS = ("comment", "preamble", "string")
TYPE_PLACEHOLDER = "readinglistType"  # a prefix bibtexparser reads as part of an entry type


def _type_placeholder(written: str) -> str:
    """A type bibtexparser reads (`\\w` only) that `type_as_written` turns back into `written`:
    each character but a letter or digit is written `_<hex>_`."""
    return TYPE_PLACEHOLDER + _NOT_LETTER_OR_DIGIT.sub(lambda m: f"_{ord(m.group()):x}_", written)


_NOT_LETTER_OR_DIGIT = re.compile(r"[^A-Za-z0-9]")
_ENCODED = re.compile(r"_([0-9a-f]+)_")


def command_prefixed_types(text: str) -> str:
    """Entry heads whose type starts with a command's name (`@commentary{`) get a type
    placeholder, so that bibtexparser reads an entry; `type_as_written` gives the type back.
    Lines stay where they are."""
    if not _COMMAND_PREFIXED.search(text):
        return text
    pieces: list[str] = []
    last = 0
    for match in _entry_heads(text):
        kind = match.group("type").lower()
        if kind.startswith(_COMMANDS) and kind not in NOT_ENTRIES:
            pieces += [text[last:match.start("type")], _type_placeholder(match.group("type"))]
            last = match.end("type")
    return "".join(pieces) + text[last:] if pieces else text


_COMMENT_HEAD = re.compile(r"@\s*comment\s*\{", re.IGNORECASE)
_AT_LINE_START = re.compile(r"(\n[ \t]*)@")
_BRACE = re.compile(r"[{}]")
_MASKED_ENTRY = re.compile(r"^\s*%@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)  # (as masked below)


def comments_over_lines_masked(text: str) -> str:
    """An `@comment{...}` over several lines whose lines start with `@` (an entry commented out)
    with those `@` written `%@`: bibtexparser took such an `@` for a new block, failed the
    comment as unclosed and read the entry in it. Biber skips the whole braced comment; the
    comment is not written. Lines stay where they are."""
    if "@" not in text or not _COMMENT_HEAD.search(text):
        return text
    pieces: list[str] = []
    last = 0
    for head in _COMMENT_HEAD.finditer(text):
        if head.start() < last:
            continue  # (a comment inside the comment just masked)
        depth, end = 1, -1
        for brace in _BRACE.finditer(text, head.end()):
            depth += 1 if brace.group(0) == "{" else -1
            if depth == 0:
                end = brace.start()
                break
        if end < 0:
            continue  # never closed: the parser reports it
        body = text[head.end():end]
        masked = _AT_LINE_START.sub(r"\1%@", body) if "\n" in body else body
        if masked != body:
            pieces += [text[last:head.end()], masked]
            last = end
    return "".join(pieces) + text[last:] if pieces else text


def type_as_written(entry_type: str) -> str:
    """An entry type as the file wrote it, from a type placeholder (in any case: bibtexparser
    lower-cases types); any other type as it is."""
    if entry_type[:len(TYPE_PLACEHOLDER)].lower() != TYPE_PLACEHOLDER.lower():
        return entry_type
    return _ENCODED.sub(lambda m: chr(int(m.group(1), 16)), entry_type[len(TYPE_PLACEHOLDER):])


# BibTeX reads an entry wherever an `@` stands outside an entry, with white space, line ends
# included, before and after its type, a type of any characters but white space and
# `"#%'(),={}` (its own btxdoc.bib: `@FAKE-ENTRY` with its `{` on the next line, and
# `... may use.@` with `MaNuAl  (scribe,` two lines below). bibtexparser reads `@type{` and
# `@type (` only and takes the rest for a comment: the entry was lost without a word.
_LOOSE_HEAD = re.compile(r"@(\s*)([^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*)(\s*)([{(])")


def loose_heads_rewritten(text: str, blocks: Sequence[bib.Block]) -> str:
    """The text with each entry head BibTeX reads in what bibtexparser took for a comment
    (`blocks`: its blocks of `text`) written `@<type placeholder>{`, the white space moved
    after the `{` (lines stay where they are); the text itself when there is none."""
    starts = [0]  # the offset of each line
    pieces: list[str] = []
    last = 0
    for block in blocks:
        raw = block.raw or ""
        if not isinstance(block, bib.ImplicitComment) or "@" not in raw or not _LOOSE_HEAD.search(raw):
            continue
        if len(starts) == 1:
            starts += [match.end() for match in re.finditer("\n", text)]
        line = block.start_line or 0
        begin = text.find(raw, starts[min(line, len(starts) - 1)])
        if begin < 0:
            continue
        for head in _LOOSE_HEAD.finditer(text, begin, begin + len(raw)):
            if head.group(2).lower() in NOT_ENTRIES:
                continue
            pieces += [text[last:head.start()], "@", _type_placeholder(head.group(2)), head.group(4),
                       head.group(1), head.group(3)]
            last = head.end()
    return "".join(pieces) + text[last:] if pieces else text


def _entry_heads(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_ENTRY_HEAD` in `text`, in order, found from each line's first `@`
    instead of the pattern tried at every position. A match starts where a line does and ends
    on that line, so a line has one at most, and only if its first `@` has nothing but spaces
    and tabs before it."""
    for line_start, at in lines_first_at(text):
        if not text[line_start:at].strip(" \t") and (match := _ENTRY_HEAD.match(text, line_start)):
            yield match


# --- 2. Block repairs: bibtexparser middlewares ------------------------------------------------


class _Recording(BlockMiddleware):
    """A block middleware that records its repairs in a shared list."""

    def __init__(self, repairs: list[Repair]) -> None:
        super().__init__(allow_parallel_execution=False, allow_inplace_modification=True)
        self.repairs = repairs

    def record(self, line: int, code: str, message: str, level: Level = "warning", skipped: bool = False) -> None:
        self.repairs.append(Repair(line, code, message, level, skipped))

    def transform(self, library: Library) -> Library:
        """`BlockMiddleware.transform`, except that when every block comes back as the very block
        it was, under the same key (nearly every block of nearly every file), the library itself
        is given back: bibtexparser's builds a new Library of the same blocks, indexing each again
        (seven times per file, one per repair). tests/test_bib_work.py compares both."""
        blocks = library.blocks
        keys = [getattr(block, "key", None) for block in blocks]
        results = [self.transform_block(block, library) for block in blocks]
        if all(result is block for result, block in zip(results, blocks, strict=True)) and \
                keys == [getattr(block, "key", None) for block in blocks]:
            return library
        return _library_of(results)


def _library_of(results: list[bib.Block | Collection[bib.Block] | None]) -> Library:
    """The library `BlockMiddleware.transform` makes of its blocks' transformations (a block,
    none, or several each), as bibtexparser makes it."""
    blocks: list[bib.Block] = []
    for transformed in results:
        if transformed is None:
            continue
        if isinstance(transformed, bib.Block):
            blocks.append(transformed)
        else:
            if not all(isinstance(item, bib.Block) for item in transformed):
                raise TypeError("Non-Block type found in transformed collection")
            blocks.extend(transformed)
    return Library(blocks=blocks, fail_on_duplicate_key=False)


class LineOffset(BlockMiddleware):
    """Blocks parsed from a part of the file: where that part began (see `block_line`)."""

    def __init__(self, offset: int) -> None:
        super().__init__(allow_parallel_execution=True, allow_inplace_modification=True)
        self.offset = offset

    def transform_block(self, block: bib.Block, library: Library) -> bib.Block:
        block.parser_metadata[LINE_OFFSET] = self.offset
        return block


# bibtexparser's splitter takes a delimiter right after a backslash for an escaped one, whatever
# comes before that backslash, and it does not count a line that ends in one. BibTeX gives the
# backslash no meaning: `{C:\\}` or `"... / 120 \\",` closes its value there, but bibtexparser
# reads on (the entry is lost, or swallows the fields after it), and each line ending in `\\`
# (Beebe's tables of contents) put every later line number off (by 901 lines at the end of TeX
# Live's texbook2.bib). So each `\\`, and a `\` at the end of a line, is shown to it as
# characters of the same length it gives no meaning, and put back in all it returns.
_PAIR, _AT_LINE_END = "\ue000\ue000", "\ue001"


_BACKSLASH_BEFORE = re.compile(r"\\[\\\n]")  # one search: replacing what is not there costs 3x


def _shielded(text: str) -> str:
    if not _BACKSLASH_BEFORE.search(text) or _PAIR[0] in text or _AT_LINE_END in text:  # (never in a real file)
        return text
    return text.replace("\\\\", _PAIR).replace("\\\n", _AT_LINE_END + "\n")


def _unshielded(text: str) -> str:
    if _PAIR[0] in text or _AT_LINE_END in text:
        text = text.replace(_PAIR, "\\\\").replace(_AT_LINE_END, "\\")
    return text.replace(_QUOTE_IN_BRACES, '"') if _QUOTE_IN_BRACES in text else text


# Inside braces a `"` delimits nothing for BibTeX (`remark = "{... "optionalen" Kapitel aus "the Art
# of Computer Programming, Band 3" ...}"`, German `note = "x {"a} z"`), but bibtexparser ends a
# quoted value at such a `"` (the rest of the entry lost without a word: texbook1.bib's
# Tschichold:NT91) or gives up on the entry when a comma comes between two of them. So each `"`
# inside braces inside an entry whose braces balance is hidden from it; nothing of the text changes.
_QUOTE_IN_BRACES = "\ue002"
_BRACE_OR_QUOTE = re.compile(r'[{}"]')


def quotes_in_braces_hidden(text: str) -> str:
    """The text with each `"` inside braces inside an entry (the entry's own `{` not counted)
    shown to bibtexparser as a character of the same length it gives no meaning; the text
    itself when there is none. Braces are counted from each entry's head; an entry whose
    braces do not balance (a `{` or `}` missing: the block repairs' business) keeps its `"`."""
    if _QUOTE_IN_BRACES in text or '"' not in text:
        return text
    heads = [match.start() for match in _entry_heads(text)]
    pieces: list[str] = []
    last = 0
    for begin, end in zip(heads, [*heads[1:], len(text)], strict=True):
        depth, hidden, closed = 0, [], False
        for mark in _BRACE_OR_QUOTE.finditer(text, begin, end):
            char = mark.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth <= 0:
                    closed = depth == 0
                    break
            elif depth >= 2:
                hidden.append(mark.start())
        if not closed:
            continue
        for at in hidden:
            pieces += [text[last:at], _QUOTE_IN_BRACES]
            last = at + 1
    return "".join(pieces) + text[last:] if pieces else text


class _ShieldsOff(LibraryMiddleware):
    """Puts back what `_shielded` and `quotes_in_braces_hidden` hid, in every block's text (bibtexparser gives no setter for
    a block's `raw`: its attribute is set)."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True)

    def transform(self, library: Library) -> Library:
        for block in library.blocks:
            self._put_back(block)
        return library

    def _put_back(self, block: bib.Block | None) -> None:
        if block is None:
            return
        if block.raw:
            block._raw = _unshielded(block.raw)
        if isinstance(block, bib.Entry):
            for fld in block.fields:
                if isinstance(fld.value, str):
                    fld.value = _unshielded(fld.value)
        elif isinstance(block, bib.String | bib.Preamble):
            block.value = _unshielded(str(block.value))
        elif isinstance(block, bib.ExplicitComment | bib.ImplicitComment):
            block.comment = _unshielded(str(block.comment))
        for inner in ("ignore_error_block", "previous_block", "duplicate_block"):
            self._put_back(getattr(block, inner, None))


def silenced_parse(text: str, stack: Collection[Middleware] = (), quotes_hidden: bool = False) -> Library:
    """bibtexparser's parse with only the given middlewares; it logs each failed block to
    stderr, which the reader's diagnostics say better. Backslashes as BibTeX reads them
    (`_shielded`); `quotes_hidden`: the text comes from `quotes_in_braces_hidden`."""
    logger = logging.getLogger("bibtexparser.splitter")
    disabled, logger.disabled = logger.disabled, True
    shielded = _shielded(text)
    if shielded is not text or quotes_hidden:
        stack = [_ShieldsOff(), *stack]
    try:
        return bibtexparser.parse_string(shielded, parse_stack=list(stack))
    finally:
        logger.disabled = disabled


def _key_of_raw(raw: str) -> str:
    match = re.match(r"\s*@\s*[A-Za-z]+\s*[{(]\s*([^,\s=]*)", raw)
    return match.group(1) if match and match.group(1) else "?"


class DuplicateFields(_Recording):
    """`title = {A}, title = {B}`: bibtexparser gives up on the entry; the first of each field is
    kept (as BibTeX does) and each repeat recorded."""

    def transform_failed_block(self, failed_block: bib.ParsingFailedBlock, library: Library) -> bib.Block | None:
        if not isinstance(failed_block, bib.DuplicateFieldKeyBlock):
            return failed_block
        entry = failed_block.ignore_error_block
        if not isinstance(entry, bib.Entry):
            self.record(block_line(failed_block), "unreadable-entry",
                        "entry with duplicate fields could not be read; skipped", "error", skipped=True)
            return None
        entry.parser_metadata.update(failed_block.parser_metadata)
        kept: dict[str, bib.Field] = {}
        for fld in entry.fields:
            if fld.key.lower() in kept:
                self.record(field_line(entry, fld), "duplicate-field",
                            f"field {fld.key!r} appears twice in {entry.key!r}; the first is kept")
            else:
                kept[fld.key.lower()] = bib.Field(fld.key, str(fld.value), fld.start_line)
        return _with_fields(entry, list(kept.values()))


_UNCLOSED = ("Unexpected block start", "Unexpectedly reached end", "but found `@")


def unclosed_braces(raw: str) -> list[int]:
    """0-based lines (relative to the text) of the `{` that are never closed, outermost first."""
    stack: list[int] = []
    line = 0
    previous = ""
    for char in raw:
        if char == "\n":
            line += 1
        elif char == "{" and previous != "\\":
            stack.append(line)
        elif char == "}" and previous != "\\" and stack:
            stack.pop()
        previous = char
    return stack


class UnclosedEntries(_Recording):
    """A block bibtexparser gave up on: an entry missing only its own closing `}` is read as if
    it were there; any other failed block is recorded as skipped (and left in the library, so
    that `FieldsAfterEnd` knows no entry precedes what follows it)."""

    def transform_failed_block(self, failed_block: bib.ParsingFailedBlock, library: Library) -> bib.Block | None:
        if isinstance(failed_block, bib.DuplicateBlockKeyBlock | bib.DuplicateFieldKeyBlock):
            return failed_block
        line = block_line(failed_block)
        error = failed_block.error
        reason = str(getattr(error, "abort_reason", "") or error or "syntax error").strip().rstrip(".")
        raw = str(failed_block.raw).rstrip()
        key = _key_of_raw(raw)
        if not any(marker in reason for marker in _UNCLOSED):
            self.record(line, "unparsable-entry", f"entry {key!r} could not be parsed: {reason}; entry skipped",
                        "error", skipped=True)
            return failed_block
        last = line + raw.count("\n")
        unclosed = unclosed_braces(raw)
        if len(unclosed) == 1:  # only the entry's own `}` is missing: read it as if it were there
            rescued = silenced_parse(raw + "\n}")
            swallowing = _swallowing_field(rescued.entries[0]) if len(rescued.entries) == 1 else None
            if swallowing is not None:  # a value's `{` is never closed: the entry's `}` closed it instead
                self.record(line + swallowing.start_line, "unclosed-entry", f"entry {key!r} (line {line}) is not "
                            f"closed: the `{{` of its field {swallowing.key!r}, opened on this line, is never closed "
                            "(a `}` is missing), so the fields after it would be read as its text; entry skipped, "
                            "the entries after it are read", "error", skipped=True)
                return failed_block
            if len(rescued.entries) == 1 and not rescued.failed_blocks:
                self.record(last, "unclosed-entry", f"entry {key!r} (line {line}) is not closed: its `}}` is "
                            "missing here; read as if it were there", "error")
                entry = rescued.entries[0]
                entry.parser_metadata[LINE_OFFSET] = line - 1  # its lines count from the block's first
                return entry
        if len(unclosed) >= 2:
            self.record(line + unclosed[1], "unclosed-entry", f"entry {key!r} (line {line}) is not closed: the "
                        "`{` opened on this line is never closed (a `}` is missing); entry skipped, the entries "
                        "after it are read", "error", skipped=True)
            return failed_block
        self.record(last, "unclosed-entry", f"entry {key!r} (line {line}) is not closed: a `}}` is missing by this "
                    f"line ({reason}); entry skipped, the entries after it are read", "error", skipped=True)
        return failed_block


# A line of a value that reads as a field of its own: `  journal = {IJCV},`.
_FIELD_LINE = re.compile(r"\n[ \t]*[A-Za-z][\w\-]*[ \t]*=[ \t]*[{\"\w]")


def _swallowing_field(entry: bib.Entry) -> bib.Field | None:
    """The field of an entry read with its `}` added whose value holds lines that read as
    fields: its own `{` was the one never closed (`title = {Hands and {Objects},`), not the
    entry's, and the entry's `}` closed the value, which then took in every field after it."""
    return next((f for f in entry.fields if isinstance(f.value, str) and _FIELD_LINE.search(f.value)), None)


_FIELDS_AFTER_END = re.compile(r"^[\s,}]*[A-Za-z][\w\-]*\s*=\s*\S")


class FieldsAfterEnd(LibraryMiddleware):
    """`title = {X}},` then more fields: BibTeX ignores the rest silently; they are read back
    into the entry the extra `}` closed (fields it already has are not taken twice)."""

    def __init__(self, repairs: list[Repair]) -> None:
        super().__init__(allow_inplace_modification=True)
        self.repairs = repairs

    def transform(self, library: Library) -> Library:
        blocks: list[bib.Block] = []
        previous: int | None = None  # index in blocks of the entry the comment follows
        for block in library.blocks:
            if isinstance(block, bib.Entry):
                previous = len(blocks)
            elif isinstance(block, bib.ParsingFailedBlock) and not isinstance(block, bib.DuplicateBlockKeyBlock):
                previous = None
            elif isinstance(block, bib.ImplicitComment) and _FIELDS_AFTER_END.match(str(block.comment)) \
                    and self._read_back(block, blocks, previous):
                continue
            blocks.append(block)
        return Library(blocks, fail_on_duplicate_key=False)

    def _read_back(self, block: bib.ImplicitComment, blocks: list[bib.Block], previous: int | None) -> bool:
        comment = str(block.comment)
        body = comment.lstrip(" \t\n,}")
        skipped_lines = comment[: len(comment) - len(body)].count("\n")
        body = body.rstrip()
        if body.endswith(("}", ")")):
            body = body[:-1]
        rescued = silenced_parse("@misc{x,\n" + body + "\n}")
        names = [f.key for f in rescued.entries[0].fields] if rescued.entries else []
        line = block_line(block) + skipped_lines
        entry = blocks[previous] if previous is not None else None
        if not isinstance(entry, bib.Entry) or not names:
            self.repairs.append(Repair(line, "fields-after-end", "fields after the end of the entry (an extra `}` "
                                       "closed it early); those fields are ignored"))
            return False
        known = {f.key.lower() for f in entry.fields}
        first = (block.start_line or 0) + skipped_lines - 1  # the comment's lines, in the entry's count
        first += int(block.parser_metadata.get(LINE_OFFSET, 0)) - int(entry.parser_metadata.get(LINE_OFFSET, 0))
        added = [bib.Field(f.key, f.value, first + f.start_line) for f in rescued.entries[0].fields
                 if f.key.lower() not in known]
        assert previous is not None
        blocks[previous] = _with_fields(entry, [*entry.fields, *added])
        self.repairs.append(Repair(line, "fields-after-end", f"fields after the end of the entry {entry_label(entry)!r} (an "
                                   f"extra `}}` closed it early): {', '.join(names)}; read as part of the entry"))
        return True


class BadKeys(_Recording):
    """An entry whose key is missing or invalid (the text repair's placeholders, or a key
    bibtexparser read that BibTeX cannot cite) is kept and marked (`BAD_KEY`) to get a new key."""

    def __init__(self, repairs: list[Repair], placeholders: dict[str, str]) -> None:
        super().__init__(repairs)
        self.placeholders = placeholders

    def transform_entry(self, entry: bib.Entry, library: Library) -> bib.Entry:
        key = entry.key
        if key in self.placeholders:
            shown = self.placeholders[key]
            problem = f"invalid citation key {shown!r} (it holds a space or one of ,{{}}#%\"()=\\')" if shown \
                else "entry without a citation key"
            self.record(block_line(entry), "bad-key", f"{problem}; the entry is kept and given a new key", "error")
            entry.parser_metadata[BAD_KEY] = shown
        elif not key or INVALID_KEY.search(key):
            self.record(block_line(entry), "bad-key", f"invalid citation key {key!r} (empty, or holds a space or one "
                        "of ,{}#%\"()=\\'); the entry is kept and given a new key", "error")
            entry.parser_metadata[BAD_KEY] = key
        return entry


class DuplicateKeys(LibraryMiddleware):
    """A key used twice (bibtexparser's duplicate-key blocks), or twice up to case (biber
    confuses them): the first entry is kept, the others recorded as skipped. Keeps the keys it
    saw across the parts of a file parsed one by one."""

    def __init__(self, repairs: list[Repair]) -> None:
        super().__init__(allow_inplace_modification=True)
        self.repairs = repairs
        self.first: dict[str, tuple[str, int]] = {}  # lower-case key -> (key, 1-based line)

    def transform(self, library: Library) -> Library:
        for block in library.blocks:
            if isinstance(block, bib.Entry):
                self.first.setdefault(block.key.lower(), (block.key, block_line(block)))
        blocks: list[bib.Block] = []
        for block in library.blocks:
            if isinstance(block, bib.DuplicateBlockKeyBlock):
                first = self.first.get(block.key.lower())
                where = f" (first at line {first[1]})" if first else ""
                self.repairs.append(Repair(block_line(block), "duplicate-key", f"duplicate key {block.key!r}{where}; "
                                           "the first entry is kept, this one dropped", skipped=True))
                continue
            if isinstance(block, bib.Entry) and BAD_KEY not in block.parser_metadata:
                line = block_line(block)
                first_key, first_line = self.first.get(block.key.lower(), (block.key, line))
                if first_line != line:
                    self.repairs.append(Repair(
                        line, "duplicate-key", f"key {block.key!r} differs only in case from {first_key!r} (line "
                        f"{first_line}); the first is kept, this entry dropped", skipped=True))
                    continue
            blocks.append(block)
        return Library(blocks, fail_on_duplicate_key=False)


# A field glued on by a missing comma: its value braced, quoted, a number, or a bare @string name
# (`month = feb`) that ends the glued text or is followed by `#` or a comma.
_MERGED_FIELD = re.compile(r"[}\"]?\s*\n?\s*(?P<name>[A-Za-z][\w\-]*)\s*=\s*"
                           r"(?=[{\"\d]|[A-Za-z][\w\-.+/:']*\s*(?:#|,|\Z))")
_BARE_VALUE = re.compile(r"[\w\-:.+/']+")


def _balanced(raw: str) -> bool:
    """A raw value whose braces all close: where a value glued to the next field can end."""
    return not unclosed_braces(raw) and raw.count("}") - raw.count("\\}") <= raw.count("{") - raw.count("\\{")


def _closed_value(head: str) -> bool:
    """Whether a value glued to what looks like a next field ends there: a whole `{...}` or
    `"..."`, or a bare number or macro name. `"A = {B}"` over two lines is one value, not two."""
    if head[:1] == "{":
        return head.endswith("}") and _balanced(head)
    if head[:1] == '"':
        return head.endswith('"') and len(head) >= 2 and _balanced(head)
    if "#" in head and _balanced(head):  # `jgi # " Letters"`: each part a whole value
        parts = [part.strip() for part in head.split("#")]
        return all(parts) and all(_closed_value(part) for part in parts)
    return _BARE_VALUE.fullmatch(head) is not None


class MergedFields(_Recording):
    """A missing comma makes bibtexparser glue the next field onto a value: split back into
    fields (each part checked again, for several glued fields)."""

    def transform_entry(self, entry: bib.Entry, library: Library) -> bib.Entry:
        if not any("=" in str(f.value) for f in entry.fields):
            return entry
        result: list[bib.Field] = []
        pending = list(reversed(entry.fields))
        changed = False
        while pending:
            fld = pending.pop()
            value = str(fld.value)
            match = _MERGED_FIELD.search(value) if "=" in value else None
            if not (match and ("\n" in value[: match.end()]
                               or value[: match.start() + 1].rstrip().endswith(("}", '"'))
                               or _BARE_VALUE.fullmatch(value[: match.start() + 1].strip()))  # `year = 2020 month = jul`
                    and _closed_value(value[: match.start() + 1].strip())):
                result.append(fld)
                continue
            changed = True
            line = fld.start_line + value.count("\n", 0, match.start() + 1)  # where the next field starts
            self.record(field_line(entry, fld) + value.count("\n", 0, match.start()), "missing-comma",
                        f"missing comma between fields {fld.key!r} and {match.group('name')!r} in "
                        f"{entry_label(entry)!r}; read as two fields", "error")
            result.append(bib.Field(fld.key, value[: match.start() + 1].strip(), fld.start_line))
            rest = silenced_parse("@misc{x," + value[match.start() + 1:] + "\n}")
            if rest.entries:
                pending.extend(reversed([bib.Field(f.key, f.value, line + f.start_line)
                                         for f in rest.entries[0].fields]))
        return _with_fields(entry, result) if changed else entry


class QuotesInQuotes(_Recording):
    """`title = "A "quoted" Word"`: the inner `"` ends the value for BibTeX (a syntax error).
    bibtexparser reads the whole value; the field is marked (`REBRACE`) to be written in
    braces. Only fields LaTeX typesets, whose braces pair (others are repaired otherwise)."""

    def __init__(self, repairs: list[Repair]) -> None:
        super().__init__(repairs)
        self._strings: tuple[int, dict[str, str]] | None = None

    def transform_entry(self, entry: bib.Entry, library: Library) -> bib.Entry:
        if not any('"' in (value := str(f.value)) and '"' in value.strip()[1:-1]  # (no copy of a value without one)
                   for f in entry.fields):  # nearly every entry
            return entry
        seen: set[str] = set()
        for fld in entry.fields:
            lower = fld.key.lower()
            if lower in seen:
                continue
            seen.add(lower)
            raw = str(fld.value).strip()
            if lower not in TYPESET_FIELDS or '"' not in raw[1:-1] or not quote_inside_quotes(raw):
                continue
            if not braces_balanced(raw):
                continue
            text = resolve(raw, self._table(library))
            self.record(field_line(entry, fld), "bib-syntax", f"{fld.key}: a `\"` inside a value delimited by "
                        f"quotes ends the value for BibTeX (a syntax error); read as {text[:80]!r}, written in "
                        "braces on export")
            entry.parser_metadata.setdefault(REBRACE, set()).add(lower)
        return entry

    def _table(self, library: Library) -> dict[str, str]:
        if self._strings is None or self._strings[0] != id(library):
            self._strings = (id(library), string_table(library.blocks))
        return self._strings[1]


class CommentedEntries(_Recording):
    """An `@comment` holding an entry stays a comment: named, so that a user knows it is not read."""

    def transform_explicit_comment(self, explicit_comment: bib.ExplicitComment, library: Library) -> bib.Block:
        comment = str(explicit_comment.comment)
        if ENTRY_START.search(comment) or ("%@" in comment and _MASKED_ENTRY.search(comment)):
            self.record(block_line(explicit_comment), "commented-entry", "an @comment holds an entry; it stays a "
                        "comment (not read, not written)", "info")
        return explicit_comment


def repair_stack(repairs: list[Repair], placeholders: dict[str, str]) -> list[Middleware]:
    """The block repairs, in the order they must run, recording into `repairs`."""
    return [DuplicateFields(repairs), UnclosedEntries(repairs), BadKeys(repairs, placeholders),
            FieldsAfterEnd(repairs), DuplicateKeys(repairs), MergedFields(repairs),
            QuotesInQuotes(repairs), CommentedEntries(repairs)]


@dataclass
class ParsedBib:
    """A `.bib` file's blocks after every repair, in file order, and what was repaired."""

    blocks: list[bib.Block]
    repairs: list[Repair] = field(default_factory=list)


def _parsed(text: str, placeholders: dict[str, str], quotes_hidden: bool = False) -> ParsedBib:
    repairs: list[Repair] = []
    return ParsedBib(list(silenced_parse(text, repair_stack(repairs, placeholders), quotes_hidden).blocks), repairs)


def _quotes_hidden_parsed(text: str, placeholders: dict[str, str]) -> ParsedBib:
    hidden = quotes_in_braces_hidden(text)
    return _parsed(hidden, placeholders, quotes_hidden=hidden is not text)


def parse(text: str) -> ParsedBib:
    """The file through the text repairs, bibtexparser and the block repairs. Should
    bibtexparser fail on the whole text (a bug must not lose the file), each entry is parsed
    on its own; an entry it fails on is recorded as skipped."""
    text, placeholders = placeholder_keys(command_prefixed_types(comments_over_lines_masked(text)))
    try:
        parsed = _quotes_hidden_parsed(text, placeholders)
        rewritten = loose_heads_rewritten(text, parsed.blocks)
        if rewritten is not text:  # read again, with the entries bibtexparser took for comments
            text = rewritten
            parsed = _quotes_hidden_parsed(text, placeholders)
        return parsed
    except Exception:  # any failure of the parser: parse entry by entry below
        pass
    repairs: list[Repair] = []
    stack = repair_stack(repairs, placeholders)  # one stack: duplicate keys are seen across the parts
    starts = [m.start() for m in ENTRY_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    blocks: list[bib.Block] = []
    line = 0
    for begin, finish in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:finish]
        try:
            blocks.extend(silenced_parse(chunk, [LineOffset(line), *stack]).blocks)
        except Exception as exc:
            repairs.append(Repair(line + 1, "unreadable-entry", "BibTeX entry could not be read by the parser "
                                  f"({type(exc).__name__}); entry skipped", "error", skipped=True))
        line += chunk.count("\n")
    return ParsedBib(blocks, repairs)
