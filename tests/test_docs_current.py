"""The generated docs under docs/ are what ``python -m bidvet.docs_build`` produces.

A changed framework, evaluator docstring, price threshold, indicator fixture or command option
without regenerated docs fails here with the list of stale files and the command to run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bidvet.cli.app import main as bidvet_main
from bidvet.docs_build import check, generate, main, write
from bidvet.docs_build.build import COMMAND
from bidvet.docs_build.cli_help import COLUMNS, help_texts
from bidvet.docs_build.indicators import FIXTURES, config_keys, indicator_ids
from bidvet.framework.loader import bundled_framework
from bidvet.price import IndicatorSpec, indicator_specs, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_docs_are_current() -> None:
    problems = check(ROOT)
    assert not problems, (
        "docs/ does not match the generator:\n  "
        + "\n  ".join(problems)
        + f"\nregenerate with: {COMMAND}"
    )


def test_output_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    first = generate(ROOT)
    monkeypatch.setenv("COLUMNS", "40")
    assert generate(ROOT) == first
    assert list(first) == sorted(first)


def test_one_page_per_criterion_and_per_indicator() -> None:
    pages = generate(ROOT)
    for crit in bundled_framework().framework.criteria:
        assert f"docs/criteria/{crit.id}.md" in pages, crit.id
        assert f"[`{crit.id}`]({crit.id}.md)" in pages["docs/criteria/README.md"]
    for ident in indicator_ids():
        assert f"docs/indicators/{ident}.md" in pages, ident
        assert (ROOT / FIXTURES / f"{ident}.json").is_file(), ident


def test_every_price_setting_is_documented_on_an_indicator_page() -> None:
    documented = {key for spec in indicator_specs().values() for key, _ in spec.config}
    missing = sorted(set(config_keys(load_config())) - documented)
    assert not missing, f"price_flags.yaml keys on no indicator page: {missing}"


def test_cli_page_is_what_help_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(COLUMNS))
    texts_by_command = help_texts()
    assert "bidvet framework show" in texts_by_command
    for command, text in texts_by_command.items():
        assert bidvet_main([*command.split()[1:], "--help"]) == 0
        printed = capsys.readouterr().out
        assert printed == text + "\n", f"{command} --help printed:\n{printed}"


def test_check_names_stale_missing_and_extra_files_and_write_fixes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / FIXTURES, tmp_path / FIXTURES)
    assert main(["--root", str(tmp_path)]) == 0
    assert check(tmp_path) == []
    (tmp_path / "docs/criteria/state-control.md").write_text("edited by hand\n")
    (tmp_path / "docs/cli.md").unlink()
    (tmp_path / "docs/indicators/retired.md").write_text("old page\n")
    capsys.readouterr()
    assert main(["--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "missing: docs/cli.md",
        "stale: docs/criteria/state-control.md",
        "extra: docs/indicators/retired.md",
        f"docs are out of date; regenerate with: {COMMAND}",
    ], err
    assert write(tmp_path) == [
        "created: docs/cli.md",
        "updated: docs/criteria/state-control.md",
        "deleted: docs/indicators/retired.md",
    ]
    assert check(tmp_path) == []


def test_an_indicator_without_written_text_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from bidvet.docs_build import indicators as pages_module
    from bidvet.errors import ConfigError

    specs = indicator_specs()
    new = IndicatorSpec("new-indicator", next(iter(specs.values())).func, "New", 99, ())
    monkeypatch.setattr(pages_module, "indicator_specs", lambda: {**specs, new.name: new})
    with pytest.raises(ConfigError, match=r"indicators without text: \['new-indicator'\]"):
        pages_module.pages(ROOT)
