"""Who may do what, on PostgreSQL: the roles `lifecycle access grant` made and their district.

One row a role: its district (NULL for an auditor, who reads every district)
and whether it only reads. The row-level security policies that
`lifecycle access grant` puts on projects, events, obligations, notices and
the district tables read this table. On SQLite the table stays empty: a
SQLite file is protected by its permissions.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
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
        "access_roles",
        sa.Column("role", sa.String(63), primary_key=True),
        sa.Column("district", sa.String(100)),
        sa.Column("read_only", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("access_roles")
