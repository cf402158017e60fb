"""HTML in BibTeX values, as Crossref writes titles: a table of tags, not a LaTeX codec.

Crossref keeps titles as publishers deposit them, in JATS: `Q&amp;A`, `<i>In vivo</i>`,
`CO<sub>2</sub>`, MathML. Its BibTeX (doi.org content negotiation, doi2bib) and its REST API
pass that on, and LaTeX prints `Q\\&amp;A`, or stops. Entities are decoded by the standard
library (exact); the face tags become the LaTeX commands that set the same face; MathML and the
other JATS tags are left as written and reported, since rewriting math needs a converter.
Only the tags JATS and HTML give titles count: `k<n and m>1`, `List<T>` and `{\\tt <box>}` are text.
"""

from __future__ import annotations

import html
import re

from .decode import tex_math_segments, verbatim_arguments

# JATS / HTML face tags and the LaTeX that sets the same text
FACE_COMMANDS: dict[str, str] = {
    "i": "textit", "em": "emph", "italic": "textit", "b": "textbf", "strong": "textbf", "bold": "textbf",
    "sup": "textsuperscript", "sub": "textsubscript", "scp": "textsc", "sc": "textsc", "u": "underline",
    "tt": "texttt", "monospace": "texttt",
}
# Other tags publishers' titles hold (JATS: `jats:` prefixed or not), and MathML's (`mml:` or bare)
_OTHER_TAGS = ("span", "p", "br", "inline-formula", "disp-formula", "tex-math", "alternatives", "named-content",
               "styled-content", "roman", "sans-serif", "underline", "overline", "strike", "math", "mi", "mn", "mo",
               "ms", "mtext", "mrow", "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder",
               "munderover", "mspace", "mstyle", "mfenced", "semantics", "annotation", "mtable", "mtr", "mtd")
_NAMES = "|".join(sorted((*FACE_COMMANDS, *_OTHER_TAGS), key=len, reverse=True))
_TAG = re.compile(rf"<(/?)((?:(?:jats|mml):)?(?:{_NAMES}))(\s[^<>]*)?(/?)>", re.IGNORECASE)
_FACE = re.compile(r"<(?:jats:)?(" + "|".join(FACE_COMMANDS) + r")>([^<>]*)</(?:jats:)?\1>", re.IGNORECASE)
# An entity (`&amp;`, `&#233;`, `&#x00E9;`) whose `&` LaTeX does not escape (`\&amp;` is `\&` and text)
_ENTITY = re.compile(r"(?<!\\)&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_ESCAPED_AMP = re.compile(r"\\&amp;")  # an escaped `&` with its entity's rest: `Q\&amp;A` is `Q\&A`
# What an entity may stand for that LaTeX reads as markup: written as LaTeX sets it in text
_SPECIAL_AS_LATEX = {"&": "\\&", "%": "\\%", "#": "\\#", "_": "\\_", "$": "\\$", "<": "\\textless{}",
                     ">": "\\textgreater{}", "\xa0": "~", "{": "\\{", "}": "\\}", "\\": "\\textbackslash{}"}


def has_markup(value: str) -> bool:
    """Cheap test first: most values hold neither `&...;` nor a tag."""
    return ("&" in value and (_ENTITY.search(value) is not None or "\\&amp;" in value)) \
        or ("<" in value and _TAG.search(value) is not None)


def _entity_as_latex(entity: str, raw: bool) -> str:
    text = html.unescape(entity)
    return text if raw else "".join(_SPECIAL_AS_LATEX.get(c, c) for c in text)


def markup_to_latex(value: str) -> tuple[str, bool, list[str]]:
    """(the value with entities decoded and face tags as LaTeX commands, whether anything changed,
    the tags left as written: MathML and tags LaTeX has no face for). An entity in a URL argument
    (`\\url{...?a=1&amp;b=2}`) or in math is the character itself, as the url package and math read it."""
    text = _ESCAPED_AMP.sub(r"\\&", value) if "\\&amp;" in value else value
    while (faced := _FACE.sub(lambda m: f"\\{FACE_COMMANDS[m.group(1).lower()]}{{{m.group(2)}}}", text)) != text:
        text = faced  # (nested faces: <b><i>x</i></b>)
    if "&" in text:
        raw_spans = [*verbatim_arguments(text), *((start, end) for start, end, _ in tex_math_segments(text))]
        text = _ENTITY.sub(lambda m: _entity_as_latex(m.group(0), any(a <= m.start() < b for a, b in raw_spans)), text)
    left = list(dict.fromkeys(m.group(2) for m in _TAG.finditer(text)))
    return text, text != value, left


def converted(value: str) -> list[str]:
    """What `markup_to_latex` rewrites in `value`, each once, as `&amp; as \\&` for a message."""
    faces, text = [], value
    while found := list(_FACE.finditer(text)):  # (nested faces: the inner first)
        faces += [f"<{m.group(1)}> as \\{FACE_COMMANDS[m.group(1).lower()]}{{}}" for m in found]
        text = _FACE.sub(lambda m: m.group(2), text)
    entities = (f"{m.group(0)} as {_entity_as_latex(m.group(0), False)}" for m in _ENTITY.finditer(value))
    escaped = ["\\&amp; as \\&"] if "\\&amp;" in value else []
    return list(dict.fromkeys([*faces, *entities, *escaped]))


def markup_text(value: str) -> str:
    """The text a reader sees: tags dropped (MathML's text kept), entities decoded. For matching a
    service's title with a paper's, and for a page's text of a field that kept MathML."""
    return " ".join(html.unescape(_TAG.sub("", value)).split())
