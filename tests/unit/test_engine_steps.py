"""The declared steps of every guided conversation: each button a step shows is handled at
that step, and its callback data fits Telegram's 64 bytes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.ext import CallbackQueryHandler

from bot.engine.choices import Feelings
from bot.engine.guided import Guided
from bot.features.checkin.morning import WHEEL as CHECKIN_WHEEL
from bot.features.repair.steps import FLOW as REPAIR
from bot.features.trigger.steps import FLOW as TRIGGER
from bot.services import vocab
from bot.store.db import Database
from tests import seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FLOWS = [TRIGGER, REPAIR]


def _patterns(handlers: list[Any]) -> list[re.Pattern[str]]:
    found = []
    for handler in handlers:
        if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
            pattern = handler.pattern
            found.append(pattern if isinstance(pattern, re.Pattern) else re.compile(str(pattern)))
    return found


def _handled(data: str, patterns: list[re.Pattern[str]]) -> bool:
    return any(p.match(data) for p in patterns)


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_every_button_of_every_step_is_handled_there(
    flow: Guided[Any], sqlite_db: Database
) -> None:
    user = seed.user(sqlite_db)
    row = flow.service.start(sqlite_db, user, NOW)
    ctx = SimpleNamespace(db=sqlite_db, now=lambda: NOW)
    states = flow.conversation([]).states
    for step in flow.steps:
        patterns = _patterns(states[step.name])
        rows = step.kind.rows(flow, step, ctx, row)
        if step.skippable and step.kind.skip_row:
            rows.append([("Skip", f"{flow.prefix}:skip:{step.name}")])
        if isinstance(step.kind, Feelings):  # every family's words too
            wheel = step.kind.wheel
            rows += [r for f in vocab.emotion_families() for r in wheel.words(f.id, [])[1]]
        assert rows, step.name
        for label, data in (button for row_ in rows for button in row_):
            assert len(data.encode()) <= 64, data
            assert _handled(data, patterns), f"{flow.name}.{step.name}: {data} ({label})"


def test_the_checkin_wheel_is_the_same_component_with_its_own_prefix() -> None:
    families = CHECKIN_WHEEL.families([])[1]
    words = [r for f in vocab.emotion_families() for r in CHECKIN_WHEEL.words(f.id, [])[1]]
    data = [d for row in families + words for _, d in row]
    assert all(d.startswith("ci:") and len(d.encode()) <= 64 for d in data)
    assert "ci:emodone" in data and "ci:fams" in data
