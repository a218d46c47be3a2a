"""The exposure scan against a synthetic history with planted risky and clean suppliers."""

from __future__ import annotations

from pathlib import Path

from bidvet.exposure.scan import scan_store
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.exposure import synthetic


def _loaded(store: Store, tmp_path: Path, n: int = 240) -> list[synthetic.Planted]:
    load_file(store, synthetic.knowledge(tmp_path / "knowledge.yaml"))
    planted = synthetic.history(tmp_path / "history.json", n)
    load_file(store, tmp_path / "history.json")
    return planted


def test_finds_every_risky_sensitive_contract_and_no_clean_one(
    store: Store, tmp_path: Path
) -> None:
    planted = _loaded(store, tmp_path)
    result = scan_store(store)
    found = {e.ocid for e in result.exposures}
    expected = {p.ocid for p in planted if p.risky_sensitive}
    assert len(expected) == 80  # 4 risky suppliers × 20 sensitive items each
    assert found == expected, (sorted(found - expected)[:5], sorted(expected - found)[:5])
    clean = {p.ocid for p in planted if p.supplier.risky_since is None}
    assert not found & clean
    assert not {e.ocid for e in result.review} & clean
    assert (result.processes, result.contracts) == (240, 240)


def test_each_distinct_supplier_is_resolved_once(store: Store, tmp_path: Path) -> None:
    _loaded(store, tmp_path)
    result = scan_store(store)
    assert len(result.suppliers) == 8
    # the two suppliers with identifiers resolve by identifier, the other six are screened once
    assert result.suppliers_screened == 6
    assert result.suppliers["Vantor Detection Systems Ltd"].via == "identifier"


def test_risk_at_award_time_or_arisen_later(store: Store, tmp_path: Path) -> None:
    planted = {p.ocid: p for p in _loaded(store, tmp_path)}
    result = scan_store(store)
    wrong = [
        (e.ocid, e.supplier, e.award_date, e.timing, planted[e.ocid].timing)
        for e in result.exposures
        if e.timing != planted[e.ocid].timing
    ]
    assert not wrong, wrong[:5]
    timings = {e.timing for e in result.exposures if e.supplier == "Quillfeather Optics Ltd"}
    assert timings == {"at-award", "arose-later"}  # owner bought in 2022 → both kinds occur


def test_totals_who_maintains_what_and_json(store: Store, tmp_path: Path) -> None:
    planted = _loaded(store, tmp_path)
    data = scan_store(store).to_json()
    vantor = sum(
        1000 * (i + 1)
        for i, p in enumerate(planted)
        if p.risky_sensitive and p.supplier.party_id == "vantor"
    )
    assert data["totals"]["by_supplier"]["Vantor Detection Systems Ltd"] == {"EUR": vantor}
    risky_total = sum(v["EUR"] for v in data["totals"]["by_year"]["risky"].values())
    assert risky_total == sum(1000 * (i + 1) for i, p in enumerate(planted) if p.risky_sensitive)
    maintained = {
        (w["buyer"], s["supplier"]) for w in data["who_maintains_what"] for s in w["maintained_by"]
    }
    expected = {
        (synthetic.BUYERS[i % 3], p.supplier.name)
        for i, p in enumerate(planted)
        if p.description.startswith("Maintenance")
    }
    assert maintained == expected
    assert data["price_flags_cannot_evaluate"] == 240  # no bids in this history


def test_same_input_same_json(sqlite_store: Store, tmp_path: Path) -> None:
    _loaded(sqlite_store, tmp_path, 48)
    assert scan_store(sqlite_store).to_json() == scan_store(sqlite_store).to_json()
