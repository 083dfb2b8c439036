"""Sign-in lock-out: wrong passwords for one account from one address make that pair wait, longer each time.

Keyed on the account *and* the client address, so a script guessing one account's password slows only itself:
the account's owner signs in from another address, and colleagues behind the same address (a university, an
office) sign in to their own accounts, at once. After LOGIN_FREE_FAILURES wrong passwords the pair waits
LOGIN_FIRST_DELAY_SECONDS, then twice as long after each further one, up to LOGIN_MAX_DELAY_SECONDS; the right
password clears it. LOGIN_RATE_LIMIT stays as a wide backstop on one address trying many accounts.

Counted in the rate limiter's storage (memory:// or Redis), like the other limits; off with RATELIMIT_ENABLED.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from app.extensions import limiter

FAILURES_FORGOTTEN_AFTER = 24 * 3600  # seconds after the first wrong password of a series
T = TypeVar("T")


def _counted(action: Callable[[], T], otherwise: T) -> T:
    """The storage's answer; when it cannot be reached (Redis down), sign-in goes on without the lock-out, as the
    other limits do (RATELIMIT_SWALLOW_ERRORS), and the error is logged."""
    try:
        return action()
    except Exception:
        if not current_app.config.get("RATELIMIT_SWALLOW_ERRORS", True):
            raise
        current_app.logger.exception("Sign-in lock-out: the rate limit storage cannot be reached")
        return otherwise


def _keys(email: str) -> tuple[str, str]:
    pair = f"{(email or '').strip().lower()}/{get_remote_address()}"
    return f"LOGIN-FAILURES/{pair}", f"LOGIN-WAIT/{pair}"


def _on() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"])


def seconds_to_wait(email: str) -> int:
    """How long this account must wait before another try from this address; 0: try now."""
    if not _on():
        return 0
    _, wait_key = _keys(email)

    def wait() -> int:
        if not limiter.storage.get(wait_key):
            return 0
        return max(int(limiter.storage.get_expiry(wait_key) - time.time() + 0.999), 1)

    return _counted(wait, 0)


def record_failure(email: str) -> None:
    """A wrong password: past the free tries, this account and address wait before the next one."""
    if not _on():
        return
    failures_key, wait_key = _keys(email)
    config = current_app.config

    def count() -> None:
        failures = limiter.storage.incr(failures_key, FAILURES_FORGOTTEN_AFTER)
        delay = wait_after(failures, free=config["LOGIN_FREE_FAILURES"], first=config["LOGIN_FIRST_DELAY_SECONDS"],
                           longest=config["LOGIN_MAX_DELAY_SECONDS"])
        if delay:
            limiter.storage.clear(wait_key)
            limiter.storage.incr(wait_key, delay)

    _counted(count, None)


def wait_after(failures: int, *, free: int, first: int, longest: int) -> int:
    """Seconds to wait after this many wrong passwords in a row: none for the free ones, then first, doubling."""
    beyond = failures - free
    if beyond <= 0:
        return 0
    return min(first * 2 ** min(beyond - 1, 30), longest)


def forget(email: str) -> None:
    """The right password: the wrong ones before it no longer count."""
    if _on():
        _counted(lambda: [limiter.storage.clear(key) for key in _keys(email)], None)


def message(seconds: int) -> str:
    from app.limits import readable_wait

    return _("Too many wrong passwords for this account from your connection. Please wait %(wait)s, "
             "then try again (or use “Forgot your password?”).", wait=readable_wait(seconds))
