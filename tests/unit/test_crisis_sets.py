"""The floor under crisis detection: the labelled sets in tests/data/crisis (see the README).

The floor holds on the tuning set only (a margin under its round-6 figures, above the
targets); the held-out sets and a blind set (when present) are checked for form here and
measured by ``bench.crisis``. Misses and false alarms are listed by id, never by text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import crisis as bench_crisis
from bot.services.crisis import detect_crisis, normalise
from bot.services.crisis_forms import LANGUAGES as FORM_LANGUAGES
from bot.services.crisis_forms import forms, lexicon
from tests import crisis_sets
from tests.crisis_sets import LANGUAGES, available, has, load, score

#: The targets are recall >= 97 % and false alarms <= 3 %; since round 6 the tuning set (which
#: holds the burnt blind sets and is trained on) reads 100 % / 0 % in every language, and the
#: floor sits a small margin under that: at most one line in a hundred either way.
MIN_RECALL = 0.99
MAX_FALSE_ALARMS = 0.01


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tuning_set_holds_the_floor(lang: str) -> None:
    rows = load(lang)
    s = score(rows, detect_crisis)
    assert s.crisis >= 60 and s.safe >= 40
    assert s.recall >= MIN_RECALL, f"{lang}: recall {s.recall:.1%}, missed {s.missed}"
    assert s.false_alarm_rate <= MAX_FALSE_ALARMS, (
        f"{lang}: false alarms {s.false_alarm_rate:.1%}: {s.false_alarms}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sets_are_well_formed(lang: str) -> None:
    for folder in (f for f in available() if has(lang, f)):
        rows = load(lang, folder)
        ids = [r.id for r in rows]
        assert len(ids) == len(set(ids)), f"{lang}: duplicate ids in {folder or 'tuning'}"
        assert all(r.id.startswith(f"{lang}-") for r in rows)
        assert all(r.category in ("suicide", "self_harm", "danger") for r in rows if r.crisis)


@pytest.mark.parametrize("lang", FORM_LANGUAGES)
def test_word_forms_cover_the_lexicon(lang: str) -> None:
    # The table is regenerated after the lexicon changes (python -m bot.services.crisis_forms).
    table = forms(lang).table
    missing = sorted(
        normalise(w)
        for words in lexicon(lang).values()
        for w in words
        if " " not in w and normalise(w) not in table
    )
    assert not missing, f"{lang}: regenerate crisis_forms.json; missing {missing}"


def test_inflected_forms_and_typos() -> None:
    assert detect_crisis("Ich habe mich wieder geritzt")  # geritzt → ritzen
    assert detect_crisis("я больше не хочу существовать")  # существовать, its own word order
    assert detect_crisis("suicdal again tonight")  # one letter missing
    assert detect_crisis("ich will mich umbrigen")  # one letter missing
    assert not detect_crisis("this traffic is killing me")
    assert not detect_crisis("i want to end it with him")


def test_a_story_or_the_news_is_not_the_users_crisis() -> None:
    assert not detect_crisis("in the series the main character kills himself")
    assert not detect_crisis("в сериале главный герой покончил с собой")
    assert not detect_crisis("en la serie el protagonista se suicida")
    # A first-person word keeps the sentence: the story is how the user tells it.
    assert detect_crisis("after that film i want to kill myself")
    assert detect_crisis("the news today made me want to die")


def test_hope_about_someone_else_is_not_a_wish_to_die() -> None:
    assert not detect_crisis("ich hoffe, meine katze stirbt nicht")
    assert not detect_crisis("espero que mi abuela no se muera")
    assert detect_crisis("ich hoffe, ich sterbe bald")


def test_a_long_message_is_read_in_its_own_languages() -> None:
    calm_en = "we talked for hours about the week and what went well. " * 20
    calm_es = "hablamos durante horas de la semana y de lo que fue bien. " * 20
    assert len(calm_en) > 400 and not detect_crisis(calm_en)
    assert detect_crisis(calm_en + "honestly i just want to stop existing")
    assert detect_crisis(calm_es + "la verdad es que quiero dejar de existir")
    assert detect_crisis(calm_en + "ich will nicht mehr leben")  # phrases read in every language


def test_a_blind_set_is_reported_on_its_own_and_never_holds_the_floor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A future blind2/ folder (written by someone who never saw the detector) is its own
    # group of rows, "blind 2 (never tuned on)"; a poor figure there never fails the bench.
    for lang in LANGUAGES:  # a small tuning set: its first crisis and safe lines
        rows = (crisis_sets.DATA / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()
        crisis = [r for r in rows if "\tcrisis\t" in r][:8]
        safe = [r for r in rows if "\tsafe\t" in r][:8]
        (tmp_path / f"{lang}.tsv").write_text("\n".join(crisis + safe) + "\n", encoding="utf-8")
    (tmp_path / "blind2").mkdir()
    (tmp_path / "blind2" / "en.tsv").write_text(
        "en-z01\tcrisis\tsuicide\tzzz nothing a pattern knows\n", encoding="utf-8"
    )
    monkeypatch.setattr(crisis_sets, "DATA", tmp_path)
    assert crisis_sets.available() == ["", "blind2"]
    lines, ok = bench_crisis.run(repeat=1, rounds=1, startup=False)
    assert ok
    blind = [line for line in lines if line.startswith("| blind 2 (never tuned on) |")]
    # one row per detector: the patterns, the learned model, and both (what the bot runs)
    assert [line.split(" | ")[2] for line in blind] == ["patterns", "model", "combined"]
    assert all("| en |" in line and "| 1 | 0 | 0.0% |" in line for line in blind)


def test_consequence_threats_and_prevention_talk_are_not_crisis() -> None:
    assert not detect_crisis("my mum will kill me when she sees my haircut")
    assert not detect_crisis("meine mutter bringt mich um, wenn sie meine haare sieht")
    assert not detect_crisis("mi mamá me va a matar cuando vea mi corte de pelo")
    assert not detect_crisis("ma mère va me tuer quand elle verra ma coupe")
    assert not detect_crisis("minha mãe vai me matar quando vir meu cabelo")
    assert not detect_crisis("мама меня убьёт, когда увидит мою стрижку")
    assert not detect_crisis("we watched a documentary about suicide prevention")
    assert not detect_crisis("смотрели документалку о профилактике суицида")
    # Without the "when/if" it is a threat, and stays one.
    assert detect_crisis("my dad will kill me")
    assert detect_crisis("i watched a suicide prevention video and i still want to kill myself")


def test_strong_words_and_danger_shapes_on_their_own() -> None:
    assert detect_crisis("thinking of overdosing on my sleeping pills")
    assert detect_crisis("gonna go cut")
    assert detect_crisis("this is my last message")
    assert detect_crisis("he has a gun")
    assert detect_crisis("im hiding in the bathroom, hes smashing everything, please help")
    assert not detect_crisis("my friend overdosed last year")  # someone else's
    assert not detect_crisis("he got a knife from the drawer to cut the cake")
    assert not detect_crisis("i picked the date for our anniversary dinner")


ROUND_6 = [  # (text, crisis?)
    # German typed without umlauts: "ae", "oe", "ue" folded like "ä", "ö", "ü" on both sides
    ("wuerd mich am liebsten aufhaengen", True),
    ("er hat mich gewuergt bis ich keine luft mehr bekam", True),
    ("wenn er heimkommt schlaegt er mich wieder", True),
    ("die mauer im garten ist neu gestrichen", False),
    # someone else's crisis needs the model (crisis_markers) ...
    ("mein kumpel hat suizidgedanken, wie kann ich ihm helfen", False),
    ("faz 10 anos q meu tio se suicidou, hj a familia fez uma missa", False),
    ("подруга призналась что режется, как ее поддержать?", False),
    # ... unless the user's own words still carry it once the report is masked,
    ("my friend killed himself last year and now i want to kill myself too", True),
    # and danger from another person is never vetoed
    ("my brother said he will kill me when he gets home tonight", True),
    # chat spellings, an embarrassment marker
    ("jme suis mutilee hier soir", True),
    ("se ela me largar eu me mato, to falando serio", True),
    ("q verguenza, me queria morir cuando se me cayo la charola", False),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_6)
def test_round_6_shapes(text: str, expected: bool) -> None:
    assert detect_crisis(text) is expected, text
