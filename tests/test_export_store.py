"""`readinglist bib` of unchanged inputs comes from .cache/readinglist/exports, and every input,
option or version the export depends on makes it again. Counted work (pipeline runs), no stopwatch:
each export is compared byte for byte, diagnostics included, with one made afresh (`--no-cache`)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mkdocs_readinglist import cli

from .helpers import copy_samples
from .test_bib_round_trip import texlive_bib


class Exporter:
    """Runs `readinglist bib` in-process in a folder, counting the pipeline runs."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.root, self.capsys, self.runs = root, capsys, 0
        monkeypatch.chdir(root)
        original = cli.run_pipeline

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.runs += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(cli, "run_pipeline", counted)

    def __call__(self, *args: str) -> tuple[int, str, str, int]:
        """(exit code, .bib text, what it reported, pipeline runs) of one export."""
        before = self.runs
        self.capsys.readouterr()
        code = cli.main(["bib", "bib", "-o", "out.bib", *args])
        err = self.capsys.readouterr().err
        text = (self.root / "out.bib").read_text(encoding="utf-8") if (self.root / "out.bib").exists() else ""
        return code, text, err, self.runs - before

    def fresh(self, *args: str) -> tuple[int, str, str]:
        code, text, err, runs = self("--no-cache", *args)
        assert runs == 1
        return code, text, err


def _samples(root: Path) -> Path:
    bib = copy_samples(root)
    shutil.copy(texlive_bib("xampl.bib"), bib / "xampl.bib")  # crossrefs, @string, @preamble
    return bib


def test_an_export_of_unchanged_inputs_comes_from_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    _samples(tmp_path)
    export = Exporter(tmp_path, monkeypatch, capsys)
    first = export()
    assert first[3] == 1 and first[0] == 0 and first[1].count("\n@") > 200
    lock = (tmp_path / "bib" / "readinglist.lock").read_text(encoding="utf-8")
    # The first export wrote the key lock: an input changed during the run, so it was not kept.
    second = export()
    assert second[3] == 1 and second[:3] == first[:3]
    third = export()
    assert third[3] == 0 and third[:3] == first[:3]  # nothing read, merged, keyed or written again
    assert (tmp_path / "bib" / "readinglist.lock").read_text(encoding="utf-8") == lock
    assert export.fresh() == first[:3]
    # the lock deleted: the export is made again and writes the same lock again
    (tmp_path / "bib" / "readinglist.lock").unlink()
    again = export()
    assert again[3] == 1 and again[:3] == first[:3]
    assert (tmp_path / "bib" / "readinglist.lock").read_text(encoding="utf-8") == lock
    # a damaged store is only slower
    for kept in (tmp_path / ".cache" / "readinglist" / "exports").glob("*.pickle"):
        kept.write_bytes(b"\x80\x05garbage")
    assert export()[:3] == first[:3]


def _edit_source(root: Path) -> None:
    path = root / "bib" / "xampl.bib"
    path.write_text(path.read_text(encoding="utf-8").replace("The Definitive Computer Manual",
                                                             "The Definitive Computer Handbook"), encoding="utf-8")


def _add_source(root: Path) -> None:
    shutil.copy(texlive_bib("biblatex-examples.bib"), root / "bib" / "examples.bib")


def _edit_lock(root: Path) -> None:
    lock = root / "bib" / "readinglist.lock"
    text = lock.read_text(encoding="utf-8")
    key = next(line[:-1] for line in text.splitlines() if line.endswith(":") and not line.startswith("#"))
    lock.write_text(text.replace(f"\n{key}:\n", f"\nrenamed{key}:\n", 1), encoding="utf-8")


def _add_resolved(root: Path) -> None:
    (root / "bib" / "resolved.yml").write_text("{}\n", encoding="utf-8")


def _write_aux(root: Path, *keys: str) -> None:
    (root / "paper.aux").write_text("".join(f"\\citation{{{k}}}\n" for k in keys) + "\\bibdata{out}\n",
                                    encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a source's bytes": _edit_source, "a new source": _add_source, "the key lock": _edit_lock,
    "resolved.yml": _add_resolved,
}


