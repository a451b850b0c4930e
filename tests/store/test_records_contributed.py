"""What the features declare is what /history, the summary, /export and /delete use: a fake
feature's contributions show up in each, without the shared code knowing it (SQLite and
PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, true
from sqlmodel import col

from bot.app import FEATURES
from bot.features.checkin.records import RECORDS as CHECKIN_RECORDS
from bot.features.records import Contributions, History, Records, check
from bot.models import TriggerEntry
from bot.services.summary import build_summary, has_activity
from bot.services.summary_text import render
from bot.store import export, history, users
from bot.store.db import Database
from bot.store.history import Listing
from bot.store.summary_sql import SummaryPart, in_period
from tests import seed


@dataclass(frozen=True)
class FakeFeature:
    name: str
    records: Records | None


def _journal_totals() -> Any:
    return select(func.count().label("n")).where(in_period(TriggerEntry)).subquery()


#: A "journal" over the thought-record table, so no new table is needed.
JOURNAL = FakeFeature(
    "journal",
    Records(
        history=(
            History(
                listing=Listing("j", TriggerEntry, TriggerEntry.created_at, true()),
                label=lambda entry: f"Journal page {entry.id}",
                detail=lambda entry, related: f"The whole journal page {entry.id}",
            ),
        ),
        summary=SummaryPart(
            name="journal",
            totals=_journal_totals,
            read=lambda totals, counts: int(totals["n"]),
            practised=lambda n: n > 0,
            activity=((TriggerEntry, col(TriggerEntry.status) == "completed"),),
        ),
        summary_lines=lambda n: [f"Journal pages: {n}"],
        tables=(TriggerEntry,),
    ),
)


def test_the_bots_features_declare_the_kinds_in_users_chats() -> None:
    """Buttons already sent (``hi:c:12.0`` …) keep their meaning; nothing is left undeclared."""
    records = Contributions.of(FEATURES)
    assert [listing.kind for listing in records.listings] == ["c", "t", "r", "n", "l", "s"]
    assert check(FEATURES) == []
    assert [part.name for part in records.summary.store] == [
        "commitments",
        "triggers",
        "repairs",
        "noticed",
        "practices",
    ]
    assert {m.__tablename__ for m in records.tables} == {  # type: ignore[attr-defined]
        "checkins", "commitments", "triggers", "repair_plans", "noticed_moments",
        "practice_rungs", "practice_logs", "practice_plans", "safety_plans",
    }  # fmt: skip


def test_history_lists_and_reads_what_the_features_declare(any_db: Database) -> None:
    seed.user(any_db, 1)
    seed.checkin(any_db, 1, seed.WEEK_START, "morning", intensity=5)
    page_entry = seed.trigger(any_db, 1, seed.WEEK_START + timedelta(days=1))
    only_journal = Contributions((JOURNAL.records,))  # type: ignore[arg-type]
    page = history.page(any_db, only_journal.listings, 1, 0, 5)
    assert [(kind, entry.id) for kind, entry in page.entries] == [("j", page_entry.id)]
    assert page.total == 1  # the check-in is nobody's listing here
    journal = only_journal.history("j")
    assert journal is not None and only_journal.history("t") is None
    assert journal.label(page.entries[0][1]) == f"Journal page {page_entry.id}"
    assert journal.read(any_db, page.entries[0][1]) == f"The whole journal page {page_entry.id}"
    assert history.entry(any_db, only_journal.listings, 1, "t", page_entry.id or 0) is None

    both = Contributions((CHECKIN_RECORDS, JOURNAL.records))  # type: ignore[arg-type]
    kinds = [kind for kind, _ in history.page(any_db, both.listings, 1, 0, 5).entries]
    assert kinds == ["j", "c"]


def test_the_summary_counts_and_writes_what_a_part_adds(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.trigger(any_db, 1001, seed.WEEK_START)
    user = users.get(any_db, 1001)
    assert user is not None
    parts = Contributions((CHECKIN_RECORDS, JOURNAL.records)).summary  # type: ignore[arg-type]
    summary = build_summary(any_db, parts, user, seed.WEEK_NOW)
    assert summary.parts["journal"] == 1 and not summary.empty
    assert summary.triggers == 0  # the trigger feature is not in this list
    text = render(summary)
    assert "\n\nJournal pages: 1\n\nFor next week:" in text
    week = (seed.WEEK_START, seed.WEEK_START + timedelta(days=6))
    assert has_activity(any_db, parts, user, *week)
    assert not has_activity(any_db, Contributions((CHECKIN_RECORDS,)).summary, user, *week)


def test_export_and_delete_take_the_declared_tables_in_feature_order(any_db: Database) -> None:
    claimed = Contributions((JOURNAL.records, CHECKIN_RECORDS)).tables  # type: ignore[arg-type]
    names = [table.name for table in export.tables(claimed)]
    assert names[:5] == ["users", "due_prompts", "triggers", "checkins", "commitments"]
    assert names[-1] == "conversation_states"
    assert set(names) == {table.name for table in export.tables()}  # nothing is ever left out
    seed.user(any_db, 1)
    seed.trigger(any_db, 1, seed.WEEK_START)
    assert export.counts(any_db, 1, claimed)["triggers"] == 1
    assert export.erase(any_db, 1, claimed=claimed)["triggers"] == 1


def test_a_feature_list_that_misdeclares_is_refused() -> None:
    problems = check([JOURNAL])
    assert "table 'checkins' holds per-user rows but no feature declares it" in problems
    twice = check([*FEATURES, JOURNAL])
    assert "table 'triggers' is claimed by both 'trigger' and 'journal'" in twice
    page = FakeFeature(
        "pages",
        Records(history=(History(Listing("p", TriggerEntry, TriggerEntry.created_at, true()),
                                 label=str, detail=lambda e, r: ""),)),
    )  # fmt: skip
    assert "history kind 'p' of 'pages' is not one letter" in check([page])[0]
