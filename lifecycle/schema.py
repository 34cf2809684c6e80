"""Create or upgrade a database to the newest schema."""
from __future__ import annotations

from lifecycle.store import Store

SCHEMA_VERSION = "1"


def upgrade(store: Store) -> str:
    import lifecycle.notifications.tables  # noqa: F401 - registers the notice tables on the metadata
    store.create_schema()
    return SCHEMA_VERSION
