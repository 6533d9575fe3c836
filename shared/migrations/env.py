"""Alembic environment: runs on the engine the product hands it (see ``upgrade``).

Two computers may run ``motcua db upgrade`` at the same moment. Each takes a lock before Alembic
reads the current revision, so the second waits, then finds nothing left to do: PostgreSQL with
an advisory lock, SQLite by running every migration in one ``BEGIN IMMEDIATE`` transaction
(SQLite's schema changes are transactional).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from shared.migrations import UPGRADE_LOCK_KEY
from shared.models import Base

config = context.config
target_metadata = Base.metadata


def _migrate(connection: Connection, *, per_migration: bool) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=per_migration,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            with connection.begin():  # BEGIN IMMEDIATE: the product's engine takes the write lock
                _migrate(connection, per_migration=False)
            return
        connection.execute(text(f"SELECT pg_advisory_lock({UPGRADE_LOCK_KEY})"))
        connection.commit()
        try:
            _migrate(connection, per_migration=True)
        finally:
            connection.execute(text(f"SELECT pg_advisory_unlock({UPGRADE_LOCK_KEY})"))
            connection.commit()


run_migrations_online()
