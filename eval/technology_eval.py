"""Feature precision/recall and tier confusion of the technology profiler on labelled items.

Usage: ``.venv/bin/python eval/technology_eval.py [--split dev|holdout|all] [--errors]``

Reads ``eval/technology/labelled_items.yaml``. Compares the *direct* features of each profile
(read from the words or codes, not implied by other features) with the labelled ones, and the
tier with the labelled tier where one is given. Prints micro precision and recall for the dev
part, the held-out part and both, a per-feature breakdown, and the tier confusion matrix.
``--errors`` lists the misses and false alarms (look at dev errors only when changing cues).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bidvet.technology.profile import TIERS, profile_item

LABELLED = Path(__file__).parent / "technology" / "labelled_items.yaml"
FLOOR_PRECISION = 0.9
FLOOR_RECALL = 0.85


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(items: list[dict[str, Any]]) -> dict[str, Any]:
    tp = fp = fn = 0
    per: dict[str, Counter[str]] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for item in items:
        prof = profile_item(item.get("text"), codes=item.get("codes", ()), site=item.get("site"))
        got = {f.feature for f in prof.features if f.implied_by is None}
        want = set(item.get("expected", ()))
        for feat in got | want:
            c = per.setdefault(feat, Counter())
            if feat in got and feat in want:
                c["tp"] += 1
                tp += 1
            elif feat in got:
                c["fp"] += 1
                fp += 1
            else:
                c["fn"] += 1
                fn += 1
        if "tier" in item:
            confusion[(item["tier"], prof.tier)] += 1
        if got != want or ("tier" in item and item["tier"] != prof.tier):
            errors.append((item, got, want, prof.tier))
    return {"counts": (tp, fp, fn), "per": per, "confusion": confusion, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "holdout", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list wrong items of --split")
    args = parser.parse_args()
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"]
    print(f"labelled items: {len(items)} ({LABELLED})")
    for split in ("dev", "holdout", "all"):
        part = [i for i in items if split == "all" or i["split"] == split]
        res = evaluate(part)
        p, r, f = _prf(*res["counts"])
        tp, fp, fn = res["counts"]
        ok = "meets" if p >= FLOOR_PRECISION and r >= FLOOR_RECALL else "BELOW"
        print(
            f"{split:8} n={len(part):4}  precision={p:.3f}  recall={r:.3f}  f1={f:.3f}  "
            f"(tp={tp} fp={fp} fn={fn}; {ok} floors P>={FLOOR_PRECISION} R>={FLOOR_RECALL})"
        )
    chosen = [i for i in items if args.split == "all" or i["split"] == args.split]
    res = evaluate(chosen)
    print(f"\nper feature ({args.split}):")
    print(f"  {'feature':34} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6}")
    for feat in sorted(res["per"]):
        c = res["per"][feat]
        p, r, _ = _prf(c["tp"], c["fp"], c["fn"])
        print(f"  {feat:34} {c['tp']:4} {c['fp']:4} {c['fn']:4} {p:6.2f} {r:6.2f}")
    conf = res["confusion"]
    labels = list(TIERS)
    short = {"insufficient-information": "insuff"}
    print(f"\ntier confusion ({args.split}; rows = labelled, columns = computed):")
    print("  " + " " * 10 + "".join(f"{short.get(t, t):>10}" for t in labels))
    for want in labels:
        row = [conf[(want, got)] for got in labels]
        if sum(row):
            print(f"  {short.get(want, want):>10}" + "".join(f"{n:10}" for n in row))
    total = sum(conf.values())
    agree = sum(n for (w, g), n in conf.items() if w == g)
    print(f"  tier agreement: {agree}/{total} = {agree / total if total else 0:.3f}")
    if args.errors:
        print(f"\nerrors ({args.split}):")
        for item, got, want, tier in res["errors"]:
            extra = sorted(got - want)
            missing = sorted(want - got)
            tier_note = (
                f" tier {tier} (want {item['tier']})" if item.get("tier", tier) != tier else ""
            )
            print(f"  {item['id']}: {item.get('text')!r}\n    +{extra} -{missing}{tier_note}")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # `technology_eval.py | head` is not an error
        sys.stderr.close()
        sys.exit(0)
