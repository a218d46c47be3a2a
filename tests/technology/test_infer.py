from __future__ import annotations

from bidvet.technology.infer import clean_text, infer_features, parse_code


def _direct(text: str | None, codes: tuple[str, ...] = ()) -> dict[str, str]:
    return {f.feature: f.evidence for f in infer_features(text, codes).direct()}


def test_short_austender_style_description() -> None:
    found = _direct("X-Ray Scanning Equipment Maintenance")
    assert found == {
        "data.xray-image": "X-Ray",
        "service.vendor-maintenance": "Maintenance",
    }, found


def test_xray_implies_disk_usb_and_embedded_os_at_lower_confidence() -> None:
    inference = infer_features("X-ray baggage scanner")
    implied = {f.feature: f for f in inference.features if f.implied_by}
    assert set(implied) == {"storage.local-disk", "interface.usb", "os.embedded"}
    assert all(f.implied_by == "data.xray-image" and f.confidence < 0.9 for f in implied.values())


def test_every_feature_carries_the_words_and_a_confidence() -> None:
    inference = infer_features("IP CCTV cameras with network video recorder and cloud backup")
    for feat in inference.features:
        assert feat.evidence and 0 < feat.confidence <= 1, feat
    assert {"data.cctv-video", "storage.local-disk", "connectivity.vendor-cloud"} <= {
        f.feature for f in inference.features
    }


def test_standalone_and_no_network_cancel_network_features_and_record_control() -> None:
    inference = infer_features("Standalone walk-through metal detector, no network connection")
    features = {f.feature for f in inference.features}
    assert "interface.network" not in features
    assert "connectivity.standalone" in features
    assert [c.control for c in inference.controls] == ["standalone"]


def test_without_storage_cancels_storage() -> None:
    inference = infer_features("Parcel X-ray unit without storage, images are not stored")
    features = {f.feature for f in inference.features}
    assert "storage.local-disk" not in features, inference
    assert "no-storage" in {c.control for c in inference.controls}


def test_negation_word_before_a_cue_cancels_only_that_cue() -> None:
    inference = infer_features("Camera with no USB and an Ethernet port")
    features = {f.feature for f in inference.features}
    assert "interface.usb" not in features
    assert "interface.network" in features


def test_codes_give_features_with_the_code_as_evidence() -> None:
    inference = infer_features("Security equipment", ("CPV:38581000-1",))
    (xray,) = [f for f in inference.features if f.feature == "data.xray-image"]
    assert xray.evidence == "CPV 38581000" and xray.confidence == 0.7


def test_text_and_code_together_raise_confidence() -> None:
    both = [f for f in infer_features("CCTV", ("CPV:35125300",)).features if not f.implied_by]
    assert both[0].feature == "data.cctv-video" and both[0].confidence > 0.9


def test_parse_code_accepts_scheme_prefixes_and_bare_digits() -> None:
    assert parse_code("CPV:38581000-1") == (("cpv",), "38581000")
    assert parse_code("UNSPSC 46171610") == (("unspsc",), "46171610")
    assert parse_code("45233130.0") == (("cpv", "unspsc"), "45233130")
    assert parse_code("abc") is None


def test_html_is_stripped() -> None:
    assert clean_text("<p>Body&nbsp;scanner</p>") == "Body scanner"


def test_status_empty_placeholder_unknown_and_non_technology() -> None:
    assert infer_features(None).status == "empty"
    assert infer_features("   ").status == "empty"
    assert infer_features("See description of related tender.").status == "empty"
    assert infer_features("Equipment").status == "empty"
    assert infer_features("Quantum widget").status == "unknown"
    assert infer_features("Leasing of Irrigation land").status == "non-technology"
    assert infer_features("See description of related tender.", ("CPV:80000000",)).status == (
        "non-technology"
    )
    assert infer_features("See description", ("CPV:72000000",)).status == "unknown"


def test_maintenance_of_non_technology_is_not_a_feature() -> None:
    inference = infer_features("Landscape Consolidation Maintenance for Raising London Circuit")
    assert inference.features == ()
    assert inference.status == "non-technology"


def test_linked_systems_give_integration_not_item_features() -> None:
    found = _direct("Smart gates with face recognition linked to the border management system")
    assert "integration.border" in found
    assert "tech.software" not in found, found
