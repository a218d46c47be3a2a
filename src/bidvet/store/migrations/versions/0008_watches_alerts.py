"""watches, alerts and their delivery

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

Adds the monitoring tables: ``watches`` (an awarded contract or an open tender under watch,
with the decision it was awarded on and the last assessment compared against), ``alerts``
(raised when a re-assessment changes an outcome or a finding; acknowledged with a note),
``alert_deliveries`` (webhook and e-mail delivery state: attempts, dead letters) and
``monitor_state`` (the watermark: the last snapshot re-assessment has seen). Operational
tables: they stay out of the data-snapshot digest.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("tender_path", sa.Text, nullable=True),
        sa.Column("tender_yaml", sa.Text, nullable=True),
        sa.Column("tender_sha256", sa.String(64), nullable=True),
        sa.Column("ocid", sa.String(300), nullable=True),
        sa.Column("awarded_to", sa.Text, nullable=True),
        sa.Column("award_date", sa.Date, nullable=True),
        sa.Column("decision", sa.JSON, nullable=False),
        sa.Column("decision_as_of", sa.Date, nullable=False),
        sa.Column("snapshot_digest", sa.String(64), nullable=False),
        sa.Column("framework_id", sa.String(120), nullable=False),
        sa.Column("framework_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("state_as_of", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watches"),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("watch_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("raised_at", sa.DateTime, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime, nullable=True),
        sa.Column("acknowledged_by", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.ForeignKeyConstraint(["watch_id"], ["watches.id"], name="fk_alerts_watch_id_watches"),
        sa.UniqueConstraint("key", name="uq_alerts_key"),
    )
    op.create_index("ix_alerts_watch_id", "alerts", ["watch_id"])
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alert_deliveries"),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name="fk_alert_deliveries_alert_id_alerts"
        ),
        sa.UniqueConstraint("alert_id", "channel", name="uq_alert_deliveries_alert_id_channel"),
    )
    op.create_table(
        "monitor_state",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_monitor_state"),
    )


def downgrade() -> None:
    op.drop_table("monitor_state")
    op.drop_table("alert_deliveries")
    op.drop_index("ix_alerts_watch_id", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("watches")
