"""case workspace: accounts, sessions, login attempts, audit log, cases, assessments, decisions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

The operational tables of ``bidvet serve`` (``ws_*``, API tokens included). They hold no
knowledge: the data-snapshot digest leaves them out (``info={"knowledge": False}`` in
``store/schema.py``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ws_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "ws_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ws_users.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
    )
    op.create_index("ix_ws_sessions_user", "ws_sessions", ["user_id"])
    op.create_table(
        "ws_login_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("success", sa.Boolean, nullable=False),
    )
    op.create_index("ix_ws_login_attempts_at", "ws_login_attempts", ["at"])
    op.create_table(
        "ws_audit",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "ws_cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("tender_yaml", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "ws_case_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("ws_cases.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("case_id", "name", name="uq_ws_case_files_name"),
    )
    op.create_table(
        "ws_assessments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("ws_cases.id"), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("run_by", sa.String(100), nullable=False),
        sa.Column("run_at", sa.String(32), nullable=False),
        sa.Column("report_json", sa.Text, nullable=False),
        sa.Column("report_sha256", sa.String(64), nullable=False),
        sa.Column("data_snapshot", sa.String(64), nullable=False),
        sa.Column("framework_sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_ws_assessments_case", "ws_assessments", ["case_id"])
    op.create_table(
        "ws_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("ws_assessments.id"), nullable=False),
        sa.Column("bidder_id", sa.String(200), nullable=False),
        sa.Column("framework_outcome", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("proposed_by", sa.String(100), nullable=False),
        sa.Column("proposed_at", sa.String(32), nullable=False),
        sa.Column("reviewed_by", sa.String(100), nullable=True),
        sa.Column("reviewed_at", sa.String(32), nullable=True),
        sa.Column("review_note", sa.Text, nullable=True),
        sa.Column("signed_report_json", sa.Text, nullable=True),
        sa.Column("signed_report_sha256", sa.String(64), nullable=True),
        sa.Column("data_snapshot", sa.String(64), nullable=True),
        sa.Column("framework_sha256", sa.String(64), nullable=True),
    )
    op.create_index("ix_ws_decisions_assessment", "ws_decisions", ["assessment_id"])
    op.create_table(
        "ws_api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ws_users.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_used_at", sa.String(32), nullable=True),
        sa.Column("revoked_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_ws_api_tokens_user", "ws_api_tokens", ["user_id"])


def downgrade() -> None:
    for table in (
        "ws_api_tokens",
        "ws_decisions",
        "ws_assessments",
        "ws_case_files",
        "ws_cases",
        "ws_audit",
        "ws_login_attempts",
        "ws_sessions",
        "ws_users",
    ):
        op.drop_table(table)
