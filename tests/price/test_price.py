"""Price red flags: explanation requests (Art. 69), gap, single bid, FSR, and "cannot evaluate"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bidvet.errors import ConfigError
from bidvet.model.contracts import Money
from bidvet.price import (
    CONFIG_PATH,
    Bid,
    PriceFlag,
    indicator_specs,
    load_config,
    price_flags,
    process_price_flags,
)
from bidvet.sources.loader import parse_file

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contracts"


def eu(bids: list[Bid], **options: Any) -> list[PriceFlag]:
    """The flags for a fictional EU (Finnish) buyer on a date after the FSR's notification
    obligation began."""
    return price_flags(bids, buyer_country="fi", on=dt.date(2024, 1, 15), **options)


def eur(amount: float) -> Money:
    return Money(amount, "EUR")


def by(flags: list[PriceFlag], indicator: str) -> list[PriceFlag]:
    return [f for f in flags if f.indicator == indicator]


def test_abnormally_low_bid_is_an_explanation_request_not_an_exclusion() -> None:
    bids = [
        Bid("Quillfeather Detection Ltd", eur(600_000)),
        Bid("Borealis Scanning Oy", eur(950_000)),
        Bid("Tarn Holdings Ltd", eur(990_000)),
    ]
    flags = eu(bids, estimate=eur(1_000_000))
    raised = [f for f in by(flags, "abnormally-low-vs-others") if f.status == "raised"]
    assert [f.bidder for f in raised] == ["Quillfeather Detection Ltd"], flags
    (flag,) = raised
    assert flag.evidence["others_median"] == 970_000
    assert "2014/24/EU Art. 69" in (flag.citation or "")
    assert (flag.rule, flag.buyer_country) == ("eu-2014-24-art69", "fi")
    assert "for buyer country FI (Finland)" in flag.message
    assert flag.action is not None and "explain" in flag.action and "not by itself" in flag.action
    assert "exclu" not in flag.message
    est = [f for f in by(flags, "abnormally-low-vs-estimate") if f.status == "raised"]
    assert [f.bidder for f in est] == ["Quillfeather Detection Ltd"]  # 40% below, threshold 25%
    (gap,) = by(flags, "lowest-to-next-gap")
    assert gap.status == "raised" and gap.evidence["gap"] == pytest.approx(0.3684, abs=1e-4)
    (single,) = by(flags, "single-bid")
    assert single.status == "not-raised"


def test_close_bids_raise_nothing() -> None:
    bids = [Bid("A", eur(100)), Bid("B", eur(105)), Bid("C", eur(110))]
    flags = price_flags(bids, estimate=eur(110))
    assert not [f for f in flags if f.status == "raised"], flags


def test_single_bid_and_too_few_bids_to_compare() -> None:
    flags = eu([Bid("Borealis Scanning Oy", eur(500))])
    assert by(flags, "single-bid")[0].status == "raised"
    assert by(flags, "abnormally-low-vs-others")[0].status == "cannot-evaluate"
    assert by(flags, "lowest-to-next-gap")[0].status == "cannot-evaluate"
    (est,) = by(flags, "abnormally-low-vs-estimate")
    assert est.message.startswith("cannot evaluate: no estimate given (under EU Directive"), est


def test_no_bid_data_is_said_not_passed() -> None:
    flags = eu([])
    assert {f.status for f in flags} == {"cannot-evaluate"}
    assert all(f.message.startswith("cannot evaluate: no bid data") for f in flags), flags


def test_mixed_currencies_without_a_date_cannot_be_compared() -> None:
    flags = price_flags(
        [Bid("A", eur(100)), Bid("B", Money(50, "GBP")), Bid("C", eur(120))], buyer_country="fi"
    )
    (flag,) = by(flags, "abnormally-low-vs-others")
    assert flag.status == "cannot-evaluate" and "no date to choose an ECB rate" in flag.message


def test_fsr_notification_thresholds() -> None:
    big = eur(300_000_000)
    over = Bid("Lumengate Screening Technology Co Ltd", big, {"cn": eur(5_000_000)})
    under = Bid("Borealis Scanning Oy", eur(310_000_000), {"us": eur(1_000_000)})
    unknown = Bid("Tarn Holdings Ltd", eur(320_000_000))
    flags = by(eu([over, under, unknown], estimate=big), "fsr-notification")
    assert [(f.bidder, f.status) for f in flags] == [
        ("Lumengate Screening Technology Co Ltd", "raised"),
        ("Borealis Scanning Oy", "not-raised"),
        ("Tarn Holdings Ltd", "cannot-evaluate"),
    ]
    lot = by(eu([over], estimate=eur(130_000_000), lot=True), "fsr-notification")
    assert lot[0].status == "raised"  # lots: EUR 125m
    not_lot = by(eu([over], estimate=eur(130_000_000)), "fsr-notification")
    assert not_lot[0].status == "not-raised"
    defence = by(eu([over], estimate=big, defence_security=True), "fsr-notification")
    assert defence[0].status == "not-applicable"
    brl = by(eu([Bid("X", Money(3e9, "BRL"), {"cn": eur(5e6)})]), "fsr-notification")
    assert brl[0].status == "cannot-evaluate"
    assert "no ECB rate for BRL on 2024-01-15" in brl[0].message


def test_ocds_bids_extension_feeds_the_flags() -> None:
    _, batch = parse_file(FIXTURES / "bids.jsonl")
    flags = process_price_flags(batch.contracts[0])
    raised = {(f.indicator, f.bidder) for f in flags if f.status == "raised"}
    assert ("abnormally-low-vs-others", "Quillfeather Detection Ltd") in raised, flags


def test_register_without_bids_cannot_be_evaluated() -> None:
    _, batch = parse_file(FIXTURES / "austender.csv")
    (flag,) = process_price_flags(batch.contracts[0])
    assert flag.status == "cannot-evaluate" and "no bid data" in flag.message


def test_every_indicator_has_a_docstring() -> None:
    for spec in indicator_specs().values():
        assert len(spec.doc) > 60, spec.name


def test_config_is_strict(tmp_path: Path) -> None:
    text = CONFIG_PATH.read_text()
    bad = tmp_path / "p.yaml"
    bad.write_text(text.replace("min_other_bids:", "min_other_bid:"))
    with pytest.raises(ConfigError, match="min_other_bid"):
        load_config(bad)
