"""Retention: free text, then whole interviews, erased on time by `actiontrack retention`; released figures stay."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from actiontrack.cli import main
from actiontrack.models import (
    AuditEvent,
    Department,
    ExitInterview,
    ExtraQuestion,
    InterviewTheme,
    JobFamily,
    QuestionAnswer,
    ReleasedGroup,
    ReleasedTheme,
    ReportingPeriod,
    StayInterview,
    StayQuestionAnswer,
)
from actiontrack.retention import add_months, erase_on, last_exit_date_due

from conftest import SECRET, count, off_loop, rows, run

TODAY = date(2026, 11, 28)


# --- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("day, months, expected", [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2025, 3, 15), -3, date(2024, 12, 15)),
    (date(2025, 11, 30), 24, date(2027, 11, 30)),
])
def test_months_are_added_on_the_calendar(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_zero_months_keeps_for_ever() -> None:
    assert erase_on(date(2020, 1, 1), 0) is None
    assert last_exit_date_due(TODAY, 0) is None


def test_the_sql_cutoff_agrees_with_the_rule_for_every_day_and_exit_date() -> None:
    """`exit_date <= last_exit_date_due(today)` holds exactly when erase_on(exit_date) has come."""
    rng = random.Random(20261128)
    start = date(2023, 1, 1)
    for offset in range(4 * 366):
        today = start + timedelta(days=offset)
        for months in (1, 2, 12, 24, 60, rng.randint(1, 120)):
            cutoff = last_exit_date_due(today, months)
            for exit_date in [cutoff + timedelta(days=delta) for delta in range(-4, 5)] + [
                today - timedelta(days=rng.randint(0, 4000))
            ]:
                assert (exit_date <= cutoff) == (erase_on(exit_date, months) <= today), (today, months, exit_date)


# --- the command ------------------------------------------------------------------------------


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def retention(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """`actiontrack retention ...` through the command's own entry point, with the environment given."""

    def command(*args: str, url: str, **settings: str) -> Run:
        with monkeypatch.context() as patch:
            for key in [key for key in os.environ if key.startswith("ACTIONTRACK_")]:
                patch.delenv(key)
            for key, value in {"DATABASE_URL": url, "ACTIONTRACK_SECRET_KEY": SECRET, **settings}.items():
                patch.setenv(key, value)
            def call() -> int | str | None:
                try:
                    return main(["retention", *args])
                except SystemExit as exc:  # argparse refusing an argument
                    return exc.code

            # In a thread of its own: a browser test earlier in the run may leave an event loop running here.
            code = off_loop(call)
        output = capsys.readouterr()
        return Run(code, output.out, output.err)

    return command


def sqlite_bytes(url: str) -> bytes:
    path = Path(make_url(url).database)
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def history(
    database_url: str, make_department: Callable[..., Department], make_job_family: Callable[..., JobFamily],
    make_interview: Callable[..., ExitInterview], theme_ids: dict[str, int],
) -> dict[str, ExitInterview]:
    """Interviews of every age around the default limits (24 and 60 months), audited, and a released period."""
    org = {"department": make_department("Logistics"), "job_family": make_job_family("Warehouse")}
    words = {"reason_for_leaving": "Marker-ancient-words", "improvement_suggestion": "More pay.", "notes": "Calm."}
    made = {
        "recent": make_interview(**org, exit_date=date(2026, 10, 1), themes=["pay_benefits"], **words),
        # 24 months after 28 Nov 2024 is today: its free text is due; the day after is not.
        "text_due": make_interview(**org, exit_date=date(2024, 11, 28), themes=["management"], **words),
        "text_not_yet": make_interview(**org, exit_date=date(2024, 11, 29), **words),
        "old": make_interview(**org, exit_date=date(2021, 11, 29), themes=["management"], **words),
        "gone": make_interview(**org, exit_date=date(2021, 11, 28), themes=["pay_benefits", "management"], **words),
    }

    async def fill(session):
        for interview in made.values():
            session.add(AuditEvent(verb="create", entity="exit_interview", entity_id=interview.id,
                                   changes={"recommend_score": 7, "exit_date": interview.exit_date.isoformat()}))
        period = ReportingPeriod(length="quarter", period_start=date(2021, 10, 1), period_end=date(2021, 12, 31),
                                 interviews=2)
        session.add(period)
        await session.flush()
        session.add(ReleasedGroup(period_id=period.id, grouping="department", group_id=org["department"].id,
                                  leavers=2, would_return=1))
        session.add(ReleasedTheme(period_id=period.id, grouping="department", group_id=org["department"].id,
                                  theme_id=theme_ids["management"], raised=2))

    run(fill, database_url)
    return made


