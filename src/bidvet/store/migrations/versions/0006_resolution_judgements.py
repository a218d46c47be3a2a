"""entity-resolution judgements and the clusters derived from them

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

Adds ``resolution_judgements`` (whether two records are the same legal person: positive,
negative or unsure, with who, when, why, the origin ``user | identifier | file`` and an optional
public source) and ``resolution_clusters`` (each member of a cluster of positively judged records
with the cluster's canonical id, its smallest member id). A new store has no judgements.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_judgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("left_id", sa.String(length=200), nullable=False),
        sa.Column("right_id", sa.String(length=200), nullable=False),
        sa.Column("judgement", sa.String(length=10), nullable=False),
        sa.Column("judged_by", sa.String(length=200), nullable=False),
        sa.Column("judged_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("cite_title", sa.Text(), nullable=True),
        sa.Column("cite_url", sa.Text(), nullable=True),
        sa.Column("cite_published", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_judgements")),
        sa.UniqueConstraint(
            "left_id", "right_id", name=op.f("uq_resolution_judgements_left_id_right_id")
        ),
    )
    op.create_index(
        "ix_resolution_judgements_right_id", "resolution_judgements", ["right_id"], unique=False
    )
    op.create_table(
        "resolution_clusters",
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("canonical_id", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_resolution_clusters")),
    )
    op.create_index(
        "ix_resolution_clusters_canonical_id",
        "resolution_clusters",
        ["canonical_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_resolution_clusters_canonical_id", table_name="resolution_clusters")
    op.drop_table("resolution_clusters")
    op.drop_index("ix_resolution_judgements_right_id", table_name="resolution_judgements")
    op.drop_table("resolution_judgements")
