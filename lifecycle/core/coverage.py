"""FJ-built (福建 引言): a station counts as built when it has premises, staff and services.

Pure: `built_status(snapshot)` reads a project's projection: premises recorded (a `premises`
event), staff in post (a roster, the project in service) and a first service recorded (a
`service` event). Coverage counts the stations built where the rulebook defines it.
"""
from __future__ import annotations

from typing import Any

PARTS = ("premises", "staff", "service")   # 有场地、有人员、有服务


def built_status(snap: dict[str, Any]) -> dict[str, Any]:
    """`{built, premises, staff, service, missing}`: the day each part was first recorded (or None)
    and the parts still missing; built when none is."""
    in_post = snap.get("state") == "in_service" and bool(snap.get("roster"))
    services = snap.get("services") or ()
    parts = {"premises": snap.get("premises_on"),
             "staff": snap.get("staffed_on") if in_post else None,
             "service": services[0]["on"] if services else None}
    missing = [k for k in PARTS if not parts[k]]
    return {"built": not missing, **parts, "missing": missing}
