"""Dossiers (hồ sơ): codes, procedure snapshots, parties, documents, hand-overs, notices,
kiosk lookup guards; events link to their dossier.

Revision ID: 0005_dossiers
Revises: 0004_calendar
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.models import UTCDateTime

revision = "0005_dossiers"
down_revision = "0004_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_lookup_guards",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", UTCDateTime(), nullable=True),
        sa.Column("blocked_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_dossier_lookup_guards")),
    )
    op.create_table(
        "dossier_sequences",
        sa.Column("agency_eid", sa.String(length=32), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency_eid", "period", name=op.f("pk_dossier_sequences")),
    )
    op.create_table(
        "notice_sequences",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name=op.f("fk_notice_sequences_centre_id_centres")
        ),
        sa.PrimaryKeyConstraint("centre_id", "form", "year", name=op.f("pk_notice_sequences")),
    )
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("secret", sa.String(length=16), nullable=False),
        sa.Column("agency_eid", sa.String(length=32), nullable=False),
        sa.Column("receipt_day", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("register_no", sa.Integer(), nullable=False),
        sa.Column("register_volume", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=32), nullable=False),
        sa.Column("procedure_name", sa.Text(), nullable=False),
        sa.Column("procedure_name_en", sa.Text(), nullable=False),
        sa.Column("procedure_version", sa.Integer(), nullable=False),
        sa.Column(
            "processing_days", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True
        ),
        sa.Column(
            "processing_hours", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True
        ),
        sa.Column("cutoff", sa.String(length=5), nullable=True),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("fee_note", sa.Text(), nullable=False),
        sa.Column("procedure_documents", sa.JSON(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("channel", sa.Integer(), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("result_delivery", sa.String(length=8), nullable=False),
        sa.Column("result_address", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("appointment_at", UTCDateTime(), nullable=False),
        sa.Column("result_ready_at", UTCDateTime(), nullable=True),
        sa.Column("returned_at", UTCDateTime(), nullable=True),
        sa.Column("timeliness", sa.String(length=8), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "result_delivery IN ('desk', 'post')", name=op.f("ck_dossiers_result_delivery")
        ),
        sa.CheckConstraint(
            "timeliness IS NULL OR timeliness IN ('early', 'on_time', 'late')",
            name=op.f("ck_dossiers_timeliness"),
        ),
        sa.CheckConstraint("channel IN (1, 2, 3)", name=op.f("ck_dossiers_channel")),
        sa.CheckConstraint("fee >= 0", name=op.f("ck_dossiers_fee")),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_dossiers_seq")),
        sa.CheckConstraint("sets BETWEEN 1 AND 99", name=op.f("ck_dossiers_sets")),
        sa.CheckConstraint(
            "status IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)", name=op.f("ck_dossiers_status")
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name=op.f("fk_dossiers_centre_id_centres")
        ),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_dossiers_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(
            ["procedure_id"], ["procedures.id"], name=op.f("fk_dossiers_procedure_id_procedures")
        ),
        sa.ForeignKeyConstraint(
            ["received_by"], ["users.id"], name=op.f("fk_dossiers_received_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_dossiers_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint(
            "agency_eid", "receipt_day", "seq", name=op.f("uq_dossiers_agency_eid_receipt_day_seq")
        ),
        sa.UniqueConstraint("code", name=op.f("uq_dossiers_code")),
        sa.UniqueConstraint("request_id", name=op.f("uq_dossiers_request_id")),
    )
    op.create_index(
        "ix_dossiers_centre_day", "dossiers", ["centre_id", "receipt_day"], unique=False
    )
    op.create_index(
        "ix_dossiers_centre_status", "dossiers", ["centre_id", "status", "due_at"], unique=False
    )
    op.create_table(
        "dossier_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("originals", sa.Integer(), nullable=False),
        sa.Column("certified", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "certified BETWEEN 0 AND 99", name=op.f("ck_dossier_documents_certified")
        ),
        sa.CheckConstraint("copies BETWEEN 0 AND 99", name=op.f("ck_dossier_documents_copies")),
        sa.CheckConstraint(
            "originals BETWEEN 0 AND 99", name=op.f("ck_dossier_documents_originals")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_documents_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_documents")),
        sa.UniqueConstraint(
            "dossier_id", "position", name=op.f("uq_dossier_documents_dossier_id_position")
        ),
    )
    op.create_table(
        "dossier_handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_unit", sa.Text(), nullable=False),
        sa.Column("to_unit", sa.Text(), nullable=False),
        sa.Column("handed_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("result_at", UTCDateTime(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_handovers_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_dossier_handovers_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_handovers")),
        sa.UniqueConstraint(
            "dossier_id", "position", name=op.f("uq_dossier_handovers_dossier_id_position")
        ),
    )
    op.create_table(
        "dossier_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("old_due_at", UTCDateTime(), nullable=True),
        sa.Column("new_due_at", UTCDateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("form IN ('02', '03', '04')", name=op.f("ck_dossier_notices_form")),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name=op.f("fk_dossier_notices_centre_id_centres")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_notices_dossier_id_dossiers")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_dossier_notices_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_notices")),
        sa.UniqueConstraint(
            "centre_id",
            "form",
            "year",
            "seq",
            name=op.f("uq_dossier_notices_centre_id_form_year_seq"),
        ),
    )
    op.create_index("ix_dossier_notices_dossier", "dossier_notices", ["dossier_id"], unique=False)
    op.create_table(
        "dossier_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("id_type", sa.String(length=12), nullable=True),
        sa.Column("id_number", sa.String(length=32), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.CheckConstraint(
            "id_type IS NULL OR id_type IN ('cccd', 'cmnd', 'passport', 'tax')",
            name=op.f("ck_dossier_parties_id_type"),
        ),
        sa.CheckConstraint(
            "kind IN ('person', 'organisation')", name=op.f("ck_dossier_parties_kind")
        ),
        sa.CheckConstraint(
            "role IN ('applicant', 'submitter')", name=op.f("ck_dossier_parties_role")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_parties_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_parties")),
        sa.UniqueConstraint("dossier_id", "role", name=op.f("uq_dossier_parties_dossier_id_role")),
    )
    _link_events_to_dossiers()


def _link_events_to_dossiers() -> None:
    """``events.dossier_id`` with its foreign key. SQLite can add a column with a REFERENCES
    clause in place; copying the table (batch mode) would drop the append-only triggers."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE events ADD COLUMN dossier_id INTEGER "
            "CONSTRAINT fk_events_dossier_id_dossiers REFERENCES dossiers (id)"
        )
    else:
        op.add_column("events", sa.Column("dossier_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_events_dossier_id_dossiers"), "events", "dossiers", ["dossier_id"], ["id"]
        )
    op.create_index("ix_events_dossier", "events", ["dossier_id"], unique=False)


def _unlink_events() -> None:
    op.drop_index("ix_events_dossier", table_name="events")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE events DROP COLUMN dossier_id")
    else:
        op.drop_constraint(op.f("fk_events_dossier_id_dossiers"), "events", type_="foreignkey")
        op.drop_column("events", "dossier_id")


def downgrade() -> None:
    _unlink_events()
    op.drop_table("dossier_parties")
    op.drop_index("ix_dossier_notices_dossier", table_name="dossier_notices")
    op.drop_table("dossier_notices")
    op.drop_table("dossier_handovers")
    op.drop_table("dossier_documents")
    op.drop_index("ix_dossiers_centre_status", table_name="dossiers")
    op.drop_index("ix_dossiers_centre_day", table_name="dossiers")
    op.drop_table("dossiers")
    op.drop_table("notice_sequences")
    op.drop_table("dossier_sequences")
    op.drop_table("dossier_lookup_guards")
