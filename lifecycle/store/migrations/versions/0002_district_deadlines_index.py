"""Index open obligations by district: `deadlines --district` at national scale.

With 40,000 projects and about a million obligations, `deadlines --district
历下区` otherwise reads every open obligation in the country and filters.
(Per-project reads need no new index: `events` and `obligations` have
`project_id` leading their primary keys, and `notices` leading its unique key.)

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-20
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_obligations_district_status_due", "obligations", ["district", "status", "due"])


def downgrade() -> None:
    op.drop_index("ix_obligations_district_status_due", table_name="obligations")
