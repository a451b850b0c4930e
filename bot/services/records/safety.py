"""The safety plan in /history: each section written (always "finished": no drafts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.content import t
from bot.models import SafetyPlan
from bot.services import history as h
from bot.services.safetyplan import SECTIONS


def label(entry: SafetyPlan) -> str:
    return h.label(entry, t("safetyplan.history_kind"), True)


def detail(entry: SafetyPlan, related: Sequence[Any] = ()) -> str:
    fields = [(f"safetyplan.short.{name}", getattr(entry, name), True) for name in SECTIONS]
    return h.detail(entry, t("safetyplan.history_kind"), True, fields)
