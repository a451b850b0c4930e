"""The free-text cipher: round trips, old plain text, wrong keys, rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.config import ConfigError, settings_from
from bot.crypto import (
    PLAIN,
    PREFIX,
    EncryptionKeyError,
    FernetTextCipher,
    PlainTextCipher,
    UnreadableText,
    cipher_for,
    is_encrypted,
)

KEY = Fernet.generate_key().decode()
OTHER = Fernet.generate_key().decode()


def test_round_trip_with_prefix() -> None:
    cipher = FernetTextCipher(KEY)
    text = "Ich hatte Angst, dass er geht 😔\nund dann …" * 50
    stored = cipher.encrypt(text)
    assert stored.startswith(PREFIX) and is_encrypted(stored)
    assert "Angst" not in stored
    assert cipher.decrypt(stored) == text
    assert cipher.encrypt(text) != stored  # a fresh IV every time


def test_plain_text_written_before_the_key_reads_back_as_it_is() -> None:
    cipher = FernetTextCipher(KEY)
    for old in ("plain words", "", "enc:v1:", "enc:v1: not a token at all"):
        assert cipher.decrypt(old) == old


def test_a_wrong_key_is_an_error_not_garbage() -> None:
    stored = FernetTextCipher(OTHER).encrypt("secret")
    with pytest.raises(UnreadableText) as err:
        FernetTextCipher(KEY).decrypt(stored)
    assert "secret" not in str(err.value)


def test_old_keys_decrypt_and_new_text_uses_the_current_key() -> None:
    old = FernetTextCipher(OTHER).encrypt("from before")
    rotated = FernetTextCipher(KEY, [OTHER])
    assert rotated.decrypt(old) == "from before"
    assert not rotated.is_current(old)
    assert rotated.is_current(rotated.encrypt("new"))
    assert FernetTextCipher(KEY).decrypt(rotated.encrypt("new")) == "new"


def test_without_a_key_encrypted_text_is_refused() -> None:
    cipher = PlainTextCipher()
    assert cipher.encrypt("hello") == "txt:hello" and cipher.decrypt("txt:hello") == "hello"
    assert cipher.decrypt("hello") == "hello"  # stored before the markers
    with pytest.raises(UnreadableText):
        cipher.decrypt(FernetTextCipher(KEY).encrypt("hello"))


#: What a user can type into any free-text answer (issue 21): the prefix and a token-looking
#: string, and a token really written by Fernet under a key the bot never had.
LOOKALIKES = [
    PREFIX + "A" * 96,
    PREFIX + "gAAAAA" + "B" * 130,
    FernetTextCipher(OTHER).encrypt("typed by a user"),
]


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_typed_ciphertext_lookalikes_are_stored_as_plain_text(typed: str) -> None:
    plain = PlainTextCipher()
    stored = plain.encrypt(typed)
    assert stored == PLAIN + typed and not is_encrypted(stored)
    assert plain.decrypt(stored) == typed
    assert FernetTextCipher(KEY).decrypt(FernetTextCipher(KEY).encrypt(typed)) == typed
    assert FernetTextCipher(KEY).decrypt(PLAIN + typed) == typed


def test_only_fernet_shaped_values_count_as_ciphertext() -> None:
    assert is_encrypted(FernetTextCipher(KEY).encrypt("x"))
    assert not is_encrypted(PREFIX + "A" * 96)  # version byte 0, not 0x80
    assert not is_encrypted(PREFIX + "gAAAAA" + "B" * 130)  # not whole AES blocks
    assert not is_encrypted(PLAIN + FernetTextCipher(KEY).encrypt("x"))


def _settings(**env: str):  # type: ignore[no-untyped-def]
    return settings_from({"TELEGRAM_BOT_TOKEN": "1:x", **env})


def test_settings_choose_the_cipher() -> None:
    assert isinstance(cipher_for(_settings()), PlainTextCipher)
    cipher = cipher_for(
        _settings(STEADY_ENCRYPTION_KEY=KEY, STEADY_ENCRYPTION_OLD_KEYS=f" {OTHER}, ")
    )
    assert isinstance(cipher, FernetTextCipher)
    assert cipher.decrypt(FernetTextCipher(OTHER).encrypt("x")) == "x"


@pytest.mark.parametrize(
    "env",
    [
        {"STEADY_ENCRYPTION_KEY": "not-a-key"},
        {"STEADY_ENCRYPTION_KEY": KEY, "STEADY_ENCRYPTION_OLD_KEYS": "short"},
        {"STEADY_ENCRYPTION_OLD_KEYS": KEY},
    ],
)
def test_malformed_key_settings_say_how_to_fix_them(env: dict[str, str]) -> None:
    with pytest.raises(EncryptionKeyError) as err:
        cipher_for(_settings(**env))
    assert isinstance(err.value, ConfigError)
    assert "STEADY_ENCRYPTION" in str(err.value)
