"""Delivery that keeps its promise, against a real aiosmtpd server on 127.0.0.1.

- kill -9 of `notices send` at random points, 50 times: every letter delivered, none received twice;
  the interrupted ones are `uncertain` until a person resolves them;
- the server down: exit 1, everything still in the outbox with the error; back up: all delivered once;
- a server that accepts TCP and never answers: `send` returns within its deadline.
"""
from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from datetime import datetime, timezone

from sqlalchemy import select, update

from lifecycle.notifications.mail import letter_message_id
from lifecycle.services.delivery import send_all

from lifecycle.store import Store, letters, notices

LIFECYCLE = str(Path(sys.executable).with_name("lifecycle"))
KILLS = 50


class SlowInbox:
    """Keeps the Message-ID of every message accepted; a short pause per message widens the window a kill can hit."""

    def __init__(self, pause: float = 0.03) -> None:
        self.pause = pause
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(self.pause)
        msg = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.ids.append(msg["Message-ID"])
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def many_letters(lc, contractors: int = 8) -> None:
    """A district with one project per contractor, long overdue: one letter per contractor, one report, one memo."""
    lc.ok("issuer", "set", "--district", "历下区", "--name", "济南市历下区民政局", "--prefix", "历民函",
          "--email", "mzj@lixia.gov.cn")
    lc.ok("contact", "add", "--role", "purchaser", "--district", "历下区", "--name", "社工科", "--email", "sgk@lixia.gov.cn")
    lc.ok("contact", "add", "--role", "street", "--district", "历下区", "--name", "街道办", "--email", "jd@lixia.gov.cn")
    lc.ok("contact", "add", "--role", "city", "--name", "市局", "--email", "sgc@jinan.gov.cn")
    for k in range(contractors):
        lc.ok("contractor", "add", f"C{k}", "--name", f"第{k}社会工作服务中心")
        lc.ok("contact", "add", "--role", "contractor", "--contractor", f"C{k}", "--name", f"主任{k}",
              "--email", f"c{k}@org.cn")
        lc.ok("station", "add", f"S{k}", "--name", f"第{k}街道社会工作服务站", "--district", "历下区")
        lc.ok("project", "open", f"P{k}", "--station", f"S{k}", "--rulebook", "jinan", "--year", "2026",
              "--on", "2026-03-20")
        lc.ok("advance", f"P{k}", "announce", "--on", "2026-04-01")
        lc.ok("advance", f"P{k}", "award", f"contractor=C{k}", "--on", "2026-04-28")
        lc.ok("advance", f"P{k}", "sign", "--on", "2026-05-08")
    lc.ok("check", "--as-of", "2026-11-20")


def all_pending_again(db_url: str) -> None:
    """Test set-up between rounds: the same letters back in the outbox, as if freshly made."""
    with Store(db_url).transaction() as conn:
        for table in (letters, notices):
            conn.execute(update(table).values(status="pending", attempts=0, last_error=None, next_attempt_at=None,
                                              sent_at=None, message_id=None))
        conn.execute(update(letters).values(claimed_by=None))


def test_kill_9_at_random_points_never_delivers_a_letter_twice(lc, db_url):
    many_letters(lc)
    rows = lc.ok("letters", "--json").json()
    assert len(rows) == 10
    inbox, port = SlowInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    via = f"smtp://127.0.0.1:{port}"
    store = Store(db_url)
    chance = random.Random(12)
    interrupted = 0
    try:
        for _ in range(KILLS):
            all_pending_again(db_url)
            inbox.ids.clear()
            sender = subprocess.Popen([LIFECYCLE, "--db", db_url, "notices", "send", "--via", via],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(chance.uniform(0.2, 1.6))   # not a wait for a clock: a random moment to kill at
            sender.send_signal(signal.SIGKILL)
            sender.wait(timeout=30)
            # the next runs: the service itself, on the real clock (the server shares this process, so no
            # frozen clock here: it would freeze the server's event loop too)
            again = send_all(store, via, datetime.now(timezone.utc))
            uncertain = lc.ok("letters", "--status", "uncertain", "--json").json()
            assert again["ok"] == (not again["uncertain"])
            assert len(uncertain) <= 1, [u["last_error"] for u in uncertain]   # one letter at a time is in flight
            for letter in uncertain:
                interrupted += 1
                assert "resolve" in letter["last_error"]
                send_all(store, via, datetime.now(timezone.utc))
                assert lc.ok("letters", "--status", "uncertain", "--json").json() == [letter]   # never by itself
                # a person looks at the server's log, and settles it
                with store.reading() as conn:
                    row = conn.execute(select(letters).where(letters.c.id == letter["id"])).first()
                gone_out = letter_message_id(row) in inbox.ids
                lc.ok("letters", "resolve", str(letter["id"]), "--sent" if gone_out else "--resend")
            assert send_all(store, via, datetime.now(timezone.utc))["ok"]
            assert {r["status"] for r in lc.ok("letters", "--json").json()} == {"sent"}
            received = Counter(inbox.ids)
            assert len(received) == len(rows) and set(received.values()) == {1}, received
    finally:
        controller.stop()
    print(f"{KILLS} kills: {interrupted} letters uncertain, every letter received once")
    assert interrupted > 0   # some kills did land between the server's yes and the commit


def test_with_the_server_down_send_exits_1_and_keeps_every_letter_then_delivers_each_once(lc):
    many_letters(lc, contractors=3)
    port = free_port()
    via = f"smtp://127.0.0.1:{port}"
    down = lc("notices", "send", "--via", via, "--json")
    assert down.exit_code == 1
    assert "connection failures in a row" in down.stderr
    result = down.json()
    assert (result["sent"], result["failed"], result["uncertain"]) == (0, 3, 0)
    rows = lc.ok("letters", "--json").json()
    assert {r["status"] for r in rows} == {"failed", "pending"}
    assert all("Connection refused" in (r["last_error"] or "") for r in rows)
    inbox = SlowInbox(pause=0)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = lc("notices", "send", "--via", via, "--json")
        assert up.exit_code == 0 and up.json()["sent"] == len(rows)
        assert lc.ok("notices", "send", "--via", via, "--json").json()["sent"] == 0
    finally:
        controller.stop()
    assert sorted(Counter(inbox.ids).values()) == [1] * len(rows)


@pytest.fixture
def silent_server():
    """Accepts TCP connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for s in held:
        s.close()
    listener.close()


def test_a_server_that_never_answers_costs_no_more_than_the_deadline(lc, db_url, silent_server):
    many_letters(lc, contractors=6)
    command = [LIFECYCLE, "--db", db_url, "notices", "send", "--via", f"smtp://127.0.0.1:{silent_server}",
               "--timeout", "1", "--deadline", "10", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, env={**os.environ})
    assert done.returncode == 1
    rows = lc.ok("letters", "--json").json()
    assert {r["status"] for r in rows} <= {"failed", "pending"}
    assert sum(r["status"] == "failed" for r in rows) == 3   # three silent connections, then it stops
