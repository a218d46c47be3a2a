"""identifier values in key form

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Every stored identifier value becomes its key (:func:`bidvet.model.identifiers.identifier_key`:
upper case, letters and digits only), the one form importers now store and lookups search for.
The schema does not change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bidvet.model.identifiers import identifier_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 2000

_identifiers = sa.table(
    "entity_identifiers",
    sa.column("id", sa.Integer),
    sa.column("value", sa.String),
)


def upgrade() -> None:
    conn = op.get_bind()
    t = _identifiers.c
    update = (
        _identifiers.update()
        .where(t.id == sa.bindparam("row_id"))
        .values(value=sa.bindparam("key"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(t.id, t.value).where(t.id > last).order_by(t.id).limit(_BATCH)
        ).all()
        if not rows:
            break
        changed = [
            {"row_id": row_id, "key": key}
            for row_id, value in rows
            if (key := identifier_key(value)) and key != value
        ]
        if changed:
            conn.execute(update, changed)
        last = rows[-1][0]


def downgrade() -> None:
    # Key form is a valid value under the earlier revision too; the earlier per-importer forms
    # are not recoverable (the original text stays in the ``raw`` column).
    pass
