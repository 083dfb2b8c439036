"""Request-wide wiring: the login loader, the write transaction for POSTs, template helpers."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user

from app.database import begin_write
from app.extensions import db, login_manager
from app.models import (
    ActorKind,
    ApplicationStatus,
    ChoiceStatus,
    EventStatus,
    OrganiserAlerts,
    OutboxStatus,
    QuestionKind,
    RegistrationStatus,
    TravelDecision,
    User,
)
from app.services.applications.applications import Decision
from app.services.audit import actors, recorder
from app.services.countries import country_name
from app.services.events.series import ordinal
from app.services.formatting import format_date_range, format_local, format_time_range
from app.services.registration.availability import Availability

TEMPLATE_ENUMS = (ActorKind, ApplicationStatus, Availability, ChoiceStatus, Decision, EventStatus, OrganiserAlerts, OutboxStatus,
                  QuestionKind, RegistrationStatus, TravelDecision)


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user and user.active else None

    recorder.install()
    actors.use_request_actor(request_actor)

    @app.before_request
    def start_write_transaction() -> None:
        # Every state-changing request is one transaction that may take the write lock.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            begin_write(db.session)

    @app.after_request
    def security_headers(response):
        # Personal links carry their token in the path: never hand it to another site as a Referer.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.globals["format_date_range"] = format_date_range
    app.jinja_env.globals["format_time_range"] = format_time_range
    app.jinja_env.filters["ordinal"] = ordinal
    # Templates compare enums as enums (`registration.status == RegistrationStatus.CONFIRMED`), never
    # their values as strings, so that every use of a state is found from its member; each page sees them.
    app.jinja_env.globals.update({enum.__name__: enum for enum in TEMPLATE_ENUMS})

    @app.context_processor
    def inject_now() -> dict[str, datetime]:
        from app.models import utcnow

        return {"now": utcnow()}


def request_actor() -> actors.Actor | None:
    """Who the audit log names for a change made in this request (worked out at the first change, not per
    request: the public form must not load the signed-in user for nothing)."""
    if not has_request_context():
        return None
    actor = g.get("audit_actor")
    if actor is None:
        if request.blueprint == "participant":
            actor = actors.PARTICIPANT
        elif request.blueprint == "public":
            actor = actors.PUBLIC_FORM
        elif current_user.is_authenticated:
            actor = actors.organiser(current_user)
        else:
            actor = actors.NOT_SIGNED_IN
        g.audit_actor = actor
    return actor
