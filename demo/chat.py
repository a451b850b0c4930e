"""What the person sees: the bot's messages as they would read in Telegram, in a terminal.

Inline buttons are numbered (type ``2`` to press the second); an edit is shown as a change to
the message it edits, not as a new message; documents and pictures are saved to a folder and
their path printed; a request real Telegram would refuse is printed as a warning.
"""

from __future__ import annotations

from pathlib import Path

from tests.fakebot.state import BotEvent, RecordedRequest

BOT = "Steady"
INDENT = "  "


def numbered(buttons: list[list[str]]) -> list[str]:
    """One line per row of buttons, numbered across rows from 1."""
    lines, n = [], 0
    for row in buttons:
        cells = []
        for label in row:
            n += 1
            cells.append(f"[{n}] {label}")
        lines.append(INDENT + "   ".join(cells))
    return lines


def _indented(text: str) -> list[str]:
    return [INDENT + line if line else "" for line in text.splitlines()] or [INDENT]


class Transcript:
    """Turns the bot's events into lines, remembering what each message last said."""

    def __init__(self, files: Path) -> None:
        self.files = files
        self._shown: dict[int, tuple[str, list[list[str]]]] = {}

    def lines(self, event: BotEvent) -> list[str]:
        text, buttons = event.text or "", event.buttons
        if event.kind == "edit":
            return self._edit(event.message_id, text, buttons)
        self._shown[event.message_id] = (text, buttons)
        out: list[str] = []
        if event.document is not None:
            out.append(f"{BOT} sent a file: {self._save(event)}")
        else:
            out.append(f"{BOT}:")
        if text:
            out += _indented(text)
        return out + numbered(buttons)

    def _edit(self, message_id: int, text: str, buttons: list[list[str]]) -> list[str]:
        before_text, before_buttons = self._shown.get(message_id, ("", []))
        self._shown[message_id] = (text, buttons)
        out: list[str] = []
        if text != before_text:
            added_lines = text.startswith(before_text) and text[len(before_text) :][:1] == "\n"
            if before_text and added_lines:  # "→ Skip" and the next question below
                out += [f"{BOT} (the message above now adds):"] + _indented(
                    text[len(before_text) :].strip("\n")
                )
            else:
                out += [f"{BOT} (edited a message, it now reads):"] + _indented(text)
        if buttons and (out or buttons != before_buttons):  # a new question shows its buttons
            out += ([] if out else [f"{BOT} (new buttons on a message):"]) + numbered(buttons)
        return out

    def _save(self, event: BotEvent) -> Path:
        self.files.mkdir(parents=True, exist_ok=True)
        default = "picture.png" if event.kind == "photo" else "document.bin"
        name = Path(event.filename or default).name
        path = self.files / f"{event.message_id:04d}-{name}"
        path.write_bytes(event.document or b"")
        return path


def refused(request: RecordedRequest) -> str | None:
    """A warning for a request real Telegram would refuse (the emulator checks them all)."""
    if request.ok or request.response is None or request.method.lower() == "getupdates":
        return None
    return f"!! Telegram would refuse {request.method}: {request.description}"
