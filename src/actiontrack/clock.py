"""The current time, in one place (the organisation's calendar is Belgian)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Brussels")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Brussels, which decides when a deadline has passed."""
    return datetime.now(LOCAL_ZONE).date()
