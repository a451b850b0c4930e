"""The care reply: the user's own plan first, then helplines for their country and language,
then the emergency number; resources by country from the language code or the timezone."""

from __future__ import annotations

from bot.services import care
from bot.services.safetyplan import prefilled_professionals

PLAN = {"coping": "A cold shower", "helpers": "Sam 0151", "reasons": "My cat", "warning_signs": "x"}


def test_country_from_the_language_region_then_the_timezone() -> None:
    assert care.country_of("pt-BR", "Europe/Berlin") == "BR"
    assert care.country_of("en", "Europe/Berlin") == "DE"
    assert care.country_of("en", "America/Sao_Paulo") == "BR"
    assert care.country_of("en", "UTC") is None
    assert care.country_of(None, None) is None


def test_emergency_number_of_the_country_or_the_general_advice() -> None:
    assert "911" in care.emergency("US") and "000" not in care.emergency("US")
    assert "000" in care.emergency("AU")
    assert "112" in care.emergency(None) and "911" in care.emergency(None)


def test_resources_for_a_german_resident_writing_in_english() -> None:
    text = care.resources_text("en", "Europe/Berlin")
    assert text.index("TelefonSeelsorge") < text.index("988")  # the country first
    assert "call 112 now" in text and text.rstrip().endswith("https://findahelpline.com")


def test_care_text_puts_the_plan_first_and_leaves_out_warning_signs() -> None:
    text = care.care_text(PLAN, "en-US", None, paused=True)
    order = ["glad you told me", "A cold shower", "Sam 0151", "My cat", "988", "911", "carry on"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "x\n" not in text and "safetyplan" not in text


def test_without_a_plan_no_plan_block_and_no_invitation() -> None:
    text = care.care_text(None, "de", "Europe/Berlin", paused=False)
    assert "From your own safety plan" not in text and "safety plan" not in text.lower()
    assert "carry on" not in text


def test_answers_with_crisis_language_are_not_quotable() -> None:
    assert care.quotable("A quiet evening with friends")
    assert not care.quotable("I want to die")
    assert not care.quotable("   ") and not care.quotable(None)


def test_the_plan_is_begun_with_the_helplines_of_the_users_country() -> None:
    assert prefilled_professionals("en", "Europe/Berlin") == (
        "Deutschland: TelefonSeelsorge 0800 111 0 111 (kostenlos, rund um die Uhr)"
    )
    assert "188" in (prefilled_professionals("pt-BR", None) or "")
    everywhere = prefilled_professionals("en", "UTC") or ""
    assert "988" in everywhere and "Samaritans" in everywhere  # no country: the language's
    assert prefilled_professionals("xx", "UTC") is None
