"""Sealed letters (issue 14): every letter's content and delivery state are bound into one
append-only hash chain; `verify --all` names a deleted, added or rewritten letter and a broken
chain, while the projects still verify; a checkpoint covers the chain's head.
"""
from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from conftest import Lifecycle
from tamper import tampering


class Inbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.count += 1
        await asyncio.sleep(0)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def demo(db_url: str, tmp_path: Path) -> Lifecycle:
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    return lc


def sent_letters(lc: Lifecycle) -> list[int]:
    """Deliver the demo's letters to a real SMTP server on 127.0.0.1; the ids now sent."""
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        lc("notices", "send", "--via", f"smtp://127.0.0.1:{port}")
    finally:
        server.stop()
    assert inbox.count > 0
    return [r["id"] for r in lc.ok("letters", "--status", "sent", "--json").json()]


def scalar(url: str, sql: str):
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def failing(lc: Lifecycle) -> dict:
    r = lc("verify", "--all", "--json")
    assert r.exit_code == 1
    result = r.json()
    assert result["verified"] == 14   # the projects still verify
    return result


def test_a_clean_demo_verifies_with_every_letter_sealed(demo):
    result = demo.ok("verify", "--all", "--json").json()
    assert result["failed"] == [] and result["letters"] == 8 and result["letter_seals"] == 8
    assert "8 letters, 8 seals" in demo.ok("verify", "--all").stdout


def test_delivery_seals_each_state_change_and_still_verifies(demo):
    sent = sent_letters(demo)
    result = demo.ok("verify", "--all", "--json").json()
    assert result["failed"] == []
    assert result["letter_seals"] == 8 + 2 * len(sent)   # made, then sending and sent
    assert scalar(demo.url, "SELECT state FROM letter_seals ORDER BY seq DESC LIMIT 1") == "sent"


@pytest.mark.parametrize("sql", ["UPDATE letter_seals SET state = 'sent'", "DELETE FROM letter_seals"])
def test_the_database_refuses_to_update_or_delete_a_seal(demo, sql):
    engine = create_engine(demo.url, poolclass=NullPool)
    try:
        with pytest.raises(DBAPIError, match="letter seals are append-only"):
            with engine.begin() as conn:
                conn.execute(text(sql))
    finally:
        engine.dispose()
    assert demo.ok("verify", "--all", "--json").json()["letter_seals"] == 8


def test_a_deleted_letter_is_named(demo):
    with tampering(demo.url) as conn:
        conn.execute(text("DELETE FROM letters WHERE id = 3"))
    result = failing(demo)
    assert result["failed"] == ["letter 3"]
    assert result["problems"] == ["letter 3: it was sealed when it was made but is missing: it was deleted"]


def test_a_sent_letters_rewritten_text_is_named(demo):
    lid = sent_letters(demo)[0]
    with tampering(demo.url) as conn:
        conn.execute(text("UPDATE letters SET body_text = body_text || '（补充）' WHERE id = :id"), {"id": lid})
    result = failing(demo)
    assert result["problems"] == [f"letter {lid}: its text differs from the one sealed when it was made"]
    zh = demo("--lang", "zh", "verify", "--all")
    assert zh.exit_code == 1 and f"函件 {lid}" in zh.stdout


def test_a_letter_added_without_a_seal_is_named(demo):
    with tampering(demo.url) as conn:
        names = conn.execute(text("SELECT * FROM letters WHERE id = 1")).keys()
        columns = ", ".join(c for c in names if c not in ("id", "serial", "number"))   # numbers are unique
        conn.execute(text(f"INSERT INTO letters (id, {columns}) SELECT 100, {columns} FROM letters WHERE id = 1"))
    result = failing(demo)
    assert result["problems"] == ["letter 100: it has no seal: it was added outside the engine"]


def test_a_state_changed_outside_the_engine_is_named(demo):
    with tampering(demo.url) as conn:
        conn.execute(text("UPDATE letters SET status = 'sent' WHERE id = 2"))
    assert failing(demo)["problems"] == ["letter 2: its delivery state (sent) differs from the last one sealed "
                                         "(pending)"]


def test_a_rewritten_seal_breaks_the_chain(demo):
    with tampering(demo.url) as conn:
        conn.execute(text("UPDATE letter_seals SET state = 'sent' WHERE seq = 5"))
    result = failing(demo)
    assert result["failed"] == ["letter-chain"]
    assert result["problems"] == ["letter seal 5: the chain of letter seals breaks there (its hash does not match "
                                  "its contents)"]


def test_the_checkpoint_covers_the_letter_chain(demo, tmp_path):
    key = tmp_path / "keys" / "lifecycle.key"
    key.parent.mkdir()
    demo.ok("keygen", "--out", str(key))
    cp = tmp_path / "CP.json"
    demo.ok("checkpoint", "--key", str(key), "--out", str(cp))
    pub = str(key.with_name("lifecycle.key.pub"))
    result = demo.ok("verify", "--all", "--json", "--checkpoint", str(cp), "--pubkey", pub).json()
    assert result["checkpoint"]["covered"] == 15 and result["failed"] == []
    # the last letter and its seal removed: the chain that is left holds, the checkpoint's head is gone
    with tampering(demo.url) as conn:
        conn.execute(text("DELETE FROM letter_seals WHERE seq = 8"))
        lid = conn.execute(text("SELECT MAX(id) FROM letters")).scalar()
        conn.execute(text("DELETE FROM notices WHERE letter_id = :id"), {"id": lid})
        conn.execute(text("DELETE FROM letters WHERE id = :id"), {"id": lid})
    assert demo.ok("verify", "--all", "--json").json()["failed"] == []
    r = demo("verify", "--all", "--json", "--checkpoint", str(cp), "--pubkey", pub)
    assert r.exit_code == 1
    assert r.json()["problems"] == ["letter-chain letters: seal 8, the head the checkpoint signed, is missing "
                                    "(the log was truncated or deleted)"]
