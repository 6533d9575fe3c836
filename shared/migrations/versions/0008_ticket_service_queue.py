"""An index that reaches one service's waiting tickets in queue order: the people ahead of a
new ticket are counted, and a counter's next citizen found, without reading every waiting
ticket of the centre. It replaces ``ix_tickets_waiting`` (its leading columns), and the events'
dossier index keeps only dossier events: every ticket written updates two indexes fewer.

Revision ID: 0008_ticket_service_queue
Revises: 0007_dossier_public_name
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_ticket_service_queue"
down_revision = "0007_dossier_public_name"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_tickets_waiting", table_name="tickets")
    op.drop_index("ix_events_dossier", table_name="events")
    op.create_index(
        "ix_events_dossier",
        "events",
        ["dossier_id"],
        sqlite_where=sa.text("dossier_id IS NOT NULL"),
        postgresql_where=sa.text("dossier_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_service_queue",
        "tickets",
        [
            "centre_id",
            "business_day",
            "status",
            "service_id",
            "target_counter_id",
            "queue_band",
            "queued_at",
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_service_queue", table_name="tickets")
    op.drop_index("ix_events_dossier", table_name="events")
    op.create_index("ix_events_dossier", "events", ["dossier_id"])
    op.create_index(
        "ix_tickets_waiting",
        "tickets",
        ["centre_id", "business_day", "status", "queue_band", "queued_at"],
    )
