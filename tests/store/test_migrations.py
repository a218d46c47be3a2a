from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bidvet.store import schema
from bidvet.store.db import Store, head_revision


def test_migrated_schema_matches_metadata(store: Store) -> None:
    with store.read() as conn:
        ctx = MigrationContext.configure(conn)
        diff = compare_metadata(ctx, schema.metadata)
    assert diff == [], f"schema.py and migrations disagree: {diff}"


def test_store_is_at_head_and_reopening_is_a_no_op(store: Store) -> None:
    with store.read() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == head_revision()
    again = Store(store.url)
    again.dispose()


def test_fingerprint_of_empty_store_is_stable(store: Store) -> None:
    assert store.fingerprint() == store.fingerprint()
    assert len(store.fingerprint()) == 64
