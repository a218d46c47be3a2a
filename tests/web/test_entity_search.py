"""The entity search page: a result on no list today says which of its listings are not in
force and why (fictional example data)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bidvet.resolution.judgements import judge
from bidvet.store.db import Store
from tests.resolution.helpers import load_cases
from tests.web.api_helpers import load_vendors
from tests.web.conftest import login


def test_the_entity_search_says_which_listings_are_not_in_force_today(
    client: TestClient, web_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_vendors(web_store)
    monkeypatch.setenv("BIDVET_TODAY", "2019-01-01")  # the invented listing starts 2019-06-01
    login(client, "ada")
    page = client.get("/entities", params={"q": "Vostok Strategic Industries JSC"}).text
    assert "On no list as of today." in page
    assert "Not in force today: OFAC SDN List" in page
    assert "listed from 2019-06-01, after 2019-01-01" in page


def test_a_result_for_several_records_says_which_record_each_listing_is_on(
    client: TestClient, web_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Harrowgate Scanning Oy`` judged one with the listed ``TAMSIN VECTOR SYSTEMS`` (whose
    name does not match the query): the result shows that record's listing, named."""
    load_cases(web_store)
    judge(web_store, "rx-bidder", "rl-tamsin", "positive", reason="renamed", by="analyst")
    monkeypatch.setenv("BIDVET_TODAY", "2023-06-01")
    login(client, "ada")
    page = client.get("/entities", params={"q": "Harrowgate Scanning Oy"}).text
    assert "Entity List since 2022-01-10" in page, page
    assert "(record rl-tamsin of test-resolution-lists)" in page, page
