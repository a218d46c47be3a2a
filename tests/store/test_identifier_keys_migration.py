"""Migration 0002: identifier values stored in an earlier form become keys, and are found."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command

from bidvet.model.quality import QualityLog
from bidvet.model.records import EntityRecord, IdentifierRecord, ImportBatch, NameRecord
from bidvet.store import schema as s
from bidvet.store.db import Store, _alembic_config
from bidvet.store.writer import write_batch

OLD_FORMS = {
    "m-regno": ("regno", "HE.123/456", "HE123456"),
    "m-tax": ("tax", "DE_811-907.980", "DE811907980"),
    "m-lei": ("lei", "9845000TARNHOLDING36", "9845000TARNHOLDING36"),
    "m-punct": ("other", "--", "--"),  # no letters or digits: left as it was
}


def test_upgrade_rewrites_identifier_values_as_keys(store: Store) -> None:
    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001")  # type: ignore[arg-type]
    batch = ImportBatch(dataset="test-migrate", format="test", quality=QualityLog("old"))
    for eid, (scheme, value, _) in OLD_FORMS.items():
        batch.entities.append(
            EntityRecord(
                eid,
                "Company",
                [NameRecord(eid)],
                identifiers=[IdentifierRecord(scheme, value, value)],
            )
        )
    with store.transaction() as conn:
        write_batch(conn, batch, file_name="old", sha256="o1", now=dt.datetime(2026, 1, 1))
    store.migrate()
    c = s.entity_identifiers.c
    with store.read() as conn:
        rows = dict(conn.execute(sa.select(c.entity_id, c.value)).all())
        raws = dict(conn.execute(sa.select(c.entity_id, c.raw)).all())
    assert rows == {eid: key for eid, (_, _, key) in OLD_FORMS.items()}
    assert raws == {eid: value for eid, (_, value, _) in OLD_FORMS.items()}
    with store.view() as view:
        assert view.by_identifier("regno", "he 123 456") == ["m-regno"]
        assert view.by_identifier("tax", "DE811907980") == ["m-tax"]
