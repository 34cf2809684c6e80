"""The daemon's outside witness: `scheduler run --checkpoint-key KEY --checkpoint-dir DIR` signs a
checkpoint after each sweep, names it by its time and mails it to the city bureau over a real SMTP
server on 127.0.0.1 (aiosmtpd); a checkpoint the server did not take is mailed after the next sweep.

The daemon runs in-process with `--once` (catch up, deliver, exit) under freezegun's clock: a new
day is a new frozen time, never a wait.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

import smtp_inbox
from smtp_inbox import free_port
from conftest import Lifecycle
from test_scheduler_daemon import overdue_project_with_contacts


class Inbox(smtp_inbox.Inbox):
    def checkpoints(self) -> list:
        return [m for m in self.messages() if m["X-Lifecycle-Checkpoint"]]


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, f"smtp://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def world(lc: Lifecycle, tmp_path: Path):
    overdue_project_with_contacts(lc)   # frozen at Monday 2025-06-30 09:00, a working day; city@lixia.gov.cn
    lc.ok("keygen", "--out", str(tmp_path / "witness.key"))
    return lc, tmp_path / "witness.key", tmp_path / "checkpoints"


def run_once(lc: Lifecycle, key: Path, folder: Path, via: str, *more: str):
    return lc("scheduler", "run", "--once", "--via", via, "--checkpoint-key", str(key),
              "--checkpoint-dir", str(folder), *more)


def test_each_sweep_signs_a_checkpoint_named_by_its_time_and_mails_it_to_the_city_bureau(world, smtp):
    lc, key, folder = world
    inbox, via = smtp
    r = run_once(lc, key, folder, via)
    assert r.exit_code == 0, r.stderr
    [cp] = sorted(folder.glob("CP-*.json"))
    assert cp.name == "CP-20250630T090000Z.json"
    assert f"checkpoint {cp.name} mailed to city@lixia.gov.cn" in r.stdout
    [mail] = inbox.checkpoints()
    assert mail["To"] == "city@lixia.gov.cn" and mail["X-Lifecycle-Checkpoint"] == cp.name
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == cp.name and attached.get_content() == cp.read_bytes()
    assert "lifecycle verify --all --checkpoint" in mail.get_body(("plain",)).get_content()
    assert not any(p.get_filename() and p.get_filename().endswith(".pub") for p in mail.iter_attachments())
    doc = json.loads(cp.read_text(encoding="utf-8"))
    assert doc["count"] >= 2   # the project's log and the letters' chain (the sweep made letters)
    assert {leaf["kind"] for leaf in doc["leaves"]} >= {"project-log", "letter-chain"}
    marker = json.loads(cp.with_name(cp.name + ".mailed").read_text(encoding="utf-8"))
    assert marker["to"] == ["city@lixia.gov.cn"] and marker["message_id"] == mail["Message-ID"].strip()
    # what the bureau received proves the database, with the public key it holds apart
    received = folder.parent / "received.json"
    received.write_bytes(attached.get_content())
    lc.ok("verify", "--all", "--checkpoint", str(received), "--pubkey", f"{key}.pub")


def test_a_checkpoint_the_server_did_not_take_is_said_so_and_mailed_after_the_next_sweep(world, smtp):
    lc, key, folder = world
    inbox, via = smtp
    closed = f"smtp://127.0.0.1:{free_port()}"
    r = run_once(lc, key, folder, closed, "--checkpoint-to", "jc@jnmz.gov.cn")
    assert r.exit_code == 0, r.stderr
    [first] = sorted(folder.glob("CP-*.json"))
    line = next(x for x in r.stdout.splitlines() if x.startswith(f"checkpoint {first.name} not mailed"))
    assert "to jc@jnmz.gov.cn" in line and line.endswith("it is mailed again after the next sweep"), line
    assert not first.with_name(first.name + ".mailed").exists()
    lc.now = "2025-07-01 09:00:00"   # the next working day: its sweep, and the server answers
    r = run_once(lc, key, folder, via, "--checkpoint-to", "jc@jnmz.gov.cn")
    assert r.exit_code == 0, r.stderr
    both = sorted(folder.glob("CP-*.json"))
    assert [p.name for p in both] == ["CP-20250630T090000Z.json", "CP-20250701T090000Z.json"]
    assert [m["X-Lifecycle-Checkpoint"] for m in inbox.checkpoints()] == [p.name for p in both]   # oldest first
    assert {m["To"] for m in inbox.checkpoints()} == {"jc@jnmz.gov.cn"}
    assert all(p.with_name(p.name + ".mailed").exists() for p in both)
    # a third sweep mails its own checkpoint only: what was mailed is not mailed again
    lc.now = "2025-07-02 09:00:00"
    run_once(lc, key, folder, via, "--checkpoint-to", "jc@jnmz.gov.cn")
    assert len(inbox.checkpoints()) == 3


def test_without_a_city_address_the_checkpoint_is_written_and_the_log_says_why_it_was_not_mailed(lc, tmp_path, smtp):
    inbox, via = smtp
    lc.now = "2025-06-30 09:00:00"
    lc.ok("station", "add", "LX-JFL", "--name", "解放路街道社会工作服务站", "--district", "历下区")
    lc.ok("keygen", "--out", str(tmp_path / "k"))
    r = run_once(lc, tmp_path / "k", tmp_path / "cps", via)
    assert r.exit_code == 0, r.stderr
    [cp] = sorted((tmp_path / "cps").glob("CP-*.json"))
    assert (f"checkpoint {cp.name} not mailed: no address of the city bureau (`lifecycle contact add --role city "
            "...` or --checkpoint-to)") in r.stdout
    assert inbox.checkpoints() == []


@pytest.mark.parametrize("args, sentence", [
    (("--checkpoint-key", "KEY"), "scheduler run: give --checkpoint-key KEY and --checkpoint-dir DIR together"),
    (("--checkpoint-to", "jc@jnmz.gov.cn"),
     "scheduler run: --checkpoint-to needs --checkpoint-key KEY and --checkpoint-dir DIR"),
    (("--checkpoint-key", "NOKEY", "--checkpoint-dir", "cps"), "--checkpoint-key: no such file: NOKEY"),
    (("--checkpoint-key", "KEY.pub", "--checkpoint-dir", "cps"), "--key KEY.pub is not a PEM private key "
                                                                 "(make one with `lifecycle keygen`)"),
    (("--checkpoint-key", "KEY", "--checkpoint-dir", "cps", "--checkpoint-to", "城市"),
     "--checkpoint-to '城市' is not an e-mail address (e.g. jc@jnmz.gov.cn)"),
])
def test_a_bad_checkpoint_option_is_one_sentence_before_the_daemon_sweeps(world, args, sentence, monkeypatch):
    lc, key, folder = world
    monkeypatch.chdir(key.parent)
    key.rename(key.parent / "KEY")
    (key.parent / "witness.key.pub").rename(key.parent / "KEY.pub")
    r = lc("scheduler", "run", "--once", *args)
    assert (r.exit_code, r.stdout, r.stderr.strip()) == (2, "", sentence)
    assert lc.ok("check", "--as-of", "2025-06-30", "--dry-run", "--json").json()["created"] > 0   # nothing swept
