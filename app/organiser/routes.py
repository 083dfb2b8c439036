"""Organiser dashboard: every event the user has a role on, with its numbers and the pages their role opens."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models import Event, TeamRole
from app.organiser import bp
from app.services.mail import email_log
from app.services.people.permissions import (
    Capability,
    can_create_events,
    capabilities_of_roles,
    event_roles,
    visible_events_query,
)
from app.services.privacy import requests as privacy_requests
from app.services.registration.availability import EventFigures, event_figures
from app.services.registration.corrections import open_request_counts

# Where a row's title leads: the first page the role may open.
_HOME_PAGES = [(Capability.VIEW_LISTS, "organiser.attendees"), (Capability.REVIEW, "organiser.applications"),
               (Capability.CHECK_IN, "organiser.checkin_page"), (Capability.SEE_ATTENDANCE, "organiser.attendance")]


@dataclass(frozen=True)
class DashboardRow:
    event: Event
    figures: EventFigures
    fill_rate: int | None
    roles: list[TeamRole]  # empty for an administrator who is not on the team
    capabilities: frozenset[Capability]

    @property
    def home(self) -> str | None:
        """None when the role opens no page of this event: a reviewer's, when it takes no applications."""
        return next((endpoint for capability, endpoint in _HOME_PAGES
                     if capability in self.capabilities
                     and (endpoint != "organiser.applications" or self.event.takes_applications)), None)

    @property
    def role_label(self) -> str:
        if not self.roles:
            return _("Administrator")
        return ", ".join(role.label for role in sorted(self.roles, key=list(TeamRole).index))


@bp.get("/")
def dashboard():
    user = current_user._get_current_object()
    events = db.session.scalars(visible_events_query(user).order_by(Event.starts_at.desc())).all()
    figures = event_figures(db.session, events)
    roles = event_roles(db.session, user, events)
    rows = []
    for event in events:
        allowed = frozenset(Capability) if user.is_admin else capabilities_of_roles(roles[event.id])
        rows.append(DashboardRow(event, figures[event.id], _fill_rate(event, figures[event.id].confirmed),
                                 sorted(roles[event.id]), allowed))
    # Failed emails are the managers' to resend.
    managed = [row.event for row in rows if Capability.MANAGE in row.capabilities]
    failed = email_log.failed_counts(db.session, (event.id for event in managed))
    failed_emails = [(event, failed[event.id]) for event in managed if event.id in failed]
    asked = open_request_counts(db.session, [event.id for event in managed])
    corrections = [(event, asked[event.id]) for event in managed if event.id in asked]
    deletions = privacy_requests.open_request_counts(db.session, [event.id for event in managed])
    deletion_requests = [(event, deletions[event.id]) for event in managed if event.id in deletions]
    return render_template("organiser/dashboard.html", rows=rows, failed_emails=failed_emails,
                           corrections=corrections, deletion_requests=deletion_requests,
                           may_create=can_create_events(db.session, user))


def _fill_rate(event: Event, confirmed: int) -> int | None:
    """Percent of the places taken; None when there is no limit (or no places at all)."""
    if not event.capacity:
        return None
    return round(100 * confirmed / event.capacity)


# Imported for their routes, which register on bp.
from app.organiser import accounts as account_views  # noqa: E402,F401
from app.organiser import application_confirmations as application_confirmation_views  # noqa: E402,F401
from app.organiser import application_duplicates as application_duplicate_views  # noqa: E402,F401
from app.organiser import application_files as application_file_views  # noqa: E402,F401
from app.organiser import application_review as application_review_views  # noqa: E402,F401
from app.organiser import applications as application_views  # noqa: E402,F401
from app.organiser import attendees as attendee_views  # noqa: E402,F401
from app.organiser import audit_log as audit_log_views  # noqa: E402,F401
from app.organiser import checkin as checkin_views  # noqa: E402,F401
from app.organiser import corrections as correction_views  # noqa: E402,F401
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
from app.organiser import statistics as statistics_views  # noqa: E402,F401
from app.organiser import teams as team_views  # noqa: E402,F401
