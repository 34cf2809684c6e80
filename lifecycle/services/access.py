"""`lifecycle access grant|list`: database roles for districts and auditors, on PostgreSQL only.

A district's role sees and writes only its district's projects (row-level
security, `lifecycle.store.access`); an auditor's role reads everything and
writes nothing. On SQLite there are no roles: the file's permissions protect it.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from lifecycle.core.errors import BadInput, said
from lifecycle.store import Store, stations
from lifecycle.store import access

ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _postgres(store: Store) -> None:
    if not store.url.startswith("postgresql"):
        raise BadInput(said("access control needs PostgreSQL: a SQLite database has no roles, "
                            "and the file's permissions are what protect it"))
    store.require()


def grant(store: Store, role: str, district: str | None, read_only: bool, auditor: bool) -> dict[str, Any]:
    """`access grant ROLE --district NAME [--read-only]` or `access grant ROLE --auditor`."""
    _postgres(store)
    if not ROLE.fullmatch(role) or role.startswith("pg_"):
        raise BadInput(said("role {role}: a role name is 1-63 lowercase letters, digits and _, "
                            "not starting with a digit or pg_", role=repr(role[:70])))
    if auditor == (district is not None):
        raise BadInput(said("role {role}: give either --district NAME or --auditor", role=role))
    if auditor and read_only:
        raise BadInput(said("role {role}: an auditor only reads already; --read-only goes with --district",
                            role=role))
    with store.transaction() as conn:
        if role == conn.exec_driver_sql("SELECT current_user").scalar_one():
            raise BadInput(said("role {role} is the engine's owner role, which bypasses row-level security: "
                                "grant to another role", role=role))
        if district is not None and not conn.execute(
                select(stations.c.id).where(stations.c.district == district).limit(1)).first():
            raise BadInput(said("role {role}: no station is in district {district} "
                                "(add one with `lifecycle station add`)", role=role, district=district))
        access.grant(conn, role, district, read_only or auditor)
        rows = access.granted(conn)
    return next(r for r in rows if r["role"] == role)


def listing(store: Store) -> list[dict[str, Any]]:
    """`access list`: every role granted, its district (none for an auditor) and whether it only reads."""
    _postgres(store)
    with store.reading() as conn:
        return access.granted(conn)
