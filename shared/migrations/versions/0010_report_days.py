"""Reports over a month of a big centre read the kept figures of closed days instead of every
ticket: per day and group (service, hour, counter, clerk, the whole day) the counts and sums,
and the waits and service times in 30-second bands for the percentiles.

Revision ID: 0010_report_days
Revises: 0009_events_by_centre
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.models import UTCDateTime

revision = "0010_report_days"
down_revision = "0009_events_by_centre"
branch_labels = None
depends_on = None


def _keys() -> list[sa.Column]:
    return [
        sa.Column("centre_id", sa.Integer(), sa.ForeignKey("centres.id"), primary_key=True),
        sa.Column("business_day", sa.Date(), primary_key=True),
    ]


def upgrade() -> None:
    op.create_table(
        "report_days",
        *_keys(),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "report_figures",
        *_keys(),
        sa.Column("dimension", sa.String(12), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("tickets", "served", "no_show", "cancelled", "wait_n")
        ),
        sa.Column("wait_sum", sa.Float(), nullable=False),
        sa.Column("service_n", sa.Integer(), nullable=False),
        sa.Column("service_sum", sa.Float(), nullable=False),
    )
    op.create_table(
        "report_bands",
        *_keys(),
        sa.Column("dimension", sa.String(12), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("measure", sa.String(8), primary_key=True),
        sa.Column("band", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_bands")
    op.drop_table("report_figures")
    op.drop_table("report_days")
