"""Encryption at rest of what users write (FreeText columns), with Fernet from `cryptography`.

With ``STEADY_ENCRYPTION_KEY`` set, new free text is stored as ``enc:v1:<Fernet token>`` and read
back transparently; text stored before the key was set (``txt:<text>``, bot/textform.py) reads
back as it is. Old keys listed in ``STEADY_ENCRYPTION_OLD_KEYS`` still decrypt (MultiFernet):
that is how a key is rotated, and ``python -m bot.rekey`` rewrites everything under the current
key.

A value the keys cannot decrypt is never turned into garbage: reading it raises UnreadableText
(the FreeText type shows a placeholder instead), and the start-up check
(``unreadable_samples``) names the table, column and row of those it finds.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.config import ConfigError, Settings
from bot.textform import (
    PLAIN,
    PREFIX,
    PlainTextCipher,
    UnreadableText,
    is_encrypted,
    plain_text,
)

__all__ = [
    "PLAIN",
    "PREFIX",
    "AnyCipher",
    "EncryptionKeyError",
    "FernetTextCipher",
    "PlainTextCipher",
    "UnreadableText",
    "cipher_for",
    "is_encrypted",
]

GENERATE = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class EncryptionKeyError(ConfigError):
    """The encryption settings do not fit the key format or the stored data."""


def _fernet(key: str, variable: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeError):
        raise EncryptionKeyError(
            f"{variable} is not a valid Fernet key (32 url-safe base64-encoded bytes). "
            f"Generate one with: {GENERATE}"
        ) from None


class FernetTextCipher:
    """Encrypts with the first key; decrypts with any of them."""

    def __init__(self, key: str, old_keys: Sequence[str] = ()) -> None:
        self._primary = _fernet(key, "STEADY_ENCRYPTION_KEY")
        olds = [_fernet(k, "STEADY_ENCRYPTION_OLD_KEYS") for k in old_keys]
        self._all = MultiFernet([self._primary, *olds])

    def encrypt(self, text: str) -> str:
        return PREFIX + self._all.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        if not is_encrypted(stored):
            return plain_text(stored)  # written before encryption was turned on
        try:
            return self._all.decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise UnreadableText(
                "stored text cannot be decrypted with STEADY_ENCRYPTION_KEY "
                "(or STEADY_ENCRYPTION_OLD_KEYS)"
            ) from None

    def is_current(self, stored: str) -> bool:
        """True when ``stored`` is already encrypted under the primary key."""
        if not is_encrypted(stored):
            return False
        try:
            self._primary.decrypt(stored[len(PREFIX) :].encode("ascii"))
        except InvalidToken:
            return False
        return True


AnyCipher = FernetTextCipher | PlainTextCipher


def cipher_for(settings: Settings) -> AnyCipher:
    """The cipher the settings ask for (raises EncryptionKeyError for a malformed key)."""
    if settings.encryption_key:
        return FernetTextCipher(settings.encryption_key, settings.encryption_old_keys)
    if settings.encryption_old_keys:
        raise EncryptionKeyError(
            "STEADY_ENCRYPTION_OLD_KEYS is set but STEADY_ENCRYPTION_KEY is not: set the "
            "current key too (old keys only decrypt)."
        )
    return PlainTextCipher()
