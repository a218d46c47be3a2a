"""Benchmark: ``bidvet xref`` of a generated left dataset against a generated right dataset.

Generates fictional company records (pseudo-words from random syllables and a legal form, a
country): ``--right`` records (default 1,000,000) and ``--left`` records (default 100,000), of
which ``--planted`` share are variants of a right record (one letter changed or dropped, legal
form written differently) and ``--lei`` share carry the same LEI as their right record. Runs the
store-free core of xref (:func:`bidvet.resolution.xref.propose`: identifier links, the screening
index over the right records, batch matching of the left names) and prints the time to build
the index, the time to match, the total, the planted pairs found and the peak memory.

The candidates whose name score cannot reach ``min_score`` are set aside by the score bound of
:class:`bidvet.resolution.xref.ScoreBound` before their full score; ``--no-bound`` scores every
candidate in full (the matcher as it was before the bound: same proposals, for comparison), and
``--workers`` sets the matching processes (default: the cores).

    .venv/bin/python bench/xref_bench.py [--left 100000] [--right 1000000] [--workers N]
        [--no-bound]

Target (issue 13, point 6): 100k × 1M names in ≤ 5 minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time

from bidvet.forking import usable_cores
from bidvet.resolution.config import load_resolution_config
from bidvet.resolution.xref import Record, propose
from bidvet.screening.catalog import Catalog, Entry
from bidvet.screening.config import default_policy
from bidvet.screening.matcher import Matcher

SYLLABLES = (
    "ka", "lo", "mer", "vin", "tor", "sal", "bre", "qui", "dun", "fel", "gar", "hol", "jen",
    "kor", "lum", "nor", "pla", "ros", "sten", "tav", "ul", "vex", "wyn", "zar", "ith", "osk",
)  # fmt: skip
FORMS = ("Ltd", "GmbH", "AB", "Oy", "AS", "SA", "Inc", "LLC", "BV", "Co., Ltd.")
VARIANT_FORMS = {"Ltd": "Limited", "Inc": "Incorporated", "LLC": "L.L.C.", "Co., Ltd.": "Company"}
COUNTRIES = ("gb", "de", "se", "fi", "no", "fr", "nl", "us", "cn", "pl")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _lei(i: int) -> str:
    return f"BENCH{i:015d}"


def generate(
    n_left: int, n_right: int, planted: float, lei: float, seed: int
) -> tuple[list[Record], list[Record], set[tuple[str, str]]]:
    rng = random.Random(seed)
    vocab = [_word(rng) for _ in range(60_000)]
    right: list[Record] = []
    for i in range(n_right):
        words = " ".join(rng.choice(vocab) for _ in range(rng.randint(2, 3)))
        form = rng.choice(FORMS)
        ids = (("lei", _lei(i)),) if rng.random() < lei else ()
        right.append(
            Record(
                f"r-{i}",
                "bench-right",
                ((f"{words} {form}", "primary"),),
                (rng.choice(COUNTRIES),),
                ids,
            )
        )
    left: list[Record] = []
    truth: set[tuple[str, str]] = set()
    for j in range(n_left):
        if rng.random() < planted:
            src = right[rng.randrange(n_right)]
            name = src.caption
            words, _, form = name.rpartition(" ")
            chars = list(words)
            pos = rng.randrange(len(chars))
            if chars[pos].isalpha() and rng.random() < 0.5:
                chars[pos] = rng.choice("aeiou")
            elif len(chars) > 8:
                del chars[pos]
            variant = f"{''.join(chars)} {VARIANT_FORMS.get(form, form)}"
            left.append(
                Record(
                    f"l-{j}", "bench-left", ((variant, "primary"),), src.countries, src.identifiers
                )
            )
            truth.add((f"l-{j}", src.entity_id))
        else:
            words = " ".join(rng.choice(vocab) for _ in range(rng.randint(2, 3)))
            left.append(
                Record(
                    f"l-{j}",
                    "bench-left",
                    ((f"{words} {rng.choice(FORMS)}", "primary"),),
                    (rng.choice(COUNTRIES),),
                )
            )
    return left, right, truth


def _cpu() -> float:
    """User + system CPU seconds of this process and its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--left", type=int, default=100_000)
    parser.add_argument("--right", type=int, default=1_000_000)
    parser.add_argument("--planted", type=float, default=0.2)
    parser.add_argument("--lei", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--workers", type=int, default=None, help="matching processes (default: the cores)"
    )
    parser.add_argument(
        "--no-bound",
        action="store_true",
        help="score every candidate in full (no score bound; the same proposals)",
    )
    args = parser.parse_args()
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {os.cpu_count()} cores, {ram:.0f} GiB RAM, "
        f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    t0 = time.perf_counter()
    left, right, truth = generate(args.left, args.right, args.planted, args.lei, args.seed)
    t1 = time.perf_counter()
    policy = default_policy()
    entries = (Entry(r.entity_id, r.names, r.schema, r.countries, r.identifiers) for r in right)
    matcher = Matcher.build(Catalog.from_entries(entries, policy.generic_org_words), policy)
    t2 = time.perf_counter()
    cpu0 = _cpu()
    result = propose(
        left,
        right,
        config=load_resolution_config().xref,
        matcher=matcher,
        workers=args.workers,
        bound=not args.no_bound,
    )
    t3 = time.perf_counter()
    cpu = _cpu() - cpu0

    found = {(p.left.entity_id, p.right.entity_id) for p in (*result.links, *result.proposals)}
    hit = len(truth & found)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"xref {args.left:,} x {args.right:,} names (generated in {t1 - t0:.1f} s)")
    print(f"  index of the right side: {t2 - t1:.1f} s")
    print(
        f"  identifier links + matching: {t3 - t2:.1f} s "
        f"({args.left / max(t3 - t2, 1e-9):,.0f} left records/s)"
    )
    print(f"  total xref: {t3 - t1:.1f} s (target ≤ 300 s)")
    print(f"  CPU time of the matching, this process and its workers: {cpu:.1f} s")
    print(f"  identifier links {len(result.links):,}, candidate pairs {len(result.proposals):,}")
    if result.candidates_read:
        share = result.candidates_bounded / result.candidates_read
        print(
            f"  candidate names read {result.candidates_read:,}, set aside by the score bound "
            f"{result.candidates_bounded:,} ({share:.1%})"
        )
    else:
        print("  score bound off: every candidate scored in full")
    workers = args.workers if args.workers is not None else usable_cores()
    print(f"  matching processes: {workers}")
    print(f"  planted pairs found: {hit:,} of {len(truth):,} ({hit / max(len(truth), 1):.3f})")
    print(f"  peak memory: {peak_mib:,.0f} MiB (this process; each worker adds its own)")
    print(f"  load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
