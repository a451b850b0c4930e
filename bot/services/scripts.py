"""Repair scripts: ready templates on demand, and a personalised repair script.

Templates and wording live in ``bot/content/scripts.toml``. The personalised script follows the
structure of the practice (acknowledge the impact, say you want to understand, propose one
concrete step, invite their input) and uses only the user's own words: a missing answer shows
the template's ``<blank>`` instead of anything invented.

Pure: no Telegram, no database, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.content import data, i18n, t
from bot.content.keys import Family
from bot.services.coach import clean_part
from bot.services.vocab import options

#: The framed sentences of the repair script that take the user's words, and their blanks.
LINES = Family("scripts.repair.{}", ("what_happened", "impact", "my_part", "step"))
BLANKS = Family("scripts.repair.blank_{}", LINES.values)

_ENDINGS = (".", "!", "?", "…")


@dataclass(frozen=True, slots=True)
class Template:
    """A script template: blanks in ``<angle brackets>`` and a filled example."""

    id: str
    title: str
    template: str
    example: str
    tip: str = ""


@dataclass(frozen=True, slots=True)
class RepairPlanText:
    """The user's answers for a repair plan, as typed; any of them may be missing."""

    person: str | None = None
    what_happened: str | None = None
    impact: str | None = None
    my_part: str | None = None
    feel_need: str | None = None
    step: str | None = None
    question: str | None = None


@cache
def _templates(lang: str) -> dict[str, Template]:
    result: dict[str, Template] = {}
    for raw in data("scripts.templates", lang):
        item = Template(
            str(raw["id"]),
            str(raw["title"]),
            str(raw["template"]).strip(),
            str(raw["example"]).strip(),
            str(raw.get("tip", "")).strip(),
        )
        if item.id in result:
            raise ValueError(f"scripts: repeated template id {item.id!r}")
        result[item.id] = item
    return result


def templates() -> tuple[Template, ...]:
    """All templates, in display order."""
    return tuple(_templates(i18n.current()).values())


def template(template_id: str) -> Template:
    """One template by id; ``KeyError`` for an unknown id."""
    try:
        return _templates(i18n.current())[template_id]
    except KeyError:
        raise KeyError(f"no script template {template_id!r}") from None


def render_template(template_id: str) -> str:
    """A template as a message: title, the template, the example, and a tip if there is one."""
    item = template(template_id)
    blocks = [item.title, item.template, f"{t('scripts.example_heading')}\n{item.example}"]
    if item.tip:
        blocks.append(f"{t('scripts.tip_heading')} {item.tip}")
    return "\n\n".join(blocks)


def _sentence(text: str, ending: str = ".") -> str:
    """``text`` as a sentence: capital first letter, closing punctuation."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith(_ENDINGS) else text + ending


def _speaks_as_i(text: str) -> bool:
    first = text.split(" ", 1)[0].replace("\u2019", "'").casefold()
    return first == "i" or first.startswith("i'")


def _heading(person: str | None) -> str:
    who = clean_part(person)
    if not who:
        return t("scripts.repair.heading")
    for role in options("people"):
        if who.casefold() in (role.id, role.label.casefold()):
            return t("scripts.repair.heading_for_role", role=i18n.inline(role.label))
    return t("scripts.repair.heading_for", person=who)


def _line(key: str, value: str | None) -> str:
    """One framed sentence with the user's words, or the blank when they said nothing."""
    words = clean_part(value) or t(f"scripts.repair.blank_{key}")
    return _sentence(t(f"scripts.repair.{key}", words=words))


def _feel_need(value: str | None) -> str:
    words = clean_part(value)
    if not words:
        return _sentence(t("scripts.repair.blank_feel_need"))
    if _speaks_as_i(words):
        return _sentence(t("scripts.repair.feel_need_own", feel_need=words))
    return _sentence(t("scripts.repair.feel_need", feel_need=words))


def _question(value: str | None) -> str:
    words = clean_part(value)
    return _sentence(words, "?") if words else t("scripts.repair.question")


def render_repair_script(plan: RepairPlanText) -> str:
    """A repair script in the user's own words: acknowledge the impact, say you want to
    understand, share your side, propose the concrete step, invite their input."""
    acknowledge = " ".join(
        [
            _line("what_happened", plan.what_happened),
            _line("impact", plan.impact),
            _line("my_part", plan.my_part),
        ]
    )
    body = [
        acknowledge,
        t("scripts.repair.understand"),
        _feel_need(plan.feel_need),
        _line("step", plan.step),
        _question(plan.question),
    ]
    return "\n\n".join([_heading(plan.person), "\n".join(body), t("scripts.repair.footer")])
