"""`make demo` end to end: the real bot against the emulator, driven through a pseudo-terminal
as a person would type it — /start and onboarding by numbered buttons, one morning check-in,
/help, /quit — and nothing it sent was a request real Telegram would refuse."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0  # bounded wait for a line to appear (the bot's first start loads its models)


class Terminal:
    def __init__(self, tmp: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        # 08:30 in Berlin, where the person says they live: /checkin opens the morning
        # check-in whatever the hour the test runs at (after about 21:00 it is the evening's).
        env.update(
            DEMO_DIR=str(tmp),
            DEMO_LANGUAGE="en",
            DEMO_START="2026-12-07T07:30:00Z",
            PYTHONUNBUFFERED="1",
        )
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "demo"],
            cwd=ROOT,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str) -> str:
        """Read until ``text`` has appeared; everything read up to it."""
        deadline = time.monotonic() + WAIT
        while text not in self.seen:
            left = deadline - time.monotonic()
            chunk = self._read(min(left, 1.0)) if left > 0 else b""
            if left <= 0 or chunk == b"" and self.proc.poll() is not None:
                raise AssertionError(f"never saw {text!r}; the terminal showed:\n{self.seen}")
            self.seen += chunk.decode("utf-8", "replace")
        before, _, after = self.seen.partition(text)
        self.seen = after
        return before + text

    def _read(self, timeout: float) -> bytes:
        """What the terminal shows next (empty: nothing yet, or the demo closed it)."""
        if not select.select([self.master], [], [], timeout)[0]:
            return b""
        try:
            return os.read(self.master, 65536)
        except OSError:  # the demo has exited and the terminal closed
            return b""

    def type(self, line: str, then: str) -> str:
        os.write(self.master, (line + "\n").encode())
        return self.expect(then)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        os.close(self.master)


@pytest.mark.timeout(180)
def test_the_demo_in_a_terminal(tmp_path: Path) -> None:
    term = Terminal(tmp_path)
    try:
        term.expect("Send /start to begin.")
        shown = term.type("/start", "[1] Let's begin")
        assert "Hi Alex, I'm Steady." in shown
        term.type("1", "Type a city")
        term.type("Berlin", "[1] Yes, that's right")
        term.type("1", "[1] 08:00 (default)")
        term.type("1", "[1] 21:00 (default)")
        assert "Morning check-in: 08:00" in term.type("1", "/settings changes any of this.")

        term.type("/checkin", "[9] Skip")  # the families of feelings
        term.type("9", "[12] Skip")  # skipped; how strong, 0 to 10
        term.type("12", "What do you need today?")  # skipped too
        term.type("some quiet", "[1] Ask for support once")  # typed; a commitment offered
        term.type("1", "Thank you for checking in.")

        assert "/trigger" in term.type("/help", "/cancel")
        term.type("42", "There is no button 42 here")
        term.type("/quit", "Bye.")
        assert term.proc.wait(30) == 0
    finally:
        term.close()
    everything = (tmp_path / "steady.log").read_text()
    assert "some quiet" not in everything  # what the person wrote is never logged
