"""Curated YAML: facts users (or bidvet's bundled reference case) record by hand, each cited.

Format ``bidvet: curated/1``::

    bidvet: curated/1
    dataset: reference-nuctech
    title: Nuctech reference case
    fictional: false            # true for synthetic test vendors
    entities:
      - id: nuctech
        schema: Company
        names: ["Nuctech Company Limited", {name: 同方威视技术股份有限公司, kind: original}]
        countries: [cn]
        identifiers: [{scheme: uscc, value: "…"}]
        topics: [gov.soe]
        source: {title: "…", url: "https://…", published: 2020-12-17}
    lists:     [{id, name}]     # lists of the file's own (fictional or in-house lists)
    listings:  [{entity, list, list_name, program, authority, start_date, end_date, reason,
                 source}]
    ownership: [{key, owner, asset, share, kind, start_date, end_date, acting_jointly, source}]
    events:    [{key, entity, kind, date, status, summary, source}]
    ties:      [{key, person, to, kind, role, start_date, end_date, source}]

``ties`` are people's ties (:data:`bidvet.model.facts.TIE_KINDS`): ``directorship``,
``employment`` and ``representation`` of ``person`` at the organisation ``to``; ``family`` and
``associate`` between ``person`` and another person ``to``; ``role`` names the office or the
relationship (``Chief Executive Officer``, ``son``). They are stored beside ownership edges but
are neither ownership nor control.

Every fact carries a ``source``: a curated fact without a citation is refused. The file is
parsed strictly: an unknown key is an error naming the file, the record and the key. Facts that
cannot be true are refused too, each with the record and the fix (:mod:`.curated_checks`): a
repeated entity id or ownership/event key, a share that is not a finite number, owners of one
company holding more than 100 % at the same time, a company owning itself, an end date before
the start date, and a list id that neither ``data/lists.yaml`` nor the file's ``lists:`` define.

An event whose only sources are press reports of an unconfirmed fact has ``status: reported``;
its stored summary starts with :data:`REPORTED_PREFIX` so every report shows it as such.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from bidvet.dates import parse_partial_date
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import (
    EntityRecord,
    EventRecord,
    IdentifierRecord,
    ImportBatch,
    ListingRecord,
    NameRecord,
    OwnershipRecord,
)
from bidvet.ownership.shares import ShareError, parse_share
from bidvet.sources.curated_checks import check_curated
from bidvet.sources.identifiers import make_identifier
from bidvet.sources.registry import Importer, register
from bidvet.yamlconfig import ErrorStyle, validate_yaml
from bidvet.yamlconfig import StrictModel as _Strict

MARKER = "curated/1"
#: start of the stored summary of an event with ``status: reported``
REPORTED_PREFIX = "Reported, not confirmed by a primary source: "
#: id prefixes of entities created by other importers, which curated facts may refer to
FOREIGN_PREFIXES = ("ofac-", "eu-fsf-", "un-", "csl-", "lei-", "bods-", "ftm-", "NK-", "Q")


class Source(_Strict):
    title: str = Field(min_length=3)
    url: str | None = None
    published: dt.date | None = None
    accessed: dt.date | None = None
    note: str | None = None


class Name(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["primary", "alias", "weak", "former", "original"] = "alias"
    lang: str | None = None


class Country(_Strict):
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    role: Literal["jurisdiction", "address", "nationality", "citizenship", "other"] = "jurisdiction"


class Identifier(_Strict):
    scheme: str = Field(min_length=2)
    value: str = Field(min_length=1)


class Entity(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    schema_: Literal["Company", "Organization", "PublicBody", "State", "Person", "LegalEntity"] = (
        Field(alias="schema")
    )
    names: list[str | Name] = Field(min_length=1)
    countries: list[str | Country] = []
    identifiers: list[Identifier] = []
    topics: list[str] = []
    notes: str | None = None
    source: Source


class Listing(_Strict):
    entity: str
    list: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    list_name: str
    program: str = ""
    authority: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    reason: str | None = None
    source: Source


class Ownership(_Strict):
    key: str | None = None
    owner: str
    asset: str
    share: float | int | str | None = None
    kind: Literal["shares", "votes", "board", "state", "controlling-shareholder", "other"] = (
        "shares"
    )
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    acting_jointly: str | None = None
    notes: str | None = None
    source: Source

    def record_key(self) -> str:
        """The key the edge is stored under (within the dataset): ``key``, or one derived."""
        return self.key or f"{self.owner}>{self.asset}:{self.kind}"

    @field_validator("share", mode="before")
    @classmethod
    def _share(cls, value: object) -> object:
        # before type validation, so that .nan and .inf get this message, not a union error
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} is not a number; write the share as a percentage 0-100")
        if value is not None and not isinstance(value, str | int | float):
            return value  # the type check names it
        try:
            parse_share(value)
        except ShareError as exc:
            raise ValueError(str(exc)) from None
        return value


class Event(_Strict):
    key: str | None = None
    entity: str
    kind: Literal[
        "corruption",
        "bribery",
        "anti-dumping",
        "ban",
        "debarment",
        "raid",
        "investigation",
        "subsidy",
        "other",
    ]
    #: a full date, or the year (2014) or month (2024-04) when that is all the source gives
    date: dt.date | int | str | None = None
    #: ``reported``: only press reports state it, no primary source confirms it
    status: Literal["established", "reported"] = "established"
    summary: str = Field(min_length=5)
    source: Source

    @field_validator("date")
    @classmethod
    def _date(cls, value: dt.date | int | str | None) -> dt.date | int | str | None:
        try:
            parse_partial_date(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a date; write dates as YYYY-MM-DD, or YYYY-MM / YYYY when "
                "the source gives only the month or year"
            ) from None
        return value

    def period(self) -> tuple[dt.date, str] | None:
        return parse_partial_date(self.date)

    def record_key(self, index: int) -> str:
        """The key the event is stored under (within the dataset): ``key``, or one derived."""
        return self.key or f"{self.entity}:{self.kind}:{self.date or index}"


class Tie(_Strict):
    key: str | None = None
    person: str
    to: str
    kind: Literal["directorship", "employment", "family", "associate", "representation"]
    role: str | None = Field(default=None, max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str | None = None
    source: Source

    def record_key(self) -> str:
        """The key the tie is stored under (within the dataset): ``key``, or one derived."""
        return self.key or f"{self.person}>{self.to}:{self.kind}:{self.role or ''}"


class OwnList(_Strict):
    """A list the file itself defines (a fictional list for tests, or an in-house list)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=3)


