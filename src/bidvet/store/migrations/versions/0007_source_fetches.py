"""download state of the official sources (bidvet update)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

Adds ``source_fetches``: per source of ``data/sources.yaml``, the validators (ETag,
Last-Modified), SHA-256 and size of what its last successful fetch received, the snapshot it
loaded, and how the last attempt ended. Operational state, not knowledge.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_fetches",
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=True),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_source_fetches")),
    )


def downgrade() -> None:
    op.drop_table("source_fetches")
