"""Benchmark: load generated GLEIF Golden Copy JSON files of N LEI and M relationship records.

Writes N fictional LEI records (default 3,000,000; LEIs under the unassigned prefix ``ZZZZ00``
with valid ISO 17442 check digits, fictional names) and M relationship records between them
(default N / 6, about the Golden Copy's own ratio) as ``{"records": [...]}`` files into a
temporary folder, then loads both with :func:`bidvet.sources.loader.load_file` into a fresh
SQLite store. Prints records per second for parsing alone and for the whole load (parse and
write), and peak RSS after each step. ``--profile`` runs cProfile on the LEI load and prints
the top functions by cumulative time.

    .venv/bin/python bench/gleif_json_bench.py [--n 3000000] [--m 500000] [--profile]
        [--pg postgresql://…] [--no-parse-pass] [--sizes 750000,3000000]

``--sizes`` runs each size in its own process and prints the machine (cores, RAM); the peak
RSS of each is then that size's own, so two sizes show whether memory stays flat (give
``--no-parse-pass`` too: the parse-only pass holds every record in memory, as ``read`` does).
Each load also prints records per CPU second (this process and the reading process), which
does not depend on what else runs on the machine, and the load average. A file is read by a
second process while this one writes only when the load average leaves a core spare; else it
is read and written as it is read in this one process (the reading process then shows 0 MB).

Target (issue 11): ≥ 20,000 records/s into SQLite, memory flat.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bidvet.model.identifiers import lei_is_valid
from bidvet.sources.loader import load_file, parse_file
from bidvet.store.db import Store
from load_measures import child_rss_mb, cpu_seconds, machine, rss_mb, sizes_in_subprocesses

SYLLABLES = ("bor", "ea", "lis", "kes", "trel", "fjor", "dal", "mar", "vin", "tor", "quil", "ny")
FORMS = ("Ltd", "LLC", "GmbH", "Oy", "AS", "Fund")
COUNTRIES = ("US-DE", "GB", "FI", "NO", "DE", "US-MA", "CN", "JP")
KINDS = ("IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY", "IS_FUND-MANAGED_BY")


def lei(i: int) -> str:
    """The i-th fictional LEI: ``ZZZZ00`` + 12 digits + ISO 7064 MOD 97-10 check digits."""
    base = f"ZZZZ00{i:012d}"
    number = int("".join(str(int(c, 36)) for c in base) + "00")
    code = f"{base}{98 - number % 97:02d}"
    assert lei_is_valid(code), code
    return code


def _t(value: str) -> dict[str, str]:
    return {"$": value}


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
    return f"{word} Fictional {rng.choice(FORMS)}"


def _lei_record(i: int, rng: random.Random) -> dict[str, Any]:
    region = rng.choice(COUNTRIES)
    country = region.split("-")[0]
    address = {
        "@xml:lang": "en",
        "FirstAddressLine": _t(f"{rng.randint(1, 999)} Fictional Street"),
        "City": _t("Nowhere"),
        "Country": _t(country),
        "PostalCode": _t(f"{rng.randrange(10**5):05d}"),
    }
    entity: dict[str, Any] = {
        "LegalName": {"@xml:lang": "en", "$": _name(rng)},
        "LegalAddress": address,
        "HeadquartersAddress": address,
        "RegistrationAuthority": {
            "RegistrationAuthorityID": _t("RA999999"),
            "RegistrationAuthorityEntityID": _t(f"{rng.randrange(10**8):08d}"),
        },
        "LegalJurisdiction": _t(region),
        "EntityCategory": _t("FUND" if i % 5 == 0 else "GENERAL"),
        "LegalForm": {"EntityLegalFormCode": _t("8888")},
        "EntityStatus": _t("ACTIVE"),
    }
    if i % 4 == 0:
        entity["OtherEntityNames"] = {
            "OtherEntityName": [
                {"@xml:lang": "en", "@type": "PREVIOUS_LEGAL_NAME", "$": _name(rng)}
            ]
        }
    return {
        "LEI": _t(lei(i)),
        "Entity": entity,
        "Registration": {
            "InitialRegistrationDate": _t("2014-03-20T01:30:57.914Z"),
            "LastUpdateDate": _t("2023-05-18T15:41:20.212Z"),
            "RegistrationStatus": _t("ISSUED"),
            "ManagingLOU": _t("ZZZZ0000000000000000"),
            "ValidationSources": _t("FULLY_CORROBORATED"),
        },
    }


def _rr_record(n: int, rng: random.Random) -> dict[str, Any]:
    child, parent = rng.randrange(n), rng.randrange(n)
    return {
        "Relationship": {
            "StartNode": {"NodeID": _t(lei(child)), "NodeIDType": _t("LEI")},
            "EndNode": {"NodeID": _t(lei(parent)), "NodeIDType": _t("LEI")},
            "RelationshipType": _t(rng.choice(KINDS)),
            "RelationshipPeriods": {
                "RelationshipPeriod": [
                    {
                        "StartDate": _t(f"{rng.randint(1995, 2023)}-01-01T00:00:00.000Z"),
                        "PeriodType": _t("RELATIONSHIP_PERIOD"),
                    }
                ]
            },
            "RelationshipStatus": _t("ACTIVE"),
        },
        "Registration": {"RegistrationStatus": _t("PUBLISHED")},
    }


def generate(folder: Path, n: int, m: int, seed: int = 11) -> tuple[Path, Path]:
    rng = random.Random(seed)
    header = {"ContentDate": _t("2026-01-01T00:00:00Z"), "FileContent": _t("GLEIF_FULL")}
    paths = (folder / "lei2-golden-copy.json", folder / "rr-golden-copy.json")
    for path, count, make in (
        (paths[0], n, lambda i: _lei_record(i, rng)),
        (paths[1], m, lambda i: _rr_record(n, rng)),
    ):
        with path.open("w", encoding="utf-8") as fh:
            fh.write('{"header":' + json.dumps(header) + ',"records":[\n')
            for i in range(count):
                fh.write(("," if i else "") + json.dumps(make(i), separators=(",", ":")) + "\n")
            fh.write("]}\n")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=3_000_000, help="LEI records")
    parser.add_argument("--m", type=int, help="relationship records (default n / 6)")
    parser.add_argument("--profile", action="store_true", help="cProfile the LEI load")
    parser.add_argument("--pg", help="also load into this PostgreSQL URL (an empty database)")
    parser.add_argument("--no-parse-pass", action="store_true", help="skip the parse-only pass")
    parser.add_argument(
        "--sizes", help="comma-separated sizes, each run in its own process (e.g. 250000,1000000)"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=120.0,
        help="wait up to this many seconds after generating for the 1-minute load average, "
        "which the generating itself raises, to leave a core spare as for a user's load "
        "(0: do not wait)",
    )
    args = parser.parse_args()
    if args.sizes:
        rest = [a for a in sys.argv[1:] if a != "--sizes" and a != args.sizes]
        sizes_in_subprocesses(__file__, args.sizes, rest)
        return
    print(machine(), flush=True)
    m = args.n // 6 if args.m is None else args.m
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        lei_path, rr_path = generate(Path(tmp), args.n, m)
        size = (lei_path.stat().st_size + rr_path.stat().st_size) / 1e6
        print(
            f"generated {args.n:,} LEI + {m:,} relationship records ({size:,.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s; peak RSS {rss_mb():,.0f} MB",
            flush=True,
        )
        if not args.no_parse_pass:
            for path, count in ((lei_path, args.n), (rr_path, m)):
                start = time.perf_counter()
                batch = parse_file(path)[1]
                elapsed = time.perf_counter() - start
                assert batch.imported == count, (batch.imported, count)
                del batch
                print(
                    f"parse only {path.name}: {count / elapsed:,.0f} records/s "
                    f"({elapsed:.1f} s); peak RSS {rss_mb():,.0f} MB",
                    flush=True,
                )
        if args.settle:
            settle(args.settle)
        load_all("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", (lei_path, rr_path), args)
        if args.pg:
            load_all("PostgreSQL", args.pg, (lei_path, rr_path), args)


def settle(limit: float) -> None:
    """Wait (at most ``limit`` s) until the 1-minute load average leaves a core spare: the
    generating just done raised it by up to one, which a user's ``bidvet load`` would not
    find. Prints how long it waited and the load it found."""
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    while os.getloadavg()[0] > cores - 1 and time.perf_counter() - start < limit:
        time.sleep(2)
    print(
        f"waited {time.perf_counter() - start:.0f} s for the load average to settle: "
        f"{os.getloadavg()[0]:.2f}",
        flush=True,
    )


def load_all(label: str, url: str, paths: tuple[Path, Path], args: argparse.Namespace) -> None:
    store = Store(url)
    lei_path, rr_path = paths
    m = args.n // 6 if args.m is None else args.m
    total, spent, spent_cpu = 0, 0.0, 0.0
    for path, count in ((lei_path, args.n), (rr_path, m)):
        profiler = cProfile.Profile() if args.profile and path == lei_path else None
        cpu = cpu_seconds()
        start = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        summary = load_file(store, path)
        if profiler is not None:
            profiler.disable()
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
        total, spent, spent_cpu = total + count, spent + elapsed, spent_cpu + cpu
        print(
            f"load {path.name} into {label}: {count / elapsed:,.0f} records/s "
            f"({elapsed:.1f} s; {count / cpu:,.0f} per CPU second; load average "
            f"{os.getloadavg()[0]:.1f}; imported {summary.imported:,}, rejected "
            f"{summary.rejected:,}); peak RSS {rss_mb():,.0f} MB, reading process "
            f"{child_rss_mb():,.0f} MB",
            flush=True,
        )
        if profiler is not None:
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    store.dispose()
    print(
        f"{label} total: {total:,} records in {spent:.1f} s = {total / spent:,.0f} records/s "
        f"({total / spent_cpu:,.0f} per CPU second); peak RSS {rss_mb():,.0f} MB",
        flush=True,
    )


if __name__ == "__main__":
    main()
