"""people's ties carry their role

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

Adds ``ownership.role``: the role or relationship a tie between people and organisations names
(``Chief Executive Officer``, ``director``, ``son``). Ties are rows of the ownership table with
a tie kind (``directorship``, ``employment``, ``family``, ``associate``, ``representation``);
ownership and control edges leave the column empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ownership", sa.Column("role", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ownership") as batch:
        batch.drop_column("role")
