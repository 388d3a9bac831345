"""Loads the demo organisation (data in `organisation`, `phrases`, `actions`, `texts`, `stay`) into a database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from actiontrack.auth.passwords import hash_password
from actiontrack.demo import texts
from actiontrack.demo.actions import ACTIONS, ActionPlan, Step
from actiontrack.demo.organisation import (
    DEMO_PASSWORD,
    DEPARTMENTS,
    JOB_FAMILIES,
    OLDER_DAYS,
    RECENT_DAYS,
    TENURE_BY_THEME,
    TENURE_DEFAULT,
    THEME_TRENDS,
    USERS,
    DepartmentProfile,
)
from actiontrack.demo.phrases import PHRASES
from actiontrack.demo.stay import stay_interviews
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    ActionUpdate,
    ApiToken,
    AuditEvent,
    Channel,
    Department,
    ExitInterview,
    InterviewTheme,
    JobFamily,
    LoginFailure,
    PayFactor,
    Role,
    Scope,
    StayInterview,
    StayInterviewTheme,
    SurveyAnswer,
    SurveyInvitation,
    Theme,
    User,
    UserToken,
    WouldReturn,
)


class DemoRefused(Exception):
    """The database holds data that is not demo data."""


@dataclass(frozen=True)
class DemoSummary:
    departments: int
    job_families: int
    users: list[tuple[str, str, str]]  # (email, role, display name)
    interviews: int
    actions: int
    stay_interviews: int = 0


# Listed in the order the summary shows them: HR first, then leadership, then owners.
def _names(name: str) -> dict[str, str]:
    """A department's or job family's names per language, when the demo has them."""
    if name not in texts.GROUP_NAMES:
        return {}
    name_nl, name_fr = texts.GROUP_NAMES[name]
    return {"name_nl": name_nl, "name_fr": name_fr, "name_en": name}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


async def _holds_demo_data(session: AsyncSession) -> bool:
    """Whether earlier demo data is there; raises DemoRefused when the database holds real data."""

    def count(model: type, *where: object) -> object:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = (await session.execute(select(
        count(User, User.is_demo.is_(False)),
        count(User, User.is_demo.is_(True)),
        count(Department),
        count(JobFamily),
        count(ExitInterview),
        count(ActionItem),
        count(StayInterview),
    ))).one()
    real_users, demo_users, *records = row
    if real_users:
        raise DemoRefused(
            f"The database holds {_counted(real_users, 'real user account', 'real user accounts')} (not demo users); "
            "refusing to load demo data."
        )
    if not demo_users and any(records):
        nouns = (
            ("department", "departments"), ("job family", "job families"),
            ("exit interview", "exit interviews"), ("action", "actions"), ("stay interview", "stay interviews"),
        )
        held = ", ".join(_counted(count, *noun) for count, noun in zip(records, nouns, strict=True) if count)
        raise DemoRefused(f"The database holds {held} but no demo users; refusing to overwrite real data.")
    return demo_users > 0


async def _delete_demo_data(session: AsyncSession) -> None:
    """Empty every table that demo users can have filled, children before parents; themes stay."""
    for model in (
        ActionEvidence, ActionUpdate, ActionTheme, ActionItem, InterviewTheme, ExitInterview, StayInterviewTheme,
        StayInterview, SurveyInvitation, SurveyAnswer,
        AuditEvent, LoginFailure, UserToken, ApiToken, User, JobFamily, Department,
    ):
        await session.execute(delete(model))


def _theme_weights(*, profile: DepartmentProfile, days_ago: int) -> dict[str, float]:
    weights = dict(profile.themes)
    for department, theme, since, before, after in THEME_TRENDS:
        if department == profile.name:
            weights[theme] = before if days_ago > since else after
    return weights


def _exit_date(rng: random.Random, *, today: date, days: tuple[int, int]) -> date:
    """A weekday in the window: contracts in the demo end on working days."""
    while True:
        day = today - timedelta(days=rng.randint(*days))
        if day.weekday() < 5:
            return day


def _interview_themes(rng: random.Random, *, weights: dict[str, float]) -> list[str]:
    themes = [_pick(rng, weights)]
    wanted = rng.choices((1, 2, 3), weights=(0.45, 0.4, 0.15))[0]
    # "Other" (moving, studies) is a reason on its own, never an extra one.
    extra = {code: weight for code, weight in weights.items() if code not in themes and code != "other"}
    while len(themes) < wanted and extra:
        code = _pick(rng, extra)
        themes.append(code)
        del extra[code]
    return themes


def _scores(rng: random.Random, *, themes: list[str]) -> dict[str, object]:
    """Scores and answers that agree with the themes (a management exit scores the manager low)."""
    tasks = rng.choice((3, 4, 4, 5))
    manager = rng.choice((3, 3, 4, 4, 5))
    training = rng.choice((3, 4, 4, 5))
    recognition = rng.choice((2, 3, 3, 4, 4))
    if "management" in themes:
        manager = rng.choice((1, 1, 2))
    if "workload_autonomy" in themes:
        manager = min(manager, rng.choice((2, 3, 3)))
    if "training_onboarding" in themes:
        training = rng.choice((1, 2, 2))
    if "recognition" in themes:
        recognition = rng.choice((1, 1, 2))
    if "role_mismatch" in themes:
        tasks = rng.choice((1, 2, 2))
    if "growth_career" in themes:
        recognition = min(recognition, rng.choice((2, 3)))
        tasks = min(tasks, rng.choice((3, 4)))
    average = (tasks + manager + training + recognition) / 4
    recommend = round(2.5 * average) - 3 + rng.randint(-2, 2)
    if themes == ["other"]:
        recommend += 2
    recommend = max(0, min(10, recommend))
    if recommend >= 8:
        would_return = WouldReturn.YES
    elif recommend >= 5:
        would_return = WouldReturn.MAYBE
    else:
        would_return = WouldReturn.NO
    if "pay_benefits" in themes:
        pay_factor = PayFactor.YES if rng.random() < 0.8 else PayFactor.PARTLY
    else:
        pay_factor = PayFactor.PARTLY if rng.random() < 0.2 else PayFactor.NO
    return {
        "tasks_match_score": tasks,
        "manager_support_score": manager,
        "training_score": training,
        "recognition_score": recognition,
        "recommend_score": recommend,
        "would_return": would_return,
        "pay_factor": pay_factor,
    }


def _answers(rng: random.Random, *, themes: list[str], language: str, with_notes: bool) -> dict[str, str]:
    """Free-text answers in the leaver's language, built from the phrases of the linked themes."""
    reasons = [rng.choice(PHRASES[themes[0]][language][0])]
    if len(themes) > 1 and rng.random() < 0.6:
        reasons.append(rng.choice(PHRASES[themes[1]][language][0]))
    suggestion = rng.choice(PHRASES[rng.choice(themes)][language][1])
    notes = rng.choice(PHRASES[rng.choice(themes)][language][2]) if with_notes else ""
    return {"reason_for_leaving": " ".join(reasons), "improvement_suggestion": suggestion, "notes": notes}


