"""BibTeX's `and others` in pybtex's styles: "et al.", as the styles' own .bst files print it.

pybtex's Python styles join every person alike, so `Smith, A. and others` came out
"A. Smith and others", a co-author named "others". plain.bst and its kin print "A. Smith et al."
and, for more names, "A. Smith, B. Jones, et al.". Only the joining changes: each name is still
formatted by the style's own name style."""

from __future__ import annotations

from typing import Any

from pybtex.style.template import FieldIsMissing, join, node, sentence


def _is_others(person: Any) -> bool:
    return str(person).lower() == "others"


@node
def _names_et_al(children: Any, context: dict[str, Any], role: str, **kwargs: Any) -> Any:
    """pybtex's `names` template, with a last `others` printed the .bst way."""
    try:
        persons = context["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, context["entry"]) from None
    style = context["style"]
    named = [style.format_name(person, style.abbreviate_names) for person in persons if not _is_others(person)]
    if not persons or not _is_others(persons[-1]) or not named:
        return join(**kwargs)[named].format_data(context)
    listed = join(sep=", ")[named].format_data(context)
    return join[listed, ", et al." if len(named) > 1 else " et al."].format_data(context)


class EtAlNames:
    """Mixed in before a pybtex style class: its `format_names` prints `others` as "et al."."""

    def format_names(self, role: str, as_sentence: bool = True) -> Any:
        formatted = _names_et_al(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted


def with_et_al(style_class: type) -> type:
    """`style_class` printing BibTeX's `and others` as its .bst file does."""
    return type(style_class.__name__, (EtAlNames, style_class), {})
