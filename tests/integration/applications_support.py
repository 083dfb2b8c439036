"""Helpers for the applications tests: applications written straight to the database, and the organiser's
bulk decision as a browser sends it (tick, choose, confirm)."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Application,
    ApplicationStatus,
    Registration,
    RegistrationStatus,
    Review,
    TravelSupportRequest,
    utcnow,
)
from tests.conftest import csrf_token, start_writing
from tests.integration.organiser_support import add_registrations

_STATUS_OF_REGISTRATION = {
    ApplicationStatus.ACCEPTED: RegistrationStatus.CONFIRMED,
    ApplicationStatus.DECLINED: RegistrationStatus.CANCELLED,
    ApplicationStatus.WITHDRAWN: RegistrationStatus.CANCELLED,
}


def add_applications(event, count, *, status=ApplicationStatus.SUBMITTED, scores=(), travel=None, **fields):
    """Applications written straight to the database (no emails): for lists, overviews and exports."""
    registrations = add_registrations(
        event, count, status=_STATUS_OF_REGISTRATION.get(status, RegistrationStatus.APPLIED), **fields)
    start_writing()
    now = utcnow()
    for i, registration in enumerate(registrations):
        application = Application(registration_id=registration.id, status=status, submitted_at=now + timedelta(seconds=i),
                                  decided_at=now if status is ApplicationStatus.ACCEPTED else None)
        db.session.add(application)
        db.session.flush()
        for reviewer_id, score in scores:
            db.session.add(Review(application_id=application.id, reviewer_id=reviewer_id, score=score))
        if travel:
            db.session.add(TravelSupportRequest(registration_id=registration.id, **travel))
    db.session.commit()
    return registrations


def registration_of(email: str) -> Registration:
    db.session.expire_all()
    return db.session.scalar(sa.select(Registration).where(Registration.email == email))


def decide(client, event, emails: list[str], decision: str):
    """Tick the applicants in the list, choose the decision, continue: the confirmation page."""
    ids = [str(registration_of(email).id) for email in emails]
    page = client.get(f"/admin/events/{event.id}/applications")
    return client.post(f"/admin/events/{event.id}/applications/decide",
                       data={"registration": ids, "decision": decision, "csrf_token": csrf_token(page)})


def confirm(client, event, confirmation_page):
    body = confirmation_page.data.decode()
    ids = re.findall(r'<input type="hidden" name="registration" value="(\d+)">', body)
    decision = body.split('name="decision" value="')[1].split('"')[0]
    return client.post(f"/admin/events/{event.id}/applications/decide",
                       data={"registration": ids, "decision": decision, "confirmed": "y",
                             "csrf_token": csrf_token(confirmation_page)}, follow_redirects=True)
