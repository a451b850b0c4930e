"""Every language's catalogue is complete and consistent with the English source.

For each ``bot/locales/<lang>/LC_MESSAGES/steady.po``: every English text has a translation
(none missing, none fuzzy), each with exactly the English ``{placeholders}``; a text with a
count has every plural form the language needs (CLDR, through Babel's Plural-Forms); and no
translation is the English text left as it was, except texts without letters and a few words
a language shares with English.
"""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.content.i18n import _LOCALE_IDS, LANGUAGES, LOCALES

ROOT = Path(__file__).resolve().parents[2]
#: (language, key): translations that may equal the English (shared words, names, symbols).
SAME_AS_ENGLISH = {
    ("es", "common.no"),
    ("es", "history.values.kept_no"),
    ("es", "history.values.repair_none"),
    ("de", "vocab.people.ex.label"),
    ("es", "vocab.people.ex.label"),
    ("fr", "vocab.people.ex.label"),
    ("pt", "vocab.people.ex.label"),
    ("pt", "data.tables.checkins"),  # "Check-ins"
    ("de", "report.pdf.checkins"),  # "Check-ins"
    ("pt", "report.pdf.checkins"),
    ("fr", "coach.blank_situation"),  # "<situation>"
}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEMPLATE = _script().template()
ENGLISH = {str(m.context): m for m in TEMPLATE if m.id}


def _catalogue(lang: str) -> Catalog:
    with (LOCALES / lang / "LC_MESSAGES" / "steady.po").open("rb") as fh:
        return read_po(fh, locale=_LOCALE_IDS[lang])


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _english_text(key: str) -> str:
    message = ENGLISH[key]
    return str(message.id[0] if isinstance(message.id, tuple) else message.id)


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_every_text_is_translated(lang: str) -> None:
    found = {str(m.context): m for m in _catalogue(lang) if m.id}
    missing = sorted(k for k in ENGLISH if k not in found or not found[k].string)
    fuzzy = sorted(k for k, m in found.items() if m.fuzzy)
    assert not missing, f"{lang}: {len(missing)} texts not translated: {missing[:20]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy (English changed, check them): {fuzzy[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_placeholders_and_plural_forms(lang: str) -> None:
    catalog = _catalogue(lang)
    problems = []
    for message in catalog:
        key = str(message.context)
        if not message.id or key not in ENGLISH:
            continue
        wanted = _fields(_english_text(key))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple) and len(forms) != catalog.num_plurals:
            problems.append(f"{key}: {len(forms)} plural forms, {lang} needs {catalog.num_plurals}")
        for form in forms:
            if form and _fields(form) != wanted:
                problems.append(f"{key}: placeholders {sorted(_fields(form))} ≠ {sorted(wanted)}")
            if isinstance(message.id, tuple) and not form:
                problems.append(f"{key}: an empty plural form")
    assert not problems, f"{lang}: " + "; ".join(problems[:20])


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_no_english_is_left_in_another_language(lang: str) -> None:
    left = []
    for message in _catalogue(lang):
        key = str(message.context)
        if not message.id or key not in ENGLISH or (lang, key) in SAME_AS_ENGLISH:
            continue
        english = _english_text(key)
        translated = message.string[0] if isinstance(message.string, tuple) else message.string
        has_words = sum(c.isalpha() for c in re.sub(r"\{[^}]*\}", "", english)) > 3
        if has_words and translated == english and not _only_names(english):
            left.append(key)
    assert not left, f"{lang}: English left in {len(left)} texts: {left[:20]}"


def _only_names(text: str) -> bool:
    """Helplines and the like: names and numbers, the same in every language."""
    return any(ch.isdigit() for ch in text) and not any(
        word in text.casefold() for word in (" the ", " you ", " and ", " your ")
    )
