"""Tiers set by rule: goods that hold no data are low; identity, travel and health data at
borders, airports and missions is critical. Each with the reason written into the profile."""

from __future__ import annotations

import pytest

from bidvet.technology.infer import infer_features
from bidvet.technology.profile import ProfileFeature, adjust_profile, profile_item
from bidvet.technology.taxonomy import load_taxonomy

# The seed's own examples (ASPI 2020 on Nuctech's products; REFERENCE.md §1).
PASSENGER_AI = (
    "AI, big data and video analysis for the automatic identification of high-risk passengers, "
    "integrated with the airport's passenger processing"
)
FEVER_SCREENING = "AI face-temperature screening terminals for arriving passengers"
EGATE = "E-gate reading passports with face matching"


@pytest.mark.parametrize(
    ("text", "site", "kind"),
    [
        ("Stationery and office supplies for the consulate", "embassy", "office supplies"),
        ("Office furniture supply and installation", "embassy", "furniture"),
        ("Conveyor belts", "airport", "conveyor belts"),
        ("Replacement conveyor belts without control systems", "airport", "conveyor belts"),
        ("Cleaning services for the terminal building", "airport", "cleaning"),
        ("Catering for the border post", "border", "catering"),
        ("Uniforms and footwear for customs officers", "border", "uniforms"),
        ("Diesel fuel for the checkpoint generators", "border", "fuel"),
    ],
)
def test_goods_that_hold_no_data_are_low_with_the_reason(text: str, site: str, kind: str) -> None:
    prof = profile_item(text, site=site)
    assert prof.tier == "low", prof.to_json()
    assert len(prof.reasons) == 1 and prof.reasons[0].startswith("holds no data: "), prof.reasons
    assert kind in prof.reasons[0], prof.reasons
    assert prof.to_json()["reasons"] == list(prof.reasons)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("CPV:30192000-1", "office supplies"),
        ("CPV:39100000-3", "furniture"),
        ("CPV:90910000-9", "cleaning"),
        ("CPV:42417310", "conveyor belts"),
    ],
)
def test_a_data_free_code_alone_gives_low_with_the_code_as_evidence(code: str, kind: str) -> None:
    prof = profile_item("Supplies", codes=(code,), site="diplomatic-mission")
    assert prof.tier == "low", prof.to_json()
    digits = code.split(":")[1].split("-")[0]
    assert kind in prof.reasons[0] and f"CPV {digits}" in prof.reasons[0], prof.reasons


def test_office_supplies_code_wins_over_its_computing_division_but_computers_do_not() -> None:
    # CPV 30192 (office supplies) sits inside division 30 (office and computing machinery).
    assert infer_features("Supplies", ("CPV:30192000-1",)).status == "non-technology"
    computers = profile_item("Supplies", codes=("CPV:30200000-1",))
    assert computers.tier == "insufficient-information", computers.to_json()
    assert computers.reasons == ()


def test_conveyor_belt_in_a_screening_line_with_a_control_system_is_not_data_free() -> None:
    prof = profile_item(
        "Conveyor belt for the baggage-screening line, with control system", site="airport"
    )
    assert "data.xray-image" in prof.feature_ids(), prof.to_json()
    assert not any(r.startswith("holds no data") for r in prof.reasons), prof.reasons
    assert prof.tier != "low", prof.to_json()


def test_conveyor_belt_with_a_control_system_is_not_judged_data_free() -> None:
    prof = profile_item("Conveyor belt with control system", site="airport")
    assert prof.tier == "insufficient-information", prof.to_json()
    assert prof.reasons == ()
    assert any("'control system' says it may hold data" in n for n in prof.notes), prof.notes


@pytest.mark.parametrize(
    "text",
    ["Office chairs with built-in cameras", "Smart furniture with occupancy sensors"],
)
def test_data_free_words_do_not_hide_data_bearing_items(text: str) -> None:
    prof = profile_item(text, site="embassy")
    assert not any(r.startswith("holds no data") for r in prof.reasons), prof.to_json()
    assert prof.tier != "low", prof.to_json()


