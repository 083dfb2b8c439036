"""Everything held about one participant, as plain data: the personal link offers it as JSON and as a page."""

from __future__ import annotations

import enum
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.database import Session
from app.models import CheckIn, OutboxEmail, Registration, Upload, VisaRequest
from app.services.countries import country_name
from app.services.mail import drafts
from app.services.programme import programme
from app.services.questions.answers import answers_of

# The registration's own fields, in the order the page shows them, with their labels.
_PERSON = (
    ("reference", _l("Reference")), ("title", lazy_pgettext("a person's title, e.g. Dr", "Title")),
    ("given_name", _l("Given name")), ("family_name", _l("Family name")), ("single_name", _l("Has only one name")),
    ("name_order", _l("Name order")), ("passport_given_name", _l("Given name(s) in passport")),
    ("passport_family_name", _l("Family name in passport")), ("email", _l("Email address")), ("phone", _l("Phone")),
    ("organisation", _l("Organisation")), ("position", _l("Position")),
    ("organisation_type", _l("Organisation type")), ("country", _l("Country of the organisation")),
    ("dietary_needs", _l("Dietary needs")), ("accessibility_needs", _l("Accessibility needs")),
    ("needs_visa_letter", _l("Needs a visa letter")), ("role", _l("Role at the event")),
    ("language", _l("Language for emails and documents")), ("status", _l("Status")),
    ("created_at", _l("Registered")), ("confirmed_at", _l("Confirmed")),
    ("waitlisted_at", _l("Joined the waiting list")), ("cancelled_at", _l("Cancelled")),
    ("consent_at", _l("Consent given")), ("consent_version", _l("Consent text version")),
    ("privacy_notice_url", _l("Privacy notice")), ("deletion_requested_at", _l("Deletion requested")),
)
LABELS = dict(_PERSON)
# The keys of the visa request, the application and the travel support request, as the page names them.
DETAIL_LABELS = {
    "status": _l("Status"), "passport_name": _l("Name as in the passport"), "nationality": _l("Nationality"),
    "date_of_birth": _l("Date of birth"), "passport_number": _l("Passport number"),
    "passport_expiry": _l("Passport valid until"), "deleted_at": _l("Deleted"), "submitted_at": _l("Submitted"),
    "decided_at": _l("Decided"), "flight": _l("Flight"), "accommodation": _l("Accommodation"),
    "per_diem": _l("Per diem (daily allowance)"), "estimated_amount": _l("Estimated amount"),
    "estimated_currency": _l("Currency of the estimate"), "decision": _l("Decision"),
    "granted_amount": _l("Amount granted"), "granted_currency": _l("Currency granted"),
    "note": _l("Note from the organisers"),
}


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
        "emails": [{"subject": drafts.shown(session, e).subject, "to": e.to_address, "written_at": plain(e.created_at),
                    "status": plain(e.status)}
                   for e in session.scalars(sa.select(OutboxEmail).where(OutboxEmail.registration_id == rid)
                                            .order_by(OutboxEmail.id))],
    }


def _money(amount: Any) -> str | None:
    return None if amount is None else str(amount)
