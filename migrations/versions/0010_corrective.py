"""corrective experiences: moments noticed (/noticed)

Every answer is free text (encrypted at rest when a key is set); ``step`` records the last one
answered so a draft resumes where it was left.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "noticed_moments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        *(sa.Column(n, sa.Text(), nullable=True) for n in ("person", "expected", "actual", "meaning")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("noticed_moments", schema=None) as batch_op:
        batch_op.create_index("ix_noticed_moments_user_date", ["user_id", "local_date"])


def downgrade() -> None:
    op.drop_table("noticed_moments")
