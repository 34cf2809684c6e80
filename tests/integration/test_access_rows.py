"""Row-level security beyond the projects (revision 0010), on PostgreSQL: a district's role reads and
writes only its district's notices, letters, letter seals, stations, contractors, contacts, issuers
and reference changes; the auditor reads them all and writes none; the seal chain stays one chain and
append-only when a district's role sweeps; and the contractor guards still see every district.

The world is the demo (历下区 and 东营区, letters made by its sweep). Roles are made by `access grant`
and given LOGIN here (test_access.as_role); each test's roles are dropped after it.
"""
from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from conftest import Lifecycle
from test_access import _dsn, as_role

# table -> its key, and the owner's SQL for the keys of district :d's rows (shared rows included)
ROWS = {
    "notices": ("id", "SELECT n.id FROM notices n LEFT JOIN projects p ON p.id = n.project_id "
                      "WHERE COALESCE(p.district, substr(n.project_id, 10)) = %(d)s"),
    "letters": ("id", "SELECT id FROM letters WHERE district = %(d)s"),
    "letter_seals": ("seq", "SELECT s.seq FROM letter_seals s JOIN letters l ON l.id = s.letter_id "
                            "WHERE l.district = %(d)s"),
    "stations": ("id", "SELECT id FROM stations WHERE district = %(d)s"),
    "contractors": ("id", "SELECT id FROM contractors WHERE district = %(d)s OR district IS NULL"),
    "contacts": ("id", "SELECT id FROM contacts WHERE district = %(d)s OR district IS NULL"),
    "issuers": ("scope", "SELECT scope FROM issuers WHERE scope IN (%(d)s, '')"),
    "reference_changes": ("id", "SELECT id FROM reference_changes "
                                "WHERE COALESCE(after::json ->> 'district', before::json ->> 'district') = %(d)s"),
}


@pytest.fixture
def demo(db_url: str, tmp_path):
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    lc.ok("station", "update", "LX-DMH", "--name", "大明湖街道社会工作服务站（新址）")
    lc.ok("station", "update", "DY-WH", "--name", "文汇街道社会工作服务站（新址）")
    lc.ok("issuer", "set", "--city", "--name", "济南市民政局", "--prefix", "济民函")
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


def connect(lc: Lifecycle) -> psycopg.Connection:
    conn = psycopg.connect(_dsn(lc.url), autocommit=True)
    conn.execute(f"SET search_path TO {make_url(lc.url).query['options'].split('=')[1]}")
    return conn


def keys(conn: psycopg.Connection, sql: str, **params: str) -> set:
    return {r[0] for r in conn.execute(sql, params)}


@pytest.mark.postgres_only
def test_a_district_role_reads_only_its_districts_letters_seals_and_reference_rows_and_the_auditor_all(demo):
    lc, role = demo
    lixia, auditor = role("lixia"), role("audit")
    lc.ok("access", "grant", lixia, "--district", "历下区")
    lc.ok("access", "grant", auditor, "--auditor")
    with connect(lc) as owner, connect(as_role(lc, lixia)) as them, connect(as_role(lc, auditor)) as audit:
        for table, (key, own_sql) in ROWS.items():
            everything = keys(owner, f"SELECT {key} FROM {table}")
            mine = keys(owner, own_sql, d="历下区")
            assert mine and mine < everything, (table, mine, everything)   # the test can tell them apart
            assert keys(them, f"SELECT {key} FROM {table}") == mine, table
            assert keys(audit, f"SELECT {key} FROM {table}") == everything, table


