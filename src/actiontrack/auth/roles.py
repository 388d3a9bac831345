"""The roles' names and the guards that let a role through."""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.models import Role

ROLE_LABELS = {Role.HR.value: N_("HR"), Role.LEADERSHIP.value: N_("Leadership"), Role.OWNER.value: N_("Action owner")}


def requires(*roles: Role) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """A guard letting signed-in users with one of these roles through."""
    allowed = {role.value for role in roles}

    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        user = connection.user
        if user is None:
            raise NotAuthorizedException(_("Please sign in."))
        if user.role not in allowed:
            raise PermissionDeniedException(_("Your role does not give access to this page."))

    return guard


signed_in = requires(Role.HR, Role.LEADERSHIP, Role.OWNER)
