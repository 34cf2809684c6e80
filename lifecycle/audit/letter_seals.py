"""`verify --all` over the letters: the seal chain holds, and every letter is the one sealed.

The chain (`lifecycle.store.seals`) is read in `seq` order and each seal's hash recomputed
from its fields and the one before; then each letter's stored content must hash to its last
content seal (`made`, or `address` after an address update) and its status equal its last
sealed state. A letter sealed but gone was deleted; a letter without a seal was added outside
the engine. Each finding is one named sentence (translated through the catalog).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from lifecycle.core.errors import Said, said
from lifecycle.store import letter_seals, letters
from lifecycle.store.seals import GENESIS, content_hash, seal_hash


def verify_letters(conn: Connection) -> tuple[int, int, list[tuple[str, Said]]]:
    """(letters, seals, [(letter key, problem)]): the chain first, then each letter against it."""
    problems: list[tuple[str, Said]] = []
    content: dict[int, str] = {}
    state: dict[int, str] = {}
    prev, expected, n_seals = GENESIS, 1, 0
    for s in conn.execute(select(letter_seals).order_by(letter_seals.c.seq)):
        n_seals += 1
        if s.seq != expected or s.prev_hash != prev or s.hash != seal_hash(
                s.seq, s.letter_id, s.kind, s.content_sha256, s.state, s.recorded_at, s.prev_hash):
            why = (said("seals are missing before it") if s.seq != expected
                   else said("it does not follow the seal before it") if s.prev_hash != prev
                   else said("its hash does not match its contents"))
            problems.append(("letter-chain", said("letter seal {seq}: the chain of letter seals breaks there ({why})",
                                                  seq=s.seq, why=why)))
            return _count(conn), n_seals, problems   # past a break, nothing the chain says can be trusted
        prev, expected = s.hash, s.seq + 1
        if s.content_sha256 is not None:
            content[s.letter_id] = s.content_sha256
        if s.state is not None:
            state[s.letter_id] = s.state
    seen: set[int] = set()
    for row in conn.execute(select(letters).order_by(letters.c.id)).mappings():
        lid = row["id"]
        seen.add(lid)
        if lid not in content:
            problems.append((f"letter {lid}", said("letter {id}: it has no seal: it was added outside the engine",
                                                   id=lid)))
        elif content_hash(row) != content[lid]:
            problems.append((f"letter {lid}", said("letter {id}: its text differs from the one sealed when it "
                                                   "was made", id=lid)))
        elif row["status"] != state.get(lid):
            problems.append((f"letter {lid}", said("letter {id}: its delivery state ({status}) differs from the "
                                                   "last one sealed ({sealed})", id=lid, status=row["status"],
                                                   sealed=state.get(lid))))
    for lid in sorted(set(content) - seen):
        problems.append((f"letter {lid}", said("letter {id}: it was sealed when it was made but is missing: "
                                               "it was deleted", id=lid)))
    return len(seen), n_seals, problems


def _count(conn: Connection) -> int:
    return len(conn.execute(select(letters.c.id)).all())

