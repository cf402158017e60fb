"""The diagnostics registry: every message has a registered code and prints it, the codes'
levels are set in the config (an unknown code is an error naming it), and the generated
docs/diagnostics.md is the one committed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_readinglist.diagnostics import CODES, markdown
from mkdocs_readinglist.model import Severity
from mkdocs_readinglist.settings import ConfigError, settings_from_mapping
from tests.fixtures.bad.catalogue import CATALOGUE, cli, write

from .helpers import REPO


def test_committed_diagnostics_page_is_generated_from_the_registry() -> None:
    committed = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert committed == markdown(), "run `python -m mkdocs_readinglist.diagnostics > docs/diagnostics.md`"
    for code in CODES:
        assert f"| `{code}` |" in committed


def test_every_message_of_the_bad_inputs_has_a_registered_code_at_its_default_level(tmp_path: Path) -> None:
    for case in CATALOGUE:
        write(tmp_path / "bib", case)
    run = cli(tmp_path, "check", "-v", "bib", "--year", "2026")
    assert len(run.diagnostics) > 60
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == len(run.diagnostics), "every message is FILE:LINE: level[code]: message"
    seen = set()
    for found in run.diagnostics:
        code = found["code"]
        assert code in CODES, f"unregistered code {code!r}: {found}"
        assert found["severity"] == CODES[code].level.value, f"{code} at {found['severity']}: {found}"
        seen.add(code)
    assert len(seen) >= 35


def test_a_code_can_be_set_to_any_level_and_an_unknown_code_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "a.bib").write_text(
        "@article{a2020,\n  title = {Cost & Benefit},\n  author = {Doe, Jane},\n  journal = {J},\n  year = {2020}\n}\n"
        "@article{b2020,\n  title = {Pose & Shape: 100% Real_Data},\n  journal = {J},\n  year = {2020}\n}\n",
        encoding="utf-8")

    def check(levels: str) -> tuple[int, str]:
        (tmp_path / "mkdocs.yml").write_text(
            f"site_name: x\nplugins:\n  - readinglist:\n      sources: [bib]\n      diagnostics: {levels}\n", encoding="utf-8")
        run = cli(tmp_path, "check", "-v", "--config", "mkdocs.yml")
        return run.code, run.err

    code, err = check("{}")
    assert code == 0 and "bib/a.bib:2: warning[latex-special]: title: unescaped LaTeX special character ('&')" in err
    assert "bib/a.bib:8: warning[latex-special]: title: unescaped LaTeX special characters ('&', '%', '_')" in err
    code, err = check("{latex-special: error}")
    assert code == 1 and "bib/a.bib:2: error[latex-special]: " in err
    code, err = check("{latex-special: info}")
    assert code == 0 and "bib/a.bib:2: info[latex-special]: " in err
    code, err = check("{latex-special: ignore}")
    assert code == 0 and "latex-special" not in err
    code, err = check("{latex-specail: info}")
    assert code == 2
    assert "unknown diagnostic code 'latex-specail' (did you mean 'latex-special'?)" in err


def test_settings_reject_unknown_codes_and_levels() -> None:
    with pytest.raises(ConfigError, match=r"unknown diagnostic code 'misssing-meta' \(did you mean 'missing-meta'\?\)"):
        settings_from_mapping(Path.cwd(), {"diagnostics": {"misssing-meta": "info"}})
    with pytest.raises(ConfigError, match="must be one of"):
        settings_from_mapping(Path.cwd(), {"diagnostics": {"missing-meta": "loud"}})
    settings, _ = settings_from_mapping(Path.cwd(), {"diagnostics": {"missing-meta": "error", "duplicate": "ignore"}})
    assert settings.diagnostic_levels == {"missing-meta": Severity.ERROR, "duplicate": None}


def test_registry_docs_are_one_line_each() -> None:
    for code in CODES.values():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code.name)
        assert code.doc and "\n" not in code.doc and code.doc.endswith(".")


def test_every_code_the_package_writes_is_registered() -> None:
    """Codes written as literals anywhere in the package (a Diagnostic's `code`, a LaTeX check's
    problem, a code given at its default level) are all in the registry."""
    package = REPO / "mkdocs_readinglist"
    written: set[str] = set()
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r"\bcode=\"([a-z0-9-]+)\"", text))
        written |= set(re.findall(r"(?:warning|error|info)\[([a-z0-9-]+)\]", text))
        written |= set(re.findall(r"Severity\.[A-Z]+, \"([a-z0-9-]+)\"", text))
        written |= set(re.findall(r"default_level\(\"([a-z0-9-]+)\"\)", text))  # a code at its default level
    written -= {"code", "error", "warning"}  # placeholders in docstrings and messages
    assert len(written) > 20
    assert sorted(written - set(CODES)) == []


def test_tables_fit_the_terminal_and_a_pipe_gets_every_character(tmp_path: Path) -> None:
    """`readinglist papers` on the samples was ~170 columns wide in an 80-column terminal."""
    import os
    import subprocess
    import sys

    from .helpers import copy_samples
    copy_samples(tmp_path, with_lock=True)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    piped = subprocess.run([sys.executable, "-m", "mkdocs_readinglist.cli", "papers", "bib"], cwd=tmp_path,
                           env=env, capture_output=True, text=True, check=True).stdout.splitlines()
    narrow = subprocess.run([sys.executable, "-m", "mkdocs_readinglist.cli", "papers", "bib"], cwd=tmp_path,
                            env={**env, "COLUMNS": "80"}, capture_output=True, text=True, check=True).stdout.splitlines()
    assert max(map(len, piped)) > 120 and "…" not in "\n".join(piped)
    assert max(map(len, narrow)) <= 80 and len(narrow) == len(piped)
    for wide, cut in zip(piped[2:], narrow[2:], strict=True):  # each key whole or cut, never another's
        assert wide.split()[0].startswith(cut.split()[0].removesuffix("…"))


def test_each_message_is_one_line_on_a_real_bibliography() -> None:
    """`FILE:LINE: warning[code]: message` is one line: tugboat.bib's `url = {A; B}` spread over two
    lines of the file broke it (a value in a message has its line breaks as spaces)."""
    from mkdocs_readinglist.pipeline import run_pipeline

    from .helpers import texlive

    tugboat = texlive("tugboat.bib")
    settings, _ = settings_from_mapping(tugboat.parent, {"sources": [str(tugboat)]})
    found = run_pipeline(settings).diagnostics
    assert any(d.code == "bad-field" for d in found)
    assert all("\n" not in d.format() for d in found)
