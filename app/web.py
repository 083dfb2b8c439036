"""Request-wide wiring: the login loader, the write transaction for POSTs, template helpers."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request

from app.database import begin_write
from app.extensions import db, login_manager
from app.models import (
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
from app.services.countries import country_name
from app.services.events.series import ordinal
from app.services.formatting import format_date_range, format_local, format_time_range
from app.services.registration.availability import Availability

TEMPLATE_ENUMS = (ApplicationStatus, Availability, ChoiceStatus, Decision, EventStatus, OrganiserAlerts, OutboxStatus,
                  QuestionKind, RegistrationStatus, TravelDecision)


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user and user.active else None

    @app.before_request
    def start_write_transaction() -> None:
        # Every state-changing request is one transaction that may take the write lock.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            begin_write(db.session)

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
