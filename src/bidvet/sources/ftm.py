"""FollowTheMoney entities as JSON lines (OpenSanctions, Aleph and nomenklatura exports).

The file is read one line at a time (memory holds the records made, never the file or the FtM
objects), and each line through the followthemoney model, so any schema is understood:

* legal entities, vessels and airplanes → entities with their FtM ids kept as given; names
  (``name`` first is primary, ``alias`` → alias, ``weakAlias`` → weak, ``previousName`` →
  former), identifiers (``leiCode``, ``registrationNumber``, ``innCode`` …), countries and
  OpenSanctions topics (``sanction``, ``export.control``, ``gov.soe``, ``mil`` …) as given. The
  entity's own ``datasets`` are kept in its properties (``datasets``), each with what that
  dataset is (``datasetKinds``, ``name=kind``: a list's kind from ``data/lists.yaml`` such as
  ``sanction``, or ``registry``, ``disqualification``, ``pep``, ``crime`` … for datasets that
  are not lists);
* ``Sanction`` → a listing of its ``entity`` on the list it belongs to, found in
  ``data/lists.yaml`` from, in this order, its ``programId`` (OpenSanctions program keys such as
  ``US-BIS-EL``), its own ``datasets`` (``eu_fsf``, ``gb_fcdo_sanctions`` … one listing per list
  they name), its ``program`` and its ``authority``. A Sanction whose datasets are all known
  *not* to be lists (a company registry, disqualified directors, PEPs, wanted persons) is not a
  listing: it is logged as skipped with the dataset and its kind, and counted in the load
  summary (``not_listings``). A Sanction from a dataset bidvet does not know at all is listed as
  ``ftm-<dataset>`` with a note, as before;
* ``Ownership`` → an ownership edge; ``percentage`` is read with
  :func:`bidvet.ownership.shares.parse_share` (text that is no percentage → quality log, share
  unknown; a value below 0 or above 100 → the record is rejected);
* ``Person`` → an entity like any other (names, countries, ``birthDate``, topics such as
  ``role.pep``);
* people's ties → rows of the ownership table with a tie kind (:data:`TIES`; neither ownership
  nor control, so no ownership question sees them), from the person to the organisation or
  relative, with the role or relationship, ``startDate``/``endDate`` and the record's
  ``publisher``/``sourceUrl``: ``Directorship`` (director → organization, ``role``),
  ``Employment`` (employee → employer, ``role``), ``Representation`` (agent → client,
  ``role``), ``Family`` (person → relative, ``relationship``) and ``Associate`` (person →
  associate, ``relationship``). A tie without both ends is rejected;
* any other schema (``Address`` among them: an address is not needed to judge a bidder, and
  its country is already one of the entity's countries) is skipped and logged.

Dates of Sanction and Ownership records (``startDate``, ``listingDate``, ``endDate``) that are
not calendar dates, or only a year or a month, are stored as unknown with a ``normalised`` note
naming the record, the property and the raw value.

The same id twice: see :class:`_Repeats`.

The dataset is ``ftm-<name>``: the one dataset all entities belong to, else the file name; an
FtM export may be partial, so it is not treated as a complete list.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
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
from bidvet.sources.lists import ListInfo, ListRegistry, list_registry
from bidvet.sources.merging import merge_entity
from bidvet.sources.registry import Importer, register
from bidvet.sources.writing_systems import is_latin
from bidvet.text_input import load_json

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
#: tie schema → (stored kind, property of the person, property of the other end, role props)
TIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "Directorship": ("directorship", "director", "organization", ("role",)),
    "Employment": ("employment", "employee", "employer", ("role",)),
    "Representation": ("representation", "agent", "client", ("role",)),
    "Family": ("family", "person", "relative", ("relationship",)),
    "Associate": ("associate", "person", "associate", ("relationship",)),
}
LINK_SCHEMATA = ("Sanction", "Ownership", *TIES)
MAX_ID = 200  # the store's entity id width
MAX_TOPIC = 40
MAX_DATASET = 80
MAX_ROLE = 200  # the store's role width
_NUMBER = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2})?$")

Props = dict[str, list[str]]


def _schema_for(proxy: EntityProxy) -> str | None:
    """The stored schema: FtM's own when bidvet stores it, else its nearest ancestor."""
    if proxy.schema.name in ENTITY_SCHEMATA:
        return proxy.schema.name
    for parent in ("Company", "Organization", "LegalEntity"):
        if proxy.schema.is_a(parent):
            return parent
    return None


def _first(props: Props, prop: str) -> str | None:
    for value in props.get(prop, ()):
        if value.strip():
            return value.strip()
    return None


