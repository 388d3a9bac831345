"""Requests checked before any handler sees them: path ids, query strings and bodies.

One place for what every route would otherwise have to remember (see params.py for the rules):
- an id in the path that no database column can hold (`/actions/99999999999999999999`) is a 404,
  as is a file path with a control character in it (`/static/app.css%00.txt`);
- control characters are taken out of query values and of every form and JSON string, so no
  NUL reaches PostgreSQL and no escape sequence reaches a page, a feed or a terminal (line
  breaks and tabs stay for multi-line fields; what is written on one line uses `params.one_line`);
- a query parameter given more than once where one value is expected is a 400 on the API; pages
  read its first value (`params.first_values`), whatever in the page reads it;
- a JSON body must be UTF-8, well-formed and at most `MAX_JSON_DEPTH` deep (400), the API takes
  JSON only, pages take form bodies only, and no route takes multipart bodies unless it declares
  them (415). Pages answer these refusals with the error page, the API and JSON clients with JSON
  (app.unreadable_request).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from urllib.parse import parse_qsl, urlencode

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, HTTPException, NotFoundException
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE, HTTP_415_UNSUPPORTED_MEDIA_TYPE
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from actiontrack.i18n import N_
from actiontrack.i18n import gettext as _
from actiontrack.params import clean_json, clean_text, first_values, has_control_characters, is_id, repeated

API_PREFIX = "/api/"
# Larger bodies are refused before they are read whole (Litestar's own limit is the same).
MAX_BODY = 10_000_000
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
NOT_UTF8 = N_("The body is not valid UTF-8.")
TOO_DEEP = N_("The JSON body is nested too deeply.")
NOT_JSON = N_("The body is not valid JSON.")
NO_UPLOADS = N_("This address takes no file uploads.")
JSON_ONLY = N_("Send the body as JSON (Content-Type: application/json).")
FORMS_ONLY = N_("This page does not accept data sent this way.")
GIVE_ONCE = N_("Give each of these parameters once: %(names)s.")
# What these checks answer, for the error page to show again in the reader's language.
MESSAGES = (NOT_UTF8, TOO_DEEP, NOT_JSON, NO_UPLOADS, JSON_ONLY, FORMS_ONLY)


def _media_type(scope: Scope) -> str:
    return (MutableScopeHeaders(scope).get("content-type") or "").split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _declares_multipart(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    data = handler.parsed_fn_signature.parameters.get("data") if handler is not None else None
    definition = getattr(data, "kwarg_definition", None) if data is not None else None
    return getattr(definition, "media_type", None) == RequestEncodingType.MULTI_PART


def check_path(scope: Scope) -> None:
    """404 for a path id out of the database's range or a file path with control characters.

    Text parameters are tokens that routes only hash and compare: they answer unknown ones themselves.
    """
    handler = scope.get("route_handler")
    declared = handler.parsed_fn_signature.parameters if handler is not None else {}
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, int) and not isinstance(value, bool) and not is_id(value):
            raise NotFoundException()
        is_file = name in declared and declared[name].annotation in (PurePath, Path)
        if is_file and has_control_characters(str(value)):
            raise NotFoundException()


def single_values(scope: Scope) -> None:
    """A parameter given twice where one value is expected: 400 on the API, the first value on pages."""
    encoded = scope.get("query_string", b"")
    if b"&" not in encoded:
        return
    pairs = parse_qsl(encoded.decode("latin-1"), keep_blank_values=True)
    if not (twice := repeated(pairs)):
        return
    if scope["path"].startswith(API_PREFIX):
        raise ClientException(_(GIVE_ONCE) % {"names": ", ".join(twice)})
    scope["query_string"] = urlencode(first_values(pairs)).encode()


def cleaned_pairs(encoded: bytes) -> bytes | None:
    """A query string or URL-encoded body without control characters in it, or None when it has none."""
    pairs = parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, errors="replace")
    if not any(has_control_characters(key) or has_control_characters(value) for key, value in pairs):
        return None
    return urlencode([(clean_text(key), clean_text(value)) for key, value in pairs]).encode()


def _no_constant(name: str) -> None:
    # Python reads NaN and Infinity; JSON has no such numbers.
    raise ValueError(name)


def cleaned_json(body: bytes) -> bytes | None:
    """A JSON body with every string cleaned (None when nothing changed); 400 when it is not acceptable JSON."""
    if not body.strip():
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ClientException(_(NOT_UTF8)) from None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ClientException(_(TOO_DEEP)) from None
    except ValueError:
        raise ClientException(_(NOT_JSON)) from None
    try:
        cleaned = clean_json(document)
    except ValueError:
        raise ClientException(_(TOO_DEEP)) from None
    if cleaned == document:
        return None
    return json.dumps(cleaned, ensure_ascii=False).encode()


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise HTTPException(status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class RequestChecks:
    """Litestar middleware applying the checks above to every route (after routing, before CSRF)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        check_path(scope)
        single_values(scope)
        if (query := cleaned_pairs(scope.get("query_string", b""))) is not None:
            scope["query_string"] = query
        if scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        media_type = _media_type(scope)
        if media_type == "multipart/form-data" and not _declares_multipart(scope):
            raise HTTPException(status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                                detail=_(NO_UPLOADS))
        if scope["path"].startswith(API_PREFIX) and not _is_json(media_type):
            raise HTTPException(status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                                detail=_(JSON_ONLY))
        # Pages take what their forms send (a POST without a body, such as a button, has no media type).
        if (not scope["path"].startswith(API_PREFIX) and media_type
                and media_type not in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART)):
            raise HTTPException(status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail=_(FORMS_ONLY))
        if media_type != RequestEncodingType.URL_ENCODED and not _is_json(media_type):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        cleaned = cleaned_json(body) if _is_json(media_type) else cleaned_pairs(body)
        if cleaned is not None:
            body = cleaned
            headers = MutableScopeHeaders(scope)
            headers["content-length"] = str(len(body))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
