"""Scraped text that carries bits of LaTeX, turned into Unicode text.

Listings copied from arXiv or Hugging Face keep fragments of their authors' LaTeX
(`\\&`, `\\textbf{..}`, `\\eg`, `\\(\\leftrightarrow\\)`). The model holds plain Unicode
text with inline math kept as `\\( .. \\)`, so each renderer can show or encode it once.
The LaTeX itself is read by pylatexenc, never by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from ..memo import TextCache, text_cache
from ..text import any_of, brace_problem
from .defined import DEFINED, LOGO_SPELLINGS, LOGOS, NOT_PRINTED, PRINT_NOTHING

_NEEDS_DECODING = re.compile(r"[\\{}$]")
MATH_SEGMENT = re.compile(
    r"\\\((?P<a>.+?)\\\)|\\\[(?P<b>.+?)\\\]|\$\$(?P<c>[^$]+?)\$\$|"
    r"(?<![\\$])\$(?P<d>[^\s$](?:[^$\n]*?[^\s\\$])?)\$(?!\d)"
)
# Where a math segment may start; the end is found with str.find, so that many unclosed
# `\(` (a 100,000-character line of them) cost linear time, not quadratic.
_MATH_OPEN = re.compile(r"\\\(|\\\[|\$\$|(?<![\\$])\$")
# Pandoc's rule for `$` math in prose: no space just inside either `$`, no digit right after
# the closing one, so "costs $5 and $6" stays two prices.
_DOLLAR_MATH = re.compile(r"(?<![\\$])\$(?P<d>[^\s$](?:[^$\n]*?[^\s\\$])?)\$(?!\d)")


def math_segments(text: str) -> list[tuple[int, int, str]]:
    """(start, end, math) of each math segment, exactly as MATH_SEGMENT finds them, in linear time."""
    found: list[tuple[int, int, str]] = []
    if "$" not in text and "\\(" not in text and "\\[" not in text:  # no opening: searched in C
        return found
    no_closer_before: dict[str, int] = {}  # delimiter -> no closer of it before this offset
    position = 0
    while (opening := _MATH_OPEN.search(text, position)) is not None:
        start, kind = opening.start(), opening.group(0)
        end, inner = -1, ""
        if kind in ("\\(", "\\["):  # `.+?`: at least one character, on the same line
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            if no_closer_before.get(kind, -1) < line_end:
                close_at = text.find("\\)" if kind == "\\(" else "\\]", start + 3, line_end)
                if close_at < 0:
                    no_closer_before[kind] = line_end
                else:
                    end, inner = close_at + 2, text[start + 2 : close_at]
        elif kind == "$$":  # `[^$]+?` up to the next `$$`
            if no_closer_before.get(kind, -1) < len(text):
                close_at = text.find("$$", start + 3)
                if close_at < 0:
                    no_closer_before[kind] = len(text)
                elif "$" not in text[start + 2 : close_at]:
                    end, inner = close_at + 2, text[start + 2 : close_at]
        elif (single := _DOLLAR_MATH.match(text, start)) is not None:
            end, inner = single.end(), single.group("d")
        if end < 0:
            position = start + 1
        else:
            found.append((start, end, inner))
            position = end
    return found


# Patterns of a character not escaped (no backslash right before it) are written with the
# character first and the look behind after it (`\$(?<!\\\$)`, not `(?<!\\)\$`): the same
# matches, but the regular expression engine then skips ahead to the character in C
# instead of trying the look behind at every position (a third of reading an abstract).
_MACRO = re.compile(r"\\(?<!\\\\)([A-Za-z]+)")
# Characters that are literal in scraped prose but special to LaTeX.
_OVERESCAPED = re.compile(r"\\\\([&%#_$])")
_BARE_DOLLAR = re.compile(r"\$(?<!\\\$)")  # math is cut out before: a `$` left is a dollar sign
_LITERAL_SPECIALS = re.compile(r"([%&#])(?<!\\[%&#])")
_ABBREVIATIONS = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "vs": "vs.", "wrt": "w.r.t.",
                  "etc": "etc.", "cf": "cf."}
# Dashes some .bib files write as macros of their own (Beebe's `\emdash`): TeX's dashes, the space
# a control word ends with taken with it.
_DASHES = {"emdash": "\u2014", "endash": "\u2013"}
_DASH_MACRO = re.compile(r"\\(emdash|endash)(?![A-Za-z])[ \t]?")


def _comma_below(node, l2tobj):  # type: ignore[no-untyped-def]
    """`\\textcommabelow{S}` (T1's Romanian Ș, as the export writes it): the letter and a comma below."""
    args = node.nodeargd.argnlist if node.nodeargd else []
    letter = l2tobj.nodelist_to_text([args[-1]]) if args and args[-1] is not None else ""
    return unicodedata.normalize("NFC", letter + "\u0326") if letter else ""


def _context_db():  # type: ignore[no-untyped-def]
    db = get_default_latex_context_db().filter_context(keep_categories=None)
    db.add_context_category(
        "readinglist",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=text) for name, text in _ABBREVIATIONS.items()]
        + [MacroTextSpec("url", simplify_repl="%(1)s"), MacroTextSpec("nolinkurl", simplify_repl="%(1)s"),
           MacroTextSpec("href", simplify_repl="%(2)s (%(1)s)"),  # the text a link shows, and where it goes
           MacroTextSpec("textcommabelow", simplify_repl=_comma_below)],
    )
    return db


