"""The tender file (``bidvet: tender/1``): buyer, site, items, bidders, optional answers.

Parsed strictly like every policy file: an unknown key, a wrong type, a bad date or a missing
``bidders:`` list is an error naming the file, the key and the fix. Paths inside the file
(``knowledge:``, a framework given as a path) are relative to the tender file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from bidvet.errors import ConfigError
from bidvet.framework.loader import DEFAULT_FRAMEWORK
from bidvet.model.tiers import TierName
from bidvet.yamlconfig import StrictModel as _Strict
from bidvet.yamlconfig import check_unique_ids, read_yaml, validate_data

_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class Money(_Strict):
    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"amount": self.amount, "currency": self.currency}


class Source(_Strict):
    title: str = Field(min_length=3)
    url: str | None = None
    published: dt.date | None = None
    note: str | None = None


class Buyer(_Strict):
    name: str = Field(min_length=2)
    country: str = Field(pattern=r"^[a-z]{2}$")


class Site(_Strict):
    type: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    #: the buyer's own classification of the site; raises every item to at least this tier
    sensitivity: TierName | None = None


class Code(_Strict):
    scheme: Literal["UNSPSC", "CPV"]
    code: str = Field(pattern=r"^[0-9]{6,8}(-[0-9])?$")
    label: str | None = None


class Item(_Strict):
    id: str = Field(pattern=_ID)
    description: str = Field(min_length=3)
    quantity: int | None = Field(default=None, ge=1)
    codes: list[Code] = []
    #: explicit technology facts (e.g. local storage, ports, operating system, maintenance),
    #: passed to the technology profiler, which checks them against its taxonomy
    technology: dict[str, Any] = {}
    #: a tier fixed by the buyer instead of the profiler's
    tier: TierName | None = None


class Identifier(_Strict):
    scheme: str = Field(min_length=2)
    value: str = Field(min_length=1)


class Bidder(_Strict):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=2)
    country: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    entity_id: str | None = None
    identifiers: list[Identifier] = []
    price: Money | None = None
    #: questionnaire answers by question id (D1..D14)
    answers: dict[Annotated[str, Field(pattern=r"^D([1-9]|1[0-4])$")], str] = {}
    note: str | None = None


class Tender(_Strict):
    bidvet: Literal["tender/1"]
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=3)
    description: str | None = None
    fictional: bool = False
    date: dt.date | None = None
    buyer: Buyer
    site: Site
    estimate: Money | None = None
    framework: str = DEFAULT_FRAMEWORK
    knowledge: list[str] = []
    based_on: list[Source] = []
    items: list[Item] = Field(min_length=1)
    bidders: list[Bidder] = Field(min_length=1)


@dataclass(frozen=True)
class LoadedTender:
    tender: Tender
    path: Path
    sha256: str

    def knowledge_paths(self) -> list[Path]:
        return [(self.path.parent / k).resolve() for k in self.tender.knowledge]

    def framework_ref(self) -> str | Path:
        ref = self.tender.framework
        if ref.endswith((".yaml", ".yml")):
            return (self.path.parent / ref).resolve()
        return ref


def load_tender(path: str | Path) -> LoadedTender:
    """Read and validate a tender file, including that its knowledge files exist."""
    path = Path(path)
    data = read_yaml(path)
    tender = validate_data(path, data, Tender, fix_top="start the file with `bidvet: tender/1`")
    check_unique_ids(path, [i.id for i in tender.items], "items")
    check_unique_ids(path, [b.id for b in tender.bidders], "bidders")
    loaded = LoadedTender(tender, path, hashlib.sha256(path.read_bytes()).hexdigest())
    for i, knowledge in enumerate(loaded.knowledge_paths()):
        if not knowledge.is_file():
            raise ConfigError(
                path,
                f"knowledge file {tender.knowledge[i]!r} not found",
                record=f"knowledge[{i}]",
                fix="give a path relative to the tender file",
            )
    return loaded
