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
(earlier ones are logged); ``recordStatus: closed`` ends the record's edges on its date. A
``statementId`` repeated with identical content is read once (noted); one that labels two
different statements rejects the records involved (logged), as neither can be trusted.
Dates that are not dates are logged and not kept.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bidvet.dates import logged_date, parse_date, possible_dates
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
from bidvet.text_input import load_json, read_utf8

ENTITY_SCHEMA = {"registeredEntity": "Company", "stateBody": "PublicBody"}
INTEREST_KINDS = {
    "shareholding": "shares",
    "votingRights": "votes",
    "appointmentOfBoard": "board",
}


def _statements(path: Path) -> list[dict[str, Any]]:
    """The statements of a JSON array (or one object) or of JSON lines."""
    text = read_utf8(path)
    data: Any
    try:
        data = load_json(path, text)
    except InputError:
        lines = text.split("\n")
        if len([line for line in lines if line.strip()]) < 2:
            raise
        data = [
            load_json(path, line, record=f"line {n}")
            for n, line in enumerate(lines, start=1)
            if line.strip()
        ]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise InputError(
            path,
            "expected a list of BODS statements (JSON objects)",
            fix="give a BODS 0.4 JSON array or JSON lines file",
        )
    return data


def _obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (the schema wants an object)."""
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[dict[str, Any]]:
    """The objects in ``value`` when it is a JSON array."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _str(value: Any) -> str:
    """A JSON string or number as text; anything else (objects, arrays, booleans) is empty."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def _unique_statements(
    statements: list[dict[str, Any]], log: QualityLog
) -> tuple[list[tuple[int, dict[str, Any]]], set[str]]:
    """Statements with identical repeats dropped (noted once per statementId), and the
    recordIds of statements whose statementId also labels a *different* statement.

    BODS statements are immutable and their ids unique, so two different statements under
    one id cannot both be right and neither can be preferred: every record they belong to is
    rejected. The rest of the file is independent of them and still loads.
    """
    first: dict[str, dict[str, Any]] = {}
    repeats: dict[str, int] = {}
    conflicting: dict[str, set[str]] = {}
    kept: list[tuple[int, dict[str, Any]]] = []
    for n, st in enumerate(statements, start=1):
        sid = _str(st.get("statementId"))
        if sid and sid in first:
            if st == first[sid]:
                repeats[sid] = repeats.get(sid, 0) + 1
                continue
            rids = {_str(first[sid].get("recordId")), _str(st.get("recordId"))}
            conflicting.setdefault(sid, set()).update(r for r in rids if r)
        elif sid:
            first[sid] = st
        kept.append((n, st))
    for sid, count in repeats.items():
        log.note(
            f"statementId {sid} appears {count + 1} times with identical content; read once",
            record=sid,
        )
    bad: set[str] = set()
    for sid, rids in conflicting.items():
        for rid in sorted(rids):
            log.reject(
                rid,
                f"statementId {sid} labels two different statements; record not imported",
                field="statementId",
                value=sid,
            )
        bad |= rids
    return kept, bad


def _share(path: Path, where: str, raw: Any) -> Share:
    """A BODS ``share`` object (percent numbers) as fractions; out of range is an error."""
    if not isinstance(raw, dict):
        return Share.unknown()
    for key in ("exact", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InputError(
                path,
                f"share {key} {json.dumps(value)[:80]} is not a number",
                record=where,
                fix="shares are percentages from 0 to 100, written as numbers",
            )
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
        unique, conflicting = _unique_statements(statements, log)
        for n, st in unique:
            details = _obj(st.get("publicationDetails"))
            version = details.get("bodsVersion")
            rid = _str(st.get("recordId"))
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
            if rid in conflicting:
                continue
            pub = logged_date(
                details.get("publicationDate"),
                log,
                record=f"statement #{n} ({rid})",
                field="publicationDetails.publicationDate",
            )
            if pub is not None and (published is None or pub > published):
                published = pub
            logged_date(
                st.get("statementDate"),
                log,
                record=f"statement #{n} ({rid})",
                field="statementDate",
            )
            prev = latest.get(rid)
            if prev is not None:
                older, newer = sorted((prev, st), key=lambda s: _str(s.get("statementDate")))
                log.skipped(
                    rid, "superseded by a later statement", value=_str(older.get("statementId"))
                )
                st = newer
            latest[rid] = st
        batch = ImportBatch(dataset=_dataset(statements), format=self.format, quality=log)
        batch.published = published
        counts = {"entity": 0, "person": 0, "relationship": 0, "interests": 0, "unknown": 0}
        for rid, st in latest.items():
            kind = st["recordType"]
            details = _obj(st.get("recordDetails"))
            if kind == "entity":
                batch.entities.append(_entity(rid, details, log))
            elif kind == "person":
                batch.entities.append(_person(rid, details, log))
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
        name = _str(_obj(_obj(st.get("publicationDetails")).get("publisher")).get("name"))
        if name:
            slug = "".join(c if c.isalnum() else "-" for c in str(name).lower()).strip("-")
            return (slug if slug.startswith("bods") else f"bods-{slug}")[:120]
    return "bods"


def _entity(rid: str, d: dict[str, Any], log: QualityLog) -> EntityRecord:
    etype = _str(_obj(d.get("entityType")).get("type"))
    names = [NameRecord(name)] if (name := _str(d.get("name"))) else []
    raw_alternates = d.get("alternateNames")
    alternates: list[Any] = raw_alternates if isinstance(raw_alternates, list) else []
    names += [NameRecord(a, "alias") for a in map(_str, alternates) if a]
    idents: list[IdentifierRecord] = []
    for n, i in enumerate(_items(d.get("identifiers"))):
        if not (number := _str(i.get("id"))):
            continue
        scheme = "lei" if i.get("scheme") == "XI-LEI" else "registration"
        field = f"identifiers[{n}]"
        ident = make_identifier(scheme, number, log, record=f"bods-{rid}", field=field)
        if ident is not None:
            ident.raw = f"{_str(i.get('scheme'))}:{number}"
            idents.append(ident)
    countries = []
    if (code := _obj(d.get("jurisdiction")).get("code")) and isinstance(code, str):
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


def _person(rid: str, d: dict[str, Any], log: QualityLog) -> EntityRecord:
    ptype = _str(d.get("personType")) or "knownPerson"
    full_names = [_str(n.get("fullName")) for n in _items(d.get("names"))]
    names = [
        NameRecord(name, "primary" if i == 0 else "alias")
        for i, name in enumerate(n for n in full_names if n)
    ]
    props: dict[str, list[str]] = {"personType": [ptype]}
    unspecified = _obj(d.get("unspecifiedPersonDetails"))
    if reason := _str(unspecified.get("reason")):
        props["unspecifiedReason"] = [reason]
    if description := _str(unspecified.get("description")):
        props["unspecifiedDescription"] = [description]
    if births := possible_dates(
        [b] if (b := _str(d.get("birthDate"))) else [], log, record=f"bods-{rid}", field="birthDate"
    ):
        props["birthDate"] = births
    countries = [
        (code.lower(), "nationality")
        for c in _items(d.get("nationalities"))
        if (code := _str(c.get("code")))
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
    source = _str(_obj(st.get("source")).get("description")) or None
    closed = (
        parse_date(_str(st.get("statementDate"))) if st.get("recordStatus") == "closed" else None
    )
    if isinstance(party, dict):
        reason = _str(party.get("reason")) or "unknown"
        log.note(f"declared-unknown interested party: {reason}", record=rid)
        return [
            OwnershipRecord(
                key=f"bods:{rid}",
                owner_id=f"unspecified:{reason}:{rid}",
                asset_id=f"bods-{subject}",
                kind="unspecified-owner",
                source=_str(party.get("description")) or reason,
                end_date=closed,
            )
        ]
    if not isinstance(party, str) or not party:
        raise InputError(
            path, "relationship has no interestedParty", record=rid, fix="add a recordId or reason"
        )
    interests = _items(d.get("interests"))
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
                start_date=logged_date(
                    interest.get("startDate"), log, record=where, field="startDate"
                ),
                end_date=logged_date(interest.get("endDate"), log, record=where, field="endDate")
                or closed,
                source=f"BODS {note}" + (f"; {source}" if source else ""),
            )
        )
    return out
