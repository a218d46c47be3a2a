"""Long fuzzing run of every importer: the properties of ``tests/fuzz`` with many more cases.

    .venv/bin/python bench/fuzz.py MINUTES [TARGET ...]

Splits MINUTES evenly over the targets (every importer format by default) and, for each,
runs rounds of 200 hypothesis cases until its share of time is spent; prints the cases tried
and the failures found per importer, then each distinct failure. Exit 1 when any failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HYPOTHESIS_PROFILE", "long")
os.environ.setdefault("BIDVET_TODAY", "2026-11-25")

from tests.fuzz import conftest as _profiles  # noqa: E402,F401 - registers the profiles
from tests.fuzz.seeds import seeds  # noqa: E402
from tests.fuzz.test_importers_fuzz import run_target  # noqa: E402

ROUND = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("minutes", type=float)
    parser.add_argument("targets", nargs="*")
    args = parser.parse_args(argv)
    known = seeds()
    targets = args.targets or sorted(known)
    share = args.minutes * 60 / len(targets)
    total_tried = 0
    found: dict[str, set[str]] = {}
    print(f"{'importer':<24} {'cases':>8} {'failures':>9} {'seconds':>8}")
    for name in targets:
        start = time.monotonic()
        tried = 0
        failures: set[str] = set()
        while time.monotonic() - start < share:
            with tempfile.TemporaryDirectory() as tmp:
                n, fails = run_target(known[name], Path(tmp), max_examples=ROUND)
            tried += n
            failures.update(fails)
        found[name] = failures
        total_tried += tried
        elapsed = time.monotonic() - start
        print(f"{name:<24} {tried:>8} {len(failures):>9} {elapsed:>8.0f}", flush=True)
    print(f"{'total':<24} {total_tried:>8} {sum(len(f) for f in found.values()):>9}")
    for name, failures in found.items():
        for failure in sorted(failures):
            print(f"{name}: {failure}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
