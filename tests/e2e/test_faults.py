"""Failures of the environment told as they are: a full disk, a locked database, a server that
refuses, a missing table, a full or closed standard output. Each ends in one true sentence
(no traceback) that says what had been committed, and nothing else reaches stdout.
"""
from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from conftest import Lifecycle
from sqlite_lock import sqlite_write_lock
from processes import lifecycle_command
from lifecycle.store import notices
from lifecycle.store import database


def one_sentence(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert r.stdout == ""
    return lines[0]


def count_notices(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(notices)).scalar_one()
    engine.dispose()
    return n


@pytest.fixture
def demo(db_url: str, tmp_path: Path) -> Lifecycle:
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    return lc


def limit_sqlite_pages(monkeypatch: pytest.MonkeyPatch, spare_pages: int) -> None:
    """A real SQLITE_FULL: the file may grow by `spare_pages` pages beyond its size at the first connection."""
    plain = database._sqlite_pragmas
    limit: list[int] = []

    def pragmas(dbapi_conn, record):
        plain(dbapi_conn, record)
        cur = dbapi_conn.cursor()
        if not limit:
            limit.append(cur.execute("PRAGMA page_count").fetchone()[0] + spare_pages)
        cur.execute(f"PRAGMA max_page_count={limit[0]}")
        cur.close()
    monkeypatch.setattr(database, "_sqlite_pragmas", pragmas)


@pytest.mark.sqlite_only
def test_a_full_disk_during_an_import_is_named_and_nothing_is_written(lc, monkeypatch):
    rows = "".join(f"LX-{i:05d},第{i}街道社会工作服务站,历下区\n" for i in range(20_000))
    path = lc.write("many.csv", "id,name,district\n" + rows)
    before = Path(lc.url[len("sqlite:///"):]).read_bytes()
    limit_sqlite_pages(monkeypatch, 2)
    r = lc("station", "import", path)
    assert r.exit_code == 1
    assert one_sentence(r) == "the disk holding the database is full; nothing was written"
    assert Path(lc.url[len("sqlite:///"):]).read_bytes() == before


@pytest.mark.sqlite_only
def test_a_full_disk_during_check_says_how_many_notices_were_made_and_check_again_makes_the_rest(demo, monkeypatch):
    import lifecycle.services.mailing as mailing
    monkeypatch.setattr(mailing, "_BATCH", 1)   # one letter a transaction: the disk fills between them
    demo.now = "2027-06-01 09:00:00"   # a sweep of a day that has come (issue 12 refuses a future --as-of)
    before = count_notices(demo.url)
    db = sqlite3.connect(demo.url[len("sqlite:///"):])
    db.execute("VACUUM")   # no free pages inside the file: every new notice needs the file to grow
    db.close()
    limit_sqlite_pages(monkeypatch, 4)
    r = demo("check", "--as-of", "2027-06-01", "--json")
    assert r.exit_code == 1
    sentence = one_sentence(r)
    assert sentence.startswith("the disk holding the database is full; ")
    made = count_notices(demo.url) - before
    assert f"; {made} of the " in sentence and "run the same `lifecycle check` again to create the rest" in sentence
    due = int(sentence.split(f"; {made} of the ")[1].split(" ")[0])
    assert made < due
    monkeypatch.undo()
    again = demo.ok("check", "--as-of", "2027-06-01", "--json").json()
    assert again["created"] == due - made
    assert count_notices(demo.url) - before == due


@pytest.mark.sqlite_only
def test_a_database_locked_by_another_process_is_named_with_the_wait(lc, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 1)   # the wait is a setting; the lock is real
    with sqlite_write_lock(lc.url):
        r = lc("station", "add", "LX-LD", "--name", "龙洞街道社会工作服务站", "--district", "历下区")
    assert r.exit_code == 1
    assert one_sentence(r) == "database is locked by another process: waited 1 s; nothing was written"


def test_a_postgresql_port_that_is_closed_is_named_as_such(tmp_path):
    lc = Lifecycle("postgresql+psycopg://lifecycle@127.0.0.1:5999/lifecycle", tmp_path)
    r = lc("project", "list")
    assert r.exit_code == 1
    assert one_sentence(r) == ("cannot connect to PostgreSQL at 127.0.0.1:5999: connection refused; "
                               "nothing was written")


def test_a_missing_table_is_named_and_init_is_the_remedy(lc):
    engine = create_engine(lc.url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE stations"))
    engine.dispose()
    r = lc("station", "list")
    assert r.exit_code == 1
    sentence = one_sentence(r)
    assert "lacks a table this program needs" in sentence and "stations" in sentence
    assert "run `lifecycle init`" in sentence


def run(url: str, *args: str, stdout) -> subprocess.CompletedProcess:
    return subprocess.run([*lifecycle_command(), "--db", url, *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=120)


def test_a_full_standard_output_is_one_sentence_and_exit_2(demo):
    with open("/dev/full", "w") as full:
        r = run(demo.url, "project", "list", stdout=full)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "lifecycle project list: cannot write the standard output: No space left on device; nothing was written"]


def test_a_write_whose_output_cannot_be_printed_says_it_was_committed(demo):
    with open("/dev/full", "w") as full:
        r = run(demo.url, "station", "add", "LX-NEW1", "--name", "新街道社会工作服务站", "--district", "历下区",
                stdout=full)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "lifecycle station add: cannot write the standard output: No space left on device; "
        "1 transaction of this command had been committed before it"]
    assert "LX-NEW1" in demo.ok("station", "list").stdout


def test_a_closed_pipe_is_one_sentence_and_exit_2(demo):
    p = subprocess.Popen([*lifecycle_command(), "--db", demo.url, "export", "--all", "--format", "json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout.close()   # the reader went away before the output came
    err = p.stderr.read()
    assert p.wait(timeout=120) == 2
    assert err.strip().splitlines() == [
        "lifecycle export: the output pipe was closed before the output was written; nothing was written"]


@pytest.mark.sqlite_only
def test_a_full_disk_during_advance_is_named_not_a_lost_savepoint(demo, monkeypatch):
    db = sqlite3.connect(demo.url[len("sqlite:///"):])
    db.execute("PRAGMA page_size=512")   # small pages, packed: the event below cannot fit in any one's free space
    db.execute("VACUUM")
    db.close()
    before = Path(demo.url[len("sqlite:///"):]).read_bytes()
    limit_sqlite_pages(monkeypatch, 0)
    r = demo("advance", "LX-2026-JFL", "announce", "note=" + "公告" * 90, "--on", "2026-11-20")
    assert r.exit_code == 1
    assert one_sentence(r) == "the disk holding the database is full; nothing was written"
    assert Path(demo.url[len("sqlite:///"):]).read_bytes() == before


def test_a_bug_is_one_sentence_naming_the_saved_details_and_what_was_committed(demo, monkeypatch, tmp_path):
    """A failure the engine has no words for (a bug) still reaches the user as one sentence, with exit
    status 70; the traceback is kept in a file the sentence names, for whoever maintains the engine."""
    import lifecycle.services.replay as replay

    def broken(store, project_id):
        raise ZeroDivisionError("division by zero in a test")

    monkeypatch.setattr(replay, "history", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.delenv("LIFECYCLE_DEBUG", raising=False)
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)   # TMPDIR is read again
    r = demo("history", "LX-2026-JFL")
    line = one_sentence(r)
    assert r.exit_code == 70
    assert "internal error (ZeroDivisionError: division by zero in a test)" in line and "nothing was written" in line
    [saved] = tmp_path.glob("lifecycle-error-*.txt")
    assert str(saved) in line
    text_ = saved.read_text(encoding="utf-8")
    assert "Traceback" in text_ and "ZeroDivisionError" in text_ and "history LX-2026-JFL" in text_
