"""An index that reaches one service's waiting tickets in queue order: the people ahead of a
new ticket are counted, and a counter's next citizen found, without reading every waiting
ticket of the centre.

Revision ID: 0008_ticket_service_queue
Revises: 0007_dossier_public_name
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0008_ticket_service_queue"
down_revision = "0007_dossier_public_name"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