class CuratedFile(_Strict):
    bidvet: Literal["curated/1"]
    dataset: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    fictional: bool = False
    description: str | None = None
    lists: list[OwnList] = []
    entities: list[Entity] = []
    listings: list[Listing] = []
    ownership: list[Ownership] = []
    events: list[Event] = []
    ties: list[Tie] = []


_ERRORS = ErrorStyle(
    ids=("id", "key", "entity"),
    id_label="",
    missing=(("source", "every curated fact needs source: {title, url, published}"),),
)


def parse_curated(path: Path) -> CuratedFile:
    return validate_yaml(
        path, CuratedFile, fix_top="start the file with `bidvet: curated/1`", style=_ERRORS
    )


@register
class CuratedImporter(Importer):
    format = "bidvet-curated"
    title = "bidvet curated YAML (cited facts added by hand)"
    priority = 10

    def sniff(self, path: Path, head: str) -> bool:
        return path.suffix.lower() in (".yaml", ".yml") and bool(
            re.search(r"^bidvet:\s*['\"]?curated/", head, re.MULTILINE)
        )

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        doc = parse_curated(path)
        check_curated(path, doc)
        known = {e.id for e in doc.entities}
        batch = ImportBatch(
            dataset=doc.dataset,
            format=self.format,
            quality=log,
            complete_list=False,
            fictional=doc.fictional,
            extra={"fictional": doc.fictional},
        )
        for ent in doc.entities:
            names = []
            for i, n in enumerate(ent.names):
                if isinstance(n, str):
                    names.append(NameRecord(n, "primary" if i == 0 else "alias"))
                else:
                    names.append(NameRecord(n.name, n.kind, n.lang))
            countries = [
                (c.lower(), "jurisdiction") if isinstance(c, str) else (c.country.lower(), c.role)
                for c in ent.countries
            ]
            props: dict[str, list[str]] = {"sourceTitle": [ent.source.title]}
            if ent.notes:
                props["notes"] = [ent.notes]
            if ent.source.published:
                props["sourcePublished"] = [ent.source.published.isoformat()]
            batch.entities.append(
                EntityRecord(
                    id=ent.id,
                    schema=ent.schema_,
                    names=names,
                    identifiers=self._identifiers(ent, log),
                    countries=countries,
                    topics=list(ent.topics),
                    properties=props,
                    source_url=ent.source.url,
                )
            )
        for i, lst in enumerate(doc.listings):
            self._check_ref(path, known, lst.entity, f"listings[{i}]")
            batch.listings.append(
                ListingRecord(
                    entity_id=lst.entity,
                    list_id=lst.list,
                    list_name=lst.list_name,
                    program=lst.program,
                    authority=lst.authority,
                    start_date=lst.start_date,
                    end_date=lst.end_date,
                    source_url=lst.source.url,
                    reason=lst.reason,
                    source_title=lst.source.title,
                    source_published=lst.source.published,
                )
            )
        for i, own in enumerate(doc.ownership):
            rec = f"ownership[{i}]"
            self._check_ref(path, known, own.owner, rec)
            self._check_ref(path, known, own.asset, rec)
            share = parse_share(own.share)
            batch.ownerships.append(
                OwnershipRecord(
                    key=f"{doc.dataset}:{own.record_key()}",
                    owner_id=own.owner,
                    asset_id=own.asset,
                    kind=own.kind,
                    share=share.exact,
                    share_min=share.min,
                    share_max=share.max,
                    acting_jointly=own.acting_jointly,
                    start_date=own.start_date,
                    end_date=own.end_date,
                    source=own.source.title,
                    source_url=own.source.url,
                    source_published=own.source.published,
                )
            )
        for i, ev in enumerate(doc.events):
            self._check_ref(path, known, ev.entity, f"events[{i}]")
            key = ev.record_key(i)
            period = ev.period()
            batch.events.append(
                EventRecord(
                    key=f"{doc.dataset}:{key}",
                    entity_id=ev.entity,
                    kind=ev.kind,
                    summary=REPORTED_PREFIX + ev.summary if ev.status == "reported" else ev.summary,
                    source=ev.source.title,
                    date=period[0] if period else None,
                    date_precision=period[1] if period else None,
                    source_url=ev.source.url,
                    source_published=ev.source.published,
                )
            )
        for i, tie in enumerate(doc.ties):
            self._check_ref(path, known, tie.person, f"ties[{i}]")
            self._check_ref(path, known, tie.to, f"ties[{i}]")
            batch.ownerships.append(
                OwnershipRecord(
                    key=f"{doc.dataset}:tie:{tie.record_key()}",
                    owner_id=tie.person,
                    asset_id=tie.to,
                    kind=tie.kind,
                    role=tie.role,
                    start_date=tie.start_date,
                    end_date=tie.end_date,
                    source=tie.source.title,
                    source_url=tie.source.url,
                    source_published=tie.source.published,
                )
            )
        batch.imported = (
            len(doc.entities)
            + len(doc.listings)
            + len(doc.ownership)
            + len(doc.events)
            + len(doc.ties)
        )
        batch.extra.update(
            entities=len(doc.entities),
            listings=len(doc.listings),
            ownership=len(doc.ownership),
            events=len(doc.events),
        )
        if doc.ties:
            batch.extra["ties"] = len(doc.ties)
        return batch

    @staticmethod
    def _identifiers(ent: Entity, log: QualityLog) -> list[IdentifierRecord]:
        out: list[IdentifierRecord] = []
        for n, ident in enumerate(ent.identifiers):
            rec = make_identifier(
                ident.scheme.lower(), ident.value, log, record=ent.id, field=f"identifiers[{n}]"
            )
            if rec is not None:
                out.append(rec)
        return out

    @staticmethod
    def _check_ref(path: Path, known: set[str], ref: str, record: str) -> None:
        """References must point at entities of the same file or at ids namespaced by another
        importer (``ofac-…``, ``lei-…``, see :data:`FOREIGN_PREFIXES`); any other unknown id is
        most likely a typo."""
        if ref in known or ref.startswith(FOREIGN_PREFIXES):
            return
        raise InputError(
            path,
            f"refers to entity {ref!r}, which the file does not define",
            record=record,
            fix="add it under entities: or correct the id",
        )
