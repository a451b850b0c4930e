"""`python -m bot.rekey`: rewrite all stored free text under the current encryption key.

Run it after rotating (new key in STEADY_ENCRYPTION_KEY, the previous one in
STEADY_ENCRYPTION_OLD_KEYS); afterwards the old key can be dropped. It also encrypts text
written before encryption was turned on. ``--decrypt`` stores everything as plain text again
(then unset STEADY_ENCRYPTION_KEY). Stop the bot while it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.config import ConfigError, load_settings
from bot.crypto import (
    PREFIX,
    FernetTextCipher,
    PlainTextCipher,
    check_cipher,
    cipher_for,
    is_encrypted,
)
from bot.store import freetext
from bot.store.db import Database, upgrade_to_head


def transform_for(cipher: FernetTextCipher, decrypt: bool) -> Callable[[str], str | None]:
    if decrypt:
        return lambda stored: cipher.decrypt(stored) if is_encrypted(stored) else None
    return lambda stored: (
        None if cipher.is_current(stored) else cipher.encrypt(cipher.decrypt(stored))
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    decrypt = "--decrypt" in args
    try:
        settings = load_settings()
        cipher = cipher_for(settings)
        if isinstance(cipher, PlainTextCipher):
            raise ConfigError("STEADY_ENCRYPTION_KEY is not set: there is no key to rewrite to.")
        upgrade_to_head(settings.database_url)
        db = Database(settings.database_url)
        check_cipher(cipher, freetext.stored_samples(db, PREFIX))
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    changed = freetext.rewrite(db, transform_for(cipher, decrypt))
    db.dispose()
    print(f"rewrote {changed} values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
