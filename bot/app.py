"""The composition root: build_application() wires everything into a PTB Application."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.warnings import PTBUserWarning

from bot import crypto, menus, shutdown, transport
from bot.columns import set_text_cipher
from bot.concurrency import PerUserProcessor
from bot.config import Settings
from bot.content import t
from bot.features import base, records
from bot.features.base import Command, Feature
from bot.features.checkin.feature import FEATURE as CHECKIN
from bot.features.data.feature import FEATURE as DATA
from bot.features.history.feature import FEATURE as HISTORY
from bot.features.language.feature import FEATURE as LANGUAGE
from bot.features.noticed.feature import FEATURE as NOTICED
from bot.features.onboarding.feature import FEATURE as ONBOARDING
from bot.features.practice.feature import FEATURE as PRACTICE
from bot.features.repair.feature import FEATURE as REPAIR
from bot.features.report.feature import FEATURE as REPORT
from bot.features.safety.feature import FEATURE as SAFETY
from bot.features.script.feature import FEATURE as SCRIPT
from bot.features.settings.feature import FEATURE as SETTINGS
from bot.features.summary.feature import FEATURE as SUMMARY
from bot.features.trigger.feature import FEATURE as TRIGGER
from bot.handlers import edits, general, limits, private, speak
from bot.handlers.common import RUNTIME_KEY, Ctx, conversation_handlers
from bot.logging_setup import install_redaction
from bot.outbound import idle, senders, sweep
from bot.outbound.senders import Sender
from bot.persistence import DatabasePersistence
from bot.ratelimit import PacedRateLimiter
from bot.replicas import lease, steps
from bot.replicas.pace import SharedPace
from bot.runtime import Clock, Runtime, system_clock
from bot.services import crisis
from bot.services.limits import Buckets
from bot.services.parse import places
from bot.store import freetext
from bot.store.db import Database

log = logging.getLogger(__name__)

# Our conversations are per user and chat, not per message, on purpose: buttons of the current
# step are handled by the conversation, stale ones by the catch-all in general.py.
warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)

#: The features, in the order their handlers are tried and their commands are listed in the
#: menu and /help (help and cancel last). Each declares itself in its package's feature.py.
FEATURES: tuple[Feature, ...] = (
    ONBOARDING,
    CHECKIN,
    TRIGGER,
    REPAIR,
    NOTICED,
    PRACTICE,
    SCRIPT,
    SUMMARY,
    HISTORY,
    REPORT,
    SETTINGS,
    LANGUAGE,
    DATA,
    SAFETY,
)


#: Updates of different users handled at once: enough to keep the Bot API connections
#: (``transport.CONNECTIONS``) busy while a few requests wait out a flood limit
#: (bot/concurrency.py).
UPDATES_AT_ONCE = 16

#: The update kinds the handlers take (polling and the webhook ask Telegram for these only):
#: messages, edits of them (ignored, but crisis language in one is answered: handlers/edits.py)
#: and button presses.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


class SteadyApplication(Application):  # type: ignore[type-arg]
    """Writes conversation states right after each update, so a restart loses no step."""

    async def process_update(self, update: object) -> None:
        cut = False
        try:
            await super().process_update(update)
        except asyncio.CancelledError:
            cut = True  # a stop ran out of time (bot/shutdown.py)
            raise
        finally:
            if self.persistence is not None and self.running:
                await self.update_persistence()
                user = getattr(update, "effective_user", None)
                if isinstance(self.persistence, DatabasePersistence) and user is not None:
                    await self._write_unconfirmed(self.persistence, user.id)
            # The update is fully handled and its conversation step is stored (process tests
            # wait for this line before killing the bot).
            event = "update_cut_short" if cut else "update_done"
            log.debug("%s update_id=%s", event, getattr(update, "update_id", None))

    async def _write_unconfirmed(self, persistence: DatabasePersistence, user_id: int) -> None:
        """States written with an answer that the update then did not move to (its handler
        failed after storing it): the stored state is put back to this process's."""
        for name, key in persistence.unconfirmed(user_id):
            for handler in conversation_handlers(self):
                if handler.name == name:
                    state = handler._conversations.get(key)  # noqa: SLF001  (no public accessor)
                    await persistence.update_conversation(name, key, state)

    async def stop(self) -> None:
        """PTB's stop, within SHUTDOWN_TIMEOUT_SECONDS (bot/shutdown.py)."""
        processor = self.update_processor
        if isinstance(processor, PerUserProcessor):
            processor.drain()

        def cut() -> int:
            if isinstance(self.bot.rate_limiter, PacedRateLimiter):
                self.bot.rate_limiter.cut()  # what is on the wire finishes (bot/ratelimit.py)
            updates = processor.cancel_running() if isinstance(processor, PerUserProcessor) else 0
            return updates + shutdown.in_flight(self).cancel()

        timeout = self.bot_data[RUNTIME_KEY].settings.shutdown_timeout
        await shutdown.bounded(super().stop, timeout, cut)


