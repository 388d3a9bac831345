"""Numbers read from URLs and forms: ids and page numbers, never trusted as they come."""

from __future__ import annotations

# The largest id the database columns hold (a 32-bit integer on PostgreSQL).
MAX_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """A database id from a form or the query string, or None when it cannot be one."""
    text = str(value).strip() if value is not None else ""
    # ASCII digits only: "²".isdigit() is true, but int("²") fails.
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def is_id(value: int) -> bool:
    """Whether a path's integer can be an id at all (larger ones overflow the database's columns)."""
    return 0 < value <= MAX_ID
