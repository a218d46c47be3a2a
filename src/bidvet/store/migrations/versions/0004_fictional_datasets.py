"""fictional datasets are marked

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Adds ``snapshots.fictional``: true for a publication describing fictional companies (a curated
file with ``fictional: true``), so that screening results, ownership reports and assessments can
mark every fact that comes from it. Snapshots loaded before this migration start as false (the
flag was not stored then): load such files into a new store to have them marked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: SQLite supports it with a constant default, without copying the table
    op.add_column(
        "snapshots", sa.Column("fictional", sa.Boolean, nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("fictional")
