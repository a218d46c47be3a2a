"""Price indicators under the buyer's own rules: Art. 69 and the FSR for EU buyers only, the
buyer's rule (or the generic signal) elsewhere, amounts converted at the dated ECB rate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bidvet.errors import ConfigError
from bidvet.model.contracts import Money
from bidvet.price import CONFIG_PATH, Bid, PriceFlag, load_config, load_fx_table, price_flags
from bidvet.price.fx import Rate

ON = dt.date(2024, 1, 15)


def cad(amount: float) -> Money:
    return Money(amount, "CAD")


def by(flags: list[PriceFlag], indicator: str) -> list[PriceFlag]:
    return [f for f in flags if f.indicator == indicator]


def rate(currency: str, on: dt.date) -> Rate:
    found = load_fx_table().rate(currency, on)
    assert isinstance(found, Rate), found
    return found


#: a fictional tender's bids: one far below the others, one bidder with large contributions
BIDS = [
    Bid("Lumengate Screening Technology Co Ltd", cad(400e6), {"cn": Money(80e6, "CNY")}),
    Bid("Borealis Scanning Oy", cad(600e6), {"us": Money(1e6, "USD")}),
    Bid("Tarn Holdings Ltd", Money(450e6, "USD"), {}),
]


def test_canadian_buyer_gets_no_art69_and_no_fsr_but_the_generic_signal() -> None:
    flags = price_flags(BIDS, buyer_country="ca", on=ON)
    cited = " ".join(f"{f.citation} {f.message} {f.action}" for f in flags)
    assert "2014/24" not in cited and "2022/2560 (Foreign Subsidies Regulation)," not in [
        f.citation for f in flags
    ]
    (fsr,) = by(flags, "fsr-notification")  # said once, not per bidder
    assert fsr.status == "not-applicable" and fsr.bidder is None, fsr
    assert "European Union only" in fsr.message and "CA (Canada)" in fsr.message
    raised = [f for f in by(flags, "abnormally-low-vs-others") if f.status == "raised"]
    assert [f.bidder for f in raised] == ["Lumengate Screening Technology Co Ltd"], flags
    (flag,) = raised
    assert flag.citation == "abnormally low bid — buyer policy to be set"
    assert (flag.rule, flag.buyer_country) == ("buyer-policy-to-be-set", "ca")
    assert "for buyer country CA (Canada)" in flag.message
    assert "Canada" in flag.evidence["rule_note"]


def test_eu_buyer_gets_art69_and_fsr_with_cad_and_usd_converted_at_the_dated_rate() -> None:
    estimate = Money(500e6, "EUR")
    flags = price_flags(BIDS, estimate=estimate, buyer_country="de", on=ON)
    cad_rate, usd_rate = rate("CAD", ON), rate("USD", ON)
    assert cad_rate.date == usd_rate.date <= ON
    day = cad_rate.date.isoformat()
    est = by(flags, "abnormally-low-vs-estimate")
    (low,) = [f for f in est if f.status == "raised"]
    assert low.bidder == "Lumengate Screening Technology Co Ltd"
    assert low.citation == "EU Directive 2014/24/EU Art. 69 (abnormally low tenders)"
    conv = low.evidence["conversion"]
    assert conv["converted"] == pytest.approx(400e6 / cad_rate.per_eur, abs=0.01)
    assert conv["rate_date"] == day and conv["rate"] == f"1 EUR = {cad_rate.per_eur:g} CAD"
    assert f"ECB reference rate of {day}: 1 EUR = {cad_rate.per_eur:g} CAD" in low.message
    others = by(flags, "abnormally-low-vs-others")
    assert {f.rule for f in others} == {"eu-2014-24-art69"}
    usd = [c for f in others for c in f.evidence.get("conversions", []) if c["currency"] == "USD"]
    assert usd and {c["rate_date"] for c in usd} == {day}
    assert usd[0]["converted"] == pytest.approx(450e6 / usd_rate.per_eur * cad_rate.per_eur, 0.01)
    fsr = {f.bidder: f for f in by(flags, "fsr-notification")}
    lumengate = fsr["Lumengate Screening Technology Co Ltd"]
    assert lumengate.status == "raised" and lumengate.rule == "eu-fsr-2022-2560", lumengate
    cny = rate("CNY", ON)
    got = lumengate.evidence["foreign_contributions_eur"]["cn"]
    assert got == pytest.approx(80e6 / cny.per_eur, abs=0.01)
    assert f"1 EUR = {cny.per_eur:g} CNY" in lumengate.message and day in lumengate.message
    assert fsr["Borealis Scanning Oy"].status == "not-raised"


def test_a_missing_rate_is_a_note_and_the_indicator_is_not_evaluated() -> None:
    bids = [Bid("Borealis Scanning Oy", cad(100)), Bid("Tarn Holdings Ltd", Money(90, "BRL"))]
    flags = price_flags(bids, estimate=Money(120, "EUR"), buyer_country="fi", on=ON)
    (others,) = by(flags, "abnormally-low-vs-others")
    assert others.status == "cannot-evaluate"
    assert "no ECB rate for BRL on 2024-01-15" in others.message
    assert "not evaluated" in others.message
    early = price_flags(
        bids[:1], estimate=Money(120, "EUR"), buyer_country="fi", on=dt.date(1999, 6, 30)
    )
    (est,) = by(early, "abnormally-low-vs-estimate")
    assert est.status == "cannot-evaluate"
    assert "no ECB rate for CAD on 1999-06-30 (the bundled table starts" in est.message
    late = load_fx_table().last_date + dt.timedelta(days=400)
    stale = price_flags(bids[:1], estimate=Money(120, "EUR"), buyer_country="fi", on=late)
    (est,) = by(stale, "abnormally-low-vs-estimate")
    assert f"no ECB rate for CAD on {late.isoformat()}" in est.message


@pytest.mark.parametrize(
    ("country", "on", "rule"),
    [
        ("fi", dt.date(2014, 6, 1), "eu-2004-18-art55"),
        ("fi", dt.date(2020, 6, 1), "eu-2014-24-art69"),
        ("no", dt.date(2020, 6, 1), "eu-2014-24-art69"),
        ("gb", dt.date(2024, 6, 1), "uk-pcr-2015-reg69"),
        ("gb", dt.date(2025, 3, 1), "uk-procurement-act-2023"),
        ("us", dt.date(2024, 6, 1), "us-far-15-404-1"),
        ("au", dt.date(2024, 6, 1), "buyer-policy-to-be-set"),
        ("gb", dt.date(2010, 6, 1), "buyer-policy-to-be-set"),
        (None, dt.date(2024, 6, 1), "buyer-policy-to-be-set"),
    ],
)
def test_the_rule_in_force_for_the_buyer_on_the_date(
    country: str | None, on: dt.date, rule: str
) -> None:
    bids = [Bid("A", cad(50)), Bid("B", cad(100)), Bid("C", cad(101))]
    (low,) = [f for f in price_flags(bids, buyer_country=country, on=on) if f.status == "raised"][
        :1
    ]
    assert low.rule == rule, low
    assert low.citation == load_config().buyer_rules.rules[rule].name


def test_fsr_before_its_notification_obligation_is_not_applicable() -> None:
    flags = price_flags(BIDS, buyer_country="fr", on=dt.date(2023, 6, 1))
    (fsr,) = by(flags, "fsr-notification")
    assert fsr.status == "not-applicable" and "not in force on 2023-06-01" in fsr.message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("abnormally-low: [us-far-15-404-1]", "abnormally-low: [us-far]", "us-far"),
        ("countries: [gb]", "countries: [gb, fi]", "'fi' is in both"),
    ],
)
def test_buyer_rules_are_checked(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = CONFIG_PATH.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "price_flags.yaml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(bad)