@pytest.mark.postgres_only
def test_a_district_role_writes_only_its_own_rows_the_auditor_none_and_seals_stay_append_only(demo):
    lc, role = demo
    lixia, auditor = role("lixia"), role("audit")
    lc.ok("access", "grant", lixia, "--district", "历下区")
    lc.ok("access", "grant", auditor, "--auditor")
    them = as_role(lc, lixia)
    them.ok("station", "add", "LX-QC", "--name", "泉城路街道社会工作服务站", "--district", "历下区")
    r = them("station", "add", "DY-XL", "--name", "辛店街道社会工作服务站", "--district", "东营区")
    assert (r.exit_code, r.stdout) == (1, "")
    [line] = r.stderr.strip().splitlines()
    assert line.startswith("the database refused: new row violates row-level security policy"), line
    with connect(lc) as owner, connect(them) as w, connect(as_role(lc, auditor)) as audit:
        before = {t: owner.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ROWS}
        # another district's rows: an UPDATE or DELETE finds none of them
        for sql in ("UPDATE letters SET status = 'sent' WHERE district = '东营区'",
                    "DELETE FROM notices WHERE project_id LIKE 'DY-%%'",
                    "UPDATE stations SET name = 'x' WHERE district = '东营区'",
                    "UPDATE contacts SET email = 'x@example.cn' WHERE district = '东营区'",
                    "UPDATE issuers SET name = 'x' WHERE scope = '东营区'",
                    "UPDATE contacts SET email = 'x@example.cn' WHERE district IS NULL"):   # shared: read only
            assert w.execute(sql).rowcount == 0, sql
        # nor may it write a row into another district
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            w.execute("INSERT INTO contacts (role, district, name, email) "
                      "VALUES ('street', '东营区', 'x', 'x@example.cn')")
        # the seals: no UPDATE or DELETE for any role, even of its own district's
        for conn in (w, audit):
            for sql in ("UPDATE letter_seals SET state = 'sent'", "DELETE FROM letter_seals"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql)
        # the auditor: every write refused
        for sql in ("UPDATE letters SET status = 'sent'", "DELETE FROM notices", "UPDATE stations SET name = 'x'",
                    "INSERT INTO issuers (level, scope, name, prefix) VALUES ('district', '历下区', 'x', 'x')",
                    "UPDATE contractors SET name = 'x'", "DELETE FROM reference_changes"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                audit.execute(sql)
        after = {t: owner.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ROWS}
    assert after == before


@pytest.mark.postgres_only
def test_two_district_roles_sweeping_in_turn_make_only_their_letters_on_one_unbroken_seal_chain(demo):
    lc, role = demo
    lixia, dongying = role("lixia"), role("dongying")
    lc.ok("access", "grant", lixia, "--district", "历下区")
    lc.ok("access", "grant", dongying, "--district", "东营区")
    lc.now = "2027-01-20 09:00:00"
    with connect(lc) as owner:
        def seals_after(seq: int) -> list[tuple]:
            return owner.execute("SELECT s.seq, s.prev_hash, s.hash, l.district FROM letter_seals s "
                                 "JOIN letters l ON l.id = s.letter_id WHERE s.seq > %s ORDER BY s.seq",
                                 (seq,)).fetchall()
        start = owner.execute("SELECT max(seq) FROM letter_seals").fetchone()[0]
        assert as_role(lc, dongying).ok("check", "--as-of", "2027-01-20", "--json").json()["created"] > 0
        theirs = seals_after(start)
        assert theirs and {s[3] for s in theirs} == {"东营区"}
        # 历下区's role cannot read 东营区's seals, yet appends after the last of them
        assert as_role(lc, lixia).ok("check", "--as-of", "2027-01-20", "--json").json()["created"] > 0
        mine = seals_after(theirs[-1][0])
        assert mine and {s[3] for s in mine} == {"历下区"}
        assert mine[0][1] == theirs[-1][2]
        assert [s[0] for s in seals_after(start)] == list(range(start + 1, start + 1 + len(theirs) + len(mine)))
        total = owner.execute("SELECT count(*) FROM letter_seals").fetchone()[0]
    report = lc.ok("verify", "--all", "--json").json()
    assert (report["failed"], report["problems"], report["letter_seals"]) == ([], [], total)


@pytest.mark.postgres_only
def test_a_district_roles_award_is_refused_by_dy_exclusive_for_a_project_it_cannot_read(demo):
    lc, role = demo
    # FZ runs 文汇 (DY-2025-WH, 东营区); 垦利区 opens its own project while 东民〔2022〕62号 is in force
    lc.ok("station", "add", "KL-XJ", "--name", "兴隆街道社会工作服务站", "--district", "垦利区")
    lc.ok("project", "open", "KL-2025-XJ", "--station", "KL-XJ", "--rulebook", "dongying", "--year", "2025",
          "--on", "2025-11-03")
    kenli = role("kenli")
    lc.ok("access", "grant", kenli, "--district", "垦利区")
    them = as_role(lc, kenli)
    them.ok("advance", "KL-2025-XJ", "announce", "--on", "2026-09-10")
    # what it cannot read: 东营区's project, and FZ, a contractor of 东营区
    assert [p["project"] for p in them.ok("project", "list", "--json").json()] == ["KL-2025-XJ"]
    r = them("status", "DY-2025-WH")
    assert (r.exit_code, r.stderr.strip()) == (2, "unknown project DY-2025-WH")
    with connect(them) as conn:
        assert conn.execute("SELECT count(*) FROM projects WHERE district = '东营区'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM contractors WHERE id = 'FZ'").fetchone()[0] == 0
    r = them("advance", "KL-2025-XJ", "award", "contractor=FZ", "--on", "2026-10-20")
    assert (r.exit_code, r.stdout) == (1, ""), r.stderr
    [line] = r.stderr.strip().splitlines()
    assert "contractor FZ already runs station DY-WH in 东营区; it may not also run one in 垦利区" in line
    assert "DY-exclusive" in line
    assert [e["event"] for e in lc.ok("history", "KL-2025-XJ", "--json").json()] == ["open", "announce"]
    # the same award by a contractor that runs nothing elsewhere goes through: the guard, not RLS, refused
    them.ok("contractor", "add", "KX", "--name", "垦利区星光社会工作服务中心", "--district", "垦利区")
    them.ok("advance", "KL-2025-XJ", "award", "contractor=KX", "--on", "2026-10-20")
    with connect(them) as conn:   # the guard's function gives its narrow columns, never a whole row
        cols = [d.name for d in conn.execute("SELECT * FROM lifecycle_holdings(ARRAY['awarded'])").description]
        assert cols == ["project", "station", "district", "station_kind", "contractor"]
