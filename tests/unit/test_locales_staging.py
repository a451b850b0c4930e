"""Staged translations (issue 15): each ``bot/content/locales/<lang>/<file>.toml`` mirrors the
English ``bot/content/<file>.toml``.

Nothing in the bot reads these files yet; this keeps them from drifting while they are staged.
For every mirror present:

- the same keys as the English file (arrays of tables compared position by position), except in
  the subtrees that are written for each language rather than translated (``LANGUAGE_DATA``);
- every text has the same ``{placeholders}`` as the English one; a text the language inflects by
  a count may be a plural table instead, with exactly that language's CLDR categories, each with
  the English placeholders;
- ids, flags and numbers are unchanged, lists keep their length (word lists in ``coach.toml``
  are the language's own), and ``script.aliases`` still lead to existing templates;
- no text is left identical to the English, except strings without letters (emoji, numbers,
  placeholders only), a few words the language shares with English (``ALLOW_SAME``), and the
  crisis helplines already written in that language.
"""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Any

import pytest
from babel import Locale

CONTENT = Path(__file__).resolve().parents[2] / "bot" / "content"
LOCALES = CONTENT / "locales"

# Subtrees of a file whose contents belong to each language: the mirror writes its own (or leaves
# them out), so their keys and values are not compared with the English ones.
LANGUAGE_DATA: dict[str, set[str]] = {
    # Crisis phrases and slots per language already live in the English file.
    "crisis": {"slots", "phrases", "negatives"},
    # English irregular participles for "you never came" -> "you haven't come".
    "coach": {"past_participles"},
    # What people type after /script, in their language (values are template ids).
    "script": {"aliases"},
}
# Files whose lists are the language's own word lists (any length).
OWN_LISTS = {"coach"}

# Values that may equal the English in some language: words shared with English.
ALLOW_SAME: dict[str, set[str]] = {
    "common": {"no"},  # "No" (es)
    "checkin": {"repair_none", "kept_no"},
    "history": {"no"},
    "vocab": {"people[7].label"},  # "Ex"
    "coach": {"blank_situation"},  # "<situation>" (fr)
}

_MIRRORS = sorted(LOCALES.glob("*/*.toml")) if LOCALES.is_dir() else []


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves by dotted key; arrays of tables are indexed (``blame[0].note``)."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(node, list) and node and all(isinstance(item, dict) for item in node):
        out = {}
        for index, item in enumerate(node):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: node}


def _is_language_data(stem: str, key: str) -> bool:
    return any(
        key == top or key.startswith((f"{top}.", f"{top}[")) for top in LANGUAGE_DATA.get(stem, ())
    )


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _has_letters(text: str) -> bool:
    bare = "".join(literal for literal, _, _, _ in string.Formatter().parse(text))
    return any(ch.isalpha() for ch in bare)


def _categories(lang: str) -> set[str]:
    return set(Locale.parse(lang).plural_form.tags) | {"other"}


def _collapse_plurals(english: dict[str, Any], mirror: dict[str, Any]) -> dict[str, Any]:
    """Turn a plural table (``key.one``, ``key.other`` …) back into one leaf ``key``."""
    out: dict[str, Any] = {}
    for key, value in mirror.items():
        parent, _, category = key.rpartition(".")
        if parent and key not in english and isinstance(english.get(parent), str):
            out.setdefault(parent, {})[category] = value
        else:
            out[key] = value
    return out


def _same_allowed(stem: str, key: str, lang: str, english_file: dict[str, Any]) -> bool:
    if key in ALLOW_SAME.get(stem, set()):
        return True
    if stem == "crisis" and key.startswith("lines[") and key.endswith("].text"):
        index = int(key[len("lines[") : key.index("]")])
        return lang in english_file["lines"][index]["languages"]
    return False


@pytest.mark.parametrize("mirror_path", _MIRRORS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_mirror_matches_english(mirror_path: Path) -> None:
    lang, stem = mirror_path.parent.name, mirror_path.stem
    english_path = CONTENT / f"{stem}.toml"
    assert english_path.exists(), f"{mirror_path} has no English original"
    english_file = _load(english_path)
    english = {k: v for k, v in _flatten(english_file).items() if not _is_language_data(stem, k)}
    raw = _collapse_plurals(english, _flatten(_load(mirror_path)))
    mirror = {k: v for k, v in raw.items() if not _is_language_data(stem, k)}
    categories = _categories(lang)
    problems: list[str] = []

    for key in sorted(english.keys() - mirror.keys()):
        problems.append(f"missing {key}")
    for key in sorted(mirror.keys() - english.keys()):
        problems.append(f"not in English: {key}")

    for key in sorted(english.keys() & mirror.keys()):
        en, tr = english[key], mirror[key]
        if isinstance(en, str):
            if isinstance(tr, dict):
                if not _fields(en):
                    problems.append(f"{key}: plural table for a text without a count")
                if set(tr) != categories:
                    problems.append(
                        f"{key}: plural categories {sorted(tr)} != {sorted(categories)}"
                    )
                forms = list(tr.values())
            else:
                forms = [tr]
            for form in forms:
                if not isinstance(form, str):
                    problems.append(f"{key}: expected a text, got {type(form).__name__}")
                elif _fields(form) != _fields(en):
                    problems.append(
                        f"{key}: placeholders {sorted(_fields(form))} != {sorted(_fields(en))}"
                    )
            if key.rsplit(".", 1)[-1] == "id":
                if tr != en:
                    problems.append(f"{key}: id changed ({en!r} -> {tr!r})")
            elif (
                any(form == en for form in forms)
                and _has_letters(en)
                and not _same_allowed(stem, key, lang, english_file)
            ):
                problems.append(f"{key}: still English ({en!r})")
        elif isinstance(en, list):
            if not isinstance(tr, list) or not all(isinstance(item, str) for item in tr):
                problems.append(f"{key}: expected a list of texts")
            elif stem not in OWN_LISTS and len(tr) != len(en):
                problems.append(f"{key}: {len(tr)} items, English has {len(en)}")
            elif stem == "crisis" and tr != en:
                problems.append(f"{key}: helpline countries/languages must stay as in English")
            elif (
                stem not in OWN_LISTS
                and stem != "crisis"
                and tr == en
                and any(map(_has_letters, en))
            ):
                problems.append(f"{key}: still English")
            elif stem in OWN_LISTS and not tr:
                problems.append(f"{key}: empty word list")
        elif tr != en:
            problems.append(f"{key}: {en!r} must stay as it is, got {tr!r}")

    if stem == "script":
        own = _load(mirror_path).get("aliases", {})
        targets = set(english_file["aliases"].values())
        problems += [
            f"aliases.{k}: unknown template {v!r}" for k, v in own.items() if v not in targets
        ]

    assert not problems, f"{lang}/{stem}.toml:\n  " + "\n  ".join(problems)


def test_mirrors_only_for_translated_files() -> None:
    for path in _MIRRORS:
        assert path.stem != "crisis_patterns", (
            f"{path}: crisis patterns are per language in one file"
        )
