"""Keep the gettext catalogues in step with the English texts (Babel's catalogue tools).

    uv run python scripts/messages.py pot      # bot/locales/steady.pot from bot/content/*.toml
    uv run python scripts/messages.py update   # each <lang>/LC_MESSAGES/steady.po from the .pot
    uv run python scripts/messages.py import <lang> <dir>
        # a translation written as TOML mirrors of the English files (same keys) → steady.po
        # (messages) and wordlists.toml (the language's own word lists)

``update`` is Babel's merge: a text whose English changed keeps its old translation marked
fuzzy (not used until a translator confirms it); a removed text becomes obsolete.
"""

from __future__ import annotations

import gettext
import sys
import tomllib
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import _catalogue  # noqa: E402
from bot.content.i18n import _LOCALE_IDS, DOMAIN, LANGUAGES, LOCALES  # noqa: E402
from bot.content.messages import (  # noqa: E402
    NOT_MESSAGES,
    catalogue_messages,
    child_key,
    is_language_data,
    is_plural,
)

POT = LOCALES / f"{DOMAIN}.pot"
HEADER = "Steady's texts. English is the source (bot/content/*.toml); see README, Languages."


def _counted() -> set[str]:
    """Texts English writes one way but a translation inflects by a count ("{n} days":
    Russian has three forms): their template entry has a plural too."""
    found: set[str] = set()
    for lang in LANGUAGES[1:]:
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as fh:
                found |= {str(m.context) for m in read_po(fh) if m.id and m.pluralizable}
    return found


def template() -> Catalog:
    catalog = Catalog(domain=DOMAIN, project="Steady", header_comment=f"# {HEADER}")
    counted = _counted()
    for message in catalogue_messages(_catalogue()):
        msgid: str | tuple[str, str] = message.english
        if message.plural is not None:
            msgid = (message.english, message.plural)
        elif message.key in counted:
            msgid = (message.english, message.english)
        catalog.add(msgid, context=message.key)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, omit_header=False)


def cmd_pot() -> None:
    write(template(), POT)
    print(f"{POT}: {len(template())} messages")


def cmd_update() -> None:
    pot = template()
    for lang in LANGUAGES[1:]:
        path = po_path(lang)
        if not path.exists():
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=_LOCALE_IDS[lang], domain=DOMAIN)
        catalog.update(pot, no_fuzzy_matching=True)
        write(catalog, path)
        print(f"{path}: updated")


def _plural_index(lang: str) -> dict[str, int]:
    """CLDR category → gettext msgstr index, for this language's Plural-Forms."""
    catalog = Catalog(locale=_LOCALE_IDS[lang])
    rule = gettext.c2py(catalog.plural_expr)
    locale = Locale.parse(_LOCALE_IDS[lang])
    found: dict[str, int] = {}
    for n in (*range(0, 1000), 10**6, 2 * 10**6, 10**9):  # "many" in es/fr/pt: millions
        found.setdefault(locale.plural_form(n), rule(n))
    return found


def _pairs(english: Any, mine: Any, key: str, out: dict[str, Any], data: dict[str, Any]) -> None:
    """Walk English and the mirror together: messages into ``out``, word lists into ``data``."""
    if mine is None:
        return
    if is_language_data(english, key):
        # Crisis patterns are every language's at once (bot/services/crisis.py): not per language.
        if is_language_data(mine, key) and not key.startswith("crisis."):
            data[key] = mine
    elif isinstance(english, str) or is_plural(english):
        out[key] = (english, mine)
    elif isinstance(english, dict) and isinstance(mine, dict):
        for name, value in english.items():
            if name != "id":
                _pairs(value, mine.get(name), f"{key}.{name}", out, data)
    elif isinstance(english, list) and isinstance(mine, list):
        theirs = {child_key(mine, i): item for i, item in enumerate(mine)}
        for index, value in enumerate(english):
            part = child_key(english, index)
            _pairs(value, theirs.get(part), f"{key}.{part}", out, data)


def cmd_import(lang: str, folder: Path) -> None:
    english = _catalogue()
    pairs: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.stem in NOT_MESSAGES or path.stem not in english:
            continue
        with path.open("rb") as fh:
            _pairs(english[path.stem], tomllib.load(fh), path.stem, pairs, data)
    index = _plural_index(lang)
    catalog = Catalog(locale=_LOCALE_IDS[lang], domain=DOMAIN, project="Steady")
    for message in catalogue_messages(english):
        if message.key not in pairs:
            continue
        source, mine = pairs[message.key]
        if isinstance(mine, dict) and is_plural(mine):
            one = message.english
            other = message.plural if message.plural is not None else message.english
            forms = [mine["other"]] * catalog.num_plurals
            for category, position in index.items():
                forms[position] = mine.get(category, mine["other"])
            catalog.add((one, other), tuple(forms), context=message.key)
        elif isinstance(mine, str):
            if message.plural is not None:
                forms = [mine] * catalog.num_plurals
                catalog.add((message.english, message.plural), tuple(forms), context=message.key)
            else:
                catalog.add(message.english, mine, context=message.key)
    write(catalog, po_path(lang))
    if data:
        lines = [f"# {lang}: the language's own word lists (not translations of English's)."]
        for key, words in sorted(data.items()):
            if isinstance(words, dict):
                pairs = ", ".join(
                    f"{_toml_string(k)} = {_toml_string(v)}" for k, v in words.items()
                )
                lines.append(f'"{key}" = {{ {pairs} }}')
            else:
                lines.append(f'"{key}" = [{", ".join(_toml_string(w) for w in words)}]')
        (LOCALES / lang / "wordlists.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{po_path(lang)}: {len(catalog)} messages, {len(data)} word lists")


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def main(argv: list[str]) -> None:
    match argv:
        case ["pot"]:
            cmd_pot()
        case ["update"]:
            cmd_update()
        case ["import", lang, folder] if lang in LANGUAGES[1:]:
            cmd_import(lang, Path(folder))
        case _:
            print(__doc__)
            raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
