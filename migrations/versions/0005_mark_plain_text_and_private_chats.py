"""mark stored plain text, and send scheduled messages to each user's private chat

Free text used to be stored as typed when encryption was off, so an answer typed as
``enc:v1:`` + a token-looking string passed for ciphertext. From now on every plain value is
stored as ``txt:<text>`` (bot/textform.py); this marks the values already stored. A value
that starts with ``enc:v1:`` stays as it is only when it has the exact shape of a Fernet token
(real ciphertext); anything else starting so was typed by a user and is marked plain.

``users.chat_id`` was the chat of a user's first update, which could be a group; scheduled
messages go to the private chat, whose id is the user's id.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import base64
import binascii
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAIN = "txt:"
PREFIX = "enc:v1:"
FREE_TEXT = {
    "checkins": ("need", "interactions_note", "lesson"),
    "commitments": ("text",),
    "triggers": (
        "situation",
        "body",
        "story",
        "evidence_for",
        "evidence_against",
        "balanced",
        "action",
        "person",
        "context",
    ),
    "repair_plans": (
        "person",
        "what_happened",
        "impact",
        "my_part",
        "feel_need",
        "next_step",
        "question",
        "when_text",
        "followup_note",
    ),
    "safety_plans": (
        "warning_signs",
        "coping",
        "places",
        "helpers",
        "professionals",
        "environment",
        "reasons",
    ),
}
BATCH = 1000
_TOKEN = re.compile(r"[A-Za-z0-9_-]{96,}={0,2}")


def _is_ciphertext(value: str) -> bool:
    """The shape bot/crypto.py writes (as of this revision): prefix + a Fernet token."""
    if not value.startswith(PREFIX) or _TOKEN.fullmatch(value, len(PREFIX)) is None:
        return False
    token = value[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return False
    blocks = len(raw) - 57
    return raw[0] == 0x80 and blocks > 0 and blocks % 16 == 0


def _mark_lookalikes(conn: sa.Connection, table: str, column: str) -> None:
    """Mark as plain the values that start like ciphertext but are not shaped like it, in
    batches by id (an encrypted database holds millions of the others)."""
    query = sa.text(
        f"SELECT id, {column} FROM {table} WHERE {column} LIKE :enc AND id > :last "  # noqa: S608
        f"ORDER BY id LIMIT {BATCH}"
    )
    last = 0
    while rows := conn.execute(query, {"enc": PREFIX + "%", "last": last}).all():
        for row_id, value in rows:
            if not _is_ciphertext(value):
                conn.execute(
                    sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"),  # noqa: S608
                    {"v": PLAIN + value, "id": row_id},
                )
        last = rows[-1][0]


def upgrade() -> None:
    conn = op.get_bind()
    for table, columns in FREE_TEXT.items():
        # Everything that cannot be ciphertext, in one statement per table, so each row is
        # rewritten once (LIKE is case-blind on SQLite: the pass below decides for those it
        # lets through).
        marks = ", ".join(
            f"{c} = CASE WHEN {c} NOT LIKE :enc THEN :plain || {c} ELSE {c} END" for c in columns
        )
        conn.execute(
            sa.text(f"UPDATE {table} SET {marks}"),  # noqa: S608
            {"plain": PLAIN, "enc": PREFIX + "%"},
        )
        for column in columns:
            _mark_lookalikes(conn, table, column)
    conn.execute(sa.text("UPDATE users SET chat_id = id WHERE chat_id <> id"))


def downgrade() -> None:
    conn = op.get_bind()
    for table, columns in FREE_TEXT.items():
        for column in columns:
            conn.execute(
                sa.text(
                    f"UPDATE {table} SET {column} = substr({column}, :n) "  # noqa: S608
                    f"WHERE {column} LIKE :plain"
                ),
                {"n": len(PLAIN) + 1, "plain": PLAIN + "%"},
            )
