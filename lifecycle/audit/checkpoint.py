"""Signed checkpoints: an outside witness of every log's head.

Whoever can write to the database can rewrite an event and recompute the whole
SHA-256 chain and the stored heads; the chain alone cannot tell. A checkpoint,
signed with an Ed25519 key kept away from the database, records the head
(seq and hash) of every log at one moment; since each event's hash covers the
one before it, a head's hash fixes the whole log up to it. `verify --all
--checkpoint CP.json --pubkey KEY.pub` then proves the database still holds,
unaltered, everything the checkpoint covered.

The checkpoint is a Merkle tree (RFC 6962 hashing: 0x00 before a leaf, 0x01
before two children) over leaves `{kind, id, seq, hash}`, sorted by (kind, id),
with the count and root signed. A leaf kind is one log: `LEAF_SOURCES` maps
each kind to the function reading its heads — the projects' logs ("project-log")
the districts' own logs ("district-log") and the letters' seal chain ("letter-chain",
one leaf with id "letters") — so another log is one more entry, without changing the
format or the check.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from sqlalchemy.engine import Connection

from lifecycle.core.errors import BadInput, Refused, said
from lifecycle.store.seals import chain_head, hash_at

FORMAT = "lifecycle-checkpoint/1"


@dataclass(frozen=True, order=True)
class Leaf:
    kind: str   # which log: "project-log", "district-log", "letter-chain"
    id: str     # the log's id within its kind
    seq: int    # its head: the number of its last entry
    hash: str   # the hash of its last entry, which covers every entry before it

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "seq": self.seq, "hash": self.hash}

    def digest(self) -> bytes:
        return hashlib.sha256(b"\x00" + _canonical(self.as_dict())).digest()


def project_log_heads(conn: Connection) -> list[Leaf]:
    rows = conn.exec_driver_sql(
        "SELECT e.project_id, e.seq, e.hash FROM events e JOIN "
        "(SELECT project_id, MAX(seq) AS head FROM events GROUP BY project_id) h "
        "ON e.project_id = h.project_id AND e.seq = h.head")
    return [Leaf("project-log", pid, seq, hash_) for pid, seq, hash_ in rows]


def district_log_heads(conn: Connection) -> list[Leaf]:
    """The head of each district's own log (`district report`, issue 10)."""
    rows = conn.exec_driver_sql(
        "SELECT e.district, e.seq, e.hash FROM district_events e JOIN "
        "(SELECT district, MAX(seq) AS head FROM district_events GROUP BY district) h "
        "ON e.district = h.district AND e.seq = h.head")
    return [Leaf("district-log", name, seq, hash_) for name, seq, hash_ in rows]


# kind -> (the heads of its logs, the hash stored at (id, seq) now, or None when there is none)
LEAF_SOURCES: dict[str, tuple[Callable[[Connection], list[Leaf]], Callable[[Connection, str, int], str | None]]] = {
    "project-log": (project_log_heads, lambda conn, pid, seq: _event_hash(conn, pid, seq)),
    "district-log": (district_log_heads, lambda conn, name, seq: _district_event_hash(conn, name, seq)),
    "letter-chain": (lambda conn: letter_chain_heads(conn), lambda conn, _id, seq: hash_at(conn, seq)),
}


def letter_chain_heads(conn: Connection) -> list[Leaf]:
    """The head of the letters' one seal chain (`lifecycle.store.seals`), when a letter was ever made."""
    head = chain_head(conn)
    return [Leaf("letter-chain", "letters", head[0], head[1])] if head else []


def _district_event_hash(conn: Connection, name: str, seq: int) -> str | None:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    row = conn.exec_driver_sql(f"SELECT hash FROM district_events WHERE district = {mark} AND seq = {mark}",
                               (name, seq)).first()
    return row[0] if row else None


def _event_hash(conn: Connection, pid: str, seq: int) -> str | None:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    row = conn.exec_driver_sql(f"SELECT hash FROM events WHERE project_id = {mark} AND seq = {mark}",
                               (pid, seq)).first()
    return row[0] if row else None


