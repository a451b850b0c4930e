"""`python -m demo` (``make demo``): Steady in this terminal, no token, no network."""

from __future__ import annotations

import asyncio
import sys

from demo.session import HELP, Session, chat, configure_logging, environment


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


async def main() -> int:
    try:
        session = Session(environment(), write)
    except ValueError as err:  # a DEMO_CLOCK_SPEED or DEMO_START it cannot read
        print(err, file=sys.stderr)
        return 2
    configure_logging(session.folder)
    write("Steady demo: the real bot against a local Telegram emulator (no token, no network).\n")
    write(f"Files it sends are saved in {session.folder / 'files'}; its log is in steady.log.\n")
    if session.clock.speed != 1:
        write(f"The demo clock runs {session.clock.speed:g} times faster than real time.\n")
    write("Starting…\n")
    await session.start()
    write(HELP + "\nSend /start to begin.\n")
    try:
        await chat(session, sys.stdin.readline)
    finally:
        await session.stop()
    write("Bye.\n")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
