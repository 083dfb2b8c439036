"""The same person applying twice (another email address): likely duplicates, and marking one. Callers commit.

A likely duplicate shares the normalised name and organisation, or the phone number, with another application
of the event; both are worked out in SQL from grouped keys (likely_duplicate), so the list flags and filters
them in the query it already runs. Marking one a duplicate takes it out of the selection quietly: no place,
no email (the person applied once more than needed, they were not turned down), and it can be undone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from app.database import Session
from app.models import Application, ApplicationStatus, Registration, RegistrationStatus, User
from app.services.errors import DomainError
from app.services.programme import programme
from app.services.registration.locking import lock_event

MIN_PHONE_DIGITS = 6  # shorter numbers ("0", "n/a" stripped to nothing) match too much to mean anything


def _name_key(registration: Any) -> sa.ColumnElement[str]:
    return (sa.func.lower(sa.func.trim(registration.given_name)) + " " + sa.func.lower(
        sa.func.trim(registration.family_name)) + " | " + sa.func.lower(sa.func.trim(registration.organisation)))


def _phone_key(registration: Any) -> sa.ColumnElement[str]:
    """The phone's digits: "+82 (42) 123-4567" and "+82 42 123 4567" are one number."""
    key: sa.ColumnElement[str] = registration.phone
    for char in (" ", "-", ".", "(", ")", "+", "/"):
        key = sa.func.replace(key, char, "")
    return key


def _shared_keys(event_id: int, key) -> sa.Select:
    """The keys that more than one live application of the event has (a marked duplicate no longer counts)."""
    other = aliased(Registration)
    other_application = aliased(Application)
    shared = key(other).label("shared_key")  # grouped by its label: PostgreSQL sees one expression
    return (
        sa.select(shared)
        .join(other_application, other_application.registration_id == other.id)
        .where(other.event_id == event_id, other_application.status != ApplicationStatus.DUPLICATE)
        .group_by(shared)
        .having(sa.func.count() > 1)
    )


def likely_duplicate(event_id: int) -> sa.ColumnElement[bool]:
    """True for an application (Registration joined with Application) that looks like another one of the event."""
    phone = _phone_key(Registration)
    return sa.and_(
        Application.status != ApplicationStatus.DUPLICATE,
        sa.or_(
            _name_key(Registration).in_(_shared_keys(event_id, _name_key)),
            sa.and_(sa.func.length(phone) >= MIN_PHONE_DIGITS, phone.in_(_shared_keys(event_id, _phone_key))),
        ),
    )


def candidates(session: Session, registration: Registration) -> list[Registration]:
    """The other applications of the event this one looks like (same name and organisation, or phone)."""
    other = aliased(Registration)
    phone = _phone_key(other)
    return list(session.scalars(
        sa.select(other)
        .join(Application, Application.registration_id == other.id)
        .where(
            other.event_id == registration.event_id, other.id != registration.id,
            Application.status != ApplicationStatus.DUPLICATE,
            sa.or_(
                _name_key(other) == _name_key(Registration),
                sa.and_(sa.func.length(phone) >= MIN_PHONE_DIGITS, phone == _phone_key(Registration)),
            ),
        )
        .where(Registration.id == registration.id)
        .order_by(other.created_at, other.id)
        .limit(20)
    ))


def mark_duplicate(session: Session, event_id: int, registration_id: int, *, of_reference: str, actor: User,
                   now: datetime) -> Application:
    """Mark an application a duplicate of another one of the event (given by its reference); no email."""
    lock_event(session, event_id)
    application = _application(session, event_id, registration_id)
    registration = application.registration
    reference = of_reference.strip().upper()
    if not reference:
        raise DomainError(_("Enter the reference of the application this one duplicates."), field="of_reference")
    original = session.scalar(sa.select(Registration).where(Registration.event_id == event_id,
                                                            sa.func.upper(Registration.reference) == reference))
    if original is None or original.application is None:
        raise DomainError(_("No application of this event has the reference %(reference)s.", reference=reference),
                          field="of_reference")
    if original.id == registration.id:
        raise DomainError(_("An application cannot duplicate itself: enter the reference of the other one."),
                          field="of_reference")
    if original.application.status is ApplicationStatus.DUPLICATE:
        raise DomainError(_("%(reference)s is itself marked as a duplicate: enter the reference of the "
                            "application you keep.", reference=original.reference), field="of_reference")
    if application.status is ApplicationStatus.DUPLICATE:
        raise DomainError(_("This application is already marked as a duplicate."))
    if application.status is ApplicationStatus.ACCEPTED:
        raise DomainError(_("%(name)s is accepted and was told so. Put this application on the "
                            "reserve list first, or keep it and mark the other one as the duplicate.",
                            name=registration.full_name))
    if application.status is ApplicationStatus.WITHDRAWN:
        raise DomainError(_("%(name)s withdrew this application: it is out of the selection already.",
                            name=registration.full_name))
    application.status = ApplicationStatus.DUPLICATE
    application.duplicate_of_id = original.id
    application.decided_at = now
    application.decided_by_id = actor.id
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    session.flush()
    programme.release_choices(session, registration, now=now)  # an open application holds none; to be sure
    return application


def undo_duplicate(session: Session, event_id: int, registration_id: int, *, now: datetime) -> Application:
    """Back among the applications to decide on, as it was before any decision (reviews kept)."""
    lock_event(session, event_id)
    application = _application(session, event_id, registration_id)
    if application.status is not ApplicationStatus.DUPLICATE:
        raise DomainError(_("This application is not marked as a duplicate."))
    application.status = ApplicationStatus.UNDER_REVIEW if application.reviews else ApplicationStatus.SUBMITTED
    application.duplicate_of_id = None
    application.decided_at = None
    application.decided_by_id = None
    registration = application.registration
    registration.status = RegistrationStatus.APPLIED
    registration.cancelled_at = None
    session.flush()
    return application


def _application(session: Session, event_id: int, registration_id: int) -> Application:
    application = session.scalar(
        sa.select(Application).join(Application.registration)
        .where(Registration.event_id == event_id, Application.registration_id == registration_id)
        .execution_options(populate_existing=True)
    )
    if application is None:
        raise DomainError(_("This application does not belong to this event any more."))
    return application
