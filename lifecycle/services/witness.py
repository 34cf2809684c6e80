"""The daemon's outside witness: after each sweep a signed checkpoint, written to a folder and mailed
to the city bureau (`scheduler run --checkpoint-key KEY --checkpoint-dir DIR [--checkpoint-to ADDR]`).

The checkpoint (lifecycle.audit.checkpoint) goes to DIR/CP-<UTC time>.json, written aside and
renamed. It is mailed by the daemon's `--via` (SMTP, or a folder of .eml) to each --checkpoint-to,
else to every city contact (`contact add --role city`), with the file attached and a Message-ID
fixed by the file, so a copy sent twice is one message to the reader. What was mailed is recorded
beside the file (CP-….json.mailed: when, to whom, the Message-ID), not in the database the
checkpoint witnesses: whoever can rewrite the database cannot make a checkpoint look mailed. A
checkpoint not mailed (no address, a refused or unreachable server, a delivery cut off midway) keeps
no marker and is mailed again after the next sweep, oldest first; each failure is one sentence in
the daemon's log. The public key is never attached: the bureau holds it from `keygen`, apart.
"""
from __future__ import annotations

import json
import os
import smtplib
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lifecycle.audit.checkpoint import make_checkpoint
from lifecycle.core.errors import BadInput, said
from lifecycle.notifications.contacts import check_email
from lifecycle.notifications.mail import ConnectionFailed, NotSent, describe_error, sender, transport_for
from lifecycle.store import Store, contacts

MARK = ".mailed"
BATCH = 20   # checkpoints mailed after one sweep at most (a long outage drains over a few sweeps)


@dataclass(frozen=True)
class Witness:
    key: Path
    folder: Path
    to: tuple[str, ...]          # --checkpoint-to; empty: the city contacts


def witness_for(key: Path, folder: str, to: tuple[str, ...]) -> Witness:
    """Checked when the daemon starts, not at the first sweep: the addresses, the key signs, the folder
    takes files (made if missing, the last step, so a refusal leaves nothing behind)."""
    from lifecycle.audit.checkpoint import _load
    addresses = []
    for a in to:
        try:
            addresses.append(check_email(a))
        except BadInput:
            raise BadInput(said("--checkpoint-to {address!r} is not an e-mail address (e.g. jc@jnmz.gov.cn)", address=a)) from None
    _load(key, private=True)
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(said("--checkpoint-dir {folder}: cannot make it: {why}", folder=str(folder), why=exc.strerror or str(exc))) from None
    if not os.access(path, os.W_OK):
        raise BadInput(said("--checkpoint-dir {folder}: not writable by this user", folder=str(folder)))
    return Witness(key, path, tuple(addresses))


def write_checkpoint(store: Store, w: Witness, now: datetime) -> tuple[Path, dict[str, Any]]:
    with store.reading() as conn:
        doc = make_checkpoint(conn, w.key, now)
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target, n = w.folder / f"CP-{stamp}.json", 1
    while target.exists():
        n += 1
        target = w.folder / f"CP-{stamp}-{n}.json"
    partial = w.folder / f".{target.name}.partial"
    partial.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, target)
    return target, doc


def recipients(store: Store, w: Witness) -> list[str]:
    if w.to:
        return list(w.to)
    with store.reading() as conn:
        return sorted({r.email for r in conn.execute(select(contacts.c.email).where(contacts.c.role == "city"))})


def unmailed(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("CP-*.json") if not p.with_name(p.name + MARK).exists())


