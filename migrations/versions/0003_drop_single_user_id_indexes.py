"""drop the single-column user_id indexes that a composite index already covers

checkins, commitments, repair_plans and triggers each have (user_id, local_date), and
due_prompts its unique (user_id, kind, due_at): each serves lookups by user and the
cascade from users as well. The single-column copies only cost a write on every insert
(14 MB of 333 MB at 100,000 seeded users).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("checkins", "commitments", "due_prompts", "repair_plans", "triggers")


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_user_id", table_name=table)


def downgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_user_id", table, ["user_id"], unique=False)
