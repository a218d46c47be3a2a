"""Canada's Consolidated Canadian Autonomous Sanctions List (Global Affairs Canada,
``sema-lmes.xml``): listings under the Special Economic Measures Act (SEMA) and the Justice for
Victims of Corrupt Foreign Officials Act (JVCFOA).

The file is flat: ``<data-set>`` holds one ``<record>`` per listed person, entity or ship, with
``<Country>`` naming the *regime* ("Burma / Birmanie", "Russia / Russie", or the JVCFOA
regulations), not the subject's nationality; ``<Schedule>`` and ``<Item>`` number the entry in
that regime's regulations. A person has ``<LastName>``/``<GivenName>`` (and ``<Title>``,
``<DateOfBirth>``), an entity ``<Entity>``; ``<Aliases>`` holds all other names in one text
separated by commas (French forms after a ``/``).

The layout read here is the one the tested excerpt has (published 2020). Global Affairs Canada
later renamed some elements (``<EntityOrShip>``, ``<TitleOrShip>``,
``<DateOfBirthOrShipBuildDate>``, ``<DateOfListing>``, ``<ShipIMONumber>``; shown in the
published record quoted by RCG, "RCG Canadian Consolidated Sanction List Update", 2025-03-16);
they are read as the same fields. Any other element is logged, never silently dropped.

The file states no publication date, so it is not loaded as a complete list (the order of two
files cannot be told from their content; see the CSL importer for the same rule): entries are
added or confirmed, never delisted.

Entity ids are ``ca-sema-<regime>-<schedule>-<item>``; a second record with the same numbers
is rejected and logged.
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
from bidvet.sources.countries import country_code
from bidvet.sources.identifiers import make_identifier
from bidvet.sources.lists import list_registry, make_listing
from bidvet.sources.registry import Importer, register
from bidvet.sources.xml_reading import iter_elements, local_name

LIST_ID = "ca-sema"
_ROOT = re.compile(r"<data-set\b[^>]*>\s*<record>\s*<Country>")
_SLUG = re.compile(r"[^a-z0-9]+")
_ALIAS_SPLIT = re.compile(r"\s*[,/;]\s*")
#: an entity named in English and French ("General Intelligence Directorate/Service du
#: renseignement général"); a "/" inside parentheses ("Hmaw Bi/Pyi/Ywama") is part of the name
_BILINGUAL = re.compile(r"\s*/\s*(?![^()]*\))")
#: element → field; the later element names are the same fields renamed
FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "Country": "regime",
        "LastName": "last",
        "GivenName": "given",
        "Entity": "entity",
        "EntityOrShip": "entity",
        "Title": "title",
        "TitleOrShip": "title",
        "Aliases": "aliases",
        "DateOfBirth": "birth",
        "DateOfBirthOrShipBuildDate": "birth",
        "Schedule": "schedule",
        "Item": "item",
        "DateOfListing": "listed",
        "ShipIMONumber": "imo",
    }
)


def english(text: str) -> str:
    """The English half of a bilingual "English / French" value."""
    return " ".join(text.split(" / ", 1)[0].split())


@register
class CaSemaXml(Importer):
    format = "ca-sema-xml"
    title = "Canada Consolidated Autonomous Sanctions List (SEMA/JVCFOA, XML)"

    def sniff(self, path: Path, head: str) -> bool:
        return bool(_ROOT.search(head))

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(dataset=LIST_ID, format=self.format, quality=log, complete_list=False)
        seen: set[str] = set()
        unknown: set[str] = set()
        counts = {"individuals": 0, "entities": 0}
        for elem in iter_elements(path, ("record",)):
            root = elem.getroottree().getroot()
            if local_name(root) != "data-set":
                raise InputError(
                    path,
                    f"root element is <{local_name(root)}>, not <data-set>",
                    record=f"line {root.sourceline}",
                    fix="use sema-lmes.xml as published by Global Affairs Canada",
                )
            entity = self._record(elem, log, batch, seen, unknown)
            if entity is None:
                continue
            batch.entities.append(entity)
            batch.imported += 1
            counts["individuals" if entity.schema == "Person" else "entities"] += 1
        batch.extra.update(counts)
        if unknown:
            batch.extra["unread_elements"] = sorted(unknown)
        return batch

    def _record(
        self,
        elem: etree._Element,
        log: QualityLog,
        batch: ImportBatch,
        seen: set[str],
        unknown: set[str],
    ) -> EntityRecord | None:
        line = f"line {elem.sourceline}"
        values: dict[str, str] = {}
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            tag = local_name(child)
            text = " ".join((child.text or "").split())
            field = FIELDS.get(tag)
            if field is None:
                if text:
                    log.normalised(line, tag, text, "element not known to this importer; not read")
                    unknown.add(tag)
                continue
            if text:
                values[field] = text
        regime = english(values.get("regime", ""))
        schedule, item = values.get("schedule", ""), values.get("item", "")
        if not regime or not item:
            log.reject(line, "record without <Country> (regime) or <Item>")
            return None
        record = "ca-sema-" + "-".join(
            _SLUG.sub("-", part.casefold()).strip("-")
            for part in (regime, schedule if schedule not in ("", "N/A") else "na", item)
        )
        person_name = " ".join(p for p in (values.get("given"), values.get("last")) if p)
        entity_names = [n for n in _BILINGUAL.split(values.get("entity", "")) if n]
        name = entity_names[0] if entity_names else person_name
        if not name:
            log.reject(record, f"record without a name ({line})")
            return None
        if record in seen:
            log.reject(record, f"regime, schedule and item appear twice ({line}); not imported")
            return None
        seen.add(record)
        person = "entity" not in values
        imo = values.get("imo")
        entity = EntityRecord(
            id=record,
            schema="Person" if person else ("Vessel" if imo else "LegalEntity"),
            names=[NameRecord(name, "primary")],
        )
        aliases = entity_names[1:] + _ALIAS_SPLIT.split(values.get("aliases", ""))
        for alias in (a.strip("() ") for a in aliases):
            if len(alias) > 1 and alias != name:
                entity.names.append(NameRecord(alias, "alias"))
        if title := values.get("title"):
            entity.properties["title"] = [title]
        if birth := values.get("birth"):
            kept = possible_dates([birth], log, record=record, field="DateOfBirth")
            if kept:
                entity.properties["birthDate" if person else "buildDate"] = kept
        if imo:
            ident = make_identifier("imo", imo, log, record=record, field="ShipIMONumber")
            if ident is not None:
                entity.identifiers.append(ident)
        code = country_code(regime)
        if code is not None:  # a regime named after a country; the JVCFOA regime is not one
            entity.countries = [(code, "other")]
        info = list_registry().get(LIST_ID)
        entity.topics = list(info.topics)
        entity.source_url = info.url
        program = regime if not schedule or schedule == "N/A" else f"{regime}, Schedule {schedule}"
        batch.listings.append(
            make_listing(
                info,
                record,
                program,
                start_date=logged_date(
                    values.get("listed"), log, record=record, field="DateOfListing"
                ),
            )
        )
        return entity
