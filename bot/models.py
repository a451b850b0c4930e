"""SQLModel tables. Times are aware UTC in Python (UTCDateTime), local dates are plain dates.

Free text users write uses the FreeText column type (encrypted at rest when configured).
Choices (emotions, distortions, options) are stored as ids from bot/content vocabularies.

No time column defaults to "now": every caller passes the moment it acts on (`now`), so a
forgotten one is a NOT NULL error, never the wall clock. These were Python-side defaults
only (the migrations never had a server default), so dropping them needs no migration.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from bot.columns import FreeText, UTCDateTime

#: Prompts the sweep may still take. The claim (bot/store/claim.py) uses this very text, so
#: the planner sees that its partial index applies (bound parameters could hide that from
#: a cached generic plan).
CLAIMABLE = text("state IN ('pending', 'claimed')")


def _user_fk() -> Column:  # type: ignore[type-arg]
    """The owner of a row. Not indexed alone: every table that has it also has an index
    that starts with it (``user_id, local_date`` or the prompts' unique key), which serves
    lookups by user and the cascade when a user is erased."""
    return Column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def _text() -> Column:  # type: ignore[type-arg]
    return Column(FreeText(), nullable=True)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_name: str = Field(default="", max_length=128)
    language_code: str | None = Field(default=None, max_length=16)
    # The language chosen with /language ("de"); None: Telegram's language_code decides.
    language: str | None = Field(default=None, max_length=8)
    timezone: str = Field(default="UTC", max_length=64)
    morning_time: str = Field(default="08:00", max_length=5)
    evening_time: str = Field(default="21:00", max_length=5)
    weekly_day: int = Field(default=6)  # Monday=0 … Sunday=6
    weekly_time: str = Field(default="19:00", max_length=5)
    paused: bool = Field(default=False)
    paused_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    active: bool = Field(default=True)  # False once Telegram says the bot is blocked
    onboarded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notice_version: str | None = Field(default=None, max_length=16)
    # The last /summary of one week: the weekly one is not sent again within the hour.
    summary_requested_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class DuePrompt(SQLModel, table=True):
    """One scheduled message: a check-in, the weekly summary, a repair follow-up, a snooze."""

    __tablename__ = "due_prompts"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "due_at", name="uq_due_prompt_user_kind_due"),
        Index("ix_due_prompts_state_due_at", "state", "due_at"),
        # The sweep's claim walks this in due order and stops at the first prompt not yet
        # due. On (state, due_at) PostgreSQL expected millions of due rows (it can't know
        # that pending prompts lie in the future) and planned a parallel scan and a sort:
        # 10-25 ms per idle tick at a million users instead of 0.01 ms.
        Index(
            "ix_due_prompts_claimable",
            "due_at",
            "id",
            postgresql_where=CLAIMABLE,
            sqlite_where=CLAIMABLE,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    kind: str = Field(max_length=16)  # morning | evening | weekly | repair_followup | snooze
    payload: str | None = Field(default=None, max_length=32)  # e.g. the snoozed kind
    ref_id: int | None = Field(default=None)  # e.g. the repair plan followed up
    due_at: datetime = Field(sa_type=UTCDateTime)
    state: str = Field(default="pending", max_length=12)  # pending|claimed|sent|skipped|cancelled
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)
    attempts: int = Field(default=0)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = Field(sa_type=UTCDateTime)


class CheckIn(SQLModel, table=True):
    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_user_date", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    kind: str = Field(max_length=8)  # morning | evening
    local_date: date
    status: str = Field(default="draft", max_length=12)  # draft|completed|skipped|closed
    prompt_id: int | None = Field(default=None)
    started_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The question the draft waits for (a conversation state, e.g. "m_need"): a typed answer
    # goes to this step's field whatever the conversation state in memory says.
    step: str | None = Field(default=None, max_length=16)
    # morning
    emotions: list[str] = Field(default_factory=list, sa_type=JSON)
    intensity: int | None = Field(default=None)
    need: str | None = Field(default=None, sa_column=_text())
    # evening
    interactions: str | None = Field(default=None, max_length=32)
    interactions_note: str | None = Field(default=None, sa_column=_text())
    triggered: str | None = Field(default=None, max_length=8)  # yes | no
    repair: str | None = Field(default=None, max_length=16)  # none | attempted | succeeded
    commitment_kept: str | None = Field(default=None, max_length=8)  # yes|partly|no|none
    lesson: str | None = Field(default=None, sa_column=_text())


class Commitment(SQLModel, table=True):
    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_user_date", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    local_date: date
    text: str | None = Field(default=None, sa_column=_text())
    suggestion_id: str | None = Field(default=None, max_length=32)
    checkin_id: int | None = Field(default=None)
    outcome: str | None = Field(default=None, max_length=8)  # yes | partly | no
    created_at: datetime = Field(sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TriggerEntry(SQLModel, table=True):
    """A thought record."""

    __tablename__ = "triggers"
    __table_args__ = (Index("ix_triggers_user_date", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    local_date: date
    status: str = Field(default="draft", max_length=12)  # draft | completed | closed
    step: str | None = Field(default=None, max_length=32)  # last step answered, for resuming
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    situation: str | None = Field(default=None, sa_column=_text())
    emotions: list[str] = Field(default_factory=list, sa_type=JSON)
    intensity_before: int | None = Field(default=None)
    body: str | None = Field(default=None, sa_column=_text())
    story: str | None = Field(default=None, sa_column=_text())
    distortions: list[str] = Field(default_factory=list, sa_type=JSON)
    evidence_for: str | None = Field(default=None, sa_column=_text())
    evidence_against: str | None = Field(default=None, sa_column=_text())
    balanced: str | None = Field(default=None, sa_column=_text())
    action_id: str | None = Field(default=None, max_length=32)
    action: str | None = Field(default=None, sa_column=_text())
    intensity_after: int | None = Field(default=None)
    person: str | None = Field(default=None, sa_column=_text())
    context: str | None = Field(default=None, sa_column=_text())


class RepairPlan(SQLModel, table=True):
    __tablename__ = "repair_plans"
    __table_args__ = (Index("ix_repair_plans_user_date", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    local_date: date
    status: str = Field(default="draft", max_length=12)  # draft | completed | closed
    step: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    person: str | None = Field(default=None, sa_column=_text())
    what_happened: str | None = Field(default=None, sa_column=_text())
    impact: str | None = Field(default=None, sa_column=_text())
    my_part: str | None = Field(default=None, sa_column=_text())
    feel_need: str | None = Field(default=None, sa_column=_text())
    next_step: str | None = Field(default=None, sa_column=_text())
    question: str | None = Field(default=None, sa_column=_text())
    when_text: str | None = Field(default=None, sa_column=_text())
    followup_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    followup_outcome: str | None = Field(default=None, max_length=16)  # happened|not_yet|badly
    followup_note: str | None = Field(default=None, sa_column=_text())
    followup_answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NoticedMoment(SQLModel, table=True):
    """A corrective moment (/noticed): someone met the old fear with calm, care or reliability."""

    __tablename__ = "noticed_moments"
    __table_args__ = (Index("ix_noticed_moments_user_date", "user_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    local_date: date
    status: str = Field(default="draft", max_length=12)  # draft | completed | closed
    step: str | None = Field(default=None, max_length=32)  # last step answered, for resuming
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    person: str | None = Field(default=None, sa_column=_text())
    expected: str | None = Field(default=None, sa_column=_text())  # the old fear
    actual: str | None = Field(default=None, sa_column=_text())  # what they actually did
    meaning: str | None = Field(default=None, sa_column=_text())  # what it tells me


class Drafted(SQLModel):
    """The columns of a row answered step by step (bot/store/drafts.py): whose, for which
    local day, draft → completed (or closed), the last step answered, and when."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE", nullable=False
    )
    local_date: date
    status: str = Field(default="draft", max_length=12)  # draft | completed | closed
    step: str | None = Field(default=None, max_length=32)  # last step answered, for resuming
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PracticeRung(Drafted, table=True):
    """A rung of the closeness ladder (/practice): a step toward closeness in the user's words
    and the distress they expect it to bring (0–10); the ladder is ordered by it."""

    __tablename__ = "practice_rungs"
    __table_args__ = (Index("ix_practice_rungs_user_date", "user_id", "local_date"),)

    area: str | None = Field(default=None, max_length=32)  # vocabulary id (practice_areas)
    text: str | None = Field(default=None, sa_column=_text())
    expected: int | None = Field(default=None)  # expected distress 0–10


