"""Limits on the public forms (README "Limits", docs/security-limits.md).

How often one client address, one event (all clients together) and one mailbox may send a form, counted
by Flask-Limiter in its own storage (memory:// or Redis), never in the database: the registration POST
stays as cheap as it was. The client address is the connection's, or the one the configured number of
trusted proxies (TRUSTED_PROXIES) put in X-Forwarded-For: never a header taken at its word.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_babel import ngettext
from flask_limiter import RouteLimit
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import limiter
from app.services.mail.mailboxes import mailbox_of


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # ProxyFix takes the address the last `proxies` hops saw, so a client cannot choose its own by sending
        # X-Forwarded-For itself. Flask's documented way to add WSGI middleware; mypy refuses any assignment
        # to a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=1, x_host=1)  # type: ignore[method-assign]
    storage = app.config["RATELIMIT_STORAGE_URI"]
    if app.config.get("ENV_NAME") == "production" and app.config["RATELIMIT_ENABLED"] and storage.startswith("memory"):
        app.logger.warning(
            "Rate limits are counted in memory (RATELIMIT_STORAGE_URI=%s): each app process counts on its own, so "
            "with 4 workers every limit is 4 times looser. Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379.",
            storage)


def _configured(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _event_key() -> str:
    return "event:" + str((request.view_args or {}).get("slug", ""))


def _link_key() -> str:
    return "link:" + str((request.view_args or {}).get("token", ""))


def _mailbox_key() -> str:
    # An address is at most 254 characters; a longer "address" must not become a key of any length.
    return "mailbox:" + mailbox_of(request.form.get("email", "")[:254])


def per_client(setting: str) -> RouteLimit:
    """POSTs from one client address, at most the limit in config[setting]."""
    return limiter.limit(_configured(setting), methods=["POST"])


def per_event(setting: str) -> RouteLimit:
    """POSTs to one event's page (its <slug>) from every client together."""
    return limiter.limit(_configured(setting), key_func=_event_key, methods=["POST"])


def per_link(setting: str) -> RouteLimit:
    """POSTs to one personal link's page (its <token>) from every client together."""
    return limiter.limit(_configured(setting), key_func=_link_key, methods=["POST"])


def per_mailbox(setting: str) -> RouteLimit:
    """POSTs naming one mailbox in their `email` field, however it is spelt (plus-tags, ignored dots).
    A form sent without an address is not counted: it goes nowhere, and its form says what is missing."""
    return limiter.limit(_configured(setting), key_func=_mailbox_key, methods=["POST"],
                         exempt_when=lambda: not request.form.get("email", "").strip())


def retry_after_seconds() -> int | None:
    """When the limit this request broke lets the client try again, in seconds; None when not known."""
    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    return max(int(current.reset_at - time.time()), 1)


def readable_wait(seconds: int) -> str:
    """"30 seconds", "1 minute", "10 minutes", "2 hours": how long to wait, as people say it."""
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    hours = math.ceil(seconds / 3600)
    return ngettext("%(num)d hour", "%(num)d hours", hours)
