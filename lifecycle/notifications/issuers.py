"""Who signs the letters: a district's civil-affairs bureau, and the city bureau (`lifecycle issuer set`).

An issuer has its organ's name (济南市历下区民政局), the prefix of its
document numbers (历民函: 历民函〔2026〕12号), and the contact, phone and
e-mail its letters give (附注; the e-mail is the sender's address). Setting
an issuer again replaces it. Who runs the engine (the district, the default,
or the city) decides where escalations go: `lifecycle issuer runner city`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from lifecycle.core.errors import BadInput, said
from lifecycle.notifications.addressing import RUNNERS
from lifecycle.notifications.contacts import check_email
from lifecycle.store import Store, engine_settings, issuers


@dataclass(frozen=True)
class Issuer:
    level: str       # district | city
    scope: str       # the district; "" for the city
    name: str
    prefix: str
    contact: str | None
    phone: str | None
    email: str | None

    @property
    def key(self) -> str:
        return f"{self.level}:{self.scope}"


def set_issuer(store: Store, district: str | None, city: bool, name: str, prefix: str, contact: str | None,
               phone: str | None, email: str | None) -> dict[str, Any]:
    store.require()
    if bool(district) == bool(city):
        raise BadInput(said("issuer set: give either --district NAME or --city"))
    if not name.strip():
        raise BadInput(said("issuer set: --name is empty (the organ, e.g. 济南市历下区民政局)"))
    if not prefix.strip() or any(ch in prefix for ch in "〔〕[]号 "):
        raise BadInput(said("issuer set: --prefix {prefix!r} is the 字 of the number alone, e.g. 历民函",
                prefix=prefix))
    row = {"level": "city" if city else "district", "scope": "" if city else district.strip(),
           "name": name.strip(), "prefix": prefix.strip(), "contact": (contact or "").strip() or None,
           "phone": (phone or "").strip() or None, "email": check_email(email) if email else None}
    with store.transaction() as conn:
        conn.execute(delete(issuers).where(issuers.c.level == row["level"], issuers.c.scope == row["scope"]))
        conn.execute(insert(issuers).values(**row))
    return row


def list_issuers(store: Store) -> list[dict[str, Any]]:
    store.require()
    with store.reading() as conn:
        rows = conn.execute(select(issuers).order_by(issuers.c.level, issuers.c.scope)).all()
        runner = runner_of(conn)
    return [dict(r._mapping, runner=runner) for r in rows]


def set_runner(store: Store, runner: str) -> str:
    store.require()
    if runner not in RUNNERS:
        raise BadInput(said("issuer runner: {runner!r} is not one of {names}",
                runner=runner, names=', '.join(RUNNERS)))
    with store.transaction() as conn:
        conn.execute(delete(engine_settings).where(engine_settings.c.key == "runner"))
        conn.execute(insert(engine_settings).values(key="runner", value=runner))
    return runner


def runner_of(conn: Connection) -> str:
    """Who runs the engine: the district (default) or the city."""
    value = conn.execute(select(engine_settings.c.value).where(engine_settings.c.key == "runner")).scalar()
    return value or "district"


class Issuers:
    """Every configured issuer, loaded once: `find("district", "历下区")`, `find("city", "")`."""

    def __init__(self, rows: list[Any]) -> None:
        self._by_key = {(r.level, r.scope): Issuer(r.level, r.scope, r.name, r.prefix, r.contact, r.phone, r.email)
                        for r in rows}

    @classmethod
    def load(cls, conn: Connection) -> Issuers:
        return cls(list(conn.execute(select(issuers))))

    def find(self, level: str, district: str) -> Issuer | None:
        return self._by_key.get((level, "" if level == "city" else district))
