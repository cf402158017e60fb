"""Bytes to text: UTF-8 with or without BOM (UTF-16 and UTF-32 when their byte-order mark says so), any line
ends; anything else is named, not guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Diagnostic, Severity

_BINARY_SIGNATURES = {
    b"%PDF": "PDF", b"PK\x03\x04": "ZIP (or .docx/.xlsx)", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF", b"\x7fELF": "ELF executable", b"\x1f\x8b": "gzip", b"\xd0\xcf\x11\xe0": "MS Office",
}
_UNICODE_BOMS = ((b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"), (b"\xff\xfe", "UTF-16"),
                 (b"\xfe\xff", "UTF-16"))
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_TEXT = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
# The same characters as bytes (ASCII: UTF-8 writes each as its own byte, and no other
# character's bytes include one): deleting them from the bytes, in C, is twice as fast as
# searching the decoded text.
_CONTROL_TEXT_BYTES = bytes([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


@dataclass(frozen=True, slots=True)
class DecodedFile:
    text: str | None  # None: the file is skipped, the diagnostic says why
    diagnostic: Diagnostic | None = None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return line, column


def _binary_position(data: bytes) -> tuple[int, str] | None:
    """Where a file shows it is not text, and how: a known signature, a NUL byte, control bytes."""
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return 0, f"a {kind} file signature"
    nul = data.find(b"\x00")
    if nul >= 0:
        return nul, "a NUL byte"
    head = data[:65536]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
    if controls > max(8, len(head) // 100):
        first = min(head.find(bytes([byte])) for byte in _CONTROL_BYTES if bytes([byte]) in head)
        return first, f"{controls} control bytes in its first {len(head):,} bytes"
    return None


def _unmarked_unicode(data: bytes) -> tuple[str, str] | None:
    """(encoding, "little-endian" or "big-endian") of text saved as UTF-16 or UTF-32 without its
    byte-order mark: NULs beside nearly every byte of its first code units (Latin letters), on
    one side only."""
    head = data[:4096]
    if len(head) < 8:
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = [head[offset::width] for offset in range(width)]
        for order, text_at in (("little-endian", 0), ("big-endian", width - 1)):
            zeros = [unit for offset, unit in enumerate(units) if offset != text_at]
            if units[text_at].count(0) == 0 and all(z.count(0) >= 0.9 * len(z) for z in zeros):
                return name, order
    return None


def decode_bytes(data: bytes, file: str) -> DecodedFile:
    """Text with `\\n` line ends and no BOM, or a diagnostic naming the first bad byte."""
    for bom, name in _UNICODE_BOMS:
        if data.startswith(bom):
            return _with_byte_order_mark(data, name, file)
    binary = _binary_position(data)
    if binary is not None and (unmarked := _unmarked_unicode(data)) is not None:
        name, order = unmarked
        return DecodedFile(None, Diagnostic(
            file, 1, Severity.ERROR, f"looks like {name} ({order}) without its byte-order mark, not UTF-8; save the "
            f"file as UTF-8 (e.g. `iconv -f {name}{'LE' if order == 'little-endian' else 'BE'} -t UTF-8`); file "
            "skipped", column=1, code="encoding"))
    if binary is not None:
        offset, kind = binary
        line, column = _position(data, offset)
        return DecodedFile(None, Diagnostic(
            file, line, Severity.ERROR,
            f"looks binary ({kind}), not a text listing or .bib; file skipped", column=column, code="binary"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        byte = data[exc.start]
        if exc.reason == "unexpected end of data":
            hint = "the file ends in the middle of a UTF-8 character: was it cut off?"
        elif 0x80 <= byte <= 0x9F:
            hint = "it looks like Windows-1252/CP1252"
        else:
            hint = "it looks like Latin-1/CP1252"
        return DecodedFile(None, Diagnostic(
            file, line, Severity.ERROR,
            f"not UTF-8: byte 0x{byte:02X} cannot be decoded ({hint}); "
            "save the file as UTF-8 (e.g. `iconv -f cp1252 -t utf-8`); file skipped", column=column, code="encoding"))
    return _text_read(text, file, len(data.translate(None, _CONTROL_TEXT_BYTES)) < len(data))


def _with_byte_order_mark(data: bytes, name: str, file: str) -> DecodedFile:
    """UTF-16 or UTF-32 with its byte-order mark (Windows Notepad's "Unicode"): the mark says how to
    read it, so it is read, and the file named (other tools expect UTF-8)."""
    try:
        text = data.decode(name.lower().replace("-", ""))  # the codecs that read and drop the mark
    except UnicodeDecodeError as exc:
        return DecodedFile(None, Diagnostic(
            file, 1, Severity.ERROR, f"starts with a {name} byte-order mark but is not {name} ({exc.reason} at byte "
            f"{exc.start}); save the file as UTF-8 (e.g. `iconv -f {name} -t UTF-8`); file skipped", column=1,
            code="encoding"))
    read = _text_read(text, file, True)
    if read.diagnostic is not None:
        return read
    return DecodedFile(read.text, Diagnostic(
        file, 1, Severity.INFO, f"saved as {name} (its byte-order mark says so) and read as such; other tools expect "
        f"UTF-8 (`iconv -f {name} -t UTF-8`)", column=1, code="unicode-bom"))


def _text_read(text: str, file: str, may_hold_controls: bool) -> DecodedFile:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = _CONTROL_TEXT.search(text) if may_hold_controls else None
    if first is not None:
        line = text.count("\n", 0, first.start()) + 1
        column = first.start() - text.rfind("\n", 0, first.start())
        count = len(_CONTROL_TEXT.findall(text))
        text = _CONTROL_TEXT.sub("", text)
        return DecodedFile(text, Diagnostic(
            file, line, Severity.WARNING, f"{count} control character(s) (first U+{ord(first.group(0)):04X} here) "
            "removed", column=column, code="control-characters"))
    return DecodedFile(text)
