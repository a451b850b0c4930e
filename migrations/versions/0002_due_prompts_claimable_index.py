"""due_prompts: a partial index for the sweep's claim

The claim asks for pending or claimed prompts due by now, oldest first. On
(state, due_at) PostgreSQL expected millions of such rows (pending prompts all lie in the
future, which per-column statistics can't tell) and planned a parallel scan and a sort
on every sweep tick. Walking (due_at, id) over just the claimable rows stops at the first
prompt not yet due.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same text as bot.models.CLAIMABLE (a migration keeps its own copy: models change).
CLAIMABLE = "state IN ('pending', 'claimed')"


def upgrade() -> None:
    op.create_index(
        "ix_due_prompts_claimable",
        "due_prompts",
        ["due_at", "id"],
        unique=False,
        postgresql_where=sa.text(CLAIMABLE),
        sqlite_where=sa.text(CLAIMABLE),
    )


def downgrade() -> None:
    op.drop_index("ix_due_prompts_claimable", table_name="due_prompts")
