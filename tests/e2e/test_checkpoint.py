"""Signed checkpoints: an intruder who rewrites an event and recomputes the whole chain and the
stored heads passes `verify --all`, and is caught by a checkpoint signed before.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import Lifecycle
from lifecycle.audit.checkpoint import Leaf, merkle_root
from lifecycle.core.events import Event
from lifecycle.store import load_events
from tamper import tampering


@pytest.fixture
def witnessed(db_url: str, tmp_path: Path) -> tuple[Lifecycle, Path, Path]:
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    key = tmp_path / "keys" / "lifecycle.key"
    key.parent.mkdir()
    lc.ok("keygen", "--out", str(key))
    cp = tmp_path / "CP.json"
    out = lc.ok("checkpoint", "--key", str(key), "--out", str(cp)).stdout
    assert out.startswith("checkpoint of 15 logs")
    return lc, cp, key.with_name("lifecycle.key.pub")


def rewrite_and_recompute(lc: Lifecycle, pid: str, seq: int, actor: str) -> None:
    """Rewrite event `seq`'s actor, then every hash after it and the stored heads: a chain that holds."""
    with tampering(lc.url) as conn:
        events = load_events(conn, pid)
        prev = events[seq - 2].hash if seq > 1 else events[0].prev_hash
        for e in events[seq - 1:]:
            new = Event.new(pid, e.seq, e.type, e.effective, e.recorded, actor if e.seq == seq else e.actor,
                            e.data, prev)
            conn.execute(text("UPDATE events SET actor = :a, prev_hash = :p, hash = :h WHERE project_id = :id "
                              "AND seq = :s"), {"a": new.actor, "p": new.prev_hash, "h": new.hash, "id": pid, "s": e.seq})
            prev = new.hash
        snapshot = json.loads(conn.execute(text("SELECT snapshot FROM projects WHERE id = :id"), {"id": pid}).scalar())
        snapshot["head_hash"] = prev
        conn.execute(text("UPDATE projects SET head_hash = :h, snapshot = :s WHERE id = :id"),
                     {"h": prev, "s": json.dumps(snapshot, ensure_ascii=False, sort_keys=True), "id": pid})


def test_a_clean_database_verifies_against_its_checkpoint(witnessed):
    lc, cp, pub = witnessed
    result = lc.ok("verify", "--all", "--json", "--checkpoint", str(cp), "--pubkey", str(pub)).json()
    assert result["checkpoint"]["covered"] == 15 and result["checkpoint"]["failed"] == []
    assert result["failed"] == [] and result["verified"] == 14


def test_new_events_after_the_checkpoint_still_verify(witnessed):
    lc, cp, pub = witnessed
    lc.ok("advance", "LX-2026-JFL", "announce", "--on", "2026-11-20")
    assert lc("verify", "--all", "--checkpoint", str(cp), "--pubkey", str(pub)).exit_code == 0


def test_a_rewritten_event_with_the_chain_and_heads_recomputed_is_caught_by_the_checkpoint(witnessed):
    lc, cp, pub = witnessed
    rewrite_and_recompute(lc, "LX-2025-DMH", 3, "王科长")
    assert lc("verify", "--all", "--json").json()["failed"] == []   # the chain alone cannot tell
    r = lc("verify", "--all", "--json", "--checkpoint", str(cp), "--pubkey", str(pub))
    assert r.exit_code == 1
    result = r.json()
    assert result["failed"] == ["LX-2025-DMH"]
    assert result["problems"] == ["project LX-2025-DMH: event 32 differs from the checkpoint's signed head: "
                                  "the log up to it was rewritten"]


