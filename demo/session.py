"""The demo session: the real bot and the Bot API emulator on 127.0.0.1, and a terminal chat.

What the person types becomes an update from a private-chat user (``tests.fakebot.FakeUser``);
after each one the session waits until the bot has handled it, then prints what it sent.
Scheduled work runs as the tests run it: the sweep is called every couple of seconds with the
demo clock's time (and at once after ``/demo-skip``), so check-in prompts, follow-ups and the
weekly summary arrive when the demo clock reaches them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.app import SteadyApplication, build_application
from bot.config import settings_from
from bot.outbound.sweep import run_sweep
from bot.store.db import Database, upgrade_to_head
from demo.chat import Transcript, refused
from demo.clock import DemoClock, parse_skip, parse_speed, parse_start
from tests.e2e.any_language import with_buttons
from tests.fakebot import FakeBotApi, FakeUser, TrackedApplication

SWEEP_EVERY = 2.0  # real seconds between sweeps
SKIP_STEP = timedelta(minutes=15)  # a skip sweeps at every step, so nothing due is jumped over
WAIT = 60.0  # at most this long for the bot to handle one message (the first loads models)
USER_ID = 1001
HELP = (
    "Type as you would in Telegram. A number presses that button of the latest message with\n"
    "buttons ('8 sends the text 8). /demo-skip 1h moves the clock ahead (30m, 2d, 1w);\n"
    "/demo-location 52.52 13.40 shares a location; /demo-help shows this; /quit leaves."
)


class DemoSteady(TrackedApplication, SteadyApplication):
    """The production application, telling the emulator when each update is handled."""


def language_of(env: Mapping[str, str]) -> str:
    """DEMO_LANGUAGE, else the terminal's (LANG=de_DE.UTF-8 → de), else English."""
    raw = env.get("DEMO_LANGUAGE") or env.get("LANG") or "en"
    code = raw.split(".")[0].split("_")[0].lower()
    return code if code.isalpha() and len(code) in (2, 3) and code != "c" else "en"


