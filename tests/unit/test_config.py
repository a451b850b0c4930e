"""Settings refuse, at start-up and with a message saying how to fix it, what would fail later."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, settings_from

SECRET = "A" * 16 + "b_-9" * 4  # 32 characters of Telegram's alphabet


def webhook(url: str, secret: str | None = SECRET) -> dict[str, str]:
    env = {"TELEGRAM_BOT_TOKEN": "1:x", "WEBHOOK_URL": url}
    if secret is not None:
        env["WEBHOOK_SECRET"] = secret
    return env


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.org/telegram", "/telegram"),
        ("https://bot.example.org/hook", "/hook"),
        ("https://bot.example.org:8443/a/b/", "/a/b/"),
        ("https://bot.example.org", "/"),
        ("http://127.0.0.1:9000/hook", "/hook"),  # loopback: local testing
        ("http://localhost:9000/x", "/x"),
        ("http://[::1]:9000/x", "/x"),
    ],
)
def test_a_url_telegram_calls_is_accepted_and_its_path_served(url: str, path: str) -> None:
    settings = settings_from(webhook(url))
    assert settings.webhook_url == url and settings.webhook_path == path


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://bot.example.org/telegram", "https://"),
        ("ftp://bot.example.org/telegram", "https"),
        ("bot.example.org/telegram", "https"),
        ("https:///telegram", "https"),
        ("https://bot.example.org:8080/telegram", "port 8080"),
        ("https://bot.example.org:99999/telegram", "valid URL"),
        ("https://bot.example.org/telegram#x", "fragment"),
        ("https://bot.example.org/healthz", "health"),
    ],
)
def test_a_url_telegram_would_reject_refuses_to_start(url: str, says: str) -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_URL") as err:
        settings_from(webhook(url))
    assert says in str(err.value)


@pytest.mark.parametrize(
    ("secret", "says"),
    [
        (None, "is not"),
        ("short-secret", "12 characters"),
        ("x" * 31, "31 characters"),
        ("x" * 257, "257 characters"),
        ("x" * 31 + "!", "characters Telegram does not allow"),
        ("x" * 31 + "é", "characters Telegram does not allow"),
    ],
)
def test_a_missing_short_or_malformed_secret_refuses_to_start(
    secret: str | None, says: str
) -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET") as err:
        settings_from(webhook("https://bot.example.org/telegram", secret))
    message = str(err.value)
    assert says in message and "32" in message and "token_urlsafe" in message


def test_secrets_of_32_and_256_characters_are_accepted() -> None:
    assert settings_from(webhook("https://b.example/t", SECRET)).webhook_secret == SECRET
    assert settings_from(webhook("https://b.example/t", "z" * 256)).webhook_secret == "z" * 256


def test_without_a_webhook_url_no_secret_is_needed() -> None:
    assert settings_from({"TELEGRAM_BOT_TOKEN": "1:x"}).webhook_url is None


def test_the_shutdown_bound_is_a_setting() -> None:
    assert settings_from({"TELEGRAM_BOT_TOKEN": "1:x"}).shutdown_timeout == 5.0
    env = {"TELEGRAM_BOT_TOKEN": "1:x", "SHUTDOWN_TIMEOUT_SECONDS": "12.5"}
    assert settings_from(env).shutdown_timeout == 12.5
    with pytest.raises(ConfigError, match="SHUTDOWN_TIMEOUT_SECONDS"):
        settings_from({"TELEGRAM_BOT_TOKEN": "1:x", "SHUTDOWN_TIMEOUT_SECONDS": "soon"})


def test_the_health_port_is_optional_and_a_number() -> None:
    assert settings_from({"TELEGRAM_BOT_TOKEN": "1:x"}).health_port is None
    assert settings_from({"TELEGRAM_BOT_TOKEN": "1:x", "HEALTH_PORT": "8080"}).health_port == 8080
    with pytest.raises(ConfigError, match="HEALTH_PORT"):
        settings_from({"TELEGRAM_BOT_TOKEN": "1:x", "HEALTH_PORT": "http"})
