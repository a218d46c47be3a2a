"""``owners`` and ``inherited_listings`` against a store holding fictional structures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bidvet.errors import NotFoundError
from bidvet.ownership.report import inherited_listings, owners
from bidvet.sources.loader import load_file
from bidvet.store.db import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ownership"
GROUP = FIXTURES / "fictional-group.yaml"
TODAY = dt.date(2026, 11, 25)

OWNER_KEYS = {"id", "name", "effective_share", "min_share", "max_share", "path"}
STATUS_KEYS = {"listed", "aggregate_listed_share", "via", "rule_in_force", "paths", "rule"}


@pytest.fixture
def group_store(store: Store) -> Store:
    load_file(store, GROUP)
    return store


def test_report_has_the_issue_shape(group_store: Store) -> None:
    data = owners(group_store, "fd-borealis-scanning", TODAY).to_json()
    json.dumps(data)  # serialisable as is
    assert data["owners"], data
    for owner in data["owners"]:
        assert set(owner) >= OWNER_KEYS, owner
        assert owner["path"][-1] == "fd-borealis-scanning"
    assert set(data["status"]) == {"us_ofac", "eu", "uk", "us_bis_affiliates"}
    for st in data["status"].values():
        assert set(st) >= STATUS_KEYS, st
    assert isinstance(data["state_linked"], bool)
    assert isinstance(data["state_link_paths"], list)
    assert isinstance(data["ultimate_controllers"], list)


def test_state_linked_through_a_controlling_minority_shareholder(group_store: Store) -> None:
    data = owners(group_store, "fd-borealis-scanning", TODAY).to_json()
    by_id = {o["id"]: o for o in data["owners"]}
    assert by_id["fd-caspian-nuclear"]["effective_share"] == pytest.approx(0.1491)
    assert by_id["fd-state-assets"]["path"] == [
        "fd-state-assets", "fd-caspian-nuclear", "fd-tarn-holdings", "fd-borealis-scanning",
    ]  # fmt: skip
    assert data["state_linked"] is True
    assert [
        "fd-caspian-nuclear", "fd-tarn-holdings", "fd-borealis-scanning"
    ] in data["state_link_paths"]  # fmt: skip
    assert [c["id"] for c in data["ultimate_controllers"]] == ["fd-state-assets"]
    assert data["ultimate_controllers"][0]["state"] is True


def test_two_listed_minority_holders_us_and_eu_not_uk(group_store: Store) -> None:
    data = owners(group_store, "fd-kestrel-imaging", dt.date(2025, 6, 1)).to_json()
    status = data["status"]
    assert status["us_ofac"]["listed"] and status["eu"]["listed"]
    assert not status["uk"]["listed"]
    assert status["us_ofac"]["aggregate_listed_share"] == pytest.approx(0.55)
    assert status["us_ofac"]["via"] == ["fd-orlov", "fd-vostok"]
    assert status["uk"]["aggregate_listed_share"] == pytest.approx(0.30)


def test_edges_outside_their_dates_are_ignored(group_store: Store) -> None:
    # Orlov's stake ended 2025-12-31: on the default date only Vostok's 30 % remains.
    after = owners(group_store, "fd-kestrel-imaging", TODAY).to_json()
    assert [o["id"] for o in after["owners"]] == ["fd-vostok"]
    assert not after["status"]["us_ofac"]["listed"]


def test_listings_outside_their_dates_are_ignored(group_store: Store) -> None:
    before = owners(group_store, "fd-marlin-optics", dt.date(2019, 6, 1)).to_json()
    assert not before["status"]["us_ofac"]["listed"]
    assert before["status"]["us_ofac"]["via"] == []
    later = owners(group_store, "fd-marlin-optics", dt.date(2021, 1, 1)).to_json()
    assert later["status"]["us_ofac"]["listed"]


def test_bis_affiliates_rule_in_force_only_outside_its_suspension(group_store: Store) -> None:
    suspended = owners(group_store, "fd-marlin-optics", dt.date(2026, 1, 15)).to_json()
    bis = suspended["status"]["us_bis_affiliates"]
    assert bis["listed"] is True and bis["rule_in_force"] is False
    assert "90 FR 47201" in bis["rule"] and "verify whether" in bis["rule"]
    effective = owners(group_store, "fd-marlin-optics", dt.date(2025, 10, 1)).to_json()
    assert effective["status"]["us_bis_affiliates"]["rule_in_force"] is True
    before = owners(group_store, "fd-marlin-optics", dt.date(2024, 1, 1)).to_json()
    assert before["status"]["us_bis_affiliates"]["rule_in_force"] is False


def test_ns_cmic_parent_does_not_block_under_ofac(group_store: Store) -> None:
    data = owners(group_store, "fd-heron-vision", TODAY).to_json()
    assert data["status"]["us_ofac"]["listed"] is False


def test_inherited_listings_name_list_owner_path_and_regime(group_store: Store) -> None:
    rows = inherited_listings(group_store, "fd-marlin-optics", dt.date(2026, 1, 15))
    got = {(r["regime"], r["list_id"], r["owner_id"], r["rule_in_force"]) for r in rows}
    assert got == {
        ("eu", "eu-fsf", "fd-vostok", True),
        ("us_bis_affiliates", "us-bis-entity", "fd-vostok", False),
        ("uk", "gb-hmt-ofsi", "fd-vostok", True),
        ("us_ofac", "us-ofac-sdn", "fd-vostok", True),
    }
    for row in rows:
        assert row["path"] == ["fd-vostok", "fd-marlin-optics"]
        assert row["inherited"] is True and row["aggregate_share"] == pytest.approx(0.6)


def test_no_inherited_listings_below_threshold(group_store: Store) -> None:
    assert inherited_listings(group_store, "fd-kestrel-imaging", TODAY) == []


def test_unknown_entity_is_a_clear_error(group_store: Store) -> None:
    with pytest.raises(NotFoundError, match="no entity 'fd-nobody'"):
        owners(group_store, "fd-nobody", TODAY)
