"""GLEIF records mapped to bidvet records, whatever the file's syntax.

The Golden Copy is published as XML and as JSON (each XML element an object, its text under
``"$"`` and its attributes under ``"@name"``). Both readers wrap a record in a :class:`Node`
and call the functions here, so the same record gives the same entity id (``lei-<LEI>``), the
same names, countries and properties, and the same ownership edge (kind, key, dates, source)
from either file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Protocol

from bidvet.dates import logged_date
from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, IdentifierRecord, NameRecord, OwnershipRecord
from bidvet.sources.identifiers import make_identifier

SOURCE = "GLEIF Golden Copy"
LEI_URL = "https://search.gleif.org/#/record/{lei}"

RELATIONSHIP_KINDS = {
    "IS_DIRECTLY_CONSOLIDATED_BY": "consolidation-direct",
    "IS_ULTIMATELY_CONSOLIDATED_BY": "consolidation-ultimate",
    "IS_FUND-MANAGED_BY": "fund-management",
    "IS_SUBFUND_OF": "subfund",
    "IS_FEEDER_TO": "fund-feeder",
}


class Node(Protocol):
    """One element of a GLEIF record, found by local name (namespaces are the reader's job)."""

    def find(self, name: str) -> Node | None:
        """The first child called ``name``."""
        ...

    def iter(self, *names: str) -> Iterator[Node]:
        """Every descendant called one of ``names``, in document order."""
        ...

    def value(self) -> str | None:
        """The element's own text, stripped; None when empty."""
        ...

    def text(self, *steps: str) -> str | None:
        """The stripped text at the end of a path of child names, or None."""
        ...

    def attr(self, name: str) -> str | None: ...

    def lang(self) -> str | None:
        """The ``xml:lang`` attribute."""
        ...


def text(node: Node | None, *steps: str) -> str | None:
    return None if node is None else node.text(*steps)


def country(code: str | None) -> str | None:
    """``US-MA`` → ``us``; ``GB`` → ``gb``."""
    if not code:
        return None
    return code.split("-", 1)[0].strip().lower() or None


def _lang(node: Node | None) -> str | None:
    if node is None:
        return None
    lang = node.lang()
    return lang[:10] if lang else None


def _lei_identifier(lei: str, log: QualityLog) -> list[IdentifierRecord]:
    ident = make_identifier("lei", lei, log, record=f"lei-{lei}", field="LEI")
    return [ident] if ident is not None else []


def lei_entity(rec: Node, n: int, log: QualityLog) -> EntityRecord | None:
    """An ``LEIRecord`` as entity ``lei-<LEI>``; None (rejected in ``log``) without LEI or name."""
    lei = text(rec, "LEI")
    entity = rec.find("Entity")
    legal = text(rec, "Entity", "LegalName")
    if not lei or entity is None or not legal:
        log.reject(f"LEIRecord #{n}", "record has no LEI or no legal name", value=lei)
        return None
    lei = lei.upper()
    names = [NameRecord(legal, "primary", _lang(entity.find("LegalName")))]
    for other in entity.iter("OtherEntityName", "TransliteratedOtherEntityName"):
        if (name := other.value()) is not None:
            kind = "former" if other.attr("type") == "PREVIOUS_LEGAL_NAME" else "alias"
            names.append(NameRecord(name, kind, _lang(other)))
    countries: list[tuple[str, str]] = []
    if (cc := country(text(entity, "LegalJurisdiction"))) is not None:
        countries.append((cc, "jurisdiction"))
    for addr in ("LegalAddress", "HeadquartersAddress"):
        cc = country(text(entity, addr, "Country"))
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
        if (value := text(entity, *steps)) is not None:
            props[key] = [value]
    if (status := text(rec, "Registration", "RegistrationStatus")) is not None:
        props["leiStatus"] = [status]
    category = props.get("category", [""])[0]
    return EntityRecord(
        id=f"lei-{lei}",
        schema="LegalEntity" if category == "FUND" else "Company",
        names=names,
        identifiers=_lei_identifier(lei, log),
        countries=countries,
        properties=props,
        source_url=LEI_URL.format(lei=lei),
    )


def _period(rel: Node, log: QualityLog, where: str) -> tuple[dt.date | None, dt.date | None]:
    for period in rel.iter("RelationshipPeriod"):
        if text(period, "PeriodType") == "RELATIONSHIP_PERIOD":
            return (
                logged_date(text(period, "StartDate"), log, record=where, field="StartDate"),
                logged_date(text(period, "EndDate"), log, record=where, field="EndDate"),
            )
    return (None, None)


def relationship_edge(rec: Node, n: int, log: QualityLog) -> OwnershipRecord | None:
    """A ``RelationshipRecord`` as one edge from the parent (``EndNode``) to the child
    (``StartNode``); None (rejected in ``log``) when it cannot be one."""
    rel = rec.find("Relationship")
    where = f"RelationshipRecord #{n}"
    if rel is None:
        log.reject(where, "record has no Relationship element")
        return None
    child = text(rel, "StartNode", "NodeID")
    parent = text(rel, "EndNode", "NodeID")
    rtype = text(rel, "RelationshipType") or ""
    where = f"{where} ({child} {rtype} {parent})"
    if not child or not parent:
        log.reject(where, "relationship lacks a start or end node")
        return None
    types = {text(rel, end, "NodeIDType") for end in ("StartNode", "EndNode")}
    if types != {"LEI"}:
        log.reject(where, "node id is not an LEI", value=",".join(sorted(map(str, types))))
        return None
    kind = RELATIONSHIP_KINDS.get(rtype)
    if kind is None:
        log.note(f"relationship type {rtype!r} not known; kept as 'other'", record=where)
        kind = "other"
    start, end = _period(rel, log, where)
    status = text(rel, "RelationshipStatus")
    if status == "INACTIVE" and end is None:
        log.note("relationship is INACTIVE but has no end date", record=where)
    for q in rel.iter("RelationshipQuantifier"):
        amount = text(q, "QuantifierAmount")
        method = text(q, "MeasurementMethod")
        units = text(q, "QuantifierUnits")
        log.normalised(
            where,
            "QuantifierAmount",
            f"{amount} {units} ({method})",
            "consolidation quantifier not used as an ownership share",
        )
    reg_status = text(rec, "Registration", "RegistrationStatus")
    child, parent = child.upper(), parent.upper()
    return OwnershipRecord(
        key=f"gleif-rr:{child}:{rtype}:{parent}",
        owner_id=f"lei-{parent}",
        asset_id=f"lei-{child}",
        kind=kind,
        start_date=start,
        end_date=end,
        source=f"{SOURCE} relationship record {rtype} ({status}, {reg_status})",
        source_url=LEI_URL.format(lei=child),
    )


def exception_edge(rec: Node, n: int, log: QualityLog) -> OwnershipRecord | None:
    """A reporting exception as an edge from a declared-unknown owner, noted in ``log``."""
    lei = text(rec, "LEI")
    category = text(rec, "ExceptionCategory")
    reason = text(rec, "ExceptionReason")
    where = f"Exception #{n} ({lei})"
    if not lei or not category or not reason:
        log.reject(where, "exception lacks LEI, category or reason")
        return None
    lei = lei.upper()
    log.note(f"{category}: parent not reported ({reason})", record=f"lei-{lei}")
    return OwnershipRecord(
        key=f"gleif-repex:{lei}:{category}",
        owner_id=f"unspecified:{reason}:{category}:{lei}",
        asset_id=f"lei-{lei}",
        kind="unspecified-owner",
        source=f"{SOURCE} reporting exception: {category} not reported ({reason})",
        source_url=LEI_URL.format(lei=lei),
    )