def message_for(path: Path, doc: dict[str, Any], to: list[str], now: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"签名检查点 {path.name}（{doc['count']}个日志，根 {doc['root'][:16]}）"
    msg["From"] = sender()
    msg["To"] = ", ".join(formataddr(("", a)) for a in to)
    msg["Date"] = format_datetime(now)
    domain = sender().rsplit("@", 1)[-1].strip(" >") or "lifecycle.localhost"
    msg["Message-ID"] = f"<checkpoint.{path.stem}.{doc['root'][:16]}@{domain}>"
    msg["X-Lifecycle-Checkpoint"] = path.name
    msg.set_content(
        f"市民政局：\n\n"
        f"附件 {path.name} 是社工站项目管理平台于 {doc['created_at']} 签署的检查点，以签名密钥 {doc['key_id']} "
        f"签署，记载全部 {doc['count']} 个日志（项目日志、区县日志、函件封存链）的末条记录，默克尔根为 {doc['root']}。\n\n"
        f"请将本件存放于平台数据库以外。核验时，以贵局另行保管的公钥运行：\n"
        f"lifecycle verify --all --checkpoint {path.name} --pubkey 公钥文件\n"
        f"凡检查点所载记录被删除、改写或重算哈希，核验即予指出。本件不附公钥。\n", charset="utf-8")
    msg.add_attachment(path.read_bytes(), maintype="application", subtype="json", filename=path.name)
    return msg


def mail_pending(store: Store, w: Witness, via: str | None, now: datetime) -> list[str]:
    """Mail the checkpoints not yet mailed, oldest first; one log line each (sent, or why not)."""
    waiting = unmailed(w.folder)
    if not waiting:
        return []
    if via is None:
        return [said("checkpoint {name} not mailed: the daemon has no --via; {count} checkpoints wait in {folder}",
                     name=waiting[-1].name, count=len(waiting), folder=str(w.folder))]
    to = recipients(store, w)
    if not to:
        return [said("checkpoint {name} not mailed: no address of the city bureau (`lifecycle contact add --role "
                     "city ...` or --checkpoint-to); {count} checkpoints wait in {folder} and are mailed after a "
                     "later sweep", name=waiting[-1].name, count=len(waiting), folder=str(w.folder))]
    lines: list[str] = []
    transport = transport_for(via)
    try:
        for path in waiting[:BATCH]:
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
                msg = message_for(path, doc, to, now)
            except (ValueError, KeyError, TypeError):
                lines.append(said("checkpoint {name} not mailed: it is not a checkpoint of lifecycle", name=path.name))
                continue
            try:
                transport.send(msg)
            except (ConnectionFailed, NotSent, smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
                lines.append(said("checkpoint {name} not mailed to {to}: {why}; it is mailed again after the next "
                                  "sweep", name=path.name, to=", ".join(to), why=_why(exc)))
                break
            except (OSError, smtplib.SMTPException) as exc:   # lost once the message began: it may have gone out
                lines.append(said("checkpoint {name} may or may not have reached {to} ({why}); it is mailed again "
                                  "after the next sweep, with the same Message-ID", name=path.name, to=", ".join(to),
                                  why=describe_error(exc)))
                break
            path.with_name(path.name + MARK).write_text(json.dumps(
                {"mailed_at": now.isoformat(timespec="seconds"), "to": to, "message_id": msg["Message-ID"]},
                ensure_ascii=False) + "\n", encoding="utf-8")
            lines.append(said("checkpoint {name} mailed to {to}", name=path.name, to=", ".join(to)))
    finally:
        transport.close()
    return lines


def _why(exc: BaseException) -> str:
    if isinstance(exc, (ConnectionFailed, NotSent)):
        return str(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return said("the server refused every recipient")
    return said("the server refused it ({why})", why=describe_error(exc))


def after_sweep(store: Store, w: Witness, via: str | None, now: datetime) -> list[str]:
    """Write this sweep's checkpoint, then mail what waits; a failure is a sentence, never a crash."""
    try:
        path, doc = write_checkpoint(store, w, now)
    except OSError as exc:
        return [said("checkpoint not written to {folder}: {why}", folder=str(w.folder), why=exc.strerror or str(exc))]
    lines: list[str] = [said("checkpoint of {count} logs (root {root}…) written to {path}", count=doc["count"],
                             root=doc["root"][:16], path=str(path))]
    try:
        return lines + mail_pending(store, w, via, now)
    except OSError as exc:
        return lines + [said("checkpoints not mailed: {why}; they are mailed again after the next sweep",
                             why=exc.strerror or str(exc))]
