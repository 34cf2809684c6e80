"""The contact directory: who reads the notices of a district or a contractor.

The purchaser (区县民政局), the street office and the city bureau are found by
district (the station's); a city contact without a district serves every
district. A contractor's contact is found by contractor id. Where a role has
several contacts, the one added last is used: adding a contact is also how an
address is changed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from lifecycle.core.errors import BadInput, Said, said
from lifecycle.core.speech import N_
from lifecycle.store.tables import contacts
from lifecycle.store import Store, contractors

ROLES = ("purchaser", "street", "city", "contractor")
_PLAIN_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+")


def check_email(email: str) -> str:
    email = email.strip()
    try:
        Address(addr_spec=email)
        valid = bool(_PLAIN_ADDRESS.fullmatch(email)) and not email.endswith(".")
    except (ValueError, IndexError, TypeError):
        valid = False
    if not valid:
        raise BadInput(said("contact: --email {email!r} is not an e-mail address (e.g. mzj@lixia.gov.cn)",
                email=email))
    return email


def add_contact(store: Store, role: str, name: str, email: str, district: str | None = None,
                contractor_id: str | None = None) -> dict[str, Any]:
    """Add a contact; --district and --contractor must fit the role."""
    store.require()
    if role not in ROLES:
        raise BadInput(said("contact: --role {role!r} is not one of {names}", role=role, names=', '.join(ROLES)))
    if not name.strip():
        raise BadInput(said("contact: --name is empty"))
    from lifecycle.core.limits import check_name
    check_name(name, "--name", "contact")
    check_name(district or "", "--district", "contact", 100)
    check_name(email, "--email", "contact", 254)
    email = check_email(email)
    district = district.strip() if district and district.strip() else None
    if role == "contractor":
        if not contractor_id:
            raise BadInput(said("contact: a contractor contact needs --contractor ID"))
        if district:
            raise BadInput(said("contact: a contractor contact is found by --contractor, not --district"))
    else:
        if contractor_id:
            raise BadInput(said("contact: --contractor applies only to --role contractor, not {role}", role=role))
        if role in ("purchaser", "street") and not district:
            raise BadInput(said("contact: a {role} contact needs --district NAME (the station's district)", role=role))
    row = {"role": role, "district": district, "contractor_id": contractor_id, "name": name.strip(), "email": email}
    with store.transaction() as conn:
        if contractor_id and not conn.execute(select(contractors.c.id).where(contractors.c.id == contractor_id)).first():
            raise BadInput(said("contact: unknown contractor {contractor_id} (add it with `lifecycle contractor add`)",
                    contractor_id=contractor_id))
        row["id"] = conn.execute(insert(contacts).values(**row)).inserted_primary_key[0]
    return row


def list_contacts(store: Store) -> list[dict[str, Any]]:
    store.require()
    with store.reading() as conn:
        rows = conn.execute(select(contacts).order_by(contacts.c.role, contacts.c.district, contacts.c.contractor_id,
                                                      contacts.c.id))
        return [dict(r._mapping) for r in rows]


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    email: str


class Directory:
    """All contacts, loaded once, answering 'who is the <role> of this project'."""

    def __init__(self, rows: list[Any]) -> None:
        self._by_key: dict[tuple[str, str | None], Contact] = {}
        for r in sorted(rows, key=lambda r: r.id):   # the last added wins
            key = r.contractor_id if r.role == "contractor" else r.district
            self._by_key[(r.role, key)] = Contact(r.role, r.name, r.email)

    @classmethod
    def load(cls, conn: Connection) -> Directory:
        return cls(list(conn.execute(select(contacts))))

    def find(self, role: str, district: str, contractor_id: str | None) -> Contact | None:
        if role == "contractor":
            return self._by_key.get((role, contractor_id)) if contractor_id else None
        found = self._by_key.get((role, district))
        if found is None and role == "city":
            found = self._by_key.get((role, None))
        return found


# what a letter without an address keeps as its error (English, as stored; the command line says it back)
ADDRESS_MISSING = (N_("no address for contractor {contractor}"), N_("no address for {role} in {district}"))


def missing_address(role: str, district: str, contractor_id: str | None) -> Said:
    if role == "contractor":
        return Said(ADDRESS_MISSING[0], {"contractor": contractor_id})
    return Said(ADDRESS_MISSING[1], {"role": role, "district": district})
