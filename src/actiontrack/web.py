"""What every page module shares: the template environment, role guards and common headers.

Page modules import these from here, never from `app` (which assembles them) or from each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import Litestar, Request
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from actiontrack import i18n, texts
from actiontrack.actions.rules import STATUS_COUNT_LABELS, STATUS_LABELS, is_overdue
from actiontrack.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from actiontrack.auth.roles import ROLE_LABELS, requires
from actiontrack.models import Role, column_limit
from actiontrack.navigation import navigation_for
from actiontrack.settings import Settings

hr_only = [requires(Role.HR)]
hr_and_leadership = [requires(Role.HR, Role.LEADERSHIP)]
NO_STORE = {"Cache-Control": "no-store"}
# One URL, two renderings (the page, or its partial for HTMX): caches must keep them apart.
HTMX_VARY = {"Vary": "HX-Request"}
# A handler's form, as browsers send it: `data: FormBody[ThemeForm]` (a dataclass, or `dict[str, Any]`).
_Form = TypeVar("_Form")
FormBody = Annotated[_Form, Body(media_type=RequestEncodingType.URL_ENCODED)]


def redirect_to(request: Request, route: str, *, query: str | Mapping[str, str] | Sequence[tuple[str, str]] = "",
                **path_params: object) -> Redirect:
    """A 303 See Other to the route named `route` (the path, as the browser already knows the host)."""
    if not isinstance(query, str):
        query = urlencode(query)
    path = request.app.route_reverse(route, **path_params)
    return Redirect(f"{path}?{query}" if query else path, status_code=303)


def template_environment(settings: Settings) -> Environment:
    env = Environment(
        loader=FileSystemLoader(settings.templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=i18n.format_date, month=i18n.format_month, number=i18n.format_number, share=i18n.format_share,
        points=i18n.format_points, language_name=i18n.language_label,
        # {{ _("Scope") | colon }}: "Scope:", "Portée :"; never "?:" after a question.
        colon=i18n.with_colon,
    )
    env.globals.update(
        current_language=i18n.current_language,
        colon_mark=i18n.colon_mark,
        # {{ lang_of(action.title_in()) }} inside a tag: lang="xx" when the text is in another language.
        lang_of=lambda text: texts.lang_attribute(text, i18n.current_language()),
        language_names=i18n.LANGUAGE_NAMES,
        navigation_for=navigation_for,
        role_labels=ROLE_LABELS,
        status_labels=STATUS_LABELS,
        status_count_labels=STATUS_COUNT_LABELS,
        is_overdue=is_overdue,
        # maxlength="{{ limit('ActionItem', 'title_nl') }}": the form allows what the column holds, no more.
        limit=column_limit,
        password_lengths={"min": MIN_PASSWORD_LENGTH, "max": MAX_PASSWORD_LENGTH},
        # How the sign-in page offers to sign in: single sign-on (by the provider's name), passwords, or both.
        sign_in_with=settings.oidc_provider_name if settings.single_sign_on else None,
        password_sign_in=settings.password_sign_in,
    )
    return env


def link_templates_to(app: Litestar, env: Environment) -> None:
    """`url_for(name, **path_params)` in templates, from `app`'s route table, with or without a request.

    Litestar's own `url_for` finds the app through the request in the context; this one needs none,
    so the pieces rendered once and cached (status figures, radar, changes) and the account emails
    build their links the same way as the pages. Static files too: `url_for("static", file_path=...)`
    (Litestar's `url_for_static_asset` is deprecated and does not know static files routers).
    """
    env.globals["url_for"] = app.route_reverse
