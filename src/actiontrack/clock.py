"""The current time, in one place (the organisation's calendar is Belgian)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Brussels")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_day(moment: datetime | str) -> date:
    """The day in Brussels of a stored moment (SQLite hands back naive UTC, or text, from aggregates)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date()


def today() -> date:
    """Today's date in Brussels, which decides when a deadline has passed."""
    return datetime.now(LOCAL_ZONE).date()
