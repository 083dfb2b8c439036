"""Registering, cancelling and the waiting list. Callers commit; a DomainError means nothing changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

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
from app.models.names import NameOrder, default_name_order
from app.models.registration import name_keys
from app.services.applications import applications
from app.services.errors import DomainError
from app.services.mail import drafts, mailer, notifications, organiser_alerts
from app.services.mail.email_kinds import LINK_KINDS
from app.services.privacy.passports import forget_passport_data
from app.services.programme import programme
from app.services.registration import fresh
from app.services.registration.availability import availability, refusal_message
from app.services.registration.locking import (
    count_confirmed,
    lock_event,
    lock_event_for_registration,
    lock_event_to_decide,
    lock_event_to_decide_and_count,
    seats_taken,
)
from app.services.registration.references import draw_reference, new_reference
from app.services.registration.written_together import insert_alone, insert_with_email

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
    language: str = "en"  # of the person's emails and documents (app/i18n.py LANGUAGES)
    # How the name is written (app/models/names.py): None takes the usual order for the script of the name.
    single_name: bool = False  # then family_name is ""
    name_order: NameOrder | None = None
    passport_given_name: str = ""
    passport_family_name: str = ""
    # What the person agreed to: the consent text's version and the privacy notice shown beside it.
    consent_version: str = ""
    privacy_notice_url: str = ""


_DETAIL_NAMES = tuple(field.name for field in dataclasses.fields(ParticipantDetails))


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    # True when the email was already registered: nothing was changed, the link was re-sent.
    already_registered: bool = False


# Adds the rest of a submission (session choices, answers to the event's questions, visa data)
# to the new registration, in the same transaction and before its email is written. It may
# raise DomainError: then nothing at all is saved. It is given the `now` of the registration.
Attach = Callable[[Registration, datetime], None]


def _fields(details: ParticipantDetails, email: str) -> dict:
    # Its fields as they are: all immutable (text, enums, booleans), so dataclasses.asdict's deep copy of each
    # would copy nothing, at several times the cost.
    fields = {name: getattr(details, name) for name in _DETAIL_NAMES} | {"email": email}
    if details.name_order is None:
        fields["name_order"] = default_name_order(details.given_name, details.family_name)
    return fields


def register(
    session: Session, event_id: int, details: ParticipantDetails, *, now: datetime, attach: Attach | None = None,
    confirmed_seen: int | None = None,
) -> RegistrationOutcome:
    """Register someone for an event: confirmed while seats remain, else waitlisted (or refused).

    `confirmed_seen`: the confirmed count the page read a moment ago, if it did; it only lets the work
    start before the lock (see _register_then_lock), the seat is always decided under the lock."""
    email = details.email.strip().lower()
    # Everything that needs no lock comes first: the lock is held until commit and seats are
    # given out one registration at a time, so each statement under it delays the whole queue.
    # The event is usually in the session already (the page read it): no query.
    unlocked = session.get(Event, event_id)
    if unlocked is None:
        raise LookupError(f"event {event_id} does not exist")
    reference = draw_reference(unlocked.code)
    # Written before the lock, on the page's count; applications decide no seat. On SQLite the order changes
    # nothing (its writer holds the whole database from the first statement, see begin_write), but an event with
    # a programme takes the same path there: its seats decided and its draft written the same way everywhere.
    if confirmed_seen is not None and not unlocked.takes_applications:
        if not _has_no_programme(unlocked):
            outcome = _register_with_choices_then_lock(session, unlocked, details, email, reference, confirmed_seen,
                                                       now=now, attach=attach)
        elif session.get_bind().dialect.name == "postgresql":
            outcome = _register_then_lock(session, unlocked, details, email, reference, confirmed_seen,
                                          now=now, attach=attach)
        else:
            outcome = None
        if outcome is not None:
            return outcome

    programme = _loaded_programme(unlocked)
    decision = lock_event_for_registration(session, event_id, email, reference)
    if isinstance(programme, list) and not programme:
        # Re-reading the event under the lock unloads its programme; the form was made without one, so
        # the email lists no sessions: keep it known as empty rather than ask again under the lock.
        set_committed_value(decision.event, "programme", [])
    event, confirmed, existing_id = decision.event, decision.confirmed, decision.existing_id
    if decision.reference_taken:  # about one chance in 390,000 per registration already made
        reference = new_reference(session, event.code)
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

    status = _seat_status(state.places_left)
    if event.takes_applications:  # every submission is an application: no place until the organisers accept it
        status = RegistrationStatus.APPLIED
    fields = _fields(details, email)
    if existing is not None:  # registering again after cancelling: the same record comes back
        registration = existing
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.cancelled_at = None
    else:
        registration = Registration(event=event, reference=reference, **fields)
        session.add(registration)
        if not event.takes_applications:
            # Known without asking: a new registration of an open event has no travel-support request
            # (only applications ask for one). Saves the email's lazy load of it.
            set_committed_value(registration, "travel_support", None)
    registration.status = status
    registration.consent_at = now
    registration.created_at = registration.created_at or now
    if status is RegistrationStatus.CONFIRMED:
        registration.confirmed_at = now
    elif status is RegistrationStatus.WAITLISTED:
        registration.waitlisted_at = now
    session.flush()
    if existing is None:
        fresh.mark(session, registration.id)
    if status is RegistrationStatus.APPLIED:
        applications.submit(session, registration, now=now)
    if attach is not None:
        attach(registration, now)
    _queue_registration_emails(session, registration)
    return RegistrationOutcome(registration)


def _register_then_lock(
    session: Session, event: Event, details: ParticipantDetails, email: str, reference: str, confirmed_seen: int,
    *, now: datetime, attach: Attach | None,
) -> RegistrationOutcome | None:
    """A new registration written, its answers saved and its email queued before the event is locked, on the
    status the page's count suggests; then, under the lock, only the seat count decides. When that count
    says otherwise (the last seats went meanwhile), the status and the queued emails are redone, still under
    the lock: what the email says is what the registration is. The lock is thus held for the count
    (taken with it in one round trip, locking.lock_event_to_decide_and_count) and the commit, not for the
    templates. None: not a plain new registration (the email is
    registered already, or the reference is taken), for register()'s usual path to handle."""
    state = availability(event, confirmed_seen, now)
    if not state.accepts_registrations:
        return None  # refused with the right message under the lock (or a seat has come free since)
    status = _seat_status(state.places_left)
    fields = _fields(details, email)
    # One statement writes the registration and its email, a draft (the mail worker writes it).
    registration = insert_with_email(
        session,
        _new_row(event, reference, status, now, fields),
        mailer.draft_columns(_EMAIL_OF_STATUS[status], event.contact_email, drafts.facts_of(status, details.language)),
    )
    if registration is None:
        return None
    _known_empty(session, registration)
    if attach is not None:
        attach(registration, now)
    alerts = organiser_alerts.new_registration(session, registration)  # says the status: redone if it changes

    others = lock_event_to_decide_and_count(session, event, registration.id)
    state = availability(event, others, now)
    if not state.accepts_registrations:
        raise DomainError(refusal_message(event, state.state))  # nothing is kept: the caller rolls back
    decided = _seat_status(state.places_left)
    if decided is not status:  # the last seats went meanwhile: the email says what the registration is
        session.execute(sa.delete(OutboxEmail).where(OutboxEmail.registration_id == registration.id))
        _change_status(registration, decided, now)
        session.flush()
        drafts.queue(session, registration, _EMAIL_OF_STATUS[decided])
        _redo_alerts(session, registration, alerts)
    return RegistrationOutcome(registration)


