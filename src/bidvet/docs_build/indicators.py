"""One page per price indicator registered in :mod:`bidvet.price`, and an index.

The set of indicators, their order, titles, summaries (docstrings) and the configuration keys
they read come from the registry (:func:`bidvet.price.indicator_specs`). The methodology, the
reason it is a red flag and the exclusions are written by hand in ``indicators.yaml`` next to
this module, by indicator name; the configuration values come from
``bidvet/data/price_flags.yaml`` and each example is a test fixture,
``tests/fixtures/indicators/<id>.json``, run through :func:`~bidvet.price.price_flags`
(``tests/price/test_indicator_examples.py`` checks the result the fixture expects). A registered
indicator without text, or text for an indicator that is not registered, fails the build
instead of going undocumented.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from bidvet.docs_build.markdown import header
from bidvet.errors import ConfigError
from bidvet.mdtext import cell, code, json_block, table
from bidvet.model.contracts import Money
from bidvet.price import (
    Bid,
    IndicatorSpec,
    PriceConfig,
    PriceFlag,
    Status,
    indicator_specs,
    load_config,
    load_fx_table,
    price_flags,
)
from bidvet.price.config import PriceRule
from bidvet.yamlconfig import StrictModel, validate_data, validate_yaml

FOLDER = "docs/indicators"
FIXTURES = "tests/fixtures/indicators"
TEXT_PATH = Path(__file__).resolve().parent / "indicators.yaml"
_SOURCE = "src/bidvet/docs_build/indicators.yaml"
_CONFIG = "src/bidvet/data/price_flags.yaml"
_FX = "src/bidvet/data/fx_rates.yaml"


class IndicatorText(StrictModel):
    """The written part of one indicator's page."""

    methodology: str
    red_flag: str
    exclusions: str


class IndicatorTexts(StrictModel):
    intro: str
    #: by indicator name
    indicators: dict[str, IndicatorText] = Field(min_length=1)


@cache
def texts() -> IndicatorTexts:
    """The hand-written text of every indicator page (strict: an unknown key is an error)."""
    return validate_yaml(TEXT_PATH, IndicatorTexts, fix_top="compare with the bundled file")


def indicator_ids() -> list[str]:
    """Every registered indicator, in the order ``price_flags`` reports them."""
    return list(indicator_specs())


class MoneyIn(StrictModel):
    amount: float
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    def money(self) -> Money:
        return Money(self.amount, self.currency)


class BidIn(StrictModel):
    bidder: str
    value: MoneyIn | None
    valid: bool = True
    #: foreign financial contributions per third country (FSR), when the bidder declared them
    foreign_contributions: dict[str, MoneyIn] | None = None

    def bid(self) -> Bid:
        contributions = self.foreign_contributions
        return Bid(
            self.bidder,
            self.value.money() if self.value else None,
            None if contributions is None else {k: v.money() for k, v in contributions.items()},
            self.valid,
        )


class ExpectedFlag(StrictModel):
    """A flag the example must produce: its status, bidder and key evidence numbers."""

    status: Status
    bidder: str | None = None
    evidence: dict[str, Any] = {}


class Example(StrictModel):
    """An indicator's example: one tender's bids and estimate, the buyer's country and the
    tender's date (which choose the rule and the exchange rates), and the flags it must give."""

    indicator: str
    description: str
    buyer_country: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    date: dt.date | None = None
    estimate: MoneyIn | None = None
    lot: bool = False
    defence_security: bool = False
    bids: list[BidIn]
    expect: list[ExpectedFlag] = Field(min_length=1)

    def price_bids(self) -> list[Bid]:
        return [b.bid() for b in self.bids]

    def estimate_money(self) -> Money | None:
        return self.estimate.money() if self.estimate else None

    def flags(self, config: PriceConfig | None = None) -> list[PriceFlag]:
        """What ``price_flags`` gives on these bids, for this example's indicator only."""
        every = price_flags(
            self.price_bids(),
            estimate=self.estimate_money(),
            config=config,
            lot=self.lot,
            defence_security=self.defence_security,
            buyer_country=self.buyer_country,
            on=self.date,
        )
        return [f for f in every if f.indicator == self.indicator]


def example_path(root: Path, indicator: str) -> Path:
    return root / FIXTURES / f"{indicator}.json"


