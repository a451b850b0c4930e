"""The language mechanism: choosing a language, gettext catalogues through Babel, CLDR plural
forms, and one update's language never leaking into another's."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import bot.content as content
from bot.content import i18n, t

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "messages_script", ROOT / "scripts" / "messages.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Catalogues written into a temporary folder by scripts/messages.py import."""
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    script = _script()
    monkeypatch.setattr(script, "LOCALES", tmp_path)
    for name in ("de", "ru"):
        mirror = tmp_path / f"mirror_{name}"
        mirror.mkdir()
    (tmp_path / "mirror_de" / "checkin.toml").write_text(
        'ask_need = "Was brauchst du heute? Ein Satz reicht — oder Überspringen."\n'
    )
    (tmp_path / "mirror_de" / "coach.toml").write_text('strip_situation = ["wenn", "immer wenn"]\n')
    (tmp_path / "mirror_ru" / "summary.toml").write_text(
        'days_many = { one = "{n} день", few = "{n} дня", many = "{n} дней", other = "{n} дня" }\n'
    )
    script.cmd_import("de", tmp_path / "mirror_de")
    script.cmd_import("ru", tmp_path / "mirror_ru")
    i18n._load.cache_clear()
    content._data.cache_clear()
    content._language_data.cache_clear()
    yield tmp_path
    i18n._load.cache_clear()
    content._data.cache_clear()
    content._language_data.cache_clear()


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("pt-br", "pt"),
        ("pt_PT", "pt"),
        ("RU", "ru"),
        ("es-419", "es"),
    ]
    + [("zh-hans", "en"), ("", "en"), (None, "en"), ("x" * 300, "en")],
)
def test_a_telegram_language_code_maps_to_a_language_or_english(
    code: str | None, lang: str
) -> None:
    assert i18n.resolve(code) == lang


def test_a_translated_text_in_its_language_and_english_where_none_is(locales: Path) -> None:
    assert t("checkin.ask_need", lang="de").startswith("Was brauchst du heute?")
    assert t("checkin.ask_need", lang="en").startswith("What do you need today?")
    # Not translated yet: the English text, never a key or an error.
    assert t("checkin.ask_intensity", lang="de") == t("checkin.ask_intensity", lang="en")


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1 день"), (2, "2 дня"), (5, "5 дней"), (11, "11 дней"), (21, "21 день"), (22, "22 дня")],
)
def test_russian_counts_take_their_three_forms(locales: Path, n: int, text: str) -> None:
    assert t("summary.days_many", lang="ru", n=n) == text


def test_a_language_has_its_own_word_lists(locales: Path) -> None:
    assert content.data("coach.strip_situation", lang="de") == ["wenn", "immer wenn"]
    assert "when" in content.data("coach.strip_situation", lang="en")


async def test_each_update_speaks_its_own_users_language(locales: Path) -> None:
    """Two updates handled at once: each task's language is its own."""
    seen: dict[str, str] = {}
    both_set = asyncio.Event()
    ready = 0

    async def handle(lang: str) -> None:
        nonlocal ready
        i18n.use(lang)
        ready += 1
        if ready == 2:
            both_set.set()
        await both_set.wait()
        seen[lang] = t("checkin.ask_need")

    await asyncio.gather(asyncio.create_task(handle("de")), asyncio.create_task(handle("en")))
    assert seen["de"].startswith("Was brauchst")
    assert seen["en"].startswith("What do you need")
    assert i18n.current() == "en"  # the test's own context is untouched


def test_the_template_holds_every_english_text() -> None:
    catalog = _script().template()
    keys = {str(m.context) for m in catalog if m.id}
    assert "checkin.ask_need" in keys
    assert "vocab.commitments.pause.label" in keys
    assert not any(k.startswith("crisis_patterns.") for k in keys)
    assert not any(k.startswith("coach.strip_") for k in keys)  # word lists are not messages


def test_the_coach_offers_the_i_form_in_the_users_language_without_english_grammar() -> None:
    """A Russian blaming sentence gets its notes and an "I" form with blanks in Russian,
    never the English rewriting applied to Russian words."""
    from bot.services import coach

    with i18n.using("ru"):
        reply = coach.coach_reply("Ты никогда мне не звонишь, когда обещаешь")
    assert reply is not None
    assert "not" not in reply.split() and "never" not in reply
    assert t("coach.reply_offer", lang="ru") in reply
    assert t("coach.blank_feeling", lang="ru") in reply
