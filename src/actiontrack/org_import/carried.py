"""The uploaded table, carried between the import's steps in one signed form field.

Organisation and people files are small, so the rows travel with the form instead of waiting in
server state: any worker can take the next step, and nothing is left behind when HR walks away.
The field is sealed (`actiontrack.sealed`: compressed JSON with an HMAC of a key derived for this purpose
alone); a changed or foreign field is refused, and so is one older than `MAX_AGE` (a preview left open
overnight).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from actiontrack import sealed
from actiontrack.settings import Settings

MAX_AGE = timedelta(hours=8)
PURPOSE = "organisation-import"


@dataclass(frozen=True)
class Carried:
    """What was uploaded: what the rows are, the file's name, its header row, the rows under it and their numbers."""

    kind: str
    filename: str
    headers: list[str]
    rows: list[list[str]]
    numbers: list[int]


def seal(settings: Settings, carried: Carried) -> str:
    """The form field that carries the table."""
    return sealed.seal(settings, PURPOSE, {"k": carried.kind, "f": carried.filename, "h": carried.headers,
                                           "r": carried.rows, "n": carried.numbers})


def unseal(settings: Settings, value: str, *, kinds: tuple[str, ...]) -> Carried | None:
    """The table a field carries, or None when it was changed, has expired or is of another kind."""
    document = sealed.unseal(settings, PURPOSE, value, max_age=MAX_AGE)
    if document is None or document["k"] not in kinds:
        return None
    return Carried(kind=document["k"], filename=document["f"], headers=document["h"], rows=document["r"],
                   numbers=document["n"])
