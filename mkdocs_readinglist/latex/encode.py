"""Unicode text (with inline math kept as `\\(..\\)`) to LaTeX that pdflatex, bibtex and biber accept.

Every special character is escaped exactly once because the model holds decoded text:
`Front \\& Back` was decoded to `Front & Back` by the reader and is encoded here once.
The encoding itself is pylatexenc's, limited to what real LaTeX takes. The target is the
preamble of most papers, and nothing more: `\\usepackage[T1]{fontenc}`,
`\\usepackage[utf8]{inputenc}`, `\\usepackage{lmodern}`, bibtex or biblatex+biber.

* Non-ASCII characters are encoded only when pylatexenc's macro for them was compiled and
  found in the PDF by all three engines (bibtex plain, alpha; biber), see `SAFE_CHARACTERS`;
  tests/test_latex_encode.py compiles every one of them again.
* Every other character (CJK, Cyrillic, which T1 cannot print; emoji; most math symbols,
  which need amssymb; letters biber would turn into combining accents) becomes
  `{\\texttt{<U+XXXX>}\\allowbreak}`: ASCII only, so biber leaves it alone (biber decodes
  `\\ensuremath{\\langle}` to U+27E8, which pdflatex then rejects in math mode), and braced,
  so bibtex's alpha labels and sorting take it as one character. It compiles under any
  font encoding and says which character it stands for.
* Inline math stays math (`{$..$}`) when its braces balance and it uses only macros that
  base LaTeX defines (`BASE_MATH_MACROS`); anything else (`\\mathbb`, a stray `$`, `%`, `#`,
  `&`, a nested `\\(`) is written as text instead, its symbols shown as Unicode and encoded
  as above.
* Only `\\(..\\)` is math: the model's own convention, so a `$` is always a dollar sign.
* Whitespace runs (newlines included, so never a paragraph break) become one space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pylatexenc.latexencode import (
    RULE_CALLABLE,
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
    get_builtin_conversion_rules,
)

from ..memo import TextCache, text_cache
from ..text import any_of, braces_balanced, printable
from .decode import math_as_text


def _ranges(spec: str) -> frozenset[int]:
    points: set[int] = set()
    for part in spec.split():
        low, _, high = part.partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return frozenset(points)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Characters whose pylatexenc encoding compiled cleanly, and printed, with bibtex (plain,
# alpha) and biber in the preamble above (measured with `readinglist latex-check` on a .bib
# holding each of pylatexenc's 1,540 non-ASCII characters, then one by one for failures).
SAFE_CHARACTERS = _ranges("""
00A0-00B7 00B9-00EB 00F0-010F 0111-0125 0128 012A 012C 012E-0134 0136-013E 0141-0148 014A-0165
0168-017E 0192 01E7 01F5 02B7 02BC 02C7 02D8-02D9 02DC-02DD 0386 0388-038A 038C 038E-038F
0391-0393 0395-03A1 03A3-03CE 03D1 03D5-03D6 03F1 03F5 0E3F 2000-200A 200C 2010 2012-2016
2018-201A 201C-201E 2020-2022 2024-2026 2030-2034 2039-203B 203D 2044 204E 2052 2057 205F-2061
2070-2071 2074-208E 2090-2093 2095-209C 20A1 20A4 20A6 20A9 20AB-20AC 20B1 2103 2109-210A 210E
2113 2116-2118 211E 2122 2126 212A-212B 212E-212F 2134-2135 2190-2199 21A9-21AA 21BC-21BD
21C0-21C1 21CC 21D0-21D5 2200 2202-2203 2207-220D 2210 2212-2213 2215 2217-221A 221D-221E 2220
2223 2225 2227-222A 2236-2237 223A 223C 2240-2241 2243-2245 2247-2249 224D 2250 2254-2255
2260-2262 2264-2265 226A-226B 227A-227D 2282-2287 228E 2291-2299 22A2-22A5 22C4-22C6 22C8
22E2-22E3 22EE-22EF 22F1 2308-230B 2322-2323 23B1 2422-2423 25AD 25B3 25B9 25BD 25C3 25CB 25E6
2662 266A 27F5-27FA 2A3F 2A6E 2A75 2AAF-2AB0 2AFD FB00-FB04 1D400-1D467 1D5A0-1D5D3 1D670-1D6A3
1D7CE-1D7D7 1D7E2-1D7EB 1D7F6-1D7FF
""")

# biber turns `{\'\i}` into characters pdflatex rejects; `{\'i}` prints the same.
_BIBER_SAFE = {
    ord("í"): r"{\'i}", ord("ì"): r"{\`i}", ord("î"): r"{\^i}", ord("ï"): r"{\"i}",
    ord("ī"): r"{\=i}", ord("ĭ"): r"{\u i}", ord("ǐ"): r"{\v i}",
    ord("\u00a0"): "~", ord("\u2009"): r"\,", ord("\u202f"): r"\,",
    ord("\u200b"): r"\allowbreak{}",  # a zero-width space: a place to break the line, nothing printed
}

# Math macros plain LaTeX defines (no amsmath, amssymb): math using only these stays math.
BASE_MATH_MACROS = _words("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
Lambda Xi Pi Sigma Upsilon Phi Psi Omega aleph hbar ell wp Re Im partial infty nabla prime
emptyset forall exists neg flat natural sharp top bot angle triangle clubsuit diamondsuit
heartsuit spadesuit imath jmath surd
pm mp times div ast star circ bullet cdot cap cup uplus sqcap sqcup vee wedge setminus wr
diamond bigtriangleup bigtriangledown triangleleft triangleright oplus ominus otimes oslash
odot bigcirc dagger ddagger amalg
leq le geq ge equiv models prec succ sim perp preceq succeq simeq mid ll gg asymp parallel
subset supset approx bowtie subseteq supseteq cong sqsubseteq sqsupseteq neq ne smile frown
in ni notin propto vdash dashv doteq not
leftarrow gets Leftarrow rightarrow to Rightarrow leftrightarrow Leftrightarrow mapsto
hookleftarrow hookrightarrow leftharpoonup rightharpoonup leftharpoondown rightharpoondown
rightleftharpoons longleftarrow Longleftarrow longrightarrow Longrightarrow
longleftrightarrow Longleftrightarrow longmapsto uparrow Uparrow downarrow Downarrow
updownarrow Updownarrow nearrow searrow swarrow nwarrow
sum prod coprod int oint bigcap bigcup bigsqcup bigvee bigwedge bigodot bigotimes bigoplus
biguplus
arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim liminf
limsup ln log max min Pr sec sin sinh sup tan tanh
langle rangle lfloor rfloor lceil rceil lbrace rbrace vert Vert backslash left right big Big
bigg Bigg bigl bigr Bigl Bigr biggl biggr middle
hat check breve acute grave tilde bar vec dot ddot widehat widetilde overline underline
overbrace underbrace overrightarrow overleftarrow
frac sqrt mathrm mathbf mathit mathsf mathtt mathcal mathnormal mbox textrm textbf textit
textsf texttt textup textsl textsc emph ldots cdots vdots ddots quad qquad stackrel
displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits atop choose over
""")

