"""A user's CSL style checked before it is used: what citeproc-py would pass over without a word.

citeproc-py prints nothing for a variable CSL does not have (`<text variable="titel"/>`) or a date
part it does not know (`<date-part name="yeer"/>`), fails every citation on a macro the style
never defines, and falls back to English for a `default-locale` it has no terms for. The names are
checked against the CSL 1.0.2 schema that citeproc-py ships (its RELAX NG grammar lists every
variable and date part), and the style is validated against that schema (a few milliseconds), so
each problem is reported at its line, naming the style file and the unknown name.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..diagnostics import default_level
from ..model import Diagnostic

CODE = "citation-style-invalid"
_RNG = "{http://relaxng.org/ns/structure/1.0}"
# Attributes whose words are variables (cs:text, cs:number, cs:date, cs:names, cs:label, cs:key;
# the conditions of cs:if and cs:else-if)
_VARIABLE_ATTRIBUTES = ("variable", "is-numeric", "is-uncertain-date")


@lru_cache(maxsize=1)
def _schema() -> tuple[Any, frozenset[str], frozenset[str]]:
    """citeproc-py's CSL schema: the RELAX NG validator, the variables it lists, the date parts."""
    from citeproc import SCHEMA_PATH
    from lxml import etree  # type: ignore[import-untyped]  # (citeproc-py reads styles with it)

    tree = etree.parse(SCHEMA_PATH)
    variables = {value.text.strip() for define in tree.iter(f"{_RNG}define")
                 if define.get("name", "").startswith("variables") for value in define.iter(f"{_RNG}value")
                 if value.text}
    parts = {value.text.strip() for define in tree.iter(f"{_RNG}define") if define.get("name") in ("day", "month", "year")
             for value in define.iter(f"{_RNG}value") if value.text and define.get("name") == value.text.strip()}
    return etree.RelaxNG(tree), frozenset(variables), frozenset(parts)


def _locales() -> set[str]:
    from citeproc import LOCALES_PATH

    return {path.stem.removeprefix("locales-") for path in Path(LOCALES_PATH).glob("locales-*.xml")}


def _close(name: str, known: frozenset[str]) -> str:
    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.7)
    return f" (did you mean {found[0]!r}?)" if found else ""


def style_problems(path: Path, shown: str) -> tuple[Diagnostic, ...]:
    """The problems of the CSL file at `path` (named `shown` in the messages), each at its line."""
    from lxml import etree  # type: ignore[import-untyped]  # (citeproc-py reads styles with it)

    validator, variables, parts = _schema()
    try:
        tree = etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError):
        return ()  # (a file that cannot be read is an error when it is loaded)
    level = default_level(CODE)
    out: list[Diagnostic] = []

    def tell(element: Any, message: str) -> None:
        out.append(Diagnostic(shown, element.sourceline or 0, level, message, CODE))

    macros = {element.get("name") for element in tree.iter("{*}macro")}
    for element in tree.iter("{*}*"):
        tag = etree.QName(element).localname
        for attribute in _VARIABLE_ATTRIBUTES:
            for name in (element.get(attribute) or "").split():
                if name not in variables:
                    tell(element, f"<{tag} {attribute}=\"{element.get(attribute)}\">: {name!r} is not a CSL variable"
                                  f"{_close(name, variables)}; citeproc-py prints nothing for it")
        if tag == "date-part" and element.get("name") not in parts:
            name = element.get("name") or ""
            tell(element, f"<date-part name=\"{name}\">: {name!r} is not a CSL date part ({', '.join(sorted(parts))})"
                          f"{_close(name, parts)}; citeproc-py prints nothing for it")
        if tag in ("text", "key") and element.get("macro") and element.get("macro") not in macros:
            tell(element, f"<{tag} macro=\"{element.get('macro')}\">: the style defines no macro "
                          f"{element.get('macro')!r}{_close(element.get('macro'), frozenset(macros - {None}))}; "
                          "citeproc-py cannot format a citation that uses it")
    root = tree.getroot()
    locale = root.get("default-locale")
    if locale:
        known = _locales()
        if locale not in known and not any(k.split("-")[0] == locale for k in known):
            tell(root, f"default-locale {locale!r} is no locale citeproc-py has terms for: its dates and terms "
                       "are in English (en-US)")
    if not out and not validator.validate(tree):
        error = next(iter(validator.error_log), None)
        line = error.line if error is not None else 0
        out.append(Diagnostic(shown, line, level, "the style does not follow the CSL schema"
                              + (f" ({error.message})" if error is not None else "")
                              + "; citeproc-py may pass over what it cannot read", CODE))
    return tuple(sorted(out, key=lambda d: d.line))
