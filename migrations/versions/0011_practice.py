"""the closeness ladder (/practice): rungs, practices logged, practices planned

Free text (the rung, the person, what the body, the other person and the old fear did, what
was learned) is encrypted at rest when a key is set; ``step`` records the last answer so a
draft resumes where it was left. Rung ids are plain integers (a rung may be deleted while its
practices stay).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _draft_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
    ]


def _table(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        *_draft_columns(),
        *columns,
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(f"ix_{name}_user_date", ["user_id", "local_date"])


def upgrade() -> None:
    _table(
        "practice_rungs",
        sa.Column("area", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
    )
    _table(
        "practice_logs",
        sa.Column("rung_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("person", sa.Text(), nullable=True),
        *(sa.Column(n, sa.Integer(), nullable=True) for n in ("before", "peak", "after")),
        *(
            sa.Column(n, sa.Text(), nullable=True)
            for n in ("body", "other_did", "feared", "happened", "learned")
        ),
        sa.Column("decision", sa.String(length=12), nullable=True),
    )
    _table(
        "practice_plans",
        sa.Column("rung_id", sa.Integer(), nullable=True),
        sa.Column("person", sa.Text(), nullable=True),
        sa.Column("when_text", sa.Text(), nullable=True),
        sa.Column("planned_at", sa.DateTime(), nullable=True),
        sa.Column("followup_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
    )


def downgrade() -> None:
    for name in ("practice_plans", "practice_logs", "practice_rungs"):
        op.drop_table(name)