def _date(props: Props, prop: str, record: str, log: QualityLog) -> Any:
    """The first value of a date property, or ``None`` with a note naming the raw value."""
    raw = _first(props, prop)
    if raw is None:
        return None
    value = parse_date(raw)
    if value is None:
        why = (
            "partial date (year or month only); stored as unknown"
            if _PARTIAL_DATE.match(raw)
            else "not a calendar date; stored as unknown"
        )
        log.normalised(record, prop, raw, why)
    return value


@dataclass(slots=True)
class _Link:
    """A Sanction or Ownership, kept as plain values until every entity has been read."""

    schema: str
    props: Props
    datasets: list[str]


@dataclass
class _Repeats:
    """What a second record with an id already read does.

    FtM entities are statements about one subject; two records with one id are two sets of
    statements about the same subject, and FtM's own ``EntityProxy.merge`` unions their
    property values. bidvet does the same, so nothing either record says is lost: the first
    record's primary name and schema stay (the second's names become aliases), identifiers,
    countries, topics, properties and datasets are unioned, and the quality log says so once
    for the id. A repeat that adds nothing is noted once as identical. A repeat whose schema
    cannot be merged with the first (a Person and a Company under one id) is rejected with a
    note: merging them would make one record of two different subjects.
    """

    noted: set[str] = field(default_factory=set)

    def note(self, log: QualityLog, rid: str, changed: bool) -> None:
        if rid in self.noted:
            return
        self.noted.add(rid)
        if changed:
            log.note(
                f"id {rid} appears more than once with different content; the records are "
                "merged (FtM properties are multi-valued: their values are unioned, the first "
                "record's primary name is kept)",
                record=rid,
            )
        else:
            log.note(
                f"id {rid} appears more than once with the same content; read once", record=rid
            )


