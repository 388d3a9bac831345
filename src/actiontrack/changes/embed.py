"""What lets a careers site on another origin show the changes: who may frame the embed, who may read the JSON feed,
and the few colours and the font it may give the embed.

Framing and reading follow ACTIONTRACK_EMBED_ORIGINS, exact origins only. Every other page keeps refusing to be
framed (serving.SECURITY_HEADERS); the embed's own Content-Security-Policy replaces the app's on that route.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from actiontrack.serving import SECURITY_HEADERS
from actiontrack.settings import Settings

# The app's page policy, but for frame-ancestors, which only the embed widens.
EMBED_POLICY = SECURITY_HEADERS["content-security-policy"].replace("frame-ancestors 'none'",
                                                                   "frame-ancestors {ancestors}")


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


# The embed's custom properties a careers site may set through the query string (static/embed.css has the defaults).
STYLE_COLOURS = {"text": "--changes-text", "muted": "--changes-muted", "background": "--changes-background",
                 "accent": "--changes-accent"}
_COLOUR = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Only fonts the visitor's device has (the embed loads nothing from elsewhere): a family name, a generic family last.
_FONT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{0,39}")
GENERIC_FONTS = ("system-ui", "sans-serif", "serif", "monospace")


@dataclass(frozen=True)
class EmbedStyle:
    """The custom properties a careers site chose: colours as #rrggbb, a font family; a value that is not one is
    ignored, as /changes ignores an odd filter, so a typo leaves the default rather than an error inside someone
    else's page."""

    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> EmbedStyle:
        values: list[tuple[str, str]] = []
        for name in STYLE_COLOURS:
            found = _COLOUR.fullmatch(query.get(name) or "")
            if found:
                values.append((name, "#" + found.group(1).lower()))
        font = (query.get("font") or "").strip()
        if font in GENERIC_FONTS or _FONT_NAME.fullmatch(font):
            values.append(("font", font))
        return cls(tuple(values))

    def query_string(self) -> str:
        return urlencode(self.values)

    def css(self) -> str:
        """The chosen values as custom properties on :root, after static/embed.css's defaults."""
        lines = []
        for name, value in self.values:
            if name == "font":
                family = value if value in GENERIC_FONTS else f'"{value}", system-ui, sans-serif'
                lines.append(f"  --changes-font: {family};")
            else:
                lines.append(f"  {STYLE_COLOURS[name]}: {value};")
        return ":root {\n" + "\n".join(lines) + "\n}\n"
