"""EU Financial Sanctions File (FSF), full XML export (``<export xmlns=".../fpi/fsd/export">``).

Each ``sanctionEntity`` becomes an entity ``eu-fsf-<logicalId>`` and one listing on ``eu-fsf``
per ``regulation`` element: program = the regulation's ``programme`` (e.g. ``IRQ``, ``RUS``),
start date = the entry's ``designationDate`` where the file gives one, else the regulation's
publication date; source = the regulation's Official Journal URL. Entries sharing a
``logicalId`` (one subject under two programmes) are merged into one entity.

Names: the EU publishes every name alias in several languages without marking one primary; the
first strong Latin-script alias is taken as primary, other strong aliases as ``alias``, those
marked ``strong="false"`` as ``weak``, and aliases in another script (Cyrillic, Arabic, Greek …)
as ``original`` with their ``nameLanguage``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from bidvet.dates import logged_date, possible_dates
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, ImportBatch, NameRecord
from bidvet.sources.countries import is_blank, resolve_country
from bidvet.sources.identifiers import make_identifier, scheme_codes
from bidvet.sources.lists import list_registry, make_listing
from bidvet.sources.merging import merge_entity
from bidvet.sources.registry import Importer, register
from bidvet.sources.writing_systems import is_latin
from bidvet.sources.xml_reading import children, iter_elements

_ROOT = re.compile(r"<export\b[^>]*fpi/fsd/export")
SCHEMA: Mapping[str, str] = MappingProxyType({"person": "Person", "enterprise": "LegalEntity"})


@register
class EuFsfXml(Importer):
    format = "eu-fsf-xml"
    title = "EU Financial Sanctions File (XML)"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset="eu-fsf", format=self.format, quality=log, complete_list=True)
        seen: dict[str, EntityRecord] = {}
        for elem in iter_elements(path, ("sanctionEntity",)):
            if batch.published is None:
                root = elem.getroottree().getroot()
                batch.published = logged_date(
                    root.get("generationDate"), log, record="export", field="generationDate"
                )
            entity = self._entity(path, elem, log, batch)
            if entity is None:
                continue
            batch.imported += 1
            if entity.id in seen:
                merge_entity(seen[entity.id], entity)
                log.note(
                    "logicalId appears in two entries (one per programme); merged", record=entity.id
                )
                continue
            seen[entity.id] = entity
            batch.entities.append(entity)
        return batch

    def _entity(
        self, path: Path, elem: etree._Element, log: QualityLog, batch: ImportBatch
    ) -> EntityRecord | None:
        logical_id = elem.get("logicalId")
        if not logical_id:
            raise InputError(
                path,
                "sanctionEntity without logicalId",
                record=f"line {elem.sourceline}",
                fix="the file is damaged; download it again",
            )
        record = f"eu-fsf-{logical_id}"
        subject = elem.find("{*}subjectType")
        code = subject.get("code", "") if subject is not None else ""
        schema = SCHEMA.get(code)
        if schema is None:
            log.normalised(record, "subjectType", code, "unknown subject type; LegalEntity")
            schema = "LegalEntity"
        names = self._names(elem)
        if not names:
            log.reject(record, f"entry without a name (line {elem.sourceline})")
            return None
        entity = EntityRecord(id=record, schema=schema, names=names)
        for attr in ("euReferenceNumber", "unitedNationId", "designationDetails"):
            if value := (elem.get(attr) or "").strip():
                entity.properties[attr] = [value]
        remarks = [r.text.strip() for r in children(elem, "remark") if r.text and r.text.strip()]
        if remarks:
            entity.properties["remarks"] = remarks
        births = [b.get("birthdate") or b.get("year") or "" for b in children(elem, "birthdate")]
        births = [b for b in dict.fromkeys(births) if b]
        if births := possible_dates(births, log, record=record, field="birthdate"):
            entity.properties["birthDate"] = births
        countries: list[tuple[str, str]] = []
        for tag, role in (("citizenship", "citizenship"), ("address", "address")):
            for node in children(elem, tag):
                code_text = node.get("countryIso2Code")
                if is_blank(code_text):
                    code_text = node.get("countryDescription")
                found = resolve_country(code_text, log, record=record, field=tag)
                if found is not None:
                    countries.append((found, role))
        entity.countries = list(dict.fromkeys(countries))
        codes = scheme_codes("eu-fsf")
        for node in children(elem, "identification"):
            number = (node.get("number") or "").strip()
            type_code = node.get("identificationTypeCode") or "other"
            if not number:
                continue
            scheme = codes.get(type_code, "other")
            ident = make_identifier(
                scheme, number, log, record=record, field=f"identification/{type_code}"
            )
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)
        info = list_registry().get("eu-fsf")
        entity.topics = list(info.topics)
        entity.source_url = info.url
        reason = "; ".join(remarks) or None
        designated = logged_date(
            elem.get("designationDate"), log, record=record, field="designationDate"
        )
        for reg in children(elem, "regulation"):
            url = reg.findtext("{*}publicationUrl")
            published = logged_date(
                reg.get("publicationDate"), log, record=record, field="regulation/publicationDate"
            )
            batch.listings.append(
                make_listing(
                    info,
                    record,
                    (reg.get("programme") or "").strip(),
                    start_date=designated or published,
                    source_url=url.strip() if url else None,
                    reason=reason,
                )
            )
        return entity

    @staticmethod
    def _names(elem: etree._Element) -> list[NameRecord]:
        names: list[NameRecord] = []
        seen: set[str] = set()
        for alias in children(elem, "nameAlias"):
            whole = " ".join((alias.get("wholeName") or "").split())
            if not whole or whole in seen:
                continue
            seen.add(whole)
            lang = (alias.get("nameLanguage") or "").lower() or None
            if not is_latin(whole):
                kind = "original"
            elif alias.get("strong") == "false":
                kind = "weak"
            else:
                kind = "alias"
            names.append(NameRecord(whole, kind, lang))
        for name in names:
            if name.kind == "alias":
                name.kind = "primary"
                break
        else:
            if names:
                names[0].kind = "primary"
        return names