class Session:
    def __init__(self, env: Mapping[str, str], write: Callable[[str], None]) -> None:
        self.env = env
        self.write = write
        self.folder = Path(env.get("DEMO_DIR") or tempfile.mkdtemp(prefix="steady-demo-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.database_url = env.get("DATABASE_URL") or f"sqlite:///{self.folder / 'steady.db'}"
        self.clock = DemoClock(
            parse_speed(env.get("DEMO_CLOCK_SPEED")), parse_start(env.get("DEMO_START"))
        )
        self.server = FakeBotApi()
        self.transcript = Transcript(self.folder / "files")
        self.app: Any = None
        self.db: Database | None = None
        self.user: FakeUser | None = None
        self._requests_seen = 0

    async def start(self) -> None:
        await self.server.start()
        upgrade_to_head(self.database_url)
        self.db = Database(self.database_url)
        settings = settings_from(
            {
                "TELEGRAM_BOT_TOKEN": self.server.token,
                "DATABASE_URL": self.database_url,
                "TELEGRAM_API_BASE_URL": self.server.base_url,
                **{k: v for k, v in self.env.items() if k.startswith("STEADY_ENCRYPTION")},
            }
        )
        self.app = build_application(
            settings,
            db=self.db,
            clock=self.clock,
            application_class=DemoSteady,
            application_kwargs={"fake_server": self.server},
            run_jobs=False,  # the session sweeps on the demo clock instead
        )
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0, timeout=1)
        name = self.env.get("DEMO_NAME") or "Alex"
        self.user = FakeUser(self.server, USER_ID, name, language_code=language_of(self.env))

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is not None:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        await self.server.stop()
        if self.db is not None:
            self.db.dispose()

    # ------------------------------------------------------------------ what the bot sent
    def flush(self) -> bool:
        """Print every bot event and refused request not printed yet; whether there was any."""
        assert self.user is not None
        printed = False
        for event in self.user.unread():
            event.consumed = True
            lines = self.transcript.lines(event)
            if lines:
                self.write("\n".join(lines) + "\n")
                printed = True
        for request in self.server.requests[self._requests_seen :]:
            warning = refused(request)
            if warning is not None:
                self.write(warning + "\n")
                printed = True
        self._requests_seen = len(self.server.requests)
        return printed

    async def sweep(self) -> bool:
        """Scheduled work at the demo clock's time; what it sent is printed under that time."""
        now = self.clock()
        await run_sweep(self.app, now)
        assert self.user is not None
        if self.user.unread():
            self.write(f"-- {now:%a %d %b, %H:%M} UTC on the demo clock --\n")
        return self.flush()

    # ------------------------------------------------------------------ what the person typed
    async def handle(self, line: str) -> bool:
        """Act on one typed line; False when the person leaves."""
        assert self.user is not None
        text = line.strip()
        if not text:
            return True
        command = text.split(maxsplit=1)[0].lower()
        if command in ("/quit", "/exit"):
            return False
        if command == "/demo-help":
            self.write(HELP + "\n")
        elif command == "/demo-skip":
            await self._skip(text.partition(" ")[2])
        elif command == "/demo-location":
            await self._location(text.partition(" ")[2])
        elif text.isdigit() and len(text) <= 3:
            await self._press(int(text))
        else:
            await self.user.send(text[1:] if text.startswith("'") else text)
            await self._settle()
        return True

    async def _settle(self) -> None:
        assert self.user is not None
        await self.user.wait_idle(WAIT)
        self.flush()

    async def _press(self, number: int) -> None:
        assert self.user is not None
        try:  # the latest bot message that still has buttons, as the tests find it
            message, rows = with_buttons(self.user)
        except AssertionError:  # none
            message, rows = 0, []
        buttons = [b for row in rows for b in row]
        if not 1 <= number <= len(buttons):
            span = {0: "no buttons right now", 1: "only button 1"}.get(len(buttons))
            self.write(
                f"(There is no button {number} here: {span or f'buttons 1–{len(buttons)}'}.)\n"
            )
            return
        button = buttons[number - 1]
        if "url" in button:
            self.write(f"(That button opens {button['url']})\n")
            return
        await self.user.press(message=message, data=button["callback_data"])
        await self._settle()

    async def _skip(self, raw: str) -> None:
        delta = parse_skip(raw)
        if delta is None:
            self.write("(Say how far: /demo-skip 30m, 1h, 2d or 1w — at most 8 weeks.)\n")
            return
        while delta > timedelta():
            step = min(delta, SKIP_STEP)
            self.clock.skip(step)
            delta -= step
            await self.sweep()
        self.write(f"(The demo clock is now {self.clock():%a %d %b %H:%M} UTC.)\n")

    async def _location(self, raw: str) -> None:
        assert self.user is not None
        try:
            latitude, longitude = (float(x) for x in raw.replace(",", " ").split())
        except ValueError:
            self.write("(Give a latitude and a longitude: /demo-location 52.52 13.40)\n")
            return
        await self.user.send_location(latitude, longitude)
        await self._settle()


async def chat(session: Session, read: Callable[[], str]) -> None:
    """The terminal loop: lines from ``read`` (blocking, run in a thread), sweeps meanwhile."""
    loop = asyncio.get_running_loop()

    async def sweeping() -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            if await session.sweep():
                session.write("> ")

    sweeper = asyncio.create_task(sweeping())
    try:
        while True:
            session.write("> ")
            line = await loop.run_in_executor(None, read)
            if not line:  # end of input
                break
            if not await session.handle(line):
                break
    finally:
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper


def configure_logging(folder: Path) -> None:
    """Log lines (ids and event names only, as in production) go to a file, not the chat."""
    logging.basicConfig(
        filename=folder / "steady.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def environment() -> dict[str, str]:
    return dict(os.environ)
