"""FollowTheMoney entities as JSON lines (OpenSanctions, Aleph and nomenklatura exports).

The file is read one line at a time (memory holds the records made, never the file or the FtM
objects), and each line against the followthemoney model, so any schema is understood (the
record is read as FtM's ``EntityProxy`` reads it — its schema, id and the schema's own
properties, each without repeated values — by a plain walk of the parsed line, without building
a proxy):

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

A file of any size streams: the records made are parked on disk (:mod:`bidvet.sources.spill`)
while the file is read, with only their ids in memory, and read back in file order by the
writer, which writes them in chunks in one transaction (:meth:`FtmJson.read_stream`).
"""

from __future__ import annotations

import json
import re
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # followthemoney is imported on use: loading its model takes about a second
    from followthemoney.schema import Schema

from bidvet.dates import parse_date
from bidvet.errors import InputError
from bidvet.model.identifiers import IdentifierError, normalise
from bidvet.model.quality import QualityLog
from bidvet.model.records import (
    ENTITY_SCHEMATA,
    EntityRecord,
    EntityRow,
    IdentifierRecord,
    ImportBatch,
    ImportStream,
    ListingRecord,
    NameRecord,
    OwnershipRecord,
    entity_from_row,
    entity_row,
)
from bidvet.ownership.shares import ShareError, parse_share
from bidvet.sources.countries import country_code, is_blank
from bidvet.sources.identifiers import scheme_codes
from bidvet.sources.lists import ListInfo, ListRegistry, list_registry
from bidvet.sources.merging import merge_entity
from bidvet.sources.registry import Importer, register
from bidvet.sources.spill import Spill
from bidvet.sources.writing_systems import is_latin
from bidvet.text_input import MAX_NESTING, load_json

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


def _schema_for(schema: Schema) -> str | None:
    """The stored schema: FtM's own when bidvet stores it, else its nearest ancestor."""
    if schema.name in ENTITY_SCHEMATA:
        return schema.name
    for parent in ("Company", "Organization", "LegalEntity"):
        if schema.is_a(parent):
            return parent
    return None


@dataclass(frozen=True, slots=True)
class _Kind:
    """What the reader needs of one FtM schema, looked up once per schema name."""

    name: str
    properties: frozenset[str]
    stored: str | None  # the stored schema (:func:`_schema_for`)
    link: bool  # a Sanction, Ownership or tie: kept until every entity is read


_KINDS: dict[str, _Kind | None] = {}


def _kind_of(name: Any) -> _Kind | None:
    """The schema called ``name`` (None when FtM has no such schema), as FtM's proxy finds it."""
    if not isinstance(name, str):
        return None
    if name not in _KINDS:
        from followthemoney import model

        schema = model.get(name)
        _KINDS[name] = (
            None
            if schema is None
            else _Kind(
                schema.name,
                frozenset(schema.properties),
                _schema_for(schema),
                schema.name in LINK_SCHEMATA,
            )
        )
    return _KINDS[name]


def _properties(kind: _Kind, raw: Any) -> Props:
    """The values of the schema's own properties, each list without repeats: what FtM's proxy
    keeps of a record's ``properties`` (other names are dropped)."""
    known = kind.properties
    out: Props = {}
    for key, values in raw.items():
        if key in known:
            if type(values) is list and len(values) == 1:
                out[key] = values
            else:
                out[key] = list(dict.fromkeys(values))
    return out


@lru_cache(maxsize=4096)
def _country(text: str) -> str | None:
    """``text`` as a country code; "" when it names no known country, None when blank."""
    if is_blank(text):
        return None
    return country_code(text) or ""


@lru_cache(maxsize=4096)
def _identifier(scheme: str, raw: str) -> tuple[str | None, str]:
    """``(value, "")`` for a valid identifier, ``(None, why)`` for one that is not kept."""
    try:
        return normalise(scheme, raw), ""
    except IdentifierError as exc:
        return None, str(exc)


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


_LISTING_FIELDS = tuple(f.name for f in dataclass_fields(ListingRecord))
_OWNERSHIP_FIELDS = tuple(f.name for f in dataclass_fields(OwnershipRecord))


