"""What the reminder job hands to a channel (email or webhook), and what the channel answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Message:
    """One notification, already written in its recipient's language.

    `facts` are short label/value pairs (deadline, owner, status) that chat cards show as a list.
    """

    kind: str
    subject: str
    text: str
    html: str
    link: str | None = None
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SendResult:
    """How sending ended: `ok`, or the error of the last of `attempts` tries.

    `retryable`: the error may go away by itself (a server down or busy), so trying later may work;
    a refused address or a bad URL needs a person first.
    """

    ok: bool
    attempts: int
    error: str = ""
    retryable: bool = False
