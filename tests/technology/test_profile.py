from __future__ import annotations

import pytest

from bidvet.errors import InputError
from bidvet.technology.profile import TIERS, profile_item, tier_rank

NUCTECH_STYLE = (
    "X-ray baggage scanner with hard drive, USB ports and embedded operating system; "
    "maintenance only by the manufacturer"
)


def test_tiers_are_ordered_low_to_critical_then_insufficient() -> None:
    assert TIERS == ("low", "elevated", "high", "critical", "insufficient-information")
    assert tier_rank("insufficient-information") >= tier_rank("high")


def test_nuctech_style_embassy_scanner_is_critical_or_high() -> None:
    prof = profile_item(NUCTECH_STYLE, site="diplomatic-mission")
    assert prof.tier in ("critical", "high"), prof.to_json()
    assert prof.tier == "critical"
    drivers = {c.channel for c in prof.channels}
    assert {"data-capture", "vendor-access", "storage", "physical-interface"} <= drivers
    lowering = {c.control for c in prof.controls}
    assert {"independent-maintenance", "ports-locked", "drives-destroyed-on-site"} <= lowering


def test_standalone_walk_through_metal_detector_at_office_is_low() -> None:
    prof = profile_item("Standalone walk-through metal detector", site="office")
    assert prof.tier == "low", prof.to_json()


@pytest.mark.parametrize("text", [None, "", "   ", "Equipment", "Item 3", "Quantum widget", "n/a"])
def test_unknown_or_empty_description_is_insufficient_never_low(text: str | None) -> None:
    prof = profile_item(text, site="office")
    assert prof.tier == "insufficient-information", prof.to_json()


def test_non_technology_is_low_even_at_a_sensitive_site() -> None:
    assert profile_item("Cleaning services for the chancery", site="embassy").tier == "low"


def test_site_sensitivity_raises_the_tier() -> None:
    office = profile_item("X-Ray Scanning Equipment Maintenance", site="office")
    embassy = profile_item("X-Ray Scanning Equipment Maintenance", site="diplomatic-mission")
    assert tier_rank(embassy.tier) > tier_rank(office.tier), (office.tier, embassy.tier)
    assert embassy.site == "diplomatic-mission" and embassy.site_sensitivity > 0


def test_explicit_features_override_inference() -> None:
    prof = profile_item(
        "IP camera with cloud backup",
        explicit={"features": ["vendor.sole-maintainer"], "absent": ["connectivity.vendor-cloud"]},
    )
    by_id = {f.feature: f for f in prof.features}
    assert by_id["vendor.sole-maintainer"].source == "explicit"
    assert by_id["vendor.sole-maintainer"].confidence == 1.0
    assert by_id["data.cctv-video"].source == "inferred"
    assert "connectivity.vendor-cloud" not in by_id


def test_complete_explicit_input_ignores_the_description() -> None:
    prof = profile_item(
        "Facial recognition cameras",
        explicit={"features": ["data.detection-alarm"], "complete": True},
    )
    assert [f.feature for f in prof.features] == ["data.detection-alarm"]


def test_explicit_controls_lower_the_tier() -> None:
    bare = profile_item(NUCTECH_STYLE, site="airport")
    controlled = profile_item(
        NUCTECH_STYLE,
        site="airport",
        explicit={
            "controls": [
                "independent-maintenance",
                "ports-locked",
                "encryption-at-rest",
                "drives-destroyed-on-site",
                "buyer-controlled-updates",
            ]
        },
    )
    assert tier_rank(controlled.tier) < tier_rank(bare.tier), (bare.tier, controlled.tier)


def test_explicit_unknown_feature_is_an_input_error_naming_it() -> None:
    with pytest.raises(InputError, match=r"unknown technology feature 'data\.mind-reading'"):
        profile_item("camera", explicit={"features": ["data.mind-reading"]})


def test_explicit_unknown_key_is_an_input_error() -> None:
    with pytest.raises(InputError, match="features, absent, controls, complete"):
        profile_item("camera", explicit={"feature": ["data.iris"]})


def test_to_json_shape_and_feature_mapping_access() -> None:
    prof = profile_item("Baggage X-ray machine", codes=("CPV:38581000",), site="airport")
    data = prof.to_json()
    for key in ("tier", "features", "channels", "controls", "site", "status", "score"):
        assert key in data
    first = prof.features[0]
    assert first["feature"] == first.feature
    assert set(data["features"][0]) >= {"feature", "evidence", "confidence", "source"}


def test_face_temperature_screening_with_cloud_at_airport_is_critical() -> None:
    prof = profile_item(
        "AI face temperature screening terminal that stores records and uploads them to a cloud",
        site="airport",
    )
    assert prof.tier == "critical", prof.to_json()


def test_passenger_risk_analytics_linked_to_passenger_database_is_at_least_high() -> None:
    prof = profile_item(
        "AI, big data and video analysis to identify high-risk passengers, linked to the "
        "passenger database"
    )
    assert tier_rank(prof.tier) >= tier_rank("high"), prof.to_json()
    assert "integration.passenger" in prof.feature_ids()


def test_negated_cues_are_noted_not_silently_dropped() -> None:
    prof = profile_item("Camera without USB")
    assert "interface.usb" not in prof.feature_ids()
    assert any(n.startswith("interface.usb not counted: 'USB'") for n in prof.notes), prof.notes
