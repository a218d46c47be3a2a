"""The registry of restricted-party lists (``data/lists.yaml``), parsed strictly.

Importers never spell a list's name or topics themselves: they look the list up here by id, or
resolve the text a publication uses for it (the CSL ``source`` column, an FtM ``Sanction``
authority) through :meth:`ListRegistry.resolve`. Adding a list is a YAML diff.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from bidvet.errors import NotFoundError
from bidvet.model.records import ListingRecord
from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

LISTS_FILE = Path(__file__).resolve().parent.parent / "data" / "lists.yaml"
_COMPARE = "compare with the bundled data/lists.yaml"
_ERRORS = ErrorStyle(dotted=True, hint=_COMPARE)

ListKind = Literal[
    "sanction", "export-control", "procurement-ban", "military", "debarment", "other"
]
#: what a published dataset that is *not* a restricted-party list holds (see ``datasets:``)
DatasetKind = Literal[
    "registry",
    "disqualification",
    "pep",
    "crime",
    "debarment",
    "enforcement",
    "regulatory",
    "collection",
    "external",
    "other",
]


class ListInfo(_Strict):
    """One list: who publishes it, what kind of restriction it is, the topics its entries get."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    name: str = Field(min_length=3)
    authority: str = Field(min_length=2)
    jurisdiction: str = Field(pattern=r"^[a-z]{2,3}$")
    kind: ListKind
    topics: tuple[str, ...] = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    aliases: tuple[str, ...] = ()
    #: the days the list is published on (a retired list keeps its entries for earlier dates)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class DatasetInfo(_Strict):
    """A published dataset that is not a list: its entries are facts, never listings.

    ``name`` is the publisher's dataset name as it appears in exports (an OpenSanctions
    ``datasets`` value such as ``ext_ru_egrul``); ``kind`` says what it holds, and the framework
    decides what each kind means.
    """

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)
    kind: DatasetKind
    title: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://")


class ListRegistry(_Strict):
    """All known lists, and the known datasets that are not lists; names are unique."""

    bidvet: Literal["lists/1"]
    lists: tuple[ListInfo, ...]
    datasets: tuple[DatasetInfo, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> ListRegistry:
        seen: dict[str, str] = {}
        for info in self.lists:
            for key in (info.id, *info.aliases):
                folded = key.casefold()
                if folded in seen:
                    raise ValueError(f"{key!r} is used by both {seen[folded]} and {info.id}")
                seen[folded] = info.id
        for data in self.datasets:
            if data.name.casefold() in seen:
                raise ValueError(
                    f"dataset {data.name!r} is also {seen[data.name.casefold()]}: a dataset is "
                    "either a list (an alias under lists) or not a list (under datasets)"
                )
            seen[data.name.casefold()] = data.name
        return self

    def dataset_kind(self, name: str) -> str:
        """What the dataset ``name`` is: a list's kind, a non-list kind, or ``unknown``.

        A name that is neither a list alias nor under ``datasets`` but starts with ``ext_``
        is ``external``: OpenSanctions gives that prefix to the company registries and other
        enrichment sources it links to (``type: external`` in its dataset metadata).
        """
        info = self.resolve(name)
        if info is not None:
            return info.kind
        for data in self.datasets:
            if data.name.casefold() == name.strip().casefold():
                return data.kind
        return "external" if name.startswith("ext_") else "unknown"

    def get(self, list_id: str) -> ListInfo:
        """The list with this id; :class:`NotFoundError` names the known ids otherwise."""
        for info in self.lists:
            if info.id == list_id:
                return info
        known = ", ".join(i.id for i in self.lists)
        raise NotFoundError(f"unknown list {list_id!r}", fix=f"use one of: {known}")

    def resolve(self, *texts: str | None) -> ListInfo | None:
        """The first list whose id or an alias equals one of ``texts`` (case-insensitive)."""
        index = {key.casefold(): info for info in self.lists for key in (info.id, *info.aliases)}
        for text in texts:
            if text and (found := index.get(text.strip().casefold())) is not None:
                return found
        return None

    def ids(self) -> tuple[str, ...]:
        return tuple(info.id for info in self.lists)


def load_list_registry(path: Path = LISTS_FILE) -> ListRegistry:
    """Read and validate a list registry file; errors name the file and the key."""
    return validate_yaml(path, ListRegistry, fix_top=_COMPARE, style=_ERRORS)


@lru_cache(maxsize=1)
def list_registry() -> ListRegistry:
    """The bundled registry, read once on first use."""
    return load_list_registry()


def make_listing(
    info: ListInfo,
    entity_id: str,
    program: str = "",
    *,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    source_url: str | None = None,
    reason: str | None = None,
) -> ListingRecord:
    """A :class:`ListingRecord` on ``info``'s list, with the registry's name and authority."""
    return ListingRecord(
        entity_id=entity_id,
        list_id=info.id,
        list_name=info.name,
        program=program[:200],
        authority=info.authority,
        start_date=start_date,
        end_date=end_date,
        source_url=source_url or info.url,
        reason=reason,
    )
