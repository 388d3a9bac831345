"""Retention and erasure of exit interviews: when a leaver's words and answers go, and how they go for good.

Rules (pure, on dates): free-text answers are erased `retention_free_text_months` after the exit
date, the whole interview `retention_interview_months` after it; 0 keeps for ever. `erase_on` says
the day for one interview (the interview page and the export show it); `last_exit_date_due` is its
SQL twin, the latest exit date already due on a day (`exit_date <= it` in a WHERE).

Erasure: deleting an interview (by HR or by retention) deletes its theme tags and empties the
changes of its earlier audit entries, so the trail keeps only "interview N recorded, edited,
deleted by X, when". Released reporting periods (reporting_period, released_group,
released_theme) hold aggregates only and are never touched.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit
from actiontrack.db import checkpoint, make_engine, make_sessionmaker
from actiontrack.models import AuditEvent, ExitInterview, InterviewTheme
from actiontrack.settings import Settings

# The answers in the leaver's (or the interviewer's) own words: the first thing retention erases.
FREE_TEXTS = ("reason_for_leaving", "improvement_suggestion", "notes")
ENTITY = "exit_interview"


# --- rules ------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def erase_on(exit_date: date, months: int) -> date | None:
    """The day something kept `months` after an exit date is erased; None when kept for ever (0)."""
    return add_months(exit_date, months) if months else None


def last_exit_date_due(today: date, months: int) -> date | None:
    """The latest exit date whose erase_on(exit_date, months) has come by `today`; None for 0 months.

    erase_on never decreases with the exit date, so "due" is exactly `exit_date <= this`.
    """
    if not months:
        return None
    earlier = add_months(today, -months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        # On a month's last day, every day of the earlier month has come (31 Jan + 1 month = 28 Feb).
        return earlier.replace(day=calendar.monthrange(earlier.year, earlier.month)[1])
    return earlier


@dataclass(frozen=True)
class Retention:
    """When one interview's free text and the interview itself are erased (None: kept for ever)."""

    free_text_on: date | None
    interview_on: date | None


def retention_of(exit_date: date, *, settings: Settings) -> Retention:
    return Retention(erase_on(exit_date, settings.retention_free_text_months),
                     erase_on(exit_date, settings.retention_interview_months))


# --- erasure ----------------------------------------------------------------------------------


async def erase_interviews(session: AsyncSession, *, condition: object) -> int:
    """Delete the interviews matching `condition`, their tags, and the answers in their audit entries."""
    ids = select(ExitInterview.id).where(condition).scalar_subquery()
    await session.execute(
        update(AuditEvent).where(AuditEvent.entity == ENTITY, AuditEvent.entity_id.in_(ids))
        .values(changes={}).execution_options(synchronize_session=False)
    )
    await session.execute(delete(InterviewTheme).where(InterviewTheme.interview_id.in_(ids))
                          .execution_options(synchronize_session=False))
    result = await session.execute(delete(ExitInterview).where(condition)
                                   .execution_options(synchronize_session=False))
    return result.rowcount


def _has_free_text() -> object:
    return or_(*(getattr(ExitInterview, name) != "" for name in FREE_TEXTS))


# --- the job ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionReport:
    free_text_before: date | None
    interviews_before: date | None
    free_text_emptied: int
    interviews_deleted: int
    dry_run: bool

    def lines(self) -> list[str]:
        """What the run did (or would do), in counts only: never an answer."""
        verb = "would be" if self.dry_run else "were"
        if self.interviews_before is None:
            whole = "interviews: kept for ever (ACTIONTRACK_RETENTION_INTERVIEW_MONTHS=0)"
        else:
            whole = (f"interviews: {self.interviews_deleted} with an exit date on or before "
                     f"{self.interviews_before.isoformat()} {verb} deleted (released figures stay)")
        if self.free_text_before is None:
            text = "free text: kept as long as the interview (ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS=0)"
        else:
            text = (f"free text: {self.free_text_emptied} interviews with an exit date on or before "
                    f"{self.free_text_before.isoformat()} {verb} emptied")
        return [whole, text]


async def apply_retention(session: AsyncSession, *, settings: Settings, today: date, dry_run: bool) -> RetentionReport:
    """Delete the interviews due, then empty the free text due, in the session's transaction; audited once."""
    interviews_before = last_exit_date_due(today, settings.retention_interview_months)
    free_text_before = last_exit_date_due(today, settings.retention_free_text_months)
    deleted = emptied = 0
    if interviews_before is not None:
        due = ExitInterview.exit_date <= interviews_before
        if dry_run:
            deleted = await session.scalar(select(func.count()).select_from(ExitInterview).where(due)) or 0
        else:
            deleted = await erase_interviews(session, condition=due)
    if free_text_before is not None:
        due = (ExitInterview.exit_date <= free_text_before) & _has_free_text()
        if interviews_before is not None:
            due = due & (ExitInterview.exit_date > interviews_before)
        if dry_run:
            emptied = await session.scalar(select(func.count()).select_from(ExitInterview).where(due)) or 0
        else:
            result = await session.execute(update(ExitInterview).where(due).values({name: "" for name in FREE_TEXTS})
                                           .execution_options(synchronize_session=False))
            emptied = result.rowcount
    if not dry_run and (deleted or emptied):
        audit.record(session, actor=None, verb="retention", entity=ENTITY, entity_id=None, changes={
            "interviews_deleted": deleted, "free_text_emptied": emptied,
            "interviews_before": interviews_before, "free_text_before": free_text_before,
        })
    return RetentionReport(free_text_before, interviews_before, emptied, deleted, dry_run)


async def run_retention(*, settings: Settings, today: date, dry_run: bool) -> RetentionReport:
    """One run of `actiontrack retention`: one transaction, then the freed bytes cleared from SQLite's files."""
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            report = await apply_retention(session, settings=settings, today=today, dry_run=dry_run)
        if not dry_run and (report.interviews_deleted or report.free_text_emptied):
            await checkpoint(engine)
        return report
    finally:
        await engine.dispose()
