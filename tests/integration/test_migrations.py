"""Schema migrations: `lifecycle init` brings any database to the newest revision and loses nothing.

Old databases are built the way they were made then: at revision 0001 (or by
`create_all` before Alembic, i.e. 0001's tables without `alembic_version`),
filled with rows of 0001's columns only, by raw inserts, so these tests stay
true when later revisions add columns.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import lifecycle.store.tables  # noqa: F401 - the notice tables belong to the models compared
from conftest import Lifecycle
from lifecycle.store import migrate as schema
from lifecycle.store import Store, metadata

ROSTER = "name,role,age,education,qualified\n张伟,lead,32,本科,是\n李娜,worker,28,大专,yes\n王芳,worker,40,本科,no\n"


def walk_two_projects(lc: Lifecycle) -> None:
    """Two Jinan projects: one in service with reports and training, one still in procurement."""
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("station", "add", "LX-DMH", "--name", "大明湖街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心", "--credit-code", "52370102MJD1234562")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("project", "open", "P2", "--station", "LX-DMH", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-25")
    lc.ok("advance", "P1", "announce", "--on", "2026-04-01")
    lc.ok("advance", "P2", "announce", "--on", "2026-04-02")
    lc.ok("advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    lc.ok("advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    lc.ok("advance", "P1", "staff", f"roster={lc.write('roster.csv', ROSTER)}", "--on", "2026-06-01")
    lc.ok("advance", "P1", "report", "kind=monthly", "period=2026-06", "--on", "2026-07-03")
    lc.ok("advance", "P1", "training", "hours=8", "person=李娜", "--on", "2026-07-10")


def copy_rows(source: Store, target: Store, tables: list[str]) -> dict[str, int]:
    """Copy rows by raw insert, only the columns the target's tables have; returns rows per table."""
    counts = {}
    with source.engine.connect() as src, target.transaction() as dst:
        for name in tables:
            old = sa.Table(name, sa.MetaData(), autoload_with=dst)
            new = sa.Table(name, sa.MetaData(), autoload_with=src)
            rows = [dict(r._mapping) for r in src.execute(sa.select(*(new.c[c.name] for c in old.columns)))]
            if rows:
                dst.execute(old.insert(), rows)
            counts[name] = len(rows)
    return counts


def whole_snapshots(source: Store, target: Store) -> None:
    """The target's stored snapshots as revisions before 0013 kept them: with their obligations."""
    from lifecycle.store import load_snapshot
    with source.reading() as src, target.transaction() as dst:
        for pid in [r[0] for r in src.execute(sa.text("SELECT id FROM projects"))]:
            dst.execute(sa.text("UPDATE projects SET snapshot = :s WHERE id = :i"),
                        {"s": json.dumps(load_snapshot(src, pid), ensure_ascii=False, sort_keys=True), "i": pid})


@pytest.fixture
def first_schema_db(db_url: str, tmp_path: Path) -> tuple[str, list[dict]]:
    """A database at revision 0001 holding two projects' events and projections; and their history."""
    scratch = Lifecycle(f"sqlite:///{tmp_path / 'scratch.db'}", tmp_path)
    scratch.ok("init")
    walk_two_projects(scratch)
    old = Store(db_url)
    assert schema.upgrade(old, "0001") == "0001"
    counts = copy_rows(Store(scratch.url), old, ["stations", "contractors", "events", "projects", "obligations"])
    assert counts["events"] == 9
    whole_snapshots(Store(scratch.url), old)
    return db_url, scratch.ok("history", "P1", "--json").json()


def test_init_brings_an_empty_database_to_the_newest_revision(lc: Lifecycle) -> None:
    with Store(lc.url).engine.connect() as conn:
        assert schema.current(conn) == schema.head()
    assert lc.ok("init").stdout.strip().endswith(f"is at schema {schema.head()}")


def test_upgrading_a_first_revision_database_keeps_every_event_and_its_chain(first_schema_db, tmp_path: Path) -> None:
    url, history_before = first_schema_db
    lc = Lifecycle(url, tmp_path)
    lc.ok("init")
    with Store(url).engine.connect() as conn:
        assert schema.current(conn) == schema.head()
    assert lc.ok("history", "P1", "--json").json() == history_before
    for project in ("P1", "P2"):
        assert lc.ok("replay", project, "--verify", "--json").json()["verified"] is True
    assert lc.ok("status", "P1", "--json").json()["state"] == "in_service"
    lc.ok("advance", "P2", "award", "contractor=YG", "--on", "2026-05-06")
    assert lc.ok("replay", "P2", "--verify", "--json").json()["verified"] is True


def test_a_database_made_before_migrations_is_taken_as_the_first_revision_and_upgraded(
        first_schema_db, tmp_path: Path) -> None:
    url, history_before = first_schema_db
    with Store(url).transaction() as conn:  # what `create_all` left before Alembic: no version table
        conn.execute(sa.text("DROP TABLE alembic_version"))
    lc = Lifecycle(url, tmp_path)
    assert lc.ok("init").stdout.strip().endswith(f"is at schema {schema.head()}")
    assert lc.ok("history", "P1", "--json").json() == history_before
    assert lc.ok("replay", "P1", "--verify", "--json").json()["verified"] is True


