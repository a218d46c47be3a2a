"""FollowTheMoney entities as JSON lines (OpenSanctions, Aleph and nomenklatura exports).

Each line is read through the followthemoney model, so any schema is understood:

* legal entities, vessels and airplanes → entities with their FtM ids kept as given; names
  (``name`` first is primary, ``alias`` → alias, ``weakAlias`` → weak, ``previousName`` →
  former), identifiers (``leiCode``, ``registrationNumber``, ``innCode`` …), countries and
  OpenSanctions topics (``sanction``, ``export.control``, ``gov.soe``, ``mil`` …) as given;
* ``Sanction`` → a listing of its ``entity``: the list is found in ``data/lists.yaml`` from the
  ``programId``, ``program`` or ``authority`` text; otherwise a list id ``ftm-<dataset>`` is used
  and a note is logged;
* ``Ownership`` → an ownership edge; ``percentage`` is read with
  :func:`bidvet.ownership.shares.parse_share` (text that is no percentage → quality log, share
  unknown; a value below 0 or above 100 → the record is rejected);
* any other schema (Address, Directorship, Family …) is skipped and logged.

The dataset is ``ftm-<name>`` from the entities' ``datasets`` (else the file name); an FtM
export may be partial, so it is not treated as a complete list.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from bidvet.dates import parse_date
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import (
    ENTITY_SCHEMATA,
    EntityRecord,
    ImportBatch,
    ListingRecord,
    NameRecord,
    OwnershipRecord,
)
from bidvet.ownership.shares import ShareError, parse_share
from bidvet.sources.countries import resolve_country
from bidvet.sources.identifiers import make_identifier, scheme_codes
from bidvet.sources.lists import list_registry
from bidvet.sources.registry import Importer, register
from bidvet.sources.writing_systems import is_latin

NAME_PROPS = (
    ("name", "primary"),
    ("alias", "alias"),
    ("weakAlias", "weak"),
    ("previousName", "former"),
)
COUNTRY_PROPS = (
    ("jurisdiction", "jurisdiction"),
    ("mainCountry", "jurisdiction"),
    ("country", "jurisdiction"),
    ("nationality", "nationality"),
    ("citizenship", "citizenship"),
    ("flag", "other"),
)
KEEP_PROPS = (
    "notes",
    "incorporationDate",
    "dissolutionDate",
    "legalForm",
    "status",
    "sector",
    "website",
    "sourceUrl",
    "birthDate",
)
MAX_ID = 200  # the store's entity id width
MAX_TOPIC = 40
_NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")


def _first(proxy: EntityProxy, prop: str) -> str | None:
    values = proxy.get(prop, quiet=True)
    return values[0].strip() if values and values[0].strip() else None


def _schema_for(proxy: EntityProxy) -> str | None:
    """The stored schema: FtM's own when bidvet stores it, else its nearest ancestor."""
    if proxy.schema.name in ENTITY_SCHEMATA:
        return proxy.schema.name
    for parent in ("Company", "Organization", "LegalEntity"):
        if proxy.schema.is_a(parent):
            return parent
    return None


