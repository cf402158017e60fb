"""Unicode text (with inline math kept as `\\(..\\)`) to LaTeX that pdflatex, bibtex and biber accept.

Every special character is escaped exactly once because the model holds decoded text:
`Front \\& Back` was decoded to `Front & Back` by the reader and is encoded here once.
The encoding itself is pylatexenc's; only a few rules are adjusted for biber.
"""

from __future__ import annotations

from functools import lru_cache

from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
    get_builtin_conversion_rules,
)

from ..latex_text import split_math

# biber turns `{\'\i}` into characters pdflatex rejects; `{\'i}` prints the same.
_BIBER_SAFE = {
    ord("í"): r"{\'i}", ord("ì"): r"{\`i}", ord("î"): r"{\^i}", ord("ï"): r"{\"i}",
    ord("ī"): r"{\=i}", ord("ĭ"): r"{\u i}", ord("ǐ"): r"{\v i}",
    ord("\u00a0"): "~", ord("\u2009"): r"\,", ord("\u202f"): r"\,",
}
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, _BIBER_SAFE),
                      *get_builtin_conversion_rules("defaults")],
    non_ascii_only=False,
    replacement_latex_protection="braces-all",
    unknown_char_policy="unihex",
    unknown_char_warning=False,
)
_ASCII_SAFE = str.maketrans("", "", "\\{}$&%#_^~")


@lru_cache(maxsize=65536)
def to_latex(text: str) -> str:
    """LaTeX for a text field: specials escaped, non-ASCII encoded, math kept valid."""
    if text.isascii() and text == text.translate(_ASCII_SAFE) and "\\(" not in text:
        return text
    pieces = []
    for is_math, piece in split_math(text):
        if is_math:
            pieces.append("{$" + _balanced_math(piece) + "$}")
        else:
            pieces.append(_ENCODER.unicode_to_latex(piece))
    return "".join(pieces)


def _balanced_math(math: str) -> str:
    """Math is kept as written unless its braces do not balance, then it is escaped as text."""
    depth = 0
    for index, char in enumerate(math):
        if char in "{}" and index and math[index - 1] == "\\":
            continue
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            break
    if depth == 0 and "%" not in math.replace("\\%", "") and "#" not in math.replace("\\#", "") \
            and "$" not in math.replace("\\$", ""):
        return math
    return r"\text{" + _ENCODER.unicode_to_latex(math) + "}"