# Letters pdflatex prints with T1 (`\DJ`, comma below, dot below, caron) that pylatexenc has no
# macro for: measured as SAFE_CHARACTERS were (plain, alpha, biber). Romanian, Serbo-Croatian,
# IAST and Pinyin (each in braces, as the encoder writes every macro). Not the capitals with a dot below (Ḍ Ṛ Ṣ ...) nor a diaeresis under another
# accent (ǖ): biber writes them as characters inputenc's utf8 does not know.
LETTERS = {
    "Đ": r"\DJ", "Ș": r"\textcommabelow{S}", "ș": r"\textcommabelow{s}", "Ț": r"\textcommabelow{T}",
    "ț": r"\textcommabelow{t}",
    "Ǎ": r"\v{A}", "ǎ": r"\v{a}", "Ǐ": r"\v{I}", "Ǒ": r"\v{O}", "ǒ": r"\v{o}", "Ǔ": r"\v{U}", "ǔ": r"\v{u}",
    "ḍ": r"\d{d}", "ḥ": r"\d{h}", "ḷ": r"\d{l}", "ṃ": r"\d{m}", "ṇ": r"\d{n}", "ṛ": r"\d{r}", "ṣ": r"\d{s}",
    "ṭ": r"\d{t}",
}
_BIBER_SAFE.update({ord(char): latex for char, latex in LETTERS.items()})

