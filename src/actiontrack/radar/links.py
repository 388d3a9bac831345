"""Where a radar cell leads, for templates: the action form prefilled from it, the interviews behind it.

The status page links its recurring themes to the action form too, so these are not in pages.py
(only app.py imports a pages module)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

from actiontrack.radar.rules import Period

Paths = Callable[..., str]  # the app's route_reverse: a route name to its path


def _query(params: dict[str, Any]) -> str:
    """As urlencode(params) with plain names as keys, faster for a radar's hundreds of links (numbers
    need no quoting)."""
    return "&".join(f"{key}={value if isinstance(value, int) else quote_plus(str(value))}"
                    for key, value in params.items())


def action_link(*, paths: Paths, theme_id: int, by: str, group_id: int, period: Period,
                source: str = "exit") -> str | None:
    """The action form, prefilled from a recurring cell (the contract of /actions/new); none from both sources."""
    if source == "both":
        return None
    return paths("actions.new") + "?" + _query({
        "theme": theme_id, "scope": by, "group": group_id,
        "start": period.start.isoformat(), "end": period.end.isoformat(),
        **({"source": "stay"} if source == "stay" else {}),
    })


def interviews_link(*, paths: Paths, theme_id: int | None, by: str, group_id: int | None, period: Period,
                    source: str = "exit") -> str | None:
    """HR's way from a figure to the interviews behind it (exit or stay interviews; none from both)."""
    if source == "both":
        return None
    params: dict[str, Any] = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if theme_id is not None:
        params["theme"] = theme_id
    if group_id is not None:
        params[by] = group_id
    return paths("stay_interviews" if source == "stay" else "interviews") + "?" + _query(params)
