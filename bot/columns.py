"""Column types shared by the models: aware-UTC datetimes and free text.

``FreeText`` marks columns that hold what users wrote. It stores plain text marked as such
(``txt:…``, bot/textform.py) unless an encryption key is configured (``set_text_cipher``), in
which case new values are stored encrypted and read back transparently. A value that cannot be
read (encrypted under a key that is not configured) reads back as a placeholder, so one such
value costs its owner that answer, not the bot its start or the user the whole page.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.textform import PlainTextCipher, UnreadableText

log = logging.getLogger(__name__)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TextCipher(Protocol):
    def encrypt(self, text: str) -> str: ...

    def decrypt(self, stored: str) -> str: ...


_PLAIN = PlainTextCipher()
_cipher: TextCipher = _PLAIN
#: What a value that cannot be decrypted reads as (the application sets the catalogue's text).
_unreadable = "…"


def set_text_cipher(cipher: TextCipher | None, unreadable: str | None = None) -> None:
    """Install the cipher used for FreeText columns (None: plain text, marked as such), and
    optionally the text an unreadable value reads as."""
    global _cipher, _unreadable
    _cipher = cipher if cipher is not None else _PLAIN
    if unreadable is not None:
        _unreadable = unreadable


def is_unreadable(value: str | None) -> bool:
    """True for the placeholder an unreadable value reads as (never copy it elsewhere)."""
    return value == _unreadable


class FreeText(TypeDecorator[str]):
    """Text a user wrote; encrypted at rest when a cipher is installed."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _cipher.encrypt(str(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        try:
            return _cipher.decrypt(value)
        except UnreadableText:
            log.warning("freetext_unreadable")
            return _unreadable
