"""Every text the code asks for exists, gets the values its placeholders need, and is used.

A missing key or placeholder is a ``KeyError`` in front of a user, in a step a test may never
reach. ``tests/content_scan.py`` reads every key in ``bot/`` (key strings, f-string keys of the
declared families, the names keys are passed through) and checks it against the catalogues;
the small cases below show that each check does fail, naming the key and the file:line.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import bot
from bot.app import FEATURES, build_application
from bot.config import settings_from
from bot.content import _catalogue
from bot.content.keys import Family
from bot.features import base
from bot.store.db import Database
from tests.content_scan import Scanner, scan

ROOT = Path(__file__).resolve().parents[2]

#: Calls whose key the scan cannot follow, each with why that is fine.
#: The step engine looks texts up by keys its features declare as data (``Step``, ``Wheel``,
#: ``Choice`` fields) or builds from the conversation's name (``opening.texts``): each such
#: key is a literal in the feature's steps module or a member of a declared family.
_ENGINE = "keys from the feature's step declarations or its declared families (opening.texts)"
UNCHECKED = {
    "bot/engine/choices.py:_shown": _ENGINE,
    "bot/engine/choices.py:done": _ENGINE,
    "bot/engine/choices.py:pick": _ENGINE,
    "bot/engine/choices.py:view": _ENGINE,
    "bot/engine/guided.py:ask": _ENGINE,
    "bot/engine/guided.py:skip_label": _ENGINE,
    "bot/engine/inplace.py:_gone": _ENGINE,
    "bot/engine/inplace.py:already_answered": _ENGINE,
    "bot/engine/inplace.py:answered": _ENGINE,
    "bot/engine/inplace.py:draft": _ENGINE,
    "bot/engine/inplace.py:handler": _ENGINE,
    "bot/engine/inplace.py:tap_a_button": _ENGINE,
    "bot/engine/guided.py:not_text": _ENGINE,
    "bot/engine/guided.py:press": _ENGINE,
    "bot/engine/guided.py:question": _ENGINE,
    "bot/engine/guided.py:tap_a_button": _ENGINE,
    "bot/engine/opening.py:begin": _ENGINE,
    "bot/engine/opening.py:cancel_note": _ENGINE,
    "bot/engine/opening.py:resume": _ENGINE,
    "bot/engine/steps.py:keep": _ENGINE,
    "bot/engine/steps.py:pick": _ENGINE,
    "bot/engine/steps.py:rows": _ENGINE,
    "bot/engine/steps.py:typed": _ENGINE,
    "bot/engine/wheel.py:_line": _ENGINE,
    "bot/engine/wheel.py:done_button": _ENGINE,
    "bot/engine/wheel.py:families": _ENGINE,
    "bot/engine/wheel.py:words": _ENGINE,
    "bot/handlers/common.py:onboarded_user": "each caller passes its own literal refusal key",
    "bot/menus.py:text": "command descriptions: literal keys in each feature's Command, checked at "
    "start-up by base.check_content",
    "bot/services/history.py:detail": (
        "labels of the fields tables above it: history.fields.{} or safetyplan.short.{} "
        "(both declared families), shown without values"
    ),
}


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "bot").rglob("*.py"))
    }


def declared_families() -> list[tuple[str, Family]]:
    """Every Family a module of bot/ holds (alone, or in a tuple), and each feature's."""
    found: dict[int, tuple[str, Family]] = {}
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value if isinstance(value, (tuple, list)) else (value,)
            for item in values:
                if isinstance(item, Family):
                    found.setdefault(id(item), (f"{info.name}.{name}", item))
    for feature in FEATURES:
        for family in feature.texts:
            found.setdefault(id(family), (f"feature {feature.name!r}", family))
    return list(found.values())


def test_the_code_and_the_catalogue_agree() -> None:
    problems = scan(_sources(), _catalogue(), declared_families(), UNCHECKED)
    assert not problems, "\n".join(problems)


def test_the_scan_reads_the_code() -> None:
    scanner = Scanner(_sources(), _catalogue(), declared_families(), UNCHECKED)
    scanner.run()
    assert len(scanner.used) > 800  # a broken scan would find nothing, and pass everything
    assert len(scanner.families) > 20


# --- the checks fail, and say where ----------------------------------------------------------

