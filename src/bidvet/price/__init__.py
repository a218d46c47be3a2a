"""Price red flags on a tender's bids (REFERENCE.md §6).

Each indicator is a function in :mod:`bidvet.price.indicators` registered with
:func:`~bidvet.price.registry.indicator`; its docstring is its explanation. It returns
:class:`PriceFlag` values whose ``status`` is ``raised``, ``not-raised``, ``cannot-evaluate`` or
``not-applicable`` (see :mod:`bidvet.price.flags`). Thresholds come from
``bidvet/data/price_flags.yaml`` (:class:`PriceConfig`).
"""

from __future__ import annotations

from bidvet.price.bids import Bid, TenderBids, process_bids
from bidvet.price.config import CONFIG_PATH, PriceConfig, load_config
from bidvet.price.flags import ART69, EXPLAIN, FSR, PriceFlag, Status
from bidvet.price.registry import IndicatorSpec, indicator, indicator_specs
from bidvet.price.run import price_flags, process_price_flags

__all__ = [
    "ART69",
    "CONFIG_PATH",
    "EXPLAIN",
    "FSR",
    "Bid",
    "IndicatorSpec",
    "PriceConfig",
    "PriceFlag",
    "Status",
    "TenderBids",
    "indicator",
    "indicator_specs",
    "load_config",
    "price_flags",
    "process_bids",
    "process_price_flags",
]
