"""Delivery through a real SMTP server (aiosmtpd on 127.0.0.1) and into .eml files."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from lifecycle.notifications.mail import DirectoryTransport
from lifecycle.store import Store
from smtp_inbox import Inbox, free_port


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


def test_a_letter_reaches_a_real_smtp_server_with_its_chinese_subject_body_and_word_file_intact(lc, overdue,
                                                                                                smtp_server, smtp_port):
    r = lc.ok("notices", "send", "--via", f"smtp://127.0.0.1:{smtp_port}", "--json").json()
    assert (r["sent"], r["failed"], r["uncertain"]) == (1, 0, 0)
    (envelope,) = smtp_server.envelopes
    # the purchaser's own duty: an internal reminder to its office, nobody copied
    assert set(envelope.rcpt_tos) == {"sgk@lixia.gov.cn"}
    raw = envelope.original_content
    assert b"=?utf-8?" in raw.lower()                   # RFC 2047: the subject travels as ASCII
    (msg,) = smtp_server.messages()
    (letter,) = lc.ok("letters", "--json").json()
    assert msg["Subject"] == letter["subject"] == "【工作提示】关于社会工作服务站项目事项即将到期的工作提示（历下区民政局社工科，共1项）"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "历下区民政局社工科：" in text and "合同公告：应于2026年5月11日前完成" in text
    assert "<h1" in html and "工作提示" in html
    (attachment,) = msg.iter_attachments()
    assert attachment.get_filename() == "letter-000001.docx"
    from lifecycle.notifications.gongwen import docx_text
    assert docx_text(attachment.get_content()).split("\n") == [line for line in text.split("\n") if line.strip()]
    assert msg["Message-ID"] and msg["Date"]
    row = lc.ok("notices", "--json").json()[0]
    assert (row["status"], row["attempts"], row["last_error"], row["letter"]) == ("sent", 1, None, letter["id"])


def test_a_failed_delivery_exits_1_stays_in_the_outbox_then_goes_once_the_server_is_back(lc, overdue, smtp_port):
    via = f"smtp://127.0.0.1:{smtp_port}"
    down = lc("notices", "send", "--via", via, "--json")
    assert down.exit_code == 1 and "1 failed" in down.stderr
    assert (down.json()["sent"], down.json()["failed"]) == (0, 1)
    (row,) = lc.ok("letters", "--status", "failed", "--json").json()
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


def test_eml_and_docx_files_are_written_side_by_side_dated_by_the_passed_in_clock(lc, overdue, tmp_path):
    outbox = tmp_path / "outbox"
    lc.now = "2026-05-08 01:30:00"
    lc.ok("notices", "send", "--via", str(outbox))
    (eml,) = outbox.glob("*.eml")
    (docx,) = outbox.glob("*.docx")
    assert (eml.stem, docx.stem) == ("letter-000001", "letter-000001")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Date"].datetime == datetime(2026, 5, 8, 1, 30, tzinfo=timezone.utc)
    assert msg["To"].addresses[0].addr_spec == "sgk@lixia.gov.cn"
    assert msg["To"].addresses[0].display_name == "历下区民政局社工科"
    assert "合同公告" in msg.get_body(("plain",)).get_content()
    from lifecycle.notifications.gongwen import docx_text
    assert "合同公告" in docx_text(docx.read_bytes())


def test_an_undeliverable_letter_goes_once_a_contact_is_added(lc, tmp_path):
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
    (row,) = lc.ok("letters", "--json").json()
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 0, "no address for purchaser in 莱芜区")
    assert "(undeliverable)" in lc.ok("letters").stdout
    lc.ok("contact", "add", "--role", "purchaser", "--district", "莱芜区", "--name", "莱芜区民政局", "--email", "mz@laiwu.gov.cn")
    assert lc.ok("notices", "send", "--via", str(outbox), "--json").json()["sent"] == 1
    (row,) = lc.ok("notices", "--json").json()
    assert row["status"] == "sent"
    assert lc.ok("letters", "--json").json()[0]["email"] == "mz@laiwu.gov.cn"


def test_the_daemon_waits_out_the_back_off_while_a_person_sends_at_once(lc, overdue, db_url, smtp_port, tmp_path):
    from lifecycle.notifications.post import deliver_letters
    from lifecycle.store.tables import letters
    store = Store(db_url)
    t0 = datetime(2026, 5, 8, 1, 0, tzinfo=timezone.utc)
    from lifecycle.notifications.mail import SmtpTransport
    assert deliver_letters(store, SmtpTransport("127.0.0.1", smtp_port), t0).failed == [1]
    with store.reading() as conn:
        next_at = conn.execute(select(letters.c.next_attempt_at)).scalar()
    assert next_at == (t0 + timedelta(minutes=5)).isoformat(timespec="microseconds")
    outbox = DirectoryTransport(tmp_path / "out")
    assert deliver_letters(store, outbox, t0 + timedelta(minutes=4), respect_backoff=True).sent == []
    assert deliver_letters(store, outbox, t0 + timedelta(minutes=4)).sent == [1]


def test_a_letter_claimed_by_another_sender_is_not_sent_and_a_stale_claim_becomes_uncertain(lc, overdue, db_url,
                                                                                           tmp_path):
    from lifecycle.notifications.post import deliver_letters
    from lifecycle.store.tables import letters
    store = Store(db_url)
    now = datetime(2026, 5, 8, 1, 0, tzinfo=timezone.utc)
    lease_end = (now + timedelta(minutes=3)).isoformat(timespec="microseconds")
    with store.transaction() as conn:
        conn.execute(update(letters).values(status="sending", next_attempt_at=lease_end, claimed_by="elsewhere:1"))
    outbox = DirectoryTransport(tmp_path / "out")
    assert deliver_letters(store, outbox, now).sent == []
    assert list(Path(tmp_path / "out").glob("*.eml")) == []
    later = deliver_letters(store, outbox, now + timedelta(minutes=11))
    assert later.uncertain == [1] and later.sent == []          # it may have gone out: never re-sent by itself
    assert lc.ok("letters", "--status", "uncertain", "--json").json()[0]["id"] == 1
    assert lc.ok("notices", "--json").json()[0]["status"] == "uncertain"
    lc.ok("letters", "resolve", "1", "--resend")
    assert deliver_letters(store, outbox, now + timedelta(minutes=12)).sent == [1]
    assert lc("letters", "resolve", "1", "--sent").exit_code == 1   # only an uncertain letter is settled by hand
