"""Who may have which calendar feed: everyone their own deadlines, HR and leadership also all of them."""

from __future__ import annotations

from datetime import datetime, timedelta

from actiontrack.i18n import N_
from actiontrack.models import CalendarFeed, Role, User

OWN = "own"
ALL = "all"
SCOPE_LABELS = {OWN: N_("My deadlines"), ALL: N_("All deadlines")}
# HR and leadership read every action, so they may carry every deadline in their calendar.
ALL_DEADLINES_ROLES = frozenset({Role.HR.value, Role.LEADERSHIP.value})
ENTITY = "calendar_feed"
SUFFIX = ".ics"
# Calendar apps poll; an hour is what Outlook and Google do at best anyway.
# Marking a feed as used once an hour is precise enough and spares a write on nearly every fetch.
LAST_USED_PRECISION = timedelta(hours=1)


def scopes_for(user: User) -> list[str]:
    """The feeds a user may have: everyone their own deadlines, HR and leadership also all of them."""
    return [OWN, ALL] if user.role in ALL_DEADLINES_ROLES else [OWN]


def may_have(user: User, *, scope: str) -> bool:
    """Whether the user's role allows a feed of this scope."""
    return scope in scopes_for(user)


def mark_used(feed: CalendarFeed, *, now: datetime) -> None:
    """Note that the feed was fetched, at most once per LAST_USED_PRECISION."""
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_PRECISION:
        feed.last_used_at = now
