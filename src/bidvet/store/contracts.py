"""Writing and reading contract history (the tables at the end of ``store/schema.py``).

:func:`write_contracts` is called by :func:`bidvet.store.writer.write_batch` inside the import
transaction. A process is keyed by its ``ocid``: loading a newer file with the same process
replaces all of its rows, so re-imports never duplicate contracts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bidvet.model.contracts import (
    AwardRecord,
    BidRecord,
    ContractRecord,
    ItemRecord,
    Money,
    PartyRecord,
    ProcessRecord,
)
from bidvet.model.records import ImportBatch
from bidvet.store import schema as s

CHUNK = 500
_CHILDREN = (
    s.contract_parties,
    s.contract_awards,
    s.contracts,
    s.contract_items,
    s.contract_bids,
)


def _insert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i : i + CHUNK])


def _amount(money: Money | None) -> tuple[float | None, str | None]:
    return (money.amount, money.currency) if money else (None, None)


def _items(
    ocid: str, parent: str, parent_id: str | None, items: Sequence[ItemRecord], snap: int
) -> Iterator[dict[str, Any]]:
    for it in items:
        yield {
            "ocid": ocid,
            "parent": parent,
            "parent_id": parent_id,
            "item_id": it.id,
            "description": it.description,
            "scheme": it.scheme,
            "code": it.code,
            "extra_codes": [list(c) for c in it.extra_codes],
            "quantity": it.quantity,
            "snapshot_id": snap,
        }


def write_contracts(conn: Connection, batch: ImportBatch, snapshot_id: int | None) -> None:
    """Replace the stored rows of every process in ``batch`` with the batch's version."""
    assert snapshot_id is not None
    procs: dict[str, ProcessRecord] = {p.ocid: p for p in batch.contracts}
    ocids = sorted(procs)
    for i in range(0, len(ocids), CHUNK):
        chunk = ocids[i : i + CHUNK]
        for table in (*_CHILDREN, s.contract_processes):
            conn.execute(table.delete().where(table.c.ocid.in_(chunk)))
    rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in (*_CHILDREN,)}
    heads = []
    for p in procs.values():
        amount, currency = _amount(p.tender_value)
        heads.append(
            {
                "ocid": p.ocid,
                "title": p.title,
                "description": p.description,
                "buyer_party_id": p.buyer_id,
                "buyer_name": p.buyer_name,
                "date": p.date,
                "procurement_method": p.procurement_method,
                "tender_status": p.tender_status,
                "tender_amount": amount,
                "tender_currency": currency,
                "amendments": p.amendments,
                "has_bids": p.bids is not None,
                "url": p.url,
                "dataset": batch.dataset,
                "snapshot_id": snapshot_id,
            }
        )
        rows["contract_parties"].extend(
            {
                "ocid": p.ocid,
                "party_id": pt.id,
                "name": pt.name,
                "roles": pt.roles,
                "identifiers": [list(x) for x in pt.identifiers],
                "country": pt.country,
                "snapshot_id": snapshot_id,
            }
            for pt in p.parties
        )
        rows["contract_items"].extend(_items(p.ocid, "tender", None, p.items, snapshot_id))
        for a in p.awards:
            amount, currency = _amount(a.value)
            rows["contract_awards"].append(
                {
                    "ocid": p.ocid,
                    "award_id": a.id,
                    "title": a.title,
                    "status": a.status,
                    "date": a.date,
                    "amount": amount,
                    "currency": currency,
                    "supplier_ids": a.supplier_ids,
                    "snapshot_id": snapshot_id,
                }
            )
            rows["contract_items"].extend(_items(p.ocid, "award", a.id, a.items, snapshot_id))
        for c in p.contracts:
            amount, currency = _amount(c.value)
            rows["contracts"].append(
                {
                    "ocid": p.ocid,
                    "contract_id": c.id,
                    "award_id": c.award_id,
                    "title": c.title,
                    "description": c.description,
                    "status": c.status,
                    "date_signed": c.date_signed,
                    "start_date": c.start_date,
                    "end_date": c.end_date,
                    "amount": amount,
                    "currency": currency,
                    "amendments": c.amendments,
                    "supplier_ids": c.supplier_ids,
                    "snapshot_id": snapshot_id,
                }
            )
            rows["contract_items"].extend(_items(p.ocid, "contract", c.id, c.items, snapshot_id))
        for b in p.bids or ():
            amount, currency = _amount(b.value)
            rows["contract_bids"].append(
                {
                    "ocid": p.ocid,
                    "bid_id": b.id,
                    "tenderer_ids": b.tenderer_ids,
                    "status": b.status,
                    "date": b.date,
                    "amount": amount,
                    "currency": currency,
                    "snapshot_id": snapshot_id,
                }
            )
    _insert(conn, s.contract_processes, heads)
    for table in _CHILDREN:
        _insert(conn, table, rows[table.name])


