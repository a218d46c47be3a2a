"""Price indicators register themselves by decorator; nothing keeps a list of them.

Every module in :mod:`bidvet.price.indicators` is imported on first use. An indicator is
``func(tender, config) -> list[PriceFlag]`` (:class:`~bidvet.price.bids.TenderBids`,
:class:`~bidvet.price.config.PriceConfig`); its docstring is the explanation the generated
documentation quotes. ``order`` fixes where its flags come in :func:`bidvet.price.price_flags`,
``title`` names it in one line, ``config`` gives each ``price_flags.yaml`` key it reads (dotted)
with what the key means, and ``family`` the kind of buyer's rule it implements
(``abnormally-low``, ``fsr``; ``None`` for a signal that is no buyer's rule, such as a single
bid): :func:`bidvet.price.price_flags` resolves that rule for the buyer and the date
(:func:`bidvet.price.rules.rule_for`) before the indicator runs, and reports the indicator once as
``not-applicable`` when no rule of its kind applies to the buyer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from bidvet.plugins import import_submodules
from bidvet.price.bids import TenderBids
from bidvet.price.config import Family, PriceConfig
from bidvet.price.flags import PriceFlag

IndicatorFunc = Callable[[TenderBids, PriceConfig], list[PriceFlag]]
_F = TypeVar("_F", bound=IndicatorFunc)


@dataclass(frozen=True)
class IndicatorSpec:
    """One registered indicator and what documents it."""

    name: str
    func: IndicatorFunc
    title: str
    order: int
    #: ``(dotted price_flags.yaml key, meaning)`` for every key the indicator reads
    config: tuple[tuple[str, str], ...]
    #: the kind of buyer's rule it implements (``None``: no buyer's rule)
    family: Family | None = None

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def function(self) -> str:
        """The function's name, e.g. ``lowest_gap``."""
        return self.func.__name__

    @property
    def qualname(self) -> str:
        """Module and function, e.g. ``bidvet.price.indicators.gap.lowest_gap``."""
        return f"{self.func.__module__}.{self.func.__name__}"

    @property
    def source(self) -> str:
        """The module's file relative to the repository, e.g. ``src/bidvet/price/….py``."""
        return "src/" + self.func.__module__.replace(".", "/") + ".py"


_REGISTRY: dict[str, IndicatorSpec] = {}

#: the keys every indicator implementing a buyer's rule reads, besides its own
BUYER_RULE_KEYS = {
    "buyer_rules.rules": "the rules, each with its name, action, source and dates in force",
    "buyer_rules.jurisdictions": "which buyers' countries apply which rules, by kind of rule",
    "buyer_rules.otherwise": "the rule applied by kind for any other buyer (else not applicable)",
}


def indicator(
    name: str,
    *,
    title: str,
    order: int,
    config: Mapping[str, str] | None = None,
    family: Family | None = None,
) -> Callable[[_F], _F]:
    """Register ``func`` as the price indicator called ``name`` (the ``indicator`` of its flags)."""

    def deco(func: _F) -> _F:
        known = _REGISTRY.get(name)
        if known is not None and known.func is not func:
            raise RuntimeError(
                f"two price indicators claim the name {name!r}: "
                f"{known.qualname} and {func.__module__}.{func.__name__}"
            )
        keys = {**(config or {}), **(BUYER_RULE_KEYS if family else {})}
        _REGISTRY[name] = IndicatorSpec(name, func, title, order, tuple(keys.items()), family)
        return func

    return deco


def indicator_specs() -> dict[str, IndicatorSpec]:
    """Every registered indicator by name, in the order their flags are reported."""
    import_submodules("bidvet.price.indicators")
    ordered = sorted(_REGISTRY.values(), key=lambda s: (s.order, s.name))
    return {spec.name: spec for spec in ordered}
