"""The real Application, built by the production factory, against the fake Bot API server."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.app import SteadyApplication, build_application
from bot.config import Settings, settings_from
from bot.outbound.sweep import SweepReport, run_sweep
from bot.services.limits import Buckets
from bot.store.db import Database
from tests.conftest import FakeClock
from tests.fakebot import BotEvent, FakeBotApi, FakeUser, TrackedApplication


class TrackedSteady(TrackedApplication, SteadyApplication):
    """SteadyApplication that tells the fake server when an update is fully handled
    (after SteadyApplication has written the conversation state)."""


class BotRig:
    """Start, stop and restart the bot over one database; act as users."""

    def __init__(self, server: FakeBotApi, db: Database, clock: FakeClock, **env: str) -> None:
        #: The flood limit. The fake clock stands still while a test walks through a long
        #: flow, so by default it is out of reach; tests of the limit set the real one.
        self.buckets: Buckets = Buckets(burst=1_000_000)
        self.server = server
        self.db = db
        self.clock = clock
        self.env = env
        self.app: SteadyApplication | None = None
        self.starts = 0

    @property
    def settings(self) -> Settings:
        return settings_from(
            {
                "TELEGRAM_BOT_TOKEN": self.server.token,
                "DATABASE_URL": self.db.url,
                "TELEGRAM_API_BASE_URL": self.server.base_url,
                "TELEGRAM_MAX_RATE": "0",
                **self.env,
            }
        )

    async def start(self) -> SteadyApplication:
        app = build_application(
            self.settings,
            db=self.db,
            clock=self.clock,
            application_class=TrackedSteady,
            application_kwargs={"fake_server": self.server},
            run_jobs=False,
            buckets=self.buckets,
        )
        await app.initialize()
        if app.post_init is not None:  # run_polling() does this in production
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        self.app = app  # type: ignore[assignment]
        self.starts += 1
        return app  # type: ignore[return-value]

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def restart(self) -> SteadyApplication:
        """A new process in all but name: a fresh Application over the same database."""
        await self.stop()
        return await self.start()

    async def sweep(self, now: datetime | None = None) -> SweepReport:
        """Run one sweep tick at ``now`` (the clock is moved there first), as the job would."""
        if now is not None:
            self.clock.set(now)
        assert self.app is not None, "start the rig first"
        return await run_sweep(self.app, self.clock())

    def user(self, user_id: int = 1001, first_name: str = "Alex", **kw: Any) -> FakeUser:
        return FakeUser(self.server, user_id, first_name=first_name, **kw)

    async def onboard(
        self, user: FakeUser, zone: str = "Berlin", morning: str | None = None
    ) -> list[BotEvent]:
        """Walk a user through /start with defaults (or a typed morning time)."""
        await user.ask("/start")
        await user.tap("Let's begin")
        await user.ask(zone)
        await user.tap("Yes, that's right")
        if morning:
            await user.ask(morning)
        else:
            await user.tap("08:00 (default)")
        return await user.tap("21:00 (default)")

    async def onboarded(
        self, user_id: int = 1001, first_name: str = "Alex", *, settle: bool = False
    ) -> FakeUser:
        """A new user, set up with the defaults (Berlin, 08:00, 21:00); with ``settle``, also
        wait until the bot is idle and take whatever it sent as read."""
        user = self.user(user_id, first_name)
        await self.onboard(user)
        if settle:
            await user.replies_until_idle()
        return user


def texts(events: list[BotEvent]) -> str:
    """All texts of some bot events, for `in` assertions."""
    return "\n".join(e.text or "" for e in events)


def sent(events: list[BotEvent]) -> list[BotEvent]:
    """Only new messages (not edits of earlier ones, such as removed buttons)."""
    return [e for e in events if e.kind != "edit"]


def shown(events: list[BotEvent]) -> list[BotEvent]:
    """What a step brought: its new messages, or, when a tap turned the question into the next
    one in place, that edit."""
    return sent(events) or [e for e in events if e.kind == "edit"][-1:]
