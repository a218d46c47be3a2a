"""The UK Sanctions List (FCDO) in its XML form (``UK-Sanctions-List.xml``): the single UK list
of designations since 2026-01-28 (list ``gb-fcdo-sanctions``), when it replaced OFSI's
Consolidated List (``gb-ofsi-conlist-xlsx``, :mod:`bidvet.sources.uk_sanctions`).

Root ``<Designations>`` with ``<DateGenerated>DD/MM/YYYY</DateGenerated>`` (the publication
date), then one ``<Designation>`` per designated person, entity or ship, entity
``gb-fcdo-<UniqueID>``:

- ``IndividualEntityShip`` ``Individual`` / ``Entity`` / ``Ship`` gives the schema (another
  value: an entity, logged).
- ``Names/Name``: the name is ``Name1`` … ``Name5`` then ``Name6`` (the surname, or the whole
  name of an entity or ship). ``NameType`` ``Primary Name`` is the primary name, ``Primary Name
  Variation`` and ``Alias`` are aliases (``AliasStrength`` ``Weak`` a weak alias);
  ``NonLatinNames/NonLatinName/NameNonLatinScript`` are original-script names. A designation
  without a ``Primary Name`` takes its first name as primary, logged.
- One listing on ``gb-fcdo-sanctions`` per designation: program = ``RegimeName``, start date =
  ``DateDesignated``, reason = ``UKStatementofReasons`` (often empty for UN designations).
- Kept as properties: ``LastUpdated`` (``modifiedAt``), ``DateDesignated``
  (``designatedDate``), ``OFSIGroupID``, ``UNReferenceNumber``, ``DesignationSource``, each
  measure of ``SanctionsImposed`` (``|``-separated), ``OtherInformation`` whole as ``notes``,
  addresses, phone numbers, e-mail addresses, websites, entity types and subsidiaries.
- ``EntityDetails/Entity/BusinessRegistrationNumbers``: one identifier per line, the scheme
  from the label before `` - `` (``UK Company number`` a registration number, ``Legal Entity
  Identifier`` an LEI …); ``ShipDetails/Ship/IMONumbers`` the IMO numbers;
  ``IndividualDetails/Individual`` the dates of birth (kept as written, ``dd/mm/1957`` for a
  year only, full ones also as ``birthDate``) and nationalities.

A designation without ``UniqueID`` or without any name, or whose ``UniqueID`` appeared before,
is a bad record: rejected and logged, the rest load. A file that is not well-formed XML (cut
short, damaged bytes) is one :class:`InputError` and loads nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from bidvet.dates import logged_date, parse_date, possible_dates
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.sources.countries import resolve_country
from bidvet.sources.identifiers import make_identifier, scheme_for_label
from bidvet.sources.lists import list_registry, make_listing
from bidvet.sources.registry import Importer, register
from bidvet.sources.uk_sanctions import COUNTED_AS, SCHEMA
from bidvet.sources.xml_reading import child_text, children, iter_elements, local_name

LIST_ID = "gb-fcdo-sanctions"
ROOT = "Designations"
_ROOT = re.compile(r"<Designations\b[^>]*>\s*<(?:DateGenerated|Designation)>")
NAME_PARTS = ("Name1", "Name2", "Name3", "Name4", "Name5", "Name6")
ADDRESS = (
    "AddressLine1",
    "AddressLine2",
    "AddressLine3",
    "AddressLine4",
    "AddressLine5",
    "AddressLine6",
    "AddressPostalCode",
    "AddressCountry",
)
NAME_KIND: Mapping[str, str] = MappingProxyType(
    {"primary name": "primary", "primary name variation": "alias", "alias": "alias"}
)
#: repeated text elements kept as they are written: path, property name
TEXT_PROPERTIES: tuple[tuple[str, str], ...] = (
    ("PhoneNumbers/PhoneNumber", "phone"),
    ("EmailAddresses/EmailAddress", "email"),
    ("Websites/Website", "website"),
    ("EntityDetails/Entity/TypeOfEntities/TypeOfEntity", "legalForm"),
    ("EntityDetails/Entity/Subsidiaries/Subsidiary", "subsidiaries"),
    ("EntityDetails/Entity/ParentCompanies/ParentCompany", "parent"),
)
#: single text elements kept as they are written: element, property name
SINGLE_PROPERTIES: tuple[tuple[str, str], ...] = (
    ("OFSIGroupID", "ofsiGroupId"),
    ("UNReferenceNumber", "unReferenceNumber"),
    ("DesignationSource", "designationSource"),
)
#: "UK Company number - 11655602", "Legal Entity Identifier - 984500B899H9EED3B354"
_LABELLED = re.compile(r"^(?P<label>.+?)\s+[-–:]\s+(?P<value>\S.*)$")
_FIX = "use the UK Sanctions List XML as FCDO publishes it, unchanged"


def _text(elem: etree._Element) -> str:
    return " ".join((elem.text or "").split())


@register
class FcdoSanctionsXml(Importer):
    format = "gb-fcdo-sanctions-xml"
    title = "UK Sanctions List (FCDO), XML (UK-Sanctions-List.xml)"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset=LIST_ID, format=self.format, quality=log)
        info = list_registry().get(LIST_ID)
        counts = {"individuals": 0, "entities": 0, "ships": 0, "names": 0, "regimes": 0}
        seen: set[str] = set()
        designations = 0
        for elem in iter_elements(path, ("DateGenerated", "Designation")):
            root = elem.getroottree().getroot()
            if local_name(root) != ROOT:
                raise InputError(
                    path,
                    f"root element is <{local_name(root)}>, not <{ROOT}>: not the UK Sanctions "
                    "List",
                    record=f"line {root.sourceline}",
                    fix=_FIX,
                )
            if local_name(elem) == "DateGenerated":
                if elem.getparent() is root and batch.published is None:
                    batch.published = logged_date(
                        elem.text, log, record=ROOT, field="DateGenerated", dayfirst=True
                    )
                continue
            designations += 1
            entity = self._entity(elem, seen, log)
            if entity is None:
                continue
            entity.topics = list(info.topics)
            entity.source_url = info.url
            batch.entities.append(entity)
            regime = child_text(elem, "RegimeName") or ""
            if not regime:
                log.normalised(entity.id, "RegimeName", None, "no regime; listed without one")
            reason = " ".join((child_text(elem, "UKStatementofReasons") or "").split())
            batch.listings.append(
                make_listing(
                    info,
                    entity.id,
                    regime,
                    start_date=logged_date(
                        child_text(elem, "DateDesignated"),
                        log,
                        record=entity.id,
                        field="DateDesignated",
                        dayfirst=True,
                    ),
                    reason=reason or None,
                )
            )
            batch.imported += 1
            kind = COUNTED_AS.get(entity.schema, "entities")
            counts[kind] += 1
            counts["names"] += len(entity.names)
        if designations == 0:
            raise InputError(
                path,
                f"no <Designation> records in <{ROOT}>",
                record=ROOT,
                fix=_FIX,
            )
        if batch.published is None:
            log.normalised(
                None, "DateGenerated", None, "no publication date; not loaded as a complete list"
            )
        batch.complete_list = batch.published is not None
        counts["regimes"] = len({lst.program for lst in batch.listings})
        batch.extra.update(counts)
        return batch

    def _entity(self, elem: etree._Element, seen: set[str], log: QualityLog) -> EntityRecord | None:
        unique_id = child_text(elem, "UniqueID")
        if unique_id is None:
            log.reject(f"line {elem.sourceline}", "Designation without a UniqueID")
            return None
        record = f"gb-fcdo-{unique_id}"
        if unique_id in seen:
            log.reject(
                record,
                f"the same UniqueID appears twice; second designation ignored "
                f"(line {elem.sourceline})",
            )
            return None
        names = self._names(record, elem, log)
        if not names:
            log.reject(record, f"Designation without a name (line {elem.sourceline})")
            return None
        seen.add(unique_id)
        label = child_text(elem, "IndividualEntityShip") or ""
        schema = SCHEMA.get(label.casefold())
        if schema is None:
            log.normalised(
                record, "IndividualEntityShip", label or None, "unknown designation type; entity"
            )
            schema = "LegalEntity"
        entity = EntityRecord(id=record, schema=schema, names=names)
        self._details(record, elem, entity, log)
        return entity

    @staticmethod
    def _names(record: str, elem: etree._Element, log: QualityLog) -> list[NameRecord]:
        names: list[NameRecord] = []
        for node in children(elem, "Names/Name"):
            full = " ".join(p for p in (child_text(node, part) for part in NAME_PARTS) if p)
            if not full:
                continue
            label = child_text(node, "NameType") or ""
            kind = NAME_KIND.get(label.casefold())
            if kind is None:
                log.normalised(record, "NameType", label or None, f"unknown; alias ({full})")
                kind = "alias"
            if kind == "alias" and (child_text(node, "AliasStrength") or "").casefold() == "weak":
                kind = "weak"
            names.append(NameRecord(full, kind))
        for node in children(elem, "NonLatinNames/NonLatinName"):
            script = child_text(node, "NameNonLatinScript")
            if script:
                names.append(NameRecord(script, "original"))
        if not names:
            return []
        primary = next((n for n in names if n.kind == "primary"), None)
        if primary is None:
            first = next((n for n in names if n.kind != "original"), names[0])
            log.normalised(record, "NameType", first.name, "no 'Primary Name'; first name taken")
            primary = NameRecord(first.name, "primary")
        kept = [primary]
        for name in names:
            if all(k.name != name.name for k in kept):
                # a second distinct "Primary Name" is kept as an alias
                kept.append(NameRecord(name.name, "alias" if name.kind == "primary" else name.kind))
        return kept

    @staticmethod
    def _details(record: str, elem: etree._Element, entity: EntityRecord, log: QualityLog) -> None:
        props: dict[str, list[str]] = {}

        def add(prop: str, value: str | None) -> None:
            if value and value not in props.setdefault(prop, []):
                props[prop].append(value)

        for tag, prop in (("LastUpdated", "modifiedAt"), ("DateDesignated", "designatedDate")):
            day = logged_date(child_text(elem, tag), log, record=record, field=tag, dayfirst=True)
            add(prop, day.isoformat() if day else None)
        for tag, prop in SINGLE_PROPERTIES:
            add(prop, child_text(elem, tag))
        for measure in (child_text(elem, "SanctionsImposed") or "").split("|"):
            add("sanctionsImposed", " ".join(measure.split()))
        add("notes", child_text(elem, "OtherInformation"))
        for path_, prop in TEXT_PROPERTIES:
            for node in children(elem, path_):
                add(prop, _text(node))
        countries: list[tuple[str, str]] = []
        for address in children(elem, "Addresses/Address"):
            add("address", ", ".join(v for v in (child_text(address, p) for p in ADDRESS) if v))
            code = resolve_country(
                child_text(address, "AddressCountry"), log, record=record, field="AddressCountry"
            )
            if code is not None and (code, "address") not in countries:
                countries.append((code, "address"))
        for person in children(elem, "IndividualDetails/Individual"):
            births = [_text(n) for n in children(person, "DOBs/DOB")]
            for kept in possible_dates([b for b in births if b], log, record=record, field="DOB"):
                add("birthDateText", kept)
                day = parse_date(kept, dayfirst=True)
                add("birthDate", day.isoformat() if day else None)
            for node in children(person, "Nationalities/Nationality"):
                code = resolve_country(_text(node), log, record=record, field="Nationality")
                if code is not None and (code, "citizenship") not in countries:
                    countries.append((code, "citizenship"))
        for node in children(elem, "ShipDetails/Ship/IMONumbers/IMONumber"):
            ident = make_identifier("imo", _text(node), log, record=record, field="IMONumber")
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)
        for node in children(
            elem, "EntityDetails/Entity/BusinessRegistrationNumbers/BusinessRegistrationNumber"
        ):
            for line in (node.text or "").splitlines():
                line = " ".join(line.split())
                if not line:
                    continue
                labelled = _LABELLED.match(line)
                if labelled is None:
                    scheme, value, field = "regno", line, "BusinessRegistrationNumber"
                else:
                    label = labelled["label"]
                    scheme = scheme_for_label(label) or "other"
                    value, field = labelled["value"], f"BusinessRegistrationNumber/{label}"
                ident = make_identifier(scheme, value, log, record=record, field=field)
                if ident is not None and ident not in entity.identifiers:
                    entity.identifiers.append(ident)
        entity.properties = {k: v for k, v in props.items() if v}
        entity.countries = countries
