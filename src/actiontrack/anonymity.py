"""The anonymity threshold: figures about fewer leavers than this are never shown outside HR."""

from __future__ import annotations


def is_hidden(group_size: int, *, threshold: int) -> bool:
    """A group smaller than the threshold (but not empty) could point at a person."""
    return 0 < group_size < threshold
