"""Duties owed by the district: each district's own hash-chained log, its projection and its duties.

JN-plan, JN-annual-report and DY-county-report are owed once per district and
period, not by every project (issue 10). `district_events` is the district's
append-only log (`lifecycle district report`), `districts` its projection and
`district_obligations` the duties `deadlines` lists and `check` sweeps.
Existing projects are refolded by `lifecycle init` after the upgrade
(`lifecycle.services.replay.refold_stale`): their snapshots gain the district
duties they give rise to, the contract amount and the payments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "district_events",
        sa.Column("district", sa.String(100), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("effective", sa.Date, nullable=False),
        sa.Column("recorded", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "districts",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("head_seq", sa.Integer, nullable=False),
        sa.Column("snapshot", sa.Text, nullable=False),
    )
    op.create_table(
        "district_obligations",
        sa.Column("district", sa.String(100), primary_key=True),
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("basis", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("met_on", sa.Date),
        sa.Column("rulebook", sa.String(32), nullable=False),
        sa.Column("rulebook_version", sa.String(32), nullable=False),
    )
    op.create_index("ix_district_obligations_status_due", "district_obligations", ["status", "due"])


def downgrade() -> None:
    op.drop_index("ix_district_obligations_status_due", table_name="district_obligations")
    op.drop_table("district_obligations")
    op.drop_table("districts")
    op.drop_table("district_events")