_MATH_MACRO = re.compile(r"\\([A-Za-z]+)")
_MATH_UNSAFE = re.compile(r"(?<!\\)(?:\\\\)*[%#$&]|\\[()\[\]]|\\\\")
# The model keeps inline math as `\\(..\\)` (readers turn `$..$` into it): a `$` in the model is a dollar.
_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_NO_SCRIPT_ARGUMENT = re.compile(r"(?<!\\)[_^]\s*(?:$|[_^}&])")  # `x^` or `x_}`: TeX stops


def fallback(char: str) -> str:
    """The compiling stand-in for a character LaTeX cannot print: `{\\texttt{<U+4E2D>}\\allowbreak}`
    (a line may break after it, since a run of them is one long word)."""
    return f"{{\\texttt{{<U+{ord(char):04X}>}}\\allowbreak}}"


_STAND_IN = re.compile(r"\{\\texttt\{<U\+([0-9A-F]{4,6})>\}\\allowbreak\}")


def without_stand_ins(text: str) -> str:
    """The characters themselves in place of their stand-ins (`fallback`): for what shows an entry
    as HTML (references, citations), where every character prints."""
    if "<U+" not in text:
        return text
    return _STAND_IN.sub(lambda found: chr(int(found.group(1), 16)), text)


def _unsafe_character(text: str, pos: int) -> tuple[int, str] | None:
    char = text[pos]
    if ord(char) < 128 or ord(char) in SAFE_CHARACTERS or ord(char) in _BIBER_SAFE:
        return None
    return 1, fallback(char)


_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, _BIBER_SAFE),
                      UnicodeToLatexConversionRule(RULE_CALLABLE, _unsafe_character,
                                                   replacement_latex_protection="none"),
                      *get_builtin_conversion_rules("defaults")],
    non_ascii_only=False,
    replacement_latex_protection="braces-all",
    unknown_char_policy=fallback,
    unknown_char_warning=False,
)
_LATEX_SPECIALS = "\\{}$&%#_^~"


def one_spaced(text: str) -> str:
    """Each run of whitespace one space, as `re.sub(r"\\s+", " ", text)` gives it (the same
    whitespace: both use Python's str.isspace), but by str.split, in C: ~4x faster on an abstract.
    A printable text holds no whitespace but the space (every other is a separator or a control
    character), so one without two spaces in a row is already one-spaced."""
    if "  " not in text and printable(text):
        return text
    core = " ".join(text.split())
    if core == text:  # the text itself, not an equal copy (to_latex's cache keeps what it returns)
        return text
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def _to_latex(text: str) -> str:
    return text if _plain_text(text) else _encoded(text)


def _plain_at_once(text: str) -> str | None:
    return text if _plain_text(text) else None


# LaTeX for a text field: specials escaped, non-ASCII encoded, math kept valid. Each text is encoded
# once per process; a long text that is its own LaTeX (most abstracts) is given back at once.
to_latex: TextCache[str] = text_cache(_to_latex, _plain_at_once)


# What keeps an ASCII text from being its own LaTeX: control characters (every whitespace but
# the space among them) and LaTeX's specials.
_NOT_PLAIN = bytes([*range(0x20), 0x7F]) + b"\\{}$&%#_^~"


def _plain_text(text: str) -> bool:
    """A text that is its own LaTeX: ASCII, printable (so its only whitespace is the space),
    never two spaces in a row, and none of LaTeX's specials. Most titles and abstracts are;
    tested in C, on the text's bytes (one_spaced and str.translate would copy it twice).
    tests/test_latex_encode.py: the same result as the general path."""
    return text.isascii() and "  " not in text and \
        len(text.encode("ascii").translate(None, _NOT_PLAIN)) == len(text)


def _encoded(text: str) -> str:
    text = one_spaced(text)
    if text.isascii() and not any_of(text, _LATEX_SPECIALS):  # (no backslash: no `\\(` either)
        return text
    if "\\(" not in text:  # no inline math: one piece
        return _encode(text)
    pieces = []
    for index, piece in enumerate(_INLINE_MATH.split(text)):
        pieces.append(_math(piece) if index % 2 else _encode(piece))
    return "".join(pieces)


