"""The outside witness: an Ed25519 key, and checkpoints signed with it (see lifecycle.audit.checkpoint)."""
from __future__ import annotations

import json

import click

from lifecycle.commands.base import Context, clock, output_path, pass_ctx, writing


@click.command()
@click.option("--out", "out", required=True, help="The private key file to write; its public key goes to OUT.pub.")
def keygen(out: str) -> None:
    """Make an Ed25519 key for signing checkpoints: keep KEY away from the database, give KEY.pub to auditors.

    Example: lifecycle keygen --out /secure/lifecycle.key
    """
    from lifecycle.audit.checkpoint import generate_key
    target = output_path(out)
    with writing(target):
        pub = generate_key(target)
    click.echo(f"private key written to {out} (readable by you only); public key to {pub}")


@click.command()
@click.option("--key", "key", required=True, help="The private key of `lifecycle keygen`.")
@click.option("--out", "out", required=True, help="The checkpoint file to write, e.g. CP-2026-11-20.json.")
@pass_ctx
def checkpoint(c: Context, key: str, out: str) -> None:
    """Sign the head of every log (a Merkle root with the count) into a checkpoint kept outside the database.

    Example: lifecycle checkpoint --key /secure/lifecycle.key --out CP-2026-11-20.json
    """
    from lifecycle.audit.checkpoint import make_checkpoint
    from lifecycle.commands.base import input_path
    key_path = input_path(key, "checkpoint --key")
    target = output_path(out)
    c.store.require()
    with c.store.reading() as conn:
        doc = make_checkpoint(conn, key_path, clock().now)
    with writing(target):
        target.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"checkpoint of {doc['count']} logs (root {doc['root'][:16]}…) signed by key {doc['key_id']} "
               f"written to {out}")


COMMANDS = [keygen, checkpoint]
