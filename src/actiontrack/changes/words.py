"""How a public change reads: its status, scope, evidence and effect in plain words, never a hidden figure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from actiontrack.disclosure import Disclosed, Disclosure, evidence_cell
from actiontrack.disclosure.effects import Effect, Verdict
from actiontrack.i18n import format_month
from actiontrack.i18n import gettext as _
from actiontrack.models import ActionStatus, Scope


def status_words(*, status: str, completed_on: date | None) -> str:
    """The status as staff would say it: planned, under way, delayed, done in March 2026."""
    if status == ActionStatus.DONE:
        return _("Done in %(month)s") % {"month": format_month(completed_on)} if completed_on else _("Done")
    if status == ActionStatus.PLANNED:
        return _("Planned")
    if status == ActionStatus.BLOCKED:
        # Staff read that the work stands still, not that it goes on ("under way") nor why (HR's business).
        return _("Delayed. The work is held up for now.")
    return _("Under way")


def scope_words(*, scope: str, department: str | None, job_family: str | None) -> str:
    """Whom the change concerns: its department or job family by name, else the whole company."""
    if scope == Scope.DEPARTMENT and department:
        return department
    if scope == Scope.JOB_FAMILY and job_family:
        return job_family
    return _("Company-wide")


def group_words(*, scope: str, department: str | None, job_family: str | None) -> str:
    """Whose leavers, after the word "leavers": "from the Retail department", "across the company".

    Each language writes a group's name with its own words around it (French: "du service Magasins").
    """
    if scope == Scope.DEPARTMENT and department:
        return _("from the %(group)s department") % {"group": department}
    if scope == Scope.JOB_FAMILY and job_family:
        return _("in the %(group)s job family") % {"group": job_family}
    return _("across the company")


def evidence_words(*, released: Sequence[Disclosed], evidence: tuple[Any, ...] | None, group: str,
                   disclosure: Disclosure) -> str | None:
    """Why the action exists, from the released period's figures as the theme radar shows them: a count
    only when it is shown there and at least the anonymity threshold, never a figure of a hidden group."""
    if evidence is None or evidence[0] is None:
        return None
    theme_id, period_end, scope, department_id, job_family_id, source = evidence
    period, raised, _leavers, hidden = evidence_cell([item.of_source(source or "exit") for item in released],
                                                     period_end=period_end, scope=scope,
                                                     department_id=department_id, job_family_id=job_family_id,
                                                     theme_id=theme_id)
    if period is None or hidden or not disclosure.reaches(raised):
        return _("Raised by several colleagues")
    if source == "stay":
        return _("Raised by %(count)s colleagues %(group)s in stay interviews in %(period)s") % {
            "count": raised, "group": group, "period": period.span.label}
    return _("Raised by %(count)s leavers %(group)s in %(period)s") % {
        "count": raised, "group": group, "period": period.span.label,
    }


def effect_words(effect: Effect | None, *, group: str, disclosure: Disclosure) -> str | None:
    """Whether a done action worked, in words staff may read: only a measured verdict whose two sides
    (pooled from shown figures) both reach the anonymity threshold, and never a figure."""
    if effect is None or not effect.by_leavers_themes or effect.before is None or effect.after is None:
        return None
    if not (disclosure.reaches(effect.before.leavers) and disclosure.reaches(effect.after.leavers)):
        return None
    if effect.verdict in {Verdict.TARGET_MET, Verdict.IMPROVING}:
        words = _("Since then, fewer leavers %(group)s name this.")
    elif effect.verdict == Verdict.WORSE:
        words = _("Since then, more leavers %(group)s name this; the work goes on.")
    else:
        words = _("Since then, leavers %(group)s name this about as often as before.")
    words = words % {"group": group}
    if effect.verdict != Verdict.NO_CHANGE and effect.uncertain:
        words += " " + _("The numbers are still small, so this may be chance.")
    return words

