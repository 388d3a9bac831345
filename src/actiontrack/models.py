"""Every table of actiontrack, as SQLModel classes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from actiontrack.clock import utcnow
from actiontrack.i18n import current_language
from actiontrack.texts import Localized, localized, localized_sql, name_sql

# Named constraints make SQLite batch migrations and PostgreSQL drops predictable.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on every engine (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _short(max_length: int = 20, **kwargs: Any) -> Any:
    return Field(sa_type=sa.String(max_length), max_length=max_length, **kwargs)


def _long() -> Any:
    """A free text: long enough for a frank answer, short enough to keep pages and the database sane."""
    return Field(default="", sa_type=sa.Text, max_length=5000)


class Role(StrEnum):
    HR = "hr"
    LEADERSHIP = "leadership"
    OWNER = "owner"


class Language(StrEnum):
    NL = "nl"
    FR = "fr"
    EN = "en"


class Channel(StrEnum):
    INTERVIEW = "interview"
    SURVEY = "survey"


class TenureBand(StrEnum):
    UNDER_1 = "lt1"
    FROM_1_TO_2 = "1to2"
    FROM_2_TO_5 = "2to5"
    FROM_5_TO_10 = "5to10"
    OVER_10 = "gt10"


class PayFactor(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class WouldReturn(StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class Scope(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    JOB_FAMILY = "job_family"


def _name_in(language: str) -> Any:
    # A department's or job family's name for readers of one language; empty: they see another one.
    return Field(default="", sa_type=sa.String(120), max_length=120, sa_column_kwargs={"server_default": ""})


class _NamedGroup:
    """A department or job family: `name` is the key HR and the imports match on; readers see `label`."""

    name: str
    name_nl: str
    name_fr: str
    name_en: str

    def names(self) -> dict[str, str]:
        return {"nl": self.name_nl, "fr": self.name_fr, "en": self.name_en}

    def label(self, language: str | None = None) -> Localized:
        """The name in the reader's language (the request's by default), else `name` (language unknown)."""
        return localized(self.names(), language or current_language(), default=self.name, fallback=False)

    @classmethod
    def label_sql(cls, language: str | None = None) -> Any:
        """The same as `label`, as SQL (the text only)."""
        names = {"nl": cls.name_nl, "fr": cls.name_fr, "en": cls.name_en}
        return name_sql(names, cls.name, language or current_language())


class Department(_NamedGroup, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(120), max_length=120, unique=True)
    name_nl: str = _name_in("nl")
    name_fr: str = _name_in("fr")
    name_en: str = _name_in("en")
    headcount: int = Field(default=0, ge=0)
    active: bool = Field(default=True)


class JobFamily(_NamedGroup, SQLModel, table=True):
    __tablename__ = "job_family"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(120), max_length=120, unique=True)
    name_nl: str = _name_in("nl")
    name_fr: str = _name_in("fr")
    name_en: str = _name_in("en")
    # How many people work in the job family (0: not entered); pools small job families (disclosure/pools.py).
    headcount: int = Field(default=0, ge=0, sa_column_kwargs={"server_default": "0"})
    active: bool = Field(default=True)


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased (see params.normalise_email), which makes uniqueness case-insensitive.
    email: str = Field(sa_type=sa.String(254), max_length=254, unique=True)
    display_name: str = Field(sa_type=sa.String(120), max_length=120)
    role: str = _short()
    language: str = _short(2, default=Language.EN)
    password_hash: str | None = Field(default=None, sa_type=sa.String(255))
    active: bool = Field(default=True)
    is_demo: bool = Field(default=False)
    created_at: datetime = _created()
    # Part of the session cookie: raising it ends every session of the user at once, on every worker,
    # without an extra query (the request's user lookup reads it anyway).
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_sign_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Theme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=sa.String(40), max_length=40, unique=True)
    name_nl: str = Field(sa_type=sa.String(120), max_length=120)
    name_fr: str = Field(sa_type=sa.String(120), max_length=120)
    name_en: str = Field(sa_type=sa.String(120), max_length=120)
    description_nl: str = Field(default="", sa_type=sa.Text, max_length=2000)
    description_fr: str = Field(default="", sa_type=sa.Text, max_length=2000)
    description_en: str = Field(default="", sa_type=sa.Text, max_length=2000)
    # Comma-separated word stems, matched accent- and case-insensitively.
    keywords_nl: str = Field(default="", sa_type=sa.Text)
    keywords_fr: str = Field(default="", sa_type=sa.Text)
    keywords_en: str = Field(default="", sa_type=sa.Text)
    position: int = Field(default=0)
    active: bool = Field(default=True)

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}", None) or self.name_en

    def description(self, language: str) -> str:
        return getattr(self, f"description_{language}", None) or self.description_en


class ThemeSuggestion(SQLModel, table=True):
    """A proven response to a theme, in one language: HR starts an action from it and edits it there."""

    __tablename__ = "theme_suggestion"

    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", index=True, ondelete="CASCADE")
    language: str = _short(2)
    position: int = Field(default=0)
    # The same limits as the action fields it fills (ActionItem's title_* and texts).
    title: str = Field(sa_type=sa.String(200), max_length=200)
    description: str = _long()
    public_summary: str = _long()
    success_measure: str = _long()


class InterviewColumns(SQLModel):
    """The columns of an exit and a stay interview besides the answers: the group (never the person), how long
    they had worked here, how and in which language the answers came, who took them, the notes, and when."""

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    job_family_id: int = Field(foreign_key="job_family.id", index=True)
    tenure_band: str = _short()
    channel: str = _short()
    language: str = _short(2, default=Language.EN)
    interviewer_id: int | None = Field(default=None, foreign_key="app_user.id")
    notes: str = _long()
    created_at: datetime = _created()
    # Indexed: HR's radar counts the interviews changed since a release without reading the others.
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)


class ExitInterview(InterviewColumns, table=True):
    __tablename__ = "exit_interview"
    __table_args__ = (
        sa.CheckConstraint("tasks_match_score BETWEEN 1 AND 5", name="tasks_match_score"),
        sa.CheckConstraint("manager_support_score BETWEEN 1 AND 5", name="manager_support_score"),
        sa.CheckConstraint("training_score BETWEEN 1 AND 5", name="training_score"),
        sa.CheckConstraint("recognition_score BETWEEN 1 AND 5", name="recognition_score"),
        sa.CheckConstraint("recommend_score BETWEEN 0 AND 10", name="recommend_score"),
        # HR's live counts read the days that do not fill a month from here, without the rows (leaver_counts).
        sa.Index("ix_exit_interview_exit_date_figures", "exit_date", "department_id", "job_family_id", "id",
                 "tasks_match_score", "manager_support_score", "training_score", "recognition_score",
                 "would_return", "recommend_score"),
    )

    exit_date: date = Field(index=True)
    reason_for_leaving: str = _long()
    pay_factor: str = _short()
    tasks_match_score: int
    manager_support_score: int
    training_score: int
    recognition_score: int
    improvement_suggestion: str = _long()
    would_return: str = _short()
    recommend_score: int


class InterviewTheme(SQLModel, table=True):
    __tablename__ = "interview_theme"

    interview_id: int = Field(foreign_key="exit_interview.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, index=True)


class InterviewFingerprint(SQLModel, table=True):
    """What makes an imported (or API-sent) interview recognisable, so the same file or request adds nothing twice.

    `fingerprint` is a hash of the interview's answers, group and exit date, never the answers themselves;
    `idempotency_key` a hash of the API token's user and the client's Idempotency-Key header, with
    `body_hash` the hash of the body first sent with it. Deleted with its interview.
    """

    __tablename__ = "interview_fingerprint"

    interview_id: int = Field(foreign_key="exit_interview.id", primary_key=True, ondelete="CASCADE")
    fingerprint: str = Field(sa_type=sa.String(64), unique=True)
    idempotency_key: str | None = Field(default=None, sa_type=sa.String(64), unique=True)
    body_hash: str | None = Field(default=None, sa_type=sa.String(64))


class ImportUpload(SQLModel, table=True):
    """An uploaded file between its upload and its import, as the table read from it (JSON: the cells,
    never the file itself): deleted at import or cancel, and by the retention job a day after upload."""

    __tablename__ = "import_upload"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = _short()
    filename: str = Field(sa_type=sa.String(255), max_length=255)
    content: bytes = Field(sa_type=sa.LargeBinary)
    created_by_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)


class RememberedMapping(SQLModel, table=True):
    """The columns HR mapped for a file's header row, offered as the first guess for the next file with the
    same headers. Keyed by a hash of the normalised header row; it holds which field each column became,
    never a cell of the file."""

    __tablename__ = "import_mapping"
    __table_args__ = (sa.UniqueConstraint("kind", "headers_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = _short()
    headers_hash: str = _short(64)
    columns: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id", index=True, ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Source(StrEnum):
    """Whose answers a figure counts: leavers' exit interviews or current staff's stay interviews."""

    EXIT = "exit"
    STAY = "stay"


STAY_SCORE_QUESTIONS = ("growth_score", "recognition_score", "manager_support_score", "workload_score")


class StayInterview(InterviewColumns, table=True):
    """A stay interview: what keeps someone who still works here, and what would make them leave.

    Recorded by HR or a manager, or answered through a one-time confidential link. Like exit answers,
    its answers are for HR only; everyone else sees released, suppressed figures.
    """

    __tablename__ = "stay_interview"
    __table_args__ = tuple(
        sa.CheckConstraint(f"{name} BETWEEN 1 AND 5", name=name) for name in STAY_SCORE_QUESTIONS
    )

    held_on: date = Field(index=True)
    keeps_here: str = _long()  # what keeps you here
    might_leave: str = _long()  # what would make you leave
    should_change: str = _long()  # what should change
    growth_score: int
    recognition_score: int
    manager_support_score: int
    workload_score: int


class StayInterviewTheme(SQLModel, table=True):
    __tablename__ = "stay_interview_theme"

    stay_interview_id: int = Field(foreign_key="stay_interview.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, index=True)


class QuestionKind(StrEnum):
    """How an extra question is answered."""

    SCALE = "scale"  # 1 to 5
    YES_NO = "yes_no"
    CHOICE = "choice"  # one of a list
    TEXT = "text"  # free text, for HR only


class ExtraQuestion(SQLModel, table=True):
    """A question HR adds beside the standard set, for some departments or job families (or everyone).

    One row per version: editing a question that has answers replaces it (`current` False) by a new row of
    the same `series_id`, so old answers keep the wording they were given with. Retired: `active` False.
    """

    __tablename__ = "extra_question"

    id: int | None = Field(default=None, primary_key=True)
    series_id: int | None = Field(default=None, index=True)  # the id of its first version
    kind: str = _short()
    text_nl: str = Field(default="", sa_type=sa.String(300), max_length=300)
    text_fr: str = Field(default="", sa_type=sa.String(300), max_length=300)
    text_en: str = Field(default="", sa_type=sa.String(300), max_length=300)
    # A choice question's options, one a line, in the same order in each language.
    options_nl: str = Field(default="", sa_type=sa.Text, max_length=2000)
    options_fr: str = Field(default="", sa_type=sa.Text, max_length=2000)
    options_en: str = Field(default="", sa_type=sa.Text, max_length=2000)
    # Who is asked: these departments and these job families; both empty: everyone.
    department_ids: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    job_family_ids: list[int] = Field(default_factory=list, sa_type=sa.JSON)
    # Asked in exit interviews and surveys ("exit"), stay interviews and surveys ("stay"), or both ("both").
    asked_in: str = _short(default="exit", sa_column_kwargs={"server_default": "exit"})
    current: bool = Field(default=True)
    active: bool = Field(default=True)
    created_at: datetime = _created()


class QuestionAnswer(SQLModel, table=True):
    """One exit interview's answer to one version of an extra question; erased with the interview."""

    __tablename__ = "question_answer"

    interview_id: int = Field(foreign_key="exit_interview.id", primary_key=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="extra_question.id", primary_key=True, index=True)
    value: int | None = None  # a score 1-5, yes 1 / no 0, or the position of the chosen option
    text: str = _long()  # free text: emptied by retention