def _interviews(
    *, seed: int, today: date, departments: dict[str, Department], job_families: dict[str, JobFamily],
    interviewers: list[User], theme_ids: dict[str, int],
) -> list[tuple[ExitInterview, list[int]]]:
    """Every demo leaver's interview with the ids of its themes, oldest first."""
    interviews = []
    for profile in DEPARTMENTS:
        # One random stream per department, so tuning one department leaves the others as they are.
        rng = random.Random(f"{seed}:{profile.name}")
        exit_dates = [
            _exit_date(rng, today=today, days=window)
            for count, window in ((profile.recent_leavers, (1, RECENT_DAYS)), (profile.older_leavers, OLDER_DAYS))
            for _ in range(count)
        ]
        interviews.extend(_interview(
            rng, profile=profile, exit_date=exit_date, today=today, departments=departments,
            job_families=job_families, interviewers=interviewers, theme_ids=theme_ids,
        ) for exit_date in exit_dates)
    interviews.sort(key=lambda item: (item[0].exit_date, item[0].department_id))
    return interviews


def _interview(
    rng: random.Random, *, profile: DepartmentProfile, exit_date: date, today: date,
    departments: dict[str, Department], job_families: dict[str, JobFamily], interviewers: list[User],
    theme_ids: dict[str, int],
) -> tuple[ExitInterview, list[int]]:
    """One leaver's interview or survey, with the ids of the themes it raised."""
    themes = _interview_themes(rng, weights=_theme_weights(profile=profile, days_ago=(today - exit_date).days))
    language = _pick(rng, profile.languages)
    tenure = _pick(rng, TENURE_BY_THEME.get(themes[0], TENURE_DEFAULT))
    by_interview = rng.random() < 0.65
    if by_interview:
        # Interviews happen during the notice period, before the last day.
        recorded = exit_date - timedelta(days=rng.randint(0, 10))
        interviewer_id = interviewers[0].id if rng.random() < 0.7 else interviewers[1].id
    else:
        # The survey link goes out on the last day and comes back within a week.
        recorded = min(exit_date + timedelta(days=rng.randint(0, 7)), today - timedelta(days=1))
        interviewer_id = None
    # A survey answer keeps only its day (midnight UTC), as the app records it: nothing joins it to its link.
    recorded_at = _at(recorded, 14) if by_interview else datetime.combine(recorded, time(), tzinfo=UTC)
    interview = ExitInterview(
        department_id=departments[profile.name].id,
        job_family_id=job_families[_pick(rng, profile.job_families)].id,
        tenure_band=tenure,
        exit_date=exit_date,
        channel=Channel.INTERVIEW if by_interview else Channel.SURVEY,
        language=language,
        interviewer_id=interviewer_id,
        created_at=recorded_at,
        updated_at=recorded_at,
        **_scores(rng, themes=themes),
        **_answers(rng, themes=themes, language=language, with_notes=by_interview),
    )
    return interview, [theme_ids[code] for code in themes]


