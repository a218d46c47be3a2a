"""Jurisdiction profiles: cited legal-regime facts per country (``bidvet: jurisdictions/1``).

A profile says, with its source, what the law of a country can make a company do — for example
compel it to cooperate with state intelligence work. Facts marked ``verify`` come from secondary
summaries; reports print that mark next to them.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from bidvet.framework.findings import SourceRef
from bidvet.yamlconfig import StrictModel as _Strict
from bidvet.yamlconfig import validate_yaml

DATA = Path(__file__).resolve().parents[1] / "data"
DEFAULT_FILE = DATA / "jurisdictions.yaml"


class Source(_Strict):
    title: str = Field(min_length=3)
    url: str | None = None
    published: dt.date | None = None
    note: str | None = None

    def ref(self) -> SourceRef:
        return SourceRef(self.title, self.url, self.published)


class LegalFact(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["compelled-cooperation", "data-access", "foreign-response", "other"]
    title: str = Field(min_length=3)
    summary: str = Field(min_length=10)
    verify: bool = False
    source: Source


class Profile(_Strict):
    country: str = Field(pattern=r"^[a-z]{2}$")
    name: str
    facts: list[LegalFact] = Field(min_length=1)


class Jurisdictions(_Strict):
    bidvet: Literal["jurisdictions/1"]
    title: str
    profiles: list[Profile] = []

    def profile(self, country: str) -> Profile | None:
        for prof in self.profiles:
            if prof.country == country.lower():
                return prof
        return None


def load_jurisdictions(path: Path) -> Jurisdictions:
    """Read and validate a jurisdictions file; :class:`bidvet.errors.ConfigError` if invalid."""
    return validate_yaml(
        path, Jurisdictions, fix_top="start the file with `bidvet: jurisdictions/1`"
    )


@cache
def default_jurisdictions() -> Jurisdictions:
    """The bundled, cited jurisdiction profiles."""
    return load_jurisdictions(DEFAULT_FILE)