@register
class FtmJson(Importer):
    format = "ftm-json"
    title = "FollowTheMoney entities (JSON lines)"

    def sniff(self, path: Path, head: str) -> bool:
        first = next((line for line in head.splitlines() if line.strip()), "").strip()
        if not first.startswith("{"):
            return False
        try:
            data = json.loads(first)
        except json.JSONDecodeError:  # a first line longer than the head
            return bool(re.search(r'"schema"\s*:', first) and '"properties"' in first)
        return isinstance(data, dict) and "schema" in data and "properties" in data

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        proxies: list[EntityProxy] = []
        datasets: Counter[str] = Counter()
        with path.open(encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                record = f"line {number}"
                data = self._json(path, line, record)
                try:
                    proxy = model.get_proxy(data)
                except InvalidData as exc:
                    log.reject(
                        record, f"not a FollowTheMoney entity ({exc})", value=data.get("schema")
                    )
                    continue
                if not proxy.id or len(proxy.id) > MAX_ID:
                    log.reject(
                        record,
                        f"entity id missing or longer than {MAX_ID} characters",
                        value=proxy.id,
                    )
                    continue
                proxies.append(proxy)
                datasets.update(str(d) for d in data.get("datasets") or [])
        name = datasets.most_common(1)[0][0] if datasets else path.stem
        batch = ImportBatch(
            dataset=f"ftm-{name}"[:120], format=self.format, quality=log, complete_list=False
        )
        entities: dict[str, EntityRecord] = {}
        for proxy in proxies:
            schema = _schema_for(proxy)
            if schema is not None:
                entity = self._entity(proxy, schema, log)
                if entity is not None:
                    entities[entity.id] = entity
                    batch.entities.append(entity)
                    batch.imported += 1
            elif proxy.schema.name not in ("Sanction", "Ownership"):
                log.skipped(
                    proxy.id,
                    f"schema {proxy.schema.name} is not stored",
                    field="schema",
                    value=proxy.schema.name,
                )
        for proxy in proxies:
            if proxy.schema.name == "Sanction":
                accepted = self._sanction(proxy, batch, entities, log)
            elif proxy.schema.name == "Ownership":
                accepted = self._ownership(proxy, batch, log)
            else:
                continue
            batch.imported += accepted
        return batch

    @staticmethod
    def _json(path: Path, line: str, record: str) -> dict[str, Any]:
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                path,
                f"invalid JSON ({exc.msg}, column {exc.colno})",
                record=record,
                fix="each line must be one complete FtM entity as JSON",
            ) from None
        if not isinstance(data, dict):
            raise InputError(
                path,
                "line is not a JSON object",
                record=record,
                fix="each line must be one FtM entity object",
            )
        return data

    @staticmethod
    def _entity(proxy: EntityProxy, schema: str, log: QualityLog) -> EntityRecord | None:
        eid = str(proxy.id)
        names: list[NameRecord] = []
        for prop, kind in NAME_PROPS:
            for value in proxy.get(prop, quiet=True):
                text = value.strip()
                if text and all(n.name != text for n in names):
                    names.append(NameRecord(text, kind if is_latin(text) else "original"))
        if not names:
            log.reject(eid, f"{proxy.schema.name} without a name")
            return None
        primaries = [n for n in names if n.kind == "primary"]
        if not primaries:
            names[0].kind = "primary"
        for extra in primaries[1:]:  # FtM names are all equal; the first one leads
            extra.kind = "alias"
        entity = EntityRecord(
            id=eid,
            schema=schema,
            names=names,
        )
        for topic in dict.fromkeys(proxy.get("topics", quiet=True)):
            if len(topic) > MAX_TOPIC:
                log.normalised(eid, "topics", topic, f"longer than {MAX_TOPIC} characters; dropped")
            else:
                entity.topics.append(topic)
        for prop, scheme in scheme_codes("ftm").items():
            for value in proxy.get(prop, quiet=True):
                ident = make_identifier(scheme, value, log, record=eid, field=prop)
                if ident is not None and ident not in entity.identifiers:
                    entity.identifiers.append(ident)
        for prop, role in COUNTRY_PROPS:
            for value in proxy.get(prop, quiet=True):
                code = resolve_country(value, log, record=eid, field=prop)
                if code is not None and (code, role) not in entity.countries:
                    entity.countries.append((code, role))
        for prop in KEEP_PROPS:
            if values := proxy.get(prop, quiet=True):
                entity.properties[prop] = list(values)
        entity.source_url = _first(proxy, "sourceUrl")
        return entity

    @staticmethod
    def _sanction(
        proxy: EntityProxy,
        batch: ImportBatch,
        entities: dict[str, EntityRecord],
        log: QualityLog,
    ) -> bool:
        sid = str(proxy.id)
        target = _first(proxy, "entity")
        if target is None or target not in entities:
            log.reject(
                sid,
                "Sanction refers to an entity that is not in the file",
                field="entity",
                value=target,
            )
            return False
        program = _first(proxy, "program") or _first(proxy, "programId") or ""
        authority = _first(proxy, "authority")
        info = list_registry().resolve(
            _first(proxy, "programId"), _first(proxy, "program"), authority
        )
        if info is not None:
            list_id, list_name, authority = info.id, info.name, authority or info.authority
            for topic in info.topics:
                if topic not in entities[target].topics:
                    entities[target].topics.append(topic)
        else:
            list_id = batch.dataset[:80]
            list_name = authority or batch.dataset
            log.note(f"sanction list not in data/lists.yaml; listed as {list_id!r}", record=sid)
        batch.listings.append(
            ListingRecord(
                entity_id=target,
                list_id=list_id,
                list_name=list_name,
                program=program[:200],
                authority=authority,
                start_date=parse_date(_first(proxy, "startDate") or _first(proxy, "listingDate")),
                end_date=parse_date(_first(proxy, "endDate")),
                source_url=_first(proxy, "sourceUrl"),
                reason=_first(proxy, "reason"),
            )
        )
        return True

    @staticmethod
    def _ownership(proxy: EntityProxy, batch: ImportBatch, log: QualityLog) -> bool:
        oid = str(proxy.id)
        owner, asset = _first(proxy, "owner"), _first(proxy, "asset")
        if owner is None or asset is None:
            log.reject(oid, "Ownership without owner or asset")
            return False
        text = _first(proxy, "percentage")
        if text is not None and (m := _NUMBER.match(text)):
            value = float(m.group(1).replace(",", "."))
            if value < 0 or value > 100:
                log.reject(
                    oid,
                    "percentage outside 0–100%; the edge is not imported",
                    field="percentage",
                    value=text,
                )
                return False
        try:
            share = parse_share(text)
        except ShareError as exc:
            log.normalised(oid, "percentage", text, f"{exc}; share unknown")
            share = parse_share(None)
        batch.ownerships.append(
            OwnershipRecord(
                key=f"{batch.dataset}:{oid}"[:300],
                owner_id=owner,
                asset_id=asset,
                kind="shares",
                share=share.exact,
                share_min=share.min,
                share_max=share.max,
                start_date=parse_date(_first(proxy, "startDate")),
                end_date=parse_date(_first(proxy, "endDate")),
                source=_first(proxy, "publisher") or batch.dataset,
                source_url=_first(proxy, "sourceUrl"),
            )
        )
        return True
