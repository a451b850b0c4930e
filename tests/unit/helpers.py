"""What unit tests share."""

from __future__ import annotations

from datetime import UTC, datetime


def u(*args: int) -> datetime:
    """Aware UTC datetime shorthand."""
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]
