from __future__ import annotations

import json

from click.testing import Result

from tests.cli_helpers import run_cli


def run(*args: str, stdin: str | None = None) -> Result:
    return run_cli("profile", *args, input=stdin)


def test_profile_json_has_the_contract_keys() -> None:
    out = run("X-Ray Scanning Equipment Maintenance", "--site", "embassy", "--json")
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["tier"] in ("high", "critical"), data
    assert {
        "feature": "data.xray-image",
        "evidence": "X-Ray",
        "confidence": 0.9,
        "source": "inferred",
    } in data["features"]
    assert data["controls"] and data["site"] == "diplomatic-mission"
    assert [q["id"] for q in data["questions"]][:2] == ["D1.1", "D1.2"]


def test_profile_codes_are_used() -> None:
    out = run("Security equipment", "--code", "CPV:38581000", "--json")
    features = {f["feature"]: f["evidence"] for f in json.loads(out.stdout)["features"]}
    assert features["data.xray-image"] == "CPV 38581000"


def test_empty_description_is_insufficient_information() -> None:
    out = run("", "--json")
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["tier"] == "insufficient-information"


def test_description_from_stdin() -> None:
    out = run("-", "--json", stdin="Standalone walk-through metal detector")
    assert json.loads(out.stdout)["tier"] == "low"


def test_unknown_site_is_a_usage_error() -> None:
    out = run("camera", "--site", "moon-base")
    assert out.exit_code == 2
    assert out.stderr.startswith("bidvet: error: --site: unknown site type 'moon-base'"), out.stderr