def _action(
    plan: ActionPlan, *, today: date, departments: dict[str, Department], owner: User, creator: User,
) -> ActionItem:
    """The action as it stands today, after the last step of its history."""
    last = plan.history[-1]
    created_on = today - timedelta(days=plan.history[0].days_ago)
    title_nl, summary_nl, title_fr, summary_fr = texts.ACTION_TEXTS.get(plan.title, ("", "", "", ""))
    description_nl, measure_nl, description_fr, measure_fr = texts.DESCRIPTION_TEXTS.get(plan.title, ("", "", "", ""))
    return ActionItem(
        title_nl=title_nl, title_fr=title_fr, title_en=plan.title,
        description_nl=description_nl, description_fr=description_fr, description_en=plan.description,
        public_summary_nl=summary_nl, public_summary_fr=summary_fr, public_summary_en=plan.public_summary,
        success_measure_nl=measure_nl, success_measure_fr=measure_fr, success_measure_en=plan.success_measure,
        target_share=plan.target_share,
        scope=Scope.DEPARTMENT if plan.department else Scope.COMPANY,
        department_id=departments[plan.department].id if plan.department else None,
        owner_id=owner.id,
        deadline=today + timedelta(days=plan.deadline),
        status=last.status,
        progress=last.progress,
        published=plan.published_days_ago is not None,
        published_at=(
            _at(today - timedelta(days=plan.published_days_ago), 11) if plan.published_days_ago is not None else None
        ),
        completed_on=today - timedelta(days=last.days_ago) if last.status == ActionStatus.DONE else None,
        version=1,
        created_by_id=creator.id,
        created_at=_at(created_on, 9),
        updated_at=_at(today - timedelta(days=last.days_ago), 10),
    )


def _evidence(
    plan: ActionPlan, *, action: ActionItem, today: date, interviews: list[tuple[ExitInterview, list[int]]],
    theme_ids: dict[str, int],
) -> ActionEvidence:
    """Why the action exists: its group's leavers in the six months before it was created."""
    created_on = today - timedelta(days=plan.history[0].days_ago)
    period_start, period_end = created_on - timedelta(days=182), created_on - timedelta(days=1)
    theme_id = theme_ids[plan.themes[0]]
    # Counted the way themes.queries.theme_evidence counts: exit dates within the period, both ends included.
    group = [
        ids for interview, ids in interviews
        if period_start <= interview.exit_date <= period_end
        and (action.department_id is None or interview.department_id == action.department_id)
    ]
    return ActionEvidence(
        action_id=action.id,
        theme_id=theme_id,
        period_start=period_start,
        period_end=period_end,
        raised_count=sum(theme_id in ids for ids in group),
        leavers_count=len(group),
        created_at=action.created_at,
    )


