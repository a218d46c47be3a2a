"""Warm command-line latency: ``bidvet screen NAME`` and ``bidvet assess`` of the embassy example
on a store of the official lists, beside the floor a fresh process of this stack cannot go under.

Unless ``--db`` names a loaded store, builds one (SQLite, in a temporary folder) the way
``scripts/demo`` does: the official lists of ../shared/data (OFAC SDN and consolidated, EU, UN,
the US CSL) and the bundled knowledge. Each command then runs once untimed (the first screen
builds the screening index; bytecode is cached) and ``--runs`` times timed: wall time, and the
CPU time of the child process. The floors, timed the same way:

* ``imports``: a bare interpreter importing the third-party packages a screen needs
  (SQLAlchemy, numpy, rapidfuzz, click, annotated_types, rigour's name module);
* ``bidvet --version``: the command-line entry point and the package's own imports.

``--baseline DIR`` times a second checkout's ``src`` (put first on ``PYTHONPATH``, same
virtual environment, its own cache folder) in the same run, alternating with this one, for
side-by-side figures on a machine whose speed moves. Commands run as ``python -m bidvet``;
children run without ``PYTHONDONTWRITEBYTECODE``, so they read cached bytecode as an installed
bidvet does. Prints median and best of each, the load average before and after, and the
targets (warm screen ≤ 0.5 s, warm assess ≤ 1 s).

Run: ``.venv/bin/python bench/cli_latency_bench.py [--runs 7] [--db URL] [--baseline DIR]``
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from web_load_bench import LISTS  # the lists scripts/demo loads

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
TENDER = ROOT / "examples" / "embassy-scanners" / "tender.yaml"
NAME = "Nuctech Company Limited"
FLOOR_IMPORTS = "import sqlalchemy, numpy, rapidfuzz, click, annotated_types, rigour.names"
TARGETS = {"screen": 0.5, "assess": 1.0}


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and child CPU seconds of one run of ``cmd`` (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def build_store(db: str, data: Path, env: dict[str, str]) -> None:
    bidvet = str(ROOT / ".venv" / "bin" / "bidvet")
    files = [data / f for f in LISTS if (data / f).is_file()]
    if not files:
        raise SystemExit(f"{data}: none of the official lists found; give --data ../shared/data")
    t = time.perf_counter()
    for path in files:
        subprocess.run([bidvet, "--db", db, "load", str(path)], env=env, check=True)
    subprocess.run([bidvet, "--db", db, "knowledge", "install"], env=env, check=True)
    print(f"store built in {time.perf_counter() - t:.1f} s from {len(files)} list files")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=7, help="timed runs of each command")
    ap.add_argument("--db", help="a store already loaded with the lists (default: build one)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--baseline", type=Path, help="another checkout to time side by side")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bidvet-cli-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("BIDVET_CACHE_DIR", str(work / "cache"))
    db = args.db or f"sqlite:///{work / 'lists.db'}"
    if args.db is None:
        build_store(db, args.data, env)
    python = str(ROOT / ".venv" / "bin" / "python")
    # ``python -m bidvet``: the program of whichever checkout is first on the path (the console
    # script names this checkout's entry point, which a baseline may not have)
    bidvet = [python, "-m", "bidvet"]
    report = str(work / "report.json")
    commands = {
        "imports": [python, "-c", FLOOR_IMPORTS],
        "bidvet --version": [*bidvet, "--version"],
        "screen": [*bidvet, "--db", db, "screen", NAME],
        "assess": [
            *bidvet, "--db", db, "assess", str(TENDER), "--as-of", "2021-01-01",
            "--format", "json", "-o", report,
        ],
    }  # fmt: skip
    versions = {"this checkout": env}
    if args.baseline is not None:
        # its own cache folder: a store's cache of another recipe replaces the earlier one
        versions[f"baseline {args.baseline}"] = {
            **env,
            "PYTHONPATH": str(args.baseline / "src"),
            "BIDVET_CACHE_DIR": str(work / "cache-baseline"),
        }
    for version_env in versions.values():
        for cmd in commands.values():
            timed(cmd, version_env)  # index built, bytecode cached
    load_before = os.getloadavg()
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(args.runs):
        for label, version_env in versions.items():
            for what, cmd in commands.items():
                times.setdefault((label, what), []).append(timed(cmd, version_env))
    load_after = os.getloadavg()
    print(
        f"\n{args.runs} runs each, alternating; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after ({os.cpu_count()} cores)"
    )
    print(f"{'version':28s} {'command':18s} {'wall median':>11s} {'best':>6s} {'CPU median':>10s}")
    for (label, what), runs in times.items():
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        target = TARGETS.get(what)
        verdict = ""
        if target is not None:
            met = "met" if statistics.median(walls) <= target else "not met"
            verdict = f"  target ≤ {target:g} s: {met}"
        print(
            f"{label:28s} {what:18s} {statistics.median(walls):10.2f}s {min(walls):5.2f}s "
            f"{statistics.median(cpus):9.2f}s{verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