def test_a_database_from_before_the_notice_tables_gains_them(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    schema.upgrade(store, "0001")
    with store.transaction() as conn:
        for table in ("alembic_version", "notices", "contacts", "sweeps"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
    Lifecycle(db_url, tmp_path).ok("init")
    with store.engine.connect() as conn:
        assert {"notices", "contacts", "sweeps"} <= set(sa.inspect(conn).get_table_names())


def test_the_migrated_database_matches_the_models_exactly(lc: Lifecycle) -> None:
    # a column added to a Table without a revision (or the reverse) shows up here
    with Store(lc.url).engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert differences == []


def test_init_on_a_database_at_the_newest_revision_changes_nothing(lc: Lifecycle) -> None:
    walk_two_projects(lc)
    before = lc.ok("history", "P1", "--json").json()
    lc.ok("init")
    assert lc.ok("history", "P1", "--json").json() == before


def test_every_revision_can_be_undone_and_redone(db_url: str) -> None:
    from alembic import command
    store = Store(db_url)
    schema.upgrade(store)
    with store.transaction() as conn:
        command.downgrade(schema.alembic_config(conn), "base")
        assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    assert schema.upgrade(store) == schema.head()


def test_projections_made_before_the_district_duties_are_refolded_by_init_and_verify(
        first_schema_db, tmp_path: Path) -> None:
    url, history_before = first_schema_db
    with Store(url).transaction() as conn:   # snapshots as they were before issue 10: no district duties
        for pid, text in conn.execute(sa.text("SELECT id, snapshot FROM projects")).all():
            snap = json.loads(text)
            for gone in ("district_duties", "contract_amount", "paid"):
                snap.pop(gone, None)
            conn.execute(sa.text("UPDATE projects SET snapshot = :s WHERE id = :i"),
                         {"s": json.dumps(snap, ensure_ascii=False), "i": pid})
    lc = Lifecycle(url, tmp_path)
    assert "2 projects refolded for the new schema" in lc.ok("init").stdout
    assert lc.ok("history", "P1", "--json").json() == history_before
    result = lc.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["districts"] == 1
    plan = [o for o in lc.ok("district", "status", "历下区", "--json").json()["obligations"] if o["id"] == "plan:2026"]
    assert plan and plan[0]["status"] == "met"
    assert "refolded" not in lc.ok("init").stdout   # once only


def test_letters_made_before_the_seals_are_sealed_as_they_stand_by_the_upgrade(db_url: str, tmp_path: Path) -> None:
    from alembic import command
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    store = Store(db_url)
    with store.transaction() as conn:
        command.downgrade(schema.alembic_config(conn), "0007")
        assert "letter_seals" not in sa.inspect(conn).get_table_names()
    assert schema.upgrade(store) == schema.head()
    result = lc.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["letters"] == result["letter_seals"] == 8


def test_notices_carried_by_letters_give_up_their_own_text_on_upgrade(db_url: str, tmp_path: Path) -> None:
    from alembic import command

    from lifecycle.store.tables import notices
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    store = Store(db_url)
    with store.transaction() as conn:
        command.downgrade(schema.alembic_config(conn), "0010")
        # as the sweep wrote them before: each notice with its own letter text
        conn.execute(sa.update(notices).values(body_text="旧通知正文", body_html="<p>旧通知正文</p>"))
        alone = conn.execute(sa.select(sa.func.min(notices.c.id))).scalar_one()
        conn.execute(sa.update(notices).where(notices.c.id == alone).values(letter_id=None))  # made before letters
    assert schema.upgrade(store) == schema.head()
    with store.reading() as conn:
        rows = {r.id: (r.body_text, r.body_html) for r in conn.execute(sa.select(notices))}
    assert rows.pop(alone) == ("旧通知正文", "<p>旧通知正文</p>")
    assert rows and set(rows.values()) == {("", "")}


def test_the_upgrade_moves_each_snapshots_obligations_into_the_rows_and_they_still_verify(
        db_url: str, tmp_path: Path) -> None:
    from alembic import command

    from lifecycle.store.tables import obligations, projects
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    store = Store(db_url)
    with store.reading() as conn:
        ids = [r.id for r in conn.execute(sa.select(projects.c.id).order_by(projects.c.id))]
    shown = {pid: lc.ok("status", pid, "--json").json() for pid in ids}
    with store.transaction() as conn:
        command.downgrade(schema.alembic_config(conn), "0012")   # the snapshots take their obligations back
        snaps = {r.id: json.loads(r.snapshot) for r in conn.execute(sa.select(projects.c.id, projects.c.snapshot))}
        assert {pid: [(o["due"], o["id"]) for o in s["obligations"]] for pid, s in snaps.items()} == \
            {pid: [(o["due"], o["id"]) for o in s["obligations"]] for pid, s in shown.items()}
        gone = snaps[ids[0]]["obligations"][0]["id"]   # a duty of the snapshot without its row
        conn.execute(sa.text("DELETE FROM obligations WHERE project_id = :p AND id = :i"), {"p": ids[0], "i": gone})
    assert schema.upgrade(store) == schema.head()
    with store.reading() as conn:
        assert not any("obligations" in json.loads(r.snapshot) for r in conn.execute(sa.select(projects.c.snapshot)))
        assert conn.execute(sa.select(obligations.c.id).where(obligations.c.project_id == ids[0],
                                                             obligations.c.id == gone)).first() is not None
    assert {pid: lc.ok("status", pid, "--json").json() for pid in ids} == shown
    result = lc.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["verified"] == len(ids)
