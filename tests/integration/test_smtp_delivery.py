"""Delivery through a real SMTP server (aiosmtpd on 127.0.0.1) and into .eml files."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from lifecycle.notifications.mail import DirectoryTransport
from lifecycle.notifications.outbox import deliver
from lifecycle.store.tables import notices
from lifecycle.store import Store


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self):
        return [message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def overdue(lc):
    """A Jinan project with its publication duty due (a reminder to the purchaser) and its contacts."""
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("contractor", "add", "YG", "--name", "济南市历下区阳光社会工作服务中心")
    lc.ok("project", "open", "P1", "--station", "LX-JFL", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("advance", "P1", "announce", "--on", "2026-04-01")
    lc.ok("advance", "P1", "award", "contractor=YG", "--on", "2026-04-28")
    lc.ok("advance", "P1", "sign", "amount=600000", "--on", "2026-05-08")
    lc.ok("contact", "add", "--role", "purchaser", "--district", "历下区", "--name", "历下区民政局社工科",
          "--email", "sgk@lixia.gov.cn")
    lc.ok("contact", "add", "--role", "street", "--district", "历下区", "--name", "解放路街道办",
          "--email", "jfl@lixia.gov.cn")
    (notice,) = lc.ok("check", "--as-of", "2026-05-08", "--json").json()["notices"]
    return notice


def test_a_notice_reaches_a_real_smtp_server_with_its_chinese_subject_and_body_intact(lc, overdue, smtp_server,
                                                                                       smtp_port):
    r = lc.ok("notices", "send", "--via", f"smtp://127.0.0.1:{smtp_port}", "--json").json()
    assert r["sent"] == 1 and r["failed"] == 0
    (envelope,) = smtp_server.envelopes
    assert set(envelope.rcpt_tos) == {"sgk@lixia.gov.cn", "jfl@lixia.gov.cn"}   # the street office is copied
    raw = envelope.original_content
    assert b"=?utf-8?" in raw.lower()                   # RFC 2047: the subject travels as ASCII
    (msg,) = smtp_server.messages()
    assert msg["Subject"] == overdue["subject"] == "【提醒函】解放路街道社会工作服务站（P1）合同公告应于2026年5月11日前完成"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "历下区民政局：" in text and "济南市民政局\n2026年5月8日" in text
    assert "<h1" in html and "提醒函" in html
    assert msg["Message-ID"] and msg["Date"]
    row = lc.ok("notices", "--json").json()[0]
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 1, None)


def test_a_failed_delivery_stays_in_the_outbox_then_goes_once_the_server_is_back(lc, overdue, smtp_port):
    via = f"smtp://127.0.0.1:{smtp_port}"
    down = lc.ok("notices", "send", "--via", via, "--json").json()
    assert (down["sent"], down["failed"]) == (0, 1)
    (row,) = lc.ok("notices", "--status", "failed", "--json").json()
    assert row["attempts"] == 1 and "Connection refused" in row["last_error"]

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert lc.ok("notices", "send", "--via", via, "--json").json()["sent"] == 1
        assert lc.ok("notices", "send", "--via", via, "--json").json()["sent"] == 0   # never sent again
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 1
    (row,) = lc.ok("notices", "--json").json()
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, None)


def test_eml_files_are_rfc_5322_messages_dated_by_the_passed_in_clock(lc, overdue, tmp_path):
    outbox = tmp_path / "outbox"
    lc.now = "2026-05-08 01:30:00"
    lc.ok("notices", "send", "--via", str(outbox))
    (eml,) = outbox.glob("*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Subject"] == overdue["subject"]
    assert msg["Date"].datetime == datetime(2026, 5, 8, 1, 30, tzinfo=timezone.utc)
    assert msg["To"].addresses[0].addr_spec == "sgk@lixia.gov.cn"
    assert msg["To"].addresses[0].display_name == "历下区民政局社工科"
    assert "合同公告" in msg.get_body(("plain",)).get_content()


def test_an_undeliverable_notice_goes_once_a_contact_is_added(lc, tmp_path):
    lc.ok("station", "add", "S1", "--name", "龙居镇社工站", "--district", "莱芜区")
    lc.ok("contractor", "add", "YG", "--name", "阳光社工")
    lc.ok("project", "open", "P2", "--station", "S1", "--rulebook", "jinan", "--year", "2026", "--on", "2026-03-20")
    lc.ok("advance", "P2", "announce", "--on", "2026-04-01")
    lc.ok("advance", "P2", "award", "contractor=YG", "--on", "2026-04-28")
    lc.ok("advance", "P2", "sign", "--on", "2026-05-08")
    lc.ok("check", "--as-of", "2026-05-08")
    outbox = tmp_path / "outbox"
    r = lc.ok("notices", "send", "--via", str(outbox), "--json").json()
    assert (r["sent"], r["undeliverable"]) == (0, 1)
    (row,) = lc.ok("notices", "--json").json()
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 0, "no address for purchaser in 莱芜区")
    assert "(undeliverable)" in lc.ok("notices").stdout
    lc.ok("contact", "add", "--role", "purchaser", "--district", "莱芜区", "--name", "莱芜区民政局", "--email", "mz@laiwu.gov.cn")
    assert lc.ok("notices", "send", "--via", str(outbox), "--json").json()["sent"] == 1
    (row,) = lc.ok("notices", "--json").json()
    assert (row["status"], row["email"]) == ("sent", "mz@laiwu.gov.cn")


def test_the_daemon_waits_out_the_back_off_while_a_person_sends_at_once(lc, overdue, db_url, smtp_port, tmp_path):
    store = Store(db_url)
    t0 = datetime(2026, 5, 8, 1, 0, tzinfo=timezone.utc)
    from lifecycle.notifications.mail import SmtpTransport
    assert deliver(store, SmtpTransport("127.0.0.1", smtp_port), t0).failed == [overdue["id"]]
    with store.reading() as conn:
        next_at = conn.execute(select(notices.c.next_attempt_at)).scalar()
    assert next_at == (t0 + timedelta(minutes=5)).isoformat(timespec="microseconds")
    outbox = DirectoryTransport(tmp_path / "out")
    assert deliver(store, outbox, t0 + timedelta(minutes=4), respect_backoff=True).sent == []
    assert deliver(store, outbox, t0 + timedelta(minutes=4)).sent == [overdue["id"]]


def test_a_notice_claimed_by_another_sender_is_not_sent_and_a_stale_claim_is_recovered(lc, overdue, db_url,
                                                                                      tmp_path):
    store = Store(db_url)
    now = datetime(2026, 5, 8, 1, 0, tzinfo=timezone.utc)
    lease_end = (now + timedelta(minutes=3)).isoformat(timespec="microseconds")
    with store.transaction() as conn:
        conn.execute(update(notices).values(status="sending", next_attempt_at=lease_end))
    outbox = DirectoryTransport(tmp_path / "out")
    assert deliver(store, outbox, now).sent == []
    assert list(Path(tmp_path / "out").glob("*.eml")) == []
    later = deliver(store, outbox, now + timedelta(minutes=11))
    assert later.recovered == 1 and later.sent == [overdue["id"]]
