"""What a new password must be: long enough, not blank, and not one of the passwords everyone tries first.

The common passwords are zxcvbn's list of the 30,000 most frequent passwords from public leaks: a
maintained list, not one typed here. Signing in never applies these rules, only choosing a password
does (an invitation, a reset, a change, `actiontrack user add`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from actiontrack.i18n import gettext as _

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