@dataclass
class _Out:
    """Where :meth:`_Reader.finish` puts the listings and edges it makes (parked on disk)."""

    dataset: str
    listings: Spill
    ownerships: Spill

    def add_listing(self, record: ListingRecord) -> None:
        self.listings.append(tuple(getattr(record, name) for name in _LISTING_FIELDS))

    def add_ownership(self, record: OwnershipRecord) -> None:
        self.ownerships.append(tuple(getattr(record, name) for name in _OWNERSHIP_FIELDS))


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
        self.entities = Spill(plain=True)  # id → EntityRow, in first-seen order
        self.links = Spill(plain=True)  # id → (id, schema, props, datasets), first-seen order
        #: topics a Sanction gives its entity (by the entity's place in ``entities``)
        #: topics Sanctions give entities: by the entity's place in ``entities``, the number
        #: of its set of topics in ``topic_sets`` (a few distinct sets; 4 bytes an entity)
        self.list_topics = array("I")
        self.topic_sets: list[tuple[str, ...]] = [()]
        self._topic_set_ids: dict[tuple[str, ...], int] = {(): 0}
        self.lists_found: dict[tuple[Any, ...], list[ListInfo]] = {}
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
        # the record read as FtM's own proxy reads it (schema, id, the schema's properties),
        # without building one: see _kind_of and _properties
        kind = _kind_of(data.get("schema", ""))
        if kind is None:
            self.log.reject(
                record,
                "not a FollowTheMoney entity (No schema for entity.)",
                value=data.get("schema"),
            )
            return
        raw_id = data.get("id")
        eid = str(raw_id) if raw_id else None
        if not eid or len(eid) > MAX_ID:
            self.log.reject(
                record, f"entity id missing or longer than {MAX_ID} characters", value=eid
            )
            return
        raw_props = data.get("properties", {})
        if not isinstance(raw_props, dict):
            self.log.reject(record, "properties is not a JSON object", field="properties")
            return
        props = _properties(kind, raw_props)
        datasets = _datasets(data.get("datasets"))
        self.datasets.update(datasets)
        if kind.link:
            self._link(eid, kind.name, props, datasets)
            return
        schema = kind.stored
        if schema is None:
            self.skipped_schemata[kind.name] += 1
            why = f"schema {kind.name} is not stored"
            if kind.name == "Address":
                why += " (addresses are not used to judge a bidder; entity countries are kept)"
            self.log.skipped(
                eid,
                why,
                field="schema",
                value=kind.name,
            )
            return
        entity = _entity(eid, kind.name, props, schema, self.log, self.codes)
        if entity is None:
            return
        if datasets:
            entity.properties["datasets"] = datasets
            entity.properties["datasetKinds"] = [f"{d}={self.kind(d)}" for d in datasets]
        if self.entities.add(eid, entity_row(entity)):
            return
        first = entity_from_row(self.entities.get(eid))
        self._repeat_entity(first, entity)
        self.entities.put(first.id, entity_row(first))

    def _repeat_entity(self, first: EntityRecord, again: EntityRecord) -> None:
        from followthemoney import model
        from followthemoney.exc import InvalidData

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

    def _link(self, lid: str, schema: str, raw: Props, datasets: list[str]) -> None:
        props: Props = {k: [str(v) for v in vs] for k, vs in raw.items()}
        if self.links.add(lid, (lid, schema, props, datasets)):
            return
        first = _Link(*self.links.get(lid)[1:])
        if first.schema != schema:
            self.log.reject(
                lid,
                f"id repeated as a {schema} after a {first.schema}; the repeat is not imported",
                field="schema",
                value=schema,
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
        if changed:
            self.links.put(lid, (lid, first.schema, first.props, first.datasets))
        self.repeats.note(self.log, lid, changed)

    def finish(self, fmt: str) -> ImportStream:
        if len(self.datasets) == 1:
            name = next(iter(self.datasets))
        else:  # several datasets (an OpenSanctions collection) or none: the file's name
            name = self.path.name.removesuffix(".json").removesuffix(".ftm")
        listings, ownerships = Spill(), Spill()
        batch = _Out(dataset=f"ftm-{name}"[:120], listings=listings, ownerships=ownerships)
        stream = ImportStream(
            dataset=batch.dataset, format=fmt, quality=self.log, complete_list=False
        )
        stream.imported = len(self.entities)
        not_listings: Counter[str] = Counter()
        ties = 0
        for packed in self.links:
            lid, link = packed[0], _Link(*packed[1:])
            if link.schema == "Sanction":
                stream.imported += self._sanction(lid, link, batch, not_listings)
            elif link.schema in TIES:
                added = self._tie(lid, link, batch)
                stream.imported += added
                ties += added
            else:
                stream.imported += self._ownership(lid, link, batch)
        if ties:
            stream.extra["ties"] = ties
        if not_listings:
            stream.extra["not_listings"] = dict(sorted(not_listings.items()))
        if self.skipped_schemata:
            stream.extra["schemata_not_stored"] = dict(sorted(self.skipped_schemata.items()))
        entities, list_topics, topic_sets = self.entities, self.list_topics, self.topic_sets

        def entity_rows() -> Iterator[EntityRow]:
            for place, row in enumerate(entities):
                extra = topic_sets[list_topics[place]] if place < len(list_topics) else ()
                if extra:
                    topics = row[8]
                    for topic in extra:
                        if topic not in topics:
                            topics.append(topic)
                yield row

        def entity_records() -> Iterator[EntityRecord]:
            return map(entity_from_row, entity_rows())

        def listing_records() -> Iterator[ListingRecord]:
            return (ListingRecord(*values) for values in listings)

        def ownership_records() -> Iterator[OwnershipRecord]:
            return (OwnershipRecord(*values) for values in ownerships)

        def close() -> None:
            for spill in (entities, self.links, listings, ownerships):
                spill.close()

        stream.entity_records = entity_records
        stream.entity_rows = entity_rows
        stream.listing_records = listing_records
        stream.ownership_records = ownership_records
        stream.close = close
        return stream

    def _lists(self, link: _Link) -> list[ListInfo]:
        """The lists a Sanction belongs to (see the module docstring for the order)."""
        props = link.props
        key = (
            _first(props, "programId"),
            tuple(link.datasets),
            _first(props, "program"),
            _first(props, "authority"),
        )
        found_before = self.lists_found.get(key)
        if found_before is None:
            found_before = self.lists_found[key] = self._resolve_lists(link)
        return found_before

    def _resolve_lists(self, link: _Link) -> list[ListInfo]:
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

    def _sanction(self, sid: str, link: _Link, batch: _Out, not_listings: Counter[str]) -> int:
        props = link.props
        target = _first(props, "entity")
        place = None if target is None else self.entities.position(target)
        if target is None or place is None:
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
        if not lists:
            own = next((d for d in link.datasets if kinds.get(d) == "unknown"), None)
            list_id = f"ftm-{own}"[:MAX_DATASET] if own else batch.dataset[:MAX_DATASET]
            self.log.note(
                f"sanction list not in data/lists.yaml; listed as {list_id!r}", record=sid
            )
            batch.add_listing(
                ListingRecord(
                    list_id=list_id, list_name=authority or list_id, authority=authority, **common
                )
            )
            return 1
        self._add_list_topics(place, lists)
        for info in lists:
            batch.add_listing(
                ListingRecord(
                    list_id=info.id,
                    list_name=info.name,
                    authority=authority or info.authority,
                    **common,
                )
            )
        return 1

    def _add_list_topics(self, place: int, lists: list[ListInfo]) -> None:
        held = self.list_topics
        if place >= len(held):
            held.extend([0] * (len(self.entities) - len(held)))
        before = self.topic_sets[held[place]]
        topics = list(before)
        for info in lists:
            for topic in info.topics:
                if topic not in topics:
                    topics.append(topic)
        if len(topics) == len(before):
            return
        key = tuple(topics)
        number = self._topic_set_ids.get(key)
        if number is None:
            number = self._topic_set_ids[key] = len(self.topic_sets)
            self.topic_sets.append(key)
        held[place] = number

    def _tie(self, tid: str, link: _Link, batch: _Out) -> int:
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
        batch.add_ownership(
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

    def _ownership(self, oid: str, link: _Link, batch: _Out) -> int:
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
        batch.add_ownership(
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


_DECODER = json.JSONDecoder()
_JSON_SPACE = " \t\n\r"


def _json(path: Path, line: str, record: str) -> dict[str, Any]:
    data: Any = None
    if line.count("{") + line.count("[") <= MAX_NESTING:  # cannot nest too deep: parse at once
        # json.loads without its wrappers: the line without JSON white space around it must be
        # exactly one value
        text = line.strip(_JSON_SPACE)
        try:
            data, end = _DECODER.raw_decode(text)
        except ValueError:
            data = None  # load_json says what is wrong
        else:
            if end != len(text):
                data = None
    if data is None:
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
    eid: str, ftm_schema: str, props: Props, schema: str, log: QualityLog, codes: dict[str, str]
) -> EntityRecord | None:
    """The entity of one FtM record of schema ``ftm_schema`` (stored as ``schema``);
    ``codes`` are the FtM identifier properties → scheme."""
    names: list[NameRecord] = []
    seen: set[str] = set()
    for prop, kind in NAME_PROPS:
        for value in props.get(prop, ()):
            text = value.strip()
            if text and text not in seen:
                seen.add(text)
                latin = text.isascii() or is_latin(text)  # ASCII letters are Latin
                names.append(NameRecord(text, kind if latin else "original"))
    if not names:
        log.reject(eid, f"{ftm_schema} without a name")
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
            # make_identifier, with the checks of repeated values done once
            normal, why = _identifier(scheme, value)
            if normal is None:
                log.normalised(eid, prop, value, f"{scheme}: {why}; identifier not kept")
                continue
            ident = IdentifierRecord(scheme=scheme, value=normal, raw=value.strip())
            if ident not in entity.identifiers:
                entity.identifiers.append(ident)
    for prop, role in COUNTRY_PROPS:
        for value in props.get(prop, ()):
            # resolve_country, with the lookups of repeated values done once
            code = _country(value)
            if code == "":
                log.normalised(eid, prop, value, "not a recognised country; value not kept")
            elif code is not None and (code, role) not in entity.countries:
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
        return self.read_stream(path, log).batch()

    def read_stream(self, path: Path, log: QualityLog) -> ImportStream:
        """The file read once, its records parked on disk for the writer (module docstring)."""
        reader = _Reader(path, log)
        try:
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
        except BaseException:
            reader.entities.close()
            reader.links.close()
            raise
