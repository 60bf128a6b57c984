"""data protection: erased learners, retention rules, consent records

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN / CREATE TABLE: SQLite does them in place (see 0003).
    op.add_column("learners", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "organisations", sa.Column("evidence_retention_years", sa.Integer(), nullable=True)
    )
    op.add_column(
        "organisations", sa.Column("learner_retention_years", sa.Integer(), nullable=True)
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=30), nullable=False),
        sa.Column("given_by", sa.String(length=10), nullable=False),
        sa.Column("giver_name", sa.String(length=200), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "scope IN ('evidence_photos', 'host_sharing', 'publication')",
            name=op.f("ck_consents_known_scope"),
        ),
        sa.CheckConstraint(
            "given_by IN ('learner', 'guardian')", name=op.f("ck_consents_known_giver")
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_consents_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_consents_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_learner_id"), "consents", ["learner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_consents_learner_id"), table_name="consents")
    op.drop_table("consents")
    op.drop_column("organisations", "learner_retention_years")
    op.drop_column("organisations", "evidence_retention_years")
    op.drop_column("learners", "erased_at")
