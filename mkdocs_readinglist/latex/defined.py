"""Macros a `.bib` value may use without breaking LaTeX, and what pages show for each.

pylatexenc's table knows accents and symbols but not much of what LaTeX itself defines: its
font switches (`{\\it ...}`, `{\\sl ...}`), TeX primitives (`\\kern-.15em`), the logos
(`\\LaTeXe`), `\\mbox`. Nor biblatex's and common packages' macros (`\\mkbibquote`,
`\\enquote`). Taken for undefined, they were "repaired" into their bare names on export
(`{it Umlaut\\/}s`) and shown by name on pages ("mkbibquoteIntention"). These tables say which
are defined and how each prints; `decode` and the `.bib` reader read them.
"""

from __future__ import annotations

import re

# Macros that print a text of their own.
LOGOS = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "AMSTeX": "AMS-TeX", "AmS": "AMS",
    "AmSTeX": "AMS-TeX", "METAFONT": "METAFONT", "MF": "METAFONT", "MP": "MetaPost", "SliTeX": "SliTeX",
    "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX", "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX", "ConTeXt": "ConTeXt", "eTeX": "e-TeX", "ExTeX": "ExTeX", "LaTeXTeX": "(La)TeX",
    "slash": "/", "textendash": "–", "textemdash": "—", "nobreakspace": " ",
    # LaTeX's own symbols pylatexenc does not know
    "S": "§", "P": "¶", "copyright": "©", "ddag": "‡", "textless": "<", "textgreater": ">", "textbar": "|",
    # biblatex's page markers (`\\psq`: "f.", `\\pno`: "p.")
    "psq": "\u00a0f.", "psqq": "\u00a0ff.", "pno": "p.", "ppno": "pp.", "nopp": "",
}
# The logos LaTeX itself defines; the others (`\\BibTeX`, `\\XeLaTeX`) stop pdflatex unless a package
# or the file's @preamble defines them, and are written on export in these spellings (what they print).
KERNEL_LOGOS = frozenset({"TeX", "LaTeX", "LaTeXe"})
LOGO_SPELLINGS = {
    "BibTeX": "Bib\\TeX", "AMSTeX": "AMS-\\TeX", "AmS": "AMS", "AmSTeX": "AMS-\\TeX", "METAFONT": "METAFONT",
    "MF": "METAFONT", "MP": "MetaPost", "SliTeX": "Sli\\TeX", "XeTeX": "Xe\\TeX", "XeLaTeX": "Xe\\LaTeX",
    "LuaTeX": "Lua\\TeX", "LuaLaTeX": "Lua\\LaTeX", "pdfTeX": "pdf\\TeX", "pdfLaTeX": "pdf\\LaTeX",
    "ConTeXt": "Con\\TeX{}t", "eTeX": "e-\\TeX", "ExTeX": "Ex\\TeX", "LaTeXTeX": "(La)\\TeX",
}
# Macros that print nothing themselves: font and size switches, spacing, breaks, markup whose
# argument (if any) is printed as it is (`\\mbox{G-Animal's}`: "G-Animal's").
PRINT_NOTHING = frozenset({
    # font switches and declarations (LaTeX 2.09 and 2e)
    "it", "bf", "sl", "tt", "rm", "sf", "sc", "em", "up", "md", "itshape", "bfseries", "slshape", "scshape",
    "upshape", "mdseries", "normalfont", "rmfamily", "sffamily", "ttfamily", "tiny", "scriptsize",
    "footnotesize", "small", "normalsize", "large", "Large", "LARGE", "huge", "Huge", "boldmath",
    # spacing, breaks and boxes
    "relax", "allowbreak", "break", "nobreak", "linebreak", "newline", "noindent", "indent", "par", "hfill",
    "hfil", "vfill", "strut", "null", "protect", "leavevmode", "unskip", "ignorespaces", "sloppy",
    "raggedright", "centering", "thinspace", "negthinspace", "enspace", "enskip", "quad", "qquad", "hyphen",
    "mbox", "hbox", "fbox", "makebox", "text", "textnormal", "textup", "textmd", "textrm", "textsf", "textsl",
    "textsc", "textbf", "textit", "texttt", "emph", "underline", "uppercase", "lowercase", "MakeUppercase",
    "MakeLowercase", "ensuremath", "mathrm", "vphantom", "hphantom", "phantom", "newblock", "nocorr",
    # biblatex and common packages a .bib uses
    "mkbibquote", "mkbibemph", "mkbibitalic", "mkbibbold", "mkbibacro", "mkbibsuperscript", "mkbibsubscript",
    "mkbibparens", "mkbibbrackets", "autocap", "enquote", "textquote", "foreignlanguage", "textlatin",
    "textgreek", "addcomma", "addspace", "adddot", "addcolon", "addperiod", "addsemicolon", "nopunct",
    "bibstring", "printfield", "texorpdfstring", "url", "path", "href", "textsuperscript", "textsubscript",
    "cite", "textcite", "parencite", "citeauthor", "citetitle", "ifmmode", "else", "fi",
    "acro",  # the TUGboat classes' (tugboat.bib's @preamble reads tugboat.def)
    # TeX primitives a .bib may use to build a name
    "string", "noexpand", "expandafter", "csname", "endcsname",
})
# LaTeX's own commands that pylatexenc reads itself (environments: `\\begin{itemize}\\item ...`).
LEFT_TO_PARSER = frozenset({"begin", "end", "item"})
# Macros whose argument is for sorting or indexing, not for print (`{\\noopsort{1973b}}1973`), or
# names a counter or label whose value a page cannot know (`\\arabic{author}`).
HIDE_ARGUMENT = frozenset({"noopsort", "SortNoop", "sortnoop", "nocite", "label", "index", "hyphenation",
                           "arabic", "roman", "Roman", "alph", "Alph", "fnsymbol", "ref", "pageref",
                           "selectlanguage", "iflanguage"})  # (babel's: the language's name)