def _register_with_choices_then_lock(
    session: Session, event: Event, details: ParticipantDetails, email: str, reference: str, confirmed_seen: int,
    *, now: datetime, attach: Attach | None,
) -> RegistrationOutcome | None:
    """_register_then_lock for an event with a programme, PostgreSQL and SQLite alike: the registration, its
    form's parts (visa request, answers) and its email's draft are written before the event is locked, the
    draft saying the status and the seat in each chosen session that the counts read then suggest. Under the
    lock, one statement counts the event's places and the chosen sessions' seats taken; the choices are
    written as decided, and in the rare case a guess was wrong (the last place or seat went meanwhile) the
    status and the draft are redone. None: not a plain new registration, for register()'s usual path."""
    state = availability(event, confirmed_seen, now)
    if not state.accepts_registrations:
        return None
    status = _seat_status(state.places_left)
    fields = _fields(details, email)
    registration = insert_alone(
        session,
        _new_row(event, reference, status, now, fields),
    )
    if registration is None:
        return None
    _known_empty(session, registration)
    programme.defer_seats(session, registration.id)
    if attach is not None:
        attach(registration, now)
    choices = programme.deferred_choices(session, registration.id)
    draft_id = drafts.queue(session, registration, _EMAIL_OF_STATUS[status], choices)
    alerts = organiser_alerts.new_registration(session, registration)  # says the status: redone if it changes

    # Under the lock: the seats, nothing else.
    event = lock_event_to_decide(session, event)
    taken = seats_taken(session, event.id, registration.id, [choice.session_id for choice in choices])
    state = availability(event, taken.event, now)
    if not state.accepts_registrations:
        raise DomainError(refusal_message(event, state.state))  # nothing is kept: the caller rolls back
    decided = _seat_status(state.places_left)
    changed = programme.decide_seats(choices, taken.sessions, holds_place=decided is RegistrationStatus.CONFIRMED,
                                     now=now)
    if decided is not status:
        changed = True
        _change_status(registration, decided, now)
        session.flush()
        _redo_alerts(session, registration, alerts)
    programme.write_choices(session, choices)
    if changed and draft_id is not None:  # the email says what was decided
        drafts.redo(session, draft_id, _EMAIL_OF_STATUS[decided], registration, choices)
    return RegistrationOutcome(registration)


