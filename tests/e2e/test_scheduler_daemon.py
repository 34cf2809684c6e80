"""`lifecycle scheduler run` as a real process: it catches up, delivers, and stops on SIGTERM.

The daemon reads the real clock (it is the shell), so the project here was
signed long before any day the test may run on: its duties are overdue
whatever today is. The waits below wait for a process, with a bound.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from lifecycle.core.calendar import WorkCalendar
from lifecycle.store.tables import letters, sweeps
from lifecycle.store import Store
from lifecycle.wiring import clock

# The daemon works on working days only: on a rest day these tests check that it did nothing.
WORKING_TODAY = WorkCalendar().is_working_day(clock().today)

LIFECYCLE = str(Path(sys.executable).with_name("lifecycle"))


def overdue_project_with_contacts(lc) -> None:
    lc.now = "2025-06-30 09:00:00"
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2025", "--on", "2025-03-20")
    lc.ok("advance", "P1", "announce", "--on", "2025-04-01")
    lc.ok("advance", "P1", "award", "contractor=YG", "--on", "2025-04-28")
    lc.ok("advance", "P1", "sign", "--on", "2025-05-08")
    for role in ("purchaser", "street", "city"):
        lc.ok("contact", "add", "--role", role, "--district", "历下区", "--name", f"{role} desk",
              "--email", f"{role}@lixia.gov.cn")
    lc.ok("contact", "add", "--role", "contractor", "--contractor", "YG", "--name", "王主任", "--email", "wang@yg.org")


def wait_for(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_the_daemon_catches_up_delivers_and_stops_cleanly_on_sigterm(lc, db_url, tmp_path):
    overdue_project_with_contacts(lc)
    outbox = tmp_path / "outbox"
    daemon = subprocess.Popen([LIFECYCLE, "--db", db_url, "scheduler", "run", "--via", str(outbox)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "LIFECYCLE_ACTOR": "scheduler"})
    try:
        if WORKING_TODAY:
            assert wait_for(lambda: _letter_count(db_url) > 0 and len(_sent(db_url)) == _letter_count(db_url)), \
                "the daemon made and delivered no letters"
            assert len(list(outbox.glob("*.eml"))) == len(_sent(db_url))
        else:
            assert wait_for(lambda: b"rest day" in daemon.stdout.peek()), "the daemon did not say it rests"
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err.decode()
    assert "scheduler stopped" in out.decode()
    with Store(db_url).reading() as conn:
        assert [r.trigger for r in conn.execute(select(sweeps))] == (["catch-up"] if WORKING_TODAY else [])


def test_once_catches_up_a_missed_sweep_only_once_a_day(lc, db_url, tmp_path):
    overdue_project_with_contacts(lc)
    outbox = tmp_path / "outbox"
    command = [LIFECYCLE, "--db", db_url, "scheduler", "run", "--once", "--via", str(outbox)]
    first = subprocess.run(command, capture_output=True, timeout=120)
    assert first.returncode == 0, first.stderr.decode()
    files = sorted(p.name for p in outbox.glob("*.eml"))
    assert len(files) == len(_sent(db_url))
    assert bool(files) == WORKING_TODAY
    second = subprocess.run(command, capture_output=True, timeout=120)
    assert second.returncode == 0 and "sweep as of" not in second.stdout.decode()
    assert sorted(p.name for p in outbox.glob("*.eml")) == files


def _sent(db_url: str) -> list[int]:
    with Store(db_url).reading() as conn:
        return [r.id for r in conn.execute(select(letters.c.id).where(letters.c.status == "sent"))]


def _letter_count(db_url: str) -> int:
    from sqlalchemy import func
    with Store(db_url).reading() as conn:
        return conn.execute(select(func.count()).select_from(letters)).scalar()
