"""the DigCompSAT skills test: tests and their answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE TABLE: SQLite does it in place (see 0003).
    op.create_table(
        "skills_tests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("mobility_id", sa.Integer(), nullable=True),
        sa.Column("moment", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_skills_tests_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mobility_id"], ["mobilities.id"], name=op.f("fk_skills_tests_mobility_id_mobilities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills_tests")),
    )
    op.create_index(
        op.f("ix_skills_tests_learner_id"), "skills_tests", ["learner_id"], unique=False
    )
    op.create_table(
        "skills_test_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("skills_test_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "value IS NULL OR (value >= 0 AND value <= 3)",
            name=op.f("ck_skills_test_answers_value_range"),
        ),
        sa.ForeignKeyConstraint(
            ["skills_test_id"],
            ["skills_tests.id"],
            name=op.f("fk_skills_test_answers_skills_test_id_skills_tests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skills_test_answers")),
        sa.UniqueConstraint(
            "skills_test_id", "item_id", name=op.f("uq_skills_test_answers_skills_test_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("skills_test_answers")
    op.drop_index(op.f("ix_skills_tests_learner_id"), table_name="skills_tests")
    op.drop_table("skills_tests")
