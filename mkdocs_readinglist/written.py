"""What `readinglist pages --out` wrote into a docs folder, so that later runs and the MkDocs
plugin can tell those files from the user's own.

The manifest (`.readinglist-files` in the output folder; MkDocs and Zensical skip dot files)
holds one line per written file: the SHA-256 of the content written, two spaces, the path
relative to the folder (the `sha256sum` layout). A file is "ours" only while its content is
still what was written: a page the user edited afterwards, or wrote at a path of ours, is theirs
and is never replaced. Manifests of older versions list paths only; their files count as ours
whatever their content, as those versions treated them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

MANIFEST_NAME = ".readinglist-files"
_HEADER = "# written by `readinglist pages`: SHA-256 and path of each file; edit a file and it is yours\n"


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def manifest_text(files: Iterable[tuple[str, str]]) -> str:
    """The manifest for files given as (path, text written as UTF-8)."""
    return _HEADER + "".join(f"{digest(text.encode('utf-8'))}  {path}\n" for path, text in sorted(files))


def parse_manifest(text: str) -> dict[str, str | None]:
    """Path -> SHA-256 of the content written (None for a path-only line of an older manifest)."""
    written: dict[str, str | None] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, sep, path = line.partition("  ")
        if sep and len(head) == 64 and all(c in "0123456789abcdef" for c in head):
            written[path] = head
        else:
            written[line.strip()] = None
    return written


def read_manifest(folder: Path) -> dict[str, str | None]:
    """The manifest of `folder`, or an empty one when there is none or it cannot be read."""
    try:
        return parse_manifest((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def written_by_us(manifest: Mapping[str, str | None], path: str, content: bytes) -> bool:
    """True when `path` was written by `readinglist pages` and still holds what it wrote."""
    if path not in manifest:
        return False
    expected = manifest[path]
    return expected is None or expected == digest(content)
