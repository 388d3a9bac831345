"""The routes of /changes, its feeds (Atom, JSON) and its embed: check access, answer 304 or from the memo,
else read and render."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromQuery
from litestar.response import Template
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.caching import Memo
from actiontrack.changes.cache import (
    VALIDATOR_ROW,
    SharedValidatorQuery,
    Validator,
    caching_headers,
    is_fresh,
    validator,
)
from actiontrack.changes.embed import EmbedStyle, cors_headers, framing_headers
from actiontrack.changes.feed import atom_feed, json_feed
from actiontrack.changes.queries import FEED_ENTRIES, filter_choices, public_changes, read_filters
from actiontrack.disclosure import Disclosure
from actiontrack.i18n import current_language
from actiontrack.i18n import gettext as _
from actiontrack.models import User
from actiontrack.params import parse_id
from actiontrack.settings import Settings


def check_access(request: Request, settings: Settings) -> None:
    """Everyone may read /changes, unless the organisation keeps it for signed-in staff."""
    if settings.changes_access == "signed_in" and request.user is None:
        raise NotAuthorizedException(_("Please sign in."))


async def _prepare(
    request: Request, settings: Settings, changes_validator: SharedValidatorQuery, *, kind: str, theme: str | None,
    department: str | None,
) -> tuple[Validator, Response | None]:
    """The validators of this answer, and the 304 to send if the reader's copy is still current."""
    check_access(request, settings)
    user: User | None = request.user
    key = f"{kind}|{current_language()}|{theme}|{department}|{bool(request.htmx)}|{user.id if user else '-'}"
    row = request.scope.get(VALIDATOR_ROW) or await changes_validator.row()
    found = validator(row, key=key)
    if is_fresh(request, found):
        return found, Response(b"", status_code=304, headers=caching_headers(found))
    return found, None


FEEDS = {"feed": (atom_feed, "changes.feed"), "json": (json_feed, "changes.json")}


async def rendered(request: Request, db: AsyncSession, settings: Settings, memo: Memo, disclosure: Disclosure,
                   *, found: Validator, kind: str, theme: str | None, department: str | None,
                   page: int = 1) -> str | bytes:
    """The page content, the HTMX list, the embed or a feed: from the worker's memo while the data is unchanged.

    Only what is identical for every visitor is kept: the shell around the content (the CSRF token, the
    signed-in user's navigation and name, the language switcher) is rendered for each request from
    base.html, which costs no query, so a person is never served someone else's token or menu."""
    language = current_language()
    base = str(request.base_url).rstrip("/")
    # The feeds hold absolute links, hence the base URL in their key.
    key = (kind, language, theme or "", department or "", str(page), settings.changes_access,
           base if kind in FEEDS else "")
    body: str | bytes | None = memo.get("changes", found.version, key)
    if body is not None:
        return body
    themes, departments = await filter_choices(db)
    filters = read_filters(theme=theme, department=department, themes=themes)
    released = await disclosure.released(db)
    listing = await public_changes(db, filters=filters, language=language, released=released,
                                   disclosure=disclosure, min_leavers=settings.effect_min_leavers,
                                   delay_days=settings.release_delay_days, page=page,
                                   newest=FEED_ENTRIES if kind in FEEDS else None)
    if kind in FEEDS:
        write, route = FEEDS[kind]
        body = write(changes=listing.changes, feed_url=base + request.app.route_reverse(route),
                     page_url=base + request.app.route_reverse("changes"), language=language, filters=filters)
    else:
        context = {"groups": listing.groups, "count": listing.count, "themes": themes, "departments": departments,
                   "filters": filters, "language": language, "page": listing.page, "pages": listing.pages,
                   "page_query": lambda page: filters.query_string(lang=language, page=str(page))}
        body = request.app.template_engine.engine.get_template(f"changes/{kind}.html").render(context)
    memo.put("changes", found.version, key, body)
    return body



