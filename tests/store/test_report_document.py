"""/report's document on SQLite and PostgreSQL: the rows of the period only, the user's only,
streamed from the store; a long period; text the font cannot draw; encrypted text read back."""

from __future__ import annotations

import io
import time
from datetime import UTC, date, datetime

from pypdf import PdfReader

from bot.columns import set_text_cipher
from bot.content import i18n
from bot.services.report import document, pdf
from bot.services.report.period import Period
from bot.store import report as store
from bot.store import users
from bot.store.db import Database
from tests import seed
from tests.records import RECORDS
from tests.seed import history

TODAY = date(2026, 3, 8)
NOW = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)
MARCH = Period(date(2026, 3, 1), TODAY)


def read(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def build(db: Database, period: Period = MARCH, include: str = "all", user_id: int = 1001) -> bytes:
    user = users.get(db, user_id)
    assert user is not None
    built = document.build(db, RECORDS.summary, user, NOW, period, include)
    assert built is not None
    return built


def test_the_periods_rows_only_and_the_users_only(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.user(any_db, 2002, first_name="Kim")
    seed.trigger(any_db, 1001, date(2026, 3, 1), situation="first day of March")
    seed.trigger(any_db, 1001, TODAY, situation="today's worry")
    seed.trigger(any_db, 1001, date(2026, 2, 28), situation="the last of February")
    seed.trigger(any_db, 1001, date(2026, 3, 9), situation="tomorrow, somehow")
    seed.trigger(any_db, 2002, date(2026, 3, 3), situation="Kim's worry")
    seed.trigger(
        any_db,
        1001,
        date(2026, 3, 4),
        status="draft",
        situation=None,
        person=None,
        emotions=(),
        before=None,
        after=None,
    )  # fmt: skip  (nothing written yet)

    assert store.count(any_db, "thoughts", 1001, MARCH.start, MARCH.end) == 2
    found = [row.situation for row in store.rows(any_db, "thoughts", 1001, *(MARCH.start, TODAY))]
    assert found == ["first day of March", "today's worry"]

    _, text = read(build(any_db, include="thoughts"))
    assert "first day of March" in text and "today's worry" in text
    for absent in ("the last of February", "tomorrow, somehow", "Kim"):
        assert absent not in text


def test_nothing_in_the_period_is_no_document(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.trigger(any_db, 1001, date(2026, 2, 1), situation="February")
    seed.repair(any_db, 1001, TODAY, what_happened="a repair today")
    user = users.get(any_db, 1001)
    assert user is not None
    assert document.build(any_db, RECORDS.summary, user, NOW, MARCH, "thoughts") is None
    assert document.build(any_db, RECORDS.summary, user, NOW, MARCH, "checkins") is None
    source = document.prepare(any_db, RECORDS.summary, user, NOW, MARCH, "all")
    assert source is not None and source.sections == ("overview", "repairs")


def test_a_long_period_stays_whole(any_db: Database) -> None:
    seed.user(any_db, 1001)
    history.two_years(any_db, 1001, TODAY, days=729)
    seed.trigger(any_db, 1001, date(2024, 3, 9), situation="the very first day")
    longest = Period(date(2024, 3, 9), TODAY)
    started = time.perf_counter()
    data = build(any_db, longest, "thoughts")
    seconds = time.perf_counter() - started
    pages, text = read(data)
    assert "the very first day" in text
    assert (
        text.count("They didn't reply for hours.")
        == store.count(any_db, "thoughts", 1001, longest.start, longest.end) - 1
    )
    assert pages > 50 and text.count("Sat 9 Mar 2024 – Sun 8 Mar 2026 · page") == pages
    assert f"page {pages} of {pages}" in text
    assert not document.too_large(data) and len(data) < 5_000_000
    assert seconds < 30  # (the benchmark measures; this only catches something pathological)


def test_german_and_russian_text_and_what_the_font_cannot_draw(any_db: Database) -> None:
    seed.user(any_db, 1001, first_name="Zoë 🌸")
    seed.trigger(any_db, 1001, TODAY, situation="Ärger über die Nachricht 🙃, «не ответил»",
                 story="Straße\tи ёлка")  # fmt: skip
    for lang, heading in (("de", "Gedankenprotokolle"), ("ru", "Записи мыслей")):
        with i18n.using(lang):
            _, text = read(build(any_db, include="thoughts"))
        assert heading in text
        assert "Ärger über die Nachricht , «не ответил»" in text
        assert "Straße и ёлка" in text
        assert "Zoë" in text and "🌸" not in text
    assert pdf.clean("a🌱b\x07c\r\nd\te") == "abc\nd    e"


class _Reverser:
    """A stand-in cipher: what is stored is not what was written."""

    def encrypt(self, text: str) -> str:
        return text[::-1]

    def decrypt(self, stored: str) -> str:
        return stored[::-1]


def test_encrypted_text_is_read_back(any_db: Database) -> None:
    set_text_cipher(_Reverser())
    try:
        seed.user(any_db, 1001)
        seed.trigger(any_db, 1001, TODAY, situation="sealed words")
        with any_db.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT situation FROM triggers").scalar_one()
        _, text = read(build(any_db, include="thoughts"))
    finally:
        set_text_cipher(None)
    assert "sealed words" not in stored
    assert "sealed words" in text
