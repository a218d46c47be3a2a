"""Official-list import benchmark on the real files in ../shared/data.

For each file prints: parse time (file → ImportBatch, best of ``--runs``), records imported,
and the time to load it into a fresh SQLite store in one transaction (parse + write). Also
prints ``uptime``, since the machine is shared.

Run: ``.venv/bin/python bench/official_lists_bench.py [--runs 3] [--data ../shared/data]``.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store

FILES = (
    "official-lists-2024/sdn.xml",
    "official-lists-2024/consolidated.xml",
    "official-lists-2024/eu_fsf_20240513-FULL-1_1.xml",
    "official-lists-2024/un_consolidated.xml",
    "us-csl-2023/csl.csv",
    "ofac-nonsdn-csv-2025/cons_prim.csv",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    args = parser.parse_args()
    parse_file(args.data / FILES[1])  # import the importers once, outside the timings
    print(f"{'file':<50} {'records':>8} {'parse s':>8} {'sqlite load s':>14}")
    for rel in FILES:
        path = args.data / rel
        best = float("inf")
        imported = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            _importer, batch = parse_file(path)
            best = min(best, time.perf_counter() - start)
            imported = batch.imported
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(f"sqlite:///{tmp}/bench.db")
            start = time.perf_counter()
            load_file(store, path)
            load = time.perf_counter() - start
            store.dispose()
        print(f"{rel:<50} {imported:>8} {best:>8.2f} {load:>14.2f}")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