def _redo_alerts(session: Session, registration: Registration, alerts: list[int]) -> None:
    """The organisers' alerts queued before the lock, said another status: they say the one decided."""
    if alerts:
        session.execute(sa.delete(OutboxEmail).where(OutboxEmail.id.in_(alerts)))
        organiser_alerts.new_registration(session, registration)


def _known_empty(session: Session, registration: Registration) -> None:
    """A registration inserted just now, not an application: no travel-support request (open events ask for
    none), no application, nothing attached yet. Saves their look-ups (the organisers' alert reads the
    application, under the lock)."""
    set_committed_value(registration, "travel_support", None)
    set_committed_value(registration, "application", None)
    fresh.mark(session, registration.id)


def _has_no_programme(event: Event) -> bool:
    programme = _loaded_programme(event)
    return isinstance(programme, list) and not programme


def _loaded_programme(event: Event) -> object:
    """The event's programme if loaded (a list), without loading it. What inspect(event).attrs.programme
    .loaded_value gives, without attrs making an AttributeState for each of the event's 50-odd attributes."""
    return sa.inspect(event).dict.get("programme")


def _seat_status(places_left: int | None) -> RegistrationStatus:
    return RegistrationStatus.CONFIRMED if places_left != 0 else RegistrationStatus.WAITLISTED


def _status_times(status: RegistrationStatus, now: datetime) -> dict[str, datetime]:
    return {"confirmed_at": now} if status is RegistrationStatus.CONFIRMED else {"waitlisted_at": now}


def _new_row(event: Event, reference: str, status: RegistrationStatus, now: datetime,
             fields: dict[str, Any]) -> dict[str, Any]:
    """Every column of a new registration written before the lock: these INSERTs run no column default, so
    each value is given (the name's sort and search keys included)."""
    sort_name, search_name = name_keys(fields)
    return {"event_id": event.id, "reference": reference, "status": status, "consent_at": now, "created_at": now,
            "updated_at": now, "sort_name": sort_name, "search_name": search_name, "role": ParticipantRole.PARTICIPANT,
            **dict.fromkeys(("confirmed_at", "waitlisted_at")), **_status_times(status, now), **fields}


def _change_status(registration: Registration, decided: RegistrationStatus, now: datetime) -> None:
    """The status decided under the lock, when the guess made before it was wrong, with its own time only."""
    registration.status = decided
    for name, value in (dict.fromkeys(("confirmed_at", "waitlisted_at")) | _status_times(decided, now)).items():
        setattr(registration, name, value)


def _queue_registration_emails(session: Session, registration: Registration) -> None:
    kind = _EMAIL_OF_STATUS[registration.status]
    if kind in drafts.DRAFT_KINDS:  # written by the mail worker, saying the sessions as chosen now
        choices = [] if _has_no_programme(registration.event) else programme.choices_of(session, registration.id)
        drafts.queue(session, registration, kind, choices)
    else:
        notifications.queue(session, registration, kind)
    organiser_alerts.new_registration(session, registration)


_EMAIL_OF_STATUS = {
    RegistrationStatus.CONFIRMED: "registration_confirmed",
    RegistrationStatus.WAITLISTED: "registration_waitlisted",
    RegistrationStatus.APPLIED: "application_received",
}


def cancel(session: Session, registration_id: int, *, actor: User | None, now: datetime) -> list[Registration]:
    """Cancel a registration (by its participant when actor is None). Returns who was promoted."""
    registration = _locked_registration(session, registration_id)
    if registration.status is RegistrationStatus.CANCELLED:
        raise DomainError(_("This registration is already cancelled."))
    _refuse_application(registration)
    if actor is None and not registration.can_be_cancelled_by_participant(now):
        raise DomainError(_("This event is over, so the registration can no longer be cancelled."))
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
        raise DomainError(_("%(name)s is already confirmed.", name=registration.full_name))
    _refuse_application(registration)
    confirmed = count_confirmed(session, event.id)
    if event.capacity is not None and confirmed >= event.capacity:
        raise DomainError(
            _("The event is full (%(taken)s of %(capacity)s places taken). "
              "Raise the capacity or cancel another registration first.", taken=confirmed, capacity=event.capacity)
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
        raise DomainError(_("This is an application: decide on it (or withdraw it) from its application page."))


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