class PracticeLog(Drafted, table=True):
    """A practice done on a rung: distress before, at its peak and after (0–10), what the
    body, the other person and the old fear did, what was learned, and stay or step up."""

    __tablename__ = "practice_logs"
    __table_args__ = (Index("ix_practice_logs_user_date", "user_id", "local_date"),)

    rung_id: int | None = Field(default=None)  # the rung (no constraint: rungs may go)
    plan_id: int | None = Field(default=None)  # the plan it was logged from, if any
    person: str | None = Field(default=None, sa_column=_text())
    before: int | None = Field(default=None)
    peak: int | None = Field(default=None)
    after: int | None = Field(default=None)
    body: str | None = Field(default=None, sa_column=_text())
    other_did: str | None = Field(default=None, sa_column=_text())
    feared: str | None = Field(default=None, sa_column=_text())
    happened: str | None = Field(default=None, sa_column=_text())
    learned: str | None = Field(default=None, sa_column=_text())
    decision: str | None = Field(default=None, max_length=12)  # stay | step_up


class PracticePlan(Drafted, table=True):
    """A practice planned ahead: the rung, with whom and when; a reminder goes out then and a
    follow-up afterwards offers to log it (due prompts ``practice_reminder``/``_followup``)."""

    __tablename__ = "practice_plans"
    __table_args__ = (Index("ix_practice_plans_user_date", "user_id", "local_date"),)

    rung_id: int | None = Field(default=None)
    person: str | None = Field(default=None, sa_column=_text())
    when_text: str | None = Field(default=None, sa_column=_text())  # as the user gave it
    planned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    followup_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=12)  # logged | not_done


