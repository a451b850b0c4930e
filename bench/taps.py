"""Taps: how long a button press waits for its spinner to stop while many users are active.

200 users onboard at once (closed loop: each runs /start -> Let's begin -> Berlin -> Yes ->
08:00 -> 21:00 as fast as the bot answers) against a bot process with its default rate limit
on (TELEGRAM_MAX_RATE=30), so replies queue behind Telegram's 30 messages a second. Tap
latency = pushing the callback query -> its answerCallbackQuery reaching the fake server (the
moment the user's spinner stops), both on this process's monotonic clock; the step latency
(-> the first reply) is reported beside it. Issue 24.4: target p99 under 500 ms.
"""

from __future__ import annotations

import time

from bench.databases import discard, fresh_sqlite
from bench.flows import onboarding
from bench.inbound import Run
from bench.procs import BotProcess
from bench.server import BenchServer
from bench.stats import Result, ms, percentile

RATE = "30"  # the bot's default TELEGRAM_MAX_RATE


class TapRun(Run):
    """A closed-loop run that also remembers when each button press was pushed."""

    def __init__(self, server: BenchServer, users: int, base: int) -> None:
        super().__init__(server, onboarding(), users, base)
        self.taps: list[tuple[str, float]] = []  # (callback_query_id, pushed at)

    def pushed(self, update_id: int, when: float) -> None:
        query = self.server.state.pushed[update_id].get("callback_query")
        if query is not None:
            self.taps.append((query["id"], when))


async def run(users: int = 200) -> Result:
    url = fresh_sqlite()
    result = Result(f"taps onboarding {users} users at {RATE}/s")
    try:
        async with BenchServer() as server:
            bot = await BotProcess(server, "steady", url, env={"TELEGRAM_MAX_RATE": RATE}).start()
            try:
                tap_run = TapRun(server, users, 20_000_000)
                start = time.monotonic()
                await tap_run.closed()
                seconds = time.monotonic() - start
                result.problems = await tap_run.check()
            finally:
                await bot.stop()
            if result.problems:
                result.problems.append("bot log tail: " + bot.log_tail()[-1500:])
            bot.cleanup()
        waits = [
            server.answered_at[query_id] - pushed
            for query_id, pushed in tap_run.taps
            if query_id in server.answered_at
        ]
        unanswered = len(tap_run.taps) - len(waits)
        if unanswered:
            result.problems.append(f"{unanswered} taps never answered")
        figures = result.figures
        figures["taps"] = len(tap_run.taps)
        figures["tap_p50_ms"] = ms(percentile(waits, 50))
        figures["tap_p99_ms"] = ms(percentile(waits, 99))
        figures["tap_max_ms"] = ms(max(waits, default=float("nan")))
        figures["step_p50_ms"] = ms(percentile(tap_run.latencies, 50))
        figures["step_p99_ms"] = ms(percentile(tap_run.latencies, 99))
        figures["seconds"] = round(seconds, 1)
    finally:
        discard(url)
    return result
