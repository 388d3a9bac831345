"""The uploaded table, carried between the import's steps in one signed form field.

Organisation and people files are small, so the rows travel with the form instead of waiting in
server state: any worker can take the next step, and nothing is left behind when HR walks away.
The field is compressed JSON with an HMAC of a key derived for this purpose alone; a changed or
foreign field is refused, and so is one older than `MAX_AGE` (a preview left open overnight).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass
from datetime import timedelta

from actiontrack.clock import utcnow
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


def _signature(settings: Settings, payload: bytes) -> str:
    digest = hmac.new(settings.derived_key(PURPOSE), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def seal(settings: Settings, carried: Carried) -> str:
    """The form field that carries the table."""
    document = {"k": carried.kind, "f": carried.filename, "h": carried.headers, "r": carried.rows, "n": carried.numbers,
                "t": int(utcnow().timestamp())}
    payload = base64.urlsafe_b64encode(zlib.compress(json.dumps(document, ensure_ascii=False).encode(), 6))
    return payload.decode() + "." + _signature(settings, payload)


def unseal(settings: Settings, value: str, *, kinds: tuple[str, ...]) -> Carried | None:
    """The table a field carries, or None when it was changed, has expired or is of another kind."""
    payload, _, signature = value.strip().partition(".")
    if not payload or not hmac.compare_digest(signature.encode(), _signature(settings, payload.encode()).encode()):
        return None
    document = json.loads(zlib.decompress(base64.urlsafe_b64decode(payload.encode())))
    if document["k"] not in kinds or utcnow().timestamp() - document["t"] > MAX_AGE.total_seconds():
        return None
    return Carried(kind=document["k"], filename=document["f"], headers=document["h"], rows=document["r"],
                   numbers=document["n"])