class SafetyPlan(SQLModel, table=True):
    """A safety plan of the user's own (the Stanley–Brown steps): one per user, every part
    optional, in their words."""

    __tablename__ = "safety_plans"
    __table_args__ = (UniqueConstraint("user_id", name="uq_safety_plans_user"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_user_fk())
    local_date: date  # the day it was begun
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    warning_signs: str | None = Field(default=None, sa_column=_text())
    coping: str | None = Field(default=None, sa_column=_text())
    places: str | None = Field(default=None, sa_column=_text())
    helpers: str | None = Field(default=None, sa_column=_text())
    professionals: str | None = Field(default=None, sa_column=_text())
    environment: str | None = Field(default=None, sa_column=_text())
    reasons: str | None = Field(default=None, sa_column=_text())


class ConversationState(SQLModel, table=True):
    """python-telegram-bot ConversationHandler states (see bot/persistence.py)."""

    __tablename__ = "conversation_states"

    name: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=128)  # JSON of the conversation key
    user_id: int | None = Field(default=None, sa_column=Column(BigInteger, index=True))
    state: str = Field(max_length=512)  # JSON of the state
    updated_at: datetime = Field(sa_type=UTCDateTime)


class TelegramBudget(SQLModel, table=True):
    """The send pace replicas on one PostgreSQL share (bot/replicas/pace.py): the next free
    send slot of a bot, in seconds since the epoch by the database's clock."""

    __tablename__ = "telegram_budget"

    bot: str = Field(primary_key=True, max_length=32)  # the token's public part, the bot's id
    next_slot: float = 0.0


USER_TABLES: tuple[type[SQLModel], ...] = (
    DuePrompt,
    CheckIn,
    Commitment,
    TriggerEntry,
    RepairPlan,
    NoticedMoment,
    PracticeRung,
    PracticeLog,
    PracticePlan,
    SafetyPlan,
    ConversationState,
)
"""Every table with per-user rows besides `users` itself (for export and delete)."""
