"""Entity search (the screening engine, one result per entity) and entity pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bidvet.store.db import Store
from tests.web.api_helpers import load_vendors
from tests.web.conftest import ACCOUNTS, login


def test_search_groups_results_per_entity_with_score_lists_and_why(
    client: TestClient, web_store: Store
) -> None:
    load_vendors(web_store)
    login(client, "aud")
    page = client.get("/entities", params={"q": "Kestrel Imaging"})
    assert page.status_code == 200, page.text[:500]
    hrefs = re.findall(r'<h2><a href="/entities/([^"]+)"', page.text)
    assert hrefs and hrefs[0] == "kestrel-imaging", hrefs
    assert len(hrefs) == len(set(hrefs)), "one result per entity"
    first = page.text.split('<section class="card result">')[1]
    assert "score 1.00" in first or "score 0.9" in first, first[:600]
    assert "fictional example data" in first
    assert "OFAC SDN List" in first and "through owners" in first, first[:1500]
    assert "Why this score" in first


def test_search_without_a_match_says_so(client: TestClient, web_store: Store) -> None:
    load_vendors(web_store)
    login(client, "ada")
    page = client.get("/entities", params={"q": "Zzyzx Quantum Widgets"})
    assert page.status_code == 200
    assert page.text.count('<section class="card result">') == 0 or (
        "<strong>match</strong>" not in page.text
    ), "an unrelated name is never called a match"
    assert 'value="Zzyzx Quantum Widgets"' in page.text


def test_entity_page_shows_names_ids_listings_owners_and_sources(
    client: TestClient, web_store: Store
) -> None:
    load_vendors(web_store)
    login(client, "rui")
    page = client.get("/entities/kestrel-imaging", params={"as_of": "2021-01-01"})
    assert page.status_code == 200, page.text[:500]
    html = page.text
    assert "Kestrel Imaging Ltd" in html and "Kestrel Imaging<" in html
    idents = html.split('id="identifiers"')[1].split("</section>")[0]
    assert "registration" in idents and "EXAMPLEGB0002" in idents, idents
    assert "Fictional test/example data" in html
    owners = html.split('id="owners"')[1].split("</section>")[0]
    assert "<svg" in owners, "the ownership picture"
    assert "Tarn Holdings Ltd" in owners and "Vostok Strategic Industries JSC" in owners
    assert "60 %" in owners, owners[-1500:]
    assert "Fictional example data (no real company)" in html.split('id="sources"')[1]


def test_entity_page_of_an_owner_lists_owned_companies_and_dated_listings(
    client: TestClient, web_store: Store
) -> None:
    load_vendors(web_store)
    login(client, "ann")
    html = client.get("/entities/vostok-strategic").text
    listings = html.split('id="listings"')[1].split("</section>")[0]
    assert "2019-06-01" in listings and "EXAMPLE-FICTIONAL" in listings, listings
    owned = html.split('id="owned"')[1].split("</section>")[0]
    assert 'href="/entities/tarn-holdings"' in owned and "60 %" in owned, owned


def test_unknown_entity_is_404(client: TestClient, web_store: Store) -> None:
    login(client, "ada")
    assert client.get("/entities/no-such-entity").status_code == 404


def test_every_role_may_read_entities(client: TestClient, web_store: Store) -> None:
    load_vendors(web_store)
    for name in ACCOUNTS:
        login(client, name)
        assert client.get("/entities/borealis-scanning").status_code == 200, name