def _money(amount: float | None, currency: str | None) -> Money | None:
    return Money(amount, currency) if amount is not None and currency else None


def _item(r: Any) -> ItemRecord:
    return ItemRecord(
        id=r.item_id,
        description=r.description,
        scheme=r.scheme,
        code=r.code,
        extra_codes=[(a, b) for a, b in r.extra_codes or []],
        quantity=r.quantity,
    )


def iter_processes(
    conn: Connection, ocids: Iterable[str] | None = None, *, batch_size: int = 2000
) -> Iterator[ProcessRecord]:
    """Stored processes rebuilt as records (all of them when ``ocids`` is ``None``), by ocid."""
    t = s.contract_processes
    if ocids is None:
        wanted = list(conn.execute(sa.select(t.c.ocid).order_by(t.c.ocid)).scalars())
    else:
        wanted = sorted(set(ocids))
    for i in range(0, len(wanted), batch_size):
        yield from _load(conn, wanted[i : i + batch_size])


def _load(conn: Connection, ocids: list[str]) -> Iterator[ProcessRecord]:
    def rows(table: sa.Table) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for r in conn.execute(sa.select(table).where(table.c.ocid.in_(ocids)).order_by(table.c.id)):
            out.setdefault(r.ocid, []).append(r)
        return out

    heads = {
        r.ocid: r
        for r in conn.execute(
            sa.select(s.contract_processes).where(s.contract_processes.c.ocid.in_(ocids))
        )
    }
    parties, awards, contracts, items, bids = (rows(t) for t in _CHILDREN)
    for ocid in ocids:
        h = heads.get(ocid)
        if h is None:
            continue
        its = items.get(ocid, [])
        yield ProcessRecord(
            ocid=ocid,
            title=h.title,
            description=h.description,
            buyer_id=h.buyer_party_id,
            date=h.date,
            procurement_method=h.procurement_method,
            tender_status=h.tender_status,
            tender_value=_money(h.tender_amount, h.tender_currency),
            amendments=h.amendments,
            url=h.url,
            parties=[
                PartyRecord(
                    r.party_id, r.name, list(r.roles), [(a, b) for a, b in r.identifiers], r.country
                )
                for r in parties.get(ocid, [])
            ],
            items=[_item(r) for r in its if r.parent == "tender"],
            awards=[
                AwardRecord(
                    id=r.award_id,
                    status=r.status,
                    date=r.date,
                    value=_money(r.amount, r.currency),
                    supplier_ids=list(r.supplier_ids),
                    items=[
                        _item(x) for x in its if x.parent == "award" and x.parent_id == r.award_id
                    ],
                    title=r.title,
                )
                for r in awards.get(ocid, [])
            ],
            contracts=[
                ContractRecord(
                    id=r.contract_id,
                    award_id=r.award_id,
                    status=r.status,
                    title=r.title,
                    description=r.description,
                    date_signed=r.date_signed,
                    start_date=r.start_date,
                    end_date=r.end_date,
                    value=_money(r.amount, r.currency),
                    items=[
                        _item(x)
                        for x in its
                        if x.parent == "contract" and x.parent_id == r.contract_id
                    ],
                    amendments=r.amendments,
                    supplier_ids=list(r.supplier_ids),
                )
                for r in contracts.get(ocid, [])
            ],
            bids=[
                BidRecord(
                    r.bid_id, list(r.tenderer_ids), _money(r.amount, r.currency), r.status, r.date
                )
                for r in bids.get(ocid, [])
            ]
            if h.has_bids
            else None,
        )
