"""Who may do what, on PostgreSQL: roles, privileges and row-level security.

`grant` creates a role (NOLOGIN unless it exists already), records its district
in `access_roles`, grants it the privileges it needs and (idempotently) turns on
row-level security on the tables that belong to a district (`POLICIES`: the
projects and their logs, the districts', the notices, letters and letter seals,
the stations, contractors, contacts, issuers and reference changes), with policies
that read `access_roles`: a district's role sees and writes only its district's
rows, an auditor (district NULL) reads every row and writes none. The engine's
owner role bypasses row-level security as the tables' owner. No role the engine
makes is given UPDATE, DELETE or TRUNCATE on the logs (`LOGS`).

The guards that span districts (JN-conflict, DY-exclusive) and the one letter-seal
chain need facts of rows a district's role cannot read: narrow SECURITY DEFINER
functions (`FUNCTIONS`) give exactly those (each open project's station, district,
station kind and contractor; the chain's head), never a whole row.

`recorded_actor` is who a writer records: on PostgreSQL the authenticated role
(`current_user`, taken by the database), with `--actor` beside it as a display name.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection

from lifecycle.core.limits import ACTOR_MAX
from lifecycle.store.tables import access_roles

# table -> (who may read a row, who may write it): SQL over the row. A writer writes only rows of its own
# district (`lifecycle_may_write_in`); an event's district is NULL while its project is being opened
# (`lifecycle_may_write`, whose projection's policy then checks the district in the same transaction).
# Rows of no district (a contact or contractor for every district, the city's issuer) are read by every
# role granted and written by the owner alone.
def _own(expr: str, shared: str | None = None) -> tuple[str, str]:
    read = f"lifecycle_may_read({expr})"
    return (f"({shared}) OR {read}" if shared else read), f"lifecycle_may_write_in({expr})"


POLICIES = {
    "projects": _own("district"),
    "obligations": _own("district"),
    "events": ("lifecycle_may_read(lifecycle_project_district(project_id))",
               "lifecycle_may_write(lifecycle_project_district(project_id))"),
    "notices": _own("lifecycle_notice_district(project_id)"),
    "district_events": _own("district"),
    "districts": _own("name"),
    "district_obligations": _own("district"),
    "letters": _own("district"),
    "letter_seals": _own("lifecycle_letter_district(letter_id)"),
    "stations": _own("district"),
    "contractors": _own("district", "district IS NULL"),
    "contacts": _own("district", "district IS NULL"),
    "issuers": _own("NULLIF(scope, '')", "scope = ''"),
    "reference_changes": _own("lifecycle_change_district(kind, ref_id, before, after)"),
}
LOGS = ("events", "district_events", "letter_seals", "reference_changes")   # a writer may only append to these


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
    """The functions the policies and the cross-district guards call. SECURITY DEFINER ones run as their
    owner, past row-level security, and each returns only the narrow fact it is named for."""
    for sql in FUNCTIONS:
        conn.exec_driver_sql(sql)


def _definer(head: str, body: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {head} LANGUAGE sql STABLE SECURITY DEFINER "
            f"SET search_path FROM CURRENT AS $$ {body} $$")


FUNCTIONS = (
    # an event or a notice belongs to its project's district (NULL while the project is being opened);
    # a district duty's notice is kept under `district:NAME`
    _definer("lifecycle_project_district(pid text) RETURNS text",
             "SELECT district FROM projects WHERE id = pid"),
    _definer("lifecycle_notice_district(pid text) RETURNS text",
             "SELECT CASE WHEN left(pid, 9) = 'district:' THEN substr(pid, 10) "
             "ELSE (SELECT district FROM projects WHERE id = pid) END"),
    _definer("lifecycle_letter_district(lid integer) RETURNS text",
             "SELECT district FROM letters WHERE id = lid"),
    # a change of a station, contractor or contact belongs to the district of the row before or after it
    """CREATE OR REPLACE FUNCTION lifecycle_change_district(kind text, ref text, before text, after text)
        RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT COALESCE(after::json ->> 'district', before::json ->> 'district') $$""",
    # the head of the one letter-seal chain: every writer appends after it, whichever district's seals it sees
    _definer("lifecycle_letter_seal_head() RETURNS TABLE(seq integer, hash text)",
             "SELECT seq, hash FROM letter_seals ORDER BY seq DESC LIMIT 1"),
    # what the contractor guards (JN-conflict, DY-exclusive) must see of every district's open projects:
    # the project, its station and district, the station's kind and the contractor; nothing else
    _definer("lifecycle_holdings(states text[]) RETURNS TABLE(project text, station text, district text, "
             "station_kind text, contractor text)",
             "SELECT id, station_id, district, snapshot::json ->> 'station_kind', contractor_id FROM projects "
             "WHERE state = ANY(states) AND contractor_id IS NOT NULL"),
    # the contractor being awarded, by its id, from whichever district it is registered in
    _definer("lifecycle_contractor(cid text) RETURNS TABLE(id text, name text, credit_code text, district text)",
             "SELECT id, name, credit_code, district FROM contractors WHERE id = cid"),
    """CREATE OR REPLACE FUNCTION lifecycle_may_read(d text) RETURNS boolean
        LANGUAGE sql STABLE SET search_path FROM CURRENT
        AS $$ SELECT EXISTS (SELECT 1 FROM access_roles a WHERE a.role = current_user
                             AND (a.district IS NULL OR a.district = d)) $$""",
    """CREATE OR REPLACE FUNCTION lifecycle_may_write(d text) RETURNS boolean
        LANGUAGE sql STABLE SET search_path FROM CURRENT
        AS $$ SELECT EXISTS (SELECT 1 FROM access_roles a WHERE a.role = current_user AND NOT a.read_only
                             AND a.district IS NOT NULL AND (d IS NULL OR a.district = d)) $$""",
    """CREATE OR REPLACE FUNCTION lifecycle_may_write_in(d text) RETURNS boolean
        LANGUAGE sql STABLE SET search_path FROM CURRENT
        AS $$ SELECT EXISTS (SELECT 1 FROM access_roles a WHERE a.role = current_user AND NOT a.read_only
                             AND a.district = d) $$""",
)


def _policies(conn: Connection) -> None:
    for table, (read, write) in POLICIES.items():
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name in ("lifecycle_read", "lifecycle_write"):
            conn.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(f"CREATE POLICY lifecycle_read ON {table} FOR SELECT USING ({read})")
        conn.exec_driver_sql(f"CREATE POLICY lifecycle_write ON {table} FOR ALL "
                             f"USING ({write}) WITH CHECK ({write})")


def install(conn: Connection) -> None:
    """The functions and the policies, on PostgreSQL (revision 0010, and again at every grant)."""
    if conn.dialect.name == "postgresql":
        _functions(conn)
        _policies(conn)


def grant(conn: Connection, role: str, district: str | None, read_only: bool) -> None:
    """Create `role` if needed, record its district, grant its privileges, put the policies in place."""
    quoted = conn.dialect.identifier_preparer.quote(role)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if not exists:
        conn.exec_driver_sql(f"CREATE ROLE {quoted} NOLOGIN")
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    install(conn)
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
