"""The navigation bar: what each role can reach."""

from __future__ import annotations

from dataclasses import dataclass

from actiontrack.i18n import N_
from actiontrack.models import Role, User


@dataclass(frozen=True)
class NavItem:
    label: str  # translated when shown
    route: str  # the route's name; the template builds the link with url_for
    roles: frozenset[str]


ALL_ROLES = frozenset(role.value for role in Role)

# Each feature adds its pages here, with the roles that may open them.
HR = frozenset({Role.HR.value})
NAV_ITEMS = (
    NavItem(N_("Home"), "home", ALL_ROLES),
    NavItem(N_("Organisation"), "organisation", HR),
    NavItem(N_("Interviews"), "interviews", HR),
    NavItem(N_("Stay interviews"), "stay_interviews", HR),
    # Managers record stay conversations with their team; only HR reads them.
    NavItem(N_("Record a stay interview"), "stay_interviews.new", frozenset({Role.OWNER.value})),
    NavItem(N_("Survey links"), "surveys", HR),
    NavItem(N_("Themes"), "themes", HR),
    NavItem(N_("Extra questions"), "questions", HR),
    NavItem(N_("Theme radar"), "radar", frozenset({Role.HR.value, Role.LEADERSHIP.value})),
    NavItem(N_("Actions"), "actions", frozenset({Role.HR.value, Role.LEADERSHIP.value})),
    NavItem(N_("Status"), "status", frozenset({Role.HR.value, Role.LEADERSHIP.value})),
    NavItem(N_("My actions"), "my_actions", frozenset({Role.OWNER.value})),
    NavItem(N_("Calendar"), "calendar", ALL_ROLES),
    NavItem(N_("People"), "people", HR),
    NavItem(N_("Invite"), "accounts.invite", HR),
    NavItem(N_("API tokens"), "accounts.api_tokens", HR),
    NavItem(N_("Webhooks"), "webhooks.index", HR),
    NavItem(N_("Deliveries"), "deliveries", HR),
    NavItem(N_("What we changed"), "changes", ALL_ROLES),
)


def navigation_for(user: User | None) -> list[NavItem]:
    """The navigation items `user` may open; none for a visitor who is not signed in."""
    if user is None:
        return []
    return [item for item in NAV_ITEMS if user.role in item.roles]
