"""The free-text cipher: round trips, old plain text, wrong keys, rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.config import ConfigError, settings_from
from bot.crypto import (
    PREFIX,
    EncryptionKeyError,
    FernetTextCipher,
    PlainTextCipher,
    UnreadableText,
    check_cipher,
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
    assert cipher.encrypt("hello") == "hello" and cipher.decrypt("hello") == "hello"
    with pytest.raises(UnreadableText):
        cipher.decrypt(FernetTextCipher(KEY).encrypt("hello"))


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


def test_check_refuses_a_key_that_cannot_read_stored_text() -> None:
    stored = [FernetTextCipher(OTHER).encrypt("a")]
    check_cipher(FernetTextCipher(OTHER), stored)
    check_cipher(FernetTextCipher(KEY, [OTHER]), stored)
    with pytest.raises(EncryptionKeyError, match="not the key"):
        check_cipher(FernetTextCipher(KEY), stored)
    with pytest.raises(EncryptionKeyError, match="not set"):
        check_cipher(PlainTextCipher(), stored)
    check_cipher(PlainTextCipher(), [])
