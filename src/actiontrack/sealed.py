"""A JSON document carried by the browser in one form field, so that no server state waits for the next step.

The field is compressed JSON with its time of sealing and an HMAC of a key derived for one purpose
alone: a changed field, one sealed for another purpose, or one older than its `max_age` is refused.
Signed, not encrypted: it carries only what the page that holds it already shows its user.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from datetime import timedelta
from typing import Any

from actiontrack.clock import utcnow
from actiontrack.settings import Settings


def _signature(settings: Settings, purpose: str, payload: bytes) -> str:
    digest = hmac.new(settings.derived_key(purpose), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def seal(settings: Settings, purpose: str, document: Any) -> str:
    """The form field that carries `document` (anything JSON can write)."""
    stamped = {"d": document, "t": int(utcnow().timestamp())}
    payload = base64.urlsafe_b64encode(zlib.compress(json.dumps(stamped, ensure_ascii=False).encode(), 6))
    return payload.decode() + "." + _signature(settings, purpose, payload)


def unseal(settings: Settings, purpose: str, value: str, *, max_age: timedelta) -> Any | None:
    """The document a field carries, or None when it was changed, is another purpose's or has expired."""
    payload, _, signature = value.strip().partition(".")
    if not payload or not hmac.compare_digest(signature.encode(),
                                              _signature(settings, purpose, payload.encode()).encode()):
        return None
    try:
        stamped = json.loads(zlib.decompress(base64.urlsafe_b64decode(payload.encode())))
    except (binascii.Error, zlib.error, ValueError):  # signed by us, so only a change of format gets here
        return None
    if utcnow().timestamp() - stamped["t"] > max_age.total_seconds():
        return None
    return stamped["d"]
