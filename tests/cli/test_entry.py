"""The ``bidvet`` program's entry point (:func:`bidvet.program.entry`) and the store a command
opens: the collector is tuned while the command runs and every object left is frozen when it
ends (so the interpreter's exit does not walk them all again), whatever the exit; the command's
store is disposed of when its context closes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bidvet import program
from bidvet.cli import app
from bidvet.store.db import Store
from tests.cli_helpers import run_cli


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Put the collector back as it was (thresholds, nothing frozen), and the environment
    variable :func:`~bidvet.program.entry` sets."""
    before = gc.get_threshold()
    name, _ = program.PLUGINS_SETTING
    monkeypatch.setenv(name, "kept")  # recorded, so the test's end restores it
    monkeypatch.delenv(name)
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


@pytest.mark.parametrize("ends", ["returns", "exits 1"])
def test_entry_tunes_the_collector_and_freezes_what_is_left(
    ends: str, collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, ...]] = []

    def command() -> None:
        seen.append(gc.get_threshold())
        assert gc.get_freeze_count() == 0
        if ends == "exits 1":
            raise SystemExit(1)

    monkeypatch.setattr(app, "main", command)
    gc.unfreeze()
    if ends == "exits 1":
        with pytest.raises(SystemExit):
            program.entry()
    else:
        program.entry()
    assert seen == [program.GC_THRESHOLD]
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize("before", [None, "", "logfire"])
def test_entry_runs_no_pydantic_plugin_unless_told(
    before: str | None, collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plugins other packages declare to pydantic are not loaded into bidvet's process (a tool
    about data leaving must not run observability hooks it was not asked to), unless the
    variable says otherwise; the commands' processes inherit it."""
    name, off = program.PLUGINS_SETTING
    if before is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, before)
    seen: list[str | None] = []
    monkeypatch.setattr(app, "main", lambda: seen.append(os.environ.get(name)))
    gc.unfreeze()
    program.entry()
    assert seen == [off if before is None else before]


def test_main_leaves_the_collector_alone(collector: None, tmp_path: Path) -> None:
    gc.unfreeze()
    before = gc.get_threshold()
    result = run_cli("status", db=tmp_path / "s.db")
    assert result.exit_code == 0, result.stderr
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_command_store_is_disposed_of_when_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disposed: list[str] = []
    original = Store.dispose

    def dispose(self: Store) -> None:
        disposed.append(str(self.engine.url))
        original(self)

    monkeypatch.setattr(Store, "dispose", dispose)
    result = run_cli("status", db=tmp_path / "s.db")
    assert result.exit_code == 0, result.stderr
    assert disposed == [f"sqlite:///{tmp_path / 's.db'}"]


def test_the_program_tunes_the_collector_before_the_command_line_is_imported() -> None:
    """Importing the package and the program loads neither SQLAlchemy nor the package
    metadata (they are read when asked for: ``bidvet.Store``, ``bidvet.__version__``), so
    :func:`bidvet.program.entry` tunes the collector before they are imported."""
    probe = (
        "import sys, bidvet, bidvet.program\n"
        "heavy = ('sqlalchemy', 'importlib.metadata', 'bidvet.cli')\n"
        "print(','.join(m for m in heavy if m in sys.modules) or 'none')\n"
        "print(bidvet.Store.__module__, bidvet.__version__ == bidvet.__version__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["none", "bidvet.store.db", "True"]


def test_version_reads_the_package_metadata_when_asked_for(tmp_path: Path) -> None:
    import bidvet

    result = run_cli("--version", db=tmp_path / "s.db")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"bidvet, version {bidvet.__version__}"
