"""Page 1 of a report: the lists the buyer's jurisdiction expects, what the store holds of each
on the as-of date, and warnings for lists missing, partial, stale or only published later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bidvet.assessment.coverage import list_coverage
from bidvet.framework.buyers import default_buyer_profiles
from bidvet.sources.loader import load_file
from bidvet.store.db import Store
from tests.conftest import FIXTURES

SDN_V1 = FIXTURES / "sources" / "sdn_v1.xml"  # an SDN publication of 2024-03-01


def _rows(store: Store, country: str, day: dt.date) -> tuple[dict[str, dict], list[str]]:  # type: ignore[type-arg]
    data = list_coverage(store, default_buyer_profiles().for_country(country), day)
    return {r["list_id"]: r for r in data["lists"]}, data["warnings"]


def test_a_loaded_list_shows_its_publication_and_whether_it_binds(sqlite_store: Store) -> None:
    load_file(sqlite_store, SDN_V1)
    us, _ = _rows(sqlite_store, "us", dt.date(2024, 3, 10))
    ca, ca_warnings = _rows(sqlite_store, "ca", dt.date(2024, 3, 10))
    assert us["us-ofac-sdn"]["status"] == "loaded"
    assert us["us-ofac-sdn"]["published"] == "2024-03-01"
    assert us["us-ofac-sdn"]["binding"] is True
    assert ca["us-ofac-sdn"]["binding"] is False  # a risk signal for a Canadian buyer
    assert ca["ca-sema"]["status"] == "not loaded"
    assert any("ca-ineligibility-suspension" in w and "not loaded" in w for w in ca_warnings)
    assert not any("days old" in w for w in ca_warnings)


def test_a_list_older_than_the_limit_is_a_warning(sqlite_store: Store) -> None:
    load_file(sqlite_store, SDN_V1)
    limit = default_buyer_profiles().max_list_age_days
    on_limit = dt.date(2024, 3, 1) + dt.timedelta(days=limit)
    _, fresh = _rows(sqlite_store, "us", on_limit)
    _, stale = _rows(sqlite_store, "us", on_limit + dt.timedelta(days=1))
    assert not any("us-ofac-sdn" in w and "days old" in w for w in fresh)
    assert any("us-ofac-sdn): the newest publication on or before" in w for w in stale), stale


def test_a_list_published_only_after_the_as_of_date_is_said_so(sqlite_store: Store) -> None:
    load_file(sqlite_store, SDN_V1)
    rows, warnings = _rows(sqlite_store, "us", dt.date(2021, 1, 1))
    assert rows["us-ofac-sdn"]["published"] is None
    assert rows["us-ofac-sdn"]["later_publication"] == "2024-03-01"
    assert any("only from a publication after the as-of date (2024-03-01)" in w for w in warnings)


def test_entries_from_curated_files_only_are_partial(sqlite_store: Store) -> None:
    from bidvet.assessment.knowledge import install_reference

    install_reference(sqlite_store)
    rows, warnings = _rows(sqlite_store, "ca", dt.date(2021, 1, 1))
    assert rows["us-bis-entity"]["status"] == "partial"
    assert any("us-bis-entity): only" in w and "curated files" in w for w in warnings)


def test_a_list_from_an_undated_publication_says_its_age_is_unknown(
    sqlite_store: Store, tmp_path: Path
) -> None:
    # a CSL export states no publication date
    csl = tmp_path / "csl.csv"
    csl.write_text(
        "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
        "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
        "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,"
        "remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,"
        "places_of_birth,source_information_url,ids\n"
        '"1","Entity List (EL) - Bureau of Industry and Security",,"Entity",,'
        '"Fictional Undated Optics Ltd",,,"",2020-01-02,,,,,,,,,,,,,,,,,,,\n',
        encoding="utf-8",
    )
    load_file(sqlite_store, csl)
    rows, warnings = _rows(sqlite_store, "us", dt.date(2024, 1, 1))
    assert rows["us-bis-entity"]["status"] == "loaded"
    assert rows["us-bis-entity"]["published"] is None
    assert any(
        "us-bis-entity) was loaded from a file that states no publication date (csl.csv)" in w
        for w in warnings
    ), warnings
    assert not any("us-bis-entity) was loaded only from a publication after" in w for w in warnings)
