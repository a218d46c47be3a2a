"""Beneficial Ownership Data Standard 0.4 (JSON array or JSON lines of statements).

* ``recordType: entity`` → entity ``bods-<recordId>`` (``registeredEntity`` → Company,
  ``stateBody`` → PublicBody with topic ``gov.state``, other types → LegalEntity), with
  identifiers and jurisdiction.
* ``recordType: person`` → a Person. ``anonymousPerson`` and ``unknownPerson`` are kept as
  such: no name is made up; ``personType`` and any ``unspecifiedPersonDetails`` reason stay in
  the properties.
* ``recordType: relationship`` → one ownership edge per interest: ``shareholding`` → shares,
  ``votingRights`` → votes, ``appointmentOfBoard`` → board, others → other. Shares are percent
  numbers: ``exact``, or ``minimum``/``maximum`` (exclusive bounds too) as a range; outside
  0–100 % is an error that fails the whole file. ``directOrIndirect: indirect`` interests
  become kind ``indirect`` — a shortcut over the component chain (the components, flagged
  ``isComponent``, are imported as direct edges), so look-through sums do not count twice.
* An ``interestedParty`` given inline as ``{"reason": …}`` (a declared-unknown owner) becomes
  an edge from ``unspecified:<reason>:<recordId>``; the description is the edge's source.
  No placeholder person is created.

When a file holds several statements for one ``recordId`` the latest ``statementDate`` wins
(earlier ones are logged); ``recordStatus: closed`` ends the record's edges on its date.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bidvet.dates import parse_date
from bidvet.errors import InputError
from bidvet.model.quality import QualityLog
from bidvet.model.records import (
    EntityRecord,
    IdentifierRecord,
    ImportBatch,
    NameRecord,
    OwnershipRecord,
)
from bidvet.ownership.shares import Share, ShareError, parse_share
from bidvet.sources.identifiers import make_identifier
from bidvet.sources.registry import Importer, register

ENTITY_SCHEMA = {"registeredEntity": "Company", "stateBody": "PublicBody"}
INTEREST_KINDS = {
    "shareholding": "shares",
    "votingRights": "votes",
    "appointmentOfBoard": "board",
}


def _statements(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(
                    path, f"not JSON: {exc.msg}", record=f"line {n}", fix="check the export"
                ) from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise InputError(path, "expected a list of BODS statements", fix="check the file")
    return data


def _share(path: Path, where: str, raw: Any) -> Share:
    """A BODS ``share`` object (percent numbers) as fractions; out of range is an error."""
    if not isinstance(raw, dict):
        return Share.unknown()
    try:
        if raw.get("exact") is not None:
            return parse_share(raw["exact"])
        low = raw.get("minimum", raw.get("exclusiveMinimum"))
        high = raw.get("maximum", raw.get("exclusiveMaximum"))
        lo = parse_share(low).exact if low is not None else None
        hi = parse_share(high).exact if high is not None else None
    except ShareError as exc:
        raise InputError(
            path,
            f"share {json.dumps(raw)} is not a percentage: {exc}",
            record=where,
            fix="shares are percentages from 0 to 100",
        ) from exc
    if lo is not None and hi is not None and lo > hi:
        raise InputError(
            path, f"share minimum above maximum: {json.dumps(raw)}", record=where, fix="swap them"
        )
    if lo is None and hi is None:
        return Share.unknown()
    return Share(None, lo if lo is not None else 0.0, hi if hi is not None else 1.0)


@register
class BodsImporter(Importer):
    format = "bods-0.4"
    title = "Beneficial Ownership Data Standard 0.4 JSON"
    priority = 20

    def sniff(self, path: Path, head: str) -> bool:
        return '"recordType"' in head and '"recordDetails"' in head

    def read(self, path: Path, log: QualityLog) -> ImportBatch:
        statements = _statements(path)
        published: dt.date | None = None
        latest: dict[str, dict[str, Any]] = {}
        for n, st in enumerate(statements, start=1):
            version = (st.get("publicationDetails") or {}).get("bodsVersion")
            rid = st.get("recordId")
            if version is not None and not str(version).startswith("0.4"):
                raise InputError(
                    path,
                    f"BODS version {version!r}, not 0.4",
                    record=f"statement #{n}",
                    fix="convert the file to BODS 0.4",
                )
            if not rid or st.get("recordType") not in ("entity", "person", "relationship"):
                log.reject(f"statement #{n}", "no recordId or unknown recordType", value=rid)
                continue
            pub = parse_date((st.get("publicationDetails") or {}).get("publicationDate"))
            if pub is not None and (published is None or pub > published):
                published = pub
            prev = latest.get(rid)
            if prev is not None:
                older, newer = sorted((prev, st), key=lambda s: str(s.get("statementDate", "")))
                log.skipped(rid, "superseded by a later statement", value=older.get("statementId"))
                st = newer
            latest[rid] = st
        batch = ImportBatch(dataset=_dataset(statements), format=self.format, quality=log)
        batch.published = published
        counts = {"entity": 0, "person": 0, "relationship": 0, "interests": 0, "unknown": 0}
        for rid, st in latest.items():
            kind = st["recordType"]
            details = st.get("recordDetails") or {}
            if kind == "entity":
                batch.entities.append(_entity(rid, details, log))
            elif kind == "person":
                batch.entities.append(_person(rid, details))
            else:
                edges = _relationship(path, rid, st, details, log)
                batch.ownerships.extend(edges)
                counts["interests"] += sum(1 for e in edges if e.kind != "unspecified-owner")
                counts["unknown"] += sum(1 for e in edges if e.kind == "unspecified-owner")
            counts[kind] += 1
            batch.imported += 1
        batch.extra["statements"] = counts
        return batch


def _dataset(statements: list[dict[str, Any]]) -> str:
    for st in statements:
        name = ((st.get("publicationDetails") or {}).get("publisher") or {}).get("name")
        if name:
            slug = "".join(c if c.isalnum() else "-" for c in str(name).lower()).strip("-")
            return (slug if slug.startswith("bods") else f"bods-{slug}")[:120]
    return "bods"


def _entity(rid: str, d: dict[str, Any], log: QualityLog) -> EntityRecord:
    etype = (d.get("entityType") or {}).get("type", "")
    names = [NameRecord(d["name"])] if d.get("name") else []
    names += [NameRecord(a, "alias") for a in d.get("alternateNames") or [] if a]
    idents: list[IdentifierRecord] = []
    for n, i in enumerate(d.get("identifiers") or []):
        if not i.get("id"):
            continue
        scheme = "lei" if i.get("scheme") == "XI-LEI" else "registration"
        field = f"identifiers[{n}]"
        ident = make_identifier(scheme, str(i["id"]), log, record=f"bods-{rid}", field=field)
        if ident is not None:
            ident.raw = f"{i.get('scheme', '')}:{i['id']}"
            idents.append(ident)
    countries = []
    if (code := (d.get("jurisdiction") or {}).get("code")) and isinstance(code, str):
        countries.append((code.split("-")[0].lower(), "jurisdiction"))
    props: dict[str, list[str]] = {"entityType": [etype]} if etype else {}
    if d.get("isComponent"):
        props["isComponent"] = ["true"]
    return EntityRecord(
        id=f"bods-{rid}",
        schema=ENTITY_SCHEMA.get(etype, "LegalEntity"),
        names=names,
        identifiers=idents,
        countries=countries,
        topics=["gov.state"] if etype == "stateBody" else [],
        properties=props,
    )


def _person(rid: str, d: dict[str, Any]) -> EntityRecord:
    ptype = d.get("personType", "knownPerson")
    names = [
        NameRecord(n["fullName"], "primary" if i == 0 else "alias")
        for i, n in enumerate(d.get("names") or [])
        if n.get("fullName")
    ]
    props: dict[str, list[str]] = {"personType": [ptype]}
    unspecified = d.get("unspecifiedPersonDetails") or {}
    if unspecified.get("reason"):
        props["unspecifiedReason"] = [str(unspecified["reason"])]
    if unspecified.get("description"):
        props["unspecifiedDescription"] = [str(unspecified["description"])]
    countries = [
        (str(c["code"]).lower(), "nationality")
        for c in d.get("nationalities") or []
        if c.get("code")
    ]
    return EntityRecord(
        id=f"bods-{rid}", schema="Person", names=names, countries=countries, properties=props
    )


def _relationship(
    path: Path, rid: str, st: dict[str, Any], d: dict[str, Any], log: QualityLog
) -> list[OwnershipRecord]:
    subject, party = d.get("subject"), d.get("interestedParty")
    if not isinstance(subject, str) or not subject:
        raise InputError(path, "relationship has no subject recordId", record=rid, fix="add it")
    source = (st.get("source") or {}).get("description")
    closed = parse_date(st.get("statementDate")) if st.get("recordStatus") == "closed" else None
    if isinstance(party, dict):
        reason = str(party.get("reason") or "unknown")
        log.note(f"declared-unknown interested party: {reason}", record=rid)
        return [
            OwnershipRecord(
                key=f"bods:{rid}",
                owner_id=f"unspecified:{reason}:{rid}",
                asset_id=f"bods-{subject}",
                kind="unspecified-owner",
                source=party.get("description") or reason,
                end_date=closed,
            )
        ]
    if not isinstance(party, str) or not party:
        raise InputError(
            path, "relationship has no interestedParty", record=rid, fix="add a recordId or reason"
        )
    interests = d.get("interests") or []
    if not interests:
        log.note("relationship without interests: kept with unknown share", record=rid)
        interests = [{"type": "otherInfluenceOrControl"}]
    out = []
    for i, interest in enumerate(interests):
        where = f"{rid} interest #{i + 1}"
        share = _share(path, where, interest.get("share"))
        kind = INTEREST_KINDS.get(str(interest.get("type")), "other")
        if interest.get("directOrIndirect") == "indirect":
            kind = "indirect"
        note = str(interest.get("type"))
        if interest.get("beneficialOwnershipOrControl"):
            note += ", beneficial ownership or control"
        out.append(
            OwnershipRecord(
                key=f"bods:{rid}:{i}",
                owner_id=f"bods-{party}",
                asset_id=f"bods-{subject}",
                kind=kind,
                share=share.exact,
                share_min=share.min,
                share_max=share.max,
                start_date=parse_date(interest.get("startDate")),
                end_date=parse_date(interest.get("endDate")) or closed,
                source=f"BODS {note}" + (f"; {source}" if source else ""),
            )
        )
    return out
