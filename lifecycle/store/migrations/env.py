"""Alembic environment: runs on the connection `lifecycle.store.migrate.upgrade` hands over.

There is no alembic.ini and no URL here: the engine comes from the Store,
so `lifecycle init` migrates whichever database `--db` names.
"""
from __future__ import annotations

from alembic import context

from lifecycle.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
