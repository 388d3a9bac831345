"""Fill an empty database with a large synthetic organisation, fast (bulk inserts, no ORM objects).

    .venv/bin/python -m bench.generate --database-url URL [--actions 10000] [--interviews 100000]
                                       [--departments 50] [--seed 1]

The database is migrated first and must hold no interviews, actions or users yet. About three
years of exit interviews (one to three themes each), actions in every status with themes,
evidence and updates, some published, and the demo sign-ins (hr@, leadership@, owner@example.com,
password "demo-password") so the benchmarks can sign in. The same seed gives the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from actiontrack import clock
from actiontrack.auth.passwords import hash_password
from actiontrack.db import alembic_config, make_engine
from actiontrack.demo.organisation import DEMO_PASSWORD, JOB_FAMILIES, USERS
from actiontrack.models import (
    ActionEvidence,
    ActionItem,
    ActionStatus,
    ActionTheme,
    ActionUpdate,
    Channel,
    Department,
    ExitInterview,
    InterviewTheme,
    JobFamily,
    Language,
    PayFactor,
    Role,
    Scope,
    TenureBand,
    Theme,
    User,
    WouldReturn,
)

BATCH = 5000
DAYS = 3 * 365
STATUS_WEIGHTS = {ActionStatus.DONE: 40, ActionStatus.IN_PROGRESS: 25, ActionStatus.PLANNED: 20,
                  ActionStatus.BLOCKED: 8, ActionStatus.CANCELLED: 7}
REASONS = ("Pay was below market.", "No feedback from my manager.", "No room to grow.", "The workload was too high.",
           "Onboarding was chaotic.", "The schedule did not fit my family.", "The job was not as advertised.")


def at(day: date, rng: random.Random) -> datetime:
    """A moment during office hours on that day, in UTC."""
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=rng.randrange(600))


def batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def insert_all(connection: AsyncConnection, model: Any, rows: Iterator[dict[str, Any]]) -> int:
    """executemany in batches; returns the number of rows."""
    count = 0
    for batch in batches(rows):
        await connection.execute(insert(model.__table__), batch)
        count += len(batch)
    return count


class Organisation:
    """Draws the synthetic organisation; everything derives from one seeded random generator."""

    def __init__(self, *, seed: int, departments: int, theme_ids: Sequence[int], today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.first_day = today - timedelta(days=DAYS)
        self.theme_ids = list(theme_ids)
        self.department_ids = list(range(1, departments + 1))
        # A few departments are large (retail, logistics); most are small, some under the threshold.
        self.department_sizes = [self.rng.choice((20, 40, 80, 150, 400, 1200)) for _ in self.department_ids]
        # Each department has two or three themes its leavers name far more often than the rest.
        self.theme_weights = {
            department: [self.rng.choice((8, 6, 4)) if self.rng.random() < 0.3 else 1 for _ in self.theme_ids]
            for department in self.department_ids
        }

    @property
    def job_family_headcount(self) -> int:
        """Leavers are spread evenly over the job families, so each holds an equal share of the people."""
        return sum(self.department_sizes) // len(JOB_FAMILIES)

    def departments(self) -> Iterator[dict[str, Any]]:
        for number, (department_id, size) in enumerate(zip(self.department_ids, self.department_sizes, strict=True)):
            yield {"id": department_id, "name": f"Department {number + 1:02d}", "headcount": size, "active": True}

    def day(self, *, after: date | None = None, before: date | None = None) -> date:
        start, end = after or self.first_day, before or self.today
        return start + timedelta(days=self.rng.randrange(max(1, (end - start).days + 1)))

    def interviews(self, count: int, *, job_families: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for interview_id in range(1, count + 1):
            exit_date = self.day()
            created = at(min(exit_date + timedelta(days=rng.randrange(10)), self.today), rng)
            yield {
                "id": interview_id,
                "department_id": rng.choices(self.department_ids, weights=self.department_sizes)[0],
                "job_family_id": rng.randrange(1, job_families + 1),
                "tenure_band": rng.choice(list(TenureBand)).value, "exit_date": exit_date,
                "channel": rng.choice(list(Channel)).value, "language": rng.choice(list(Language)).value,
                "interviewer_id": None, "reason_for_leaving": rng.choice(REASONS),
                "pay_factor": rng.choice(list(PayFactor)).value, "tasks_match_score": rng.randint(1, 5),
                "manager_support_score": rng.randint(1, 5), "training_score": rng.randint(1, 5),
                "recognition_score": rng.randint(1, 5), "improvement_suggestion": "", "notes": "",
                "would_return": rng.choice(list(WouldReturn)).value, "recommend_score": rng.randint(0, 10),
                "created_at": created, "updated_at": created,
            }

    def interview_themes(self, interviews: list[tuple[int, int]]) -> Iterator[dict[str, Any]]:
        for interview_id, department_id in interviews:
            weights = self.theme_weights[department_id]
            for theme_id in set(self.rng.choices(self.theme_ids, weights=weights, k=self.rng.randint(1, 3))):
                yield {"interview_id": interview_id, "theme_id": theme_id}

    def users(self, owners: int, password_hash: str) -> Iterator[dict[str, Any]]:
        created = at(self.first_day, self.rng)
        for email, role, name, language in USERS:
            yield {"email": email, "display_name": name, "role": role.value, "language": language.value,
                   "password_hash": password_hash, "active": True, "is_demo": True, "created_at": created}
        for number in range(owners):
            yield {"email": f"owner{number:04d}@example.com", "display_name": f"Owner {number:04d}",
                   "role": Role.OWNER.value, "language": self.rng.choice(list(Language)).value,
                   "password_hash": password_hash, "active": True, "is_demo": False, "created_at": created}

    def actions(self, count: int, *, owner_ids: list[int], creator_ids: list[int],
                job_families: int) -> Iterator[tuple[dict[str, Any], list[int], dict[str, Any] | None, list[dict]]]:
        """Each action with its themes, its evidence (most have some) and its updates."""
        rng = self.rng
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        for action_id in range(1, count + 1):
            created_day = self.day(before=self.today - timedelta(days=7))
            deadline = created_day + timedelta(days=rng.randrange(30, 366))
            status = rng.choices(statuses, weights=weights)[0]
            # Recent actions are rarely done yet.
            if status == ActionStatus.DONE and created_day > self.today - timedelta(days=30):
                status = ActionStatus.IN_PROGRESS
            completed_on = None
            if status == ActionStatus.DONE:
                # Most are done on time, some late; never in the future.
                late = rng.random() < 0.3
                completed_on = min(self.today, self.day(after=created_day + timedelta(days=7),
                                                        before=deadline + timedelta(days=60 if late else 0)))
            progress = {ActionStatus.DONE: 100, ActionStatus.PLANNED: 0}.get(status, rng.randrange(5, 95, 5))
            scope = rng.choices([Scope.DEPARTMENT, Scope.COMPANY, Scope.JOB_FAMILY], weights=[70, 20, 10])[0]
            department_id = rng.choice(self.department_ids) if scope == Scope.DEPARTMENT else None
            published = status != ActionStatus.CANCELLED and rng.random() < 0.35
            created = at(created_day, rng)
            updates = [self.update(action_id, created_day, owner_ids, status, progress)
                       for _ in range(rng.randrange(0, 6))]
            last = max([created, *(update["created_at"] for update in updates)])
            themes = sorted(set(rng.choices(self.theme_ids, k=rng.choice((1, 1, 1, 2)))))
            action = {
                "id": action_id, "title_en": f"Action {action_id}: {rng.choice(REASONS).rstrip('.').lower()}",
                "description": "Internal description.",
                "public_summary_en": f"What we do about it (action {action_id}).",
                "scope": scope.value, "department_id": department_id,
                "job_family_id": rng.randrange(1, job_families + 1) if scope == Scope.JOB_FAMILY else None,
                "owner_id": rng.choice(owner_ids), "deadline": deadline, "status": status.value,
                "progress": progress, "success_measure": "", "target_share": None, "published": published,
                "published_at": at(self.day(after=created_day), rng) if published else None,
                "completed_on": completed_on, "version": 1 + len(updates), "created_by_id": rng.choice(creator_ids),
                "created_at": created, "updated_at": last,
            }
            evidence = None
            if rng.random() < 0.8:
                leavers = rng.randrange(2, 200)
                evidence = {"action_id": action_id, "theme_id": themes[0],
                            "period_start": created_day - timedelta(days=180), "period_end": created_day,
                            "raised_count": rng.randrange(1, leavers + 1), "leavers_count": leavers,
                            "created_at": created}
            yield action, themes, evidence, updates

    def update(self, action_id: int, created_day: date, owner_ids: list[int], status: str,
               progress: int) -> dict[str, Any]:
        day = self.day(after=created_day)
        return {"action_id": action_id, "author_id": self.rng.choice(owner_ids), "status_before": None,
                "status_after": status, "progress_before": None, "progress_after": progress,
                "note": "Progress noted.", "created_at": at(day, self.rng)}


async def generate(url: str, *, actions: int, interviews: int, departments: int, seed: int) -> dict[str, int]:
    engine = make_engine(url)
    counts: dict[str, int] = {}
    try:
        async with engine.begin() as connection:
            for model in (ExitInterview, ActionItem, User, Department):
                if (await connection.execute(select(func.count()).select_from(model))).scalar_one():
                    raise SystemExit(f"refusing: table {model.__tablename__} is not empty (use an empty database)")
            theme_ids = list((await connection.execute(select(Theme.id).order_by(Theme.id))).scalars())
            org = Organisation(seed=seed, departments=departments, theme_ids=theme_ids, today=clock.today())
            counts["departments"] = await insert_all(connection, Department, org.departments())
            counts["job families"] = await insert_all(connection, JobFamily, (
                {"id": number, "name": name, "active": True, "headcount": org.job_family_headcount}
                for number, name in enumerate(JOB_FAMILIES, start=1)))
            owners = max(10, actions // 20)
            counts["users"] = await insert_all(connection, User, org.users(owners, hash_password(DEMO_PASSWORD)))
            users = (await connection.execute(select(User.id, User.role))).all()
            owner_ids = [user_id for user_id, role in users if role == Role.OWNER]
            creator_ids = [user_id for user_id, role in users if role == Role.HR]

            interview_rows = list(org.interviews(interviews, job_families=len(JOB_FAMILIES)))
            counts["interviews"] = await insert_all(connection, ExitInterview, iter(interview_rows))
            counts["interview themes"] = await insert_all(connection, InterviewTheme, org.interview_themes(
                [(row["id"], row["department_id"]) for row in interview_rows]))
            del interview_rows

            action_rows, theme_rows, evidence_rows, update_rows = [], [], [], []
            for action, themes, evidence, updates in org.actions(
                    actions, owner_ids=owner_ids, creator_ids=creator_ids, job_families=len(JOB_FAMILIES)):
                action_rows.append(action)
                theme_rows.extend({"action_id": action["id"], "theme_id": theme_id} for theme_id in themes)
                evidence_rows.extend([evidence] if evidence else [])
                update_rows.extend(updates)
            counts["actions"] = await insert_all(connection, ActionItem, iter(action_rows))
            counts["published actions"] = sum(row["published"] for row in action_rows)
            counts["action themes"] = await insert_all(connection, ActionTheme, iter(theme_rows))
            counts["action evidence"] = await insert_all(connection, ActionEvidence, iter(evidence_rows))
            counts["action updates"] = await insert_all(connection, ActionUpdate, iter(update_rows))
            if connection.dialect.name == "postgresql":
                # Ids were given explicitly: move the sequences past them so the app can insert.
                for table in ("department", "job_family", "app_user", "exit_interview", "action_item", "action_update"):
                    await connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
                await connection.execute(text("ANALYZE"))
        if engine.dialect.name == "postgresql":
            # As autovacuum soon does on a live database: index-only scans skip the rows once the
            # pages are marked all-visible, which a bulk load leaves undone.
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("VACUUM"))
    finally:
        await engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--interviews", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    config = alembic_config(args.database_url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    counts = asyncio.run(generate(args.database_url, actions=args.actions, interviews=args.interviews,
                                  departments=args.departments, seed=args.seed))
    print(", ".join(f"{count} {name}" for name, count in counts.items()))
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
