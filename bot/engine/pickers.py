"""Keyboards for choices: the feelings wheel (families, then finer words, several allowed),
intensity 0–10, and toggled multiple choices. Callback data is ``<prefix>:<action>[:<arg>]``
with a prefix of the caller's own, so any flow can reuse them."""

from __future__ import annotations

from collections.abc import Sequence

from bot.content import t
from bot.handlers.common import Button, chunk
from bot.services import vocab
from bot.services.textsplit import clip

LABEL_CLIP = 40  # characters of a user's own label shown on a button


def mark(label: str, chosen: bool) -> str:
    return t("flow.selected_mark", label=label) if chosen else label


def done_button(prefix: str, action: str, count: int, empty_label: str) -> Button:
    """ "Done (n chosen)", or ``empty_label`` (e.g. Skip) while nothing is chosen."""
    label = t("flow.done_count", count=count) if count else empty_label
    return (label, f"{prefix}:{action}")


def family_rows(prefix: str, selected: Sequence[str]) -> list[list[Button]]:
    """The emotion families, each marked when one of its words (or itself) is chosen."""
    chosen = set(selected)
    buttons: list[Button] = []
    for family in vocab.emotion_families():
        picked = family.id in chosen or any(w.id in chosen for w in family.words)
        buttons.append((mark(family.label, picked), f"{prefix}:fam:{family.id}"))
    rows = chunk(buttons, 2)
    rows.append([done_button(prefix, "emodone", len(chosen), t("flow.skip"))])
    return rows


def word_rows(prefix: str, family_id: str, selected: Sequence[str]) -> list[list[Button]]:
    """The finer words of a family (and the family itself), toggled with ✓."""
    chosen = set(selected)
    family = vocab.emotion_family(family_id)
    buttons = [(mark(w.label, w.id in chosen), f"{prefix}:emo:{w.id}") for w in family.words]
    just = t("flow.just_family", family=family.label)
    buttons.append((mark(just, family.id in chosen), f"{prefix}:emo:{family.id}"))
    rows = chunk(buttons, 2)
    rows.append(
        [
            (t("flow.back_families"), f"{prefix}:fams"),
            done_button(prefix, "emodone", len(chosen), t("flow.skip")),
        ]
    )
    return rows


def emotion_family_of(emotion_id: str) -> str:
    """The family an emotion id belongs to (a family is its own family); KeyError if unknown."""
    try:
        return vocab.emotion_word(emotion_id).family
    except KeyError:
        return vocab.emotion_family(emotion_id).id


def intensity_rows(prefix: str, action: str, skip_data: str) -> list[list[Button]]:
    numbers = [(str(n), f"{prefix}:{action}:{n}") for n in range(11)]
    return [numbers[:6], numbers[6:], [(t("flow.skip"), skip_data)]]


def toggle_rows(
    prefix: str,
    action: str,
    options: Sequence[tuple[str, str]],
    selected: Sequence[str],
    per_row: int = 2,
) -> list[list[Button]]:
    """(id, label) options as toggles marked with ✓ when chosen."""
    chosen = set(selected)
    buttons = [(mark(label, oid in chosen), f"{prefix}:{action}:{oid}") for oid, label in options]
    return chunk(buttons, per_row)


def choice_rows(
    prefix: str, action: str, options: Sequence[tuple[str, str]], per_row: int = 2
) -> list[list[Button]]:
    """(key, label) options as plain buttons; long labels are shortened on the button."""
    buttons = [(clip(label, LABEL_CLIP), f"{prefix}:{action}:{key}") for key, label in options]
    return chunk(buttons, per_row)
