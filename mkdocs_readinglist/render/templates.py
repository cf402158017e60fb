"""The page layout's templates: Jinja2 templates of Markdown, ours or a user's folder's by name.

Scraped text is made inert by the environment, not by each template: every value a template
prints bare (`{{ paper.title }}`) goes through `finalize`, which escapes it for Markdown *and*
HTML (render/markdown_text.md). What the renderer built as Markdown (links between pages, the
BibTeX block, front matter) comes as `Md`, which is printed as it is; text a template joins
with it (`a ~ b`) is plain text again and escaped whole. Jinja's HTML autoescape is off: it
would leave `*`, `[x](y)` and `_` live, and cost a call per printed value.

An `Environment` is made once per templates folder and kept while the folder's files stay as
they are (their names, sizes and modification times): a changed user template gives a new one,
which is also what tells the page memo that every page must be made again.
"""

from __future__ import annotations

import html
import os
import re
import traceback
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2

from .markdown_text import code, md, summary_of

OURS = Path(__file__).parent / "templates"
SUFFIX = ".md.j2"
# The URL schemes a link of scraped data may have; any other (javascript:, data:, vbscript:) is
# written as a relative link that goes nowhere harmful.
SAFE_SCHEMES = frozenset({"", "http", "https", "ftp", "mailto"})


class Md(str):
    """Markdown the renderer made (a link, a block, front matter): printed as it is. Anything
    made of it and other text in a template (`a ~ b`) is plain text again, escaped whole."""

    __slots__ = ()

    def __html__(self) -> str:  # what Jinja and MarkupSafe take for text already made safe
        return self


class TemplateError(Exception):
    """A mistake in a template (syntax, an unknown variable or filter): names its file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(f"{file}:{line}: error: {message}" if line else f"{file}: error: {message}")
        self.file = file
        self.line = line
        self.message = message


def _finalize(value: object) -> str:
    """Every value a template prints: Markdown the renderer made (or marked `|safe`) as it is,
    numbers as numbers, any other text escaped (it came from a source)."""
    kind = type(value)
    if kind is Md:
        return value  # type: ignore[return-value]
    if kind is str:
        return md(value)  # type: ignore[arg-type]
    if hasattr(value, "__html__"):
        return str(value.__html__())
    if value is None:
        return ""
    if kind is int or kind is float:
        return str(value)
    return md(str(value))


def md_filter(value: object) -> Md:
    """`{{ text|md }}`: text as inline Markdown that shows exactly it (what bare values get too)."""
    return Md(_finalize(value))


def md_attr(value: object) -> Md:
    """`<a id="{{ key|md_attr }}">`: text inside an HTML attribute value (quotes escaped too)."""
    return Md(html.escape(str(value), quote=True))


def href(url: str) -> str:
    """A URL as a Markdown link destination: a DOI like `10.1002/(SICI)...<377::AID-JCC1>...` holds
    `<`, `>` and parentheses, which would end the link; percent-encoded, they mean the same URL.
    A scheme other than http(s), ftp or mailto loses its colon (then a relative link)."""
    text = quote(url, safe="/:?#=&%@+,;~!$*'")
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        scheme = "?"
    if scheme not in SAFE_SCHEMES:
        text = text.replace(":", "%3A")
    return text


# A web address's scheme (`https:`, `mailto:`), or a link within the site (`/`, `#`).
_SCHEME_OR_SITE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|/|#)")


def url_filter(value: object) -> Md:
    """`[label]({{ url|url }})`: a link destination, `<...>` and percent-encoded. A paper's address
    written without its scheme (`www.example.org/paper.pdf`, as some .bib files have it) is a web
    address, not a page of the site: it is given `https://` (else MkDocs takes it for a missing
    page, and `--strict` fails on it)."""
    url = str(value).strip()
    if url and not _SCHEME_OR_SITE.match(url):
        url = "https://" + url
    return Md(f"<{href(url)}>")


def code_filter(value: object) -> Md:
    """`{{ key|code }}`: an inline code span holding exactly the text."""
    return Md(code(str(value)))


def bibtex_filter(value: object) -> Md:
    """`{{ entry|bibtex }}`: a code block Material gives a copy button, without Pygments."""
    return Md(f'<pre><code class="language-bibtex">{html.escape(str(value).rstrip(), quote=False)}</code></pre>')


def join_filter(items: Iterable[object], separator: str = "") -> Md:
    """`{{ items|join(" · ") }}`: the separator as written in the template, each item as it would
    print alone (escaped, unless the renderer made it)."""
    return Md(str(separator).join(str(_finalize(item)) for item in items))


def summary_filter(value: object, limit: int = 420) -> str:
    """`{{ paper.abstract|summary }}`: the first sentences, up to about `limit` characters."""
    return summary_of(str(value) if value else None, limit)


FILTERS = {"md": md_filter, "md_attr": md_attr, "url": url_filter, "code": code_filter,
           "bibtex": bibtex_filter, "join": join_filter, "summary": summary_filter}

def _stamp(folder: str | None) -> tuple[tuple[str, int, int], ...]:
    """The templates of a user's folder as they are now: names, modification times, sizes."""
    if folder is None:
        return ()
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, folder), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


