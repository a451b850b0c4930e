"""`python -m bot.rekey`: rewrite all stored free text under the current encryption key.

Run it after rotating (new key in STEADY_ENCRYPTION_KEY, the previous one in
STEADY_ENCRYPTION_OLD_KEYS); afterwards the old key can be dropped. It also encrypts text
written before encryption was turned on. ``--decrypt`` stores everything as plain text again
(then unset STEADY_ENCRYPTION_KEY). Stop the bot while it runs.

A value none of the keys can decrypt is left as it is and named (table, column, row) at the
end; the exit status is then 1, so a forgotten old key is noticed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.config import ConfigError, load_settings
from bot.crypto import FernetTextCipher, PlainTextCipher, cipher_for
from bot.store import freetext
from bot.store.db import Database, upgrade_to_head

SHOWN = 20  # unreadable places listed by name; the rest are counted


def transform_for(cipher: FernetTextCipher, decrypt: bool) -> Callable[[str], str | None]:
    """None for a value already in the wanted form; raises UnreadableText for one the keys
    cannot decrypt."""
    target: FernetTextCipher | PlainTextCipher = PlainTextCipher() if decrypt else cipher
    return lambda stored: (
        None if target.is_current(stored) else target.encrypt(cipher.decrypt(stored))
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    decrypt = "--decrypt" in args
    try:
        settings = load_settings()
        cipher = cipher_for(settings)
        if isinstance(cipher, PlainTextCipher):
            raise ConfigError("STEADY_ENCRYPTION_KEY is not set: there is no key to rewrite to.")
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    upgrade_to_head(settings.database_url)
    db = Database(settings.database_url)
    changed, unreadable = freetext.rewrite(db, transform_for(cipher, decrypt))
    db.dispose()
    print(f"rewrote {changed} values")
    if not unreadable:
        return 0
    print(
        f"{len(unreadable)} values could not be decrypted with STEADY_ENCRYPTION_KEY or "
        "STEADY_ENCRYPTION_OLD_KEYS and were left as they are (add the key they were written "
        "with to STEADY_ENCRYPTION_OLD_KEYS and run again):",
        file=sys.stderr,
    )
    for place in unreadable[:SHOWN]:
        print(f"  {place}", file=sys.stderr)
    if len(unreadable) > SHOWN:
        print(f"  … and {len(unreadable) - SHOWN} more", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
