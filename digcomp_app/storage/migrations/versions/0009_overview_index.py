"""an index for the school overview: answers by competence and level

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 23:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE INDEX: SQLite does it in place (see 0003). It covers the overview's
    # GROUP BY competence, level over the answers of the chosen sheets (decision 0036).
    op.create_index(
        "ix_self_assessment_answers_competence_level",
        "self_assessment_answers",
        ["competence_id", "level", "self_assessment_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_self_assessment_answers_competence_level", table_name="self_assessment_answers"
    )
