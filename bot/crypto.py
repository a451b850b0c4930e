"""Encryption at rest of what users write (FreeText columns), with Fernet from `cryptography`.

With ``STEADY_ENCRYPTION_KEY`` set, new free text is stored as ``enc:v1:<Fernet token>`` and read
back transparently; text stored before the key was set has no prefix and reads back as it is.
Old keys listed in ``STEADY_ENCRYPTION_OLD_KEYS`` still decrypt (MultiFernet): that is how a key
is rotated, and ``python -m bot.rekey`` rewrites everything under the current key.

A key that cannot decrypt what is stored (or encrypted text without a key) is refused at start-up
with a message that says what to do, never turned into garbage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.config import ConfigError, Settings

PREFIX = "enc:v1:"
# Fernet tokens are url-safe base64 of at least 73 bytes (version, time, IV, a block, HMAC).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{96,}={0,2}")
GENERATE = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class EncryptionKeyError(ConfigError):
    """The encryption settings do not fit the key format or the stored data."""


class UnreadableText(RuntimeError):
    """Stored text that the configured keys cannot decrypt (the message holds no content)."""


def is_encrypted(stored: str) -> bool:
    """True for values this module wrote (prefix and a Fernet-shaped token)."""
    return stored.startswith(PREFIX) and _TOKEN.fullmatch(stored, len(PREFIX)) is not None


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
            return stored  # written before encryption was turned on
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


class PlainTextCipher:
    """No key: text is stored as written; encrypted values are refused, not shown as garbage."""

    def encrypt(self, text: str) -> str:
        return text

    def decrypt(self, stored: str) -> str:
        if is_encrypted(stored):
            raise UnreadableText("stored text is encrypted but STEADY_ENCRYPTION_KEY is not set")
        return stored

    def is_current(self, stored: str) -> bool:
        return not is_encrypted(stored)


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


def check_cipher(cipher: AnyCipher, stored_samples: Iterable[str]) -> None:
    """Refuse to start when the cipher cannot read encrypted text already stored."""
    for sample in stored_samples:
        try:
            cipher.decrypt(sample)
        except UnreadableText:
            if isinstance(cipher, PlainTextCipher):
                raise EncryptionKeyError(
                    "The database holds encrypted text but STEADY_ENCRYPTION_KEY is not set. "
                    "Set the key it was written with (see README, Encryption at rest)."
                ) from None
            raise EncryptionKeyError(
                "STEADY_ENCRYPTION_KEY cannot decrypt text already in the database: it is not "
                "the key that text was written with. Set that key again, or, when rotating, "
                "put the previous key in STEADY_ENCRYPTION_OLD_KEYS."
            ) from None