# pylatexenc's encoder NFC-normalises a text, then replaces it character by character (every
# rule above maps one character), walking the whole text in Python. The same result, faster:
# normalise, then replace only the characters that change, each encoded once per process.
# tests/test_latex_encode.py compares both on generated texts.
_ENCODED_ASCII = "".join(c for c in map(chr, range(128)) if _ENCODER.unicode_to_latex(c) != c)
# One character class (an alternation of two classes made the engine try both at every position: 3x slower).
_TO_ENCODE = re.compile("[" + re.escape(_ENCODED_ASCII) + "\x80-\U0010ffff]")


def _encode(text: str) -> str:
    if text.isascii() and "\\" not in text and "{" not in text and "}" not in text:
        # (most abstracts that are not their own LaTeX: a `%` or a `~` in 1,500 characters) each
        # character that changes replaced by str.replace, in C, not the text walked by the pattern
        for char in _REPLACED_IN_ORDER:
            if char in text:
                text = text.replace(char, _character_latex(char))
        return text
    return _TO_ENCODE.sub(_encoded_character, unicodedata.normalize("NFC", text))


def _replacement_order() -> str:
    """The ASCII characters the encoder changes but `\\`, `{` and `}`, in an order in which no
    character's LaTeX holds a character replaced after it (the control characters' `<U+0000>`
    last, after `<` and `>`): replacing them one after the other gives `_TO_ENCODE.sub`'s text
    for an ASCII text without a backslash or a brace (tests/test_latex_encode.py)."""
    chars = [c for c in _ENCODED_ASCII if c not in "\\{}"]
    order = [c for c in chars if c.isprintable()] + [c for c in chars if not c.isprintable()]
    for index, char in enumerate(order):
        if any(later in _character_latex(char) for later in order[index + 1:]):  # pragma: no cover
            raise ImportError(f"encode: the LaTeX of {char!r} holds a character replaced after it")
    return "".join(order)


# Only LaTeX's specials: the text's other characters as they are.
_TO_ESCAPE = re.compile("[" + re.escape(_ENCODED_ASCII) + "]")


def to_unicode_latex(text: str) -> str:
    """LaTeX for a text field that keeps its characters (`Ü`, `深度`): specials escaped, math kept
    valid, nothing else changed. For xelatex and lualatex with biber, which read UTF-8 (`readinglist
    bib --unicode`); pdflatex needs to_latex."""
    text = one_spaced(text)
    if not any_of(text, _LATEX_SPECIALS):
        return text
    if "\\(" not in text:
        return _TO_ESCAPE.sub(_encoded_character, text)
    pieces = []
    for index, piece in enumerate(_INLINE_MATH.split(text)):
        pieces.append(_math(piece) if index % 2 else _TO_ESCAPE.sub(_encoded_character, piece))
    return "".join(pieces)


_NON_ASCII = re.compile("[^\x00-\x7f]")


def encode_non_ascii(latex: str) -> str:
    """LaTeX that is already LaTeX with only its non-ASCII letters encoded (`Ø` -> `{\\O}`):
    bibtex's alpha style cuts UTF-8 surnames mid-byte, so names go out in ASCII."""
    return _NON_ASCII.sub(_encoded_character, unicodedata.normalize("NFC", latex))


def _encoded_character(match: re.Match[str]) -> str:
    return _character_latex(match.group(0))


@cache
def _character_latex(char: str) -> str:
    return _ENCODER.unicode_to_latex(char)  # type: ignore[no-any-return]


def _math(math: str) -> str:
    """Math as written when plain LaTeX can typeset it, else the same math as encoded text."""
    readable = braces_balanced(math) and not _MATH_UNSAFE.search(math) and math.strip() != ""
    if readable and math.isascii() and not _NO_SCRIPT_ARGUMENT.search(math) \
            and not re.search(r"(?<!\\)(?:\\\\)*\\\s*$", math) \
            and all(name in BASE_MATH_MACROS for name in _MATH_MACRO.findall(math)):
        return "{$" + math + "$}"
    return _encode(math_as_text(math) if readable else math)


_REPLACED_IN_ORDER = _replacement_order()