@get("/changes", name="changes")
async def changes_page(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    memo: NamedDependency[Memo], changes_validator: NamedDependency[SharedValidatorQuery],
    disclosure: NamedDependency[Disclosure],
    theme: FromQuery[str | None] = None, department: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template | Response:
    """The page of changes, or its list alone for HTMX."""
    number = parse_id(page) or 1
    found, not_modified = await _prepare(request, settings, changes_validator, kind=f"page {number}", theme=theme,
                                         department=department)
    if not_modified is not None:
        return not_modified
    if request.htmx:
        body = await rendered(request, db, settings, memo, disclosure, found=found, kind="_list", theme=theme,
                              department=department,
                              page=number)
        return Response(body, media_type="text/html; charset=utf-8", headers=caching_headers(found))
    content = await rendered(request, db, settings, memo, disclosure, found=found, kind="_content",
                             theme=theme,
                             department=department, page=number)
    # Markup: the content was rendered (and escaped) by our own templates, above.
    return Template("changes/index.html", context={"content": Markup(content)}, headers=caching_headers(found))


@get("/changes.atom", name="changes.feed")
async def changes_feed(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    memo: NamedDependency[Memo], changes_validator: NamedDependency[SharedValidatorQuery],
    disclosure: NamedDependency[Disclosure],
    theme: FromQuery[str | None] = None, department: FromQuery[str | None] = None,
) -> Response:
    """The Atom feed of the newest changes matching the filters."""
    found, not_modified = await _prepare(request, settings, changes_validator, kind="feed", theme=theme,
                                         department=department)
    if not_modified is not None:
        return not_modified
    body = await rendered(request, db, settings, memo, disclosure, found=found, kind="feed", theme=theme,
                          department=department)
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=caching_headers(found))



def check_public(settings: Settings) -> None:
    """The embed and the JSON feed exist for readers outside: when /changes is for signed-in staff only,
    they are not there at all (404), for anyone, since a careers site can never sign in."""
    if settings.changes_access != "public":
        raise NotFoundException()


# No CSRF cookie: the embed and the JSON feed set no cookie and read none but the language one.
# Its own CSP and framing headers are set per answer (changes/embed.py); serving.RequestLog then leaves out
# the app's X-Frame-Options: DENY, which would refuse every frame, listed origins too.
@get("/changes/embed", name="changes.embed", opt={"exclude_from_csrf": True})
async def changes_embed(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    memo: NamedDependency[Memo], changes_validator: NamedDependency[SharedValidatorQuery],
    disclosure: NamedDependency[Disclosure],
    theme: FromQuery[str | None] = None, department: FromQuery[str | None] = None,
) -> Template | Response:
    """The newest changes, as on /changes, for a careers site to frame: no navigation, its links open /changes.

    ?text=, ?muted=, ?background=, ?accent= (colours) and ?font= restyle it (changes/embed.py, EmbedStyle).
    """
    check_public(settings)
    style = EmbedStyle.from_query(request.query_params)
    found, not_modified = await _prepare(request, settings, changes_validator, kind=f"embed {style.query_string()}",
                                         theme=theme,
                                         department=department)
    headers = {**caching_headers(found), **framing_headers(settings)}
    if not_modified is not None:
        not_modified.headers.update(headers)
        return not_modified
    content = await rendered(request, db, settings, memo, disclosure, found=found, kind="_embed", theme=theme,
                             department=department)
    # Markup: the content was rendered (and escaped) by our own templates, above.
    return Template("changes/embed.html", context={"content": Markup(content), "style": style.query_string()},
                    headers=headers)


@get("/changes/embed.css", name="changes.embed_style", opt={"exclude_from_csrf": True})
async def changes_embed_style(request: Request) -> Response:
    """The colours and font a careers site chose for the embed, as custom properties (no data: the same for all)."""
    css = EmbedStyle.from_query(request.query_params).css()
    return Response(css, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=86400"})


@get("/changes.json", name="changes.json", opt={"exclude_from_csrf": True})
async def changes_json(
    request: Request, db: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
    memo: NamedDependency[Memo], changes_validator: NamedDependency[SharedValidatorQuery],
    disclosure: NamedDependency[Disclosure],
    theme: FromQuery[str | None] = None, department: FromQuery[str | None] = None,
) -> Response:
    """The Atom feed's entries as JSON Feed 1.1, readable by the pages of the listed origins (CORS)."""
    check_public(settings)
    found, not_modified = await _prepare(request, settings, changes_validator, kind="json", theme=theme,
                                         department=department)
    headers = caching_headers(found)
    headers = {**headers, "Vary": f"{headers['Vary']}, Origin", **cors_headers(request.headers.get("origin"), settings)}
    if not_modified is not None:
        not_modified.headers.update(headers)
        return not_modified
    body = await rendered(request, db, settings, memo, disclosure, found=found, kind="json", theme=theme,
                          department=department)
    return Response(body, media_type="application/feed+json; charset=utf-8", headers=headers)


routes = [changes_page, changes_feed, changes_embed, changes_embed_style, changes_json]
