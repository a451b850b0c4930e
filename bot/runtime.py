"""What every handler and job needs at hand: settings, the database and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.services.limits import Cooldowns
from bot.store.db import Database

if TYPE_CHECKING:
    from bot.features.records import Contributions

Clock = Callable[[], datetime]


def _no_records() -> Contributions:
    """Until build_application sets the features' (imported here, not at module level: the
    outbound package imports this module and must not import any feature)."""
    from bot.features.records import Contributions

    return Contributions()


def system_clock() -> datetime:
    """The one place that reads the wall clock (aware UTC)."""
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock = system_clock
    run_jobs: bool = True  # False in tests: they call scheduled work themselves
    cooldowns: Cooldowns = field(default_factory=Cooldowns)  # costly commands, per user
    records: Contributions = field(default_factory=_no_records)  # the features' entries

    def now(self) -> datetime:
        return self.clock()