def test_a_dry_run_counts_and_changes_nothing(
    retention: Callable[..., Run], database_url: str, history: dict[str, ExitInterview]
) -> None:
    result = retention("--dry-run", "--date", TODAY.isoformat(), url=database_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "interviews: 1 with an exit date on or before 2021-11-28 would be deleted (released figures stay)",
        "free text: 2 interviews with an exit date on or before 2024-11-28 would be emptied"
        " (0 answers to extra questions)",
        "stay interviews: 0 held on or before 2021-11-28 would be deleted (released figures stay)",
        "stay free text: 0 stay interviews held on or before 2024-11-28 would be emptied"
        " (0 answers to extra questions)",
    ]
    assert count(database_url, ExitInterview) == 5
    assert count(database_url, ExitInterview, ExitInterview.reason_for_leaving == "") == 0
    assert count(database_url, AuditEvent, AuditEvent.verb == "retention") == 0


def test_retention_erases_free_text_then_whole_interviews_and_keeps_released_figures(
    retention: Callable[..., Run], database_url: str, history: dict[str, ExitInterview]
) -> None:
    result = retention("--date", TODAY.isoformat(), url=database_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "interviews: 1 with an exit date on or before 2021-11-28 were deleted (released figures stay)",
        "free text: 2 interviews with an exit date on or before 2024-11-28 were emptied (0 answers to extra questions)",
        "stay interviews: 0 held on or before 2021-11-28 were deleted (released figures stay)",
        "stay free text: 0 stay interviews held on or before 2024-11-28 were emptied (0 answers to extra questions)",
    ]
    left = {interview.id: interview for interview in rows(database_url, ExitInterview)}
    assert history["gone"].id not in left and len(left) == 4
    for name in ("text_due", "old"):
        interview = left[history[name].id]
        assert (interview.reason_for_leaving, interview.improvement_suggestion, interview.notes) == ("", "", "")
        assert interview.recommend_score == 7  # the scores stay until the interview goes
    for name in ("recent", "text_not_yet"):
        assert left[history[name].id].reason_for_leaving == "Marker-ancient-words"
    assert count(database_url, InterviewTheme, InterviewTheme.interview_id == history["gone"].id) == 0
    assert count(database_url, InterviewTheme) == 3
    [scrubbed] = rows(database_url, AuditEvent, AuditEvent.entity_id == history["gone"].id,
                      AuditEvent.entity == "exit_interview")
    assert scrubbed.changes == {}
    recent_event = rows(database_url, AuditEvent, AuditEvent.entity_id == history["recent"].id)[0]
    assert recent_event.changes["recommend_score"] == 7
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "retention")
    assert event.actor_id is None and event.changes == {
        "interviews_deleted": 1, "free_text_emptied": 2, "answers_emptied": 0,
        "interviews_before": "2021-11-28", "free_text_before": "2024-11-28",
    }
    assert (count(database_url, ReportingPeriod), count(database_url, ReleasedGroup),
            count(database_url, ReleasedTheme)) == (1, 1, 1)
    if database_url.startswith("sqlite"):
        # Two interviews still hold the words; the file holds no more copies than that.
        assert sqlite_bytes(database_url).count(b"Marker-ancient-words") == 2

    again = retention("--date", TODAY.isoformat(), url=database_url)
    assert "interviews: 0 with" in again.stdout and "free text: 0 interviews" in again.stdout
    assert count(database_url, AuditEvent, AuditEvent.verb == "retention") == 1


def test_retention_follows_the_settings_and_zero_keeps_for_ever(
    retention: Callable[..., Run], database_url: str, history: dict[str, ExitInterview]
) -> None:
    result = retention("--date", TODAY.isoformat(), url=database_url, ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS="0",
                       ACTIONTRACK_RETENTION_INTERVIEW_MONTHS="0")
    assert result.returncode == 0, result.stderr
    assert "kept for ever" in result.stdout
    assert count(database_url, ExitInterview) == 5
    assert count(database_url, ExitInterview, ExitInterview.reason_for_leaving == "") == 0
    shorter = retention("--date", TODAY.isoformat(), url=database_url, ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS="1",
                        ACTIONTRACK_RETENTION_INTERVIEW_MONTHS="2")
    assert shorter.returncode == 0, shorter.stderr
    assert [interview.exit_date for interview in rows(database_url, ExitInterview)] == [date(2026, 10, 1)]