class _Reader:
    """One pass over the lines; :meth:`finish` resolves the links once every entity is known."""

    def __init__(self, path: Path, log: QualityLog) -> None:
        self.path = path
        self.log = log
        self.registry: ListRegistry = list_registry()
        self.kinds: dict[str, str] = {}
        self.entities: dict[str, EntityRecord] = {}
        self.links: dict[str, _Link] = {}
        self.datasets: set[str] = set()
        self.repeats = _Repeats()
        self.skipped_schemata: Counter[str] = Counter()
        self.codes = scheme_codes("ftm")

    def kind(self, dataset: str) -> str:
        found = self.kinds.get(dataset)
        if found is None:
            found = self.kinds[dataset] = self.registry.dataset_kind(dataset)
        return found

    def line(self, number: int, line: str) -> None:
        record = f"line {number}"
        data = _json(self.path, line, record)
        try:
            proxy = model.get_proxy(data)
        except InvalidData as exc:
            self.log.reject(
                record, f"not a FollowTheMoney entity ({exc})", value=data.get("schema")
            )
            return
        if not proxy.id or len(proxy.id) > MAX_ID:
            self.log.reject(
                record, f"entity id missing or longer than {MAX_ID} characters", value=proxy.id
            )
            return
        datasets = _datasets(data.get("datasets"))
        self.datasets.update(datasets)
        if proxy.schema.name in LINK_SCHEMATA:
            self._link(proxy, datasets)
            return
        schema = _schema_for(proxy)
        if schema is None:
            self.skipped_schemata[proxy.schema.name] += 1
            why = f"schema {proxy.schema.name} is not stored"
            if proxy.schema.name == "Address":
                why += " (addresses are not used to judge a bidder; entity countries are kept)"
            self.log.skipped(
                proxy.id,
                why,
                field="schema",
                value=proxy.schema.name,
            )
            return
        entity = _entity(proxy, schema, self.log, self.codes)
        if entity is None:
            return
        if datasets:
            entity.properties["datasets"] = datasets
            entity.properties["datasetKinds"] = [f"{d}={self.kind(d)}" for d in datasets]
        first = self.entities.get(entity.id)
        if first is None:
            self.entities[entity.id] = entity
            return
        self._repeat_entity(first, entity)

    def _repeat_entity(self, first: EntityRecord, again: EntityRecord) -> None:
        try:
            common = model.common_schema(first.schema, again.schema)
        except InvalidData:
            self.log.reject(
                again.id,
                f"id repeated with schema {again.schema}, which cannot be merged with the "
                f"first record's {first.schema}; the repeat is not imported",
                field="schema",
                value=again.schema,
            )
            return
        before = _fingerprint(first)
        merge_entity(first, again)
        if common.name in ENTITY_SCHEMATA and common.name != first.schema:
            first.schema = common.name
        self.repeats.note(self.log, first.id, _fingerprint(first) != before)

    def _link(self, proxy: EntityProxy, datasets: list[str]) -> None:
        lid = str(proxy.id)
        props: Props = {k: [str(v) for v in vs] for k, vs in proxy.properties.items()}
        first = self.links.get(lid)
        if first is None:
            self.links[lid] = _Link(proxy.schema.name, props, datasets)
            return
        if first.schema != proxy.schema.name:
            self.log.reject(
                lid,
                f"id repeated as a {proxy.schema.name} after a {first.schema}; "
                "the repeat is not imported",
                field="schema",
                value=proxy.schema.name,
            )
            return
        changed = False
        for prop, values in props.items():
            have = first.props.setdefault(prop, [])
            for value in values:
                if value not in have:
                    have.append(value)
                    changed = True
        for name in datasets:
            if name not in first.datasets:
                first.datasets.append(name)
                changed = True
        self.repeats.note(self.log, lid, changed)

    def finish(self, fmt: str) -> ImportBatch:
        if len(self.datasets) == 1:
            name = next(iter(self.datasets))
        else:  # several datasets (an OpenSanctions collection) or none: the file's name
            name = self.path.name.removesuffix(".json").removesuffix(".ftm")
        batch = ImportBatch(
            dataset=f"ftm-{name}"[:120], format=fmt, quality=self.log, complete_list=False
        )
        batch.entities = list(self.entities.values())
        batch.imported = len(batch.entities)
        not_listings: Counter[str] = Counter()
        ties = 0
        for lid, link in self.links.items():
            if link.schema == "Sanction":
                batch.imported += self._sanction(lid, link, batch, not_listings)
            elif link.schema in TIES:
                added = self._tie(lid, link, batch)
                batch.imported += added
                ties += added
            else:
                batch.imported += self._ownership(lid, link, batch)
        if ties:
            batch.extra["ties"] = ties
        if not_listings:
            batch.extra["not_listings"] = dict(sorted(not_listings.items()))
        if self.skipped_schemata:
            batch.extra["schemata_not_stored"] = dict(sorted(self.skipped_schemata.items()))
        return batch

    def _lists(self, link: _Link) -> list[ListInfo]:
        """The lists a Sanction belongs to (see the module docstring for the order)."""
        props = link.props
        by_program = self.registry.resolve(_first(props, "programId"))
        if by_program is not None:
            return [by_program]
        found: list[ListInfo] = []
        for name in link.datasets:
            info = self.registry.resolve(name)
            if info is not None and info not in found:
                found.append(info)
        if found:
            return found
        by_text = self.registry.resolve(_first(props, "program"), _first(props, "authority"))
        return [by_text] if by_text is not None else []

    def _sanction(
        self, sid: str, link: _Link, batch: ImportBatch, not_listings: Counter[str]
    ) -> int:
        props = link.props
        target = _first(props, "entity")
        if target is None or target not in self.entities:
            self.log.reject(
                sid,
                "Sanction refers to an entity that is not in the file",
                field="entity",
                value=target,
            )
            return 0
        lists = self._lists(link)
        kinds = {name: self.kind(name) for name in link.datasets}
        if not lists and kinds and "unknown" not in kinds.values():
            described = ", ".join(f"{name} ({kind})" for name, kind in kinds.items())
            self.log.skipped(
                sid,
                f"Sanction from {described}, which is not a restricted-party list; "
                "not imported as a listing (the entity is kept with its datasets)",
                field="datasets",
                value=",".join(kinds),
            )
            for kind in dict.fromkeys(kinds.values()):
                not_listings[kind] += 1
            return 0
        program = _first(props, "program") or _first(props, "programId") or ""
        authority = _first(props, "authority")
        common = {
            "entity_id": target,
            "program": program[:200],
            "start_date": _date(props, "startDate", sid, self.log)
            or _date(props, "listingDate", sid, self.log),
            "end_date": _date(props, "endDate", sid, self.log),
            "source_url": _first(props, "sourceUrl"),
            "reason": _first(props, "reason"),
        }
        entity = self.entities[target]
        if not lists:
            own = next((d for d in link.datasets if kinds.get(d) == "unknown"), None)
            list_id = f"ftm-{own}"[:MAX_DATASET] if own else batch.dataset[:MAX_DATASET]
            self.log.note(
                f"sanction list not in data/lists.yaml; listed as {list_id!r}", record=sid
            )
            batch.listings.append(
                ListingRecord(
                    list_id=list_id, list_name=authority or list_id, authority=authority, **common
                )
            )
            return 1
        for info in lists:
            for topic in info.topics:
                if topic not in entity.topics:
                    entity.topics.append(topic)
            batch.listings.append(
                ListingRecord(
                    list_id=info.id,
                    list_name=info.name,
                    authority=authority or info.authority,
                    **common,
                )
            )
        return 1

    def _tie(self, tid: str, link: _Link, batch: ImportBatch) -> int:
        kind, person_prop, other_prop, role_props = TIES[link.schema]
        props, log = link.props, self.log
        person, other = _first(props, person_prop), _first(props, other_prop)
        if person is None or other is None:
            log.reject(tid, f"{link.schema} without {person_prop} or {other_prop}")
            return 0
        role = next((r for p in role_props if (r := _first(props, p)) is not None), None)
        if role is not None and len(role) > MAX_ROLE:
            log.normalised(tid, role_props[0], role, f"longer than {MAX_ROLE} characters; cut")
            role = role[:MAX_ROLE]
        batch.ownerships.append(
            OwnershipRecord(
                key=f"{batch.dataset}:{tid}"[:300],
                owner_id=person,
                asset_id=other,
                kind=kind,
                role=role,
                start_date=_date(props, "startDate", tid, log),
                end_date=_date(props, "endDate", tid, log),
                source=_first(props, "publisher") or batch.dataset,
                source_url=_first(props, "sourceUrl"),
            )
        )
        return 1

    def _ownership(self, oid: str, link: _Link, batch: ImportBatch) -> int:
        props, log = link.props, self.log
        owner, asset = _first(props, "owner"), _first(props, "asset")
        if owner is None or asset is None:
            log.reject(oid, "Ownership without owner or asset")
            return 0
        text = _first(props, "percentage")
        if text is not None and (m := _NUMBER.match(text)):
            value = float(m.group(1).replace(",", "."))
            if value < 0 or value > 100:
                log.reject(
                    oid,
                    "percentage outside 0–100%; the edge is not imported",
                    field="percentage",
                    value=text,
                )
                return 0
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
                start_date=_date(props, "startDate", oid, log),
                end_date=_date(props, "endDate", oid, log),
                source=_first(props, "publisher") or batch.dataset,
                source_url=_first(props, "sourceUrl"),
            )
        )
        return 1


