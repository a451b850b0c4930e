"""Markers that make a pattern hit need the learned model's agreement (``crisis.detect_crisis``).

Three kinds, all regular expressions over the normalised text (``crisis_patterns.toml``):

- **Laughter and hyperbole** (``[laughter]``): "haha", "kkkk", "jajaja", "mdr", "ахах", "lol",
  😂, "de vergonha", "vor Lachen", "qué vergüenza"… A message with one is usually a joke ("kms
  this printer 😂") — unless it says it is no joke ("not a joke", "no es broma", "не шучу").
- **Recovery told in the past** (``[recovery]``, round 8): "5 years clean", "ça fait 6 ans que
  c'est fini", "faz 6 anos q parei" — unless the message names a relapse.
- **Someone else's crisis** (``[others]``): a friend, a relative, a pupil or a patient as the
  subject of a crisis word in the third person ("my mate said hes been feeling suicidal",
  "mein Kumpel hat Suizidgedanken", "ça fait dix ans que mon oncle s'est suicidé", "подруга
  призналась что режется"), or a question about supporting someone. Issue 14 is about danger
  to the user: a report about another person is safe unless the model hears the user's own
  crisis in it, or the patterns still find crisis once the report is masked (``without_others``:
  "my friend killed himself and now i want to kill myself too"). Danger from another person is
  never vetoed this way (the other person is the danger).

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

import re
from functools import cache

from bot.content import data
from bot.services.crisis_phrases import normalise

_GAP = re.compile(r" ~(\d) ")


def _any_of(markers: list[str]) -> re.Pattern[str]:
    # One leading word boundary for all the markers that start with one (5x faster than
    # an alternation of 40 patterns that each start with \b), then the others (emoji).
    # " ~N " inside a marker is up to N words in between.
    markers = [_GAP.sub(lambda m: rf"(?:\W+\w+){{0,{m.group(1)}}}\W+", m) for m in markers]
    words = [m.removeprefix("\\b") for m in markers if m.startswith("\\b")]
    others = [m for m in markers if not m.startswith("\\b")]
    return re.compile("|".join([r"\b(?:" + "|".join(f"(?:{m})" for m in words) + ")", *others]))


@cache
def _laughter() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table: dict[str, list[str]] = data("crisis_patterns.laughter")
    return _any_of(table["markers"]), _any_of(table["serious"])


@cache
def _others() -> re.Pattern[str]:
    table: dict[str, list[str]] = data("crisis_patterns.others")
    return _any_of([m for markers in table.values() for m in markers])


def has_laughter(text: str | None) -> bool:
    """True when ``text`` carries a laughter or hyperbole marker and does not say it is no
    joke."""
    if not text:
        return False
    scanned = normalise(text)
    markers, serious = _laughter()
    return markers.search(scanned) is not None and serious.search(scanned) is None


@cache
def _recovery() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table: dict[str, list[str]] = data("crisis_patterns.recovery")
    return _any_of(table["markers"]), _any_of(table["relapse"])


def told_as_past(text: str | None) -> bool:
    """True when ``text`` tells of self-harm or suicidal thoughts as over ("5 years clean",
    "ça fait 6 ans que c'est fini", "уже 6 лет нет") and names no relapse."""
    if not text:
        return False
    scanned = normalise(text)
    markers, relapse = _recovery()
    return markers.search(scanned) is not None and relapse.search(scanned) is None


def about_someone_else(text: str | None) -> bool:
    """True when ``text`` tells of another person's suicide or self-harm (in the third
    person) or asks how to support someone."""
    return bool(text) and _others().search(normalise(text or "")) is not None


def without_others(text: str) -> str:
    """The normalised text with every report of someone else's crisis masked: what is left
    is the user's own words ("my friend killed himself and now i want to kill myself too"
    keeps "i want to kill myself")."""
    return _others().sub(" . ", normalise(text))


def warm_up() -> None:
    _laughter()
    _recovery()
    _others()
