"""UN Security Council Consolidated List XML (``<CONSOLIDATED_LIST dateGenerated=…>``).

``INDIVIDUAL`` → Person, ``ENTITY`` → LegalEntity, id ``un-<DATAID>``. One listing on ``un-sc``
per entry: program = ``UN_LIST_TYPE`` (``Al-Qaida``, ``DPRK``, ``Taliban`` …), start date =
``LISTED_ON``, reason = ``COMMENTS1``. Aliases of quality ``Good``/``a.k.a.`` are aliases,
``Low`` are weak, ``f.k.a.`` former names; ``NAME_ORIGINAL_SCRIPT`` is the original-script name
(the list does not say which language it is in).
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
from bidvet.sources.countries import resolve_country
from bidvet.sources.identifiers import make_identifier, scheme_for_label
from bidvet.sources.lists import list_registry, make_listing
from bidvet.sources.registry import Importer, register
from bidvet.sources.xml_reading import child_text, children, iter_elements, local_name

_ROOT = re.compile(r"<CONSOLIDATED_LIST\b[^>]*dateGenerated")
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ALIAS_KIND: Mapping[str, str] = MappingProxyType(
    {"good": "alias", "a.k.a.": "alias", "low": "weak", "f.k.a.": "former"}
)


@register
class UnScXml(Importer):
    format = "un-sc-xml"
    title = "UN Security Council consolidated list (XML)"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset="un-sc", format=self.format, quality=log, complete_list=True)
        counts = {"individuals": 0, "entities": 0}
        seen: set[str] = set()
        for elem in iter_elements(path, ("INDIVIDUAL", "ENTITY")):
            if batch.published is None:
                root = elem.getroottree().getroot()
                batch.published = logged_date(
                    root.get("dateGenerated"),
                    log,
                    record="CONSOLIDATED_LIST",
                    field="dateGenerated",
                )
            entity = self._entity(path, elem, log, batch)
            if entity is None:
                continue
            if entity.id in seen:
                log.reject(entity.id, "the same DATAID appears twice; second entry ignored")
                continue
            seen.add(entity.id)
            batch.entities.append(entity)
            batch.imported += 1
            counts["individuals" if entity.schema == "Person" else "entities"] += 1
        batch.extra.update(counts)
        return batch

    def _entity(
        self, path: Path, elem: etree._Element, log: QualityLog, batch: ImportBatch
    ) -> EntityRecord | None:
        data_id = child_text(elem, "DATAID")
        if data_id is None:
            raise InputError(
                path,
                f"{local_name(elem)} without DATAID",
                record=f"line {elem.sourceline}",
                fix="the file is damaged; download it again",
            )
        record = f"un-{data_id}"
        person = local_name(elem) == "INDIVIDUAL"
        name = " ".join(p for p in (child_text(elem, part) for part in NAME_PARTS) if p)
        if not name:
            log.reject(record, f"entry without a name (line {elem.sourceline})")
            return None
        entity = EntityRecord(
            id=record,
            schema="Person" if person else "LegalEntity",
            names=[NameRecord(name, "primary")],
        )
        if original := child_text(elem, "NAME_ORIGINAL_SCRIPT"):
            entity.names.append(NameRecord(original, "original"))
        alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
        for alias in children(elem, alias_tag):
            alias_name = child_text(alias, "ALIAS_NAME")
            if not alias_name:
                continue
            quality = (child_text(alias, "QUALITY") or "").lower()
            kind = ALIAS_KIND.get(quality)
            if kind is None:
                log.normalised(record, "QUALITY", quality, "unknown alias quality; kept as alias")
                kind = "alias"
            entity.names.append(NameRecord(alias_name, kind))
        births = [
            child_text(dob, "DATE") or child_text(dob, "YEAR") or ""
            for dob in children(elem, "INDIVIDUAL_DATE_OF_BIRTH")
        ]
        births = [b for b in dict.fromkeys(births) if b]
        if births := possible_dates(births, log, record=record, field="DATE_OF_BIRTH"):
            entity.properties["birthDate"] = births
        ref = child_text(elem, "REFERENCE_NUMBER")
        if ref:
            entity.properties["unReferenceNumber"] = [ref]
        countries: list[tuple[str, str]] = []
        for path_, role in (
            ("NATIONALITY/VALUE", "nationality"),
            ("INDIVIDUAL_ADDRESS/COUNTRY", "address"),
            ("ENTITY_ADDRESS/COUNTRY", "address"),
        ):
            for node in children(elem, path_):
                code = resolve_country(node.text, log, record=record, field=path_)
                if code is not None:
                    countries.append((code, role))
        entity.countries = list(dict.fromkeys(countries))
        for doc in children(elem, "INDIVIDUAL_DOCUMENT"):
            number = child_text(doc, "NUMBER")
            label = " ".join((child_text(doc, "TYPE_OF_DOCUMENT") or "").split())
            if not number:
                continue
            scheme = scheme_for_label(label) or "other"
            ident = make_identifier(
                scheme, number, log, record=record, field=f"INDIVIDUAL_DOCUMENT/{label}"
            )
            if ident is not None and ident not in entity.identifiers:
                entity.identifiers.append(ident)
        info = list_registry().get("un-sc")
        entity.topics = list(info.topics)
        entity.source_url = info.url
        comments = " ".join((child_text(elem, "COMMENTS1") or "").split()) or None
        batch.listings.append(
            make_listing(
                info,
                record,
                child_text(elem, "UN_LIST_TYPE") or "",
                start_date=logged_date(
                    child_text(elem, "LISTED_ON"), log, record=record, field="LISTED_ON"
                ),
                reason=comments,
            )
        )
        return entity
