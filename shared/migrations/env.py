"""Alembic environment: runs on the engine the product hands it (see ``upgrade``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from shared.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Two PCs upgrading at once: the second waits, then finds nothing to do.
            connection.execute(text("SELECT pg_advisory_lock(7253000)"))
            connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                transaction_per_migration=True,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(7253000)"))
                connection.commit()


run_migrations_online()
