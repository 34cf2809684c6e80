"""The schema as it stood before migrations: reference data, the event log, projections, notices.

Written out here rather than taken from the live metadata, so this revision
stays what it was when the models move on. A database made by
`metadata.create_all` before Alembic arrived has no `alembic_version` table,
so Alembic starts it here: tables it already has are left as they are (that
is the stamp), and any this revision has but it lacks (a database from before
the notice tables) are created.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _create_table(existing: set[str], name: str, *columns: sa.SchemaItem) -> None:
    if name not in existing:
        op.create_table(name, *columns)


def _create_index(existing: set[str], name: str, table: str, columns: list[str]) -> None:
    if table not in existing:
        op.create_index(name, table, columns)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    _create_table(
        existing, "stations",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("villages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_table(
        existing, "contractors",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("district", sa.String(100)),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credit_code"),
    )
    # the event log: the truth, append-only; a duplicate (project_id, seq) is a concurrency conflict
    _create_table(
        existing, "events",
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("recorded", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "seq"),
    )
    _create_table(
        existing, "projects",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("rulebook", sa.String(32), nullable=False),
        sa.Column("rulebook_version", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("contractor_id", sa.String(64)),
        sa.Column("term_end", sa.Date()),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("last_effective", sa.Date()),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_index(existing, "ix_projects_station_id", "projects", ["station_id"])
    _create_index(existing, "ix_projects_district", "projects", ["district"])
    _create_index(existing, "ix_projects_contractor_id", "projects", ["contractor_id"])
    _create_table(
        existing, "obligations",
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("basis", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(100)),
        sa.Column("met_on", sa.Date()),
        sa.Column("met_seq", sa.Integer()),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "id"),
    )
    _create_index(existing, "ix_obligations_status_due", "obligations", ["status", "due"])
    _create_table(
        existing, "contacts",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("district", sa.String(100)),
        sa.Column("contractor_id", sa.String(64)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # the outbox: (project, obligation, stage) unique, so each notice exists at most once
    _create_table(
        existing, "notices",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("obligation_id", sa.String(120), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(16), nullable=False),
        sa.Column("recipient_name", sa.String(200)),
        sa.Column("email", sa.String(254)),
        sa.Column("cc", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("next_attempt_at", sa.String(40)),
        sa.Column("sent_at", sa.String(40)),
        sa.Column("message_id", sa.String(200)),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "obligation_id", "stage", name="uq_notice_obligation_stage"),
    )
    _create_index(existing, "ix_notices_status", "notices", ["status"])
    _create_table(
        existing, "sweeps",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    for table in ("sweeps", "notices", "contacts", "obligations", "projects", "events", "contractors", "stations"):
        op.drop_table(table)
