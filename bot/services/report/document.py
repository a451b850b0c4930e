"""What goes into a report, read from the store as the PDF is written.

``prepare`` counts the period's rows per section (cheap counts) and gives ``None`` for an
empty report; the rows themselves are streamed (``store.report.rows``) while each section is
written, so a long period holds one batch of rows at a time, never the whole period.
``build`` returns the finished PDF's bytes (built in memory, never in a file).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.models import Commitment, User
from bot.services import summary as summary_service
from bot.services.profile import local_today
from bot.services.report.period import Period, sections
from bot.store import report as store
from bot.store.db import Database

#: Telegram's limit for a document a bot sends.
MAX_DOCUMENT_BYTES = 50_000_000

#: The kinds of rows a section shows (their counts decide whether it is shown at all). The
#: overview's figures are those of the check-ins and of the other sections the report keeps.
READS: dict[str, tuple[str, ...]] = {
    "overview": ("checkins", "thoughts", "repairs"),
    "checkins": ("checkins",),
    "thoughts": ("thoughts",),
    "repairs": ("repairs",),
}


def _reads(name: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
    kinds = READS.get(name, ())
    if name != "overview":
        return kinds
    return tuple(k for k in kinds if k == "checkins" or k in wanted)


@dataclass
class Source:
    """One report being written: who, which days, which sections, and the rows on demand."""

    db: Database
    parts: summary_service.Parts
    user: User
    now: datetime
    period: Period
    include: str
    sections: tuple[str, ...]  # those with something to show, in document order
    counts: dict[str, int] = field(default_factory=dict)

    def rows(self, kind: str) -> Iterator[Any]:
        return store.rows(self.db, kind, self.user.id, self.period.start, self.period.end)

    def commitments(self) -> list[Commitment]:
        return store.commitments(self.db, self.user.id, self.period.start, self.period.end)

    def summary(self) -> summary_service.Summary:
        p = self.period
        period = summary_service.Period(p.start, p.end, p.weeks)
        return summary_service.summarise(self.db, self.parts, self.user, self.now, period)

    @property
    def today(self) -> Any:
        return local_today(self.user, self.now)


def prepare(
    db: Database,
    parts: summary_service.Parts,
    user: User,
    now: datetime,
    period: Period,
    include: str,
) -> Source | None:
    """The report to write, or None when the chosen sections hold nothing in the period."""
    wanted = sections(include)
    reads = {name: _reads(name, wanted) for name in wanted}
    counts = {
        kind: store.count(db, kind, user.id, period.start, period.end)
        for kind in dict.fromkeys(k for kinds in reads.values() for k in kinds)
    }
    shown = tuple(name for name in wanted if any(counts[k] for k in reads[name]))
    if not shown:
        return None
    return Source(db, parts, user, now, period, include, shown, counts)


def build(
    db: Database,
    parts: summary_service.Parts,
    user: User,
    now: datetime,
    period: Period,
    include: str,
) -> bytes | None:
    """The PDF, or None for an empty report (see ``prepare``)."""
    from bot.services.report import pdf  # matplotlib and fpdf2 load only when a report is made

    source = prepare(db, parts, user, now, period, include)
    return None if source is None else pdf.write(source)


def too_large(document: bytes, limit: int | None = None) -> bool:
    """Over Telegram's limit for a bot's document (``MAX_DOCUMENT_BYTES``)."""
    return len(document) > (MAX_DOCUMENT_BYTES if limit is None else limit)
