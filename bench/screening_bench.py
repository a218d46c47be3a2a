"""Screening benchmark: synthetic names, the bidvet index versus a rapidfuzz brute force.

Prints, in one run:

* single-query latency (p50/p99, one process) against ``--names`` synthetic names (default 1M);
* batch throughput (queries/s with ``--workers`` processes) of ``--batch-queries`` queries
  (default 20k) against ``--batch-index`` names (default 200k);
* recall@1 / recall@5 of the known variant behind each query (legal-suffix change, case change,
  one typo);
* the same figures for a rapidfuzz brute force (``process.extract`` / ``process.cdist`` of the
  same normalised cores with ``fuzz.ratio``), on a subset of queries because it is slow (the
  subset sizes are printed), and bidvet/brute-force ratios.

With ``--cli`` it measures instead ``bidvet screen --input`` as a user runs it: ``--cli-index``
fictional names (default 200,000) are written as FollowTheMoney JSON lines and loaded into a
fresh SQLite store, the screening index is built by a first ``bidvet screen``, then
``--cli-queries`` typed variants (default 5,000) are screened from the command line ``--runs``
times (default 3), against a rapidfuzz ``process.cdist`` brute force of the same queries on
``--workers`` processes (best of the normalised cores), in the same run; it prints the index
build time, the medians, their ratio and recall@1 of both, and the median CPU seconds of both
with their ratio (steadier than wall time on a machine shared with other work).

Names are fictional: invented words from syllables plus common business words and legal forms.
Run: ``.venv/bin/python bench/screening_bench.py [--names 1000000] [--workers 2]``; ``--quick``
runs a 100k/20k-name version in under a minute; ``--cli`` the command-line measurement.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import policy_for
from bidvet.screening.index import NameIndex, paused_gc
from bidvet.screening.matcher import Matcher

SYLLABLES = [
    "ka",
    "ri",
    "to",
    "mo",
    "sa",
    "ve",
    "lin",
    "dor",
    "tar",
    "nis",
    "bor",
    "ea",
    "quil",
    "lon",
    "mar",
    "ten",
    "vel",
    "aro",
    "zan",
    "tek",
    "pol",
    "via",
    "gra",
    "nor",
    "sun",
    "tri",
    "val",
    "kor",
    "bel",
    "dex",
    "fin",
    "gal",
    "hol",
    "ist",
    "jun",
    "kel",
    "lum",
    "nex",
    "orb",
    "pra",
    "qua",
    "ros",
    "sol",
    "tam",
    "umb",
    "ven",
    "wes",
    "xan",
    "yor",
    "zel",
    "an",
    "el",
    "or",
    "us",
    "ix",
    "ab",
    "ed",
    "ul",
    "ot",
    "im",
]
BUSINESS = [
    "trading",
    "international",
    "holdings",
    "group",
    "industries",
    "technologies",
    "systems",
    "logistics",
    "engineering",
    "energy",
    "shipping",
    "capital",
    "investments",
    "security",
    "solutions",
    "imaging",
    "scanning",
    "electronics",
    "construction",
    "services",
    "consulting",
    "import",
    "export",
    "global",
    "maritime",
    "aviation",
    "petroleum",
    "chemicals",
    "metals",
    "mining",
    "textiles",
    "pharma",
    "medical",
    "telecom",
    "digital",
]
FORMS = (
    "Ltd",
    "Limited",
    "LLC",
    "Co., Ltd.",
    "Inc.",
    "Corporation",
    "GmbH",
    "AG",
    "S.A.",
    "JSC",
    "OOO",
    "Oy",
    "B.V.",
    "Pte Ltd",
    "",
)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def invented_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))


def synthetic_names(n: int, seed: int) -> list[str]:
    """``n`` distinct fictional company names."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        words = [invented_word(rng) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        if rng.random() < 0.6:
            words.append(rng.choice(BUSINESS))
        core = " ".join(words)
        if core in seen:
            continue
        seen.add(core)
        form = rng.choice(FORMS)
        out.append(f"{core.title()} {form}".strip())
    return out


def variant(name: str, rng: random.Random) -> str:
    """A typed variant: another legal suffix, another case, or one typo."""
    kind = rng.choice(("suffix", "case", "typo"))
    if kind == "suffix":
        parts = name.split()
        base = " ".join(p for p in parts if p not in {f for f in " ".join(FORMS).split()})
        return f"{base} {rng.choice(FORMS)}".strip()
    if kind == "case":
        return rng.choice((name.upper(), name.lower()))
    positions = [i for i, ch in enumerate(name) if ch.isalpha() and i > 0]
    i = rng.choice(positions)
    op = rng.choice(("delete", "insert", "substitute", "transpose"))
    if op == "delete":
        return name[:i] + name[i + 1 :]
    if op == "insert":
        return name[:i] + rng.choice(LETTERS) + name[i:]
    if op == "substitute":
        return name[:i] + rng.choice([c for c in LETTERS if c != name[i].lower()]) + name[i + 1 :]
    if i + 1 < len(name) and name[i + 1] != name[i]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


