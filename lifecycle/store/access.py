"""Who may do what, on PostgreSQL: roles, privileges and row-level security.

`grant` creates a role (NOLOGIN unless it exists already), records its district
in `access_roles`, grants it the privileges it needs and (idempotently) turns on
row-level security on the tables that belong to a district, with policies that
read `access_roles`: a district's role sees and writes only its district's rows,
an auditor (district NULL) reads every row and writes none. The engine's owner
role bypasses row-level security as the tables' owner. No role the engine makes
is given UPDATE, DELETE or TRUNCATE on the logs (events, district_events).

`recorded_actor` is who a writer records: on PostgreSQL the authenticated role
(`current_user`, taken by the database), with `--actor` beside it as a display name.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection

from lifecycle.core.limits import ACTOR_MAX
from lifecycle.store.tables import access_roles

# table -> the SQL giving a row's district
DISTRICT_OF = {
    "projects": "district",
    "obligations": "district",
    "events": "lifecycle_project_district(project_id)",
    "notices": "lifecycle_project_district(project_id)",
    "district_events": "district",
    "districts": "name",
    "district_obligations": "district",
}
LOGS = ("events", "district_events")   # a writer may only append to these


def recorded_actor(conn: Connection, display: str) -> str:
    """The actor a writer records: on PostgreSQL `role (display)` — the role that connected, by the
    database's word, and `--actor` as a display name (just `role` when they are the same); on SQLite
    `display` as it always was."""
    if conn.dialect.name != "postgresql":
        return display
    role = conn.exec_driver_sql("SELECT current_user").scalar_one()
    if display == role:
        return role
    return f"{role} ({display[:max(ACTOR_MAX - len(role) - 3, 1)]})"


def _functions(conn: Connection) -> None:
    # lifecycle_project_district reads projects as its owner (past row-level security): an event or
    # a notice belongs to its project's district, NULL while the project is being opened (the
    # projection's own policy then checks the district in the same transaction)
    conn.exec_driver_sql("""
        CREATE OR REPLACE FUNCTION lifecycle_project_district(pid text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
        AS $$ SELECT district FROM projects WHERE id = pid $$""")
    conn.exec_driver_sql("""
        CREATE OR REPLACE FUNCTION lifecycle_may_read(d text) RETURNS boolean
        LANGUAGE sql STABLE SET search_path FROM CURRENT
        AS $$ SELECT EXISTS (SELECT 1 FROM access_roles a WHERE a.role = current_user
                             AND (a.district IS NULL OR a.district = d)) $$""")
    conn.exec_driver_sql("""
        CREATE OR REPLACE FUNCTION lifecycle_may_write(d text) RETURNS boolean
        LANGUAGE sql STABLE SET search_path FROM CURRENT
        AS $$ SELECT EXISTS (SELECT 1 FROM access_roles a WHERE a.role = current_user AND NOT a.read_only
                             AND a.district IS NOT NULL AND (d IS NULL OR a.district = d)) $$""")


def _policies(conn: Connection) -> None:
    for table, district in DISTRICT_OF.items():
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name in ("lifecycle_read", "lifecycle_write"):
            conn.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(f"CREATE POLICY lifecycle_read ON {table} FOR SELECT "
                             f"USING (lifecycle_may_read({district}))")
        conn.exec_driver_sql(f"CREATE POLICY lifecycle_write ON {table} FOR ALL "
                             f"USING (lifecycle_may_write({district})) WITH CHECK (lifecycle_may_write({district}))")


def grant(conn: Connection, role: str, district: str | None, read_only: bool) -> None:
    """Create `role` if needed, record its district, grant its privileges, put the policies in place."""
    quoted = conn.dialect.identifier_preparer.quote(role)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if not exists:
        conn.exec_driver_sql(f"CREATE ROLE {quoted} NOLOGIN")
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    _functions(conn)
    _policies(conn)
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {conn.dialect.identifier_preparer.quote(schema)} TO {quoted}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}")
    conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {quoted}")
    if not read_only:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema})]
        for table in tables:
            if table in ("alembic_version", "access_roles"):
                continue
            verbs = "INSERT" if table in LOGS else "INSERT, UPDATE, DELETE"
            conn.exec_driver_sql(f"GRANT {verbs} ON {conn.dialect.identifier_preparer.quote(table)} TO {quoted}")
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}")
    conn.execute(delete(access_roles).where(access_roles.c.role == role))
    conn.execute(insert(access_roles).values(role=role, district=district, read_only=read_only))


def granted(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(access_roles).order_by(access_roles.c.role))
    return [{"role": r.role, "district": r.district, "read_only": bool(r.read_only),
             "auditor": r.district is None} for r in rows]