class StayQuestionAnswer(SQLModel, table=True):
    """One stay interview's answer to one version of an extra question; erased with the stay interview."""

    __tablename__ = "stay_question_answer"

    interview_id: int = Field(foreign_key="stay_interview.id", primary_key=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="extra_question.id", primary_key=True, index=True)
    value: int | None = None  # as QuestionAnswer.value
    text: str = _long()  # free text: emptied by retention


class ActionItem(SQLModel, table=True):
    __tablename__ = "action_item"
    __table_args__ = (
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
        sa.CheckConstraint("version >= 1", name="version"),
        # /changes numbers the published actions newest first: read from this index alone.
        sa.Index("ix_action_item_published", "published", "published_at", "id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The title, description, success measure and public summary in each language: at least one title;
    # readers see `title_in(language)` (texts.localized: their language, else another one, marked with its `lang`).
    title_nl: str = Field(default="", sa_type=sa.String(200), max_length=200, sa_column_kwargs={"server_default": ""})
    title_fr: str = Field(default="", sa_type=sa.String(200), max_length=200, sa_column_kwargs={"server_default": ""})
    title_en: str = Field(default="", sa_type=sa.String(200), max_length=200, sa_column_kwargs={"server_default": ""})
    description_nl: str = Field(default="", sa_type=sa.Text, max_length=5000, sa_column_kwargs={"server_default": ""})
    description_fr: str = Field(default="", sa_type=sa.Text, max_length=5000, sa_column_kwargs={"server_default": ""})
    description_en: str = Field(default="", sa_type=sa.Text, max_length=5000, sa_column_kwargs={"server_default": ""})
    public_summary_nl: str = Field(default="", sa_type=sa.Text, max_length=5000,
                                   sa_column_kwargs={"server_default": ""})
    public_summary_fr: str = Field(default="", sa_type=sa.Text, max_length=5000,
                                   sa_column_kwargs={"server_default": ""})
    public_summary_en: str = Field(default="", sa_type=sa.Text, max_length=5000,
                                   sa_column_kwargs={"server_default": ""})
    scope: str = _short(default=Scope.COMPANY)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    job_family_id: int | None = Field(default=None, foreign_key="job_family.id", index=True)
    owner_id: int = Field(foreign_key="app_user.id", index=True)
    deadline: date = Field(index=True)
    status: str = _short(default=ActionStatus.PLANNED, index=True)
    progress: int = Field(default=0)
    success_measure_nl: str = Field(default="", sa_type=sa.Text, max_length=5000,
                                    sa_column_kwargs={"server_default": ""})
    success_measure_fr: str = Field(default="", sa_type=sa.Text, max_length=5000,
                                    sa_column_kwargs={"server_default": ""})
    success_measure_en: str = Field(default="", sa_type=sa.Text, max_length=5000,
                                    sa_column_kwargs={"server_default": ""})
    # Optional measurable target: the share of the group's leavers raising the theme drops below this.
    target_share: float | None = Field(default=None)
    published: bool = Field(default=False)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # HR's choice to name the action's group on /changes although it had fewer leavers than the
    # anonymity threshold in its evidence period (by default the page says "company-wide" instead).
    name_group_publicly: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    completed_on: date | None = Field(default=None)
    version: int = Field(default=1)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = _created()
    updated_at: datetime = _created()

    def titles(self) -> dict[str, str]:
        return {"nl": self.title_nl, "fr": self.title_fr, "en": self.title_en}

    def public_summaries(self) -> dict[str, str]:
        return {"nl": self.public_summary_nl, "fr": self.public_summary_fr, "en": self.public_summary_en}

    def descriptions(self) -> dict[str, str]:
        return {"nl": self.description_nl, "fr": self.description_fr, "en": self.description_en}

    def success_measures(self) -> dict[str, str]:
        return {"nl": self.success_measure_nl, "fr": self.success_measure_fr, "en": self.success_measure_en}

    def description_in(self, language: str | None = None) -> Localized:
        return localized(self.descriptions(), language or current_language())

    def success_measure_in(self, language: str | None = None) -> Localized:
        return localized(self.success_measures(), language or current_language())

    def title_in(self, language: str | None = None) -> Localized:
        """The title a reader of `language` (the request's by default) sees."""
        return localized(self.titles(), language or current_language())

    def public_summary_in(self, language: str | None = None) -> Localized:
        return localized(self.public_summaries(), language or current_language())

    @classmethod
    def title_sql(cls, language: str | None = None) -> tuple[Any, Any]:
        """The same as `title_in`, as SQL: the title's text and its language (two columns to select)."""
        return localized_sql({"nl": cls.title_nl, "fr": cls.title_fr, "en": cls.title_en},
                             language or current_language())

    @classmethod
    def public_summary_sql(cls, language: str | None = None) -> tuple[Any, Any]:
        return localized_sql({"nl": cls.public_summary_nl, "fr": cls.public_summary_fr, "en": cls.public_summary_en},
                             language or current_language())

    @property
    def title(self) -> str:
        """The title in the current reader's language, or the fallback (pages mark it with title_in)."""
        return self.title_in().text

    @property
    def public_summary(self) -> str:
        return self.public_summary_in().text

    @property
    def description(self) -> str:
        return self.description_in().text

    @property
    def success_measure(self) -> str:
        return self.success_measure_in().text


class ActionTheme(SQLModel, table=True):
    __tablename__ = "action_theme"
    # The status page counts actions per theme: a theme's actions without reading the rows.
    __table_args__ = (sa.Index("ix_action_theme_theme_id_action_id", "theme_id", "action_id"),)

    action_id: int = Field(foreign_key="action_item.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, index=True)


class ActionUpdate(SQLModel, table=True):
    """One entry of an action's history: a status, progress or deadline change with its note."""

    __tablename__ = "action_update"
    # An action's latest update, and whether it has a recent one (stale actions), without reading the rows.
    __table_args__ = (sa.Index("ix_action_update_action_id_created_at", "action_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action_item.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="app_user.id")
    status_before: str | None = Field(default=None, sa_type=sa.String(20))
    status_after: str = _short()
    progress_before: int | None = None
    progress_after: int
    deadline_before: date | None = None
    deadline_after: date | None = None
    # Set when the action changed hands, so the history shows who it moved from and to.
    owner_before_id: int | None = Field(default=None, foreign_key="app_user.id")
    owner_after_id: int | None = Field(default=None, foreign_key="app_user.id")
    note: str = Field(default="", sa_type=sa.Text, max_length=2000)
    created_at: datetime = _created()


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, when, and which fields changed (old and new values)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    verb: str = _short(40)
    entity: str = _short(40)
    entity_id: int | None = Field(default=None)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    ip: str | None = Field(default=None, sa_type=sa.String(64))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, or one whose password is still being checked (`pending`), kept in the
    database so throttling holds across workers (auth/throttling.py)."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=sa.String(254), index=True)
    ip: str = Field(sa_type=sa.String(64), index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    pending: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class SurveyInvitation(SQLModel, table=True):
    """A one-time link to the confidential online exit survey.

    No name and no link to the interview it produced. Once used, the link forgets its department,
    job family and maker (the interview carries the group; see surveys.queries.claim) and keeps days
    only: when it was made, expires and was used (midnight UTC), never the moment.
    """

    __tablename__ = "survey_invitation"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    job_family_id: int | None = Field(default=None, foreign_key="job_family.id")
    language: str = _short(2, default=Language.EN)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    # The day of use (midnight UTC), never the moment.
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Which survey the link opens: the exit survey or the stay survey (Source).
    kind: str = _short(default=Source.EXIT, sa_column_kwargs={"server_default": Source.EXIT.value})


class SurveyAnswer(SQLModel, table=True):
    """A survey's checked answers, waiting to become an interview (see surveys.queries).

    Written in the transaction that uses the link, so that an answer is never lost and a link never
    used twice; turned into an interview in a later transaction, after the day is over, together with
    the other answers of that day in random order. No link id, no moment finer than the day (UTC).
    """

    __tablename__ = "survey_answer"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = _short()
    answered_on: date = Field(index=True)
    department_id: int = Field(foreign_key="department.id")
    job_family_id: int = Field(foreign_key="job_family.id")
    language: str = _short(2, default=Language.EN)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class ActionEvidence(SQLModel, table=True):
    """Why an action exists: how many leavers of its group raised its theme in a period."""

    __tablename__ = "action_evidence"

    action_id: int = Field(foreign_key="action_item.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id")
    period_start: date
    period_end: date
    raised_count: int = Field(ge=0)
    leavers_count: int = Field(ge=0)
    created_at: datetime = _created()
    # Whose answers: leavers' exit interviews or stay interviews (then the counts are of people interviewed).
    source: str = _short(default=Source.EXIT, sa_column_kwargs={"server_default": Source.EXIT.value})


class UserToken(SQLModel, table=True):
    """A one-time link for a user, e.g. an invited owner setting a first password."""

    __tablename__ = "user_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    purpose: str = _short()
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PasswordResetRequest(SQLModel, table=True):
    """A "forgot your password?" request, kept to throttle per address and per client across workers."""

    __tablename__ = "password_reset_request"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=sa.String(254), index=True)
    ip: str = Field(sa_type=sa.String(64), index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; it acts with its user's role. Stored only as a hash."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(sa_type=sa.String(120), max_length=120)
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = _created()
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookStyle(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"  # an Office 365 connector's message card
    TEAMS_WORKFLOW = "teams_workflow"  # a Teams Workflows webhook: an Adaptive Card
    GENERIC = "generic"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Webhook(SQLModel, table=True):
    """A chat channel or system that receives reminders: Slack, Teams or signed generic JSON."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(120), max_length=120)
    url: str = Field(sa_type=sa.String(2000), max_length=2000)
    style: str = _short(default=WebhookStyle.GENERIC)
    # Key of the HMAC-SHA256 signature of generic JSON bodies; receivers need it, so it is kept as is.
    secret: str = Field(sa_type=sa.String(64), max_length=64)
    active: bool = Field(default=True)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = _created()


class Reminder(SQLModel, table=True):
    """A reminder claimed by one run of `actiontrack remind`; its unique key makes it happen once.

    The key names what the reminder is about (kind, action, due date, recipient), so two runs at
    the same moment on two machines race for one row and only the winner sends.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=sa.String(200), max_length=200, unique=True)
    kind: str = _short(30)
    action_id: int | None = Field(default=None, foreign_key="action_item.id", index=True, ondelete="CASCADE")
    recipient_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    due_on: date
    claimed_by: str = Field(sa_type=sa.String(120), max_length=120)
    claimed_at: datetime = _created()


class Delivery(SQLModel, table=True):
    """One message on one channel (an email address or a webhook) and how sending it ended."""

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id", index=True, ondelete="CASCADE")
    channel: str = _short()
    target: str = Field(sa_type=sa.String(254), max_length=254)
    webhook_id: int | None = Field(default=None, foreign_key="webhook.id", index=True, ondelete="SET NULL")
    subject: str = Field(default="", sa_type=sa.String(300), max_length=300)
    status: str = _short(default=DeliveryStatus.PENDING, index=True)
    attempts: int = Field(default=0)
    error: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When a later `actiontrack remind` tries a failed delivery again; None: not by itself (any more).
    next_try_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


class CalendarFeed(SQLModel, table=True):
    """A private iCalendar URL: an owner's open deadlines, or every deadline for HR."""

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    scope: str = _short()
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    created_at: datetime = _created()
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PeriodLength(StrEnum):
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


class ReportingPeriod(SQLModel, table=True):
    """A released reporting period: its figures about leavers are frozen and are all that leadership sees.

    Periods of one length partition time (calendar quarters, half-years or years) and never overlap,
    so that no two released figures differ by a few leavers. Interviews recorded for a period after
    its release never change it.
    """

    __tablename__ = "reporting_period"
    __table_args__ = (sa.UniqueConstraint("length", "period_start", name="uq_reporting_period_length_start"),)

    id: int | None = Field(default=None, primary_key=True)
    length: str = _short()
    period_start: date
    period_end: date
    released_at: datetime = _created()
    interviews: int = Field(default=0, ge=0)


class ReportingChoice(SQLModel, table=True):
    """The reporting period length HR chose in the app (one row): before HR chooses, ACTIONTRACK_REPORT_PERIOD;
    and whether small groups show in pools ("off", "auto", or a size in people; None: ACTIONTRACK_POOL_SIZE).

    Read on every request that shows released figures, so every worker follows a change at once.
    """

    __tablename__ = "reporting_choice"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: int = Field(default=1, primary_key=True)
    length: str = _short()
    pooling: str | None = _short(default=None, nullable=True)
    chosen_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    chosen_at: datetime = _created()


# The four 1-5 scores of an exit interview; LeaverFigures sums them under the same names.
SCORE_QUESTIONS = ("tasks_match_score", "manager_support_score", "training_score", "recognition_score")


class LeaverFigures(SQLModel):
    """A group of leavers and their answers summed: how many, their scores, would-return and eNPS counts."""

    leavers: int = Field(default=0)
    tasks_match_score: int = Field(default=0)
    manager_support_score: int = Field(default=0)
    training_score: int = Field(default=0)
    recognition_score: int = Field(default=0)
    would_return: int = Field(default=0)
    promoters: int = Field(default=0)
    detractors: int = Field(default=0)


class ReleasedGroup(LeaverFigures, table=True):
    """The frozen figures of one department or job family in a released period."""

    __tablename__ = "released_group"

    period_id: int = Field(foreign_key="reporting_period.id", primary_key=True, ondelete="CASCADE")
    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    headcount: int | None = Field(default=None)


class ReleasedTheme(SQLModel, table=True):
    """How many leavers of a group raised a theme in a released period (frozen)."""

    __tablename__ = "released_theme"

    period_id: int = Field(foreign_key="reporting_period.id", primary_key=True, ondelete="CASCADE")
    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True)
    raised: int = Field(default=0, ge=0)


class ReleasedAnswer(SQLModel, table=True):
    """How many leavers (or people in stay interviews) of a group gave the first or the second answer (or an option
    of a choice) to a version of an extra question in a released period (frozen; see
    questions.rules.leadership_answer); the others gave no answer."""

    __tablename__ = "released_answer"

    period_id: int = Field(foreign_key="reporting_period.id", primary_key=True, ondelete="CASCADE")
    source: str = Field(sa_type=sa.String(20), primary_key=True)  # "exit" or "stay" interviews
    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    question_id: int = Field(foreign_key="extra_question.id", primary_key=True)
    answer: int = Field(primary_key=True)  # 0: the first answer, 1: the second; a choice: its option, from 0
    count: int = Field(default=0, ge=0)


class ReleasedStayGroup(SQLModel, table=True):
    """The frozen stay-interview figures of one department or job family in a released period."""

    __tablename__ = "released_stay_group"

    period_id: int = Field(foreign_key="reporting_period.id", primary_key=True, ondelete="CASCADE")
    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    people: int = Field(default=0, ge=0)
    growth_score: int = Field(default=0)  # sums of the scores
    recognition_score: int = Field(default=0)
    manager_support_score: int = Field(default=0)
    workload_score: int = Field(default=0)


class ReleasedStayTheme(SQLModel, table=True):
    """How many people interviewed to stay in a group raised a theme in a released period (frozen)."""

    __tablename__ = "released_stay_theme"

    period_id: int = Field(foreign_key="reporting_period.id", primary_key=True, ondelete="CASCADE")
    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True)
    raised: int = Field(default=0, ge=0)


class ReleasedPool(SQLModel, table=True):
    """A department or job family shown outside HR only within a pool, in a released period (frozen).

    Decided at release from headcounts alone (disclosure/pools.py), never from who left."""

    __tablename__ = "released_pool"

    period_id: int = Field(foreign_key="reporting_period.id", primary_key=True, ondelete="CASCADE")
    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    pool_id: int
    headcount: int = Field(default=0)


class LeaverMonth(LeaverFigures, table=True):
    """Leavers of one department or job family whose last day fell in one month, and their answers summed.

    Kept up to date by database triggers on exit_interview (migration 0010), whoever writes: HR's
    live radar and status page read whole months here instead of counting every interview.
    """

    __tablename__ = "leaver_month"
    # The months of a period, whatever the group (the primary key leads with the group).
    __table_args__ = (sa.Index("ix_leaver_month_grouping_month", "grouping", "month"),)

    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    month: date = Field(primary_key=True)  # the month's first day


class LeaverMonthTheme(SQLModel, table=True):
    """How many leavers of a group in one month raised a theme (kept by triggers on interview_theme)."""

    __tablename__ = "leaver_month_theme"
    __table_args__ = (sa.Index("ix_leaver_month_theme_grouping_month", "grouping", "month"),)

    grouping: str = Field(sa_type=sa.String(20), primary_key=True)
    group_id: int = Field(primary_key=True)
    month: date = Field(primary_key=True)
    theme_id: int = Field(primary_key=True)
    raised: int = Field(default=0)



def _ids_never_reused() -> None:
    """Every table with an integer id is AUTOINCREMENT on SQLite (migration 0020).

    Without it SQLite hands a new row the id of a deleted newest one, and the audit trail, links and
    logs that named the deleted row then name the new one. PostgreSQL's sequences never go back.
    Tables added below this call are not covered (tests/test_migrations.py checks).
    """
    for table in SQLModel.metadata.tables.values():
        if [column.name for column in table.primary_key.columns] == ["id"]:
            table.dialect_kwargs["sqlite_autoincrement"] = True


_ids_never_reused()

@cache
def column_limit(model: str | type[SQLModel], column: str) -> int:
    """The most characters `model.column` holds: its `Field(max_length=...)`, the one source for forms and checks."""
    table = globals()[model] if isinstance(model, str) else model
    lengths = [item.max_length for item in table.model_fields[column].metadata if getattr(item, "max_length", None)]
    if not lengths:
        raise LookupError(f"{table.__name__}.{column} has no max_length")
    return lengths[0]