_DB = _context_db()
_TO_TEXT = LatexNodes2Text(latex_context=_DB, math_mode="verbatim", strict_latex_spaces=False)
_MATH_TO_TEXT = LatexNodes2Text(latex_context=_DB, math_mode="text", strict_latex_spaces=False)
# The parser's macro table (which arguments a macro takes), built once: LatexNodes2Text.latex_to_text
# builds it again for every text it reads, which was over half the cost of reading a short one.
_PARSE_DB = latexwalker.get_default_latex_context_db()
_PARSE_DB.add_context_category("readinglist", prepend=True, macros=[  # hyperref's, which pylatexenc does not know
    macrospec.MacroSpec("href", "{{"), macrospec.MacroSpec("nolinkurl", "{"), macrospec.MacroSpec("textcommabelow", "{")])


def _to_text(converter: LatexNodes2Text, latex: str) -> str:
    """`converter.latex_to_text(latex)`, with the parser's macro table built once."""
    nodes = latexwalker.LatexWalker(latex, latex_context=_PARSE_DB).get_latex_nodes()[0]
    return converter.nodelist_to_text(nodes)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    problems: tuple[tuple[str, str], ...] = ()  # (code, message)


def _brace_balance_problem(text: str) -> str | None:
    problem = brace_problem(text)
    if problem is None:
        return None
    return "unbalanced braces: a '}' closes nothing" if problem == "closes nothing" \
        else "unbalanced braces: a '{' is never closed"


def undefined_macros(text: str) -> list[str]:
    """Macros of a text that LaTeX itself does not define (`\\eg`, `\\aus`), in order, once each."""
    if "\\" not in text:
        return []
    return list(dict.fromkeys(name for name in _MACRO.findall(text)
                              if name in _ABBREVIATIONS or name in LOGO_SPELLINGS
                              or (_DB.get_macro_spec(name) is None and name not in DEFINED)))


# In LaTeX source (a .bib value) TeX's rule holds, not Pandoc's: any two unescaped `$` make math,
# spaces inside or not (`$ \\Omega $`). Only a `$` left without its pair would stop LaTeX.
_TEX_MATH_MARK = re.compile(r"\\[()\[\]]|\$\$|\$(?<!\\\$)")
_CLOSER = {"\\(": "\\)", "\\[": "\\]", "$$": "$$", "$": "$"}


