"""Configuration classes. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# The development fallback, which production refuses (compared by value: Config.SECRET_KEY itself
# is whatever the environment set).
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    ENV_NAME = "development"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)  # None: production without one
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'wta_events.db'}"
    )
    # Connections are replaced after 30 minutes rather than pinged before every request: a ping is one more
    # round trip on every page and registration. A connection the server dropped meanwhile (a restart) fails
    # one request, and the pool then replaces it.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEBUG = _bool("MAIL_DEBUG")  # Flask-Mail would otherwise print every SMTP exchange in debug mode
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "WTA Events <events@wtanet.org>"
    )
    # Reply-To of an email that has no event contact address to send replies to; empty: the sender.
    MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO", "")
    # Links in emails are rendered when the email is queued; this base makes them
    # right whatever host the request came in on (or when there is no request at all).
    APP_BASE_URL = os.environ.get("APP_BASE_URL", "http://127.0.0.1:5000")

    # Outbox worker: attempts before an email is given up on, and the longest wait between tries.
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)
    MAIL_MAX_BACKOFF_SECONDS = _int("MAIL_MAX_BACKOFF_SECONDS", 6 * 3600)

    ATTENDEES_PER_PAGE = 50
    EMAILS_PER_PAGE = 50  # an event's email log

    # Files participants upload with their answers (docs/features/custom-questions.md): kept outside the web root, under
    # random names, served only through the app's permission checks.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    UPLOAD_MAX_BYTES = _int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
    # A PDF sent with a message to a group (stored once, attached to every email when it is sent).
    MESSAGE_ATTACHMENT_MAX_BYTES = _int("MESSAGE_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
    # The whole request: a form may hold several files. Larger requests get a friendly 413 page.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)

    # Rate limits (Flask-Limiter; README "Limits"). Counts live in RATELIMIT_STORAGE_URI, never in the database:
    # memory:// holds for one process only, so production with several workers uses redis://127.0.0.1:6379.
    # RATELIMIT_ENABLED=false lifts every limit and the minimum fill time (benchmarks, concurrency tests).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # Redis down: the forms keep working without limits (and the error is logged) rather than all failing.
    RATELIMIT_SWALLOW_ERRORS = _bool("RATELIMIT_SWALLOW_ERRORS", True)
    # Wrong passwords from one address, whatever the account (a backstop against trying many accounts);
    # one account from one address waits longer after each wrong password (app/auth/lockout.py).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "30 per minute;300 per day")
    LOGIN_FREE_FAILURES = _int("LOGIN_FREE_FAILURES", 3)  # wrong passwords before the waits start
    LOGIN_FIRST_DELAY_SECONDS = _int("LOGIN_FIRST_DELAY_SECONDS", 2)  # then 4, 8, ... seconds
    LOGIN_MAX_DELAY_SECONDS = _int("LOGIN_MAX_DELAY_SECONDS", 15 * 60)
    # "Lost your link?" asks per client address and per mailbox (plus-tags and ignored dots stripped);
    # each registration's link is also emailed at most once in 10 minutes.
    LOST_LINK_RATE_LIMIT = os.environ.get("LOST_LINK_RATE_LIMIT", "5 per minute;30 per day")
    LOST_LINK_MAILBOX_RATE_LIMIT = os.environ.get("LOST_LINK_MAILBOX_RATE_LIMIT", "3 per hour;10 per day")
    # The public registration and application form: per client address, per event (all clients together)
    # and per mailbox (each registration emails its address).
    REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "10 per minute;100 per day")
    REGISTRATION_EVENT_RATE_LIMIT = os.environ.get("REGISTRATION_EVENT_RATE_LIMIT", "120 per minute")
    REGISTRATION_MAILBOX_RATE_LIMIT = os.environ.get("REGISTRATION_MAILBOX_RATE_LIMIT", "5 per 10 minutes;20 per day")
    # Uploads from the personal link's answers page: per client address and per personal link.
    UPLOAD_RATE_LIMIT = os.environ.get("UPLOAD_RATE_LIMIT", "10 per minute;60 per day")
    UPLOAD_LINK_RATE_LIMIT = os.environ.get("UPLOAD_LINK_RATE_LIMIT", "10 per hour")
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "60 per minute")
    # Stored uploads of one event's registrations together; a new file past it is refused.
    UPLOAD_QUOTA_PER_EVENT_MB = _int("UPLOAD_QUOTA_PER_EVENT_MB", 2048)
    # The public forms refuse a sending quicker than this after the page was shown (naive bots), and one
    # that filled the hidden honeypot field. 0 turns the timing off; it is off too when RATELIMIT_ENABLED is.
    FORM_MIN_FILL_SECONDS = _int("FORM_MIN_FILL_SECONDS", 3)
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (ProxyFix);
    # 0: the address the connection comes from. PROXY_FIX_X_FOR is its former name.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", _int("PROXY_FIX_X_FOR", 0))
    # Organiser accounts (docs/features/accounts.md): the shortest password accepted, how long the emailed links work.
    PASSWORD_MIN_LENGTH = _int("PASSWORD_MIN_LENGTH", 10)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 2 * 3600)  # seconds
    INVITATION_MAX_AGE = _int("INVITATION_MAX_AGE", 7 * 86400)  # seconds
    # "Forgot your password?" asks per client address; each account gets at most one link in 2 minutes.
    FORGOT_PASSWORD_RATE_LIMIT = os.environ.get("FORGOT_PASSWORD_RATE_LIMIT", "5 per minute;30 per day")
    ACCOUNTS_PER_PAGE = 50
    # Privacy (docs/features/privacy.md). The notice is linked beside the consent box of every public form;
    # CONSENT_VERSION names the consent text in force, stored with each registration: change it with the text.
    PRIVACY_NOTICE_URL = os.environ.get("PRIVACY_NOTICE_URL", "https://www.wtanet.org/privacy")
    CONSENT_VERSION = os.environ.get("CONSENT_VERSION", "2026-12")
    # `flask privacy purge` anonymises registrations this many months after their event ended (an event
    # may set its own period), and deletes the bodies of emails (they carry personal links) after OUTBOX_BODY_DAYS.
    RETENTION_MONTHS = _int("RETENTION_MONTHS", 24)
    OUTBOX_BODY_DAYS = _int("OUTBOX_BODY_DAYS", 90)
    # A personal link stops working this many days after the event ends (or after it was issued, for a
    # link sent again later from "Lost your link?").
    PERSONAL_LINK_DAYS_AFTER_EVENT = _int("PERSONAL_LINK_DAYS_AFTER_EVENT", 90)
    # Seconds a form's CSRF token stays valid (0: forever). A working day: a long form filled in slowly, on a
    # slow connection, between other work, still goes through; a token copied from an old page does not. An
    # expired form is shown again with a message (app/errors.py), not refused with a bare 400.
    WTF_CSRF_TIME_LIMIT = _int("WTF_CSRF_TIME_LIMIT", 8 * 3600) or None
    # Strict-Transport-Security max-age in seconds; 0 sends none (development serves plain HTTP).
    HSTS_SECONDS = _int("HSTS_SECONDS", 0)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    APP_BASE_URL = "http://localhost"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_SUPPRESS_SEND = False  # tests deliver to a real SMTP server they start
    MAIL_DEFAULT_SENDER = "WTA Events <events@example.org>"
    # Argon2 at production cost makes every login in the suite slow.
    PASSWORD_HASH_FAST = True
    RATELIMIT_ENABLED = False  # the suite signs in many times; the limits have their own tests
    FORM_MIN_FILL_SECONDS = 0  # the suite sends forms at once; tests/integration/test_limits.py turns it on
    UPLOAD_FOLDER = str(Path(tempfile.gettempdir()) / "wta-events-test-uploads")  # tests that upload use tmp_path


class ProductionConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")  # no default: create_app refuses to start without it
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS_SECONDS = _int("HSTS_SECONDS", 365 * 24 * 3600)  # browsers then refuse plain HTTP here for a year


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