@pytest.mark.parametrize("edit", EDITS)
def test_any_changed_input_makes_the_export_again(edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _samples(tmp_path)
    export = Exporter(tmp_path, monkeypatch, capsys)
    export(), export()
    assert export()[3] == 0
    EDITS[edit](tmp_path)
    changed = export()
    assert changed[3] == 1
    assert changed[:3] == export.fresh()


OPTIONS: dict[str, tuple[str, ...]] = {
    "--topic": ("--topic", "Human Pose"), "--key": ("--key", "knuth:1968"), "--omit": ("--omit", "abstract"),
    "--strict": ("--strict",), "--aux": ("--aux", "paper.aux"),
}


@pytest.mark.parametrize("option", OPTIONS)
def test_any_other_option_makes_the_export_again(option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _samples(tmp_path)
    _write_aux(tmp_path, "whole-set", "Knuth:1968", "absent")
    export = Exporter(tmp_path, monkeypatch, capsys)
    export(), export()
    plain = export()
    assert plain[3] == 0
    args = OPTIONS[option]
    made = export(*args)
    assert made[3] == 1 and made[:3] == export.fresh(*args)
    assert made[:3] != plain[:3]
    export(*args)
    assert export(*args)[3] == 0  # then kept too
    if option == "--aux":  # another citation, or the same at another line of the .aux
        _write_aux(tmp_path, "Knuth:1968", "whole-set", "absent")
        moved = export(*args)
        assert moved[3] == 1 and moved[:3] == export.fresh(*args) and moved[2] != made[2]
        _write_aux(tmp_path, "Knuth:1968", "whole-set", "absent", "whole-journal")
        cited = export(*args)
        assert cited[3] == 1 and cited[:3] == export.fresh(*args) and cited[1] != moved[1]
    assert export()[:3] == plain[:3]


def test_another_version_or_setting_makes_the_export_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    _samples(tmp_path)
    export = Exporter(tmp_path, monkeypatch, capsys)
    export(), export()
    assert export()[3] == 0
    monkeypatch.setattr(cli, "__version__", "0.0.0+other")
    assert export()[3] == 1
    assert export()[3] == 0
    original = cli._version
    monkeypatch.setattr(cli, "_version", lambda name: "9.9" if name == "bibtexparser" else original(name))
    assert export()[3] == 1
    assert export()[3] == 0
    from mkdocs_readinglist import source_store

    monkeypatch.setattr(source_store, "code_digest", lambda: "other code")
    assert export()[3] == 1
    # a setting: the diagnostics' levels of a config file
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - readinglist:\n      sources: [bib]\n",
                                         encoding="utf-8")
    assert cli.main(["bib", "--config", "mkdocs.yml", "-o", "out.bib"]) == 0
    runs = export.runs
    assert cli.main(["bib", "--config", "mkdocs.yml", "-o", "out.bib"]) == 0 and export.runs == runs
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - readinglist:\n      sources: [bib]\n"
                                         "      diagnostics:\n        no-year: error\n", encoding="utf-8")
    assert cli.main(["bib", "--config", "mkdocs.yml", "-o", "out.bib"]) == 1 and export.runs == runs + 1
    assert "error[no-year]" in capsys.readouterr().err


def test_an_export_whose_sources_changed_while_it_ran_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _samples(tmp_path)
    export = Exporter(tmp_path, monkeypatch, capsys)
    export(), export()
    assert export()[3] == 0
    _edit_source(tmp_path)
    counted = cli.run_pipeline

    def edited_meanwhile(*args: Any, **kwargs: Any) -> Any:
        corpus = counted(*args, **kwargs)
        _add_resolved(tmp_path)  # written while the export ran, after it was read
        path = tmp_path / "bib" / "xampl.bib"
        path.write_text(path.read_text(encoding="utf-8") + "\n@misc{later, title = {Later}}\n", encoding="utf-8")
        return corpus

    monkeypatch.setattr(cli, "run_pipeline", edited_meanwhile)
    assert export()[3] == 1
    monkeypatch.setattr(cli, "run_pipeline", counted)
    again = export()
    assert again[3] == 1 and "@misc{later," in again[1]
    assert again[:3] == export.fresh()
