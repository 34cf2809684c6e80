"""Create or upgrade a database to the newest schema, with the Alembic revisions in `lifecycle/store/migrations`.

The migrations travel inside the package (found with importlib.resources,
so an installed `lifecycle` finds them without an alembic.ini). A database
made before Alembic arrived (the tables, no `alembic_version`) starts at
revision 0001, whose tables it already has, and is upgraded from there.
"""
from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from lifecycle.store.database import Store

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

# any constant will do: the key of the PostgreSQL advisory lock that makes two `init`s take turns
_INIT_LOCK = 0x6C696665


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config whose scripts are the packaged migrations, bound to `connection`."""
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("lifecycle.store") / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision the installed package knows."""
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current(connection: Connection) -> str | None:
    """The revision a database is at; None for one Alembic has not touched."""
    from alembic.migration import MigrationContext
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(store: Store, revision: str = "head") -> str:
    """Bring the database to `revision` (default: the newest) in one transaction; returns where it ended."""
    from alembic import command
    with store.transaction() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_INIT_LOCK})")
        command.upgrade(alembic_config(conn), revision)
        return current(conn) or ""
