"""Finding the user's timezone: a city however it is written, a name several places share,
and a shared location (on land, and out at sea)."""

from __future__ import annotations

from bot.store import users
from tests.e2e.rig import BotRig, sent


async def _at_timezone_step(rig: BotRig, user_id: int = 1001, **kw: str):  # type: ignore[no-untyped-def]
    user = rig.user(user_id, "Alex", **kw)
    await user.ask("/start")
    (question,) = sent(await user.tap("Let's begin"))
    assert "share your location" in (question.text or "")
    return user


async def test_a_city_in_cyrillic_is_found(rig: BotRig) -> None:
    alex = await _at_timezone_step(rig)
    (confirm,) = await alex.ask("Москва")
    assert "Europe/Moscow" in (confirm.text or "")


async def test_an_ambiguous_city_offers_a_button_per_place(rig: BotRig) -> None:
    alex = await _at_timezone_step(rig)
    (choice,) = await alex.ask("San José")
    assert "more than one" in (choice.text or "")
    assert "San José, Costa Rica" in choice.labels
    await alex.tap("San José, Costa Rica", choice)
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.timezone == "America/Costa_Rica"


async def test_a_shared_location_sets_the_zone_after_a_confirmation(rig: BotRig) -> None:
    alex = await _at_timezone_step(rig)
    await alex.send_location(55.75, 37.62)  # Moscow
    (confirm,) = await alex.replies_until_idle()
    assert "Europe/Moscow" in (confirm.text or "")
    await alex.tap("Yes, that's right", confirm)
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.timezone == "Europe/Moscow"


async def test_a_location_at_sea_gets_a_clear_reply_and_nothing_changes(rig: BotRig) -> None:
    alex = await _at_timezone_step(rig)
    await alex.send_location(40.0, -30.0)  # the middle of the Atlantic
    (reply,) = await alex.replies_until_idle()
    assert "out at sea" in (reply.text or "")
    (confirm,) = await alex.ask("Berlin")  # the step still waits for an answer
    assert "Europe/Berlin" in (confirm.text or "")


async def test_timezone_from_settings_by_location(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    await rig.onboard(alex)
    await alex.ask("/timezone")
    await alex.send_location(-23.55, -46.63)  # São Paulo
    (done,) = sent(await alex.replies_until_idle())
    assert "America/Sao_Paulo" in (done.text or "")
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.timezone == "America/Sao_Paulo"
