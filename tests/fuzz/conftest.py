"""Hypothesis profiles for the fuzz tests: ``ci`` (bounded: the whole package runs in under a
minute on two cores) is the default; ``long`` is what ``bench/fuzz.py`` uses. Choose another
with ``HYPOTHESIS_PROFILE``."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "derandomize": False,
    "database": None,  # no .hypothesis folder in the work tree
}
settings.register_profile("ci", max_examples=12, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("long", max_examples=100_000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
