"""/report end to end: the period and what to include as buttons (or dates typed), then one
PDF document, read back with pypdf: the user's own words from the period are in it, nothing
from before it or from someone else; an empty period gets a kind sentence; a report over
Telegram's limit is refused; German and Russian reports read as written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from bot.services.report import document
from tests import seed
from tests.e2e.helpers import care_only, carry_on
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import BotEvent

TODAY = date(2026, 3, 2)  # the rig's clock: Monday 2 March 2026, 10:00 in Berlin


def pdf_text(event: BotEvent) -> str:
    assert event.kind == "document" and event.document is not None
    reader = PdfReader(io.BytesIO(event.document))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def only_document(events: list[BotEvent]) -> BotEvent:
    (doc,) = [e for e in events if e.kind == "document"]
    return doc


def seed_journal(rig: BotRig, user_id: int = 1001, **fields: object) -> None:
    seed.user(rig.db, user_id, **fields)
    seed.checkin(rig.db, user_id, date(2026, 2, 27), emotions=["anxious"], intensity=6,
                 need="a slow morning with tea")  # fmt: skip
    seed.commitment(rig.db, user_id, date(2026, 2, 27), "yes", text="ask Sam for a hug")
    seed.trigger(rig.db, user_id, date(2026, 2, 25), situation="Sam left the dishes again",
                 story="Sam does not care about me", balanced="Sam was exhausted")  # fmt: skip
    seed.repair(rig.db, user_id, date(2026, 2, 26), outcome="happened",
                what_happened="I raised my voice at Sam", next_step="pause and breathe first",
                followup_note="we hugged it out")  # fmt: skip
    # Before the last two weeks:
    seed.trigger(rig.db, user_id, date(2026, 1, 10), situation="an old January story")


async def test_report_of_the_last_two_weeks_holds_the_users_own_words(rig: BotRig) -> None:
    seed_journal(rig)
    seed.user(rig.db, 2002, first_name="Kim")
    seed.trigger(rig.db, 2002, date(2026, 2, 25), situation="Kim's private worry")
    alex = rig.user(1001, "Alex")

    (ask,) = await alex.ask("/report")
    assert "Which days should it cover?" in ask.text
    assert ask.buttons == [["Last 2 weeks"], ["Last 4 weeks"], ["Last 3 months"], ["Choose dates"]]
    got = await alex.tap("Last 2 weeks")
    assert "→ Last 2 weeks" in texts(got)
    (include,) = sent(got)
    assert include.text.startswith("Tue 17 Feb 2026 – Mon 2 Mar 2026.")
    assert include.buttons == [
        ["Everything"], ["Only thought records"], ["Only repairs"], ["Only check-ins"]
    ]  # fmt: skip
    got = await alex.tap("Everything")
    doc = only_document(got)
    assert doc.filename == "steady-report-2026-03-02.pdf"
    assert "Your report for Tue 17 Feb 2026 – Mon 2 Mar 2026" in (doc.text or "")
    assert "Putting your report together" in texts(got)
    text = pdf_text(doc)
    for words in (
        "Prepared by Alex from their own journal — not a clinical document",
        "Sam left the dishes again", "Sam does not care about me", "Sam was exhausted",
        "I raised my voice at Sam", "pause and breathe first", "we hugged it out",
        "a slow morning with tea", "ask Sam for a hug", "Overview", "Lines: how intense my",
        "Tue 17 Feb 2026 – Mon 2 Mar 2026 · page 1 of",
    ):  # fmt: skip
        assert words in text, words
    assert "an old January story" not in text
    assert "Kim" not in text
    print("\n".join(e.text or f"[{e.kind} {e.filename}]" for e in alex.events))


async def test_typed_dates_and_only_repairs(rig: BotRig) -> None:
    seed_journal(rig)
    alex = rig.user(1001, "Alex")
    await alex.ask("/report")
    (ask,) = sent(await alex.tap("Choose dates"))
    assert "first and the last day" in ask.text
    (wrong,) = await alex.ask("sometime last winter")
    assert "couldn't find two dates" in wrong.text
    (future,) = await alex.ask("2026-04-01")
    assert "hasn't begun yet" in future.text
    (include,) = await alex.ask("26.2.2026 – 1.2.2026")
    assert include.text.startswith("Sun 1 Feb 2026 – Thu 26 Feb 2026.")
    (nudge,) = await alex.ask("everything please")
    assert "tap one of the buttons" in nudge.text
    text = pdf_text(only_document(await alex.tap("Only repairs")))
    assert "I raised my voice at Sam" in text and "we hugged it out" in text
    assert "Sam left the dishes again" not in text and "a slow morning with tea" not in text
    assert "Overview" not in text


async def test_only_thought_records_and_only_check_ins(rig: BotRig) -> None:
    seed_journal(rig)
    alex = rig.user(1001, "Alex")
    await alex.ask("/report")
    await alex.tap("Last 3 months")
    text = pdf_text(only_document(await alex.tap("Only thought records")))
    assert "Sam left the dishes again" in text and "an old January story" in text
    assert "I raised my voice" not in text and "a slow morning with tea" not in text

    rig.clock.advance(minutes=2)  # past the cooldown
    await alex.ask("/report")
    await alex.tap("Last 3 months")
    text = pdf_text(only_document(await alex.tap("Only check-ins")))
    assert "a slow morning with tea" in text and "ask Sam for a hug" in text
    assert "Sam left the dishes" not in text and "I raised my voice" not in text
    assert "Triggers logged" not in text and "Repairs:" not in text


async def test_an_empty_period_gets_a_kind_sentence(rig: BotRig) -> None:
    seed.user(rig.db, 1001)
    seed.trigger(rig.db, 1001, date(2026, 1, 10), situation="an old January story")
    alex = rig.user(1001, "Alex")
    await alex.ask("/report")
    await alex.tap("Last 2 weeks")
    got = await alex.tap("Everything")
    assert not [e for e in got if e.kind == "document"]
    assert "nothing from Tue 17 Feb 2026 – Mon 2 Mar 2026 to put in this report" in texts(got)


async def test_a_report_over_the_limit_is_refused(
    rig: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_journal(rig)
    monkeypatch.setattr(document, "MAX_DOCUMENT_BYTES", 1000)
    alex = rig.user(1001, "Alex")
    await alex.ask("/report")
    await alex.tap("Last 2 weeks")
    got = await alex.tap("Everything")
    assert not [e for e in got if e.kind == "document"]
    assert "larger than the 50 MB Telegram lets me send" in texts(got)


async def test_cancel_and_not_onboarded(rig: BotRig) -> None:
    (refused,) = await rig.user(1003, "Sam").ask("/report")
    assert "send /start" in refused.text
    seed_journal(rig)
    alex = rig.user(1001, "Alex")
    await alex.ask("/report")
    await alex.tap("Choose dates")
    assert "No report was made." in texts(await alex.ask("/cancel"))
    (reply,) = await alex.ask("2026-02-01 2026-02-26")
    assert "first and the last day" not in reply.text and "Last 2 weeks" not in str(reply.buttons)


@pytest.mark.parametrize(
    ("lang", "buttons", "words"),
    [
        ("de", ("Letzte 2 Wochen", "Alles"), ("Erstellt von Jürgen", "Grüße an Sam, ärgerlich")),
        ("ru", ("Последние 2 недели", "Всё"), ("Составлено: Алёна", "Сэм опять не ответил")),
    ],
)
async def test_german_and_russian_reports_read_as_written(
    rig: BotRig, lang: str, buttons: tuple[str, str], words: tuple[str, str]
) -> None:
    name = "Jürgen" if lang == "de" else "Алёна"
    seed.user(rig.db, 1001, first_name=name, language=lang)
    seed.trigger(rig.db, 1001, date(2026, 2, 25), situation=words[1])
    user = rig.user(1001, name)
    await user.ask("/report")
    assert f"→ {buttons[0]}" in texts(await user.tap(buttons[0]))  # the echo in their language
    got = await user.tap(buttons[1])
    assert f"→ {buttons[1]}" in texts(got)
    doc = only_document(got)
    text = pdf_text(doc)
    assert words[0] in text and words[1] in text
    print("\n".join(e.text or f"[{e.kind} {e.filename}]" for e in user.events), text[:400])


async def test_crisis_language_at_the_dates_step_is_cared_for_then_dates_again(
    rig: BotRig,
) -> None:
    seed_journal(rig)
    alex = rig.user(1001, "Alex")
    await alex.ask("/report")
    await alex.tap("Choose dates")
    await care_only(alex)
    question = await carry_on(alex)
    assert "first and the last day" in question.text
    (include,) = await alex.ask("2026-02-01 2026-02-26")
    assert "What should the report include?" in include.text
