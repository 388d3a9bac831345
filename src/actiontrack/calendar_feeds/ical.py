"""A calendar feed as an RFC 5545 (iCalendar) document: one all-day event per open deadline."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date, timedelta

from icalendar import Alarm, Calendar, Event

from actiontrack.actions.rules import STATUS_LABELS, is_overdue
from actiontrack.calendar_feeds.rules import ALL
from actiontrack.i18n import current_language, format_date, format_share
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionItem
from actiontrack.params import one_line

logger = logging.getLogger("actiontrack.calendar")
# Calendar apps poll; an hour is what Outlook and Google do at best anyway.
REFRESH = timedelta(hours=1)


def action_uid(action: ActionItem) -> str:
    """The event's UID: stable per action, so calendar apps update an event instead of adding one."""
    return f"action-{action.id}@actiontrack"


def build_calendar(*, rows: list[tuple[ActionItem, str]], scope: str, action_url: Callable[[int], str],
                   today: date) -> bytes:
    """The feed as RFC 5545 text, in the current language (the feed holder's)."""
    calendar = Calendar()
    name = _("actiontrack: all deadlines") if scope == ALL else _("actiontrack: my deadlines")
    calendar.add("prodid", "-//actiontrack//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # The older spelling of the same hint, which Outlook reads.
    calendar.add("x-published-ttl", "PT1H")
    for action, owner_name in rows:
        try:
            event = _event(action, owner_name=owner_name, show_owner=scope == ALL, action_url=action_url,
                           today=today)
            event.to_ical()  # fails here, for this action alone, rather than for the whole feed
        except Exception:  # one odd row must not empty everyone's calendar
            logger.exception("calendar feed: action %s skipped, it cannot be written as an event", action.id)
            continue
        calendar.add_component(event)
    return calendar.to_ical()


def _event(action: ActionItem, *, owner_name: str, show_owner: bool, action_url: Callable[[int], str],
           today: date) -> Event:
    link = action_url(action.id)
    # RFC 5545 text allows no control characters; the summary is one line.
    # The holder's language, else another one, tagged with RFC 5545's LANGUAGE parameter.
    shown = action.title_in()
    language = {"LANGUAGE": shown.lang} if shown.differs_from(current_language()) else None
    title = one_line(shown.text)
    if is_overdue(action, today=today):
        title = _("%(label)s: %(title)s") % {"label": _("Overdue"), "title": title}
    lines = [
        _("Status: %(status)s") % {"status": _(STATUS_LABELS[action.status])},
        _("Progress: %(progress)s") % {"progress": format_share(action.progress / 100)},
        _("Deadline: %(date)s") % {"date": format_date(action.deadline)},
    ]
    if show_owner:
        lines.append(_("Owner: %(name)s") % {"name": one_line(owner_name)})
    lines.append(link)
    event = Event()
    event.add("uid", action_uid(action))
    # The last change of the action, not the time of the fetch: an unchanged feed stays byte for
    # byte the same, which lets calendar apps revalidate it with the ETag.
    event.add("dtstamp", action.updated_at)
    event.add("last-modified", action.updated_at)
    event.add("sequence", action.version)
    event.add("dtstart", action.deadline)
    if action.deadline < date.max:  # without DTEND an all-day event lasts its one day anyway
        event.add("dtend", action.deadline + timedelta(days=1))
    event.add("summary", title, parameters=language)
    event.add("description", "\n".join(lines))
    event.add("url", link)
    # A deadline is a reminder, not a meeting: it must not make the day look busy.
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    return event


def etag_of(body: bytes) -> str:
    """The ETag of a feed's body: an unchanged feed keeps its tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
