"""Bytes to text: UTF-8 with or without BOM, any line ends; anything else is named, not guessed."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Diagnostic, Severity

_BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")


@dataclass(frozen=True, slots=True)
class DecodedFile:
    text: str | None  # None: the file is skipped, the diagnostic says why
    diagnostic: Diagnostic | None = None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return line, column


def decode_bytes(data: bytes, file: str) -> DecodedFile:
    """Text with `\\n` line ends and no BOM, or a diagnostic naming the first bad byte."""
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data:
        offset = data.find(b"\x00")
        line, column = _position(data, max(offset, 0))
        kind = "a NUL byte" if offset >= 0 else "a binary file signature"
        return DecodedFile(None, Diagnostic(
            file, line, Severity.ERROR,
            f"looks binary ({kind}), not a text listing or .bib; file skipped", column))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        byte = data[exc.start]
        hint = "it looks like Latin-1/CP1252" if 0x80 <= byte <= 0xFF else "unknown encoding"
        return DecodedFile(None, Diagnostic(
            file, line, Severity.ERROR,
            f"not UTF-8: byte 0x{byte:02X} cannot be decoded ({hint}); "
            "save the file as UTF-8 (e.g. `iconv -f cp1252 -t utf-8`); file skipped", column))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedFile(text)
