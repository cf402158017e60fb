"""Rules of CSL 1.0.2 that citeproc-py 0.11 does not follow, followed around it: while a style
renders (`citeproc_as_csl_says`), and on its output (`punctuation_in_quote`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

from .csl_item import AMP, ITALIC, UPRIGHT, is_others
from .syntax import locator_is_plural

SORTED_AS = "sorted-as"  # a name cited with what tells it apart ("A. Young"): the name it sorts as
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
      "Cao, Z." for "Cao, Zhe"; an initial the name has gets the mark: Google Scholar's `Kingma,
      Diederik P` is "Kingma, Diederik P." (it was "Diederik P,").
    - `is-numeric="locator"` tests the citation's locator; citeproc-py looked for it in the entry,
      so Chicago and APA dropped the label of a numeric chapter: `[@a, chap. 3]` gave "(A 2016, 3)".
      And is-numeric: "Numbers may have prefixes and suffixes ("D2", "2b", "L2d"), and may be
      separated by a comma, hyphen, or ampersand, with or without spaces ("2, 3", "2-4", "2 & 4")";
      citeproc-py took only one number as numeric, so a range lost its label: `[@a, chap. 2-3]` gave
      "(A 2016, 2–3)", now "(A 2016, chaps. 2–3)".
    - A cs:names without children in a cs:substitute "inherits the attributes values set on the
      cs:name and cs:et-al child elements of the original cs:names element", and the names it
      printed are suppressed in the rest of the output. citeproc-py does both only for a cs:names
      that is the substitute's own child; the bundled styles put the editor inside a cs:choose, so an
      editor-only book printed "E. Epsilon. 2010. The Edited Volume. Edited by Eve Epsilon." and
      the label "(E. Epsilon 2010)" (Pandoc: "Epsilon, Eve, ed. 2010. The Edited Volume.", "(Epsilon 2010)").
    - BibTeX's `and others` (kept by the item as a last name `others`) prints the style's "et al."
      after the names before it, as Pandoc's citeproc does: "(Upsilon et al. 2014)".
    - The items of a citation are sorted by the cs:citation's own cs:sort, else kept in the order
      written ("cs:sort ... in cs:citation ... specifies the order of cites within each citation";
      Pandoc's citeproc keeps them so). citeproc-py first sorted them by the references list's
      order: Chicago (no sort in its citation) showed `[@knuth1984; @abel2010]` as "(Abel 2010;
      Knuth 1984)". An item that carries `sort_as` (an author-suppressed stand-in) is sorted as
      the item of that key: APA sorted `-@abel2010` by its hidden author and put it last.
    - disambiguate-add-year-suffix: "By default the year-suffix is appended to the first year
      rendered through cs:date in the cite and in the bibliographic entry, but its location can be
      controlled by explicitly rendering the "year-suffix" variable using cs:text." citeproc-py
      printed it only where a style writes `<text variable="year-suffix"/>`: a style that leaves it
      implicit showed "(Doe and Smith 1999; Doe and Smith 1999)". Here a style without that text
      anywhere gets the letter after the first date each cite and entry renders.
    - cs:group "is suppressed if a) at least one rendering element in cs:group calls a variable
      (either directly or via a macro), and b) all variables that are called are empty". citeproc-py
      counted every variable of a cs:choose child, of all its branches, as called, and as rendered
      when the branch taken printed only a term: APA's thesis printed "My Thesis (Publication) [PhD
      thesis]" for an empty number. Here a cs:choose calls the variables of the branch it takes.
    - A cs:key's macro sorts by the text it renders, not by its markup: an entry without authors,
      which the style's sort macro substitutes its title for (`<i>Zeta</i>`), sorted before every
      name in Chicago's and APA's references and APA's citations; among them by its title, as Pandoc.
      Its names are the names alone, each family name first, in every macro it calls (citeproc-py
      lost the key's name options in a macro called from a macro, and kept the "and" or "&": "Smith,
      A., & Taylor, T." sorted before "Smith, A., Jones, B., ..." by the "&"; APA and Pandoc order
      by the second author).
    - The label of `number-of-volumes` is its term ("2 vols."): citeproc-py looked the count up in
      the citation item, not the entry, and failed, and its locale names the term "volume"; and
      cs:number read a hyphenated variable by its CSL name, which the entry does not use (APA's
      "Vols. 1–5" was "Vols.").
    - Title case capitalizes the lowercase parts of a hyphenated compound ("Higher-Dimensional",
      "2-Groups"), as Pandoc's citeproc does; citeproc-py left "Higher-dimensional" as it was.
    - A date range: "the date-parts that are the same are rendered once" (`_date_range`)."""
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
    names_process, name_process = model.Names.process, model.Name.process
    render_children, date_wrap = model.Layout.render_children, model.Date.wrap
    sort_keys = model.Key.sort_keys
    initialize = model.Name.initialize
    text_case = model.TextCased.case
    label_process = model.Label.process
    number_process = model.Number.process
    format_numbers = model.FormatNumber._process

    def numbers_listed_as_written(self: Any, value: Any, variable: Any) -> Any:
        text = str(value)
        if ";" not in text and " and " not in text:
            return format_numbers(self, value, variable)
        from citeproc.string import String, join

        # `1--5; 10--12`, `1--5 and 10`: each item formatted as a number or range, its separator kept
        # (citeproc-py splits at commas and ampersands only: "1-5; 10-12" was printed as written)
        parts = [String(part) if n % 2 else format_numbers(self, String(part), variable)
                 for n, part in enumerate(_LIST_SEPARATOR.split(text)) if n % 2 or part.strip()]
        return join(parts)

    def number_of_a_hyphenated_variable(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        variable = self.get("variable", "")
        if "-" in variable and variable not in ("page-first",):  # `number-of-volumes` is number_of_volumes
            return self._process(item.reference[variable.replace("-", "_")], variable)
        return number_process(self, item, context=context, **kwargs)

    def label_of_volumes(self: Any, item: Any, variable: Any = None, plural: Any = None, context: Any = None,
                         **kwargs: Any) -> Any:
        called = variable or self.get("variable")
        if variable is None and called not in ("locator", "number-of-volumes") \
                and not str(item.reference.get(str(called).replace("-", "_"), "") or "").strip():
            return None  # "Labels are only rendered when the selected variable is non-empty" (Chicago: "Edition.")
        if called == "locator" and plural is None and item.locator is not None:  # `pp. iv, vi-xi`: plural
            plural = locator_is_plural(str(item.locator.identifier).replace(AMP, "&"))  # (citeproc-py: digits only)
        if called != "number-of-volumes":
            return label_process(self, item, variable=variable, plural=plural, context=context, **kwargs)
        value = str(item.reference.get("number_of_volumes", "")).strip()
        many = plural if plural is not None else value.isdigit() and int(value) > 1
        form = self.get("form", "long")
        for term in ("number-of-volumes", "volume"):  # (CSL 1.0.2's term; a 1.0.1 locale has "volume")
            try:
                found = (self.get_plural_term if many else self.get_single_term)(
                    name=term, form=form if form != "long" else None)
            except Exception:  # (citeproc-py raises for a term its locale lacks)
                found = None
            if found:
                return found
        return None

    def case_with_compounds(self: Any, text: Any, language: Any = None) -> Any:
        cased = text_case(self, text, language)
        if self.get("text-case") == "title" and language == "en" and cased is not None:
            return _compounds_capitalized(cased, self._stop_words, text)
        return cased

    def initialize_as_csl_says(self: Any, given: Any, mark: str, context: Any) -> Any:
        if self.get("initialize") != "false":
            if all(word[:1].isupper() for word in str(given).replace("-", " ").replace(".", " ").split()):
                return initialize(self, given, mark, context)
            # A word that is no name to initialize (`Smith, 1st`, a particle): citeproc-py wrote the
            # mark before it and after it, alone (APA: "Smith, . 1st ."); Pandoc: "Smith, 1st."
            return _initialized_around(str(given), mark, bool(self.get_option("initialize-with-hyphen", context)))
        return _initials_marked(str(given), mark)

    def sort_keys_as_text(self: Any, items: Any, context: Any) -> Any:
        if "macro" not in self.attrib:
            return sort_keys(self, items, context)
        options = {"name-as-sort-order": "all"}  # (citeproc-py's, passed to the key's macro only)
        options.update({name.replace("names", "et-al"): self.get(name)
                        for name in ("names-min", "names-use-first", "names-use-last") if name in self.attrib})
        _SORTING.append(options)
        try:
            keys = sort_keys(self, items, context)
        finally:
            _SORTING.pop()
        return [None if key is None else _sort_text(str(key)) for key in keys]

    def choose_render_noting_branch(self: Any, item: Any, context: Any = None, delimiter: str = "",
                                    **kwargs: Any) -> Any:
        for child in self.getchildren():
            try:
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
            except model.ConditionFailed:
                continue
            _BRANCH[id(self)] = child
            return text
        _BRANCH[id(self)] = None
        return None

    def group_process_as_csl_says(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        output, called, rendered = [], False, False
        delimiter = self.get("delimiter", "")
        for child in self.iterchildren():
            chosen = isinstance(child, model.Choose)
            calls = child.calls_variable() if not chosen else False
            called = called or calls
            try:
                if chosen:
                    text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                    branch = _BRANCH.pop(id(child), None)
                    calls = branch is not None and branch.calls_variable()
                    called = called or calls
                else:
                    text = child.render(item, context=context, **kwargs)
                if text is not None:
                    output.append(text)
                    rendered = rendered or calls
            except model.VariableError:
                pass
        if output and (not called or rendered):
            return self.join(output)
        raise model.VariableError

    def layout_render_children(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        suffix = item.reference.get("year_suffix") if _implicit_year_suffix(self) else None
        _SUFFIX.append([str(suffix)] if suffix else [])
        try:
            return render_children(self, item, *args, **kwargs)
        finally:
            _SUFFIX.pop()

    def date_wrap_with_suffix(self: Any, string: Any) -> Any:
        if string is not None and _SUFFIX and _SUFFIX[-1]:
            string = string + _SUFFIX[-1].pop()  # the first date rendered only
        return date_wrap(self, string)

    def names_process_as_csl_says(self: Any, item: Any, names_context: Any = None, context: Any = None,
                                  **kwargs: Any) -> Any:
        if names_context is None:
            names_context = _inherited_from(self)
        layout = (context if context is not None else self).get_layout()
        repressed = [role for role in self.get("variable", "").split()
                     if role in layout.repressed.get(self.tag, ()) and role in item.reference]
        reference = item.reference
        # A name list a substitute printed already is not printed again
        shown = _ItemView(item, _without(reference, repressed)) if repressed else item
        text = names_process(self, shown, names_context=names_context, context=context, **kwargs)
        if text and _PRINTED:
            _PRINTED[-1].extend((self.tag, role) for role in self.get("variable", "").split()
                                if role in reference and role not in repressed)
        return text

    def name_process_as_csl_says(self: Any, item: Any, variable: str, context: Any = None,
                                 sort_options: Any = None, **kwargs: Any) -> Any:
        names = item.reference.get(variable) or []
        if not (isinstance(names, list) and len(names) > 1 and is_others(names[-1])):
            return name_process(self, item, variable, context=context, sort_options=sort_options, **kwargs)
        before = len(names) - 1  # `A and B and others`: the names, then "et al."
        minimum = name_option(self, "et-al-min", context, sort_options)
        first = name_option(self, "et-al-use-first", context, sort_options)
        if minimum and before >= int(minimum):  # the names alone are cut short: as the style says
            shown = {"et-al-min": int(minimum), "et-al-use-first": min(int(first or before), before)}
        else:  # all of them, then "et al."
            shown = {"et-al-min": before + 1, "et-al-use-first": before}
        _ET_AL.append({**shown, "et-al-use-last": False})
        try:
            return name_process(self, item, variable, context=context, sort_options=sort_options, **kwargs)
        finally:
            _ET_AL.pop()

    def locator_is_numeric(self: Any, item: Any) -> Any:
        results = is_numeric(self, item)
        names = self.get("is-numeric").split()
        for n, name in enumerate(names):
            if name == "locator":
                results[n] = getattr(item, "has_locator", False) and bool(_NUMERIC.match(str(item.locator.identifier)))
            elif results[n] is None or not results[n]:  # a range or list of numbers is numeric too
                value = item.reference.get(name.replace("-", "_"))
                results[n] = value is not None and bool(_NUMERIC.match(str(value)))
        return results

    def get_name_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if _SORTING:  # a sort key being rendered: the names alone, "Smith, A., Taylor, T." (no "& Taylor")
            if name == "and":
                return None
            if sort_options is None and name in _SORTING[-1]:
                sort_options = _SORTING[-1]
        if _ET_AL and name in _ET_AL[-1]:
            return _ET_AL[-1][name]
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

    # Each method replaced, and put back as it was afterwards (one table: none is left out of either)
    replaced = [
        (model.Substitute, "render", substitute_render), (model.Substitute, "add_to_repressed_list", add_to_repressed_list),
        (model.Text, "_variable", text_variable), (model.Name, "get_option", get_name_option),
        (model.If, "_is_numeric", locator_is_numeric), (model.Names, "process", names_process_as_csl_says),
        (model.Name, "process", name_process_as_csl_says), (model.Layout, "render_citation", _render_citation),
        (model.Layout, "render_children", layout_render_children), (model.Date, "wrap", date_wrap_with_suffix),
        (model.Choose, "render", choose_render_noting_branch), (model.Group, "process", group_process_as_csl_says),
        (model.Key, "sort_keys", sort_keys_as_text), (model.Name, "initialize", initialize_as_csl_says),
        (model.TextCased, "case", case_with_compounds), (model.Label, "process", label_of_volumes),
        (model.Number, "process", number_of_a_hyphenated_variable),
        (model.Date, "render_date_range", _date_range), (model.FormatNumber, "_process", numbers_listed_as_written)]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in replaced]
    for owner, name, method in replaced:
        setattr(owner, name, method)
    _PATCHED[0] = 1
    try:
        yield
    finally:
        for owner, name, method in originals:
            setattr(owner, name, method)
        _PATCHED[0] = 0


_LIST_SEPARATOR = re.compile(r"(\s*;\s+|\s*;(?=\S)|\s+and\s+)")
_DATE_PARTS = ("year", "month", "day")  # (largest first)


def _date_range(self: Any, date_range: Any, show_parts: Any = None, context: Any = None) -> Any:
    """cs:date of a range, as CSL 1.0.2 renders it: the parts the two dates share are rendered once,
    the parts from the largest one that differs down are rendered for each date, the range delimiter
    of that largest part between them: "May 23–25, 2020", "May–June 2019", "2019" (a range within a
    year that the style shows the year of only, and `2019/2019`). citeproc-py left the year out of a
    range within one year when the style shows no month ("(Au)"), and failed on a range of days
    (TypeError: every citation of the page was shown as its key)."""
    from citeproc import model
    from citeproc.source import VariableError

    begin, end = date_range.begin, date_range.get("end")
    if end is None or end.is_nil():  # an open range: "2020–"
        first = self.render_single_date(begin, list(show_parts or _DATE_PARTS), context)
        return None if first is None else first.rstrip() + "\u2013"
    shown = [name for name in _DATE_PARTS if name in (show_parts or _DATE_PARTS)]
    differing = next((name for name in shown if begin.get(name) != end.get(name)), None)
    if differing is None:  # (the same date twice, as far as the style shows it)
        return self.render_single_date(begin, shown, context)
    apart = set(shown[shown.index(differing):])
    style_context = context if self.is_locale_date() else self

    def rendered(part: Any, date: Any) -> Any:
        try:
            return part.render(date, context)
        except VariableError:
            return None

    out: list[Any] = []
    group: list[Any] = []  # (part, its text for the first date, for the last)
    delimiter = "\u2013"

    def flush() -> None:
        firsts = [first for _, first, _ in group if first is not None]
        lasts = [last for _, _, last in group if last is not None]
        if firsts and lasts:
            first, last = style_context.join(firsts), style_context.join(lasts)
            first = first.rstrip() if hasattr(first, "rstrip") else first
            last = last.lstrip() if hasattr(last, "lstrip") else last
            out.append(first + delimiter + last)
        elif firsts or lasts:
            out.append(style_context.join(firsts or lasts))
        group.clear()

    for part in self.iterchildren():
        if not isinstance(part, model.Date_Part) or part.get("name") not in shown:
            continue
        if part.get("name") in apart:
            group.append((part, rendered(part, begin), rendered(part, end)))
            if part.get("name") == differing:
                delimiter = part.get("range-delimiter", delimiter)
            continue
        if group:
            flush()
        out.append(rendered(part, begin))
    if group:
        flush()
    out = [text for text in out if text is not None]
    return style_context.join(out) if out else None


_COMPOUND_PART = re.compile(r"(?<=[^\W_][-/\u2013\u2014])([^\W\d_])([^\W\d_]*)|(?<=[“‘(\[" + ITALIC + r"])([^\W\d_])([^\W\d_]*)")
_BEFORE_SLASH = re.compile(r"(?<![:.?!]\s)(?<=\s)([^\W\d_]+)(?=/[^\W\d_])")
_OPENINGS = ("-", "“", "‘", "(", "[", "/", "\u2013", "\u2014", ITALIC)


def _compounds_capitalized(text: Any, stop_words: list[str], original: Any = None) -> Any:
    """`Higher-dimensional` -> `Higher-Dimensional`, `2-groups` -> `2-Groups` (`Digital-to-RF` stays):
    title case capitalizes each lowercase word of a hyphenated compound but the stop words, as
    Pandoc's citeproc cases the parts of a compound as words; citeproc-py took the compound for one
    word with a capital already, and left it. So too a word right after an opening quotation mark
    (`‘weapons’` -> `‘Weapons’`), parenthesis or bracket (`(mostly)` -> `(Mostly)`, `(the Hard Way)`)
    and the words a slash joins (`Input/output` -> `Input/Output`, `and/or` stays, as a stop word),
    which citeproc-py took for a word starting with the mark."""
    from citeproc.string import MixedString, NoCase, String

    def capitalized(found: re.Match[str]) -> str:
        word = found.group(0)
        return word if not word.islower() or word in stop_words else word[0].upper() + word[1:]

    def stop_word(found: re.Match[str]) -> str:  # (`And/or`: citeproc-py capitalized the compound)
        word = found.group(0)
        return word.lower() if word.lower() in stop_words and word[1:].islower() else word

    # The spans the original protected (`{...}`, math: citeproc-py's title case gives them back as
    # plain text, and `$O(n \log n)$` became `O(N log n)`): left as they are
    protected: list[tuple[int, int]] = []
    if isinstance(original, MixedString) and not isinstance(text, MixedString) \
            and len(str(text)) == sum(len(str(part)) for part in original):
        at = 0
        for part in original:
            if isinstance(part, NoCase):
                protected.append((at, at + len(str(part))))
            at += len(str(part))

    def free(found: re.Match[str], change: Any) -> str:
        # (a hyphen's compound is cased through a braced word that sentence case glued whole,
        # `{Pd-N}-Heterocyclic`, as Pandoc cases it; a mark's word inside braces or math is not)
        after_mark = found.start() > 0 and found.string[found.start() - 1] in "([/“‘"
        return found.group(0) if after_mark and any(a <= found.start() < b for a, b in protected) else str(change(found))

    def one(part: Any) -> Any:
        if isinstance(part, NoCase) or not isinstance(part, str) or not any(mark in part for mark in _OPENINGS):
            return part
        cased = _COMPOUND_PART.sub(lambda found: free(found, capitalized), str(part))
        return String(_BEFORE_SLASH.sub(lambda found: free(found, stop_word), cased))

    if isinstance(text, MixedString):
        return MixedString([one(part) for part in text])
    return one(text)


def _initialized_around(given: str, mark: str, hyphen: bool) -> str:
    """`1st` -> `1st.`, `Ludwig van` -> `L. van.`: each capitalized word of a given name as its
    initial and the mark, the words that are not kept as written (with the mark after the last)."""
    out = []
    for part in (given.split("-") if hyphen else [given.replace("-", " ")]):
        words = []
        for word in part.replace(".", " ").split():
            words.append(word[0] + mark.rstrip() if word[0].isupper() else word)
        text = " ".join(words)
        if words and not text.endswith(mark.rstrip()):
            text += mark.rstrip()
        out.append(text)
    return "-".join(out)


def _initials_marked(given: str, mark: str) -> str:
    """`Diederik P` -> `Diederik P.`, `J.R.R.` -> `J. R. R.`: with `initialize="false"` a given name
    stays whole, but "the value of initialize-with is still added after initials present in the full
    first name (e.g. with initialize-with set to ".", "James T Kirk" becomes "James T. Kirk")"."""
    words = []
    for word in given.split():
        letters = [piece for piece in word.split(".") if piece]
        if letters and all(len(letter) == 1 and letter.isupper() for letter in letters):
            words.append(mark.join(letters) + mark.rstrip())
        else:
            words.append(word)
    return " ".join(words)


_MARKUP = re.compile(r"<[^>]+>")
_LEADING_MARKS = "\"'“‘«„[(¿¡"


def _sort_text(key: str) -> str:
    """A macro's sort key as the text it prints, as CSL processors compare them: citeproc-py compared
    its HTML, so a title standing in for missing authors (`<i>Zeta</i>`, `“Zeta”`) sorted before every
    name, by the `<` or the quote mark."""
    import html
    import unicodedata

    text = html.unescape(_MARKUP.sub("", key)).replace(ITALIC, "").replace(UPRIGHT, "").lstrip(_LEADING_MARKS + " ")
    # (a letter's accents second, as Pandoc's Unicode collation orders them: "É. Smith" before "J. Smith")
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return f"{bare}\x00{text}" if bare != text else text


# CSL 1.0.2's numeric content: numbers (each with letters before or after it) separated by a comma,
# a hyphen (or the en dash it is printed as) or an ampersand, with or without spaces.
_NUMBER = r"[A-Za-z]*\d+[A-Za-z]*"
_NUMERIC = re.compile(rf"^\s*{_NUMBER}(?:\s*[,&{AMP}\-–]\s*{_NUMBER})*\s*$")  # (AMP: a `&` held as text)
_SUFFIX: list[list[str]] = []  # per cite or entry being rendered: the year suffix its first date still owes
_EXPLICIT: dict[tuple[str, int], bool] = {}  # a loaded style -> it renders `<text variable="year-suffix"/>` itself


def _implicit_year_suffix(layout: Any) -> bool:
    """The style never writes `<text variable="year-suffix"/>` (in its citation, its bibliography or
    a macro): the suffix then goes after the first date, as CSL 1.0.2 says."""
    root = layout.get_root()
    name = (str(getattr(root, "base", "")), id(root))  # (loaded styles are kept: see csl.load_style)
    if name not in _EXPLICIT:
        _EXPLICIT[name] = bool(root.xpath(".//*[local-name()='text'][@variable='year-suffix']"))
    return not _EXPLICIT[name]


def _render_citation(self: Any, citation: Any, callback: Any) -> Any:
    """citeproc-py's `Layout.render_citation` (0.11), without its first sort by the references
    list's order: the written order, then the citation's own cs:sort (stable, so items its keys
    do not tell apart keep the written order). As Pandoc's citeproc sorts, a prefix begins a group
    of items and a suffix ends one, and each group is sorted apart, so an affix stays with its item.
    A cite of no reference (`callback` renders it) keeps its place, where citeproc-py put it last.
    `collapse="citation-number"` (which citeproc-py does not do) collapses three or more
    consecutive numbers without affixes or locators into a range: "[1–3, 5]"."""
    from citeproc.source import VariableError

    parent = self.getparent()
    ordered: list[Any] = []
    group: list[Any] = []
    for cite in citation.cites:
        if group and (group[-1].get("affix_after") or cite.get("affix_before")):
            ordered += _sorted(parent.sort, group, citation, self)
            group = []
        group.append(cite)
    ordered += _sorted(parent.sort, group, citation, self)
    out: list[tuple[Any, str]] = []
    by_year = parent.get("collapse", "") in ("year", "year-suffix", "year-suffix-ranged")
    parts: list[tuple[str, str] | None] = []  # per cite in `out`: (its names, the rest), when it may be grouped
    for item in ordered:
        if item.is_bad():
            out.append((None, callback(item) or f"{item.key}?"))
            parts.append(None)
            continue
        self.repressed = {}
        prefix, suffix = item.get("prefix", ""), item.get("suffix", "")
        try:
            output = self.render_children(item)
        except VariableError:
            continue
        if output is not None:
            out.append((item, prefix + output + suffix))
            parent.cites.append(item)
            affixed = item.get("affix_before") or item.get("affix_after")
            parts.append((str(output), "") if by_year and not affixed else None)
    if parent.get("collapse") == "citation-number":
        out = _collapsed(out)
    if by_year and sum(part is not None for part in parts) > 1:
        # (the names of each cite that may be grouped, found only in a citation of two or more)
        parts = [None if part is None else _names_apart(self, item, part[0]) for (item, _), part in zip(out, parts,
                                                                                                      strict=True)]
    if by_year and sum(part is not None for part in parts) > 1:
        return self.format(self.wrap(self.join(_grouped(out, parts, parent))))
    return self.format(self.wrap(self.join([text for _, text in out])))


_NAMES_MARK = "\ue00a"  # stands for the names while a cite is rendered to find them


def _names_apart(layout: Any, item: Any, output: str) -> tuple[str, str] | None:
    """A cite's rendered names and what follows them (`Knuth 1984, 5` -> (`Knuth`, `1984, 5`)),
    found by rendering it again with a stand-in for its names; None when they are not at its start."""
    from citeproc.source import Name, Reference, VariableError

    source = item.bibliography.source
    reference = source[item.key]
    fields = {name: value for name, value in reference.items() if name not in ("key", "type", "author")}
    source[item.key] = Reference(reference.key, reference.type, author=[Name(family=_NAMES_MARK)], **fields)
    try:
        layout.repressed = {}
        marked = layout.render_children(item)
    except VariableError:
        return None
    finally:
        source[item.key] = reference
        layout.repressed = {}
    marked = str(marked) if marked is not None else ""
    at = marked.find(_NAMES_MARK)
    if at != 0 or marked.count(_NAMES_MARK) != 1:
        return None
    rest = marked[len(_NAMES_MARK):]
    if not output.endswith(rest) or len(output) == len(rest):
        return None
    names = output[:len(output) - len(rest)]
    return names, re.sub(r"^[,.:;]?\s*", "", rest)


def _names_written(item: Any) -> tuple[str, ...]:
    """The names a cite's item has as its authors (else editors), as the entry writes them."""
    if item is None:
        return ()
    for role in ("author", "editor"):
        names = item.reference.get(role)
        if isinstance(names, list) and names:
            return tuple("|".join(str(name.get(part) or "") for part in
                                  ("given", "dropping-particle", "non-dropping-particle", "family", "suffix"))
                         for name in (name.get(SORTED_AS, name) for name in names))
    return ()


def _grouped(out: list[tuple[Any, str]], parts: list[tuple[str, str] | None], parent: Any) -> list[str]:
    """CSL 1.0.2's cite grouping and `collapse="year"`: cites whose names render alike go together
    where the first of them is, and each after the first shows without the names, `cite-group-delimiter`
    (", ") between them: "(Kim 2019, 2020a; Lee 2018)". As Pandoc's citeproc: a cite with a prefix
    or a suffix stays apart, and a cite with a locator is set off by the citation's delimiter
    ("Knuth 1984, 5; 1986a")."""
    group_delimiter = parent.get("cite-group-delimiter", ", ")
    delimiter = parent.find("{*}layout").get("delimiter", "") if parent.find("{*}layout") is not None else ""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    order: list[list[int]] = []
    for n, part in enumerate(parts):
        plain_names = re.sub(r"<[^>]+>|[\ue000-\ue0ff]", "", part[0]).strip() if part else None
        # (and the same names: John and Jane Smith, both "Smith" in APA, are two people, as are
        # "Knuth, Donald E." and "Knuth, D. E."; Pandoc groups neither)
        # (only the names the cite shows: "Vaswani et al." of two papers with other coauthors is one
        # group, as Pandoc prints "(Vaswani et al. 2017, 2018)")
        shown = tuple(name for name in _names_written(out[n][0])
                      if re.search(rf"(?<!\w){re.escape(name.split('|')[3])}(?!\w)", plain_names or ""))
        group = (plain_names or "", shown)
        if plain_names and group in groups:
            groups[group].append(n)
            continue
        members = [n]
        if plain_names:
            groups[group] = members
        order.append(members)
    texts: list[str] = []
    for members in order:
        text = out[members[0]][1]
        for before, n in pairwise(members):
            item, _ = out[n]
            rest = parts[n][1]  # type: ignore[index]
            shown = item.get("prefix", "") + rest + item.get("suffix", "")
            apart = "locator" in out[before][0] or "locator" in item
            text += (delimiter if apart else group_delimiter) + shown
        texts.append(text)
    return texts


def _sorted(sort: Any, cites: list[Any], citation: Any, layout: Any) -> list[Any]:
    """`cites` by the citation's cs:sort (an item with `sort_as` as the item of that key), each cite of
    no reference in its place; as they are without a sort."""
    from citeproc import CitationItem

    good = [cite for cite in cites if not cite.is_bad()]
    if sort is None or len(good) < 2:
        return cites
    stand_ins = []
    for cite in good:
        stand_in = cite
        if "sort_as" in cite:
            stand_in = CitationItem(cite["sort_as"], **{k: cite[k] for k in ("locator",) if k in cite})
            stand_in["citation"] = citation
        stand_ins.append(stand_in)
    order = {id(stand_in): n for n, stand_in in enumerate(stand_ins)}
    # A namesake's first author, cited with initials ("A. Young"), sorts by the name itself ("Young, Ann"):
    # APA put "(A. Young, 2020; B. Young, 2021; Xavier, 2020)"; Pandoc "(Xavier, 2020; A. Young, 2020; ...)"
    swapped: list[tuple[Any, Any]] = []
    for stand_in in stand_ins:
        reference = stand_in.reference
        names = reference.get("author")
        if isinstance(names, list) and names and SORTED_AS in names[0]:
            swapped.append((reference, names))
            reference["author"] = [names[0][SORTED_AS], *names[1:]]
    try:
        good = [good[order[id(stand_in)]] for stand_in in sort.sort(stand_ins, layout)]
    finally:
        for reference, names in reversed(swapped):
            reference["author"] = names
    slots = [n for n, cite in enumerate(cites) if not cite.is_bad()]
    placed = list(cites)
    for slot, item in zip(slots, good, strict=True):
        placed[slot] = item
    return placed


def _collapsed(out: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """Runs of three or more consecutive citation numbers (items with no affix or locator) as one
    range, its first and last item's text around an en dash."""
    def number(item: Any) -> int | None:
        if item is None or item.get("affix_before") or item.get("affix_after") or "locator" in item:
            return None
        try:
            return int(item.number)
        except Exception:
            return None

    result: list[tuple[Any, str]] = []
    run: list[tuple[Any, str]] = []

    def flush() -> None:
        if len(run) >= 3:
            result.append((None, f"{run[0][1]}\u2013{run[-1][1]}"))
        else:
            result.extend(run)
        run.clear()

    for item, text in out:
        current = number(item)
        if current is not None and run and number(run[-1][0]) == current - 1:
            run.append((item, text))
            continue
        flush()
        if current is not None:
            run.append((item, text))
        else:
            result.append((item, text))
    flush()
    return result


_SORTING: list[dict[str, str]] = []  # the name options of the sort key being rendered
_BRANCH: dict[int, Any] = {}  # a cs:choose being rendered -> the branch it took (None: none)
_ET_AL: list[dict[str, Any]] = []  # et-al options of the name list being rendered (one ending in `others`)


def _inherited_from(names: Any) -> Any:
    """A cs:names with no cs:name of its own (or only the one citeproc-py inserted) inside a
    cs:substitute: the substitute's cs:names, whose cs:name and cs:label it inherits; else None."""
    for child in names.iterchildren():
        if isinstance(child.tag, str) and (child.attrib or not child.tag.endswith("}name")):
            return None
    found = names.xpath("ancestor::*[local-name()='substitute'][1]/parent::*[local-name()='names'][1]")
    return found[0] if found else None


class _ItemView:
    """A citation item whose reference lacks some names (citeproc-py's `reference` is a property)."""

    def __init__(self, item: Any, reference: Any) -> None:
        self.__dict__["_item"], self.__dict__["reference"] = item, reference

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_item"], name)

    def __contains__(self, name: object) -> bool:
        return name in self.__dict__["_item"]

    def __getitem__(self, name: str) -> Any:
        return self.__dict__["_item"][name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.__dict__["_item"].get(name, default)


def _without(reference: Any, roles: list[str]) -> Any:
    from citeproc.source import Reference

    fields = {name: value for name, value in reference.items() if name not in ("key", "type", *roles)}
    return Reference(reference.key, reference.type, **fields)


_OUTSIDE_QUOTE = re.compile(r"([.?!]?)”([.,])")


# `'` after a letter (O'Neil, Students', a closing mark) or before a year ('90s): ’; before a word
# otherwise, and TeX's opening `` ` ``: ‘ (as LaTeX sets `` `single' `` and Pandoc prints 'n')
_APOSTROPHE = re.compile(r"(?<=[^\W_])'|'(?=\d)|(?<= )'(?=n' )")  # (`rock 'n' roll`: two apostrophes)
_OPENING = re.compile(r"(?<![^\W_])['`](?=[^\W\d_])")
_URL_OR_TAG = re.compile(r"<[^>]*>|https?://[^\s<]+|\b10\.\d{4,9}/[^\s<]+")  # (and a DOI: `10.1000/o'neil`)


def typography(text: str) -> str:
    """Apostrophes and quotation marks as Pandoc's citeproc prints them: `O'Neil`, `Don't` ->
    `O’Neil`, `Don’t` (what LaTeX prints for `'` too), and a quotation inside a quoted title in
    single marks (Chicago: “The ‘Weapons’ of Math”). Tags, web addresses and DOIs are left as written."""
    if "'" not in text and "`" not in text and text.count("“") < 2:
        return text
    out: list[str] = []
    depth, last = 0, 0

    def prose(part: str) -> str:
        nonlocal depth
        part = _OPENING.sub("‘", _APOSTROPHE.sub("’", part))
        if "“" not in part and "”" not in part:
            return part
        chars = []
        for char in part:
            if char == "“":
                depth += 1
                chars.append("‘" if depth % 2 == 0 else char)
            elif char == "”" and depth:
                chars.append("’" if depth % 2 == 0 else char)
                depth -= 1
            else:
                chars.append(char)
        return "".join(chars)

    for found in _URL_OR_TAG.finditer(text):
        out += [prose(text[last:found.start()]), found.group()]
        last = found.end()
    out.append(prose(text[last:]))
    return "".join(out)


_ADDRESS = re.compile(r"https?://[^\s<\"]+")
_MARK_THEN_PERIOD = re.compile(r"([?!])((?:</[a-z]+>|[”’])*)[.,]")


def no_period_after_a_mark(text: str) -> str:
    """`Why not?.` -> `Why not?`: a title that ends in `?` or `!` takes no period or comma after it
    (APA's "Why not?. J." and "Try more!.", IEEE's "“Is it really?”, J"), as Pandoc's citeproc prints
    it; also across the closing tag of an italic title (`<i>Why Not?</i>.`) or a closing quote."""
    if "?" not in text and "!" not in text:
        return text
    addresses = [found.span() for found in _ADDRESS.finditer(text)]

    def kept(found: re.Match[str]) -> str:
        if any(start <= found.start() < end for start, end in addresses):  # (`?` of a web address)
            return found.group(0)
        return found.group(1) + found.group(2)

    return _MARK_THEN_PERIOD.sub(kept, text)


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