# Of those, the ones LaTeX itself does not define: a .bib's @preamble must (`\newcommand{\noopsort}[1]{}`,
# as xampl.bib's does), or pdflatex stops on them.
NEEDS_PREAMBLE = frozenset({"noopsort", "SortNoop", "sortnoop"})
# TeX primitives and LaTeX commands followed by a dimension (`DVI\\kern-.15em VDU`).
TAKE_DIMENSION = frozenset({"kern", "hskip", "vskip", "mkern", "mskip", "hspace", "vspace", "raise", "lower"})

DEFINED = frozenset(LOGOS) | PRINT_NOTHING | HIDE_ARGUMENT | TAKE_DIMENSION | LEFT_TO_PARSER

# What pages leave out: the macros above with the dimension or the hidden argument they take.
_UNIT = r"(?:em|ex|pt|pc|in|cm|mm|bp|dd|cc|sp|mu)"
_DIMENSION = rf"\s*(?:\{{[^{{}}]*\}}|\*?\s*\{{[^{{}}]*\}}|[-+]?\s*(?:\d+\.?\d*|\.\d+)\s*{_UNIT}(?:\s+plus\s+[-+]?(?:\d+\.?\d*|\.\d+)\s*{_UNIT})? ?)"  # TeX takes one space after it
NOT_PRINTED = re.compile(rf"\\(?:{'|'.join(sorted(TAKE_DIMENSION))})(?![A-Za-z]){_DIMENSION}"
                         rf"|\\(?:{'|'.join(sorted(HIDE_ARGUMENT))})(?![A-Za-z])\s*\{{[^{{}}]*\}}")


def loads_definitions(preamble: str) -> bool:
    """A `@preamble` that reads a file or a package (`\\input tugboat.def`) may define any macro."""
    return bool(_LOADS.search(preamble))


_LOADS = re.compile(r"\\(?:input|include|usepackage|RequirePackage|InputIfFileExists)(?![A-Za-z])")


class _EveryMacro:
    """Contains every name: the macros a file that loads definitions may define."""

    def __contains__(self, name: object) -> bool:
        return True


EVERY_MACRO = _EveryMacro()
