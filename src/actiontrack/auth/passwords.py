"""Passwords: what a new one must be, and how they are hashed and checked (argon2, a few at a time).

A new password must be long enough, not blank, not one of the passwords everyone tries first, and
hard to guess by zxcvbn's estimate (score 3 of 4, with the person's own name and email as words an
attacker would try first). The common passwords are zxcvbn's list of the 30,000 most frequent
passwords from public leaks: a maintained list, not one typed here. Signing in never applies these rules, only
choosing a password does (an invitation, a reset, a change, `actiontrack user add`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from actiontrack.i18n import N_
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


# zxcvbn's score, 0 to 4: 3 is "safely unguessable" (about 10^8 guesses or more).
MIN_STRENGTH = 3
# zxcvbn takes time that grows faster than a password's length: longer ones are judged by their start.
STRENGTH_CHECKED_LENGTH = 100
GENERIC_WEAKNESS = N_("This password is too easy to guess: use a few unrelated words, or make it longer.")
PERSONAL = N_("A password made of your name or email address is easy to guess.")
# zxcvbn's feedback warnings (English, its own words) and ours in their place, in three languages.
WEAKNESSES = {
    "Straight rows of keys are easy to guess.": N_("Keyboard patterns such as “qwerty” are easy to guess."),
    "Short keyboard patterns are easy to guess.": N_("Keyboard patterns such as “qwerty” are easy to guess."),
    'Repeats like "aaa" are easy to guess.':
        N_("Repeated characters or words, such as “aaaa” or “abcabc”, are easy to guess."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        N_("Repeated characters or words, such as “aaaa” or “abcabc”, are easy to guess."),
    'Sequences like "abc" or "6543" are easy to guess.': N_("Sequences such as “abcd” or “6543” are easy to guess."),
    "Recent years are easy to guess.": N_("Dates and years are easy to guess."),
    "Dates are often easy to guess.": N_("Dates and years are easy to guess."),
    "This is a top-10 common password.": N_("This password is one of the most common ones: choose another."),
    "This is a top-100 common password.": N_("This password is one of the most common ones: choose another."),
    "This is a very common password.": N_("This password is one of the most common ones: choose another."),
    "This is similar to a commonly used password.": N_("This password is close to a common one: choose another."),
    "A word by itself is easy to guess.": N_("A single word is easy to guess: add a few more."),
    "Names and surnames by themselves are easy to guess.": N_("Names are easy to guess: add a few more words."),
    "Common names and surnames are easy to guess.": N_("Names are easy to guess: add a few more words."),
}


def weakness(password: str, *, user_inputs: Sequence[str] = ()) -> str | None:
    """Why zxcvbn finds this password guessable (translated), or None when it scores 3 or more."""
    from zxcvbn import zxcvbn

    # zxcvbn matches each input whole: "Anna Peeters" and its words, the email and the parts of it.
    words = [part for value in user_inputs for part in [value, *re.split(r"[\W_]+", value)] if len(part) >= 3]
    checked = password[:STRENGTH_CHECKED_LENGTH]
    # zxcvbn counts the dot of "anna.peeters" as a guess of its own: a name with signs between is still a name.
    rest = checked.lower()
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word.lower(), "")
    if words and sum(char.isalnum() for char in rest) < 4:
        return _(PERSONAL)
    found = zxcvbn(checked, user_inputs=words)
    if found["score"] >= MIN_STRENGTH:
        return None
    if any(match.get("dictionary_name") == "user_inputs" for match in found["sequence"]):
        return _(PERSONAL)
    return _(WEAKNESSES.get(found["feedback"]["warning"], GENERIC_WEAKNESS))


def password_problem(password: str, *, user_inputs: Sequence[str] = ()) -> str | None:
    """Why this cannot be a new password (translated), or None when it can.

    `user_inputs`: the person's name and email, which make a password easy to guess for anyone who knows them.
    """
    if not password.strip():
        return _("Enter a password that is not only spaces.")
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(min)d characters.") % {"min": MIN_PASSWORD_LENGTH}
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Use at most %(max)d characters.") % {"max": MAX_PASSWORD_LENGTH}
    if is_common(password):
        return _("This password is one of the most common ones: choose another.")
    return weakness(password, user_inputs=user_inputs)


@dataclass
class PasswordForm:
    password: str = ""
    confirm: str = ""


def new_password_errors(password: str, confirm: str, *, user_inputs: Sequence[str] = ()) -> dict[str, str]:
    """The errors of a new password typed twice (empty when it may be used)."""
    if problem := password_problem(password, user_inputs=user_inputs):
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


@dataclass(frozen=True)
class PasswordChecks:
    """The worker's argon2 slots (`password_checks_at_once`) and how long an attempt waits for one."""

    limiter: anyio.CapacityLimiter
    wait_seconds: float


async def run_argon2(checks: PasswordChecks, function: Callable[..., Any], *args: Any) -> Any:
    """Run a password hash or check in a thread, at most `password_checks_at_once` per worker.

    Each check takes about 64 MiB for a moment: without a bound, a flood of sign-ins takes the
    worker's memory and everyone's pages with it. Extra attempts wait briefly, then give up.
    """
    limiter = checks.limiter
    try:
        with anyio.fail_after(checks.wait_seconds):
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
