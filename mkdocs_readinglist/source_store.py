"""Parsed sources kept on disk between processes: a speed layer, nothing else.

A `mkdocs build` is a fresh process, so without this every build parses every listing and
.bib again (a 1,898-entry .bib: ~1 s, most of a site that only cites it). Each source's
result is kept in one file under `.cache/readinglist/sources/`, with the digest of the bytes
it was read from and a digest of this package's code: it is used only when both are the
same (same bytes, same readers), else the file is read again and the entry replaced.

The entries are pickles that this package wrote itself into the project's own cache folder
(like the references cache beside them); delete the folder at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import SourceResult

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the package's Python and data files (each file's path, size and modification
    time: a file is not read for it): a reader that changes makes every kept result stale."""
    digest = hashlib.blake2b(digest_size=16)
    for folder, folders, names in os.walk(_PACKAGE):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".yml")):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{os.path.relpath(os.path.join(folder, name), _PACKAGE)}\0{stat.st_size}\0"
                              f"{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class SourceStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self._known: dict[Path, str] = {}  # file -> the digest of its bytes, taken by the caller

    def know(self, path: Path, content_digest: str) -> None:
        """The digest of a file's bytes that the caller took (the export hashes every source
        for its own digest): its kept result is then found without reading and hashing the
        file again (`kept_for_known_digest`), once."""
        self._known[path] = content_digest

    def kept_for_known_digest(self, path: Path, source: object) -> SourceResult | None:
        """The result kept for this source from the bytes whose digest `know` was given
        (the very bytes the caller's digest stands for), else None (then the file is read)."""
        digest = self._known.pop(path, None)
        return None if digest is None else self.get(source, digest)

    def _path(self, source: object) -> Path:
        name = hashlib.blake2b(repr(source).encode("utf-8"), digest_size=12).hexdigest()
        return self.folder / f"{name}.pickle"

    def get(self, source: object, content_digest: str) -> SourceResult | None:
        """The result kept for this source (its display name and options) if it was read
        from bytes of this digest by this code; else None."""
        try:
            with self._path(source).open("rb") as handle:
                kept = pickle.load(handle)
        except Exception:  # a damaged or foreign cache file raises almost anything: it is only a cache
            return None
        if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == code_digest()
                and kept[1] == content_digest and kept[2] == repr(source) and isinstance(kept[3], SourceResult)):
            return None
        self.hits += 1
        return kept[3]

    def put(self, source: object, result: SourceResult) -> None:
        """Keep a result (best effort: a cache that cannot be written is only slower)."""
        if not result.content_hash:
            return
        path = self._path(source)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                pickle.dump((code_digest(), result.content_hash, repr(source), result), handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
        except (OSError, pickle.PicklingError):
            temporary.unlink(missing_ok=True)


class CorpusStore:
    """The corpus a site's first build in a process made, kept on disk by a digest of all it
    was made from (the package's code, the settings, every source file's bytes, the key lock's
    and resolved.yml's bytes): the next `mkdocs build` of the same inputs loads it instead of
    merging and keying the papers again. Any other input gives another digest. One entry,
    replaced by each build that made its corpus afresh."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.hits = 0

    @staticmethod
    def digest(parts: Iterable[str | bytes]) -> str:
        digest = hashlib.blake2b(code_digest().encode(), digest_size=16)
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def get(self, digest: str) -> Any:
        try:
            with self.path.open("rb") as handle:
                kept = pickle.load(handle)
        except Exception:  # a damaged or foreign cache file raises almost anything: it is only a cache
            return None
        if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == digest):
            return None
        self.hits += 1
        return kept[1]

    def put(self, digest: str, value: object) -> None:
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                pickle.dump((digest, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(self.path)
        except (OSError, pickle.PicklingError):
            temporary.unlink(missing_ok=True)
