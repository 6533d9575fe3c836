"""The events of one centre in order: a centre's change-feed (every display, kiosk and counter)
reads its centre's events and those of no centre after its last id, which on a province's
database must not mean reading every other centre's events since then.

Revision ID: 0009_events_by_centre
Revises: 0008_ticket_service_queue
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0009_events_by_centre"
down_revision = "0008_ticket_service_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_centre", "events", ["centre_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_events_centre", table_name="events")
