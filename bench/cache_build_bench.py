"""A store's first screening cache build asked for by a process running other threads (the
workspace's server): built in that process on one core, against built by a process of its own
(:mod:`bidvet.screening.cache_build`), which shares the work among forked workers.

Each build runs in a fresh interpreter with a second thread running and an empty cache folder of
its own, the two ways alternating ``--runs`` times; the first build of each way is compared file
by file (the same cache, or the bench fails). Prints the wall time of each build, the median of
each way and the load average before and after. The store is read, never written: give one
already loaded with the lists (``scripts/demo`` makes one).

Run: ``.venv/bin/python bench/cache_build_bench.py --db sqlite:///out/demo.db [--runs 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WAYS = ("in the process", "by a process of its own")


def child(db: str, way: str) -> None:
    """Time one build, the way ``way``, with a second thread running; print JSON."""
    from bidvet.screening import cache_build, engine
    from bidvet.store.db import Store

    # each way whatever the store's size (the server delegates from ELSEWHERE_NAMES names on)
    cache_build.ELSEWHERE_NAMES = sys.maxsize if way == WAYS[0] else 0
    done = threading.Event()
    threading.Thread(target=done.wait, daemon=True).start()
    store = Store(db, migrate=False)
    try:
        start = time.perf_counter()
        matcher = engine.load_matcher(store)
        wall = time.perf_counter() - start
        names = len(matcher.catalog)
    finally:
        done.set()
        store.dispose()
    print(json.dumps({"wall": wall, "names": names}))


def files(folder: Path) -> dict[str, bytes]:
    """The screening cache's files under ``folder`` (not the name model's JSON copy)."""
    return {
        str(f.relative_to(folder)): f.read_bytes()
        for f in sorted(folder.glob("store-*/**/*"))
        if f.is_file()
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--db", required=True, help="a store loaded with the lists (read only)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.db, args.child)
        return 0
    walls: dict[str, list[float]] = {way: [] for way in WAYS}
    first: dict[str, dict[str, bytes]] = {}
    load_before = os.getloadavg()[0]
    names = 0
    with tempfile.TemporaryDirectory(prefix="bidvet-cache-bench-") as tmp:
        for run in range(args.runs):
            for way in WAYS:
                cache = Path(tmp) / f"{run}-{WAYS.index(way)}"
                env = {**os.environ, "BIDVET_CACHE_DIR": str(cache)}
                out = subprocess.run(
                    [sys.executable, __file__, "--db", args.db, "--child", way],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(out.stdout.strip().splitlines()[-1])
                names = result["names"]
                walls[way].append(result["wall"])
                print(f"run {run + 1}  {way:24s} {result['wall']:6.1f} s", flush=True)
                if run == 0:
                    first[way] = files(cache)
    same = first[WAYS[0]] == first[WAYS[1]] and bool(first[WAYS[0]])
    print(f"\n{names} names; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    for way in WAYS:
        print(f"first build {way:24s} median {statistics.median(walls[way]):.1f} s")
    print(f"the same cache files both ways: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
