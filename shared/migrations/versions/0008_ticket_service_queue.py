"""The queue's own index: one service's waiting tickets of a class (priority or not) in queue
order, so that a counter's next citizen is found in a few steps and the people ahead of a new
ticket are counted from the index alone, however long the queue. It takes the place of
``ix_tickets_waiting`` (the same leading columns); tickets sent to one counter get a small index
of their own (only those rows), and the events' dossier index keeps only dossier events, so a
ticket's events update one index fewer.

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
            "priority_group_id",
            "queue_band",
            "queued_at",
            "id",
        ],
    )

    op.create_index(
        "ix_tickets_targeted",
        "tickets",
        ["target_counter_id"],
        sqlite_where=sa.text("target_counter_id IS NOT NULL"),
        postgresql_where=sa.text("target_counter_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_targeted", table_name="tickets")
    op.drop_index("ix_tickets_service_queue", table_name="tickets")
    op.drop_index("ix_events_dossier", table_name="events")
    op.create_index("ix_events_dossier", "events", ["dossier_id"])
    op.create_index(
        "ix_tickets_waiting",
        "tickets",
        ["centre_id", "business_day", "status", "queue_band", "queued_at"],
    )
