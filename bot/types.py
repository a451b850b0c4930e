"""Column types shared by the models: aware-UTC datetimes and free text.

``FreeText`` marks columns that hold what users wrote. It stores plain text unless an
encryption key is configured (``set_text_cipher``), in which case new values are stored
encrypted and read back transparently.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


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


_cipher: TextCipher | None = None


def set_text_cipher(cipher: TextCipher | None) -> None:
    """Install (or remove, with None) the cipher used for FreeText columns."""
    global _cipher
    _cipher = cipher


class FreeText(TypeDecorator[str]):
    """Text a user wrote; encrypted at rest when a cipher is installed."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        text = str(value)
        return _cipher.encrypt(text) if _cipher is not None else text

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _cipher.decrypt(value) if _cipher is not None else value
