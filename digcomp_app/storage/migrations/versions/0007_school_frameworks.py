"""frameworks a school adds to its library

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE TABLE: SQLite does it in place (see 0003).
    op.create_table(
        "school_frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=50), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name=op.f("fk_school_frameworks_added_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_frameworks")),
        sa.UniqueConstraint(
            "framework_id", "version", name=op.f("uq_school_frameworks_framework_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("school_frameworks")