def merkle_root(leaves: list[Leaf]) -> str:
    level = [leaf.digest() for leaf in sorted(leaves)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        # RFC 6962: an odd node out is carried up unpaired
        level = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
    return level[0].hex()


def _canonical(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- keys ------------------------------------------------------------------------------
def generate_key(out: Path) -> Path:
    """Write a new Ed25519 private key to `out` (PEM, readable by its owner only) and its public
    key to `out`.pub; returns the public key's path. An existing file is never overwritten."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    pub = out.with_name(out.name + ".pub")
    for path in (out, pub):
        if path.exists():
            raise BadInput(said("keygen: {path} already exists; a key is never overwritten (choose another --out)",
                    path=path))
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    import os
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    pub.write_bytes(public_pem)
    return pub


def _load(path: Path, private: bool) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
    what = "--key" if private else "--pubkey"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(said("{what} {path}: cannot read it: {value}",
                what=what, path=path, value=exc.strerror or exc)) from None
    try:
        key = (serialization.load_pem_private_key(data, password=None) if private
               else serialization.load_pem_public_key(data))
    except (ValueError, TypeError):
        raise BadInput(said("{what} {path} is not a PEM {value} key (make one with `lifecycle keygen`)",
                what=what, path=path, value=said("private") if private else said("public"))) from None
    if not isinstance(key, Ed25519PrivateKey if private else Ed25519PublicKey):
        raise BadInput(said("{what} {path} is not an Ed25519 key", what=what, path=path))
    return key


def _key_id(public_key: Any) -> str:
    from cryptography.hazmat.primitives import serialization
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# -- making and checking ------------------------------------------------------------------
def make_checkpoint(conn: Connection, key_path: Path, now: datetime) -> dict[str, Any]:
    """The signed checkpoint of every log's head, as the JSON document `checkpoint --out` writes."""
    key = _load(key_path, private=True)
    leaves = sorted(leaf for heads, _ in LEAF_SOURCES.values() for leaf in heads(conn))
    body = {"format": FORMAT, "created_at": now.isoformat(timespec="seconds"), "key_id": _key_id(key.public_key()),
            "count": len(leaves), "root": merkle_root(leaves), "leaves": [leaf.as_dict() for leaf in leaves]}
    return {**body, "signature": base64.b64encode(key.sign(_signed_part(body))).decode("ascii")}


def _signed_part(body: dict[str, Any]) -> bytes:
    # the signature covers the format, the moment, the key, the count and the root; the root covers the leaves
    return _canonical({k: body[k] for k in ("format", "created_at", "key_id", "count", "root")})


def read_checkpoint(path: Path, pubkey_path: Path) -> tuple[dict[str, Any], list[Leaf]]:
    """The checkpoint at `path` with its leaves, after proving its signature, count and root; else
    BadInput (not a checkpoint) or Refused (a checkpoint that does not prove what it says)."""
    public_key = _load(pubkey_path, private=False)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        leaves = [Leaf(str(x["kind"]), str(x["id"]), int(x["seq"]), str(x["hash"])) for x in doc["leaves"]]
        signature = base64.b64decode(doc["signature"], validate=True)
        if doc["format"] != FORMAT:
            raise ValueError
        signed = _signed_part(doc)
    except OSError as exc:
        raise BadInput(said("--checkpoint {path}: cannot read it: {value}", path=path, value=exc.strerror or exc)) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BadInput(said("--checkpoint {path} is not a lifecycle checkpoint ({FORMAT})",
                path=path, FORMAT=FORMAT)) from None
    from cryptography.exceptions import InvalidSignature
    try:
        public_key.verify(signature, signed)
    except InvalidSignature:
        raise Refused(said("checkpoint {name}: its signature does not verify with {pubkey_path}: it was not signed by that key, or it was altered",
                name=path.name, pubkey_path=pubkey_path)) from None
    if doc["count"] != len(leaves) or merkle_root(leaves) != doc["root"]:
        raise Refused(said("checkpoint {name}: its leaves do not add up to its signed root and count ({doc}): the list of heads was altered",
                name=path.name, doc=doc['count']))
    return doc, leaves


def checkpoint_problems(conn: Connection, leaves: list[Leaf]) -> list[tuple[str, str]]:
    """(log id, problem) for every head of the checkpoint the database no longer holds unaltered."""
    problems = []
    for leaf in leaves:
        source = LEAF_SOURCES.get(leaf.kind)
        if source is None:
            problems.append((leaf.id, f"{leaf.kind} {leaf.id}: this program does not know that kind of log"))
            continue
        stored = source[1](conn, leaf.id, leaf.seq)
        who = f"project {leaf.id}" if leaf.kind == "project-log" else f"{leaf.kind} {leaf.id}"
        entry = "seal" if leaf.kind == "letter-chain" else "event"
        if stored is None:
            problems.append((leaf.id, f"{who}: {entry} {leaf.seq}, the head the checkpoint signed, is missing "
                                      "(the log was truncated or deleted)"))
        elif stored != leaf.hash:
            problems.append((leaf.id, f"{who}: {entry} {leaf.seq} differs from the checkpoint's signed head: "
                                      "the log up to it was rewritten"))
    return problems


def verify_checkpoint(store: Any, path: Path, pubkey_path: Path) -> dict[str, Any]:
    """`verify --checkpoint`: the checkpoint proved, then each of its heads looked up in the database."""
    doc, leaves = read_checkpoint(path, pubkey_path)
    with store.reading() as conn:
        problems = checkpoint_problems(conn, leaves)
    return {"file": str(path), "created_at": doc["created_at"], "key_id": doc["key_id"], "covered": len(leaves),
            "root": doc["root"], "failed": [log for log, _ in problems], "problems": [p for _, p in problems]}