#: /help and /cancel (bot/handlers/general.py), listed after every feature's commands.
GENERAL_COMMANDS = tuple(Command(name, key) for name, key in general.COMMANDS)


def gather(features: Sequence[Feature] = FEATURES) -> base.Registry:
    """What ``features`` declare, checked (a FeatureError stops the bot)."""
    return base.gather(features, GENERAL_COMMANDS)


def menu(registry: base.Registry) -> list[tuple[str, str]]:
    """Every command with the content key of its one-line description, in feature order (help
    and cancel last); /help and each language's menu (bot/menus.py) read it in their language."""
    return [(c.name, c.description) for c in registry.commands]


def sender_for(kind: str, features: Sequence[Feature] = FEATURES) -> Sender | None:
    """The sender ``features`` declare for due prompts of ``kind`` (tests send one by hand)."""
    return gather(features).senders.get(kind)


def install(app: Application, registry: base.Registry) -> None:  # type: ignore[type-arg]
    """Hand what the features declare to the parts that use it, through ``app.bot_data``."""
    general.install_cancel_notes(app, registry.cancel_notes)
    idle.install(app, registry.idle)
    senders.install(app, registry.senders)


def install_text_cipher(settings: Settings, database: Database) -> None:
    """Encrypt free text when a key is set (a malformed key is refused: EncryptionKeyError).

    Stored text the keys cannot read does not stop the bot: one such value (say, text written
    under a key since lost) must not keep everyone else from being served. The sampled places
    are logged by table, column and row; each such value reads as a placeholder.
    """
    cipher = crypto.cipher_for(settings)
    unreadable = freetext.unreadable_samples(database, cipher)
    for place in unreadable:
        log.error(
            "freetext_unreadable_at_start table=%s column=%s row=%s",
            place.table,
            place.column,
            place.row,
        )
    if unreadable:
        log.error(
            "freetext_unreadable_hint keys_set=%s: these values read as a placeholder; if every "
            "table is listed, STEADY_ENCRYPTION_KEY is missing or not the key the text was "
            "written with (README, Encryption at rest)",
            isinstance(cipher, crypto.FernetTextCipher),
        )
    set_text_cipher(cipher, unreadable=t("common.unreadable"))


def _frozen_after(warm: Callable[[], object]) -> None:
    """Load something the process keeps for good (the crisis model, the city index), then
    put it out of the collector's sight as start-up's own objects are: a full collection
    walking the city index's strings cost 15–120 ms pauses and ~1 ms of CPU per update."""
    warm()
    gc.freeze()


def _rate_limiter(settings: Settings, database: Database | None = None) -> PacedRateLimiter:
    """``max_rate`` messages/s, evenly paced; a 429 is waited out, then sending resumes at
    that pace (bot/ratelimit.py says why not PTB's AIORateLimiter). On PostgreSQL the pace is
    shared by every replica (bot/replicas/pace.py), and so is the paid broadcasts' pace."""
    shared = paid_shared = None
    if database is not None and database.is_postgres:
        bot = lease.bot_id(settings.token)
        if settings.max_rate > 0:
            shared = SharedPace(database, bot, settings.max_rate)
        if settings.paid_broadcast_rate > 0:  # a row of its own: "<bot>:paid" (32 at most)
            paid_shared = SharedPace(database, f"{bot[:27]}:paid", settings.paid_broadcast_rate)
    return PacedRateLimiter(
        settings.max_rate,
        max_retries=5,
        paid_broadcast_rate=settings.paid_broadcast_rate,
        shared=shared,
        paid_shared=paid_shared,
    )


