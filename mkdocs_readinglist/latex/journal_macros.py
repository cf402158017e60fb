"""The journal macros of the AAS (`aas_macros.sty`, AASTeX): data, not a LaTeX codec.

NASA ADS writes a journal as one of these macros (`journal = {\\apj}`), which only a document
that loads `aas_macros.sty` or AASTeX defines; elsewhere each is an undefined control sequence
(bibtex's styles print nothing, the project's pages printed its name, "apj"). The `.bib`
reader writes each as the text the package prints, as LaTeX (the `~` ties and `\\&` as the
package has them), and says so at its line.
"""

from __future__ import annotations

import re

# macro name -> the text aas_macros.sty prints for it, as LaTeX
AAS_JOURNALS: dict[str, str] = {
    "aj": "AJ", "actaa": "Acta Astron.", "araa": "ARA\\&A", "apj": "ApJ", "apjl": "ApJ", "apjs": "ApJS",
    "ao": "Appl.~Opt.", "apss": "Ap\\&SS", "aap": "A\\&A", "aapr": "A\\&A~Rev.", "aaps": "A\\&AS",
    "azh": "AZh", "baas": "BAAS", "bac": "Bull. astr. Inst. Czechosl.", "caa": "Chinese Astron. Astrophys.",
    "cjaa": "Chinese J. Astron. Astrophys.", "icarus": "Icarus", "jcap": "J. Cosmology Astropart. Phys.",
    "jrasc": "JRASC", "memras": "MmRAS", "mnras": "MNRAS", "na": "New A", "nar": "New A Rev.",
    "pra": "Phys.~Rev.~A", "prb": "Phys.~Rev.~B", "prc": "Phys.~Rev.~C", "prd": "Phys.~Rev.~D",
    "pre": "Phys.~Rev.~E", "prl": "Phys.~Rev.~Lett.", "pasa": "PASA", "pasp": "PASP", "pasj": "PASJ",
    "rmxaa": "Rev. Mexicana Astron. Astrofis.", "qjras": "QJRAS", "skytel": "S\\&T", "solphys": "Sol.~Phys.",
    "sovast": "Soviet~Ast.", "ssr": "Space~Sci.~Rev.", "zap": "ZAp", "nat": "Nature", "iaucirc": "IAU~Circ.",
    "aplett": "Astrophys.~Lett.", "apspr": "Astrophys.~Space~Phys.~Res.",
    "bain": "Bull.~Astron.~Inst.~Netherlands", "fcp": "Fund.~Cosmic~Phys.", "gca": "Geochim.~Cosmochim.~Acta",
    "grl": "Geophys.~Res.~Lett.", "jcp": "J.~Chem.~Phys.", "jgr": "J.~Geophys.~Res.",
    "jqsrt": "J.~Quant.~Spec.~Radiat.~Transf.", "memsai": "Mem.~Soc.~Astron.~Italiana",
    "nphysa": "Nucl.~Phys.~A", "physrep": "Phys.~Rep.", "physscr": "Phys.~Scr", "planss": "Planet.~Space~Sci.",
    "procspie": "Proc.~SPIE", "psj": "PSJ",
}
# Fields where ADS writes them (a title's `\pre` or `\nat` is something else)
JOURNAL_FIELDS = frozenset({"journal", "journaltitle", "booktitle"})
# `\apj`, and the spaces after it, which TeX takes with a control word
_JOURNAL_MACRO = re.compile(r"\\(?<!\\\\)(" + "|".join(sorted(AAS_JOURNALS, key=len, reverse=True))
                            + r")(?![A-Za-z])[ \t]*")


def journal_macros_written_out(value: str, defined: frozenset[str] | set[str] = frozenset()) -> tuple[str, list[str]]:
    """The value with each AAS journal macro not in `defined` written as its text, and the macros
    it replaced, in order (none: the value itself)."""
    if "\\" not in value:
        return value, []
    replaced: list[str] = []

    def text(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in defined:
            return found.group(0)
        replaced.append(name)
        return AAS_JOURNALS[name]

    written = _JOURNAL_MACRO.sub(text, value)
    return (written, replaced) if replaced else (value, [])
