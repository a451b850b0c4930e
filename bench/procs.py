"""Child processes: a bot polling the fake server, or a one-shot measurement printing JSON."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import psutil

from bench.server import BenchServer

PROJECT_DIR = Path(__file__).resolve().parent.parent


def bot_env(server: BenchServer, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "TELEGRAM_MAX_RATE": "0",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class BotProcess:
    """``python -m bench.botproc <kind>`` against ``server``; ready once it polls."""

    def __init__(
        self,
        server: BenchServer,
        kind: str,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.server = server
        self.env = env or {}
        self.kind = kind
        self.database_url = database_url
        self.log = Path(tempfile.mkstemp(prefix=f"steady-bench-{kind}-", suffix=".log")[1])
        self.counts = self.log.with_suffix(".sql.json")
        self.proc: asyncio.subprocess.Process | None = None
        self.ps: psutil.Process | None = None

    async def start(self, timeout: float = 60) -> BotProcess:  # noqa: ASYNC109
        extra = {"BENCH_SQL_COUNTS": str(self.counts), **self.env}
        if self.database_url:
            extra["DATABASE_URL"] = self.database_url
        with self.log.open("wb") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.botproc",
                self.kind,
                cwd=PROJECT_DIR,
                env=bot_env(self.server, **extra),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        self.ps = psutil.Process(self.proc.pid)
        polled = asyncio.ensure_future(self.server.wait_polled(timeout))
        exited = asyncio.ensure_future(self.proc.wait())
        await asyncio.wait({polled, exited}, return_when=asyncio.FIRST_COMPLETED)
        if not polled.done() or polled.exception() is not None:
            polled.cancel()
            await self.stop()
            raise RuntimeError(f"{self.kind} bot did not start polling:\n{_tail(self.log)}")
        exited.cancel()
        return self

    async def settle(self, timeout: float = 30, idle: float = 0.05) -> float:  # noqa: ASYNC109
        """Wait until the bot is idle (under ``idle`` of a core over 0.3 s): its start-up
        warm-ups (the crisis model, the city index, in threads after polling began) are done,
        as for a bot that has been up a while. Returns the seconds waited."""
        started = asyncio.get_running_loop().time()
        while asyncio.get_running_loop().time() - started < timeout:
            before = self.cpu_seconds()
            await asyncio.sleep(0.3)
            if (self.cpu_seconds() - before) / 0.3 < idle:
                break
        return asyncio.get_running_loop().time() - started

    def cpu_seconds(self) -> float:
        if self.ps is None:
            return 0.0
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def rss_mb(self) -> float:
        return self.ps.memory_info().rss / 2**20 if self.ps else 0.0

    def log_tail(self) -> str:
        return _tail(self.log)

    async def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.returncode is not None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            await proc.wait()

    def sql_counts(self) -> dict[str, float]:
        """Statements and commits the bot's database saw, full GC runs (after stop; steady)."""
        try:
            return json.loads(self.counts.read_text())  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return {}

    def cleanup(self) -> None:
        for path in (self.log, self.counts):
            with contextlib.suppress(OSError):
                path.unlink()

    async def __aenter__(self) -> BotProcess:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
        if exc[0] is None:
            self.cleanup()


async def run_json(
    module: str,
    args: list[str],
    env: dict[str, str],
    timeout: float,  # noqa: ASYNC109
) -> dict[str, Any]:
    """Run ``python -m module args`` and return the JSON object on its last stdout line."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        *args,
        cwd=PROJECT_DIR,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        return {"error": f"did not finish within {timeout:.0f} s"}
    lines = out.decode(errors="replace").strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = "\n".join(err.decode(errors="replace").splitlines()[-15:])
        return {"error": f"exit {proc.returncode}: {tail}"}
    return json.loads(lines[-1])  # type: ignore[no-any-return]
