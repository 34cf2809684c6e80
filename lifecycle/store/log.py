"""The append-only event log: read a project's events, read ranges of logs, append one.

No function here updates or deletes an event row. A conflicting `(project_id,
seq)` on append is another writer having been first: a `Conflict`.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

import orjson

from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from lifecycle.core.errors import Conflict, Corrupt, said
from lifecycle.core.events import Event, stored_data
from lifecycle.store.tables import events

_LOAD_EVENTS = ("SELECT project_id, seq, type, effective, recorded, actor, data, prev_hash, hash FROM events "
                "WHERE project_id = ? ORDER BY seq")


def load_events(conn: Connection, project_id: str) -> list[Event]:
    """A project's log in order. Read through the driver, not SQLAlchemy's result rows: replay and
    `verify --all` read every event there is, and this is twice as fast (dates parsed by fromisoformat).
    A row that cannot be read is `Corrupt`, naming its seq and field."""
    sql = _LOAD_EVENTS if conn.dialect.paramstyle == "qmark" else _LOAD_EVENTS.replace("?", "%s")
    return [decode_event(*row) for row in driver_rows(conn, sql, (project_id,))]


def driver_rows(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The rows of `sql` as the driver's own tuples, in the connection's transaction: no SQLAlchemy
    row object for each (a third of the cost of reading a log). A driver's error is raised as
    SQLAlchemy raises it, so that the command names a lock, a full disk or a damaged file as ever."""
    from sqlalchemy.exc import DBAPIError
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    except dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, dbapi.Error, dialect=conn.dialect) from exc
    finally:
        cursor.close()


def decode_event(pid: Any, seq: Any, type_: Any, eff: Any, recorded: Any, actor: Any, data: Any, prev_hash: Any,
                 hash_: Any) -> Event:
    """An `events` row as an Event; `Corrupt` naming the project, seq and field when it cannot be one."""
    if _plain(seq, type_, recorded, actor, data):
        try:
            return Event.read(pid, seq, type_, eff if isinstance(eff, date) else date.fromisoformat(eff), recorded,
                              actor, parsed(data), prev_hash, hash_, data)
        except (ValueError, TypeError):
            pass
    raise _bad(pid, seq, type_, recorded, actor, data, eff)


def parsed(data: str) -> Any:
    """The stored data as Python values: by orjson (a fifth of the time `json` takes, and a replay
    parses every event there is), by `json` what orjson refuses and `json` reads (NaN, say), so
    that every row stored by `json.dumps` reads as before."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def _plain(seq: Any, type_: Any, recorded: Any, actor: Any, data: Any) -> bool:
    return (type(seq) is int and isinstance(type_, str) and isinstance(recorded, str) and isinstance(actor, str)
            and isinstance(data, str) and data.startswith("{"))


def _bad(pid: Any, seq: Any, type_: Any, recorded: Any, actor: Any, data: Any, eff: Any) -> Corrupt:
    """Which field of an unreadable row is wrong, as the error to raise."""
    where = f"project {pid}: event {seq}"
    if type(seq) is not int:
        return Corrupt(said("project {project}: event {seq!r}: the field seq is not a whole number",
                project=pid, seq=str(seq)[:20]))
    for field, value in (("type", type_), ("recorded", recorded), ("actor", actor)):
        if not isinstance(value, str):
            return Corrupt(said("{where}: the field {field} is missing or not text", where=where, field=field))
    if not isinstance(eff, date):
        try:
            date.fromisoformat(str(eff))
        except ValueError:
            return Corrupt(said("{where}: the field effective {eff!r} is not a date",
                    where=where, eff=str(eff)[:40]))
    try:
        decoded = json.loads(data)
    except (ValueError, TypeError):
        return Corrupt(said("{where}: the field data is not JSON", where=where))
    if not isinstance(decoded, dict):
        return Corrupt(said("{where}: the field data is not a JSON object", where=where))
    return Corrupt(said("{where}: the row cannot be read", where=where))


def scan_between(conn: Connection, table: str, columns: tuple[str, ...], key: str, after: str | None,
                 upto: str | None, order: str, only: str | None = None) -> list[tuple[Any, ...]]:
    """Rows of `table` whose `key` lies in (after, upto] (either bound may be open), `ORDER BY order`;
    with `only`, the rows whose `key` is `only`.

    Through the driver, as `load_events`: `verify --all` reads every row of four tables in such
    ranges, and SQLAlchemy's row processing would cost as much as the reading.
    """
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    bounds = ((f"{key} > {mark}", after), (f"{key} <= {mark}", upto), (f"{key} = {mark}", only))
    where = [test for test, value in bounds if value is not None]
    sql = (f"SELECT {', '.join(columns)} FROM {table}" + (" WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY {order}")
    return driver_rows(conn, sql, tuple(value for _, value in bounds if value is not None))


def load_events_between(conn: Connection, after: str | None, upto: str | None,
                        broken: dict[str, str] | None = None) -> dict[str, list[Event]]:
    """The logs of the projects whose id lies in (after, upto], in one scan ordered by (project_id, seq).

    With `broken`, a project with a row that cannot be read is left out of the logs and its first
    such row named in `broken` (by project id), so the others are still read; without, it is `Corrupt`.
    """
    columns = ("project_id", "seq", "type", "effective", "recorded", "actor", "data", "prev_hash", "hash")
    logs: dict[str, list[Event]] = {}
    log: list[Event] = []
    for row in scan_between(conn, "events", columns, "project_id", after, upto, "project_id, seq"):
        pid = row[0]
        if broken is not None and pid in broken:
            continue
        try:
            event = decode_event(*row)
        except Corrupt as exc:
            if broken is None:
                raise
            broken[pid] = exc.message
            logs.pop(pid, None)
            log = []
            continue
        if not log or log[-1].project != pid:
            log = logs.setdefault(pid, [])
        log.append(event)
    return logs


def event_row(e: Event) -> dict[str, Any]:
    """The `events` row of an event: its data stored as the canonical text its hash covers."""
    return dict(project_id=e.project, seq=e.seq, type=e.type, effective=e.effective, recorded=e.recorded,
                actor=e.actor, data=stored_data(e.data),
                prev_hash=e.prev_hash, hash=e.hash)


def append_event(conn: Connection, e: Event) -> None:
    try:
        with conn.begin_nested():
            conn.execute(insert(events).values(**event_row(e)))
    except IntegrityError:
        raise Conflict(said("project {project} changed under this command: event {seq} was recorded by another writer first; look at `lifecycle status` and try again",
                project=e.project, seq=e.seq)) from None
