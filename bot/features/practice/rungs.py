"""The rung a practice or a plan is about: a choice among the user's own rungs (the one the
pacing suggests first), checked against the pressing user's own rows."""

from __future__ import annotations

from typing import Any

from bot.content import t
from bot.engine.choices import Choice
from bot.handlers.common import Ctx
from bot.services import practice
from bot.services.practice_text import rung_name

ID = r"\d{1,12}"
RUNG_CLIP = 64  # a rung is one button a row: room for more of its words


def _options(ctx: Ctx, row: Any) -> list[tuple[str, str]]:
    return [(str(r.id), rung_name(r)) for r in practice.rung_choices(ctx.db, row.user_id)]


def _resolve(ctx: Ctx, row: Any, key: str) -> str | None:
    found = practice.rung(ctx.db, row.user_id, int(key))
    return None if found is None else rung_name(found)


def choice() -> Choice:
    """The user's rungs as buttons, one a row, the suggested one first; buttons only."""
    return Choice(
        "rung", _options, _resolve, pattern=ID, per_row=1, typed_ok=False, label_clip=RUNG_CLIP
    )


def suggestion(ctx: Ctx, row: Any) -> str | None:
    """Shown above the question: the rung the pacing suggests next."""
    found = practice.next_rung(ctx.db, row.user_id)
    return None if found is None else t("practice.next_rung", rung=rung_name(found))


def rung_id(value: object) -> int | None:
    """A picked rung's id (``Picked.key``), None when skipped."""
    key = getattr(value, "key", None)
    return int(key) if isinstance(key, str) and key.isdigit() else None
