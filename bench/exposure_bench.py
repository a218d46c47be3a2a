"""Benchmark: exposure scan of N synthetic contracts (default 1,000,000).

Prints the time to scan, contracts per second, distinct suppliers screened, and peak memory.
Contracts are generated on the fly and streamed into the scanner (as ``scan`` consumes any
iterable of processes); the knowledge store holds fictional suppliers, a share of them listed.
``--store-n N`` also times the store-backed path (load N contracts, then ``scan_store``).

    .venv/bin/python bench/exposure_bench.py [--n 1000000] [--suppliers 5000] [--store-n 20000]

Target (issue 6): 1M contracts in ≤ 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from bidvet.exposure.scan import ExposureScanner, scan_store
from bidvet.model.contracts import (
    AwardRecord,
    ContractRecord,
    ItemRecord,
    Money,
    PartyRecord,
    ProcessRecord,
)
from bidvet.sources.loader import load_file
from bidvet.store.db import Store

WORDS_A = (
    "Borealis",
    "Tarn",
    "Kestrel",
    "Fjord",
    "Marram",
    "Quill",
    "Lumen",
    "Vantor",
    "Heron",
    "Osprey",
    "Cinder",
    "Ember",
    "Glacier",
    "Moraine",
    "Sorrel",
    "Tamarisk",
    "Umber",
    "Willow",
    "Yarrow",
    "Zephyr",
)
WORDS_B = (
    "Scanning",
    "Detection",
    "Imaging",
    "Security",
    "Systems",
    "Optics",
    "Vision",
    "Logistics",
    "Services",
    "Holdings",
    "Engineering",
    "Analytics",
)
SUFFIX = ("Ltd", "Oy", "AS", "GmbH", "BV", "SA", "AB", "Pty Ltd")
ITEMS = (
    "Hold baggage X-ray screening systems",
    "Full-body security scanners",
    "Biometric e-gates with fingerprint readers",
    "Network video recorder and CCTV cameras",
    "Maintenance of X-ray baggage scanners",
    "Catering services",
    "Cleaning services",
    "Road resurfacing works",
    "Legal advisory services",
    "Travel booking services",
)


def supplier_name(i: int) -> str:
    a = WORDS_A[i % len(WORDS_A)]
    b = WORDS_B[(i // len(WORDS_A)) % len(WORDS_B)]
    c = SUFFIX[(i // (len(WORDS_A) * len(WORDS_B))) % len(SUFFIX)]
    return f"{a} {b} {i:05d} {c}"


def knowledge(path: Path, suppliers: int, listed_every: int) -> Path:
    src = {"title": "Fictional benchmark data"}
    entities, listings = [], []
    for i in range(0, suppliers, 7):  # every 7th supplier is known to the store
        entities.append(
            {
                "id": f"bx-{i}",
                "schema": "Company",
                "names": [supplier_name(i)],
                "countries": ["fi"],
                "source": src,
            }
        )
        if i % listed_every == 0:
            listings.append(
                {
                    "entity": f"bx-{i}",
                    "list": "us-bis-entity",
                    "list_name": "Fictional Entity List",
                    "program": "BENCH",
                    "start_date": "2020-01-01",
                    "source": src,
                }
            )
    doc = {
        "bidvet": "curated/1",
        "dataset": "bench-exposure",
        "title": "Benchmark suppliers",
        "fictional": True,
        "entities": entities,
        "listings": listings,
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def processes(n: int, suppliers: int) -> Iterator[ProcessRecord]:
    buyer = PartyRecord("b", "Fictional Border Agency", ["buyer"])
    parties = [
        PartyRecord(f"s{i}", supplier_name(i), ["supplier"], [], "Finland")
        for i in range(suppliers)
    ]
    items = [ItemRecord("1", d) for d in ITEMS]
    for i in range(n):
        sup = parties[(i * 7919) % suppliers]
        date = dt.date(2015 + i % 10, 1 + i % 12, 1 + i % 28)
        value = Money(float(1000 + i % 100_000), "EUR")
        yield ProcessRecord(
            ocid=f"ocds-bench-{i}",
            buyer_id="b",
            parties=[buyer, sup],
            awards=[AwardRecord("a1", "active", date, value, [sup.id])],
            contracts=[
                ContractRecord(
                    "c1", "a1", date_signed=date, value=value, items=[items[i % len(items)]]
                )
            ],
        )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--suppliers", type=int, default=5000)
    parser.add_argument("--listed-every", type=int, default=70)
    parser.add_argument("--store-n", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        load_file(store, knowledge(Path(tmp) / "k.yaml", args.suppliers, args.listed_every))
        base = peak_mb()
        t0 = time.perf_counter()
        scanner = ExposureScanner(store, as_of=dt.date(2026, 1, 1))
        t_index = time.perf_counter() - t0
        t1 = time.perf_counter()
        for proc in processes(args.n, args.suppliers):
            scanner.add(proc)
        result = scanner.result()
        t_scan = time.perf_counter() - t1
        out = {
            "contracts": result.contracts,
            "distinct_suppliers": len(result.suppliers),
            "suppliers_screened": result.suppliers_screened,
            "exposures": len(result.exposures),
            "setup_seconds": round(t_index, 2),
            "scan_seconds": round(t_scan, 2),
            "contracts_per_second": round(result.contracts / t_scan),
            "peak_rss_mb": round(peak_mb(), 1),
            "peak_rss_before_scan_mb": round(base, 1),
            "target_seconds": 120,
            "meets_target": t_scan <= 120,
        }
        if args.store_n:
            pkg = Path(tmp) / "h.jsonl"
            from bidvet.sources.ocds import OcdsImporter  # noqa: F401  (format registered)

            with pkg.open("w") as fh:
                for p in processes(args.store_n, args.suppliers):
                    c = p.contracts[0]
                    sup = p.parties[1]
                    fh.write(
                        json.dumps(
                            {
                                "ocid": p.ocid,
                                "id": "r1",
                                "date": f"{c.date_signed}T00:00:00Z",
                                "tag": ["contract"],
                                "buyer": {"id": "b", "name": "Fictional Border Agency"},
                                "parties": [
                                    {"id": sup.id, "name": sup.name, "roles": ["supplier"]}
                                ],
                                "awards": [
                                    {"id": "a1", "status": "active", "suppliers": [{"id": sup.id}]}
                                ],
                                "contracts": [
                                    {
                                        "id": "c1",
                                        "awardID": "a1",
                                        "dateSigned": str(c.date_signed),
                                        "value": {
                                            "amount": c.value.amount if c.value else 0,
                                            "currency": "EUR",
                                        },
                                        "items": [
                                            {"id": "1", "description": c.items[0].description}
                                        ],
                                    }
                                ],
                            }
                        )
                        + "\n"
                    )
            t2 = time.perf_counter()
            load_file(store, pkg)
            t3 = time.perf_counter()
            res = scan_store(store, as_of=dt.date(2026, 1, 1))
            t4 = time.perf_counter()
            out.update(
                {
                    "store_contracts": res.contracts,
                    "store_load_seconds": round(t3 - t2, 2),
                    "store_scan_seconds": round(t4 - t3, 2),
                }
            )
        store.dispose()
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
