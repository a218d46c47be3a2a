"""OFAC list XML (``sdnList`` in the sanctionslistservice namespace): the SDN list and the
consolidated non-SDN list share one schema, so one reader serves both formats.

* ``ofac-sdn-xml`` — every entry is on the SDN list (``us-ofac-sdn``), one listing per program.
* ``ofac-consolidated-xml`` — the non-SDN lists: program ``CMIC-EO13959`` entries go to
  ``us-ofac-ns-cmic`` (with the "Listing Date (CMIC)" as start date), every other program to
  ``us-ofac-nonsdn``.

The two files look alike from their first bytes; the consolidated one is told apart by its
non-SDN programs (``NS-…``, ``CMIC-…``, ``FSE-…``, ``561-…``), which never occur on the SDN list,
or failing that by its file name. Entity ids are ``ofac-<uid>``: OFAC's uid is stable across
publications and shared by the two lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

from lxml import etree

from bidvet.dates import logged_date, possible_dates
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.sources.countries import resolve_country
from bidvet.sources.identifiers import make_identifier, ofac_entry, scheme_for_label
from bidvet.sources.lists import ListInfo, list_registry, make_listing
from bidvet.sources.registry import Importer, register
from bidvet.sources.xml_reading import child_text, children, iter_elements, local_name

NAMESPACE = "sanctionslistservice.ofac.treas.gov"
_ROOT = re.compile(r"<sdnList\b[^>]*" + re.escape(NAMESPACE))
_NON_SDN_PROGRAM = re.compile(r"<program>\s*(NS-|CMIC-|FSE-|561-)")
CMIC_PROGRAM = "CMIC-EO13959"
SCHEMA: Mapping[str, str] = MappingProxyType(
    {
        "Individual": "Person",
        "Entity": "LegalEntity",
        "Vessel": "Vessel",
        "Aircraft": "Airplane",
    }
)
AKA_KIND: Mapping[str, str] = MappingProxyType({"f.k.a.": "former"})


def looks_consolidated(path: Path, head: str) -> bool:
    """The consolidated non-SDN file: non-SDN programs in the head, else ``cons`` in its name."""
    if _NON_SDN_PROGRAM.search(head):
        return True
    name = path.name.lower()
    return "cons" in name and "sdn" not in name


class _OfacXml(Importer):
    dataset: ClassVar[str]
    consolidated: ClassVar[bool]

    def sniff(self, path: Path, head: str) -> bool:
        if not _ROOT.search(head):
            return False
        return looks_consolidated(path, head) == self.consolidated

    def _list_for(self, program: str) -> ListInfo:
        lists = list_registry()
        if not self.consolidated:
            return lists.get("us-ofac-sdn")
        return lists.get("us-ofac-ns-cmic" if program == CMIC_PROGRAM else "us-ofac-nonsdn")

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(
            dataset=self.dataset, format=self.format, quality=log, complete_list=True
        )
        declared: int | None = None
        seen: set[str] = set()
        for elem in iter_elements(path, ("publshInformation", "sdnEntry")):
            if local_name(elem) == "publshInformation":
                batch.published = logged_date(
                    child_text(elem, "Publish_Date"),
                    log,
                    record="publshInformation",
                    field="Publish_Date",
                )
                count = child_text(elem, "Record_Count")
                declared = int(count) if count and count.isdigit() else None
                continue
            entity = self._entry(path, elem, log, batch)
            if entity is None:
                continue
            if entity.id in seen:
                log.reject(entity.id, "the same uid appears twice; the second entry is ignored")
                continue
            seen.add(entity.id)
            batch.entities.append(entity)
            batch.imported += 1
        per_list: dict[str, set[str]] = {}
        for listing in batch.listings:
            per_list.setdefault(listing.list_id, set()).add(listing.entity_id)
        batch.extra["lists"] = {k: len(v) for k, v in sorted(per_list.items())}
        if declared is not None and declared != batch.imported + log.rejected:
            log.note(
                f"the file declares {declared} records but holds {batch.imported + log.rejected}"
            )
        if batch.published is None:
            log.note("no Publish_Date in publshInformation; publication date unknown")
        return batch

    def _entry(
        self, path: Path, elem: etree._Element, log: QualityLog, batch: ImportBatch
    ) -> EntityRecord | None:
        uid = child_text(elem, "uid")
        line = f"line {elem.sourceline}"
        if uid is None:
            raise InputError(
                path,
                "sdnEntry without <uid>",
                record=line,
                fix="the file is damaged; download it again",
            )
        record = f"ofac-{uid}"
        kind = child_text(elem, "sdnType") or ""
        schema = SCHEMA.get(kind)
        if schema is None:
            log.normalised(record, "sdnType", kind, "unknown sdnType; stored as LegalEntity")
            schema = "LegalEntity"
        name = _full_name(elem)
        if not name:
            log.reject(record, f"entry without a name ({line})")
            return None
        entity = EntityRecord(
            id=record,
            schema=schema,
            names=[NameRecord(name, "primary")],
            identifiers=[ofac_entry(uid)],
        )
        for aka in children(elem, "akaList/aka"):
            alias = _full_name(aka)
            if not alias:
                continue
            kind_text = child_text(aka, "type") or ""
            name_kind = AKA_KIND.get(kind_text)
            if name_kind is None:
                name_kind = "weak" if child_text(aka, "category") == "weak" else "alias"
            entity.names.append(NameRecord(alias, name_kind))
        self._countries(elem, entity, log)
        self._ids(elem, entity, log)
        for prop in ("title", "remarks"):
            if (value := child_text(elem, prop)) is not None:
                entity.properties[prop] = [value]
        births = [
            n.text.strip()
            for n in children(elem, "dateOfBirthList/dateOfBirthItem/dateOfBirth")
            if n.text and n.text.strip()
        ]
        births = possible_dates(births, log, record=record, field="dateOfBirth")
        if births:
            entity.properties["birthDate"] = births
        vessel = elem.find("{*}vesselInfo")
        if vessel is not None:
            for child in vessel:
                if child.text and child.text.strip():
                    entity.properties[local_name(child)] = [child.text.strip()]
        programs = [
            p.text.strip()
            for p in children(elem, "programList/program")
            if p.text and p.text.strip()
        ]
        if not programs:
            log.normalised(record, "programList", None, "no program given; listed without one")
            programs = [""]
        topics: dict[str, None] = {}
        cmic_dates = entity.properties.get("Listing Date (CMIC)") or []
        cmic_start = (
            logged_date(cmic_dates[0], log, record=record, field="Listing Date (CMIC)")
            if cmic_dates
            else None
        )
        for program in programs:
            info = self._list_for(program)
            topics.update(dict.fromkeys(info.topics))
            entity.source_url = entity.source_url or info.url
            batch.listings.append(
                make_listing(
                    info,
                    record,
                    program,
                    start_date=cmic_start if program == CMIC_PROGRAM else None,
                    reason=child_text(elem, "remarks"),
                )
            )
        entity.topics = list(topics)
        return entity

    @staticmethod
    def _countries(elem: etree._Element, entity: EntityRecord, log: QualityLog) -> None:
        found: list[tuple[str, str]] = []
        for role, path in (
            ("address", "addressList/address/country"),
            ("nationality", "nationalityList/nationality/country"),
            ("citizenship", "citizenshipList/citizenship/country"),
            ("other", "vesselInfo/vesselFlag"),
        ):
            for node in children(elem, path):
                code = resolve_country(node.text, log, record=entity.id, field=path)
                if code is not None:
                    found.append((code, role))
        entity.countries = list(dict.fromkeys(found))

    @staticmethod
    def _ids(elem: etree._Element, entity: EntityRecord, log: QualityLog) -> None:
        for node in children(elem, "idList/id"):
            label = child_text(node, "idType") or ""
            number = child_text(node, "idNumber")
            if number is None:
                continue
            scheme = scheme_for_label(label)
            if scheme is None:
                entity.properties.setdefault(label or "id", []).append(number)
                continue
            ident = make_identifier(scheme, number, log, record=entity.id, field=f"idList/{label}")
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)
            country = child_text(node, "idCountry")
            if country is not None:
                code = resolve_country(country, log, record=entity.id, field="idCountry")
                if code is not None and scheme in ("regno", "tax", "uscc", "lei"):
                    pair = (code, "jurisdiction")
                    if pair not in entity.countries:
                        entity.countries.append(pair)


def _full_name(elem: etree._Element) -> str:
    parts = (child_text(elem, "firstName"), child_text(elem, "lastName"))
    return " ".join(p for p in parts if p)


@register
class OfacSdnXml(_OfacXml):
    format = "ofac-sdn-xml"
    title = "OFAC SDN list (XML)"
    dataset = "us-ofac-sdn"
    consolidated = False


@register
class OfacConsolidatedXml(_OfacXml):
    format = "ofac-consolidated-xml"
    title = "OFAC consolidated non-SDN list (XML)"
    dataset = "us-ofac-consolidated"
    consolidated = True
