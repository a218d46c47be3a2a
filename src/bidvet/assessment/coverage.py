"""Which lists a buyer's jurisdiction expects to be checked, which the store holds, and how old
they are on the as-of date: page 1 of every report.

A list counts as *loaded* when a publication carrying it was imported (an official list file,
the Consolidated Screening List, an FtM export); entries that reached the store only through
curated files (``bidvet-curated``: a few cited entries) make it *partial*. A loaded list whose
newest publication on or before the as-of date is older than the profile's
``max_list_age_days`` is a warning; a list read only from publications after the as-of date is
noted (its dated designations still count from their own dates).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bidvet.framework.buyers import BuyerProfile, default_buyer_profiles
from bidvet.sources.lists import list_registry
from bidvet.store.db import Store

#: formats whose files carry a few cited entries, never a list as published
CURATED_FORMATS = frozenset({"bidvet-curated"})


def list_coverage(store: Store, buyer: BuyerProfile, as_of: dt.date) -> dict[str, Any]:
    """The lists expected for ``buyer`` and what the store holds of each on ``as_of``."""
    max_age = default_buyer_profiles().max_list_age_days
    registry = list_registry()
    known = set(registry.ids())
    with store.view() as view:
        by_list = view.list_datasets()
        snapshots = view.snapshots()
    rows: list[dict[str, Any]] = []
    warnings: list[str] = []
    for list_id in buyer.expected_lists:
        name = registry.get(list_id).name if list_id in known else list_id
        datasets = by_list.get(list_id, {})
        snaps = [snap for snap in snapshots if snap.dataset in datasets]
        complete = [
            snap for snap in snaps if snap.complete_list or snap.format not in CURATED_FORMATS
        ]
        published = sorted({snap.published for snap in complete if snap.published})
        before = [d for d in published if d <= as_of]
        latest = before[-1] if before else None
        binding = buyer.binding(list_id, as_of)
        row: dict[str, Any] = {
            "list_id": list_id,
            "name": name,
            "binding": binding is not None,
            "law": binding.source.title if binding else None,
            "status": "loaded" if complete else ("partial" if datasets else "not loaded"),
            "entries": sum(datasets.values()),
            "published": latest.isoformat() if latest else None,
            "later_publication": published[-1].isoformat()
            if published and published[-1] > as_of
            else None,
            "age_days": (as_of - latest).days if latest else None,
        }
        rows.append(row)
        if row["status"] == "not loaded":
            warnings.append(f"{name} ({list_id}) is expected for this buyer and was not loaded")
        elif row["status"] == "partial":
            warnings.append(
                f"{name} ({list_id}): only {row['entries']} entries from curated files; the "
                "list itself was not loaded"
            )
        elif latest is None and published:
            warnings.append(
                f"{name} ({list_id}) was loaded only from a publication after the as-of date "
                f"({published[-1].isoformat()}); its dated designations count from their own "
                "dates"
            )
        elif latest is None:
            files = ", ".join(sorted({snap.file_name for snap in complete}))
            warnings.append(
                f"{name} ({list_id}) was loaded from a file that states no publication date "
                f"({files}); its age on {as_of.isoformat()} cannot be checked"
            )
        elif row["age_days"] > max_age:
            warnings.append(
                f"{name} ({list_id}): the newest publication on or before "
                f"{as_of.isoformat()} is of {latest.isoformat()}, {row['age_days']} days old "
                f"(more than {max_age})"
            )
    return {
        "jurisdiction": buyer.id,
        "jurisdiction_name": buyer.name,
        "max_list_age_days": max_age,
        "binding_lists": [
            {"list_id": b.id, "law": b.source.title, "url": b.source.url}
            for b in buyer.binding_lists
            if b.in_force(as_of)
        ],
        "binding_bans": list(buyer.binding_bans),
        "lists": rows,
        "warnings": warnings,
    }
