"""Human names of countries for reports: ``cn`` → ``China``."""

from __future__ import annotations

from functools import cache


@cache
def country_name(code: str) -> str:
    """The English short name of an ISO 3166-1 alpha-2 code (rigour's territory data), or the
    code itself in upper case when it is not a known territory."""
    from rigour.territories import get_territory

    territory = get_territory(code.lower())
    return territory.name if territory is not None else code.upper()