def _datasets(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for item in value:
        name = str(item).strip()[:MAX_DATASET]
        if name and name not in out:
            out.append(name)
    return out


def _fingerprint(entity: EntityRecord) -> tuple[Any, ...]:
    return (
        entity.schema,
        len(entity.names),
        len(entity.identifiers),
        len(entity.countries),
        len(entity.topics),
        tuple((k, len(v)) for k, v in sorted(entity.properties.items())),
        entity.source_url,
    )


def _json(path: Path, line: str, record: str) -> dict[str, Any]:
    data = load_json(path, line, record)
    if not isinstance(data, dict):
        raise InputError(
            path,
            "line is not a JSON object",
            record=record,
            fix="each line must be one FtM entity object",
        )
    return data


def _entity(
    proxy: EntityProxy, schema: str, log: QualityLog, codes: dict[str, str]
) -> EntityRecord | None:
    """The entity of one FtM record; ``codes`` are the FtM identifier properties → scheme."""
    eid = str(proxy.id)
    props = proxy.properties  # one copy of the values, read by key below
    names: list[NameRecord] = []
    for prop, kind in NAME_PROPS:
        for value in props.get(prop, ()):
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
    entity = EntityRecord(id=eid, schema=schema, names=names)
    for topic in dict.fromkeys(props.get("topics", ())):
        if len(topic) > MAX_TOPIC:
            log.normalised(eid, "topics", topic, f"longer than {MAX_TOPIC} characters; dropped")
        else:
            entity.topics.append(topic)
    for prop, values in props.items():
        scheme = codes.get(prop)
        if scheme is None:
            continue
        for value in values:
            ident = make_identifier(scheme, value, log, record=eid, field=prop)
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)
    for prop, role in COUNTRY_PROPS:
        for value in props.get(prop, ()):
            code = resolve_country(value, log, record=eid, field=prop)
            if code is not None and (code, role) not in entity.countries:
                entity.countries.append((code, role))
    for prop in KEEP_PROPS:
        if kept := props.get(prop):
            entity.properties[prop] = kept
    source = props.get("sourceUrl")
    entity.source_url = source[0].strip() if source and source[0].strip() else None
    return entity


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
        except RecursionError:  # nested too deeply to be an entity: not this format
            return False
        return isinstance(data, dict) and "schema" in data and "properties" in data

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        reader = _Reader(path, log)
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(
                        path,
                        f"not UTF-8 text ({exc.reason} at column {exc.start + 1})",
                        record=f"line {number}",
                        fix="FtM JSON lines are UTF-8; re-export or convert the file",
                    ) from None
                if line.strip():
                    reader.line(number, line)
        return reader.finish(self.format)
