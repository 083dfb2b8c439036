"""Everything held about one participant, as plain data: the personal link offers it as JSON and as a page."""

from __future__ import annotations

import enum
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.database import Session
from app.models import CheckIn, OutboxEmail, Registration, Upload, VisaRequest
from app.services.countries import country_name
from app.services.programme import programme
from app.services.questions.answers import answers_of

# The registration's own fields, in the order the page shows them, with their labels.
_PERSON = (
    ("reference", "Reference"), ("title", "Title"), ("given_name", "Given name"), ("family_name", "Family name"),
    ("single_name", "Has only one name"), ("name_order", "Name order"), ("passport_given_name", "Given name(s) in passport"),
    ("passport_family_name", "Family name in passport"),
    ("email", "Email address"), ("phone", "Phone"), ("organisation", "Organisation"), ("position", "Position"),
    ("organisation_type", "Organisation type"), ("country", "Country of the organisation"),
    ("dietary_needs", "Dietary needs"), ("accessibility_needs", "Accessibility needs"),
    ("needs_visa_letter", "Needs a visa letter"), ("role", "Role at the event"),
    ("language", "Language for emails and documents"), ("status", "Status"),
    ("created_at", "Registered"), ("confirmed_at", "Confirmed"), ("waitlisted_at", "Joined the waiting list"),
    ("cancelled_at", "Cancelled"), ("consent_at", "Consent given"), ("consent_version", "Consent text version"),
    ("privacy_notice_url", "Privacy notice"), ("deletion_requested_at", "Deletion requested"),
)
LABELS = dict(_PERSON)


def _plain(value: Any, tz: ZoneInfo) -> Any:
    # A moment on the event's clock with its offset, to the second: what the page and the emails said
    # ("2028-10-17T09:30:00+09:00"), not UTC with microseconds.
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def data_of(session: Session, registration: Registration) -> dict[str, Any]:
    """What this registration holds about its person, and nothing about anyone else."""
    rid = registration.id
    event = registration.event
    plain = partial(_plain, tz=event.tz)
    person = {name: plain(getattr(registration, name)) for name, _ in _PERSON}
    person["country_name"] = country_name(registration.country)
    visa = session.scalar(sa.select(VisaRequest).where(VisaRequest.registration_id == rid))
    application = registration.application
    travel = registration.travel_support
    return {
        "event": {"title": event.title, "starts_at": plain(event.starts_at), "ends_at": plain(event.ends_at),
                  "contact_email": event.contact_email},
        "registration": person,
        "answers": [{"question": a.label, "answer": a.text} for a in answers_of(session, rid)],
        "uploads": [{"filename": u.original_filename, "size": u.size, "uploaded_at": plain(u.created_at)}
                    for u in session.scalars(sa.select(Upload).where(Upload.registration_id == rid).order_by(Upload.id))],
        "sessions": [{"session": c.session.title, "starts_at": plain(c.session.starts_at), "status": plain(c.status)}
                     for c in programme.choices_of(session, rid)],
        "visa_request": None if visa is None else {
            "status": plain(visa.status), "passport_name": visa.passport_name, "nationality": visa.nationality,
            "date_of_birth": plain(visa.date_of_birth), "passport_number": visa.passport_number,
            "passport_expiry": plain(visa.passport_expiry), "deleted_at": plain(visa.purged_at)},
        "application": None if application is None else {
            "status": plain(application.status), "submitted_at": plain(application.submitted_at),
            "decided_at": plain(application.decided_at)},
        "travel_support": None if travel is None else {
            "flight": travel.wants_flight, "accommodation": travel.wants_accommodation,
            "per_diem": travel.wants_per_diem, "estimated_amount": _money(travel.estimated_amount),
            "estimated_currency": travel.estimated_currency, "decision": plain(travel.decision),
            "granted_amount": _money(travel.granted_amount), "granted_currency": travel.granted_currency,
            "note": travel.note},
        "check_ins": [{"day": plain(c.day), "session": c.session.title if c.session else None,
                       "at": plain(c.checked_in_at)}
                      for c in session.scalars(sa.select(CheckIn).where(CheckIn.registration_id == rid)
                                               .order_by(CheckIn.day, CheckIn.checked_in_at))],
        "emails": [{"subject": e.subject, "to": e.to_address, "written_at": plain(e.created_at),
                    "status": plain(e.status)}
                   for e in session.scalars(sa.select(OutboxEmail).where(OutboxEmail.registration_id == rid)
                                            .order_by(OutboxEmail.id))],
    }


def _money(amount: Any) -> str | None:
    return None if amount is None else str(amount)
