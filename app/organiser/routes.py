"""Organiser dashboard: every event the organiser manages, with its numbers."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.extensions import db
from app.models import Event
from app.organiser import bp
from app.services.mail import email_log
from app.services.people.permissions import manageable_events_query
from app.services.privacy import requests as privacy_requests
from app.services.registration.availability import event_figures


@bp.get("/")
def dashboard():
    events = db.session.scalars(manageable_events_query(current_user).order_by(Event.starts_at.desc())).all()
    figures = event_figures(db.session, events)
    rows = [(event, figures[event.id], _fill_rate(event, figures[event.id].confirmed)) for event in events]
    failed = email_log.failed_counts(db.session, (event.id for event in events))
    failed_emails = [(event, failed[event.id]) for event in events if event.id in failed]
    asked = privacy_requests.open_request_counts(db.session, [event.id for event in events])
    deletion_requests = [(event, asked[event.id]) for event in events if event.id in asked]
    return render_template("organiser/dashboard.html", rows=rows, failed_emails=failed_emails,
                           deletion_requests=deletion_requests)


def _fill_rate(event: Event, confirmed: int) -> int | None:
    """Percent of the places taken; None when there is no limit (or no places at all)."""
    if not event.capacity:
        return None
    return round(100 * confirmed / event.capacity)


# Imported for their routes, which register on bp.
from app.organiser import applications as application_views  # noqa: E402,F401
from app.organiser import attendees as attendee_views  # noqa: E402,F401
from app.organiser import checkin as checkin_views  # noqa: E402,F401
from app.organiser import document_wording as document_wording_views  # noqa: E402,F401
from app.organiser import documents as document_views  # noqa: E402,F401
from app.organiser import email_texts as email_text_views  # noqa: E402,F401
from app.organiser import emails as email_views  # noqa: E402,F401
from app.organiser import events as event_views  # noqa: E402,F401
from app.organiser import messages as message_views  # noqa: E402,F401
from app.organiser import privacy as privacy_views  # noqa: E402,F401
from app.organiser import programme as programme_views  # noqa: E402,F401
from app.organiser import questions as question_views  # noqa: E402,F401
from app.organiser import series as series_views  # noqa: E402,F401
