"""Rules of CSL 1.0.2 that citeproc-py 0.11 does not follow, followed around it: while a style
renders (`citeproc_as_csl_says`), and on its output (`punctuation_in_quote`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_PRINTED: list[list[tuple[str, str]]] = []  # per substitute being rendered: the variables it printed
_PATCHED: list[int] = [0]


@contextmanager
def citeproc_as_csl_says() -> Iterator[None]:
    """Two rules of CSL 1.0.2 that citeproc-py 0.11 does not follow, followed while a style renders
    here (citeproc-py is left as it was afterwards):

    - cs:substitute: "Substituted variables are suppressed in the rest of the output to prevent
      duplication." citeproc-py suppresses one only when the substitute names it directly
      (`<text variable="title"/>`); the bundled styles substitute the title for missing authors
      through a macro, so a paper without authors, as most scraped papers are, showed its title twice.
    - cs:name `initialize="false"`: given names are not initialized (`initialize-with` then only
      formats initials the data already has). citeproc-py initialized them all: Chicago printed
      "Cao, Z." for "Cao, Zhe".
    - `is-numeric="locator"` tests the citation's locator; citeproc-py looked for it in the entry,
      so Chicago and APA dropped the label of a numeric chapter: `[@a, chap. 3]` gave "(A 2016, 3)"."""
    from citeproc import model

    if _PATCHED[0]:
        _PATCHED[0] += 1
        try:
            yield
        finally:
            _PATCHED[0] -= 1
        return
    render, add, variable = model.Substitute.render, model.Substitute.add_to_repressed_list, model.Text._variable
    name_option = model.Name.get_option
    is_numeric = model.If._is_numeric

    def locator_is_numeric(self: Any, item: Any) -> Any:
        results = is_numeric(self, item)
        names = self.get("is-numeric").split()
        if "locator" in names and getattr(item, "has_locator", False):
            results[names.index("locator")] = bool(self.re_numeric.match(str(item.locator.identifier)))
        return results

    def get_name_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return name_option(self, name, context, sort_options)

    def substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        _PRINTED.append([])
        try:
            return render(self, item, context=context, **kwargs)
        finally:
            _PRINTED.pop()

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        add(self, child, context)
        repressed = context.get_layout().repressed
        for tag, name in _PRINTED[-1] if _PRINTED else ():
            repressed.setdefault(tag, []).append(name)

    def text_variable(self: Any, item: Any, context: Any) -> Any:
        text = variable(self, item, context)
        if text and _PRINTED:
            _PRINTED[-1].append((self.tag, self.get("variable")))
        return text

    model.Substitute.render, model.Substitute.add_to_repressed_list = substitute_render, add_to_repressed_list
    model.Text._variable, model.Name.get_option = text_variable, get_name_option
    model.If._is_numeric = locator_is_numeric
    _PATCHED[0] = 1
    try:
        yield
    finally:
        model.Substitute.render, model.Substitute.add_to_repressed_list, model.Text._variable = render, add, variable
        model.Name.get_option, model.If._is_numeric = name_option, is_numeric
        _PATCHED[0] = 0


_OUTSIDE_QUOTE = re.compile(r"([.?!]?)”([.,])")


def punctuation_in_quote(text: str) -> str:
    """`“Title”.` -> `“Title.”`: American usage, which the locale of the bundled styles asks for
    (`punctuation-in-quote`) and citeproc-py does not apply; a title that ends in `?` or `!` keeps
    its own mark and drops the period (`“Who Needs Labels?”`)."""
    def moved(found: re.Match[str]) -> str:
        own, after = found.group(1), found.group(2)
        if not own:
            return f"{after}”"
        return f"{own}”" if after == "." else found.group(0)

    return _OUTSIDE_QUOTE.sub(moved, text) if "”" in text else text