def environment(folder: str | None = None) -> jinja2.Environment:
    """The environment of a templates folder (None: ours only): made once, and again when a
    file of the folder changed."""
    return _environment(folder, _stamp(folder))


@lru_cache(maxsize=16)  # a pure function of its arguments (memo.py's rule): the stamp stands for the files
def _environment(folder: str | None, stamp: tuple[tuple[str, int, int], ...]) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(OURS))]
    if folder is not None:
        loaders.insert(0, jinja2.FileSystemLoader(folder))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined, autoescape=False,
        finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False, cache_size=-1)
    env.filters.update(FILTERS)
    return env


def our_template_names() -> list[str]:
    return sorted(p.name for p in OURS.glob(f"*{SUFFIX}"))


def check_folder(folder: str) -> None:
    """Compile every template a user's folder holds: a syntax error stops the build here,
    naming its file and line. TemplateError also when a file would override none of ours."""
    env = environment(folder)
    ours = set(our_template_names())
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = path.relative_to(folder).as_posix()
        if name not in ours and not name.startswith("_"):  # `home.md`, `paper.j2`: a misnamed override
            raise TemplateError(str(path), None, f"{name!r} is none of the page templates "
                                f"({', '.join(sorted(ours))}); a helper template's name starts with `_`")
        get_template(env, name)


def get_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(exc.filename or name, exc.lineno, exc.message or str(exc)) from exc


def render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template's text with these variables; a mistake in it raises TemplateError with
    the template's file and the line the mistake is on."""
    try:  # Template.render without its copy of the variables (tens of thousands of calls)
        return _joined(template.root_render_func(template.new_context(context)))
    except Exception:  # made again by render, whose traceback points at the template's lines
        pass
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(exc.filename or exc.name or str(template.name), exc.lineno,
                            exc.message or str(exc)) from exc
    except (jinja2.TemplateError, TypeError, AttributeError, ValueError) as exc:
        file, line = _place(exc, template)
        raise TemplateError(file, line, f"{type(exc).__name__}: {exc}") from exc


def _joined(parts: Iterator[str], batch: int = 512) -> str:
    """"".join(parts), joined a batch at a time: a page of thousands of entries never holds
    all its small pieces at once (each a small object, whose memory only small objects reuse)."""
    first = list(islice(parts, batch))
    if len(first) < batch:
        return "".join(first)
    chunks = ["".join(first)]
    del first
    while True:
        more = list(islice(parts, batch))
        chunks.append("".join(more))
        if len(more) < batch:
            return "".join(chunks)


def _place(exc: BaseException, template: jinja2.Template) -> tuple[str, int | None]:
    """The innermost template frame of the traceback Jinja rewrote to point at template lines."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(SUFFIX):
            return frame.filename, frame.lineno
    return template.filename or str(template.name), None
