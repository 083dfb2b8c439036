"""Registering, cancelling and the waiting list. Callers commit; a DomainError means nothing changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.database import Session
from app.models import (
    Event,
    OrganisationType,
    OutboxEmail,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    Title,
    User,
)
from app.services.applications import applications
from app.services.errors import DomainError
from app.services.mail import notifications, organiser_alerts
from app.services.mail.email_kinds import LINK_KINDS
from app.services.privacy.passports import forget_passport_data
from app.services.programme import programme
from app.services.registration.availability import availability, refusal_message
from app.services.registration.locking import confirmed_count_query, count_confirmed, lock_event
from app.services.registration.references import new_reference

# A second "already registered" attempt within this time sends no second link email.
LINK_RESEND_INTERVAL = timedelta(minutes=10)


@dataclass(frozen=True)
class ParticipantDetails:
    given_name: str
    family_name: str
    email: str  # already validated and normalised by the form
    organisation: str
    organisation_type: OrganisationType
    country: str
    title: Title | None = None
    position: str = ""
    phone: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""
    needs_visa_letter: bool = False
    # What the person agreed to: the consent text's version and the privacy notice shown beside it.
    consent_version: str = ""
    privacy_notice_url: str = ""


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    # True when the email was already registered: nothing was changed, the link was re-sent.
    already_registered: bool = False


# Adds the rest of a submission (session choices, answers to the event's questions, visa data)
# to the new registration, in the same transaction and before its email is written. It may
# raise DomainError: then nothing at all is saved. It is given the `now` of the registration.
Attach = Callable[[Registration, datetime], None]


def register(
    session: Session, event_id: int, details: ParticipantDetails, *, now: datetime, attach: Attach | None = None
) -> RegistrationOutcome:
    """Register someone for an event: confirmed while seats remain, else waitlisted (or refused)."""
    email = details.email.strip().lower()
    # Everything that needs no lock comes first: the lock is held until commit and seats are
    # given out one registration at a time, so each statement under it delays the whole queue.
    # (Two requests drawing the same unused reference in the same instant - about one chance in
    # 400,000 per pair - would meet the unique constraint: an error, never a duplicate code.)
    unlocked = session.get(Event, event_id)
    if unlocked is None:
        raise LookupError(f"event {event_id} does not exist")
    reference = new_reference(session, unlocked.code)

    event = lock_event(session, event_id)
    confirmed, existing_id = session.execute(
        sa.select(
            confirmed_count_query(event.id).scalar_subquery(),
            sa.select(Registration.id)
            .where(Registration.event_id == event.id, Registration.email == email)
            .scalar_subquery(),
        )
    ).one()
    state = availability(event, confirmed, now)
    if not state.accepts_registrations:
        raise DomainError(refusal_message(event, state.state))

    existing = session.get(Registration, existing_id) if existing_id else None
    if existing is not None and existing.status is not RegistrationStatus.CANCELLED:
        # Say nothing on the page about that registration: only its owner's inbox learns more,
        # and only once in a while, so the form cannot be used to flood someone's inbox.
        if not _link_sent_since(session, existing.id, now - LINK_RESEND_INTERVAL):
            notifications.queue(session, existing, "registration_link")
        return RegistrationOutcome(existing, already_registered=True)

    status = RegistrationStatus.CONFIRMED if state.places_left != 0 else RegistrationStatus.WAITLISTED
    if event.takes_applications:  # every submission is an application: no place until the organisers accept it
        status = RegistrationStatus.APPLIED
    fields = dataclasses.asdict(details) | {"email": email}
    if existing is not None:  # registering again after cancelling: the same record comes back
        registration = existing
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.cancelled_at = None
    else:
        registration = Registration(event=event, reference=reference, **fields)
        session.add(registration)
    registration.status = status
    registration.consent_at = now
    registration.created_at = registration.created_at or now
    if status is RegistrationStatus.CONFIRMED:
        registration.confirmed_at = now
    elif status is RegistrationStatus.WAITLISTED:
        registration.waitlisted_at = now
    session.flush()
    if status is RegistrationStatus.APPLIED:
        applications.submit(session, registration, now=now)
    if attach is not None:
        attach(registration, now)
    notifications.queue(
        session,
        registration,
        {RegistrationStatus.CONFIRMED: "registration_confirmed", RegistrationStatus.WAITLISTED: "registration_waitlisted",
         RegistrationStatus.APPLIED: "application_received"}[status],
    )
    organiser_alerts.new_registration(session, registration)
    return RegistrationOutcome(registration)


def cancel(session: Session, registration_id: int, *, actor: User | None, now: datetime) -> list[Registration]:
    """Cancel a registration (by its participant when actor is None). Returns who was promoted."""
    registration = _locked_registration(session, registration_id)
    if registration.status is RegistrationStatus.CANCELLED:
        raise DomainError("This registration is already cancelled.")
    _refuse_application(registration)
    if actor is None and not registration.can_be_cancelled_by_participant(now):
        raise DomainError("This event is over, so the registration can no longer be cancelled.")
    freed_a_seat = registration.status is RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    session.flush()
    given_up = programme.release_choices(session, registration, now=now)
    notifications.queue(session, registration, "registration_cancelled", cancelled_by_organiser=actor is not None,
                        given_up=given_up)
    forget_passport_data(session, [registration.id], now=now)  # no letter is needed any more
    promoted = promote_from_waiting_list(session, registration.event, now=now) if freed_a_seat else []
    if freed_a_seat and actor is None:  # an organiser who cancels someone knows already
        organiser_alerts.place_given_up(session, registration, withdrawn=False, promoted=promoted)
    return promoted


def confirm(session: Session, registration_id: int, *, actor: User, now: datetime) -> Registration:
    """An organiser confirms someone waitlisted (or cancelled), if a seat is free."""
    registration = _locked_registration(session, registration_id)
    event = registration.event
    if registration.status is RegistrationStatus.CONFIRMED:
        raise DomainError(f"{registration.full_name} is already confirmed.")
    _refuse_application(registration)
    confirmed = count_confirmed(session, event.id)
    if event.capacity is not None and confirmed >= event.capacity:
        raise DomainError(
            f"The event is full ({confirmed} of {event.capacity} places taken). "
            "Raise the capacity or cancel another registration first."
        )
    was_waitlisted = registration.status is RegistrationStatus.WAITLISTED
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now
    registration.cancelled_at = None
    session.flush()
    programme.seat_waiting_choices(session, [registration], now=now)
    notifications.queue(session, registration, "registration_promoted" if was_waitlisted else "registration_confirmed")
    return registration


def promote_from_waiting_list(session: Session, event: Event, *, now: datetime) -> list[Registration]:
    """Fill every free seat from the front of the waiting list. The event must be locked."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - count_confirmed(session, event.id)
        if free <= 0:
            return []
    waiting = list(
        session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.waitlisted_at, Registration.id)
            .limit(free)
        )
    )
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    session.flush()
    programme.seat_waiting_choices(session, waiting, now=now)
    for registration in waiting:
        notifications.queue(session, registration, "registration_promoted")
    return waiting


