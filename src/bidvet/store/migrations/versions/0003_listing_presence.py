"""which entries each snapshot carried

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Adds ``listing_presence``: one row per entry of each snapshot, from which the ``listings`` history
is derived in publication-date order. Existing stores are backfilled from their listings: an entry
counts as present in every snapshot of its dataset published from its first to its last sighting
(what loading in date order recorded), and in its first and last snapshot when it has no dates.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 2000

_ATTRS = (
    "entity_id",
    "list_id",
    "list_name",
    "program",
    "authority",
    "start_date",
    "end_date",
    "source_url",
    "source_title",
    "source_published",
    "reason",
)


def upgrade() -> None:
    op.create_table(
        "listing_presence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("list_id", sa.String(length=80), nullable=False),
        sa.Column("list_name", sa.Text(), nullable=False),
        sa.Column("program", sa.String(length=200), server_default="", nullable=False),
        sa.Column("authority", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("source_title", sa.Text(), nullable=True),
        sa.Column("source_published", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_listing_presence_entity_id_entities"),
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name=op.f("fk_listing_presence_snapshot_id_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_presence")),
    )
    op.create_index(
        "ix_listing_presence_snapshot_id", "listing_presence", ["snapshot_id"], unique=False
    )
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    meta = sa.MetaData()
    snapshots = sa.Table("snapshots", meta, autoload_with=conn)
    listings = sa.Table("listings", meta, autoload_with=conn)
    presence = sa.Table("listing_presence", meta, autoload_with=conn)
    dated: dict[str, list[tuple[Any, int]]] = {}
    for snap_id, dataset, published in conn.execute(
        sa.select(snapshots.c.id, snapshots.c.dataset, snapshots.c.published)
    ):
        if published is not None:
            dated.setdefault(dataset, []).append((published, snap_id))
    rows: list[dict[str, Any]] = []
    for row in conn.execute(sa.select(listings).order_by(listings.c.id)).mappings():
        attrs = {name: row[name] for name in _ATTRS}
        first, last = row["first_seen"], row["last_seen"]
        if first is not None and last is not None:
            snaps = {sid for pub, sid in dated.get(row["dataset"], []) if first <= pub <= last}
        else:
            snaps = set()
        snaps |= {row["first_snapshot_id"], row["last_snapshot_id"]}
        rows.extend({**attrs, "snapshot_id": sid} for sid in sorted(snaps))
        if len(rows) >= _BATCH:
            conn.execute(presence.insert(), rows)
            rows = []
    if rows:
        conn.execute(presence.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_listing_presence_snapshot_id", table_name="listing_presence")
    op.drop_table("listing_presence")
