"""Reference data that can change, with its history: an append-only table of changes.

A station renamed, a contractor's new credit code, a contact who left: the
row in `stations`, `contractors` or `contacts` takes the new values, and
`reference_changes` keeps what it was before, what it became, who changed
it and when. Rows are inserted, never updated or deleted. Projects' events
keep the names they were recorded with.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("recorded", sa.String(40), nullable=False),
    )
    op.create_index("ix_reference_changes_ref", "reference_changes", ["kind", "ref_id"])


def downgrade() -> None:
    op.drop_index("ix_reference_changes_ref", table_name="reference_changes")
    op.drop_table("reference_changes")
