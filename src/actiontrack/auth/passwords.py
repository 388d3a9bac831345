"""Passwords: what a new one must be, and how they are hashed and checked (argon2, a few at a time).

A new password must be long enough, not blank, and not one of the passwords everyone tries first.
The common passwords are zxcvbn's list of the 30,000 most frequent passwords from public leaks: a
maintained list, not one typed here. Signing in never applies these rules, only choosing a password
does (an invitation, a reset, a change, `actiontrack user add`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar.datastructures import State

from actiontrack.i18n import gettext as _
from actiontrack.settings import Settings

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# "monkey2024!!" is "monkey" with the digits and signs people add to pass a length rule.
_ADDED_TAIL = "0123456789!?.,-_*#@$%&+=~ "


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Whether the password, or it without trailing digits and signs, is a known common password."""
    lowered = password.lower()
    stem = lowered.rstrip(_ADDED_TAIL)
    common = common_passwords()
    return lowered in common or (len(stem) >= 4 and stem in common)


def password_problem(password: str) -> str | None:
    """Why this cannot be a new password (translated), or None when it can."""
    if not password.strip():
        return _("Enter a password that is not only spaces.")
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(min)d characters.") % {"min": MIN_PASSWORD_LENGTH}
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Use at most %(max)d characters.") % {"max": MAX_PASSWORD_LENGTH}
    if is_common(password):
        return _("This password is one of the most common ones: choose another.")
    return None


@dataclass
class PasswordForm:
    password: str = ""
    confirm: str = ""


def new_password_errors(password: str, confirm: str) -> dict[str, str]:
    """The errors of a new password typed twice (empty when it may be used)."""
    if problem := password_problem(password):
        return {"password": problem}
    if password != confirm:
        return {"confirm": _("The two passwords differ.")}
    return {}


# --- hashing ----------------------------------------------------------------------------------


PASSWORD_HASHERS = {
    # argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice): 64 MiB, 3 passes, 4 lanes.
    "standard": PasswordHasher(),
    # The test suite's: the same algorithm at its smallest cost, so thousands of sign-ins take
    # milliseconds. Never for real passwords (ACTIONTRACK_PASSWORD_HASH_COST).
    "test": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_hasher = PASSWORD_HASHERS["standard"]
# Verified when the email is unknown, so a wrong email costs as much time as a wrong password.
_DUMMY_HASHES = {cost: hasher.hash("actiontrack-timing-equaliser") for cost, hasher in PASSWORD_HASHERS.items()}
_DUMMY_HASH = _DUMMY_HASHES["standard"]


def use_password_hash_cost(cost: str) -> None:
    """Hash new passwords (and rehash weaker ones at sign-in) with this cost; the app sets it from its settings."""
    global _hasher, _DUMMY_HASH
    _hasher, _DUMMY_HASH = PASSWORD_HASHERS[cost], _DUMMY_HASHES[cost]


def hash_password(password: str) -> str:
    """The argon2 hash of a password, at the cost in use."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash; with no hash, as slow as a wrong password and False."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# --- hashing under load -----------------------------------------------------------------------


class PasswordChecksBusy(Exception):
    """Every argon2 slot of this worker stayed busy for the whole wait."""


async def run_argon2(state: State, function: Callable[..., Any], *args: Any) -> Any:
    """Run a password hash or check in a thread, at most `password_checks_at_once` per worker.

    Each check takes about 64 MiB for a moment: without a bound, a flood of sign-ins takes the
    worker's memory and everyone's pages with it. Extra attempts wait briefly, then give up.
    """
    settings: Settings = state.settings
    limiter: anyio.CapacityLimiter | None = state.get("password_checks")
    if limiter is None:  # made on first use: a limiter belongs to the worker's event loop
        limiter = state.password_checks = anyio.CapacityLimiter(settings.password_checks_at_once)
    try:
        with anyio.fail_after(settings.password_check_wait_seconds):
            await limiter.acquire()
    except TimeoutError:
        raise PasswordChecksBusy from None
    try:
        return await anyio.to_thread.run_sync(function, *args)
    finally:
        limiter.release()


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made at another cost than the one in use, so sign-in should hash again."""
    return _hasher.check_needs_rehash(password_hash)


def password_sign_in_off_message(settings: Settings) -> str:
    """What the password forms say when sign-in goes through single sign-on only."""
    return _("Passwords are not used here: sign in with %(provider)s.") % {"provider": settings.oidc_provider_name}


def busy_message() -> str:
    """What a password form says when every argon2 slot stayed busy (PasswordChecksBusy)."""
    return _("Too many people are signing in at this moment. Try again in a few seconds.")
