"""Tickets get a random lookup secret for the QR code printed on them.

Revision ID: 0002_ticket_secret
Revises: 0001_initial
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_ticket_secret"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Tickets issued before this version have none; printing gives them one when needed.
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("secret")
