"""each certificate's place in the school's status list of digital credentials

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (in place on SQLite, see 0003) and a unique index: empty until the
    # certificate is first exported as Open Badges 3.0 credentials (decision 0033).
    op.add_column("certificates", sa.Column("status_index", sa.Integer(), nullable=True))
    op.create_index("ix_certificates_status_index", "certificates", ["status_index"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_certificates_status_index", table_name="certificates")
    op.drop_column("certificates", "status_index")
