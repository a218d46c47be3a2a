"""The ownership chain picture: well-formed, complete, highlighted, laid out by depth."""

from __future__ import annotations

from typing import Any

from lxml import etree

from bidvet.reports.svg import ownership_svg, share_text
from tests.reports.dom import all_text, parse_xml

SVG_NS = "{http://www.w3.org/2000/svg}"


def _kestrel(report: dict[str, Any]) -> tuple[str, etree._Element]:
    bidder = report["bidders"][1]
    svg = ownership_svg(
        bidder["ownership"], subject_id=bidder["entity_id"], subject_name=bidder["name"]
    )
    assert svg is not None
    return svg, etree.fromstring(svg.encode("utf-8"))


def _node(root: etree._Element, entity_id: str) -> etree._Element:
    nodes = root.findall(f'{SVG_NS}g[@id="n-{entity_id}"]')
    assert len(nodes) == 1, entity_id
    return nodes[0]


def test_svg_is_well_formed_and_names_every_owner(sample_report: dict[str, Any]) -> None:
    _, root = _kestrel(sample_report)
    assert root.tag == f"{SVG_NS}svg"
    titles = [t.text or "" for t in root.iter(f"{SVG_NS}title")]
    for owner in sample_report["bidders"][1]["ownership"]["owners"]:
        assert any(t.startswith(owner["name"]) for t in titles), owner["name"]
        _node(root, owner["id"])
    _node(root, "fict-kestrel-imaging")


def test_rows_follow_depth_from_the_subject(sample_report: dict[str, Any]) -> None:
    _, root = _kestrel(sample_report)

    def top(entity_id: str) -> float:
        return float(_node(root, entity_id).find(f"{SVG_NS}rect").get("y"))  # type: ignore[union-attr,arg-type]

    assert (
        top("fict-state-property-agency")
        < top("fict-vostok-strategic")
        < top("fict-tarn-holdings")
        < top("fict-kestrel-imaging")
    )


def test_listed_and_state_linked_owners_are_highlighted(sample_report: dict[str, Any]) -> None:
    _, root = _kestrel(sample_report)
    listed = _node(root, "fict-vostok-strategic").find(f"{SVG_NS}rect")
    state = _node(root, "fict-state-property-agency").find(f"{SVG_NS}rect")
    plain = _node(root, "fict-tarn-holdings").find(f"{SVG_NS}rect")
    assert listed is not None and state is not None and plain is not None
    assert listed.get("stroke") == "#b3261e"
    assert state.get("fill") == "#efe7f7"
    assert plain.get("stroke") not in {"#b3261e", "#6a3d9a"}
    assert "LISTED" in all_text(_node(root, "fict-vostok-strategic"))
    assert "STATE-LINKED" in all_text(_node(root, "fict-state-property-agency"))


def test_edges_are_labelled_with_share_or_kind(sample_report: dict[str, Any]) -> None:
    _, root = _kestrel(sample_report)
    labels = [
        t.text
        for t in root.findall(f"{SVG_NS}text")
        if t.text and t.get("font-size") == "10" and t.getparent() is root
    ]
    # Tarn → Kestrel 100 %, Vostok → Tarn 60 % (0.6 / 1.0), agency → Vostok: share unknown, kind
    assert sorted(labels) == ["100 %", "60 %", "state"]


def test_names_are_escaped_and_output_has_no_external_references() -> None:
    ownership = {
        "owners": [
            {
                "id": "fict-a&b",
                "name": 'Tarn <Holdings> & "Partners"',
                "effective_share": 0.25,
                "path": ["fict-a&b", "fict-subject"],
            }
        ]
    }
    svg = ownership_svg(ownership, subject_id="fict-subject", subject_name="Borealis <Oy>")
    assert svg is not None
    root = etree.fromstring(svg.encode("utf-8"))
    text = all_text(root)
    assert 'Tarn <Holdings> & "Partners"' in text
    assert "Borealis <Oy>" in text
    assert "href" not in svg and "<script" not in svg and "<style" not in svg


def test_picture_is_deterministic(sample_report: dict[str, Any]) -> None:
    first, _ = _kestrel(sample_report)
    sample_report["bidders"][1]["ownership"]["owners"].reverse()
    second, _ = _kestrel(sample_report)
    assert first == second


def test_no_owners_means_no_picture() -> None:
    assert ownership_svg(None, subject_id="x", subject_name="X") is None
    assert ownership_svg({"owners": []}, subject_id="x", subject_name="X") is None


def test_share_text_formats_exact_ranges_and_unknown() -> None:
    assert share_text(0.6) == "60 %"
    assert share_text(0.125) == "12.5 %"
    assert share_text(None, 0.25, 0.5) == "25–50 %"
    assert share_text(None, 0.5, None) == "≥ 50 %"
    assert share_text(None) is None


def _api_shaped() -> dict[str, Any]:
    """The shape ``bidvet.ownership.report.owners(...).to_json()`` writes (fictional entities)."""
    return {
        "entity_id": "fict-kestrel",
        "owners": [
            {
                "id": "fict-tarn",
                "name": "Tarn Holdings Ltd",
                "effective_share": None,
                "min_share": 0.0,
                "max_share": 1.0,
                "path": ["fict-tarn", "fict-kestrel"],
                "kinds": ["controlling-shareholder"],
                "edges": [["k1"]],
                "paths": 1,
                "listed": True,
            },
            {
                "id": "fict-agency",
                "name": "Fictional State Property Agency",
                "effective_share": None,
                "min_share": 0.0,
                "max_share": 1.0,
                "path": ["fict-agency", "fict-tarn", "fict-kestrel"],
                "kinds": ["state", "controlling-shareholder"],
                "edges": [["k2"], ["k1"]],
                "paths": 1,
                "listed": False,
            },
        ],
        "state_linked": True,
        "state_link_paths": [],
        "ultimate_controllers": [
            {"id": "fict-agency", "name": "Fictional State Property Agency", "state": True}
        ],
        "unknown_owners": [
            {
                "id": "unspecified:undisclosed:fict-kestrel",
                "reason": "undisclosed",
                "asset_id": "fict-kestrel",
                "path": ["unspecified:undisclosed:fict-kestrel", "fict-kestrel"],
            }
        ],
        "status": {},
    }


def test_api_shaped_ownership_unknown_shares_controllers_and_unknown_owners() -> None:
    svg = ownership_svg(
        _api_shaped(), subject_id="fict-kestrel", subject_name="Kestrel Imaging Ltd"
    )
    assert svg is not None
    root = parse_xml(svg)
    tarn = _node(root, "fict-tarn")
    agency = _node(root, "fict-agency")
    unknown = _node(root, "unspecified:undisclosed:fict-kestrel")
    assert "LISTED" in all_text(tarn)
    assert "effective" not in all_text(tarn), "0–100 % bounds must read as unknown"
    assert "STATE-LINKED" in all_text(agency)
    assert "Unknown owner (undisclosed)" in all_text(unknown)
    rect = unknown.find(f"{SVG_NS}rect")
    assert rect is not None and rect.get("stroke-dasharray") == "5 3"
    labels = sorted(
        t.text or "" for t in root.findall(f"{SVG_NS}text") if t.get("font-size") == "10"
    )
    assert labels == ["controlling-shareholder", "state"]
