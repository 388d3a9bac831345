"""What lets a careers site on another origin show the changes: who may frame the embed, who may read the JSON feed.

Both follow ACTIONTRACK_EMBED_ORIGINS, exact origins only. Every other page keeps refusing to be
framed (app.py's headers); the embed's own Content-Security-Policy replaces the app's on that route.
"""

from __future__ import annotations

from actiontrack.settings import Settings

# The app's page policy (app.py), but for frame-ancestors, which only the embed widens.
EMBED_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors {ancestors}; form-action 'self'"


def framing_headers(settings: Settings) -> dict[str, str]:
    """The embed's framing rules: the listed origins may frame it; with none listed, nobody may."""
    origins = settings.embed_origin_list
    if not origins:
        return {"Content-Security-Policy": EMBED_POLICY.format(ancestors="'none'"), "X-Frame-Options": "DENY"}
    # No X-Frame-Options: it cannot name an origin, and DENY would win over frame-ancestors in older browsers.
    return {"Content-Security-Policy": EMBED_POLICY.format(ancestors=" ".join(origins))}


def cors_headers(origin: str | None, settings: Settings) -> dict[str, str]:
    """Access-Control-Allow-Origin for a listed origin only (echoed, never "*": a list is not expressible)."""
    if origin is not None and origin in settings.embed_origin_list:
        return {"Access-Control-Allow-Origin": origin}
    return {}
