"""Buyer jurisdiction profiles (data/buyers.yaml): well-formed, cited, and consistent with the
lists bidvet knows and the bans the bundled framework defines."""

from __future__ import annotations

import datetime as dt

import pytest

from bidvet.framework.buyers import default_buyer_profiles
from bidvet.framework.loader import bundled_framework
from bidvet.sources.lists import list_registry

PROFILES = default_buyer_profiles()


def test_the_five_bundled_jurisdictions_and_the_default() -> None:
    assert {p.id for p in PROFILES.profiles} >= {"ca", "eu", "gb", "us", "au"}
    assert PROFILES.for_country("CA").id == "ca"
    assert PROFILES.for_country("de").id == "eu"
    assert PROFILES.for_country("nz").id == "default"
    assert PROFILES.for_country(None).id == "default"
    assert [b.id for b in PROFILES.default.binding_lists] == ["un-sc"]


def test_every_list_a_profile_names_is_defined_in_lists_yaml() -> None:
    known = {entry.id for entry in list_registry().lists}
    assert PROFILES.list_ids() - known == set()


def test_every_binding_ban_is_defined_by_the_bundled_framework() -> None:
    lf = bundled_framework()
    defined = {
        ban.id
        for crit in lf.framework.criteria
        if crit.evaluator == "procurement_ban"
        for ban in lf.params[crit.id].bans  # type: ignore[attr-defined]
    }
    assert PROFILES.ban_ids() <= defined


def test_every_binding_cites_its_law() -> None:
    for prof in [PROFILES.default, *PROFILES.profiles]:
        for binding in prof.binding_lists:
            assert len(binding.source.title) > 10, (prof.id, binding.id)
            assert binding.source.url and binding.source.url.startswith("https://"), binding.id


def test_canada_expects_its_ineligibility_and_suspension_list() -> None:
    assert "ca-ineligibility-suspension" in PROFILES.for_country("ca").expected_lists


@pytest.mark.parametrize(
    ("day", "binds_ofsi", "binds_fcdo"),
    [(dt.date(2026, 1, 27), True, True), (dt.date(2026, 1, 28), False, True)],
)
def test_uk_ofsi_list_binds_until_its_retirement(
    day: dt.date, binds_ofsi: bool, binds_fcdo: bool
) -> None:
    gb = PROFILES.for_country("gb")
    assert (gb.binding("gb-hmt-ofsi", day) is not None) is binds_ofsi
    assert (gb.binding("gb-fcdo-sanctions", day) is not None) is binds_fcdo


def test_us_statutory_ban_binds_us_buyers_only() -> None:
    assert PROFILES.for_country("us").binds_ban("ndaa-fy2019-s889")
    for country in ("ca", "gb", "au", "fr"):
        assert not PROFILES.for_country(country).binds_ban("ndaa-fy2019-s889"), country