def test_a_stated_data_feature_outweighs_the_data_free_name() -> None:
    prof = profile_item(
        "Office furniture", site="embassy", explicit={"features": ["data.cctv-video"]}
    )
    assert prof.reasons == () and prof.tier != "low", prof.to_json()


def test_answers_that_add_then_remove_a_data_feature_move_the_item_off_and_back_to_low() -> None:
    belts = profile_item("Conveyor belts", site="airport")
    camera = ProfileFeature("data.cctv-video", "bidder's answer: belt camera", 1.0, "explicit")
    with_camera = adjust_profile(belts, add_features=[camera])
    assert with_camera.reasons == () and with_camera.tier != "low", with_camera.to_json()
    back = adjust_profile(with_camera, remove_features=["data.cctv-video"])
    assert back.tier == "low" and back.reasons == belts.reasons, back.to_json()


@pytest.mark.parametrize(
    ("text", "site", "rules"),
    [
        (PASSENGER_AI, "airport", ["passenger records"]),
        (FEVER_SCREENING, "airport", ["biometric identity", "health data"]),
        (EGATE, "border-crossing", ["biometric identity"]),
        ("Fingerprint enrolment scanners for visa applicants", "embassy", ["biometric identity"]),
        ("Iris recognition cameras for the arrivals hall", "airport", ["biometric identity"]),
    ],
)
def test_identity_travel_and_health_data_at_borders_airports_and_missions_is_critical(
    text: str, site: str, rules: list[str]
) -> None:
    prof = profile_item(text, site=site)
    assert prof.tier == "critical", prof.to_json()
    for rule in rules:
        assert any(r.startswith(f"critical: {rule}") for r in prof.reasons), prof.reasons
    label = {
        "airport": "Airport",
        "border-crossing": "border",
        "embassy": "Embassy",
    }[site]
    assert all(label in r for r in prof.reasons), prof.reasons


def test_passenger_example_names_the_words_behind_the_reason() -> None:
    prof = profile_item(PASSENGER_AI, site="airport")
    assert {"data.passenger-record", "integration.passenger"} <= prof.feature_ids()
    (reason,) = prof.reasons
    assert "high-risk passengers" in reason and "passenger processing" in reason, reason


def test_fever_screening_reason_names_both_face_and_health_data() -> None:
    prof = profile_item(FEVER_SCREENING, site="airport")
    assert {"data.face-biometric", "data.health"} <= prof.feature_ids(), prof.to_json()
    assert len(prof.reasons) == 2, prof.reasons


@pytest.mark.parametrize("text", [EGATE, "Fingerprint scanners", FEVER_SCREENING])
def test_the_same_items_at_an_office_are_scored_not_raised(text: str) -> None:
    prof = profile_item(text, site="office")
    assert prof.reasons == (), prof.reasons
    assert prof.tier == load_taxonomy().tier_for(prof.score), prof.to_json()


def test_controls_in_place_lift_the_critical_rule() -> None:
    bare = profile_item("Fingerprint scanners", site="border-crossing")
    kept_local = profile_item(
        "Fingerprint scanners",
        site="border-crossing",
        explicit={"controls": ["data-local-only"]},
    )
    assert bare.tier == "critical" and bare.reasons
    assert kept_local.reasons == () and kept_local.tier != "critical", kept_local.to_json()


def test_answers_confirming_a_biometric_feature_make_the_item_critical() -> None:
    prof = profile_item("Visitor screening kiosk with touch screen", site="embassy")
    assert prof.tier != "critical"
    face = ProfileFeature("data.face-biometric", "bidder's answer: captures faces", 1.0, "explicit")
    adjusted = adjust_profile(prof, add_features=[face])
    assert adjusted.tier == "critical", adjusted.to_json()
    assert "bidder's answer: captures faces" in adjusted.reasons[0]
