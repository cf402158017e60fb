"""The References heading in the site's language: the name LaTeX's babel gives the list
(`\\refname`), for a site whose theme names its language and whose `references_title:` is unset."""

from __future__ import annotations

REFERENCES = {
    "en": "References", "de": "Literatur", "fr": "Références", "es": "Referencias",
    "it": "Riferimenti bibliografici", "pt": "Referências", "nl": "Referenties", "ru": "Список литературы",
    "zh": "参考文献", "ja": "参考文献", "pl": "Literatura", "sv": "Referenser",
}


def references_title(language: str | None) -> str:
    """`de`, `pt-BR`, `zh_TW` -> the heading; English for a language not listed."""
    parts = (language or "en").replace("_", "-").lower().split("-")
    if parts[0] == "zh" and set(parts[1:]) & {"hant", "tw", "hk", "mo"}:
        return "參考文獻"  # Traditional Chinese (Material's `zh-Hant`, `zh-TW`)
    return REFERENCES.get(parts[0], REFERENCES["en"])
