"""Check-in flow rules: which check-in, saving each answer, snooze, skip, acknowledgements.

Handlers call these with the user and ``now``; every answer is written to the draft the
moment it arrives, and the last step completes it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.content import i18n, t, words
from bot.content.keys import Family
from bot.models import CheckIn, Commitment, DuePrompt, User
from bot.services import vocab
from bot.services.care import quotable
from bot.services.due import CHECKIN_KINDS, EVENING, MORNING, SNOOZE, safe_zone
from bot.services.parse.times import format_time, local_now
from bot.services.parse.words import one_of
from bot.services.schedule import local_date
from bot.store import checkins, prompts
from bot.store.db import Database

#: /checkin without a kind: morning before this local time, evening from it on.
EVENING_FROM = time(15, 0)
SNOOZE_FOR = timedelta(minutes=30)
#: A prompt's buttons work this long after it was sent (unless a newer prompt came).
PROMPT_LIFETIME = timedelta(hours=12)
PROMPT_KINDS = (MORNING, EVENING, SNOOZE)

INTENSITIES = range(0, 11)
REPAIRS = ("none", "attempted", "succeeded")
KEPT = ("yes", "partly", "no", "none")
#: The evening acknowledgement of a commitment kept, partly kept or not ("none": nothing).
ACK_KEPT = Family("checkin.ack_kept_{}", KEPT[:3])


#: What may follow /checkin for each kind, in the user's language (English always works).
KIND_WORDS = {MORNING: "checkin.kind_words.morning", EVENING: "checkin.kind_words.evening"}


def kind_named(word: str) -> str | None:
    """The check-in kind a word after /checkin names ("abend", "утро", "pm"), or None."""
    return next((kind for kind, key in KIND_WORDS.items() if one_of(word, words(key))), None)


def kind_for_now(user: User, now: datetime) -> str:
    """Morning before 15:00 in the user's zone, evening after."""
    return MORNING if local_now(safe_zone(user.timezone), now).time() < EVENING_FROM else EVENING


def today(user: User, now: datetime) -> date:
    return local_date(safe_zone(user.timezone), now)


def prompt_kind(prompt: DuePrompt) -> str:
    """The check-in a prompt stands for (a snooze carries it in its payload)."""
    if prompt.kind == SNOOZE:
        return prompt.payload if prompt.payload in CHECKIN_KINDS else MORNING
    return prompt.kind


def prompt_day(db: Database, user: User, prompt: DuePrompt) -> date:
    """The local date a prompt belongs to (a snooze belongs to the prompt it snoozed)."""
    origin = prompt
    if prompt.kind == SNOOZE and prompt.ref_id is not None:
        found = prompts.get(db, prompt.ref_id)
        if found is not None and found.user_id == user.id:
            origin = found
    return local_date(safe_zone(user.timezone), origin.due_at)


def live_prompt(db: Database, user: User, prompt_id: int, now: datetime) -> DuePrompt | None:
    """The user's check-in prompt if its buttons still work, else None (expired or not theirs)."""
    prompt = prompts.get(db, prompt_id)
    if prompt is None or prompt.user_id != user.id or prompt.kind not in PROMPT_KINDS:
        return None
    if prompt.state != prompts.SENT or prompt.sent_at is None:
        return None
    if now - prompt.sent_at > PROMPT_LIFETIME:
        return None
    latest = prompts.latest_sent(db, user.id, PROMPT_KINDS)
    return prompt if latest is not None and latest.id == prompt.id else None


def start(
    db: Database,
    user: User,
    kind: str,
    now: datetime,
    prompt: DuePrompt | None = None,
) -> CheckIn:
    """Open a draft check-in (closing any unfinished one)."""
    day = prompt_day(db, user, prompt) if prompt is not None else today(user, now)
    return checkins.start(db, user.id, kind, day, now, prompt.id if prompt else None)


def snooze(db: Database, user: User, prompt: DuePrompt, now: datetime) -> tuple[datetime, bool]:
    """Ask again in 30 minutes; returns the due time and whether this press booked it.

    Once per prompt, and at most one snooze waiting per user and check-in kind: pressing
    Snooze again (a replayed button) books nothing and returns the snooze already waiting.
    """
    origin = prompt.ref_id if prompt.kind == SNOOZE else prompt.id
    booked, new = prompts.add_unless_waiting(
        db, user.id, SNOOZE, now + SNOOZE_FOR, now, ref_id=origin, payload=prompt_kind(prompt)
    )
    return booked.due_at, new


def snooze_label(user: User, due: datetime) -> str:
    return format_time(local_now(safe_zone(user.timezone), due).time())


def skip_today(db: Database, user: User, prompt: DuePrompt, now: datetime) -> CheckIn:
    """ "Skip today": a rest day that never breaks a streak."""
    day = prompt_day(db, user, prompt)
    return checkins.record(db, user.id, prompt_kind(prompt), day, checkins.SKIPPED, now, prompt.id)


