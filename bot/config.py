"""Settings read from the environment (and a `.env` file via python-dotenv).

This is the only module that reads the environment.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_DIR / "data" / "steady.db"

TOKEN_HELP = (
    "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot), "
    "then put its token in a .env file next to README.md as TELEGRAM_BOT_TOKEN=<token> "
    "(see .env.example)."
)


#: Ports Telegram calls a webhook on (Bot API, setWebhook).
WEBHOOK_PORTS = (443, 80, 88, 8443)
#: Telegram's alphabet for the webhook secret; at least 32 characters of it, so it can't be
#: guessed (Telegram itself takes up to 256).
SECRET_ALPHABET = re.compile(r"[A-Za-z0-9_-]{32,256}")
SECRET_HELP = (
    "choose a random secret of 32 to 256 characters A-Z, a-z, 0-9, _ and -, e.g. "
    'python -c "import secrets; print(secrets.token_urlsafe(32))", and set WEBHOOK_SECRET.'
)
#: The health check's path: the webhook can't live there.
HEALTH_PATH = "/healthz"
#: Seconds SIGTERM waits for work in flight before the process exits anyway.
DEFAULT_SHUTDOWN_TIMEOUT = 5.0


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


#: Settings that are secrets: shown only as set or not by ``repr(settings)``.
SECRET_FIELDS = frozenset({"token", "webhook_secret", "encryption_key", "encryption_old_keys"})
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@]*):[^@]*@")


@dataclass(frozen=True, repr=False)
class Settings:
    token: str
    database_url: str
    api_base_url: str | None = None
    log_level: str = "INFO"
    max_rate: float = 30.0
    #: Scheduled prompts as Telegram's paid broadcasts at this pace (0: off; at most 1,000).
    paid_broadcast_rate: float = 0.0
    sweep_interval: float = 5.0
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    port: int = 8443
    #: A port of its own for GET /healthz (bot/replicas/health.py); None: none.
    health_port: int | None = None
    webhook_secret: str | None = None
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT
    encryption_key: str | None = None
    encryption_old_keys: tuple[str, ...] = ()

    def __repr__(self) -> str:
        """Every setting but the secrets (a traceback or a debugger prints this)."""
        shown = []
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in SECRET_FIELDS:
                text = "<set>" if value else "<not set>"
            elif item.name == "database_url":
                text = repr(_URL_PASSWORD.sub(r"\1:***@", value))
            else:
                text = repr(value)
            shown.append(f"{item.name}={text}")
        return f"Settings({', '.join(shown)})"

    @property
    def api_base_file_url(self) -> str | None:
        """python-telegram-bot's base_file_url matching ``api_base_url`` (…/bot → …/file/bot)."""
        if not self.api_base_url:
            return None
        base = self.api_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    @property
    def webhook_path(self) -> str:
        """The path of ``webhook_url``, where the webhook server takes updates ("/" if none)."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_database_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


#: Telegram's ceiling for paid broadcasts (``allow_paid_broadcast``), messages a second.
PAID_BROADCAST_MAX = 1000.0


def _paid_broadcast_rate(env: Mapping[str, str]) -> float:
    rate = _float(env, "TELEGRAM_PAID_BROADCAST_RATE", 0.0)
    if rate > PAID_BROADCAST_MAX:
        raise ConfigError(
            f"TELEGRAM_PAID_BROADCAST_RATE can be at most {PAID_BROADCAST_MAX:.0f} (Telegram's "
            f"limit for paid broadcasts), got {rate:g}."
        )
    return rate


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}.") from exc
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}.")
    return value


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook_url(url: str) -> None:
    """Refuse a WEBHOOK_URL Telegram would not call (plain http only on this machine)."""
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or ""), parts.port
    except ValueError as exc:
        raise ConfigError(f"WEBHOOK_URL is not a valid URL: {exc}.") from exc
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(
            "WEBHOOK_URL must be the public https URL Telegram should call, "
            "e.g. https://bot.example.org/telegram."
        )
    if parts.fragment:
        raise ConfigError("WEBHOOK_URL must not have a #fragment: Telegram would drop it.")
    if (parts.path or "/").rstrip("/") == HEALTH_PATH:
        raise ConfigError(f"WEBHOOK_URL can't end in {HEALTH_PATH}: that is the health check.")
    if _loopback(host):
        return  # local testing: any scheme Telegram-like servers on this machine accept
    if parts.scheme != "https":
        raise ConfigError(
            "WEBHOOK_URL must start with https:// (Telegram calls webhooks over TLS only; "
            "plain http is accepted only for a loopback host such as 127.0.0.1)."
        )
    if port is not None and port not in WEBHOOK_PORTS:
        allowed = ", ".join(str(p) for p in WEBHOOK_PORTS)
        raise ConfigError(
            f"WEBHOOK_URL names port {port}, but Telegram calls webhooks only on ports "
            f"{allowed}: put the TLS proxy on one of them."
        )


def check_webhook_secret(secret: str | None) -> None:
    if not secret:
        raise ConfigError(f"WEBHOOK_URL is set but WEBHOOK_SECRET is not: {SECRET_HELP}")
    if not SECRET_ALPHABET.fullmatch(secret):
        problem = (
            f"is {len(secret)} characters long"
            if re.fullmatch(r"[A-Za-z0-9_-]*", secret)
            else "has characters Telegram does not allow"
        )
        raise ConfigError(f"WEBHOOK_SECRET {problem}: {SECRET_HELP}")


def settings_from(env: Mapping[str, str]) -> Settings:
    """Build settings from a mapping (the environment, or a test's dict)."""
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError(TOKEN_HELP)
    port_raw = env.get("PORT", "").strip() or "8443"
    if not port_raw.isdigit():
        raise ConfigError(f"PORT must be a whole number, got {port_raw!r}.")
    health_raw = env.get("HEALTH_PORT", "").strip()
    if health_raw and not health_raw.isdigit():
        raise ConfigError(f"HEALTH_PORT must be a whole number, got {health_raw!r}.")
    webhook_url = env.get("WEBHOOK_URL", "").strip() or None
    webhook_secret = env.get("WEBHOOK_SECRET", "").strip() or None
    if webhook_url:
        check_webhook_url(webhook_url)
        check_webhook_secret(webhook_secret)
    return Settings(
        token=token,
        database_url=env.get("DATABASE_URL", "").strip() or default_database_url(),
        api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip() or None,
        log_level=(env.get("LOG_LEVEL", "").strip() or "INFO").upper(),
        max_rate=_float(env, "TELEGRAM_MAX_RATE", 30.0),
        paid_broadcast_rate=_paid_broadcast_rate(env),
        sweep_interval=_float(env, "SWEEP_INTERVAL_SECONDS", 5.0) or 5.0,
        webhook_url=webhook_url,
        webhook_listen=env.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
        port=int(port_raw),
        health_port=int(health_raw) if health_raw else None,
        webhook_secret=webhook_secret,
        shutdown_timeout=_float(env, "SHUTDOWN_TIMEOUT_SECONDS", DEFAULT_SHUTDOWN_TIMEOUT),
        encryption_key=env.get("STEADY_ENCRYPTION_KEY", "").strip() or None,
        encryption_old_keys=tuple(
            k for k in env.get("STEADY_ENCRYPTION_OLD_KEYS", "").replace(",", " ").split() if k
        ),
    )


def load_settings() -> Settings:
    """Settings from the process environment, after loading `.env` (existing vars win)."""
    load_dotenv(PROJECT_DIR / ".env", override=False)
    return settings_from(os.environ)