CATALOGUE: dict[str, Any] = {
    "demo": {
        "hello": "Hello, {name}.",
        "bye": "Bye.",
        "ask_one": "One, {name}?",
        "ask_two": "Two, {name}?",
        "table": {"a": "A"},
    }
}
ASK = Family("demo.ask_{}", ("one", "two"))


def _problems(code: str, families: list[Family] | None = None) -> list[str]:
    used = 't("demo.hello", name=1), t("demo.bye"), data("demo.table")\n'
    sources = {"bot/demo.py": code, "bot/used.py": used}
    return scan(sources, CATALOGUE, [("bot.demo", f) for f in families or []])


def test_a_key_the_catalogue_lacks_is_named_with_its_place() -> None:
    problems = _problems('x = 1\nt("demo.hullo")\n')
    assert "bot/demo.py:2: no text at 'demo.hullo' in the catalogue" in problems


def test_a_missing_placeholder_is_named_with_its_place() -> None:
    problems = _problems('t("demo.hello", nom="Ann")\n')
    assert "bot/demo.py:1: 'demo.hello' needs {name}, which this call does not pass" in problems


def test_a_placeholder_is_followed_through_names_and_parameters() -> None:
    code = (
        'def refuse(update, key):\n    return t(key)\n\nrefuse(None, "demo.hello")\n'
        'ROWS = (("demo.bye", 1), ("demo.hello", 2))\nfor key, _ in ROWS:\n    t(key)\n'
    )
    problems = _problems(code)
    assert "bot/demo.py:2: 'demo.hello' needs {name}, which this call does not pass" in problems
    assert "bot/demo.py:7: 'demo.hello' needs {name}, which this call does not pass" in problems


def test_a_key_that_cannot_be_followed_is_a_problem() -> None:
    problems = _problems("def f(key):\n    return t(key.strip())\n")
    assert problems and problems[0].startswith("bot/demo.py:2: cannot tell which text")


def test_an_undeclared_dynamic_key_is_named_with_its_place() -> None:
    problems = _problems('step = "one"\nt(f"demo.ask_{step}")\n')
    assert any(p.startswith("bot/demo.py:2: the key f'demo.ask_{step}' is built") for p in problems)


def test_a_declared_family_covers_its_keys_and_their_placeholders() -> None:
    assert _problems('t(f"demo.ask_{step}", name="Ann")\n', [ASK]) == []
    problems = _problems('t(f"demo.ask_{step}")\n', [ASK])
    assert "bot/demo.py:1: 'demo.ask_two' needs {name}, which this call does not pass" in problems


def test_a_family_member_the_catalogue_lacks_is_a_problem() -> None:
    family = Family("demo.ask_{}", ("one", "two", "three"))
    problems = _problems('t(f"demo.ask_{step}", name=1)\n', [family])
    assert problems == ["bot.demo: family 'demo.ask_{}' has no text at 'demo.ask_three'"]


def test_a_family_whose_texts_take_different_placeholders_is_a_problem() -> None:
    catalogue = {"demo": {**CATALOGUE["demo"], "ask_one": "One?"}}
    problems = scan({"bot/demo.py": 't(f"demo.ask_{s}", name=1)'}, catalogue, [("bot.demo", ASK)])
    assert any("family 'demo.ask_{}': its texts take different placeholders" in p for p in problems)


def test_an_unused_text_is_a_problem() -> None:
    problems = _problems('t("demo.hello", name=1)\n')  # bot/used.py uses all but the asks
    assert "bot/content/demo.toml: 'demo.ask_one' is used nowhere in the code: delete it, or " in (
        " ".join(problems)
    )


# --- the bot refuses to start without its texts ----------------------------------------------


def test_every_feature_has_its_texts() -> None:
    base.check_content(FEATURES)


def test_a_feature_whose_text_is_missing_stops_the_start(sqlite_db: Database) -> None:
    trigger = next(f for f in FEATURES if f.name == "trigger")
    broken = replace(trigger, texts=(Family("trigger.ask_{}", ("situation", "nonsense")),))
    features = [broken if f is trigger else f for f in FEATURES]
    settings = settings_from({"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": sqlite_db.url})
    with pytest.raises(base.FeatureError, match=r"'trigger' needs the text 'trigger.ask_nonsense'"):
        build_application(settings, db=sqlite_db, run_jobs=False, features=features)