def load_example(path: Path) -> Example:
    """Read and validate an example fixture."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "no such example fixture", fix="write it") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(path, f"not JSON: {exc}", fix="correct the JSON") from None
    return validate_data(path, data, Example, fix_top="give an object with indicator, bids, expect")


def config_value(cfg: PriceConfig, key: str) -> Any:
    """The value of a dotted ``price_flags.yaml`` key, e.g. ``abnormally_low.below_estimate``."""
    node: Any = cfg
    for part in key.split("."):
        if not isinstance(node, BaseModel) or part not in type(node).model_fields:
            raise ConfigError(
                TEXT_PATH, f"no key {key!r} in price_flags.yaml", fix="name a key the file has"
            )
        node = getattr(node, part)
    return node.model_dump(mode="json") if isinstance(node, BaseModel) else node


def _plain(value: Any) -> Any:
    """Whole numbers read from the YAML as floats shown as integers (``250000000``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1:
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _has_fraction(cfg: PriceConfig, spec: IndicatorSpec) -> bool:
    values = [config_value(cfg, key) for key, _ in spec.config]
    return any(isinstance(v, float) and 0 < v < 1 for v in values)


def _config_cell(cfg: PriceConfig, key: str) -> str:
    if key.startswith("buyer_rules."):
        return "see [the buyer's rule](#the-buyers-rule)"
    return code(_plain(config_value(cfg, key)))


def config_keys(cfg: PriceConfig) -> list[str]:
    """Every leaf key of the price configuration (dotted), ``version`` left out."""

    def walk(model: BaseModel, prefix: str) -> list[str]:
        out = []
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                out += walk(value, f"{prefix}{name}.")
            else:
                out.append(prefix + name)
        return out

    return [k for k in walk(cfg, "") if k != "version"]


def _rules_section(cfg: PriceConfig, spec: IndicatorSpec) -> list[str]:
    """Which rule the indicator applies for which buyers, from ``buyer_rules``."""
    out = ["## The buyer's rule", ""]
    if spec.family is None:
        return [*out, "No buyer's rule: the signal is raised for every buyer.", ""]
    br = cfg.buyer_rules
    rows = []
    for j in br.jurisdictions.values():
        for rid in j.rules.get(spec.family, []):
            rule = br.rules[rid]
            rows.append([cell(j.name), cell(", ".join(j.countries)), _rule_cell(rid, rule)])
    fallback = br.otherwise.get(spec.family)
    rows.append(
        [
            "any other buyer",
            "",
            _rule_cell(fallback, br.rules[fallback]) if fallback else "`not-applicable`",
        ]
    )
    return [
        *out,
        f"Kind of rule: `{spec.family}`. The buyer's country and the tender's date choose the "
        f"rule (`buyer_rules` in [`{_CONFIG}`](../../{_CONFIG})); each flag names it.",
        "",
        *table(["buyers", "countries", "rule (in force)"], rows),
        "",
    ]


def _rule_cell(rid: str, rule: PriceRule) -> str:
    name = f"[{rule.name}]({rule.source.url})" if rule.source and rule.source.url else rule.name
    dates = rule.dates()
    return cell(f"{name} (`{rid}`" + (f", {dates})" if dates else ")"))


def indicator_page(root: Path, spec: IndicatorSpec, text: IndicatorText) -> str:
    """The Markdown page of one indicator."""
    cfg = load_config()
    fixture = example_path(root, spec.name)
    example = load_example(fixture)
    rel = f"{FIXTURES}/{spec.name}.json"
    out = [
        header(f"`{_SOURCE}`, `{spec.source}`, `{_CONFIG}` and `{rel}`"),
        "",
        f"# `{spec.name}` — {spec.title}",
        "",
        f"Price indicator, computed by `{spec.qualname}` · [all indicators](README.md)",
        "",
        *[f"> {line}".rstrip() for line in spec.doc.splitlines()],
        "",
        "## Methodology",
        "",
        text.methodology.strip(),
        "",
        "## Why it is a red flag",
        "",
        text.red_flag.strip(),
        "",
        "## Configuration",
        "",
        f"In [`{_CONFIG}`](../../{_CONFIG}) (`version: {cfg.version}`)"
        + ("; fractions are shares (0.2 = 20 %)." if _has_fraction(cfg, spec) else "."),
        "",
        *table(
            ["key", "value", "meaning"],
            [[f"`{key}`", _config_cell(cfg, key), cell(meaning)] for key, meaning in spec.config],
        ),
        "",
        *_rules_section(cfg, spec),
        "## Exclusions: when it cannot evaluate",
        "",
        text.exclusions.strip(),
        "",
        "## Example",
        "",
        example.description.strip(),
        "",
        f"The input is the test fixture [`{rel}`](../../{rel}) (the `expect` block is what "
        "`tests/price/test_indicator_examples.py` checks):",
        "",
        "```json",
        *fixture.read_text(encoding="utf-8").rstrip("\n").splitlines(),
        "```",
        "",
        f"`price_flags` gives these `{spec.name}` flags:",
        "",
        *json_block([f.to_json() for f in example.flags()]),
    ]
    return "\n".join(out) + "\n"


def index_page() -> str:
    """``docs/indicators/README.md``: what the statuses mean, then every indicator."""
    rows = [
        [f"[`{name}`]({name}.md)", cell(spec.title), f"`{spec.function}`"]
        for name, spec in indicator_specs().items()
    ]
    folders = sorted({spec.source.rsplit("/", 1)[0] + "/" for spec in indicator_specs().values()})
    fx = load_fx_table()
    out = [
        header(f"`{_SOURCE}` and " + ", ".join(f"`{f}`" for f in folders)),
        "",
        "# Price indicators",
        "",
        texts().intro.strip(),
        "",
        *table(["indicator", "what it flags", "function"], rows),
        "",
        f"Thresholds: [`{_CONFIG}`](../../{_CONFIG}); each page shows the keys it reads.",
        "",
        f"Exchange rates: [`{_FX}`](../../{_FX}), {fx.source.title} by the "
        f"{fx.source.publisher} ({fx.source.url}), month-end rates "
        f"{fx.first_date.isoformat()} to {fx.last_date.isoformat()} (the ECB file's last date); "
        f"{fx.source.licence}",
    ]
    return "\n".join(out) + "\n"


def pages(root: Path) -> dict[str, str]:
    """Every indicator page and the index, by path relative to the repository root.

    Fails (:class:`~bidvet.errors.ConfigError`) when an indicator has no text or an entry of
    ``indicators.yaml`` names no indicator, so the two cannot drift apart.
    """
    specs = indicator_specs()
    written = texts().indicators
    missing, unknown = sorted(set(specs) - set(written)), sorted(set(written) - set(specs))
    if missing or unknown:
        raise ConfigError(
            TEXT_PATH,
            f"indicators without text: {missing}; text for unknown indicators: {unknown}",
            fix="one entry per indicator registered in bidvet.price.indicators",
        )
    out = {f"{FOLDER}/README.md": index_page()}
    for name, spec in specs.items():
        out[f"{FOLDER}/{name}.md"] = indicator_page(root, spec, written[name])
    return out