def tex_math_segments(text: str) -> list[tuple[int, int, str]]:
    """(start, end, math) of each math segment of LaTeX source, by TeX's rule: each opener is
    closed by the next closer of its kind (one pass over the marks: linear on any text)."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return []
    found: list[tuple[int, int, str]] = []
    opener, start = "", 0
    for mark in _TEX_MATH_MARK.finditer(text):
        token, at = mark.group(), mark.start()
        if not opener:
            if token in _CLOSER:
                opener, start = token, at
        elif token == _CLOSER[opener]:
            found.append((start, mark.end(), text[start + len(opener):at]))
            opener = ""
        elif opener == "$" and token == "$$":  # `$x$$y$`: the first `$` closes, the second opens
            found.append((start, at + 1, text[start + 1:at]))
            start = at + 1
    return found


# The url package's commands (hyperref's `\\href` and `\\nolinkurl` too) whose argument is a URL
# read verbatim: `_ & ~ # %20` inside it are the address's own characters, printed as written.
_URL_COMMAND = re.compile(r"\\(url|href|nolinkurl|path)\s*\{")


def verbatim_arguments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside the braces of each URL argument (`\\url{...}`, the first of
    `\\href{...}{text}`): the url package reads it verbatim, so nothing in it is escaped or
    repaired. An argument whose braces never close is none (LaTeX would not read it either)."""
    if "\\" not in text or (("url" not in text) and ("href" not in text) and ("path" not in text)):
        return []
    spans: list[tuple[int, int]] = []
    position = 0
    while (found := _URL_COMMAND.search(text, position)) is not None:
        if found.start() and text[found.start() - 1] == "\\":  # `\\\\url`: a line break, then the word
            position = found.end()
            continue
        depth, index = 1, found.end()
        while index < len(text) and depth:
            char = text[index]
            if char == "\\":
                index += 2
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            index += 1
        if depth:
            break
        spans.append((found.end(), index - 1))
        position = index
    return spans


def _masked(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """`text` with each span replaced by a placeholder of letters (kept by every repair), and the spans' texts."""
    pieces: list[str] = []
    kept: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(f"{_PLACEHOLDER}{len(kept)}x")
        kept.append(text[start:end])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), kept


_PLACEHOLDER = "zzreadinglistverbatim"
_PLACEHOLDER_FOUND = re.compile(_PLACEHOLDER + r"(\d+)x")


def _unmasked(text: str, kept: list[str]) -> str:
    return _PLACEHOLDER_FOUND.sub(lambda found: kept[int(found.group(1))], text) if kept else text


_URL_LITERAL = re.compile(r"\\([%#&_$~])|([\\{}%#&_$^~])")
_AS_LATEX = {"~": "\\textasciitilde{}", "^": "\\textasciicircum{}", "\\": "\\textbackslash{}",
             "{": "\\{", "}": "\\}"}


