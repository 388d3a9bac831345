"""Configuration, read once from the environment."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A checkout (or an editable install) reads templates, static files, migrations and HTMX from its
# top-level folders; an installed wheel reads the copies its build put beside the code (setup.py).
BUNDLED = Path(__file__).resolve().parent / "bundled"
INSTALLED = BUNDLED.is_dir()
RESOURCES = BUNDLED if INSTALLED else PROJECT_ROOT
DEFAULT_SECRET = "change-me-development-only"
LANGUAGES = ("nl", "fr", "en")
DEFAULT_DATABASE_URL = f"sqlite:///{(Path.cwd() if INSTALLED else PROJECT_ROOT) / 'var' / 'actiontrack.db'}"


def web_origin(text: str) -> str | None:
    """`text` as a browser writes an origin (scheme://host[:port], lower case, no default port), or None.

    A trailing slash is forgiven; a path, query, fragment or user name is not (an origin has none).
    """
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if (scheme not in {"http", "https"} or not host or parts.username is not None or parts.password is not None
            or len(parts.path) > 1 or parts.query or parts.fragment or text.endswith(("?", "#"))
            or not all(char.isalnum() or char in ".-[]:" for char in host)):
        return None
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default else "")


class DatabaseSettings(BaseSettings):
    """What commands that only touch the database need (no secret key)."""

    model_config = SettingsConfigDict(env_prefix="ACTIONTRACK_", extra="ignore", populate_by_name=True)

    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgres")):
            raise ValueError("DATABASE_URL must be a sqlite:/// or postgresql:// URL")
        return value


class Settings(DatabaseSettings):
    """Every setting of the app; environment variables override the defaults."""

    env: Literal["development", "production"] = "production"
    secret_key: str = DEFAULT_SECRET
    anonymity_threshold: int = Field(default=5, ge=2, le=1000)
    default_language: Literal["nl", "fr", "en"] = "en"
    cookie_secure: bool | None = None
    session_max_age: int = Field(default=12 * 3600, ge=300)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    # Password hashes and checks (argon2, about 64 MiB each) running at once in one worker; more
    # attempts wait this long for a turn, then get 429.
    password_checks_at_once: int = Field(default=4, ge=1, le=64)
    password_check_wait_seconds: float = Field(default=5, ge=0, le=60)
    # "test" makes argon2 as cheap as it goes, for the test suite only; one cost per process.
    password_hash_cost: Literal["standard", "test"] = "standard"
    # Exit feedback: how long a survey link stays valid, and when a theme counts as recurring.
    survey_days: int = Field(default=30, ge=1, le=365)
    recurring_min_leavers: int = Field(default=3, ge=1)
    recurring_min_share: float = Field(default=0.25, gt=0, le=1)
    # Released reporting periods: what leadership sees about leavers (see disclosure/). Periods of this
    # length partition time; each is released (and frozen) this many days after it ends.
    report_period: Literal["quarter", "half", "year"] = "quarter"
    release_delay_days: int = Field(default=30, ge=0, le=366)
    # How often each worker checks for a period fallen due (a page never releases one); between release
    # days a check is one small query (HR's period length).
    release_check_seconds: float = Field(default=300, gt=0, le=86400)
    # Departments and job families with fewer people than this show only in pools outside HR (see
    # disclosure/pools.py); "auto": the size recommended for the organisation's volume; 0: no pools.
    pool_size: int | Literal["auto"] = Field(default=0, ge=0, le=1_000_000)
    # Did an action work: fewer leavers than this on either side (before it, after it) is too few to tell.
    effect_min_leavers: int = Field(default=10, ge=1, le=100000)
    # Retention (`actiontrack retention`): free-text answers are emptied, then whole interviews deleted,
    # this many months after the exit date; 0 keeps them for ever. Released aggregates stay.
    retention_free_text_months: int = Field(default=24, ge=0, le=1200)
    retention_interview_months: int = Field(default=60, ge=0, le=1200)
    # Who may read /changes: anyone ("public", e.g. for employer branding) or signed-in staff (an intranet).
    changes_access: Literal["public", "signed_in"] = "public"
    # Careers sites that may show /changes/embed in a frame and read /changes.json from their pages:
    # exact origins, "https://careers.example.be,https://jobs.example.com"; empty: no site may.
    embed_origins: str = ""
    # How long a worker may reuse its last look at the public data before asking the database again;
    # a change made on another worker shows on /changes at most this many seconds later (0: always ask).
    changes_max_stale_seconds: float = Field(default=1.0, ge=0, le=60)
    # Webhooks: how long one POST may take, and how many times a 5xx/429/timeout is retried.
    webhook_timeout_seconds: float = Field(default=5, gt=0, le=60)
    webhook_retries: int = Field(default=3, ge=0, le=10)
    # Webhooks to loopback, private and link-local addresses are refused (they would let whoever
    # registers a URL probe the internal network) unless this is set, for a chat server on the premises.
    webhook_allow_private: bool = False
    # Reminders (`actiontrack remind`): links in messages point at base_url; mail goes through SMTP.
    base_url: str = "http://localhost:8000"
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    # CA certificate(s) (PEM) the SMTP server's certificate must chain to, e.g. an internal CA; None: system trust.
    smtp_ca_file: Path | None = None
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = "actiontrack@localhost"
    smtp_timeout_seconds: float = Field(default=30, gt=0, le=300)
    # Days before the deadline the owner is reminded ("7,1"), then every N days while overdue.
    reminder_days_before: str = "7,1"
    overdue_repeat_days: int = Field(default=7, ge=1, le=365)
    blocked_alert_days: int = Field(default=14, ge=1, le=365)
    # Weekday of the HR/leadership digest: 0 is Monday, 6 is Sunday.
    digest_weekday: int = Field(default=0, ge=0, le=6)
    # Assignments older than this are not announced (e.g. on the very first run of the job).
    assignment_notice_days: int = Field(default=3, ge=0, le=60)
    # A delivery that failed for a passing reason (SMTP down, webhook 5xx) is tried again by later runs
    # for this many hours after its first try (see reminders/rules.py next_try_at); 0: only "Send again".
    delivery_retry_hours: int = Field(default=72, ge=0, le=720)
    # Log lines on standard error: "text" for people, "json" (one object per line) for log collectors.
    log_format: Literal["text", "json"] = "text"
    # Single sign-on with OpenID Connect (see oidc.py): on when an issuer is set. The provider's
    # discovery document is read from <issuer>/.well-known/openid-configuration.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    # Shown on the sign-in page: "Sign in with <name>".
    oidc_provider_name: str = Field(default="single sign-on", min_length=1, max_length=60)
    # Email domains that may sign in this way ("example.com,example.be"); empty: any domain.
    oidc_allowed_domains: str = ""
    # A verified email without an account becomes a new action owner instead of being turned away.
    oidc_create_owners: bool = False
    # Off: only single sign-on; the password form and the forgotten-password email are gone.
    password_sign_in: bool = True
    # Imports of spreadsheets (/interviews/import): the largest file and the most data rows accepted.
    # The upload route itself takes at most 100 MB.
    import_max_bytes: int = Field(default=10_000_000, ge=1000, le=100_000_000)
    import_max_rows: int = Field(default=20_000, ge=1, le=1_000_000)
    templates_dir: Path = RESOURCES / "templates"
    static_dir: Path = RESOURCES / "static"
    # Holds htmx.org/dist, installed from the npm registry at set-up (node_modules) or bundled.
    vendor_dir: Path = RESOURCES / ("vendor" if INSTALLED else "node_modules")

    @field_validator("reminder_days_before")
    @classmethod
    def _days_list(cls, value: str) -> str:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() and 0 < int(part) <= 365 for part in parts):
            raise ValueError("ACTIONTRACK_REMINDER_DAYS_BEFORE must be whole days between 1 and 365, e.g. 7,1")
        return ",".join(parts)

    @property
    def reminder_days(self) -> tuple[int, ...]:
        """reminder_days_before as numbers, largest first."""
        return tuple(sorted({int(part) for part in self.reminder_days_before.split(",") if part}, reverse=True))

    @field_validator("base_url")
    @classmethod
    def _absolute_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("ACTIONTRACK_BASE_URL must be an absolute http(s) URL")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _real_secret_outside_development(self) -> Settings:
        if self.env != "development" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "ACTIONTRACK_SECRET_KEY must be set to a long random value outside development "
                "(or set ACTIONTRACK_ENV=development)"
            )
        if len(self.secret_key) < 16:
            raise ValueError("ACTIONTRACK_SECRET_KEY must be at least 16 characters long")
        return self

    @model_validator(mode="after")
    def _text_purged_before_interviews(self) -> Settings:
        text, whole = self.retention_free_text_months, self.retention_interview_months
        if whole and text and text > whole:
            raise ValueError(
                "ACTIONTRACK_RETENTION_FREE_TEXT_MONTHS must not exceed ACTIONTRACK_RETENTION_INTERVIEW_MONTHS "
                "(free text goes first; 0 keeps for ever)"
            )
        return self

    @field_validator("oidc_allowed_domains")
    @classmethod
    def _domain_list(cls, value: str) -> str:
        parts = [part.strip().lower().lstrip("@") for part in value.split(",") if part.strip()]
        if not all("." in part and " " not in part and "@" not in part for part in parts):
            raise ValueError("ACTIONTRACK_OIDC_ALLOWED_DOMAINS must be email domains, e.g. example.com,example.be")
        return ",".join(parts)

    @field_validator("embed_origins")
    @classmethod
    def _origin_list(cls, value: str) -> str:
        origins = []
        for part in (part.strip() for part in value.split(",")):
            if part:
                origin = web_origin(part)
                if origin is None:
                    raise ValueError(
                        f"ACTIONTRACK_EMBED_ORIGINS: {part!r} is not an origin; write scheme and host, and a port "
                        "if not the usual one, e.g. https://careers.example.be,http://localhost:8080"
                    )
                origins.append(origin)
        return ",".join(dict.fromkeys(origins))

    @property
    def embed_origin_list(self) -> tuple[str, ...]:
        return tuple(part for part in self.embed_origins.split(",") if part)

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("ACTIONTRACK_OIDC_ISSUER must be the provider's https:// issuer URL")
        return value or None

    @model_validator(mode="after")
    def _complete_single_sign_on(self) -> Settings:
        if self.oidc_issuer and not (self.oidc_client_id and self.oidc_client_secret):
            raise ValueError("ACTIONTRACK_OIDC_ISSUER needs ACTIONTRACK_OIDC_CLIENT_ID "
                             "and ACTIONTRACK_OIDC_CLIENT_SECRET")
        if not self.password_sign_in and not self.oidc_issuer:
            raise ValueError("ACTIONTRACK_PASSWORD_SIGN_IN=false needs single sign-on (ACTIONTRACK_OIDC_ISSUER)")
        if self.oidc_create_owners and not self.oidc_allowed_domains:
            raise ValueError(
                "ACTIONTRACK_OIDC_CREATE_OWNERS needs ACTIONTRACK_OIDC_ALLOWED_DOMAINS: otherwise anyone with an "
                "account at the provider would get one here"
            )
        return self

    @property
    def single_sign_on(self) -> bool:
        return self.oidc_issuer is not None

    @property
    def oidc_domains(self) -> tuple[str, ...]:
        return tuple(part for part in self.oidc_allowed_domains.split(",") if part)

    @property
    def secure_cookies(self) -> bool:
        """Cookies are Secure unless told otherwise, except in development over plain http."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.env != "development"

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, so one leaked key does not open the others."""
        return hmac.new(self.secret_key.encode(), purpose.encode(), hashlib.sha256).digest()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
