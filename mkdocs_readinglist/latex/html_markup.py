"""HTML in BibTeX values, as Crossref writes titles: a table of tags, not a LaTeX codec.

Crossref keeps titles as publishers deposit them, in JATS: `Q&amp;A`, `<i>In vivo</i>`,
`CO<sub>2</sub>`, MathML. Its BibTeX (doi.org content negotiation, doi2bib) and its REST API
pass that on, and LaTeX prints `Q\\&amp;A`, or stops. Entities are decoded by the standard
library (exact); the face tags become the LaTeX commands that set the same face; anything else
(MathML, unknown tags) is left as written and reported, since rewriting math needs a converter.
"""

from __future__ import annotations

import html
import re

# JATS / HTML face tags and the LaTeX that sets the same text
FACE_COMMANDS: dict[str, str] = {
    "i": "textit", "em": "emph", "italic": "textit", "b": "textbf", "strong": "textbf", "bold": "textbf",
    "sup": "textsuperscript", "sub": "textsubscript", "scp": "textsc", "sc": "textsc", "u": "underline",
    "tt": "texttt", "monospace": "texttt",
}
# What an entity may stand for that LaTeX reads as markup: written as LaTeX sets it
_SPECIAL_AS_LATEX = {"&": "\\&", "%": "\\%", "#": "\\#", "_": "\\_", "$": "\\$", "<": "\\textless{}",
                     ">": "\\textgreater{}", "\xa0": "~", "{": "\\{", "}": "\\}", "\\": "\\textbackslash{}"}
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# A tag as publishers write one: a name (with a namespace: `mml:mi`), attributes after a space
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*(?::[A-Za-z][A-Za-z0-9-]*)?)(\s[^<>]*)?(/?)>")
_FACE = re.compile(r"<(" + "|".join(FACE_COMMANDS) + r")>([^<>]*)</\1>", re.IGNORECASE)


def has_markup(value: str) -> bool:
    """Cheap test first: most values hold neither `&...;` nor a tag."""
    return ("&" in value and _ENTITY.search(value) is not None) or ("<" in value and _TAG.search(value) is not None)


def markup_to_latex(value: str) -> tuple[str, bool, list[str]]:
    """(the value with entities decoded and face tags as LaTeX commands, whether anything changed,
    the tags left as written: MathML and tags LaTeX has no face for)."""
    text = value
    while (faced := _FACE.sub(lambda m: f"\\{FACE_COMMANDS[m.group(1).lower()]}{{{m.group(2)}}}", text)) != text:
        text = faced  # (nested faces: <b><i>x</i></b>)
    if "&" in text:
        text = _ENTITY.sub(lambda m: "".join(_SPECIAL_AS_LATEX.get(c, c) for c in html.unescape(m.group(0))), text)
    left = list(dict.fromkeys(m.group(2) for m in _TAG.finditer(text)))
    return text, text != value, left


def converted(value: str) -> list[str]:
    """What `markup_to_latex` rewrites in `value`, each once, as `&amp; as \\&` for a message."""
    faces = (f"<{m.group(1)}> as \\{FACE_COMMANDS[m.group(1).lower()]}{{}}" for m in _FACE.finditer(value))
    entities = (f"{m.group(0)} as {''.join(_SPECIAL_AS_LATEX.get(c, c) for c in html.unescape(m.group(0)))}"
                for m in _ENTITY.finditer(value))
    return list(dict.fromkeys([*faces, *entities]))


def markup_text(value: str) -> str:
    """The text a reader sees: tags dropped (MathML's text kept), entities decoded. For matching a
    service's title with a paper's, never for writing LaTeX."""
    return " ".join(html.unescape(_TAG.sub("", value)).split())
