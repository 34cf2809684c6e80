"""Who may do what, on PostgreSQL: `lifecycle access grant|list`, row-level security per district,
an auditor who reads and never writes, an actor the database names.

Each role is made by `access grant` (NOLOGIN), then given LOGIN and a password here so the test can
connect as it. On SQLite the commands refuse in one sentence.
"""
from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from conftest import Lifecycle


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql", query={}).render_as_string(hide_password=False)


@pytest.fixture
def districts(lc: Lifecycle):
    """Two districts with a project each, and a fresh role name per role, dropped after the test."""
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("station", "add", "SZ-DMH", "--name", "大明湖街道社会工作服务站", "--district", "市中区")
    lc.ok("project", "open", "LX1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("project", "open", "SZ1", "--station", "SZ-DMH", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    suffix = uuid.uuid4().hex[:8]
    made: list[str] = []

    def role(name: str) -> str:
        made.append(f"{name}_{suffix}")
        return made[-1]
    yield lc, role
    with psycopg.connect(_dsn(lc.url), autocommit=True) as conn:
        for r in made:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (r,)).fetchone():
                conn.execute(f"DROP OWNED BY {r}")
                conn.execute(f"DROP ROLE {r}")


def as_role(lc: Lifecycle, role: str) -> Lifecycle:
    """The same database, connected as `role` (given LOGIN and a password by the owner here)."""
    with psycopg.connect(_dsn(lc.url), autocommit=True) as conn:
        conn.execute(f"ALTER ROLE {role} LOGIN PASSWORD 'secret'")
    url = make_url(lc.url).set(username=role, password="secret").render_as_string(hide_password=False)
    return Lifecycle(url, lc.workdir, lc.now)


def project_ids(lc: Lifecycle) -> list[str]:
    return sorted(p["project"] for p in lc.ok("project", "list", "--json").json())


@pytest.mark.postgres_only
def test_a_district_role_sees_and_advances_only_its_own_district(districts):
    lc, role = districts
    lixia = role("lixia")
    granted = lc.ok("access", "grant", lixia, "--district", "历下区", "--json").json()
    assert granted == {"role": lixia, "district": "历下区", "read_only": False, "auditor": False}
    them = as_role(lc, lixia)
    assert project_ids(them) == ["LX1"]
    for hidden in (("status", "SZ1", "--json"), ("advance", "SZ1", "announce", "--on", "2026-04-01")):
        r = them(*hidden)
        assert (r.exit_code, r.stdout, r.stderr.strip()) == (2, "", "unknown project SZ1"), hidden
    them.ok("advance", "LX1", "announce", "--on", "2026-04-01")
    # another district's project cannot be opened either: its station is hidden too (revision 0010)
    r = them("project", "open", "SZ2", "--station", "SZ-DMH", "--rulebook", "jinan", "--year", "2026",
             "--on", "2026-03-20")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.strip() == "project SZ2: unknown station SZ-DMH (add it with `lifecycle station add`)"
    # the owner still sees everything, and SZ1 was not advanced
    assert project_ids(lc) == ["LX1", "SZ1"]
    assert [e["event"] for e in lc.ok("history", "SZ1", "--json").json()] == ["open"]


@pytest.mark.postgres_only
def test_a_read_only_district_role_reads_its_district_and_writes_nothing(districts):
    lc, role = districts
    viewer = role("lixia_view")
    lc.ok("access", "grant", viewer, "--district", "历下区", "--read-only")
    them = as_role(lc, viewer)
    assert project_ids(them) == ["LX1"]
    r = them("advance", "LX1", "announce", "--on", "2026-04-01")
    assert r.exit_code == 1 and r.stdout == ""
    [line] = r.stderr.strip().splitlines()
    assert line.startswith("the database refused: permission denied") and line.endswith("nothing was written")


@pytest.mark.postgres_only
def test_the_auditor_verifies_everything_and_every_write_fails_in_one_sentence(districts):
    lc, role = districts
    auditor = role("audit")
    lc.ok("access", "grant", auditor, "--auditor")
    them = as_role(lc, auditor)
    assert project_ids(them) == ["LX1", "SZ1"]
    assert them.ok("verify", "--all", "--json").json()
    for write in (("advance", "LX1", "announce", "--on", "2026-04-01"),
                  ("project", "open", "LX2", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026",
                   "--on", "2026-03-20"),
                  ("station", "add", "LX-QC", "--name", "泉城路街道社会工作服务站", "--district", "历下区"),
                  ("correct", "LX1", "1", "--on", "2026-03-21", "--reason", "日期有误"),
                  ("district", "report", "历下区", "annual", "--period", "2025", "--on", "2026-01-20")):
        r = them(*write)
        assert r.exit_code == 1 and r.stdout == "", (write, r.stderr)
        [line] = r.stderr.strip().splitlines()
        assert line.startswith("the database refused: permission denied"), (write, line)
    assert [e["event"] for e in lc.ok("history", "LX1", "--json").json()] == ["open"]


@pytest.mark.postgres_only
def test_update_of_events_fails_for_every_role_the_engine_creates(districts):
    lc, role = districts
    roles = [role("w"), role("r"), role("a")]
    lc.ok("access", "grant", roles[0], "--district", "历下区")
    lc.ok("access", "grant", roles[1], "--district", "市中区", "--read-only")
    lc.ok("access", "grant", roles[2], "--auditor")
    listed = lc.ok("access", "list", "--json").json()
    assert {r["role"]: (r["district"], r["read_only"]) for r in listed} == {
        roles[0]: ("历下区", False), roles[1]: ("市中区", True), roles[2]: (None, True)}
    for r in roles:
        url = as_role(lc, r).url
        with psycopg.connect(_dsn(url), autocommit=True) as conn:
            conn.execute(f"SET search_path TO {make_url(lc.url).query['options'].split('=')[1]}")
            for statement in ("UPDATE events SET actor = '王科长'", "DELETE FROM events", "TRUNCATE events"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
    assert [e["event"] for e in lc.ok("history", "LX1", "--json").json()] == ["open"]


@pytest.mark.postgres_only
def test_the_actor_recorded_is_the_role_that_connected_with_actor_as_its_display_name(districts):
    lc, role = districts
    lixia = role("lixia")
    lc.ok("access", "grant", lixia, "--district", "历下区")
    them = as_role(lc, lixia)
    them.ok("advance", "LX1", "announce", "--on", "2026-04-01")
    r = them("advance", "LX1", "fail_tender", "reason=流标", "--on", "2026-05-01", actor=lixia)
    assert r.exit_code == 0, r.stderr
    actors = [e["actor"] for e in lc.ok("history", "LX1", "--json").json()]
    owner = make_url(lc.url).username
    assert actors == [f"{owner} (tester)", f"{lixia} (tester)", lixia]
    assert lc.ok("verify", "--all", "--json").json()


@pytest.mark.sqlite_only
def test_access_on_sqlite_says_it_needs_postgresql(lc: Lifecycle):
    for args in (("access", "list"), ("access", "grant", "lixia", "--district", "历下区"),
                 ("access", "grant", "audit", "--auditor")):
        r = lc(*args)
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr.strip() == ("access control needs PostgreSQL: a SQLite database has no roles, "
                                    "and the file's permissions are what protect it")
