"""Times and weekdays typed in Steady's languages (weekday names are CLDR's, via Babel)."""

from __future__ import annotations

from datetime import time

import pytest

from bot.content import i18n
from bot.services.checkins import kind_named
from bot.services.parse.times import DayInputError, parse_day, parse_time, parse_weekly
from bot.services.summary_text import parse_weeks


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7 Uhr", time(7)),
        ("um 7 Uhr", time(7)),
        ("19 Uhr 30", time(19, 30)),
        ("19:30 Uhr", time(19, 30)),
        ("7 Uhr abends", time(19)),
        ("19 Uhr abends", time(19)),
        ("a las 7", time(7)),
        ("7 de la tarde", time(19)),
        ("à 7h", time(7)),
        ("9 du soir", time(21)),
        ("às 19h", time(19)),
        ("7 da manhã", time(7)),
        ("в 7 утра", time(7)),
        ("7 вечера", time(19)),
        ("в 19:00", time(19)),
        ("19 ч", time(19)),
        ("7 часов", time(7)),
    ],
)
def test_a_time_with_the_words_around_it(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    ("typed", "day", "at"),
    [
        ("Sonntag 19:00", 6, time(19)),
        ("So 19 Uhr", 6, time(19)),
        ("domingo a las 19", 6, time(19)),
        ("miércoles 18:30", 2, time(18, 30)),
        ("miercoles 18:30", 2, time(18, 30)),
        ("dimanche à 19h", 6, time(19)),
        ("mer. 18h", 2, time(18)),
        ("sábado 10h", 5, time(10)),
        ("segunda 8h", 0, time(8)),
        ("воскресенье в 19:00", 6, time(19)),
        ("вс 19:00", 6, time(19)),
        ("Sun 7pm", 6, time(19)),
    ],
)
def test_a_weekly_slot_in_any_language(typed: str, day: int, at: time) -> None:
    assert parse_weekly(typed) == (day, at)


@pytest.mark.parametrize(
    ("typed", "lang", "day"), [("do", "de", 3), ("do", "es", 6), ("di", "de", 1), ("di", "fr", 6)]
)
def test_a_short_name_two_languages_share_is_read_in_the_users_own(
    typed: str, lang: str, day: int
) -> None:
    assert parse_day(typed, lang) == day
    with pytest.raises(DayInputError):
        parse_day(typed)  # an English speaker's "do" is no day


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("morgen um 19 Uhr", "Tue 3 Mar, 19:00"),
        ("heute Abend", "Mon 2 Mar, 19:00"),
        ("übermorgen", "Wed 4 Mar, 19:00"),
        ("in 3 Tagen", "Thu 5 Mar, 19:00"),
        ("am 20. März 18 Uhr", "Fri 20 Mar, 18:00"),
        ("mañana a las 7", "Tue 3 Mar, 07:00"),
        ("dentro de 2 horas", "Mon 2 Mar, 13:00"),
        ("20 de marzo", "Fri 20 Mar, 19:00"),
        ("demain à 19h", "Tue 3 Mar, 19:00"),
        ("dans 3 jours", "Thu 5 Mar, 19:00"),
        ("le 20 mars", "Fri 20 Mar, 19:00"),
        ("amanhã às 19h", "Tue 3 Mar, 19:00"),
        ("hoje à noite", "Mon 2 Mar, 19:00"),
        ("daqui a 2 horas", "Mon 2 Mar, 13:00"),
        ("sexta 18h", "Fri 6 Mar, 18:00"),
        ("завтра в 19:00", "Tue 3 Mar, 19:00"),
        ("сегодня вечером", "Mon 2 Mar, 19:00"),
        ("через 3 дня", "Thu 5 Mar, 19:00"),
        ("через неделю", "Mon 9 Mar, 19:00"),
        ("пятница 18:00", "Fri 6 Mar, 18:00"),
        ("20 марта", "Fri 20 Mar, 19:00"),
    ],
)
def test_a_moment_for_a_repair_in_any_language(typed: str, expected: str) -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.services.parse.moments import describe, parse_when

    zone = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday, 11:00 in Berlin
    assert describe(parse_when(typed, zone, now), zone) == expected


@pytest.mark.parametrize(
    ("lang", "typed", "weeks"),
    [
        ("de", "4 Wochen", 4),
        ("de", "2 wo", 2),
        ("es", "3 semanas", 3),
        ("fr", "2 semaines", 2),
        ("pt", "4 sem.", 4),
        ("ru", "4 недели", 4),
        ("ru", "5 недель", 5),
        ("ru", "1 неделю", 1),
        ("ru", "4 weeks", 4),  # English always works
    ],
)
def test_weeks_for_a_summary_in_the_users_language(lang: str, typed: str, weeks: int) -> None:
    with i18n.using(lang):
        assert parse_weeks(typed) == weeks


@pytest.mark.parametrize(("lang", "typed"), [("de", "4 Tage"), ("ru", "4 дня"), ("en", "4 Wochen")])
def test_other_units_are_not_weeks(lang: str, typed: str) -> None:
    with i18n.using(lang):
        assert parse_weeks(typed) is None


@pytest.mark.parametrize(
    ("lang", "typed", "kind"),
    [
        ("de", "Abend", "evening"),
        ("de", "morgens", "morning"),
        ("es", "Mañana", "morning"),
        ("es", "manana", "morning"),
        ("fr", "soir", "evening"),
        ("pt", "manhã", "morning"),
        ("ru", "Вечер", "evening"),
        ("ru", "утром", "morning"),
        ("ru", "evening", "evening"),  # English always works
        ("en", "pm", "evening"),
    ],
)
def test_the_kind_after_checkin_in_the_users_language(lang: str, typed: str, kind: str) -> None:
    with i18n.using(lang):
        assert kind_named(typed) == kind


def test_a_word_that_names_no_kind() -> None:
    with i18n.using("de"):
        assert kind_named("mittags") is None
