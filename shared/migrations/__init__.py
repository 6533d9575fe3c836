"""Schema migrations (Alembic). ``HEAD_REVISION`` must name the newest file in ``versions/``.

Kept inside the ``shared`` package so the same migrations run from source, a wheel or the
bundle; :func:`upgrade` drives Alembic without any ``alembic.ini``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

HEAD_REVISION = "0010_report_days"
KNOWN_REVISIONS = (
    "0001_initial",
    "0002_ticket_secret",
    "0003_counters_ratings",
    "0004_calendar",
    "0005_dossiers",
    "0006_number_blocks",
    "0007_dossier_public_name",
    "0008_ticket_service_queue",
    "0009_events_by_centre",
    "0010_report_days",
)
"""Every revision this software knows, oldest first (a test checks it against the files)."""

UPGRADE_LOCK_KEY = 7253000
"""PostgreSQL advisory lock held while the schema is migrated and while the roles' grants are
given again (``shared.roles``): two computers doing it at once go one after the other."""

HERE = Path(__file__).resolve().parent


def alembic_config(engine: Engine | None = None):  # noqa: ANN201 - alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
