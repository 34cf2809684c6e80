"""Sealed letters: the append-only hash chain of every letter's content and delivery state.

Letters made before this revision are sealed as they stand now (a `made` seal with their
current content and state, dated when they were made), in id order; from then on the engine seals each letter in the
transaction that makes it and each state change in the one that makes it. The database
refuses UPDATE and DELETE on `letter_seals`, as revision 0007 does on `events`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REFUSAL = "the letter seals are append-only"


def upgrade() -> None:
    op.create_table(
        "letter_seals",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("content_sha256", sa.String(64)),
        sa.Column("state", sa.String(16)),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_letter_seals_letter", "letter_seals", ["letter_id"])
    conn = op.get_bind()
    from lifecycle.store.seals import SEALED, seal_made
    columns = ", ".join(("id", "status", "created_at", *SEALED))
    for row in conn.execute(sa.text(f"SELECT {columns} FROM letters ORDER BY id")).mappings().all():
        seal_made(conn, row["id"], row, row["created_at"])   # sealed as they stand, dated when made
    if conn.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER letter_seals_append_only_{verb.lower()} BEFORE {verb} ON letter_seals "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {verb} of letter_seals is refused'); END")
        return
    op.execute(f"""
        CREATE FUNCTION lifecycle_letter_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{REFUSAL}: % of letter_seals is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$""")
    op.execute("CREATE TRIGGER letter_seals_append_only BEFORE UPDATE OR DELETE ON letter_seals "
               "FOR EACH ROW EXECUTE FUNCTION lifecycle_letter_seals_append_only()")
    op.execute("CREATE TRIGGER letter_seals_append_only_truncate BEFORE TRUNCATE ON letter_seals "
               "FOR EACH STATEMENT EXECUTE FUNCTION lifecycle_letter_seals_append_only()")
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON letter_seals FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER letter_seals_append_only_update")
        op.execute("DROP TRIGGER letter_seals_append_only_delete")
    else:
        op.execute("DROP TRIGGER letter_seals_append_only_truncate ON letter_seals")
        op.execute("DROP TRIGGER letter_seals_append_only ON letter_seals")
        op.execute("DROP FUNCTION lifecycle_letter_seals_append_only()")
    op.drop_index("ix_letter_seals_letter", "letter_seals")
    op.drop_table("letter_seals")
