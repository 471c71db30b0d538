"""Alembic environment: run by :func:`twinning.registry.store.migrate` on an open connection.

No ``alembic.ini`` is needed: the connection comes in ``config.attributes``. On
PostgreSQL a transaction-scoped advisory lock makes two planners opening an empty registry
at once migrate it one after the other; on SQLite the registry's ``BEGIN IMMEDIATE`` does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from twinning.registry.schema import metadata

#: Key of the advisory lock taken while migrating a PostgreSQL registry.
MIGRATION_LOCK = 18_2025


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        context.run_migrations()


run_migrations_online()
