"""the send pace replicas on one PostgreSQL share: one row per bot, its next free send slot

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "telegram_budget",
        sa.Column("bot", sa.String(length=32), nullable=False),
        sa.Column("next_slot", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("bot"),
    )


def downgrade() -> None:
    op.drop_table("telegram_budget")
