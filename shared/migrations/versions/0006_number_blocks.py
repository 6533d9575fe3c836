"""Kiosks keep giving numbers while the server is away: blocks of numbers reserved per kiosk,
and the block a ticket was given from.

Revision ID: 0006_number_blocks
Revises: 0005_dossiers
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.models import UTCDateTime

revision = "0006_number_blocks"
down_revision = "0005_dossiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "number_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("reserved_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "first_seq >= 1 AND last_seq >= first_seq", name=op.f("ck_number_blocks_range")
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name=op.f("fk_number_blocks_centre_id_centres")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_number_blocks_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_blocks")),
    )
    op.create_index(
        "ix_number_blocks_holder", "number_blocks", ["holder", "business_day"], unique=False
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("block_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_block_id_number_blocks"), "number_blocks", ["block_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_tickets_block_id_number_blocks"), type_="foreignkey"
        )
        batch_op.drop_column("block_id")
    op.drop_index("ix_number_blocks_holder", table_name="number_blocks")
    op.drop_table("number_blocks")
