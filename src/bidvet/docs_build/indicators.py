"""One page per price indicator of :mod:`bidvet.exposure.price`, and an index.

The methodology, the reason it is a red flag and the exclusions are written by hand in
``indicators.yaml`` next to this module; the configuration tables come from
``bidvet/data/price_flags.yaml`` and each example is a test fixture,
``tests/fixtures/indicators/<id>.json``, run through :func:`~bidvet.exposure.price.price_flags`
(``tests/exposure/test_indicator_examples.py`` checks the result the fixture expects).

The set of indicators is not kept here: it is whatever ``price_flags`` reports when it has no
bids (one ``cannot-evaluate`` flag per indicator), so a new indicator without a page fails the
build instead of going undocumented.
"""

from __future__ import annotations

import inspect
import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from bidvet.docs_build.markdown import cell, code, header, json_block, table
from bidvet.errors import ConfigError
from bidvet.exposure import price
from bidvet.exposure.price import Bid, PriceConfig, PriceFlag, Status, load_config, price_flags
from bidvet.model.contracts import Money
from bidvet.yamlconfig import StrictModel, validate_data, validate_yaml

FOLDER = "docs/indicators"
FIXTURES = "tests/fixtures/indicators"
TEXT_PATH = Path(__file__).resolve().parent / "indicators.yaml"
_SOURCE = "src/bidvet/docs_build/indicators.yaml"
_CONFIG = "src/bidvet/data/price_flags.yaml"


class ConfigKey(StrictModel):
    """A key of ``price_flags.yaml`` (dotted path) an indicator reads, and what it means."""

    key: str
    meaning: str


class IndicatorText(StrictModel):
    """The written part of one indicator's page."""

    id: str
    title: str
    #: the function in :mod:`bidvet.exposure.price` that computes it
    function: str
    config: list[ConfigKey]
    methodology: str
    red_flag: str
    exclusions: str


class IndicatorTexts(StrictModel):
    intro: str
    indicators: list[IndicatorText] = Field(min_length=1)


@cache
def texts() -> IndicatorTexts:
    """The hand-written text of every indicator page (strict: an unknown key is an error)."""
    return validate_yaml(TEXT_PATH, IndicatorTexts, fix_top="compare with the bundled file")


def indicator_ids() -> list[str]:
    """Every indicator ``price_flags`` computes, in its order."""
    return [flag.indicator for flag in price_flags([])]


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
    """An indicator's example: one tender's bids and estimate, and the flags it must give."""

    indicator: str
    description: str
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


def _has_fraction(cfg: PriceConfig, text: IndicatorText) -> bool:
    values = [config_value(cfg, k.key) for k in text.config]
    return any(isinstance(v, float) and 0 < v < 1 for v in values)


def _config_cell(cfg: PriceConfig, key: str) -> str:
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


def _function(text: IndicatorText) -> Any:
    func = getattr(price, text.function, None)
    if not callable(func):
        raise ConfigError(
            TEXT_PATH,
            f"no function {text.function!r} in bidvet.exposure.price",
            record=f"indicators (id={text.id}).function",
            fix="name the function that computes the indicator",
        )
    return func


def indicator_page(root: Path, text: IndicatorText) -> str:
    """The Markdown page of one indicator."""
    func = _function(text)
    cfg = load_config()
    fixture = example_path(root, text.id)
    example = load_example(fixture)
    rel = f"{FIXTURES}/{text.id}.json"
    out = [
        header(f"`{_SOURCE}`, `src/bidvet/exposure/price.py`, `{_CONFIG}` and `{rel}`"),
        "",
        f"# `{text.id}` — {text.title}",
        "",
        f"Price indicator, computed by `bidvet.exposure.price.{text.function}` · "
        "[all indicators](README.md)",
        "",
        *[f"> {line}".rstrip() for line in (inspect.getdoc(func) or "").splitlines()],
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
        + ("; fractions are shares (0.2 = 20 %)." if _has_fraction(cfg, text) else "."),
        "",
        *table(
            ["key", "value", "meaning"],
            [[f"`{k.key}`", _config_cell(cfg, k.key), cell(k.meaning)] for k in text.config],
        ),
        "",
        "## Exclusions: when it cannot evaluate",
        "",
        text.exclusions.strip(),
        "",
        "## Example",
        "",
        example.description.strip(),
        "",
        f"The input is the test fixture [`{rel}`](../../{rel}) (the `expect` block is what "
        "`tests/exposure/test_indicator_examples.py` checks):",
        "",
        "```json",
        *fixture.read_text(encoding="utf-8").rstrip("\n").splitlines(),
        "```",
        "",
        f"`price_flags` gives these `{text.id}` flags:",
        "",
        *json_block([f.to_json() for f in example.flags()]),
    ]
    return "\n".join(out) + "\n"


def index_page() -> str:
    """``docs/indicators/README.md``: what the statuses mean, then every indicator."""
    by_id = {t.id: t for t in texts().indicators}
    rows = [
        [f"[`{i}`]({i}.md)", cell(by_id[i].title), f"`{by_id[i].function}`"]
        for i in indicator_ids()
    ]
    out = [
        header(f"`{_SOURCE}` and `src/bidvet/exposure/price.py`"),
        "",
        "# Price indicators",
        "",
        texts().intro.strip(),
        "",
        *table(["indicator", "what it flags", "function"], rows),
        "",
        f"Thresholds: [`{_CONFIG}`](../../{_CONFIG}); each page shows the keys it reads.",
    ]
    return "\n".join(out) + "\n"


def pages(root: Path) -> dict[str, str]:
    """Every indicator page and the index, by path relative to the repository root.

    Fails (:class:`~bidvet.errors.ConfigError`) when an indicator has no text or an entry of
    ``indicators.yaml`` names no indicator, so the two cannot drift apart.
    """
    ids = indicator_ids()
    written = [t.id for t in texts().indicators]
    missing, unknown = sorted(set(ids) - set(written)), sorted(set(written) - set(ids))
    if missing or unknown:
        raise ConfigError(
            TEXT_PATH,
            f"indicators without text: {missing}; text for unknown indicators: {unknown}",
            fix="one entry per indicator that bidvet.exposure.price.price_flags computes",
        )
    by_id = {t.id: t for t in texts().indicators}
    out = {f"{FOLDER}/README.md": index_page()}
    for ident in ids:
        out[f"{FOLDER}/{ident}.md"] = indicator_page(root, by_id[ident])
    return out
