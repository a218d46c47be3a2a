"""Buyer jurisdictions (``bidvet: buyers/1``): which lists and bans bind a buyer by law.

The same listing means different things to different buyers. A US federal buyer may not buy from
a company covered by NDAA FY2019 s.889; for a Canadian buyer that ban is a serious risk signal
about the supplier, not the law it must apply. A :class:`BuyerProfile` says, for the countries
it covers, which restricted lists and statutory bans are legal bars (each with the law that
makes it one, optionally dated), and which lists the buyer is expected to have checked. Lists and
bans that do not bind the buyer are still evaluated, as risk signals.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from bidvet.dates import in_window
from bidvet.model.facts import SourceRef
from bidvet.yamlconfig import StrictModel, validate_yaml

DATA = Path(__file__).resolve().parents[1] / "data"
DEFAULT_FILE = DATA / "buyers.yaml"

_ID = r"^[a-z0-9][a-z0-9-]*$"


class LawSource(StrictModel):
    title: str = Field(min_length=3)
    url: str | None = None
    published: dt.date | None = None

    def ref(self) -> SourceRef:
        return SourceRef(self.title, self.url, self.published)


class Binding(StrictModel):
    """A list whose entries a buyer may not contract with, and the law that says so."""

    id: str = Field(pattern=_ID)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source: LawSource

    def in_force(self, on: dt.date) -> bool:
        return in_window(on, self.valid_from, self.valid_to)

    @model_validator(mode="after")
    def _dates(self) -> Binding:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"{self.id}: valid_to is before valid_from")
        return self


class BuyerProfile(StrictModel):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=2)
    countries: list[str] = []
    binding_lists: list[Binding] = []
    #: ids of the bans (defined in the framework's procurement-ban criteria) that bind this buyer
    binding_bans: list[str] = []
    #: list ids a buyer of this jurisdiction is expected to check (report page 1)
    expected_lists: list[str] = []
    #: the ownership rules (``data/ownership_rules.yaml`` regimes) this jurisdiction's law
    #: applies: only they carry a binding listing down to owned companies as a legal bar
    ownership_regimes: list[str] = []

    def binding(self, list_id: str, on: dt.date) -> Binding | None:
        """The binding that makes ``list_id`` a legal bar on ``on``, or ``None``."""
        for item in self.binding_lists:
            if item.id == list_id and item.in_force(on):
                return item
        return None

    def binds_ban(self, ban_id: str) -> bool:
        return ban_id in self.binding_bans


class BuyerProfiles(StrictModel):
    bidvet: Literal["buyers/1"]
    title: str
    max_list_age_days: int = Field(default=45, ge=1)
    default: BuyerProfile
    profiles: list[BuyerProfile] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> BuyerProfiles:
        seen: dict[str, str] = {}
        for prof in self.profiles:
            for country in prof.countries:
                if country in seen:
                    raise ValueError(
                        f"country {country!r} is in two profiles: {seen[country]} and {prof.id}"
                    )
                seen[country] = prof.id
        return self

    def for_country(self, country: str | None) -> BuyerProfile:
        """The profile of a buyer in ``country`` (ISO alpha-2), else :attr:`default`."""
        if country:
            for prof in self.profiles:
                if country.lower() in prof.countries:
                    return prof
        return self.default

    def list_ids(self) -> set[str]:
        """Every list id the profiles name (checked against ``lists.yaml``)."""
        out: set[str] = set()
        for prof in [self.default, *self.profiles]:
            out.update(b.id for b in prof.binding_lists)
            out.update(prof.expected_lists)
        return out

    def ban_ids(self) -> set[str]:
        return {ban for prof in [self.default, *self.profiles] for ban in prof.binding_bans}


def load_buyer_profiles(path: Path) -> BuyerProfiles:
    """Read and validate a buyers file; :class:`bidvet.errors.ConfigError` if invalid."""
    return validate_yaml(path, BuyerProfiles, fix_top="start the file with `bidvet: buyers/1`")


@cache
def default_buyer_profiles() -> BuyerProfiles:
    """The bundled, cited buyer profiles."""
    return load_buyer_profiles(DEFAULT_FILE)
