"""Moved duties: each duty keeps the due date a refold moved it from.

The sweep's corrections (更正通知) go to the duties whose latest letter named a
due date that has since moved. It found them by grouping every notice ever made
by its duty, every sweep: 1.3 s of a quiet national sweep, and more each year.
Now the store records the move where it happens (`moved_from`, when a refold —
`recompute`, a late entry, a rebase — stores a duty with another due date) and
the sweep looks only at those rows (a partial index). This revision adds the
column to `obligations` and `district_obligations` and fills it for the duties
already moved whose letters named the old date and are not yet corrected.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NAMING = "('reminder', 'overdue', 'escalation')"


def upgrade() -> None:
    for table in ("obligations", "district_obligations"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("moved_from", sa.Date))
    op.create_index("ix_obligations_moved", "obligations", ["project_id", "id"],
                    sqlite_where=sa.text("moved_from IS NOT NULL"), postgresql_where=sa.text("moved_from IS NOT NULL"))
    # the moves made before this revision: the open duties whose latest naming letter named another date
    named = ("(SELECT n.due FROM notices n WHERE n.project_id = {owner} AND n.obligation_id = {t}.id "
             f"AND n.stage IN {NAMING} ORDER BY n.id DESC LIMIT 1)")
    for table, owner in (("obligations", "obligations.project_id"),
                         ("district_obligations", "'district:' || district_obligations.district")):
        last = named.format(owner=owner, t=table)
        op.execute(f"UPDATE {table} SET moved_from = {last} WHERE status = 'open' AND {last} <> due")


def downgrade() -> None:
    op.drop_index("ix_obligations_moved", "obligations")
    for table in ("obligations", "district_obligations"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("moved_from")
