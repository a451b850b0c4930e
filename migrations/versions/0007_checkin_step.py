"""checkins.step: the question an open check-in is waiting for

A typed answer is stored in the field of the question the draft itself says it asked, not in
the field of the conversation state held in memory, which can lag one step behind (a send
that timed out after Telegram delivered the question, a conversation state that could not be
stored, a kill between the reply and storing the state). Rows from before stay NULL: for them
the conversation state decides, as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("step", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("step")
