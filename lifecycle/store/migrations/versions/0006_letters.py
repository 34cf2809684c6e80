"""Letters: issuers, one letter per (issuer, addressee) per sweep, document numbers, engine settings.

Notices made before this revision keep `letter_id` NULL and are delivered
one by one as before; every later notice points to the letter that carries it.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("letter_id", sa.Integer()))
        batch.create_index("ix_notices_letter", ["letter_id"])
    op.create_table(
        "issuers",
        sa.Column("level", sa.String(8), primary_key=True),
        sa.Column("scope", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(40), nullable=False),
        sa.Column("contact", sa.String(100)),
        sa.Column("phone", sa.String(40)),
        sa.Column("email", sa.String(254)),
    )
    op.create_table(
        "engine_settings",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "letter_numbers",
        sa.Column("issuer", sa.String(120), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("issuer", sa.String(120)),
        sa.Column("issuer_name", sa.String(200)),
        sa.Column("year", sa.Integer()),
        sa.Column("serial", sa.Integer()),
        sa.Column("number", sa.String(80)),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(16), nullable=False),
        sa.Column("recipient_key", sa.String(120)),
        sa.Column("addressee", sa.String(200), nullable=False),
        sa.Column("recipient_name", sa.String(200)),
        sa.Column("email", sa.String(254)),
        sa.Column("cc", sa.Text(), nullable=False),
        sa.Column("sender", sa.String(300)),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("next_attempt_at", sa.String(40)),
        sa.Column("sent_at", sa.String(40)),
        sa.Column("message_id", sa.String(200)),
        sa.Column("claimed_by", sa.String(120)),
        sa.UniqueConstraint("issuer", "year", "serial", name="uq_letter_number"),
    )
    op.create_index("ix_letters_status", "letters", ["status"])


def downgrade() -> None:
    op.drop_index("ix_letters_status", table_name="letters")
    op.drop_table("letters")
    op.drop_table("letter_numbers")
    op.drop_table("engine_settings")
    op.drop_table("issuers")
    with op.batch_alter_table("notices") as batch:
        batch.drop_index("ix_notices_letter")
        batch.drop_column("letter_id")
