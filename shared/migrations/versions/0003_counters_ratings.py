"""Clerk sessions at counters and satisfaction ratings.

Revision ID: 0003_counters_ratings
Revises: 0002_ticket_secret
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.models import UTCDateTime

revision = "0003_counters_ratings"
down_revision = "0002_ticket_secret"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counter_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("machine", sa.String(length=128), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_counter_sessions_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_counter_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counter_sessions")),
    )
    op.create_index(
        "uq_counter_sessions_open",
        "counter_sessions",
        ["counter_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("scale", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "source IN ('citizen', 'clerk', 'command')", name=op.f("ck_ratings_source")
        ),
        sa.CheckConstraint("outcome IN ('rated', 'no_rating')", name=op.f("ck_ratings_outcome")),
        sa.CheckConstraint("scale BETWEEN 3 AND 5", name=op.f("ck_ratings_scale")),
        sa.CheckConstraint(
            "(outcome = 'rated' AND level BETWEEN 1 AND scale) "
            "OR (outcome = 'no_rating' AND level IS NULL)",
            name=op.f("ck_ratings_level"),
        ),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_ratings_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ratings_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_ratings_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("ticket_id", "cycle", name=op.f("uq_ratings_ticket_id_cycle")),
    )


def downgrade() -> None:
    op.drop_table("ratings")
    op.drop_index("uq_counter_sessions_open", table_name="counter_sessions")
    op.drop_table("counter_sessions")