def _with_escaped_arguments(text: str, spans: list[tuple[int, int]]) -> str:
    """A text whose URL arguments are written so that LaTeX prose prints them as the url package
    does (each character as itself; an escaped `\\%` as `%`, as hyperref prints it)."""
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(_URL_LITERAL.sub(lambda found: _AS_LATEX.get(char := found.group(1) or found.group(2),
                                                                    f"\\{char}"), text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def without_verbatim(text: str) -> str:
    """A .bib value with the URL arguments (`verbatim_arguments`) left empty: the text in which
    LaTeX's specials mean what they mean to LaTeX."""
    spans = verbatim_arguments(text)
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def repair_latex(text: str, keep: Container[str] = ()) -> str:
    """A .bib value's LaTeX with what would stop LaTeX repaired and nothing else changed: an
    undefined macro replaced by its text (`\\eg` by `e.g.`, `\\foo` by `foo`; macros in `keep`
    stay), an unescaped `& % # _ $` escaped and a `^` outside math written `\\^{}`. Math stays, and
    so does a URL argument (`\\url{a_b}`, `\\href{a_b}{..}`: `verbatim_arguments`)."""
    text, kept = _masked(text, verbatim_arguments(text))
    pieces: list[str] = []
    last = 0
    for start, end, _ in tex_math_segments(text):
        pieces.append(_repair_prose(text[last:start], keep))
        pieces.append(text[start:end])
        last = end
    pieces.append(_repair_prose(text[last:], keep))
    return _unmasked("".join(pieces), kept)


_UNESCAPED_SPECIAL = re.compile(r"([&%#_$])(?<!\\[&%#_$])")
_UNESCAPED_CARET = re.compile(r"\^(?<!\\\^)")


def _repair_prose(text: str, keep: Container[str]) -> str:
    if not text:
        return text

    def macro(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in keep:
            return match.group(0)
        if name in LOGO_SPELLINGS:  # a logo LaTeX does not define: what it prints, in LaTeX's own logos
            return LOGO_SPELLINGS[name]
        if name in DEFINED or (name not in _ABBREVIATIONS and _DB.get_macro_spec(name) is not None):
            return match.group(0)
        if name not in _ABBREVIATIONS and text[match.end() : match.end() + 1] == "{":
            return ""  # `\titleref{Meisterbuch}`: its argument, in its braces, not `titleref{...}`
        shown = _ABBREVIATIONS.get(name, name)
        if shown.endswith(".") and text[match.end() : match.end() + 1] == ".":
            shown = shown[:-1]
        # `Typesetting\foo An`: the word it stood for, not glued to the word before it
        return f" {shown}" if shown[:1].isalpha() and text[match.start() - 1 : match.start()].isalpha() else shown

    if "\\" in text:
        text = _DASH_MACRO.sub(lambda found: found.group(0) if found.group(1) in keep else
                               ("---" if found.group(1) == "emdash" else "--"), text)
        text = _MACRO.sub(macro, text)
    return _UNESCAPED_CARET.sub(r"\\^{}", _UNESCAPED_SPECIAL.sub(r"\\\1", text))


def _decoded_at_once(text: str, tie_is_space: bool = False) -> Decoded | None:
    """A text with no backslash, brace or `$` (most abstracts) is its own decoding."""
    if "\\" not in text and "{" not in text and "}" not in text and "$" not in text:
        return Decoded(text.replace("~", " ") if tie_is_space else text)
    return None


def _decode(text: str, tie_is_space: bool = False) -> Decoded:
    if "\\" not in text and "{" not in text and "}" not in text and "$" not in text:
        return Decoded(text.replace("~", " ") if tie_is_space else text)
    problems: list[tuple[str, str]] = []
    balance = _brace_balance_problem(text)
    if balance:
        problems.append(("unbalanced-braces", balance))
    if spans := verbatim_arguments(text):  # a URL's `~ _ % #` are its own characters: escaped for pylatexenc
        text = _with_escaped_arguments(text, spans)
    if "dash" in text:
        text = _DASH_MACRO.sub(lambda found: _DASHES[found.group(1)], text)
    pieces: list[str] = []
    last = 0
    for start, end, math in math_segments(text):
        if start > last and text[start - 1] == "{" and text[end:end + 1] == "}":  # `An {$x$} Sorting`: the
            start, end = start - 1, end + 1  # braces go with the math, the spaces around it stay
        pieces.append(_decode_prose(text[last:start], tie_is_space, problems))
        pieces.append(f"\\({math.strip()}\\)")
        last = end
    pieces.append(_decode_prose(text[last:], tie_is_space, problems))
    return Decoded("".join(pieces), tuple(dict.fromkeys(problems)))


# Unicode text from scraped text; inline math kept as `\\(..\\)`; problems named. Each text is
# decoded once per process, and equal short texts (the same title in two sources) come back as
# one string; a long text with nothing to decode is given back at once (memo.text_cache).
decode_latex: TextCache[Decoded] = text_cache(_decode, _decoded_at_once)


def _decode_prose(text: str, tie_is_space: bool, problems: list[tuple[str, str]]) -> str:
    if not text:
        return text
    if not tie_is_space:
        text = text.replace("~", "\\textasciitilde{}")
    if "\\" not in text and "{" not in text and "}" not in text and "$" not in text:
        return text.replace("~", " ") if tie_is_space else text

    def known_or_spelled(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _ABBREVIATIONS:  # `\\eg in` reads "e.g. in": the space after it is kept
            after = match.string[match.end() : match.end() + 1]  # the text matched: `$` escaped in it
            shown = _ABBREVIATIONS[name]
            return (shown[:-1] if after == "." else shown) + ("{}" if after.isalnum() else "")
        if name in LOGOS:
            return LOGOS[name]
        if name in PRINT_NOTHING and name != "href":  # (its argument, if any, is printed; a link's text and address)
            return ""
        if _DB.get_macro_spec(name) is None and name not in DEFINED:
            if match.string[match.end() : match.end() + 1] == "{":  # `\titleref{...}`: its argument shown
                problems.append(("undefined-macro", f"undefined LaTeX macro \\{name}; its argument is shown"))
                return ""
            problems.append(("undefined-macro", f"undefined LaTeX macro \\{name}; shown as {name!r}"))
            return name
        return match.group(0)

    text = _OVERESCAPED.sub(r"\\\1", text)  # `Rock \\& Roll`: a special escaped twice means it once
    # each substitution only where its character is (a check in C)
    prepared = _BARE_DOLLAR.sub(r"\\$", text) if "$" in text else text
    if "\\" in prepared:
        if tie_is_space:  # LaTeX source (a .bib value), where TeX's rule holds: a control word takes
            # the spaces after it (`{\\TeX book}` prints "TeXbook"); scraped prose keeps its words apart
            prepared = _CONTROL_WORD_SPACE.sub(_logo_spaces_taken, prepared)
        prepared = _MACRO.sub(known_or_spelled, NOT_PRINTED.sub("", prepared))
    if "%" in prepared or "&" in prepared or "#" in prepared:
        prepared = _LITERAL_SPECIALS.sub(r"\\\1", prepared)
    leading = " " if text[:1].isspace() else ""
    trailing = " " if text[-1:].isspace() else ""
    try:
        decoded = _prose_to_text(prepared)
    except Exception:  # pylatexenc is tolerant; this is the last resort for junk
        problems.append(("latex-unreadable", "text could not be read as LaTeX; kept as it is"))
        return text
    return leading + decoded + trailing if decoded else leading


_CONTROL_WORD_SPACE = re.compile(r"\\(?<!\\\\)([A-Za-z]+)[ \t]+(?=\S)")


# Control words after which a page shows no space where TeX takes the spaces: logos and symbols
# (`\\TeX book`), font and size switches (`{\\LaTeX\\rm }:`); not a command whose argument follows
# (`\\ensuremath \\infty`: the space is before its argument, the word after it is the text's own).
_SWITCHES = frozenset({
    "it", "bf", "sl", "tt", "rm", "sf", "sc", "em", "up", "md", "itshape", "bfseries", "slshape", "scshape",
    "upshape", "mdseries", "normalfont", "rmfamily", "sffamily", "ttfamily", "tiny", "scriptsize", "footnotesize",
    "small", "normalsize", "large", "Large", "LARGE", "huge", "Huge", "boldmath", "relax"})
_TAKE_SPACES = frozenset(LOGOS) | (_SWITCHES & PRINT_NOTHING)


def _logo_spaces_taken(match: re.Match[str]) -> str:
    """A logo, symbol or switch (`\\TeX`, `\\S`, `\\rm`) ended by `{}` instead of the spaces it takes."""
    return f"\\{match.group(1)}{{}}" if match.group(1) in _TAKE_SPACES else match.group(0)


def _whole_prose_to_text(prepared: str) -> str:
    """pylatexenc's reading of a prepared prose text, whitespace runs made single spaces."""
    decoded = _to_text(_TO_TEXT, prepared)
    return " ".join(decoded.replace("\u00a0", " ").split())  # `\\` and line breaks are spaces in a field


# What makes a word of prose more than its own characters to pylatexenc: its tokenizer's
# specials (`\\ { } $ % #`), latex2text's specials (`~ & -- --- `` '' !` ?``) and math's.
_LATEX_WORD = re.compile(r"[\\{}$%#~&`^_]|--|''")
_LATEX_CHARACTER = re.compile(r"[\\{}$%#~&`^_]")  # _LATEX_WORD's one-character part


def _next_latex_word(text: str, pos: int) -> int:
    """Where `_LATEX_WORD.search(text, pos)` starts, or -1: the character class searched alone
    (in prose its alternation with `--` and `''` stopped the engine at every hyphen and
    apostrophe), the two pairs found by str's search, before it. tests/test_latex_decode.py
    compares both."""
    found = _LATEX_CHARACTER.search(text, pos)
    end = found.start() if found is not None else len(text)
    first = end if found is not None else -1
    for pair in ("--", "''"):
        at = text.find(pair, pos, end + 1)  # (a pair starting at `end` or before it)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first


# LaTeX that carries meaning across a space other than by braces: math, environments, verbatim.
_SPANS_SPACES = re.compile(r"\\[(\[]|\\begin|\\verb|\\par\b")
_WORD = re.compile(r"\S+")


def _may_take_next_word(word: str, depth: int) -> bool:
    """Whether a macro may take the next word as its argument, so that the two are read
    together: the word ends in an argument of one (`[1]`, `{x}`: the macro may take another),
    or holds a macro outside braces (`depth`: braces open before the word). A macro inside
    braces the word closes (`{\\"O}zt{\\"u}rk,`) takes nothing past them: a name is read on
    its own, not once with each first name it comes with."""
    if word.endswith(("]", "}")):
        return True
    if "\\" not in word:
        return False
    index = 0
    while index < len(word):
        char = word[index]
        if char == "\\":
            if depth <= 0:
                return True
            index += 2  # `\\{` and `\\}` are no braces
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        index += 1
    return False


# A comment (a `%` after an even run of backslashes) runs to the end of the line.
_COMMENT = re.compile(r"(?:^|[^\\])(?:\\\\)*%")


def _has_comment(text: str) -> bool:
    """`_COMMENT.search(text) is not None`, from each `%` (found by str.find) and the run of
    backslashes right before it, instead of the pattern tried at every position."""
    at = text.find("%")
    while at >= 0:
        start = at
        while start and text[start - 1] == "\\":
            start -= 1
        if (at - start) % 2 == 0:
            return True
        at = text.find("%", at + 1)
    return False


# The escaped specials pylatexenc reads as the character itself (a control symbol: it takes
# no space after it), and what else would make a word LaTeX to it (`_LATEX_WORD`'s characters).
_ESCAPED_SPECIALS = (("\\%", "%"), ("\\&", "&"), ("\\#", "#"), ("\\_", "_"), ("\\$", "$"),
                    ("\\textasciitilde{}", "~"))  # (a scraped text's `~`, as _decode_prose writes it)
_LATEX_WORD_CHARACTERS = "\\{}$%#~&`^_"


def _escapes_only_to_text(prepared: str) -> str | None:
    """`_prose_to_text` of a text whose only LaTeX is escaped specials (`90.97\\%`, `R\\&D`, and
    a scraped abstract's `%` and `~`, escaped before: one in nine abstracts), ties and groups
    in braces that pair and hold no macro, found by str's searches: each special the character
    itself, a tie a space, each group its text, spaces made single, without a word handed to
    pylatexenc or a step per word (~60 µs -> ~3 µs an abstract); None for any other text.
    tests/test_latex_decode.py compares it with pylatexenc's reading of the whole text."""
    if "\\\\" in prepared:  # (`\\%`: a line break, then a comment)
        return None
    bare = shown = prepared
    if "~" in prepared:  # a tie (a .bib value's `Fig.~3`): a space, as pylatexenc's no-break space is made one
        bare = bare.replace("~", "")
        shown = shown.replace("~", " ")
    for escaped, char in _ESCAPED_SPECIALS:
        if escaped in bare:
            bare = bare.replace(escaped, "")
            shown = shown.replace(escaped, char)
    if "\\" in shown:  # (a backslash left: a macro, or an escape the text's deletions only made in `bare`)
        return None
    if "{" in bare or "}" in bare:  # groups (`a {Skinning Weights} b`) that pair, no macro in them: their text
        if "\\" in bare or brace_problem(bare) is not None:
            return None
        bare = bare.replace("{", "").replace("}", "")
        shown = shown.replace("{", "").replace("}", "")
    if any_of(bare, _LATEX_WORD_CHARACTERS) or "--" in bare or "''" in bare:
        return None
    return " ".join(shown.split())


def _prose_to_text(prepared: str) -> str:
    """The same text as `_whole_prose_to_text`, with pylatexenc given only the words that hold
    LaTeX: a 1,000-character abstract with one `\\&` is one word to read, not a thousand
    characters to tokenize one by one (reading was most of the pipeline's time). A word is
    read together with the words its braces or a trailing macro hold; texts with math,
    environments or verbatim left to be read whole; a text whose only LaTeX is escaped
    specials not handed to pylatexenc at all (`_escapes_only_to_text`).
    tests/test_latex_decode.py compares both on generated and real texts."""
    if (escapes_only := _escapes_only_to_text(prepared)) is not None:
        return escapes_only
    if _SPANS_SPACES.search(prepared) or _has_comment(prepared):
        return _whole_prose_to_text(prepared)
    shown: list[str] = []
    pos = 0
    while True:
        # Plain words up to the next word holding LaTeX are taken as they are (one search, in C).
        held_from = _next_latex_word(prepared, pos)
        if held_from < 0:
            shown.append(" ".join(prepared[pos:].split()))  # a run of plain words: one piece, spaces made single
            break
        while held_from > pos and not prepared[held_from - 1].isspace():
            held_from -= 1
        shown.append(" ".join(prepared[pos:held_from].split()))
        # The words read together from there: until their braces and brackets close and no macro waits.
        words = _WORD.finditer(prepared, held_from)
        word = next(words)
        depth = brackets = 0
        while True:
            text = word.group()
            depth_before = depth
            depth += _brace_depth_change(text)
            if depth < 0:  # a `}` that closes nothing: pylatexenc's recovery is its own business
                return _whole_prose_to_text(prepared)
            brackets = _brackets_open_after(text, brackets)
            after = next(words, None)
            following = prepared[after.start()] if after is not None else ""
            if depth > 0 or brackets > 0 or _may_take_next_word(text, depth_before) or following in ("{", "[", "*"):
                if after is not None:
                    word = after
                    continue
                if depth > 0 or brackets > 0:  # a `{` or `[` never closed
                    return _whole_prose_to_text(prepared)
                # A macro in the last word, no word left for it (`Chen, Chlo{\\'e}`): read to the end,
                # spaces after it included (`\\ ` is a macro).
                shown.append(_latex_words_to_text(prepared[held_from:]))
                pos = len(prepared)
                break
            shown.append(_latex_words_to_text(prepared[held_from:word.end()]))
            pos = word.end()
            break
    return " ".join(filter(None, shown))


def _brackets_open_after(word: str, open_before: int) -> int:
    for char in word:
        if char == "[":
            open_before += 1
        elif char == "]" and open_before:
            open_before -= 1
    return open_before


def _brace_depth_change(word: str) -> int:
    if "{" not in word and "}" not in word:
        return 0
    unescaped = word.replace("\\\\", "").replace("\\{", "").replace("\\}", "")
    return unescaped.count("{") - unescaped.count("}")


@lru_cache(maxsize=65536)
def _latex_words_to_text(words: str) -> str:
    return _whole_prose_to_text(words)


def without_math(text: str) -> str:
    """The prose of LaTeX source (a .bib value): its math segments (TeX's rule) left out."""
    pieces: list[str] = []
    last = 0
    for start, end, _ in tex_math_segments(text):
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def split_math(text: str) -> list[tuple[bool, str]]:
    """(is_math, piece) pairs of a decoded text, math without its delimiters. Decoding wrote all
    math as `\\(..\\)`, so a `$` left in a decoded text is a dollar sign."""
    out: list[tuple[bool, str]] = []
    last = 0
    for start, end, math in math_segments(text):
        if not text.startswith("\\(", start):
            continue
        if start > last:
            out.append((False, text[last:start]))
        out.append((True, math))
        last = end
    if last < len(text):
        out.append((False, text[last:]))
    return out


@lru_cache(maxsize=65536)
def math_as_text(math: str) -> str:
    """Inline math shown as Unicode text (`\\leftrightarrow` -> `↔`) for pages."""
    try:
        shown = _to_text(_MATH_TO_TEXT, f"${math}$")
    except Exception:
        return math
    return shown.strip() or math


def plain_text(text: str) -> str:
    """A decoded text with its math shown as Unicode: what a page or a search sees."""
    if "\\(" not in text:
        return text
    return "".join(math_as_text(piece) if is_math else piece for is_math, piece in split_math(text))