#: the matching algorithm benchmarked (``--algorithm``; default: the policy's)
ALGORITHM: str | None = None


#: seconds of the last :func:`build`: the catalog (names normalised) and the index
BUILD_PARTS: dict[str, float] = {}


def build(names: Sequence[str]) -> tuple[Matcher, float]:
    t0 = time.perf_counter()
    with paused_gc():  # as Catalog.from_store makes its entries
        entries = [Entry(f"syn-{i}", [(n, "primary")]) for i, n in enumerate(names)]
        policy = policy_for(ALGORITHM)
        catalog = Catalog.from_entries(entries, policy.generic_org_words)
        del entries  # not needed any more: the index is built from the catalog
    t1 = time.perf_counter()
    matcher = Matcher.build(catalog, policy)
    t2 = time.perf_counter()
    BUILD_PARTS.update(catalog=t1 - t0, index=t2 - t1)
    return matcher, t2 - t0


def queries_for(names: Sequence[str], k: int, seed: int) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    targets = rng.sample(range(len(names)), k)
    return [(variant(names[t], rng), t) for t in targets]


def recall(results: Sequence[Sequence[int]], targets: Sequence[int]) -> tuple[float, float]:
    r1 = sum(1 for res, t in zip(results, targets, strict=True) if res[:1] == [t])
    r5 = sum(1 for res, t in zip(results, targets, strict=True) if t in res[:5])
    return r1 / len(targets), r5 / len(targets)


def _rows(matcher: Matcher, raw: Sequence[object]) -> list[int]:
    return [int(m.entity_id.removeprefix("syn-")) for m in raw]  # type: ignore[attr-defined]


@dataclass
class _Worker:
    """Holds the matcher in forked worker processes (inherited, not pickled)."""

    matcher: Matcher | None = None


_WORKER = _Worker()


def _batch_chunk(chunk: list[str]) -> list[list[int]]:
    matcher = _WORKER.matcher
    assert matcher is not None
    results = matcher.match_many([(q, None) for q in chunk], limit=5)
    return [_rows(matcher, r) for r in results]


def single_latency(
    matcher: Matcher, queries: list[tuple[str, int]]
) -> tuple[list[float], list[list[int]]]:
    times, results = [], []
    for q, _ in queries[:50]:  # warm-up
        matcher.match(q, limit=5)
    for q, _ in queries:
        t0 = time.perf_counter()
        res = matcher.match(q, limit=5)
        times.append(time.perf_counter() - t0)
        results.append(_rows(matcher, res))
    return times, results


def brute_single(
    matcher: Matcher, cores: list[str], queries: list[tuple[str, int]]
) -> tuple[list[float], list[list[int]]]:
    times, results = [], []
    for q, _ in queries:
        t0 = time.perf_counter()
        core = matcher.query_name(q).core
        res = process.extract(core, cores, scorer=fuzz.ratio, limit=5)
        times.append(time.perf_counter() - t0)
        results.append([int(r[2]) for r in res])
    return times, results


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values) * 1000.0, p))


def _machine() -> str:
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {ram:.0f} GiB RAM, load average {load}"


