"""The database itself refuses UPDATE and DELETE on the event log (revision 0007), on both backends."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from lifecycle.store import Store, events


@pytest.fixture
def logged(lc):
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("advance", "P1", "announce", "--on", "2026-04-01")
    return lc


@pytest.mark.parametrize("statement", [
    update(events).where(events.c.project_id == "P1").values(actor="王科长"),
    delete(events).where(events.c.project_id == "P1", events.c.seq == 2),
    delete(events),
], ids=["update", "delete-one", "delete-all"])
def test_the_database_refuses_to_update_or_delete_an_event(logged, statement):
    store = Store(logged.url)
    with pytest.raises(DBAPIError) as err:
        with store.transaction() as conn:
            conn.execute(statement)
    assert "the event log is append-only" in str(err.value)
    with store.reading() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 2
    store.dispose()


@pytest.mark.postgres_only
def test_truncate_is_refused_on_postgresql(logged):
    store = Store(logged.url)
    with pytest.raises(DBAPIError, match="append-only"):
        with store.transaction() as conn:
            conn.exec_driver_sql("TRUNCATE events")
    store.dispose()


def test_a_refused_update_reaches_the_user_as_one_sentence(logged, monkeypatch):
    """Even a code path that tried it would end in the database's own words, nothing written."""
    from lifecycle.store import log
    real = log.append_event

    def rewriting_append(conn, e):
        conn.execute(update(events).where(events.c.project_id == e.project).values(actor="someone"))
        real(conn, e)
    monkeypatch.setattr("lifecycle.services.projects.append_event", rewriting_append)
    r = logged("advance", "P1", "fail_tender", "reason=流标", "--on", "2026-05-01")
    assert r.exit_code == 1 and r.stdout == ""
    [line] = r.stderr.strip().splitlines()
    assert line.startswith("the database refused: ") and "append-only" in line and line.endswith("nothing was written")