def _history(plan: ActionPlan, *, action: ActionItem, today: date, author: User) -> list[ActionUpdate]:
    """The action's updates, the first one being its creation."""
    updates = []
    before: Step | None = None
    # The deadline at creation: before the first move, if it was moved.
    moves = [step.deadline_moved for step in plan.history if step.deadline_moved]
    created_deadline = today + timedelta(days=moves[0][0]) if moves else action.deadline
    for step in plan.history:
        moved = step.deadline_moved
        updates.append(ActionUpdate(
            action_id=action.id,
            author_id=author.id,
            status_before=before.status if before else None,
            status_after=step.status,
            progress_before=before.progress if before else None,
            progress_after=step.progress,
            deadline_before=today + timedelta(days=moved[0]) if moved else None,
            # The creation entry names the owner and the deadline, as the app's own first entry does.
            deadline_after=today + timedelta(days=moved[1]) if moved else None if before else created_deadline,
            owner_after_id=None if before else action.owner_id,
            note=step.note,
            created_at=_at(today - timedelta(days=step.days_ago), 10),
        ))
        before = step
    return updates


async def load_demo(session: AsyncSession, *, today: date, seed: int = 2026) -> DemoSummary:
    """Replace any earlier demo data with a fresh demo organisation; refuse to touch real data."""
    if await _holds_demo_data(session):
        await _delete_demo_data(session)
    themes = (await session.execute(select(Theme.code, Theme.id))).all()
    theme_ids = {code: theme_id for code, theme_id in themes}
    missing = sorted(set(PHRASES) - set(theme_ids))
    if missing:
        raise LookupError(f"themes missing from the database: {', '.join(missing)} (run the migrations first)")

    # One argon2 hash for all demo users: hashing is slow on purpose.
    password_hash = hash_password(DEMO_PASSWORD)
    joined = _at(today - timedelta(days=800), 8)
    users = {
        email: User(
            email=email, display_name=name, role=role, language=language,
            password_hash=password_hash, is_demo=True, created_at=joined,
        )
        for email, role, name, language in USERS
    }
    departments = {profile.name: Department(name=profile.name, headcount=profile.headcount,
                                            **_names(profile.name))
                   for profile in DEPARTMENTS}
    # A job family's people: its share of each department's headcount.
    job_families = {name: JobFamily(name=name, **_names(name),
                                    headcount=round(sum(profile.headcount * profile.job_families.get(name, 0)
                                                        for profile in DEPARTMENTS)))
                    for name in JOB_FAMILIES}
    session.add_all([*users.values(), *departments.values(), *job_families.values()])
    await session.flush()

    hr_users = [users[email] for email, role, *_ in USERS if role == Role.HR]
    interviews = _interviews(
        seed=seed, today=today, departments=departments, job_families=job_families,
        interviewers=hr_users, theme_ids=theme_ids,
    )
    actions = [
        (plan, _action(plan, today=today, departments=departments, owner=users[plan.owner], creator=hr_users[0]))
        for plan in ACTIONS
    ]
    # Stay conversations are held by HR and by managers (the action owners).
    recorders = [*hr_users, *(users[email] for email, role, *_ in USERS if role == Role.OWNER)]
    stays = stay_interviews(
        seed=seed, today=today, profiles=DEPARTMENTS, departments=departments, job_families=job_families,
        recorders=recorders, theme_ids=theme_ids, suggestions=PHRASES,
    )
    session.add_all([interview for interview, _ in interviews])
    session.add_all([action for _, action in actions])
    session.add_all([interview for interview, _ in stays])
    await session.flush()

    links: list[object] = [
        InterviewTheme(interview_id=interview.id, theme_id=theme_id)
        for interview, ids in interviews
        for theme_id in ids
    ]
    links.extend(
        StayInterviewTheme(stay_interview_id=interview.id, theme_id=theme_id)
        for interview, ids in stays
        for theme_id in ids
    )
    for plan, action in actions:
        links.extend(ActionTheme(action_id=action.id, theme_id=theme_ids[code]) for code in plan.themes)
        links.extend(_history(plan, action=action, today=today, author=users[plan.owner]))
        links.append(_evidence(plan, action=action, today=today, interviews=interviews, theme_ids=theme_ids))
    session.add_all(links)
    await session.flush()

    return DemoSummary(
        departments=len(departments),
        job_families=len(job_families),
        users=[(email, role.value, name) for email, role, name, _ in USERS],
        interviews=len(interviews),
        actions=len(actions),
        stay_interviews=len(stays),
    )
