"""The database itself refuses UPDATE and DELETE on the event log.

No code path of the engine updates or deletes an event; with this revision the
database refuses them too, whoever connects: on SQLite two triggers that abort
the statement, on PostgreSQL a trigger before UPDATE, DELETE (each row) and
TRUNCATE (the statement), and those privileges revoked from PUBLIC. What an
owner can still do (drop the trigger, rewrite the chain) a signed checkpoint
held outside the database detects (`lifecycle checkpoint`, `verify --checkpoint`).

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-01
"""
from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

REFUSAL = "the event log is append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER events_append_only_{verb.lower()} BEFORE {verb} ON events "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {verb} of events is refused'); END")
        return
    op.execute(f"""
        CREATE FUNCTION lifecycle_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{REFUSAL}: % of events is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$""")
    op.execute("CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
               "FOR EACH ROW EXECUTE FUNCTION lifecycle_events_append_only()")
    op.execute("CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events "
               "FOR EACH STATEMENT EXECUTE FUNCTION lifecycle_events_append_only()")
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER events_append_only_update")
        op.execute("DROP TRIGGER events_append_only_delete")
        return
    op.execute("DROP TRIGGER events_append_only_truncate ON events")
    op.execute("DROP TRIGGER events_append_only ON events")
    op.execute("DROP FUNCTION lifecycle_events_append_only()")
