"""Writing a reminder in its recipient's language: subject, plain text, HTML, link and facts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment

from actiontrack import i18n
from actiontrack.actions.rules import STATUS_LABELS
from actiontrack.disclosure.effects import VERDICT_LABELS
from actiontrack.i18n import gettext as _
from actiontrack.i18n import ngettext
from actiontrack.messages import Message
from actiontrack.reminders.digest import Digest
from actiontrack.reminders.rules import ActionFacts, Due, Kind
from actiontrack.settings import Settings
from actiontrack.web import template_environment

_environments: dict[Path, Environment] = {}


def _environment(settings: Settings) -> Environment:
    """The app's own template environment (filters, gettext, autoescape), built without a request."""
    if settings.templates_dir not in _environments:
        _environments[settings.templates_dir] = template_environment(settings)
    return _environments[settings.templates_dir]


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate and format in `language` inside the block, then go back to the language before."""
    before = i18n.current_language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(before)


@dataclass(frozen=True)
class Links:
    """Absolute links in messages read outside the app: the configured base URL and a path from the route table."""

    base_url: str
    path: Callable[..., str]  # the app's route_reverse: path(route name, **path parameters)

    def to(self, route: str, **path_params: object) -> str:
        """The absolute URL of the route named `route`."""
        return self.base_url + self.path(route, **path_params)


def _action_subject(kind: str, action: ActionFacts, *, today: date) -> str:
    if kind == Kind.DUE_SOON:
        days = (action.deadline - today).days
        if days <= 0:
            return _("Due today: %(title)s") % {"title": action.title}
        return ngettext("Due in %(num)d day: %(title)s", "Due in %(num)d days: %(title)s", days) % {
            "num": days, "title": action.title}
    if kind == Kind.OVERDUE:
        return _("Overdue since %(deadline)s: %(title)s") % {
            "deadline": i18n.format_date(action.deadline), "title": action.title}
    if kind == Kind.ASSIGNED:
        return _("You now own the action: %(title)s") % {"title": action.title}
    days = (today - action.last_update_on).days if action.last_update_on else 0
    return ngettext("Blocked, no update for %(num)d day: %(title)s",
                    "Blocked, no update for %(num)d days: %(title)s", days) % {"num": days, "title": action.title}


def _render(settings: Settings, name: str, context: dict[str, Any]) -> tuple[str, str]:
    env = _environment(settings)
    text = env.get_template(f"reminders/{name}_plain.html").render(context)
    html = env.get_template(f"reminders/{name}.html").render(context)
    return text.strip() + "\n", html


def compose_action(due: Due, *, settings: Settings, links: Links, today: date) -> Message:
    """The message about one action (deadline coming, overdue, assigned, blocked)."""
    action = due.action
    assert action is not None
    with speaking(due.recipient.language):
        subject = _action_subject(due.kind, action, today=today)
        link = links.to("actions.detail", action_id=action.id)
        facts = (
            (_("Deadline"), i18n.format_date(action.deadline)),
            (_("Action owner"), action.owner_name),
            (_("Status"), _(STATUS_LABELS.get(action.status, action.status))),
        )
        context = {
            "kind": due.kind, "action": action, "subject": subject, "link": link, "facts": facts,
            "today": today, "days_left": (action.deadline - today).days,
            "days_overdue": (today - action.deadline).days,
            "days_silent": (today - action.last_update_on).days if action.last_update_on else None,
            # Chat channels get no greeting: the message is not addressed to one person there.
            "name": due.recipient.user.display_name if due.recipient.user else None,
        }
        text, html = _render(settings, "action", context)
    return Message(kind=due.kind, subject=subject, text=text, html=html, link=link, facts=facts)


def compose_digest(due: Due, digest: Digest, *, settings: Settings, links: Links) -> Message:
    """The weekly digest for one recipient."""
    with speaking(due.recipient.language):
        subject = _("Weekly digest of the actions, week of %(start)s") % {
            "start": i18n.format_date(digest.week_start)}
        link = links.to("status")
        facts = (
            (_("Newly overdue"), i18n.format_number(len(digest.newly_overdue))),
            (_("Completed"), i18n.format_number(len(digest.completed))),
            (_("Blocked actions"), i18n.format_number(len(digest.blocked))),
            (_("Recurring themes without an action"), i18n.format_number(len(digest.uncovered))),
            *(((_("New verdicts on done actions"), i18n.format_number(len(digest.measured))),)
              if digest.measured else ()),
        )
        context = {
            "digest": digest, "verdict_labels": VERDICT_LABELS, "subject": subject, "link": link, "facts": facts,
            "name": due.recipient.user.display_name if due.recipient.user else None,
            "action_url": lambda action_id: links.to("actions.detail", action_id=action_id),
            "radar_url": lambda by: links.to("radar") + "?" + urlencode({"by": by}),
        }
        text, html = _render(settings, "digest", context)
    return Message(kind=due.kind, subject=subject, text=text, html=html, link=link, facts=facts)
