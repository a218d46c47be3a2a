"""Benchmark: load a generated FollowTheMoney export of N entities (default 1,000,000).

Writes N fictional FtM entities as JSON lines into a temporary folder — a mix of Company
(40 %), Person (20 %), Sanction (20 %, spread over the OpenSanctions datasets bidvet maps to
lists, plus a company registry and a disqualification dataset that are not lists) and
Ownership (20 %) — then loads the file with :func:`bidvet.sources.loader.load_file` into a
fresh SQLite store, and with ``--pg URL`` also into PostgreSQL. Prints entities per second and
peak RSS for each, parse and write separately. ``--profile`` runs cProfile on the load and
prints the top functions by cumulative time.

    .venv/bin/python bench/ftm_load_bench.py [--n 1000000] [--pg postgresql://…] [--profile]
        [--sizes 250000,1000000]

``--sizes`` runs each size in its own process and prints the machine (cores, RAM); the peak
RSS of each is then that size's own, so two sizes show whether memory stays flat.

Target (issue 11): ≥ 20,000 entities/s into SQLite, memory flat.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from load_measures import cpu_seconds, machine, rss_mb, sizes_in_subprocesses

SYLLABLES = ("bor", "ea", "lis", "kes", "trel", "fjor", "dal", "mar", "vin", "tor", "quil", "ny")
FORMS = ("Ltd", "LLC", "JSC", "GmbH", "Oy", "AS")
SANCTION_DATASETS = (
    "eu_fsf",
    "gb_fcdo_sanctions",
    "us_ofac_sdn",
    "ch_seco_sanctions",
    "ca_dfatd_sema_sanctions",
    "au_dfat_sanctions",
    "gb_coh_disqualified",
)


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
    return f"{word} Fictional {rng.choice(FORMS)}"


def generate(path: Path, n: int, seed: int = 11) -> None:
    """N entities: ids ``c<i>`` (companies), ``p<i>`` (people), ``s<i>``, ``o<i>``."""
    rng = random.Random(seed)
    companies = max(1, n * 2 // 5)
    people = n // 5
    sanctions = n // 5
    owners = n - companies - people - sanctions
    with path.open("w", encoding="utf-8") as fh:

        def emit(row: dict[str, Any]) -> None:
            fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")

        for i in range(companies):
            emit(
                {
                    "id": f"c{i}",
                    "schema": "Company",
                    "properties": {
                        "name": [_name(rng)],
                        "jurisdiction": [rng.choice(("ru", "cn", "gb", "fi", "no"))],
                        "registrationNumber": [f"{rng.randrange(10**9):09d}"],
                        "incorporationDate": [
                            f"{rng.randint(1990, 2023)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                        ],
                    },
                    "datasets": ["ext_ru_egrul"] if i % 3 else ["ext_ru_egrul", "eu_fsf"],
                }
            )
        for i in range(people):
            emit(
                {
                    "id": f"p{i}",
                    "schema": "Person",
                    "properties": {
                        "name": [f"{_name(rng).split()[0]} {rng.choice(SYLLABLES).title()}son"],
                        "nationality": [rng.choice(("ru", "cn", "gb"))],
                        "birthDate": [f"{rng.randint(1940, 2000)}"],
                    },
                    "datasets": ["gb_coh_disqualified"],
                }
            )
        for i in range(sanctions):
            dataset = SANCTION_DATASETS[i % len(SANCTION_DATASETS)]
            target = (
                f"p{i % people}"
                if dataset == "gb_coh_disqualified" and people
                else f"c{i % companies}"
            )
            emit(
                {
                    "id": f"s{i}",
                    "schema": "Sanction",
                    "properties": {
                        "entity": [target],
                        "program": ["Fictional programme"],
                        "startDate": [str(dt.date(2022, 1, 1) + dt.timedelta(days=i % 900))],
                    },
                    "datasets": [dataset],
                }
            )
        for i in range(owners):
            emit(
                {
                    "id": f"o{i}",
                    "schema": "Ownership",
                    "properties": {
                        "owner": [f"c{rng.randrange(companies)}"],
                        "asset": [f"c{rng.randrange(companies)}"],
                        "percentage": [str(rng.randint(1, 100))],
                    },
                    "datasets": ["ext_ru_egrul"],
                }
            )


def run(label: str, url: str, path: Path, n: int, profile: bool) -> None:
    store = Store(url)
    profiler = cProfile.Profile() if profile else None
    cpu = cpu_seconds()
    start = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    summary = load_file(store, path)
    if profiler is not None:
        profiler.disable()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    store.dispose()
    print(
        f"{label}: {n:,} entities in {elapsed:.1f} s = {n / elapsed:,.0f} entities/s "
        f"({n / cpu:,.0f} per CPU second; load average {os.getloadavg()[0]:.1f}); "
        f"imported {summary.imported:,}, rejected {summary.rejected:,}, "
        f"issues {len(summary.issues):,}; peak RSS so far {rss_mb():,.0f} MB",
        flush=True,
    )
    if profiler is not None:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--pg", help="also load into this PostgreSQL URL (an empty database)")
    parser.add_argument("--profile", action="store_true", help="cProfile the SQLite load")
    parser.add_argument(
        "--sizes", help="comma-separated sizes, each run in its own process (e.g. 250000,1000000)"
    )
    args = parser.parse_args()
    if args.sizes:
        rest = [a for a in sys.argv[1:] if a != "--sizes" and a != args.sizes]
        sizes_in_subprocesses(__file__, args.sizes, rest)
        return
    print(machine(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.ftm.json"
        start = time.perf_counter()
        generate(path, args.n)
        size = path.stat().st_size / 1e6
        print(
            f"generated {args.n:,} entities ({size:,.0f} MB) in {time.perf_counter() - start:.1f} s"
        )
        print(f"peak RSS before loading {rss_mb():,.0f} MB", flush=True)
        run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", path, args.n, args.profile)
        if args.pg:
            run("postgresql", args.pg, path, args.n, False)


if __name__ == "__main__":
    main()