def waiting_list_position(session: Session, registration: Registration) -> int | None:
    """1 for the first in line; None when not waitlisted."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            sa.or_(
                Registration.waitlisted_at < registration.waitlisted_at,
                sa.and_(Registration.waitlisted_at == registration.waitlisted_at, Registration.id < registration.id),
            ),
        )
    )
    return (ahead or 0) + 1


def _link_sent_since(session: Session, registration_id: int, since: datetime) -> bool:
    return session.scalar(
        sa.select(sa.literal(True)).where(
            OutboxEmail.registration_id == registration_id,
            OutboxEmail.kind.in_(LINK_KINDS),
            OutboxEmail.created_at >= since,
        ).limit(1)
    ) is not None


def _refuse_application(registration: Registration) -> None:
    # An application changes through app.services.applications.applications, which keeps its status and emails right.
    if getattr(registration, "application", None) is not None:
        raise DomainError("This is an application: decide on it (or withdraw it) from its application page.")


def _locked_registration(session: Session, registration_id: int) -> Registration:
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    lock_event(session, registration.event_id)
    session.refresh(registration)  # re-read under the lock: another request may have changed it
    return registration


def set_role(session: Session, registration_id: int, role: ParticipantRole) -> Registration:
    """The organisers say what someone is at the event (speaker, guest...): it is printed on the badge."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    registration.role = role
    session.flush()
    return registration