def test_a_deleted_project_is_caught_by_the_checkpoint(witnessed):
    lc, cp, pub = witnessed
    with tampering(lc.url) as conn:
        for table, column in (("events", "project_id"), ("obligations", "project_id"), ("notices", "project_id"),
                              ("projects", "id")):
            conn.execute(text(f"DELETE FROM {table} WHERE {column} = 'LX-2026-QFS'"))
        # a careful intruder also refolds the district the project owed through (issue 10's district log),
        # so that every stored projection agrees with what is left
        from lifecycle.services.districts import refresh
        refresh(conn, "历下区")
    assert lc("verify", "--all").exit_code == 0
    result = lc("verify", "--all", "--json", "--checkpoint", str(cp), "--pubkey", str(pub)).json()
    assert result["failed"] == ["LX-2026-QFS"]
    assert "project LX-2026-QFS: event 4, the head the checkpoint signed, is missing" in result["problems"][0]


def test_an_altered_checkpoint_or_another_key_is_refused(witnessed, tmp_path):
    lc, cp, pub = witnessed
    doc = json.loads(cp.read_text())
    doc["leaves"][0]["hash"] = "0" * 64
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc))
    r = lc("verify", "--all", "--checkpoint", str(forged), "--pubkey", str(pub))
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.strip() == ("checkpoint forged.json: its leaves do not add up to its signed root and count (15): "
                                "the list of heads was altered")
    lc.ok("keygen", "--out", str(tmp_path / "other.key"))
    r = lc("verify", "--all", "--checkpoint", str(cp), "--pubkey", str(tmp_path / "other.key.pub"))
    assert r.exit_code == 1 and "its signature does not verify with" in r.stderr


def test_keygen_never_overwrites_a_key(witnessed, tmp_path):
    lc, _, pub = witnessed
    key = pub.with_name("lifecycle.key")
    before = key.read_bytes()
    r = lc("keygen", "--out", str(key))
    assert r.exit_code == 2 and "already exists" in r.stderr
    assert key.read_bytes() == before and oct(key.stat().st_mode & 0o777) == "0o600"


def test_the_merkle_root_covers_every_leaf_and_its_order_of_listing_does_not_matter():
    leaves = [Leaf("project-log", f"P{i}", i, f"{i:064x}") for i in range(1, 8)]
    root = merkle_root(leaves)
    assert merkle_root(list(reversed(leaves))) == root
    for i in range(len(leaves)):
        changed = leaves[:i] + [Leaf("project-log", f"P{i + 1}", i + 1, "f" * 64)] + leaves[i + 1:]
        assert merkle_root(changed) != root
    assert merkle_root(leaves[:-1]) != root
    assert merkle_root(leaves + [Leaf("letter-chain", "city", 3, "a" * 64)]) != root


def test_a_districts_own_log_is_a_leaf_and_its_deletion_is_caught(db_url: str, tmp_path: Path):
    lc = Lifecycle(db_url, tmp_path)
    lc.ok("init", "--demo")
    lc.ok("district", "report", "历下区", "annual", "--period", "2026", "--on", "2026-11-20")
    key = tmp_path / "lifecycle.key"
    lc.ok("keygen", "--out", str(key))
    cp = tmp_path / "CP.json"
    assert lc.ok("checkpoint", "--key", str(key), "--out", str(cp)).stdout.startswith("checkpoint of 16 logs")
    assert {"kind": "district-log", "id": "历下区"}.items() <= next(
        leaf for leaf in json.loads(cp.read_text())["leaves"] if leaf["kind"] == "district-log").items()
    pub = key.with_name("lifecycle.key.pub")
    assert lc("verify", "--all", "--checkpoint", str(cp), "--pubkey", str(pub)).exit_code == 0
    with tampering(lc.url) as conn:
        conn.execute(text("DELETE FROM district_events WHERE district = '历下区'"))
    result = lc("verify", "--all", "--json", "--checkpoint", str(cp), "--pubkey", str(pub)).json()
    assert result["checkpoint"]["failed"] == ["历下区"]
    assert result["checkpoint"]["problems"] == [
        "district-log 历下区: event 1, the head the checkpoint signed, is missing (the log was truncated or deleted)"]
