"""Row-level security beyond the projects: letters, letter seals and the reference tables.

Each letter gains the district of its notices (`letters.district`, NULL when they are of
several districts; filled here from the notices of the letters made before), which says
whose roles read it; it is not part of the sealed content. On PostgreSQL this revision
installs the functions and policies of `lifecycle.store.access` (which `lifecycle access
grant` reinstalls idempotently): a district's role sees and writes only its district's
notices, letters, letter seals, stations, contractors, contacts, issuers and reference
changes, with the rows of no district (a city-wide contact, the city's issuer) read by
every role granted; an auditor reads everything and writes nothing; the owner, who owns
the tables, is not bound. The narrow SECURITY DEFINER functions give the contractor
guards every district's open holdings and every writer the seal chain's head. On SQLite
only the column is added: a SQLite file has no roles.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("letters", sa.Column("district", sa.String(100)))
    conn = op.get_bind()
    found: dict[int, set[str]] = {}
    for letter_id, owner, district in conn.execute(sa.text(
            "SELECT n.letter_id, n.project_id, p.district FROM notices n LEFT JOIN projects p ON p.id = n.project_id "
            "WHERE n.letter_id IS NOT NULL")):
        name = owner[len("district:"):] if owner.startswith("district:") else district
        found.setdefault(letter_id, set()).add(name)
    for letter_id, names in found.items():
        if len(names) == 1 and None not in names:
            conn.execute(sa.text("UPDATE letters SET district = :d WHERE id = :i"),
                         {"d": next(iter(names)), "i": letter_id})
    from lifecycle.store.access import install
    install(conn)


def downgrade() -> None:
    """Drops this revision's policies and functions and turns row-level security off: after a downgrade,
    `lifecycle access grant` puts revision 0009's policies back."""
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        from lifecycle.store.access import POLICIES
        for table in POLICIES:
            for name in ("lifecycle_read", "lifecycle_write"):
                conn.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for name in ("lifecycle_notice_district(text)", "lifecycle_letter_district(integer)",
                     "lifecycle_change_district(text, text, text, text)", "lifecycle_letter_seal_head()",
                     "lifecycle_holdings(text[])", "lifecycle_contractor(text)", "lifecycle_may_write_in(text)"):
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}")
    with op.batch_alter_table("letters") as batch:
        batch.drop_column("district")
