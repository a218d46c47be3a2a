"""GLEIF Golden Copy XML: LEI-CDF 3.1 entities, RR-CDF 2.1 relationships, reporting exceptions.

* ``gleif-lei`` — each ``LEIRecord`` becomes entity ``lei-<LEI>`` with the LEI as identifier,
  legal and other names, legal jurisdiction (``US-MA`` → ``us``) and address countries.
* ``gleif-rr`` — each ``RelationshipRecord`` becomes one ownership edge from the parent
  (``EndNode``) to the child (``StartNode``). ``IS_DIRECTLY_CONSOLIDATED_BY`` gives kind
  ``consolidation-direct`` and ``IS_ULTIMATELY_CONSOLIDATED_BY`` ``consolidation-ultimate``
  (kept apart: the ultimate edge skips the layers in between); fund relations are kept as
  ``fund-management`` / ``subfund`` / ``fund-feeder``, which the ownership algorithms do not
  walk. Dates come from the ``RELATIONSHIP_PERIOD``. Accounting consolidation says control,
  not a share, so shares stay unknown; a consolidation percentage is noted in the quality log.
* ``gleif-repex`` — each reporting exception (an entity declaring why it reports no parent)
  becomes an edge from a declared-unknown owner ``unspecified:<REASON>:<category>:<LEI>`` so
  reports show it, and a note in the quality log.

GLEIF data is CC0. The files are read with lxml's iterparse, so full Golden Copy files stream.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from bidvet.dates import logged_date
from bidvet.model.quality import QualityLog
from bidvet.model.records import (
    EntityRecord,
    IdentifierRecord,
    ImportBatch,
    NameRecord,
    OwnershipRecord,
)
from bidvet.sources.identifiers import make_identifier
from bidvet.sources.registry import Importer, register
from bidvet.sources.xml_reading import iter_elements

LEI_NS = "http://www.gleif.org/data/schema/leidata/2016"
RR_NS = "http://www.gleif.org/data/schema/rr/2016"
REPEX_NS = "http://www.gleif.org/data/schema/repex/2016"
SOURCE = "GLEIF Golden Copy"
LEI_URL = "https://search.gleif.org/#/record/{lei}"

RELATIONSHIP_KINDS = {
    "IS_DIRECTLY_CONSOLIDATED_BY": "consolidation-direct",
    "IS_ULTIMATELY_CONSOLIDATED_BY": "consolidation-ultimate",
    "IS_FUND-MANAGED_BY": "fund-management",
    "IS_SUBFUND_OF": "subfund",
    "IS_FEEDER_TO": "fund-feeder",
}


def _records(path: Path, ns: str, tag: str) -> Iterator[etree._Element]:
    """Stream the ``{ns}tag`` elements of a file, freeing each after use (entities are not
    resolved, nothing is fetched; a syntax error is an InputError naming the line)."""
    for elem in iter_elements(path, (tag,)):
        if elem.tag == f"{{{ns}}}{tag}":
            yield elem


def _text(elem: etree._Element, ns: str, *steps: str) -> str | None:
    node: etree._Element | None = elem
    for step in steps:
        if node is None:
            return None
        node = node.find(f"{{{ns}}}{step}")
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def _content_date(path: Path, log: QualityLog) -> dt.date | None:
    with path.open("rb") as fh:
        head = fh.read(4096).decode("utf-8", errors="replace")
    start = head.find("ContentDate>")
    if start < 0:
        return None
    text = head[start + len("ContentDate>") : start + len("ContentDate>") + 10]
    return logged_date(text, log, record="Header", field="ContentDate")


def _country(code: str | None) -> str | None:
    """``US-MA`` → ``us``; ``GB`` → ``gb``."""
    if not code:
        return None
    return code.split("-", 1)[0].strip().lower() or None


@register
class GleifLeiImporter(Importer):
    format = "gleif-lei"
    title = "GLEIF LEI-CDF 3.1 XML"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return LEI_NS in head and "LEIData" in head

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(
            dataset="gleif-lei",
            format=self.format,
            quality=log,
            published=_content_date(path, log),
        )
        for n, rec in enumerate(_records(path, LEI_NS, "LEIRecord"), start=1):
            lei = _text(rec, LEI_NS, "LEI")
            entity = rec.find(f"{{{LEI_NS}}}Entity")
            legal = _text(rec, LEI_NS, "Entity", "LegalName")
            if not lei or entity is None or not legal:
                log.reject(f"LEIRecord #{n}", "record has no LEI or no legal name", value=lei)
                continue
            lei = lei.upper()
            names = [NameRecord(legal, "primary", _lang(entity.find(f"{{{LEI_NS}}}LegalName")))]
            for other in entity.iter(
                f"{{{LEI_NS}}}OtherEntityName", f"{{{LEI_NS}}}TransliteratedOtherEntityName"
            ):
                if other.text and other.text.strip():
                    kind = "former" if other.get("type") == "PREVIOUS_LEGAL_NAME" else "alias"
                    names.append(NameRecord(other.text.strip(), kind, _lang(other)))
            countries: list[tuple[str, str]] = []
            jurisdiction = _text(entity, LEI_NS, "LegalJurisdiction")
            if (cc := _country(jurisdiction)) is not None:
                countries.append((cc, "jurisdiction"))
            for addr in ("LegalAddress", "HeadquartersAddress"):
                cc = _country(_text(entity, LEI_NS, addr, "Country"))
                if cc is not None and (cc, "address") not in countries:
                    countries.append((cc, "address"))
            props: dict[str, list[str]] = {}
            for key, steps in (
                ("jurisdiction", ("LegalJurisdiction",)),
                ("category", ("EntityCategory",)),
                ("status", ("EntityStatus",)),
                ("legalForm", ("LegalForm", "EntityLegalFormCode")),
                ("registrationNumber", ("RegistrationAuthority", "RegistrationAuthorityEntityID")),
            ):
                if (value := _text(entity, LEI_NS, *steps)) is not None:
                    props[key] = [value]
            if (status := _text(rec, LEI_NS, "Registration", "RegistrationStatus")) is not None:
                props["leiStatus"] = [status]
            category = props.get("category", [""])[0]
            batch.entities.append(
                EntityRecord(
                    id=f"lei-{lei}",
                    schema="LegalEntity" if category == "FUND" else "Company",
                    names=names,
                    identifiers=_lei_identifier(lei, log),
                    countries=countries,
                    properties=props,
                    source_url=LEI_URL.format(lei=lei),
                )
            )
            batch.imported += 1
        return batch


def _lei_identifier(lei: str, log: QualityLog) -> list[IdentifierRecord]:
    ident = make_identifier("lei", lei, log, record=f"lei-{lei}", field="LEI")
    return [ident] if ident is not None else []


def _lang(elem: etree._Element | None) -> str | None:
    if elem is None:
        return None
    lang = elem.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang[:10] if lang else None


def _period(
    rel: etree._Element, log: QualityLog, where: str
) -> tuple[dt.date | None, dt.date | None]:
    for period in rel.iter(f"{{{RR_NS}}}RelationshipPeriod"):
        if _text(period, RR_NS, "PeriodType") == "RELATIONSHIP_PERIOD":
            return (
                logged_date(
                    _text(period, RR_NS, "StartDate"), log, record=where, field="StartDate"
                ),
                logged_date(_text(period, RR_NS, "EndDate"), log, record=where, field="EndDate"),
            )
    return (None, None)


@register
class GleifRelationshipImporter(Importer):
    format = "gleif-rr"
    title = "GLEIF RR-CDF 2.1 relationship XML"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return RR_NS in head and "RelationshipData" in head

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        published = _content_date(path, log)
        batch = ImportBatch(
            dataset="gleif-rr", format=self.format, quality=log, published=published
        )
        counts: dict[str, int] = {}
        for n, rec in enumerate(_records(path, RR_NS, "RelationshipRecord"), start=1):
            rel = rec.find(f"{{{RR_NS}}}Relationship")
            where = f"RelationshipRecord #{n}"
            if rel is None:
                log.reject(where, "record has no Relationship element")
                continue
            child = _text(rel, RR_NS, "StartNode", "NodeID")
            parent = _text(rel, RR_NS, "EndNode", "NodeID")
            rtype = _text(rel, RR_NS, "RelationshipType") or ""
            where = f"{where} ({child} {rtype} {parent})"
            if not child or not parent:
                log.reject(where, "relationship lacks a start or end node")
                continue
            types = {_text(rel, RR_NS, n_, "NodeIDType") for n_ in ("StartNode", "EndNode")}
            if types != {"LEI"}:
                log.reject(where, "node id is not an LEI", value=",".join(sorted(map(str, types))))
                continue
            kind = RELATIONSHIP_KINDS.get(rtype)
            if kind is None:
                log.note(f"relationship type {rtype!r} not known; kept as 'other'", record=where)
                kind = "other"
            start, end = _period(rel, log, where)
            status = _text(rel, RR_NS, "RelationshipStatus")
            if status == "INACTIVE" and end is None:
                log.note("relationship is INACTIVE but has no end date", record=where)
            for q in rel.iter(f"{{{RR_NS}}}RelationshipQuantifier"):
                amount = _text(q, RR_NS, "QuantifierAmount")
                method = _text(q, RR_NS, "MeasurementMethod")
                units = _text(q, RR_NS, "QuantifierUnits")
                log.normalised(
                    where,
                    "QuantifierAmount",
                    f"{amount} {units} ({method})",
                    "consolidation quantifier not used as an ownership share",
                )
            reg_status = _text(rec, RR_NS, "Registration", "RegistrationStatus")
            child, parent = child.upper(), parent.upper()
            batch.ownerships.append(
                OwnershipRecord(
                    key=f"gleif-rr:{child}:{rtype}:{parent}",
                    owner_id=f"lei-{parent}",
                    asset_id=f"lei-{child}",
                    kind=kind,
                    start_date=start,
                    end_date=end,
                    source=f"{SOURCE} relationship record {rtype} ({status}, {reg_status})",
                    source_url=LEI_URL.format(lei=child),
                )
            )
            counts[kind] = counts.get(kind, 0) + 1
            batch.imported += 1
        batch.extra["relationships"] = dict(sorted(counts.items()))
        return batch


@register
class GleifExceptionImporter(Importer):
    format = "gleif-repex"
    title = "GLEIF reporting exceptions XML"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return REPEX_NS in head and "ReportingExceptionData" in head

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        batch = ImportBatch(
            dataset="gleif-repex",
            format=self.format,
            quality=log,
            published=_content_date(path, log),
        )
        for n, rec in enumerate(_records(path, REPEX_NS, "Exception"), start=1):
            lei = _text(rec, REPEX_NS, "LEI")
            category = _text(rec, REPEX_NS, "ExceptionCategory")
            reason = _text(rec, REPEX_NS, "ExceptionReason")
            where = f"Exception #{n} ({lei})"
            if not lei or not category or not reason:
                log.reject(where, "exception lacks LEI, category or reason")
                continue
            lei = lei.upper()
            log.note(f"{category}: parent not reported ({reason})", record=f"lei-{lei}")
            batch.ownerships.append(
                OwnershipRecord(
                    key=f"gleif-repex:{lei}:{category}",
                    owner_id=f"unspecified:{reason}:{category}:{lei}",
                    asset_id=f"lei-{lei}",
                    kind="unspecified-owner",
                    source=f"{SOURCE} reporting exception: {category} not reported ({reason})",
                    source_url=LEI_URL.format(lei=lei),
                )
            )
            batch.imported += 1
        return batch