def clear_before_prompt(db: Database, user_id: int, kind: str, now: datetime) -> int:
    """Before a check-in prompt goes out: a snoozed older one is superseded (unless this is
    that snooze), and the check-in left open is closed, answers kept. How many were closed."""
    if kind != SNOOZE:
        prompts.cancel_pending(db, user_id, kinds=[SNOOZE])
    return checkins.close_drafts(db, user_id, now)


def close_unfinished(db: Database, user_id: int, now: datetime) -> int:
    return checkins.close_drafts(db, user_id, now)


# --- answers ----------------------------------------------------------------------------------


def save(
    db: Database,
    user: User,
    checkin: CheckIn,
    now: datetime,
    step: str | None = None,
    **answers: object,
) -> None:
    """Keep answers; ``step``: the question the check-in waits for next (see ``wait_for``)."""
    checkins.save_answer(db, user.id, _id(checkin), now, step, **answers)


def choose(db: Database, checkin: CheckIn, field: str, values: list[str], now: datetime) -> None:
    """A multiple choice in progress (the feelings tapped so far), stored at once."""
    checkins.save_answer(db, checkin.user_id, _id(checkin), now, None, **{field: values})


def wait_for(db: Database, user_id: int, step: str, now: datetime) -> None:
    """The open check-in now waits for the answer to ``step``: a typed answer is kept in that
    step's field even if the conversation state in memory lags behind."""
    checkins.wait_for(db, user_id, step, now)


def commit_to(
    db: Database,
    user: User,
    checkin: CheckIn,
    now: datetime,
    *,
    text: str | None = None,
    suggestion_id: str | None = None,
) -> Commitment:
    return checkins.add_commitment(
        db,
        user.id,
        checkin.local_date,
        now,
        checkin_id=checkin.id,
        text=text,
        suggestion_id=suggestion_id,
    )


def todays_commitment(db: Database, user: User, checkin: CheckIn) -> Commitment | None:
    return checkins.commitment_for(db, user.id, checkin.local_date)


def commitment_label(commitment: Commitment) -> str:
    return commitment.text or vocab.option_label("commitments", commitment.suggestion_id) or ""


def answer_kept(db: Database, user: User, checkin: CheckIn, kept: str, now: datetime) -> None:
    """Record whether this morning's commitment held, on the check-in and the commitment."""
    save(db, user, checkin, now, commitment_kept=kept)
    commitment = todays_commitment(db, user, checkin)
    if commitment is not None and commitment.id is not None and kept in ("yes", "partly", "no"):
        checkins.set_outcome(db, user.id, commitment.id, kept, now)


def finish(db: Database, user: User, checkin: CheckIn, now: datetime) -> str:
    """Complete the check-in and return the warm acknowledgement naming what they chose."""
    done = checkins.complete(db, user.id, _id(checkin), now) or checkins.get(
        db, user.id, _id(checkin)
    )
    assert done is not None
    if done.kind == MORNING:
        return t("checkin.morning_done", summary=_morning_summary(db, user, done))
    return t("checkin.evening_done", summary=_evening_summary(done))


def emotions_text(ids: list[str]) -> str:
    labels = []
    for emotion_id in ids:
        try:
            labels.append(i18n.inline(vocab.emotion_label(emotion_id)))
        except KeyError:
            continue
    return i18n.joined(labels) if labels else ""


def _morning_summary(db: Database, user: User, checkin: CheckIn) -> str:
    parts: list[str] = []
    if checkin.emotions:
        emotions = emotions_text(checkin.emotions)
        if checkin.intensity is not None:
            parts.append(
                t("checkin.ack_feelings_intensity", emotions=emotions, intensity=checkin.intensity)
            )
        else:
            parts.append(t("checkin.ack_feelings", emotions=emotions))
    if quotable(checkin.need):
        assert checkin.need is not None
        parts.append(t("checkin.ack_need", need=_short(checkin.need)))
    commitment = checkins.commitment_for(db, user.id, checkin.local_date)
    if (
        commitment is not None
        and commitment.checkin_id == checkin.id
        and quotable(commitment_label(commitment))
    ):
        parts.append(t("checkin.ack_commitment", commitment=_short(commitment_label(commitment))))
    return " ".join(parts) or t("checkin.ack_nothing")


def _evening_summary(checkin: CheckIn) -> str:
    parts: list[str] = []
    interactions = vocab.option_label("interactions", checkin.interactions)
    if interactions:
        parts.append(t("checkin.ack_interactions", interactions=i18n.inline(interactions)))
    if checkin.commitment_kept in ACK_KEPT.values:
        parts.append(t(f"checkin.ack_kept_{checkin.commitment_kept}"))
    if quotable(checkin.lesson):
        assert checkin.lesson is not None
        parts.append(t("checkin.ack_lesson", lesson=_short(checkin.lesson)))
    return " ".join(parts) or t("checkin.ack_nothing")


def _short(text: str, limit: int = 200) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _id(checkin: CheckIn) -> int:
    assert checkin.id is not None
    return checkin.id