def _bucket_clock(clock: Clock) -> Callable[[], float]:
    """Seconds for the flood limit's token buckets: monotonic in production; the fake clock
    in tests (which moves only when the test moves it)."""
    if clock is system_clock:
        return time.monotonic
    return lambda: clock().timestamp()


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    clock: Clock = system_clock,
    application_class: type[Application] = SteadyApplication,  # type: ignore[type-arg]
    application_kwargs: dict[str, Any] | None = None,
    run_jobs: bool = True,
    features: Sequence[Feature] = FEATURES,
    buckets: Buckets | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot as production runs it.

    Tests pass a fake clock, an instrumented application class, and ``run_jobs=False`` so
    that scheduled work (the sweep) runs only when a test calls it with a chosen time; and
    ``buckets``, the per-user flood limit (default: ``bot.services.limits``'), measured on the
    same clock — a clock that stands still while a test walks through a long flow would
    otherwise count every step of it as one burst.
    """
    install_redaction()
    database = db or Database(settings.database_url)
    install_text_cipher(settings, database)
    runtime = Runtime(settings=settings, db=database, clock=clock, run_jobs=run_jobs)
    registry = gather(features)
    runtime.records = records.contributions(features)
    base.check_content(features)
    commands = menu(registry)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await menus.publish(app.bot, commands)  # per language (bot/menus.py)
        # The crisis patterns and model (~1.4 s) and the city index (~1.5 s), once per
        # process, load in the background now rather than on the event loop at the first
        # message or the first city typed; start-up does not wait for them.
        for name, warm in (("crisis", crisis.warm_up), ("places", places.warm)):
            threading.Thread(target=_frozen_after, args=(warm,), name=f"{name}-warm-up",
                             daemon=True).start()  # fmt: skip
        # What start-up built (modules, content, matplotlib) lives as long as the process: out
        # of the collector's sight, a full collection no longer walks it (pauses of ~200 ms
        # on a slow machine, the tail of reply latency in BENCHMARKS.md).
        gc.freeze()

    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .application_class(application_class, kwargs=application_kwargs)
        .token(settings.token)
        .context_types(ContextTypes(context=Ctx))
        .persistence(DatabasePersistence(database, clock))
        .rate_limiter(_rate_limiter(settings, database))
        .concurrent_updates(
            PerUserProcessor(UPDATES_AT_ONCE, buckets=buckets, clock=_bucket_clock(clock))
        )
        .post_init(post_init)
    )
    builder = transport.attach(builder)
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url)
        builder = builder.base_file_url(settings.api_base_file_url or "")
    app = builder.build()
    app.bot_data[RUNTIME_KEY] = runtime
    if database.is_postgres and isinstance(app.update_processor, PerUserProcessor):
        # Replicas may share the database: each user's steps are read at their turn, and
        # webhook replicas (any of which may get any update) take turns across processes.
        webhook = bool(settings.webhook_url)
        app.update_processor.guard = lambda user_id: steps.turn(app, user_id, lock=webhook)
    install(app, registry)

    # Handler groups run in number order, whatever the order of registration here:
    speak.register(app)  # -20: the sender's language, for everything that follows
    private.register(app)  # -10: outside a private chat nothing is served (crisis care first)
    limits.register(app)  # -3: a flood's shed updates stop here (crisis language is never shed)
    # safety (-2, a feature) answers crisis language, in new and edited messages alike
    edits.register(app)  # -1, before /cancel: an edit is never a command or an answer
    general.register_cancel(app)
    base.add_handlers(app, features)
    sweep.register(app)  # the due-prompt sweep and its housekeeping (bot/outbound/)
    general.register_fallbacks(app, commands)
    return app
