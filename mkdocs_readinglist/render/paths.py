"""Fast equivalents of two library calls the pages make tens of thousands of times: relative
links between generated pages (posixpath.relpath without asking for the working directory) and
YAML front matter of plain text (yaml.safe_dump's bytes without its emitter). Each gives the
very text of the library call (tests/test_scaling.py checks both); anything unusual goes to the
library.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from functools import lru_cache

import yaml

_UNSAFE_IN_NAME = re.compile(r"[^\w.+-]+")
# Names Windows gives to devices, whatever the extension (`aux.md` cannot be a file there).
_RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))])


def page_name(key: str) -> str:
    """A paper page's file name (without `.md`): its key, unless the key holds what a file name or
    a URL path cannot carry everywhere (DBLP's `DBLP:conf/cvpr/HeZRS16`: `:` is not allowed on
    Windows, `/` makes folders; a leading `.` hides the file from MkDocs; `aux` is a Windows device).
    Then each run of those characters becomes `-`, and a short digest of the key follows, so that
    two such keys never share a page: `DBLP-conf-cvpr-HeZRS16-1c2b3a`."""
    if _UNSAFE_IN_NAME.search(key) is None and not key.startswith(".") and key.lower() not in _RESERVED_NAMES:
        return key
    stem = _UNSAFE_IN_NAME.sub("-", key).strip("-.") or "paper"
    return f"{stem}-{hashlib.blake2b(key.encode('utf-8'), digest_size=3).hexdigest()}"


def relpath(target: str, start: str) -> str:
    """posixpath.relpath for `/`-separated relative paths, without asking for the working
    directory (which relpath does twice per call); anything unusual goes to relpath. The
    way from a folder to a folder is worked out once (pages link into a few folders)."""
    folder, _, name = target.rpartition("/")
    if name and name not in (".", ".."):
        prefix, next_part = _folder_relpath(folder, start)
        if prefix is not None and name != next_part:
            return name if prefix == "." else f"{prefix}/{name}"
    return _parts_relpath(target, start)


@lru_cache(maxsize=4096)
def _folder_relpath(folder: str, start: str) -> tuple[str | None, str | None]:
    """relpath(folder, start) (None when a part is odd: `.`, `..`, empty) and the part of start
    after folder when start is inside it: relpath(folder/name, start) is that plus `/name`
    unless name is that part. Keyed by the two folders only: a site has few of them, so the
    cache never turns over (keyed by each target's name too, it did once per paper, every
    entry leaving a hole in memory when it went)."""
    if not folder or _odd(folder) or (start and _odd(start)):
        return None, None
    from_parts = start.split("/") if start else []
    to_parts = folder.split("/")
    inside = len(from_parts) > len(to_parts) and from_parts[:len(to_parts)] == to_parts
    relative = _parts_relpath(folder, start)
    return (None if relative.startswith("/") else relative), (from_parts[len(to_parts)] if inside else None)


def _odd(path: str) -> bool:
    """A path with an empty, `.` or `..` part (or a leading `/`): left to posixpath."""
    framed = f"/{path}/"
    return "//" in framed or "/./" in framed or "/../" in framed


def _parts_relpath(target: str, start: str) -> str:
    if _odd(target) or (start and _odd(start)):
        return posixpath.relpath(target, start)
    to_parts = target.split("/")
    from_parts = start.split("/") if start else []
    common = 0
    for a, b in zip(to_parts, from_parts, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."


def front_matter(data: dict[str, object]) -> str:
    """YAML front matter. Themes put `title` into `<title>` and the nav unescaped, so it is
    HTML-escaped here; tags are topic names from the taxonomy. `render_macros: false`: a page's
    BibTeX holds `{{...}}`, which mkdocs-macros (and Zensical's macros) would read as Jinja; the
    plugin marks its pages so in memory, and pages written to disk by `readinglist pages` say it."""
    if isinstance(data.get("title"), str):
        data = {**data, "title": html.escape(str(data["title"]), quote=False)}
    return "---\n" + yaml_mapping(data) + "render_macros: false\n---\n\n"


_YAML_RESOLVER = yaml.resolver.Resolver()
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")


def yaml_mapping(data: dict[str, object]) -> str:
    """yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096), byte for byte;
    written directly when every key and value is single-line printable ASCII text (or a
    list of such), else by PyYAML."""
    lines: list[str] = []
    for key, value in data.items():
        name = _yaml_scalar(key) if isinstance(key, str) else None
        if name is None or name != key:
            break
        if isinstance(value, str):
            scalar = _yaml_scalar(value)
            if scalar is None:
                break
            lines.append(f"{key}: {scalar}\n")
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            items = [_yaml_scalar(item) for item in value]
            if any(item is None for item in items):
                break
            lines.append(f"{key}: []\n" if not items else f"{key}:\n" + "".join(f"- {item}\n" for item in items))
        else:
            break
    else:
        return "".join(lines)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)


def _yaml_scalar(text: str) -> str | None:
    """How PyYAML's emitter writes a text in block context (plain, else single-quoted), for
    single-line printable ASCII without edge spaces (its rules for that case, from
    Emitter.analyze_scalar and choose_scalar_style); None for any other text."""
    if not text or len(text) > 1000 or not text.isascii() or not text.isprintable() \
            or text[0] == " " or text[-1] == " ":
        return None
    first = text[0]
    indicator = (first in _FIRST_INDICATORS or (first in "?:-" and (len(text) == 1 or text[1] == " "))
                 or text.startswith(("---", "...")) or ": " in text or text.endswith(":") or " #" in text)
    if not indicator and _YAML_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str":
        return text
    return "'" + text.replace("'", "''") + "'"
