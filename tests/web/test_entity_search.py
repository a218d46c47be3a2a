"""The entity search page: a result on no list today says which of its listings are not in
force and why (fictional example data)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bidvet.store.db import Store
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
