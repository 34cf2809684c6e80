"""Lean snapshots: a project's duties live in the `obligations` rows alone.

Each stored snapshot (`projects.snapshot`) held the project's obligations
list, four fifths of its text, while the `obligations` table held most of the
same fields again. This revision gives the table the fields it lacked
(window_start, window_end, required, progress, setting, note, match), fills
them from each project's stored snapshot, and rewrites each snapshot without
its obligations: readers put the rows back (`lifecycle.store.projections`),
in the fold's order, by (due, id). An obligation in a snapshot that has no row
is given one, so nothing the snapshot held is lost. A snapshot without
"obligations" (already lean) is left as it is. The projects are read and
written a batch at a time. The event log is not touched.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 500   # projects a round trip
NEW = ("window_start", "window_end", "required", "progress", "setting", "note", "match")
OLD = ("kind", "rule", "basis", "due", "provisional", "status", "subject", "met_on", "met_seq")
DATES = ("due", "window_start", "window_end", "met_on")

obligations = sa.table(
    "obligations", *(sa.column(name) for name in ("project_id", "id", "district", "station_id", *OLD, *NEW)))
projects = sa.table("projects", sa.column("id"), sa.column("snapshot"))


def upgrade() -> None:
    with op.batch_alter_table("obligations") as batch:
        batch.add_column(sa.Column("window_start", sa.Date))
        batch.add_column(sa.Column("window_end", sa.Date))
        batch.add_column(sa.Column("required", sa.Float))
        batch.add_column(sa.Column("progress", sa.Float, nullable=False, server_default="0"))
        batch.add_column(sa.Column("setting", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("note", sa.Text))
        batch.add_column(sa.Column("match", sa.Text))
    conn = op.get_bind()
    fill = (sa.update(obligations)
            .where(obligations.c.project_id == sa.bindparam("p"), obligations.c.id == sa.bindparam("i"))
            .values(**{k: sa.bindparam(f"v_{k}") for k in NEW}))
    rewrite = sa.update(projects).where(projects.c.id == sa.bindparam("p")).values(snapshot=sa.bindparam("s"))
    for batch_rows in _batches(conn, "SELECT id, snapshot FROM projects"):
        fills, adds, rewrites = [], [], []
        whole = {}
        for pid, text in batch_rows:
            try:
                snap = json.loads(text)
            except (TypeError, ValueError):
                continue   # not JSON: its project fails its proof as before, and a refold mends it
            if isinstance(snap, dict) and isinstance(snap.get("obligations"), list):
                whole[pid] = snap
        have = _row_ids(conn, sorted(whole))
        for pid, snap in whole.items():
            for o in snap["obligations"]:
                row = _row(o)
                if (pid, o["id"]) in have:
                    fills.append({"p": pid, "i": o["id"], **{f"v_{k}": row[k] for k in NEW}})
                else:
                    adds.append({"project_id": pid, "id": o["id"], "district": snap["district"],
                                 "station_id": snap["station"], **row})
            lean = {k: v for k, v in snap.items() if k != "obligations"}
            rewrites.append({"p": pid, "s": json.dumps(lean, ensure_ascii=False, sort_keys=True)})
        if fills:
            conn.execute(fill, fills)
        if adds:
            conn.execute(sa.insert(obligations), adds)
        if rewrites:
            conn.execute(rewrite, rewrites)


def downgrade() -> None:
    """Puts each project's obligations back into its snapshot, from the rows, then drops the columns."""
    conn = op.get_bind()
    rewrite = sa.update(projects).where(projects.c.id == sa.bindparam("p")).values(snapshot=sa.bindparam("s"))
    cols = ("project_id", "id", *OLD, *NEW)
    for batch_rows in _batches(conn, "SELECT id, snapshot FROM projects"):
        ids = [pid for pid, _ in batch_rows]
        held: dict[str, list[dict[str, Any]]] = {}
        for r in conn.execute(sa.select(*(obligations.c[k] for k in cols)).where(obligations.c.project_id.in_(ids))):
            held.setdefault(r[0], []).append(_duty(dict(zip(cols[1:], r[1:]))))
        rewrites = []
        for pid, text in batch_rows:
            try:
                snap = json.loads(text)
            except (TypeError, ValueError):
                continue
            if isinstance(snap, dict) and "obligations" not in snap:
                snap["obligations"] = sorted(held.get(pid, []), key=lambda o: (o["due"], o["id"]))
                rewrites.append({"p": pid, "s": json.dumps(snap, ensure_ascii=False, sort_keys=True)})
        if rewrites:
            conn.execute(rewrite, rewrites)
    with op.batch_alter_table("obligations") as batch:
        for name in reversed(NEW):
            batch.drop_column(name)


def _batches(conn: Any, sql: str) -> Any:
    """The (id, snapshot) rows of the projects, `BATCH` at a time in id order (keyset, not OFFSET)."""
    last = None
    while True:
        q = sa.text(sql + (" WHERE id > :last" if last is not None else "") + " ORDER BY id LIMIT :n")
        rows = conn.execute(q, {"n": BATCH, **({"last": last} if last is not None else {})}).all()
        if not rows:
            return
        yield [tuple(r) for r in rows]
        last = rows[-1][0]


def _row_ids(conn: Any, ids: list[str]) -> set[tuple[str, str]]:
    if not ids:
        return set()
    q = sa.select(obligations.c.project_id, obligations.c.id).where(obligations.c.project_id.in_(ids))
    return {(r[0], r[1]) for r in conn.execute(q)}


def _row(o: dict[str, Any]) -> dict[str, Any]:
    """An obligation of a stored snapshot as its row (as `lifecycle.store.projections` wrote it at this revision)."""
    row = {k: o.get(k) for k in (*OLD, *NEW)}
    for key in DATES:
        row[key] = date.fromisoformat(row[key]) if row[key] else None
    row["provisional"], row["setting"] = bool(row["provisional"]), bool(row["setting"])
    row["progress"] = row["progress"] or 0.0
    row["match"] = None if row["match"] is None else json.dumps(row["match"], ensure_ascii=False, sort_keys=True)
    return row


def _duty(row: dict[str, Any]) -> dict[str, Any]:
    """An obligations row as the snapshot's dict of it."""
    for key in DATES:
        value = row[key]
        row[key] = value.isoformat() if isinstance(value, date) else value
    row["provisional"], row["setting"] = bool(row["provisional"]), bool(row["setting"])
    row["match"] = json.loads(row["match"]) if row["match"] is not None else None
    if isinstance(row["required"], float) and row["required"].is_integer():
        row["required"] = int(row["required"])
    return row
