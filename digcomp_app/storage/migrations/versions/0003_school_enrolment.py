"""a real school's enrolment: learner numbers, active learners, archived groups, a case's
group, one-time passwords, mobility texts in several languages, keeping dates of birth

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs only: SQLite does them in place, while a batch copy of a table
    # would trip over the foreign keys that point at it.
    op.add_column("learners", sa.Column("learner_number", sa.String(length=50), nullable=True))
    op.add_column(
        "learners", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.create_index(op.f("ix_learners_learner_number"), "learners", ["learner_number"], unique=True)
    op.add_column("groups", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a (named) reference in place; Alembic would copy the table.
        op.execute(
            "ALTER TABLE validation_cases ADD COLUMN group_id INTEGER "
            "CONSTRAINT fk_validation_cases_group_id_groups REFERENCES groups (id)"
        )
    else:
        op.add_column("validation_cases", sa.Column("group_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_validation_cases_group_id_groups"),
            "validation_cases",
            "groups",
            ["group_id"],
            ["id"],
        )
    op.add_column("mobilities", sa.Column("texts", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column(
        "organisations",
        sa.Column("keep_birth_date", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # A school that already holds dates of birth (or prints them) has chosen to keep them.
    op.execute(
        "UPDATE organisations SET keep_birth_date = "
        + ("1" if op.get_bind().dialect.name == "sqlite" else "TRUE")
        + " WHERE print_birth_date"
        " OR EXISTS (SELECT 1 FROM learners WHERE learners.date_of_birth IS NOT NULL)"
    )
    # A case opened before groups were recorded on cases gets the learner's group then.
    op.execute(
        "UPDATE validation_cases SET group_id = (SELECT MIN(group_members.group_id) "
        "FROM group_members WHERE group_members.learner_id = validation_cases.learner_id)"
    )
    # Mobility texts existing so far were entered in the school's language (Latvian).
    mobilities = sa.table(
        "mobilities",
        sa.column("id", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("objective", sa.Text()),
        sa.column("texts", sa.JSON()),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(mobilities.c.id, mobilities.c.title, mobilities.c.objective)):
        texts = {"lv": {"title": row.title, "objective": row.objective or ""}}
        bind.execute(mobilities.update().where(mobilities.c.id == row.id).values(texts=texts))


def downgrade() -> None:
    op.drop_column("organisations", "keep_birth_date")
    op.drop_column("mobilities", "texts")
    with op.batch_alter_table("validation_cases") as batch:
        batch.drop_column("group_id")
    op.drop_column("users", "must_change_password")
    op.drop_column("groups", "archived_at")
    op.drop_index(op.f("ix_learners_learner_number"), table_name="learners")
    op.drop_column("learners", "active")
    op.drop_column("learners", "learner_number")
