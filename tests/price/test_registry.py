"""The price-indicator registry: every indicator registers itself and is documented."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import bidvet.price.indicators as package
from bidvet.docs_build.indicators import config_value, texts
from bidvet.price import Bid, indicator, indicator_specs, load_config, price_flags
from bidvet.price.bids import TenderBids
from bidvet.price.config import PriceConfig
from bidvet.price.flags import PriceFlag
from bidvet.price.registry import BUYER_RULE_KEYS


def _indicator_functions() -> list[str]:
    """Every public function defined in a module of ``bidvet.price.indicators``."""
    out = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not name.startswith("_"):
                out.append(f"{module.__name__}.{name}")
    return sorted(out)


def test_every_indicator_function_is_registered() -> None:
    registered = sorted(spec.qualname for spec in indicator_specs().values())
    assert registered == _indicator_functions()


def test_the_registry_gives_the_reporting_order() -> None:
    assert list(indicator_specs()) == [
        "abnormally-low-vs-others",
        "abnormally-low-vs-estimate",
        "lowest-to-next-gap",
        "single-bid",
        "fsr-notification",
    ]
    assert [f.indicator for f in price_flags([])] == list(indicator_specs())


def test_every_indicator_is_documented() -> None:
    cfg = load_config()
    written = texts().indicators
    assert set(written) == set(indicator_specs())
    for name, spec in indicator_specs().items():
        assert len(spec.doc) > 60, name
        assert spec.title, name
        assert spec.config, name
        for key, meaning in spec.config:
            config_value(cfg, key)  # raises when the key does not exist
            assert meaning, (name, key)
        text = written[name]
        assert text.methodology and text.red_flag and text.exclusions, name


def test_a_second_indicator_with_a_taken_name_is_refused() -> None:
    taken = next(iter(indicator_specs()))

    def impostor(tender: TenderBids, cfg: PriceConfig) -> list[PriceFlag]:
        return []

    with pytest.raises(RuntimeError, match=f"two price indicators claim the name {taken!r}"):
        indicator(taken, title="Impostor", order=0)(impostor)
    assert indicator_specs()[taken].func is not impostor


def test_registering_the_same_function_again_is_harmless() -> None:
    spec = next(iter(indicator_specs().values()))
    config = {k: v for k, v in spec.config if k not in BUYER_RULE_KEYS}
    again = indicator(
        spec.name, title=spec.title, order=spec.order, config=config, family=spec.family
    )(spec.func)
    assert again is spec.func
    assert indicator_specs()[spec.name] == spec
    assert price_flags([Bid("A", None)])
