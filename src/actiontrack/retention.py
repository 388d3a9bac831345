"""Retention and erasure of exit and stay interviews: when people's words and answers go, and how they go for good.

Rules (pure, on dates): free-text answers are erased `retention_free_text_months` after the exit
date (for a stay interview: the day it was held), the whole interview `retention_interview_months`
after it; 0 keeps for ever. `erase_on` says the day for one interview (the interview page and the
export show it); `last_exit_date_due` is its SQL twin, the latest date already due on a day
(`exit_date <= it` in a WHERE).

Free-text answers to HR's extra questions (question_answer.text, stay_question_answer.text) go with the free text of
their exit or stay interview, and count as its words: the audit entry of a run counts the interviews emptied
and, among their words, the answers emptied.

Erasure: deleting an interview (by HR or by retention) deletes its theme tags, its answers to extra questions, and
empties the changes of its earlier audit entries, so the trail keeps only "interview N recorded, edited,
deleted by X, when". Released reporting periods (reporting_period, released_group,
released_theme, released_answer, released_stay_group, released_stay_theme) hold aggregates only and are never touched.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, astuple, dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack import audit, clock
from actiontrack.db import checkpoint, make_engine, make_sessionmaker
from actiontrack.models import (
    AuditEvent,
    ExitInterview,
    ImportUpload,
    InterviewFingerprint,
    InterviewTheme,
    QuestionAnswer,
    StayInterview,
    StayInterviewTheme,
    StayQuestionAnswer,
)
from actiontrack.settings import Settings

# The answers in the leaver's (or the interviewer's) own words: the first thing retention erases.
FREE_TEXTS = ("reason_for_leaving", "improvement_suggestion", "notes")
ENTITY = "exit_interview"
# A stay interview's three open questions and the interviewer's notes.
STAY_FREE_TEXTS = ("keeps_here", "might_leave", "should_change", "notes")
STAY_ENTITY = "stay_interview"
# Files uploaded for an import and not imported (or cancelled) are deleted this long after upload.
UPLOAD_LIFETIME = timedelta(hours=24)


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


@dataclass(frozen=True)
class _Kind:
    """What retention and erasure need to know about one kind of interview."""

    model: type
    day: object  # the column retention counts from
    free_texts: tuple[str, ...]
    entity: str
    answers: type  # the answers to HR's extra questions
    children: tuple[object, ...]  # the columns naming the interview in the rows deleted with it

    async def erase(self, session: AsyncSession, *, condition: object) -> int:
        """Delete the interviews matching `condition`, the rows naming them (tags, answers to extra questions,
        an import's fingerprint), and the answers in their audit entries."""
        ids = select(self.model.id).where(condition).scalar_subquery()
        await session.execute(
            update(AuditEvent).where(AuditEvent.entity == self.entity, AuditEvent.entity_id.in_(ids))
            .values(changes={}).execution_options(synchronize_session=False)
        )
        for column in self.children:
            await session.execute(delete(column.class_).where(column.in_(ids))
                                  .execution_options(synchronize_session=False))
        result = await session.execute(delete(self.model).where(condition)
                                       .execution_options(synchronize_session=False))
        return result.rowcount


EXIT = _Kind(ExitInterview, ExitInterview.exit_date, FREE_TEXTS, ENTITY, QuestionAnswer, (
    InterviewTheme.interview_id, InterviewFingerprint.interview_id, QuestionAnswer.interview_id))
STAY = _Kind(StayInterview, StayInterview.held_on, STAY_FREE_TEXTS, STAY_ENTITY, StayQuestionAnswer, (
    StayInterviewTheme.stay_interview_id, StayQuestionAnswer.interview_id))
erase_interviews = EXIT.erase
erase_stay_interviews = STAY.erase


# --- the job ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erased:
    """What a run did (or would do) to one kind of interview, in counts."""

    interviews_deleted: int = 0
    # Interviews whose words were emptied: their own free text, their free-text answers to extra questions, or both.
    free_text_emptied: int = 0
    answers_emptied: int = 0  # free-text answers to HR's extra questions emptied

    def __bool__(self) -> bool:
        return any(astuple(self))


@dataclass(frozen=True)
class RetentionReport:
    free_text_before: date | None
    interviews_before: date | None
    dry_run: bool
    exit: Erased
    stay: Erased

    def lines(self) -> list[str]:
        """What the run did (or would do), in counts only: never an answer."""
        verb = "would be" if self.dry_run else "were"
        if self.interviews_before is None:
            whole = "interviews: kept for ever (ACTIONTRACK_RETENTION_INTERVIEW_MONTHS=0)"
            stay_whole = "stay interviews: kept for ever (ACTIONTRACK_RETENTION_INTERVIEW_MONTHS=0)"
        else:
            whole = (f"interviews: {self.exit.interviews_deleted} with an exit date on or before "
                     f"{self.interviews_before.isoformat()} {verb} deleted (released figures stay)")
            stay_whole = (f"stay interviews: {self.stay.interviews_deleted} held on or before "
                          f"{self.interviews_before.isoformat()} {verb} deleted (released figures stay)")
        if self.free_text_before is None:
            text = "free text: kept as long as the interview (ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS=0)"
            stay_text = "stay free text: kept as long as the interview (ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS=0)"
        else:
            text = (f"free text: {self.exit.free_text_emptied} interviews with an exit date on or before "
                    f"{self.free_text_before.isoformat()} {verb} emptied "
                    f"({self.exit.answers_emptied} answers to extra questions)")
            stay_text = (f"stay free text: {self.stay.free_text_emptied} stay interviews held on or before "
                         f"{self.free_text_before.isoformat()} {verb} emptied "
                         f"({self.stay.answers_emptied} answers to extra questions)")
        return [whole, text, stay_whole, stay_text]


async def _count(session: AsyncSession, model: type, condition: object) -> int:
    return await session.scalar(select(func.count()).select_from(model).where(condition)) or 0


async def _apply(
    session: AsyncSession, kind: _Kind, *, interviews_before: date | None, free_text_before: date | None,
    dry_run: bool,
) -> Erased:
    """Delete one kind's interviews due, then empty its free text due; audited once, with every count."""
    deleted = emptied = answers_emptied = 0
    if interviews_before is not None:
        due = kind.day <= interviews_before
        deleted = await (_count(session, kind.model, due) if dry_run else kind.erase(session, condition=due))
    if free_text_before is not None:
        in_reach = kind.day <= free_text_before
        if interviews_before is not None:
            in_reach = in_reach & (kind.day > interviews_before)
        # Free-text answers to HR's extra questions go with the rest of the person's words, and count as words:
        # an interview whose only words are such an answer is emptied (and counted) like any other.
        answer = kind.answers
        answers_due = (answer.text != "") & answer.interview_id.in_(select(kind.model.id).where(in_reach))
        has_text = or_(*(getattr(kind.model, name) != "" for name in kind.free_texts),
                       kind.model.id.in_(select(answer.interview_id).where(answer.text != "")))
        due = in_reach & has_text
        if dry_run:
            emptied = await _count(session, kind.model, due)
            answers_emptied = await _count(session, answer, answers_due)
        else:
            # The interviews first: `has_text` still sees the answers' words.
            emptied = (await session.execute(
                update(kind.model).where(due).values({name: "" for name in kind.free_texts})
                .execution_options(synchronize_session=False))).rowcount
            answers_emptied = (await session.execute(
                update(answer).where(answers_due).values(text="").execution_options(synchronize_session=False)
            )).rowcount
    erased = Erased(deleted, emptied, answers_emptied)
    if not dry_run and erased:
        audit.record(session, actor=None, verb="retention", entity=kind.entity, entity_id=None, changes={
            **asdict(erased), "interviews_before": interviews_before, "free_text_before": free_text_before,
        })
    return erased


async def apply_retention(session: AsyncSession, *, settings: Settings, today: date, dry_run: bool) -> RetentionReport:
    """Delete the interviews due, then empty the free text due, exit and stay alike, in the session's transaction."""
    interviews_before = last_exit_date_due(today, settings.retention_interview_months)
    free_text_before = last_exit_date_due(today, settings.retention_free_text_months)
    cutoffs = {"interviews_before": interviews_before, "free_text_before": free_text_before, "dry_run": dry_run}
    if not dry_run:
        # Uploaded files waiting to be imported are kept a day at most (imports/queries.UPLOAD_LIFETIME).
        await session.execute(delete(ImportUpload).where(ImportUpload.created_at < clock.utcnow() - UPLOAD_LIFETIME))
    return RetentionReport(free_text_before, interviews_before, dry_run, exit=await _apply(session, EXIT, **cutoffs),
                           stay=await _apply(session, STAY, **cutoffs))


async def run_retention(*, settings: Settings, today: date, dry_run: bool) -> RetentionReport:
    """One run of `actiontrack retention`: one transaction, then the freed bytes cleared from SQLite's files."""
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            report = await apply_retention(session, settings=settings, today=today, dry_run=dry_run)
        if not dry_run and (report.exit or report.stay):
            await checkpoint(engine)
        return report
    finally:
        await engine.dispose()
