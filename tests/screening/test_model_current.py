"""The bundled name model and common-word table are what ``bench/train_name_model.py`` fits
from the real lists today: a change that moves the training set (a reading of names, the
candidates the supplier negatives are taken from) without a refit fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_bundled_name_model_is_the_fit_of_the_code(shared_data: Path) -> None:
    # the fit needs the development install (wordfreq for the common-word table) and the
    # versions it was fitted with; the lowest-versions smoke run has neither
    pytest.importorskip("wordfreq")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "train_name_model.py"),
            "--check",
            "--data",
            str(shared_data),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "name model is current" in done.stdout
