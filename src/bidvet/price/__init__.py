"""Price red flags on a tender's bids (REFERENCE.md §6), under the buyer's own rules.

Each indicator is a function in :mod:`bidvet.price.indicators` registered with
:func:`~bidvet.price.registry.indicator`; its docstring is its explanation and its ``family``
the kind of buyer's rule it implements. It returns :class:`PriceFlag` values whose ``status`` is
``raised``, ``not-raised``, ``cannot-evaluate`` or ``not-applicable`` (see
:mod:`bidvet.price.flags`). Thresholds and the rule each buyer's country applies come from
``bidvet/data/price_flags.yaml`` (:class:`PriceConfig`, :mod:`bidvet.price.rules`); amounts in
different currencies are converted with the bundled ECB rates (:mod:`bidvet.price.fx`).
"""

from __future__ import annotations

from bidvet.price.bids import Bid, TenderBids, process_bids
from bidvet.price.config import CONFIG_PATH, PriceConfig, load_config
from bidvet.price.flags import PriceFlag, Status
from bidvet.price.fx import FX_PATH, Conversion, FxTable, NoRate, load_fx_table
from bidvet.price.registry import IndicatorSpec, indicator, indicator_specs
from bidvet.price.rules import AppliedRule, NotApplicable, rule_for
from bidvet.price.run import price_flags, process_price_flags

__all__ = [
    "CONFIG_PATH",
    "FX_PATH",
    "AppliedRule",
    "Bid",
    "Conversion",
    "FxTable",
    "IndicatorSpec",
    "NoRate",
    "NotApplicable",
    "PriceConfig",
    "PriceFlag",
    "Status",
    "TenderBids",
    "indicator",
    "indicator_specs",
    "load_config",
    "load_fx_table",
    "price_flags",
    "process_bids",
    "process_price_flags",
    "rule_for",
]