def _write_ftm(path: Path, names: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, name in enumerate(names):
            row = {
                "id": f"syn-{i}",
                "schema": "Company",
                "properties": {"name": [name]},
                "datasets": ["bench_fictional"],
            }
            fh.write(json.dumps(row, separators=(",", ":")) + "\n")


def _cli(db: str, env: dict[str, str], *args: str) -> tuple[float, float]:
    """Run ``bidvet --db DB ARGS``; return (and print) its wall and CPU time in seconds, worker
    processes included."""
    exe = Path(sys.executable).parent / "bidvet"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([str(exe), "--db", db, *args], check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"[cli]   bidvet {args[0]}: {wall:.1f} s wall, {cpu:.1f} s CPU")
    return wall, cpu


def _brute_top1(qcores: list[str], cores: list[str], workers: int) -> list[int]:
    top: list[int] = []
    for i in range(0, len(qcores), 250):  # 250 × 200k scores at a time: 50 MB
        scores = process.cdist(
            qcores[i : i + 250], cores, scorer=fuzz.ratio, workers=workers, dtype=np.uint8
        )
        top.extend(int(x) for x in np.argmax(scores, axis=1))
    return top


def cli_bench(args: argparse.Namespace) -> None:
    """``bidvet screen --input`` from the command line against a brute force; see the module
    docstring."""
    print(f"machine: {_machine()}")
    names = synthetic_names(args.cli_index, args.seed)
    queries = queries_for(names, args.cli_queries, args.seed + 3)
    with tempfile.TemporaryDirectory(prefix="bidvet-screen-bench-") as tmp_name:
        tmp = Path(tmp_name)
        db = f"sqlite:///{tmp / 'store.db'}"
        env = {**os.environ, "BIDVET_CACHE_DIR": str(tmp / "cache")}
        _write_ftm(tmp / "names.jsonl", names)
        from bidvet.sources.loader import load_file
        from bidvet.store.db import Store

        t0 = time.perf_counter()
        store = Store(db)
        load_file(store, tmp / "names.jsonl")
        store.dispose()
        print(f"[cli] {len(names):,} names loaded into SQLite in {time.perf_counter() - t0:.1f} s")
        build, _ = _cli(db, env, "screen", names[0])
        print(f"[cli] first bidvet screen (builds the index, then one query): {build:.1f} s")
        with (tmp / "queries.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "name"])
            writer.writerows((str(k), q) for k, (q, _) in enumerate(queries))
        out = tmp / "matches.jsonl"
        # the brute force scores the normalised cores, normalised here outside its timing
        policy = policy_for(ALGORITHM)
        catalog = Catalog.from_entries(
            [Entry(f"syn-{i}", [(n, "primary")]) for i, n in enumerate(names)],
            policy.generic_org_words,
        )
        cores = catalog.cores
        matcher_for_queries = Matcher(catalog, NameIndex.build([]), policy)
        cli_times: list[float] = []
        brute_times: list[float] = []
        cli_cpu: list[float] = []
        brute_cpu: list[float] = []
        brute_top: list[int] = []
        for run in range(args.runs):
            print(f"[cli] run {run + 1}: load average {os.getloadavg()[0]:.2f}")
            wall, cpu = _cli(
                db, env, "screen", "--input", str(tmp / "queries.csv"), "--output", str(out)
            )
            cli_times.append(wall)
            cli_cpu.append(cpu)
            t0 = time.perf_counter()
            cpu0 = time.process_time()
            qcores = [matcher_for_queries.query_name(q).core for q, _ in queries]
            brute_top = _brute_top1(qcores, cores, args.workers)
            brute_times.append(time.perf_counter() - t0)
            brute_cpu.append(time.process_time() - cpu0)
            print(f"[cli]   brute force: {brute_times[-1]:.1f} s wall, {brute_cpu[-1]:.1f} s CPU")
        targets = [t for _, t in queries]
        got: list[list[int]] = []
        with out.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                got.append(
                    [int(m["entity_id"].removeprefix("syn-")) for m in record["matches"][:5]]
                )
        r1, r5 = recall(got, targets)
        b1 = sum(1 for b, t in zip(brute_top, targets, strict=True) if b == t) / len(targets)
        n = len(queries)
        cli_med, brute_med = statistics.median(cli_times), statistics.median(brute_times)
        print(
            f"[cli] bidvet screen --input: {n:,} queries x {len(names):,} names, median of "
            f"{args.runs}: {cli_med:.1f} s = {n / cli_med:,.0f} queries/s (runs "
            f"{', '.join(f'{t:.1f}' for t in cli_times)} s, whole command: start, index read, "
            f"matching, listings, JSON lines)  recall@1 {r1:.4f} recall@5 {r5:.4f}"
        )
        print(
            f"[cli] brute force, rapidfuzz process.cdist on {args.workers} workers: median "
            f"{brute_med:.1f} s = {n / brute_med:,.0f} queries/s (runs "
            f"{', '.join(f'{t:.1f}' for t in brute_times)} s)  recall@1 {b1:.4f}"
        )
        print(f"[cli] ratio bidvet/brute throughput {brute_med / cli_med:.1f}x (target ≥ 3x)")
        # on a shared machine the wall times move with the others' load; CPU time much less
        cpu_cli, cpu_brute = statistics.median(cli_cpu), statistics.median(brute_cpu)
        print(
            f"[cli] CPU seconds, median of {args.runs}: bidvet {cpu_cli:.1f} (start and index "
            f"read included), brute force {cpu_brute:.1f}; ratio {cpu_brute / cpu_cli:.1f}x"
        )
        print(f"machine after: {_machine()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=1_000_000)
    ap.add_argument("--single-queries", type=int, default=2000)
    ap.add_argument("--batch-index", type=int, default=200_000)
    ap.add_argument("--batch-queries", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--brute-single", type=int, default=30)
    ap.add_argument("--brute-batch", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="100k / 20k names, fewer queries")
    ap.add_argument("--algorithm", help="bidvet-name-v2 (default) or bidvet-name-v1")
    ap.add_argument("--cli", action="store_true", help="measure bidvet screen --input instead")
    ap.add_argument("--cli-index", type=int, default=200_000)
    ap.add_argument("--cli-queries", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    global ALGORITHM
    ALGORITHM = args.algorithm
    if args.cli:
        cli_bench(args)
        return
    print(f"algorithm: {policy_for(ALGORITHM).algorithm}")
    if args.quick:
        args.names, args.batch_index, args.batch_queries = 100_000, 20_000, 4000
        args.single_queries = 1000
    print(f"machine: {_machine()}")

    # -- single query against the big index -------------------------------------------------
    names = synthetic_names(args.names, args.seed)
    matcher, build_s = build(names)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n[single] index of {len(names):,} names built in {build_s:.1f} s "
        f"(catalog {BUILD_PARTS['catalog']:.1f} s, index {BUILD_PARTS['index']:.1f} s; "
        f"{len(matcher.index.indices):,} postings; peak memory so far {peak:,.0f} MiB, "
        f"names and queries included)"
    )
    queries = queries_for(names, args.single_queries, args.seed + 1)
    times, results = single_latency(matcher, queries)
    r1, r5 = recall(results, [t for _, t in queries])
    print(
        f"[single] bidvet   p50 {pct(times, 50):.2f} ms  p99 {pct(times, 99):.2f} ms  "
        f"recall@1 {r1:.4f} recall@5 {r5:.4f}  (n={len(queries)})"
    )
    cores = [n.core for n in matcher.catalog.names]
    sub = queries[: args.brute_single]
    b_times, b_results = brute_single(matcher, cores, sub)
    b1, b5 = recall(b_results, [t for _, t in sub])
    print(
        f"[single] brute    p50 {pct(b_times, 50):.2f} ms  p99 {pct(b_times, 99):.2f} ms  "
        f"recall@1 {b1:.4f} recall@5 {b5:.4f}  (n={len(sub)}, rapidfuzz process.extract)"
    )
    print(f"[single] ratio brute/bidvet p50 {pct(b_times, 50) / pct(times, 50):.1f}x")
    del matcher, cores

    # -- batch --------------------------------------------------------------------------------
    bnames = names[: args.batch_index]
    del names
    matcher, build_s = build(bnames)
    print(f"\n[batch] index of {len(bnames):,} names built in {build_s:.1f} s")
    bqueries = queries_for(bnames, args.batch_queries, args.seed + 2)
    texts = [q for q, _ in bqueries]
    chunks = [texts[i : i + 500] for i in range(0, len(texts), 500)]
    t0 = time.perf_counter()
    done = 0
    for chunk in chunks[:4]:
        matcher.match_many([(q, None) for q in chunk], limit=5)
        done += len(chunk)
    one_core = done / (time.perf_counter() - t0)
    print(f"[batch] bidvet   {one_core:,.0f} queries/s in one process (first {done:,} queries)")
    _WORKER.matcher = matcher
    ctx = mp.get_context("fork")
    print(f"[batch] load average before the parallel run {os.getloadavg()}")
    t0 = time.perf_counter()
    with ctx.Pool(args.workers) as pool:
        parts = pool.map(_batch_chunk, chunks)
    elapsed = time.perf_counter() - t0
    results = [r for part in parts for r in part]
    r1, r5 = recall(results, [t for _, t in bqueries])
    qps = len(texts) / elapsed
    print(
        f"[batch] bidvet   {qps:,.0f} queries/s with {args.workers} workers "
        f"({len(texts):,} queries in {elapsed:.1f} s)  recall@1 {r1:.4f} recall@5 {r5:.4f}"
    )
    cores = [n.core for n in matcher.catalog.names]
    sub_q = bqueries[: args.brute_batch]
    t0 = time.perf_counter()
    qcores = [matcher.query_name(q).core for q, _ in sub_q]
    scores = process.cdist(qcores, cores, scorer=fuzz.ratio, workers=args.workers, dtype=np.uint8)
    top = np.argsort(-scores.astype(np.int16), axis=1, kind="stable")[:, :5]
    b_elapsed = time.perf_counter() - t0
    b_results = [row.tolist() for row in top]
    b1, b5 = recall(b_results, [t for _, t in sub_q])
    b_qps = len(sub_q) / b_elapsed
    print(
        f"[batch] brute    {b_qps:,.0f} queries/s with {args.workers} workers "
        f"({len(sub_q)} queries, rapidfuzz process.cdist)  recall@1 {b1:.4f} recall@5 {b5:.4f}"
    )
    print(f"[batch] ratio bidvet/brute throughput {qps / b_qps:.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nload average after the run {os.getloadavg()}; peak memory {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
