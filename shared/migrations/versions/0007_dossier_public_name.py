"""The applicant's masked name kept with the dossier, so the kiosk's lookup never reads the
personal data (its database role cannot).

Revision ID: 0007_dossier_public_name
Revises: 0006_number_blocks
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_dossier_public_name"
down_revision = "0006_number_blocks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from shared.idnumbers import mask_name

    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant_masked", sa.Text(), nullable=False, server_default="")
        )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT dossier_id, name FROM dossier_parties WHERE role = 'applicant'")
    ).all()
    for dossier_id, name in rows:
        conn.execute(
            sa.text("UPDATE dossiers SET applicant_masked = :masked WHERE id = :id"),
            {"masked": mask_name(name or ""), "id": dossier_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("applicant_masked")
