"""Dated currency conversion with the bundled ECB reference-rate table (``data/fx_rates.yaml``).

The table holds month-end euro reference rates (units per 1 EUR; see
:mod:`bidvet.price.fx_import`). The rate in force on a date D is the latest rate in the table
dated on or before D, provided it is at most ``max_age_days`` old (``price_flags.yaml``,
``currency.max_rate_age_days``). A currency the table does not carry, a date before the table or
too long after its last rate gives no rate: :meth:`FxTable.convert` returns a :class:`NoRate`
whose :attr:`~NoRate.note` says so ("no ECB rate for XYZ on D"), never an exception. Every
:class:`Conversion` carries the rates and the date it used, and says them in
:meth:`~Conversion.describe`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from bidvet.model.contracts import Money
from bidvet.yamlconfig import StrictModel, validate_yaml

FX_PATH = Path(__file__).resolve().parent.parent / "data" / "fx_rates.yaml"
BASE = "EUR"


class FxSource(StrictModel):
    title: str
    publisher: str
    url: str
    page: str
    licence: str
    last_date: dt.date
    #: where this copy of the ECB file was read
    copied_from: str


class FxFile(StrictModel):
    """``fx_rates.yaml``: where the rates come from and one row of rates per date."""

    source: FxSource
    method: str
    currencies: list[str] = Field(min_length=1)
    rates: dict[dt.date, list[float | None]]

    @model_validator(mode="after")
    def _rows_match_currencies(self) -> FxFile:
        for date, row in self.rates.items():
            if len(row) != len(self.currencies):
                raise ValueError(
                    f"the row of {date} has {len(row)} rates for {len(self.currencies)} currencies"
                )
            if any(r is not None and r <= 0 for r in row):
                raise ValueError(f"the row of {date} has a rate that is not positive")
        return self


@dataclass(frozen=True)
class Rate:
    """One ECB reference rate: ``per_eur`` units of ``currency`` for 1 EUR, published ``date``."""

    currency: str
    per_eur: float
    date: dt.date

    def describe(self) -> str:
        return f"1 EUR = {self.per_eur:g} {self.currency}"


@dataclass(frozen=True)
class Conversion:
    """``amount`` converted into ``to`` with the rates of ``date`` (through EUR)."""

    amount: Money
    converted: Money
    rates: tuple[Rate, ...]
    date: dt.date

    def rate(self) -> str:
        """``1 EUR = 1.2271 USD = 1.5633 CAD`` (the rates used, through EUR)."""
        quoted = [f"{r.per_eur:g} {r.currency}" for r in self.rates if r.currency != BASE]
        return "1 EUR = " + " = ".join(quoted)

    def rate_text(self) -> str:
        """``ECB reference rate of 2020-12-31: 1 EUR = 1.5633 CAD``."""
        return f"ECB reference rate of {self.date.isoformat()}: {self.rate()}"

    def describe(self) -> str:
        """``6,800,000.00 CAD = 4,349,772.92 EUR (ECB reference rate of …)``."""
        return f"{self.amount} = {self.converted} ({self.rate_text()})"

    def to_json(self) -> dict[str, Any]:
        return {
            "amount": self.amount.amount,
            "currency": self.amount.currency,
            "converted": round(self.converted.amount, 2),
            "to": self.converted.currency,
            "rate": self.rate(),
            "rate_date": self.date.isoformat(),
        }


@dataclass(frozen=True)
class NoRate:
    """Why an amount could not be converted."""

    note: str


class FxTable:
    """The dated rate table, looked up by currency and date."""

    def __init__(self, data: FxFile, max_age_days: int) -> None:
        self.source = data.source
        self.max_age_days = max_age_days
        self._dates = sorted(data.rates)
        index = {cur: i for i, cur in enumerate(data.currencies)}
        self._series: dict[str, list[float | None]] = {
            cur: [data.rates[d][i] for d in self._dates] for cur, i in index.items()
        }

    @property
    def currencies(self) -> list[str]:
        return [BASE, *sorted(self._series)]

    @property
    def first_date(self) -> dt.date:
        return self._dates[0]

    @property
    def last_date(self) -> dt.date:
        return self._dates[-1]

    def rate(self, currency: str, on: dt.date) -> Rate | NoRate:
        """The rate of ``currency`` in force on ``on``, or why there is none."""
        if currency == BASE:
            return Rate(BASE, 1.0, on)
        series = self._series.get(currency)
        if series is None:
            return NoRate(
                f"no ECB rate for {currency} on {on.isoformat()} "
                f"(the bundled table has {', '.join(self.currencies)})"
            )
        i = bisect.bisect_right(self._dates, on) - 1
        if i < 0:
            return NoRate(
                f"no ECB rate for {currency} on {on.isoformat()} "
                f"(the bundled table starts {self.first_date.isoformat()})"
            )
        date, value = self._dates[i], series[i]
        if value is None:
            return NoRate(
                f"no ECB rate for {currency} on {on.isoformat()} "
                f"(the ECB published none by {date.isoformat()})"
            )
        if (on - date).days > self.max_age_days:
            return NoRate(
                f"no ECB rate for {currency} on {on.isoformat()} (the latest in the bundled "
                f"table is of {date.isoformat()}, more than {self.max_age_days} days earlier)"
            )
        return Rate(currency, value, date)

    def convert(self, money: Money, to: str, on: dt.date | None) -> Conversion | NoRate:
        """``money`` in currency ``to`` at the rates in force on ``on``."""
        if on is None:
            return NoRate(
                f"no date to choose an ECB rate for {money.currency} → {to} (give the tender's "
                "date or an as-of date)"
            )
        if money.currency == to:
            return Conversion(money, money, (), on)
        src, dst = self.rate(money.currency, on), self.rate(to, on)
        if isinstance(src, NoRate):
            return src
        if isinstance(dst, NoRate):
            return dst
        date = max(r.date for r in (src, dst) if r.currency != BASE)
        amount = money.amount / src.per_eur * dst.per_eur
        return Conversion(money, Money(amount, to), (src, dst), date)


@cache
def load_fx_table(path: Path = FX_PATH, max_age_days: int = 35) -> FxTable:
    """The bundled (or given) rate table, read strictly once."""
    data = validate_yaml(path, FxFile, fix_top="regenerate it with bidvet.price.fx_import")
    return FxTable(data, max_age_days)
