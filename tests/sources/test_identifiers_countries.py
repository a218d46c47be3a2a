from __future__ import annotations

from pathlib import Path

import pytest

from bidvet.errors import ConfigError
from bidvet.model.identifiers import lei_is_valid, normalise
from bidvet.model.quality import QualityLog
from bidvet.sources.countries import country_code, resolve_country
from bidvet.sources.identifiers import (
    SCHEMES_FILE,
    load_identifier_schemes,
    make_identifier,
    scheme_codes,
    scheme_for_label,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Korea, North", "kp"),
        ("IQ", "iq"),
        ("Syrian Arab Republic", "sy"),
        ("Region: West Bank", "ps"),
        ("United Kingdom", "gb"),
        ("Atlantis", None),
        ("zz", None),
    ],
)
def test_country_text_to_iso2(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_unknown_country_goes_to_the_quality_log_and_markers_do_not() -> None:
    log = QualityLog("f.xml")
    assert resolve_country("Atlantis", log, record="r1", field="country") is None
    assert resolve_country("00", log, record="r2", field="country") is None
    assert resolve_country("UNKNOWN", log, record="r3", field="country") is None
    assert [(i.record, i.value) for i in log.issues] == [("r1", "Atlantis")]


@pytest.mark.parametrize(
    ("label", "scheme"),
    [
        ("Legal Entity Number", "lei"),
        ("Unified Social Credit Code (USCC)", "uscc"),
        ("United Social Credit Code Certificate (USCCC)", "uscc"),
        ("Vessel Registration Identification", "imo"),
        ("SWIFT/BIC", "swift"),
        ("BIK (RU)", "bik"),
        ("Registration Number", "regno"),
        ("Tax ID No.", "tax"),
        ("R.F.C.", "tax"),
        ("Passport", "passport"),
        ("Cedula No.", "national-id"),
        ("Website", None),
        ("Listing Date (CMIC)", None),
        ("Nationality of Registration", None),
        ("Former Vessel Flag", None),
        ("Email Address", None),
    ],
)
def test_label_to_scheme(label: str, scheme: str | None) -> None:
    assert scheme_for_label(label) == scheme


def test_lei_checksum() -> None:
    assert lei_is_valid("9845000TARNHOLDING36")
    assert not lei_is_valid("9845000TARNHOLDING37")
    assert not lei_is_valid("851683897")


def test_normalisation_and_checks() -> None:
    assert normalise("lei", " 9845000tarnholding36 ") == "9845000TARNHOLDING36"
    assert normalise("imo", "IMO 9187629") == "IMO9187629"
    assert normalise("uscc", "91990000MA0B0RELAC") == "91990000MA0B0RELAC"
    assert normalise("regno", "1234567-8") == "12345678"
    assert normalise("swift", "deut de ff") == "DEUTDEFF"


@pytest.mark.parametrize(
    ("scheme", "raw"),
    [
        ("lei", "9845000TARNHOLDING37"),
        ("uscc", "91990000MA0B0RELA"),
        ("imo", "RS 150443"),
        ("swift", "DEUT"),
        ("regno", "  "),
        ("tax", "X" * 201),
    ],
)
def test_bad_identifier_is_logged_not_kept(scheme: str, raw: str) -> None:
    log = QualityLog("f.xml")
    assert make_identifier(scheme, raw, log, record="r", field="id") is None
    assert len(log.issues) == 1 and log.issues[0].action == "normalised"
    assert log.issues[0].reason.startswith(f"{scheme}: ")


def test_identifier_vocabulary_is_strict(tmp_path: Path) -> None:
    text = SCHEMES_FILE.read_text()
    typo = tmp_path / "typo.yaml"
    typo.write_text(text.replace("  - scheme: lei\n    labels:", "  - scheme: lei\n    lables:", 1))
    with pytest.raises(ConfigError, match=r"schemes\.0"):
        load_identifier_schemes(typo)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(text.replace("    imo: imo\n", "    imo: imo-number\n", 1))
    with pytest.raises(ConfigError, match=r"codes\.eu-fsf.*add them under schemes"):
        load_identifier_schemes(unknown)
    bad_regex = tmp_path / "regex.yaml"
    bad_regex.write_text(text.replace("  - gender\n", "  - gen(der\n"))
    with pytest.raises(ConfigError, match="bad regular expression"):
        load_identifier_schemes(bad_regex)


def test_publisher_codes() -> None:
    assert scheme_codes("eu-fsf")["regnumber"] == "regno"
    assert scheme_codes("ftm")["leiCode"] == "lei"
    assert scheme_codes("nobody") == {}
