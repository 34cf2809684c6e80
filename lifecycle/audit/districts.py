"""`verify --all` over the districts: each district's hash chain, and its projection against the
fold of its projects' contributions and its own log (`lifecycle.core.district`)."""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.core.district import fold_district, key
from lifecycle.core.events import chain_break
from lifecycle.store import events
from lifecycle.core import rulebook as rulebooks
from lifecycle.store.districts import (district_names, district_rows, every_contribution, every_district_log,
                                       every_district_projection)


Findings = tuple[int, int, list[tuple[str, str, str, bool]]]   # districts, events, (name, key, problem, chain?)


def district_findings(conn: Connection) -> Findings:
    """Every district's chain and projection checked, each problem with its district's name and
    whether it is the chain's (a chain break is named whatever its projects' proofs say); a worker
    of `verify --all` finds them while the others verify the projects."""
    found, n_events, names = [], 0, district_names(conn)
    # every district's rows in a few scans, not a few queries for each of thousands of districts
    logs, contributions = every_district_log(conn), every_contribution(conn)
    snaps, stored_rows = every_district_projection(conn)
    for name in names:
        log = logs.get(name, [])
        n_events += len(log)
        broken = chain_break(log)
        if broken:
            found.append((name, key(name), f"district {name}: the hash chain breaks at event {broken[0]}: {broken[1]}",
                          True))
            continue
        try:
            want = fold_district(name, contributions.get(name, []), log)
        except Exception as exc:  # noqa: BLE001 - a corrupt contribution is that district's finding, not the run's end
            found.append((name, key(name), f"district {name}: its projects' contributions do not fold: "
                                           f"{type(exc).__name__}: {str(exc)[:200]}", False))
            continue
        stored = snaps.get(name)
        if not want["obligations"] and not log and (stored is None or not stored.get("obligations")):
            continue
        if stored != want:
            found.append((name, key(name), f"district {name}: the stored projection differs from the fold of its "
                                           "projects and its log", False))
        elif stored_rows.get(name, {}) != district_rows(want):
            found.append((name, key(name), f"district {name}: the district_obligations rows differ from its "
                                           "projection", False))
    return len(names), n_events, found


def judged(findings: Findings, tainted: set[str]) -> tuple[int, int, list[tuple[str, str]]]:
    """(districts, events, [(district key, first problem)]): the findings of `district_findings`, less
    the projections of the districts in `tainted` (`tainted_by`). A district with a project that
    failed its own proof is not judged on its projection: the district is folded from its projects'
    stored snapshots, and the project's failure is named already."""
    n, n_events, found = findings
    return n, n_events, [(k, why) for name, k, why, chain in found if chain or name not in tainted]


def tainted_by(conn: Connection, project_ids: list[str]) -> set[str]:
    """The districts the projects were opened in, read from their opening events, and the provinces
    their rulebooks owe to: the projections the failed projects feed."""
    if not project_ids:
        return set()
    rows = conn.execute(select(events.c.data).where(events.c.project_id.in_(project_ids), events.c.seq == 1))
    out = set()
    for r in rows:
        data = json.loads(r.data)
        out.add(data.get("district", ""))
        try:   # and the province its rulebook owes to (FJ-cadence), folded from the same snapshots
            out.add(rulebooks.load(data["rulebook"], data["rulebook_version"]).settings.get("province") or "")
        except Exception:  # noqa: BLE001 - its own proof names what is wrong with its opening
            pass
    return out