def test_bad_settings_and_dates_are_refused(
    retention: Callable[..., Run], database_url: str, history: dict[str, ExitInterview]
) -> None:
    refused = retention(url=database_url, ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS="70")
    assert refused.returncode == 1 and "must not exceed" in refused.stderr
    assert retention("--date", "28-11-2026", url=database_url).returncode == 2
    assert count(database_url, ExitInterview) == 5


# --- answers to HR's extra questions ----------------------------------------------------------


def test_every_extra_answer_retention_empties_is_counted_in_its_audit_entry(
    retention: Callable[..., Run], database_url: str, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily], make_interview: Callable[..., ExitInterview],
) -> None:
    org = {"department": make_department("Logistics"), "job_family": make_job_family("Warehouse")}
    quiet = {"reason_for_leaving": "", "improvement_suggestion": "", "notes": ""}
    worded = make_interview(**org, exit_date=date(2024, 1, 10), reason_for_leaving="Marker-exit-words")
    answer_only = make_interview(**org, exit_date=date(2024, 2, 10), **quiet)
    silent = make_interview(**org, exit_date=date(2024, 3, 10), **quiet)
    recent = make_interview(**org, exit_date=date(2026, 10, 1), **quiet)

    async def answer(session):
        first, second = ExtraQuestion(kind="text", text_en="Anything else?"), ExtraQuestion(kind="scale")
        session.add_all([first, second])
        await session.flush()
        session.add_all([
            QuestionAnswer(interview_id=worded.id, question_id=first.id, text="Marker-exit-answer"),
            QuestionAnswer(interview_id=worded.id, question_id=second.id, value=2),
            QuestionAnswer(interview_id=answer_only.id, question_id=first.id, text="Marker-exit-answer"),
            QuestionAnswer(interview_id=silent.id, question_id=second.id, value=4),
            QuestionAnswer(interview_id=recent.id, question_id=first.id, text="Marker-recent-answer"),
        ])

    run(answer, database_url)
    dry = retention("--dry-run", "--date", TODAY.isoformat(), url=database_url)
    done = retention("--date", TODAY.isoformat(), url=database_url)
    assert {(item.interview_id, item.text, item.value) for item in rows(database_url, QuestionAnswer)} == {
        (worded.id, "", None), (worded.id, "", 2), (answer_only.id, "", None), (silent.id, "", 4),
        (recent.id, "Marker-recent-answer", None)}
    [event] = rows(database_url, AuditEvent, AuditEvent.verb == "retention")
    assert (event.entity, event.changes) == ("exit_interview", {
        "interviews_deleted": 0, "free_text_emptied": 2, "answers_emptied": 2,
        "interviews_before": "2021-11-28", "free_text_before": "2024-11-28",
    })
    counted = ("free text: 2 interviews with an exit date on or before 2024-11-28 {} emptied"
               " (2 answers to extra questions)")
    assert counted.format("would be") in dry.stdout.splitlines()
    assert counted.format("were") in done.stdout.splitlines()


def test_a_stay_interview_whose_only_words_are_an_extra_answer_gets_its_audit_entry(
    retention: Callable[..., Run], database_url: str, make_department: Callable[..., Department],
    make_job_family: Callable[..., JobFamily],
) -> None:
    department, job_family = make_department("Logistics"), make_job_family("Warehouse")

    async def fill(session):
        question = ExtraQuestion(kind="text", text_en="Can you learn enough here?", asked_in="stay")
        interview = StayInterview(department_id=department.id, job_family_id=job_family.id, held_on=date(2024, 5, 2),
                                  tenure_band="2to5", channel="interview", language="en", growth_score=3,
                                  recognition_score=3, manager_support_score=3, workload_score=3)
        session.add_all([question, interview])
        await session.flush()
        session.add(StayQuestionAnswer(interview_id=interview.id, question_id=question.id, text="Marker-stay-answer"))

    run(fill, database_url)
    result = retention("--date", TODAY.isoformat(), url=database_url)
    assert result.returncode == 0, result.stderr
    assert [answer.text for answer in rows(database_url, StayQuestionAnswer)] == [""]
    events = rows(database_url, AuditEvent, AuditEvent.verb == "retention")
    assert [(event.entity, event.actor_id, event.changes) for event in events] == [("stay_interview", None, {
        "interviews_deleted": 0, "free_text_emptied": 1, "answers_emptied": 1,
        "interviews_before": "2021-11-28", "free_text_before": "2024-11-28",
    })]
    assert ("stay free text: 1 stay interviews held on or before 2024-11-28 were emptied "
            "(1 answers to extra questions)") in result.stdout.splitlines()
    if database_url.startswith("sqlite"):
        # The run checkpoints the log as after any other erasure: the words are in neither file.
        assert b"Marker-stay-answer" not in sqlite_bytes(database_url)
