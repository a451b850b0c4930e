"""How free text is stored, so that nothing a user types can pass for ciphertext.

Every FreeText value this version writes carries a marker:

- ``txt:<text>``: plain text (no encryption key set);
- ``enc:v1:<Fernet token>``: encrypted (bot/crypto.py).

A value with neither marker was written before the markers existed (migration 0005 marks those
it finds) and reads back as it is; it counts as ciphertext only when it has the exact shape of
a Fernet token (``is_encrypted``). So text a user types, ``enc:v1:`` and all, is stored as
``txt:enc:v1:…`` and reads back as typed.
"""

from __future__ import annotations

import base64
import binascii
import re

PREFIX = "enc:v1:"
PLAIN = "txt:"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{96,}={0,2}")
_FERNET_VERSION = 0x80
# version (1) + timestamp (8) + IV (16) + HMAC (32), and the AES blocks between IV and HMAC
_FERNET_OVERHEAD = 57


class UnreadableText(RuntimeError):
    """Stored text that the configured keys cannot decrypt (the message holds no content)."""


def is_encrypted(stored: str) -> bool:
    """True for values shaped exactly like what bot/crypto.py writes: the prefix, then a
    url-safe base64 Fernet token (version byte 0x80, whole AES blocks)."""
    if not stored.startswith(PREFIX) or _TOKEN.fullmatch(stored, len(PREFIX)) is None:
        return False
    token = stored[len(PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return False
    blocks = len(raw) - _FERNET_OVERHEAD
    return raw[0] == _FERNET_VERSION and blocks > 0 and blocks % 16 == 0


def is_plain(stored: str) -> bool:
    """True for plain text written with the marker."""
    return stored.startswith(PLAIN)


def plain_text(stored: str) -> str:
    """The text of a value that is not encrypted (marked, or from before the markers)."""
    return stored[len(PLAIN) :] if stored.startswith(PLAIN) else stored


class PlainTextCipher:
    """No key: text is stored marked as plain; encrypted values are refused, not shown as
    garbage."""

    def encrypt(self, text: str) -> str:
        return PLAIN + text

    def decrypt(self, stored: str) -> str:
        if not is_plain(stored) and is_encrypted(stored):
            raise UnreadableText("stored text is encrypted but STEADY_ENCRYPTION_KEY is not set")
        return plain_text(stored)

    def is_current(self, stored: str) -> bool:
        """True when ``stored`` is already in the form this cipher writes."""
        return is_plain(stored)
