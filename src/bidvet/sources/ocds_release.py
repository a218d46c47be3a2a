"""One compiled OCDS release → a :class:`ProcessRecord`, and the checks that refuse bad ones.

Handles OCDS 1.1 (``parties`` with roles, organisations referenced by ``id``) and 1.0
(organisations embedded in ``buyer``, ``awards.suppliers``, ``tender.tenderers``; a single
``amendment`` object instead of an ``amendments`` array), and the bids extension
(``bids.details``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bidvet.model.contracts import (
    AwardRecord,
    BidRecord,
    ContractRecord,
    ItemRecord,
    Money,
    PartyRecord,
    ProcessRecord,
)
from bidvet.model.quality import QualityLog

_DATE_KEY = re.compile(r"^date|Date$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


#: Fields publishers put on a release that are not part of the OCDS release schema: package
#: metadata copied onto each release when re-packaging, and validator output. They are dropped
#: before releases are compared or merged.
NOT_RELEASE_FIELDS = frozenset(
    {
        "packageInfo",
        "validationErrors",
        "version",
        "uri",
        "publishedDate",
        "publisher",
        "license",
        "publicationPolicy",
        "extensions",
    }
)
#: The deepest nesting of objects and arrays accepted in a release. The OCDS 1.1 release schema
#: nests about eight levels (``contracts[].implementation.transactions[].payer.identifier``);
#: extensions add a few. Anything deeper is refused as a record, never merged.
MAX_DEPTH = 64


class ReleaseProblem(ValueError):
    """A release cannot be imported; the message is the reason shown in the quality log."""


def parse_ocds_date(value: str) -> dt.date:
    """The date part of an OCDS date-time; :class:`ReleaseProblem` when it is not one."""
    text = value.strip()
    if not _ISO_DATE.match(text):
        raise ReleaseProblem(f"bad date {value!r} (OCDS dates are ISO 8601, e.g. 2020-12-18)")
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ReleaseProblem(f"bad date {value!r}: {exc}") from exc


def check_release(release: dict[str, Any]) -> None:
    """Refuse a release with unparseable dates or amounts without a currency.

    Walks the whole release: every ``date``/``…Date`` field that is set must be an ISO date,
    every object with an ``amount`` must be a number with a ``currency``; nothing may nest
    deeper than :data:`MAX_DEPTH` levels (checked first, without recursion).
    """
    _check_depth(release)
    _check(release, "")


def _check_depth(node: Any) -> None:
    stack: list[tuple[Any, int]] = [(node, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ReleaseProblem(
                f"nested more than {MAX_DEPTH} levels deep; not an OCDS release structure"
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))


def _check(node: Any, path: str) -> None:
    if isinstance(node, dict):
        if "amount" in node and node["amount"] is not None and not isinstance(node["amount"], dict):
            amount = node["amount"]
            if isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
                raise ReleaseProblem(f"{path}.amount is not a number: {amount!r}")
            if isinstance(amount, str):
                try:
                    float(amount.replace(",", ""))
                except ValueError as exc:
                    raise ReleaseProblem(f"{path}.amount is not a number: {amount!r}") from exc
            if not str(node.get("currency") or "").strip():
                raise ReleaseProblem(f"{path} has amount {amount} without a currency")
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if isinstance(value, str) and _DATE_KEY.search(key) and value.strip():
                try:
                    parse_ocds_date(value)
                except ReleaseProblem as exc:
                    raise ReleaseProblem(f"{where}: {exc}") from exc
            else:
                _check(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check(value, f"{path}[{i}]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # identifiers and codes published as JSON numbers
    text = " ".join(str(value).split())
    return text or None


def _date(value: Any) -> dt.date | None:
    return parse_ocds_date(value) if isinstance(value, str) and value.strip() else None


def _money(node: Any, record: str, field: str, log: QualityLog) -> Money | None:
    if not isinstance(node, dict) or node.get("amount") is None:
        return None
    amount = node["amount"]
    if isinstance(amount, str):
        log.normalised(record, field, amount, "amount given as text; read as a number")
        amount = amount.replace(",", "")
    return Money(float(amount), str(node["currency"]).strip().upper())


def _org_id(org: dict[str, Any]) -> str:
    if org.get("id") not in (None, ""):
        return str(org["id"])
    ident = org.get("identifier") or {}
    if isinstance(ident, dict) and ident.get("id"):
        return f"{ident.get('scheme') or 'id'}-{str(ident['id']).strip()}"
    return "name-" + (_text(org.get("name")) or "unnamed").lower()


class _Parties:
    """Parties of one process, filled from ``parties`` and from embedded 1.0 organisations."""

    def __init__(self) -> None:
        self.by_id: dict[str, PartyRecord] = {}

    def add(self, org: Any, role: str | None = None) -> str | None:
        if not isinstance(org, dict):
            return None
        pid = _org_id(org)
        party = self.by_id.get(pid)
        if party is None:
            party = PartyRecord(id=pid, name=_text(org.get("name")) or pid)
            self.by_id[pid] = party
        elif _text(org.get("name")) and party.name == pid:
            party.name = _text(org.get("name")) or pid
        for r in org.get("roles") or []:
            if r not in party.roles:
                party.roles.append(str(r))
        if role and role not in party.roles:
            party.roles.append(role)
        idents = [org.get("identifier"), *(org.get("additionalIdentifiers") or [])]
        for ident in idents:
            if isinstance(ident, dict) and _text(ident.get("id")):
                pair = (_text(ident.get("scheme")) or "unknown", _text(ident.get("id")) or "")
                if pair not in party.identifiers:
                    party.identifiers.append(pair)
        address = org.get("address")
        if isinstance(address, dict) and _text(address.get("countryName")) and not party.country:
            party.country = _text(address.get("countryName"))
        return pid


def _items(nodes: Any) -> list[ItemRecord]:
    out = []
    for i, node in enumerate(nodes or []):
        if not isinstance(node, dict):
            continue
        cls = node.get("classification") or {}
        extra = [
            (_text(c.get("scheme")) or "unknown", _text(c.get("id")) or "")
            for c in node.get("additionalClassifications") or []
            if isinstance(c, dict) and _text(c.get("id"))
        ]
        quantity = node.get("quantity")
        out.append(
            ItemRecord(
                id=_text(node.get("id")) or str(i + 1),
                description=_text(node.get("description")) or _text(cls.get("description")) or "",
                scheme=_text(cls.get("scheme")),
                code=_text(cls.get("id")),
                extra_codes=extra,
                quantity=float(quantity) if isinstance(quantity, (int, float)) else None,
            )
        )
    return out


def _amendments(node: dict[str, Any]) -> int:
    listed = node.get("amendments")
    if isinstance(listed, list):
        return len(listed)
    return 1 if isinstance(node.get("amendment"), dict) and node["amendment"] else 0


def to_process(release: dict[str, Any], record: str, log: QualityLog) -> ProcessRecord:
    """Read one compiled (or single) release; raises :class:`ReleaseProblem` when it is bad."""
    check_release(release)
    ocid = _text(release.get("ocid"))
    if not ocid:
        raise ReleaseProblem("missing ocid")
    parties = _Parties()
    for party in release.get("parties") or []:
        parties.add(party)
    buyer_id = parties.add(release.get("buyer"), "buyer")
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    assert isinstance(tender, dict)
    for org in tender.get("tenderers") or []:
        parties.add(org, "tenderer")
    awards = []
    for i, node in enumerate(release.get("awards") or []):
        if not isinstance(node, dict):
            continue
        awards.append(
            AwardRecord(
                id=_text(node.get("id")) or str(i + 1),
                status=_text(node.get("status")),
                date=_date(node.get("date")),
                value=_money(node.get("value"), record, f"awards[{i}].value", log),
                supplier_ids=[
                    pid
                    for org in node.get("suppliers") or []
                    if (pid := parties.add(org, "supplier"))
                ],
                items=_items(node.get("items")),
                title=_text(node.get("title")),
            )
        )
    contracts = []
    for i, node in enumerate(release.get("contracts") or []):
        if not isinstance(node, dict):
            continue
        period = node.get("period") if isinstance(node.get("period"), dict) else {}
        assert isinstance(period, dict)
        contracts.append(
            ContractRecord(
                id=_text(node.get("id")) or str(i + 1),
                award_id=_text(node.get("awardID")),
                status=_text(node.get("status")),
                title=_text(node.get("title")),
                description=_text(node.get("description")),
                date_signed=_date(node.get("dateSigned")),
                start_date=_date(period.get("startDate")),
                end_date=_date(period.get("endDate")),
                value=_money(node.get("value"), record, f"contracts[{i}].value", log),
                items=_items(node.get("items")),
                amendments=_amendments(node),
            )
        )
    bids = None
    bids_node = release.get("bids")
    if isinstance(bids_node, dict) and isinstance(bids_node.get("details"), list):
        bids = []
        for i, node in enumerate(bids_node["details"]):
            if not isinstance(node, dict):
                continue
            bids.append(
                BidRecord(
                    id=_text(node.get("id")) or str(i + 1),
                    tenderer_ids=[
                        pid
                        for org in node.get("tenderers") or []
                        if (pid := parties.add(org, "tenderer"))
                    ],
                    value=_money(node.get("value"), record, f"bids.details[{i}].value", log),
                    status=_text(node.get("status")),
                    date=_date(node.get("date")),
                )
            )
    title = _text(tender.get("title")) or next((a.title for a in awards if a.title), None)
    return ProcessRecord(
        ocid=ocid,
        title=title,
        description=_text(tender.get("description")),
        buyer_id=buyer_id,
        date=_date(release.get("date")),
        procurement_method=_text(tender.get("procurementMethod")),
        tender_status=_text(tender.get("status")),
        tender_value=_money(tender.get("value"), record, "tender.value", log),
        parties=list(parties.by_id.values()),
        items=_items(tender.get("items")),
        awards=awards,
        contracts=contracts,
        bids=bids,
        amendments=_amendments(tender),
    )
