"""Applications: submitted, reviewed, decided (one by one or in bulk), withdrawn. Callers commit.

Every change runs under the event's lock (locking.lock_event), like every change of seats:
accepting is giving a seat, and two organisers accepting at the same moment must not both
take the last one. Each decision writes its email to the outbox in the same transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import Application, ApplicationStatus, Event, Registration, RegistrationStatus, User
from app.services.errors import DomainError
from app.services.mail import notifications, organiser_alerts
from app.services.privacy.passports import forget_passport_data
from app.services.programme import programme
from app.services.registration.locking import count_confirmed, lock_event


class Decision(enum.StrEnum):
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    DECLINE = "decline"

    @property
    def status(self) -> ApplicationStatus:
        return {
            "accept": ApplicationStatus.ACCEPTED,
            "waitlist": ApplicationStatus.WAITLISTED,
            "decline": ApplicationStatus.DECLINED,
        }[self.value]

    @property
    def verb(self) -> str:
        return {"accept": "accept", "waitlist": "put on the reserve list", "decline": "decline"}[self.value]


EMAIL_KINDS = {
    ApplicationStatus.ACCEPTED: "application_accepted",
    ApplicationStatus.WAITLISTED: "application_waitlisted",
    ApplicationStatus.DECLINED: "application_declined",
}


@dataclass(frozen=True)
class DecisionPlan:
    """What a decision on a selection would do: shown on the confirmation step before anything changes."""

    to_change: list[Application]
    unchanged: list[Application] = field(default_factory=list)  # already in that state: no email

    @property
    def emails(self) -> int:
        return len(self.to_change)


def submit(session: Session, registration: Registration, *, now: datetime) -> Application:
    """The application of a registration just made (or made again after withdrawing) in an application event.

    Called by registration.register() under the event lock, before the 'received' email is written.
    """
    application = session.scalar(sa.select(Application).where(Application.registration_id == registration.id))
    if application is None:
        application = Application(registration=registration, submitted_at=now)
        session.add(application)
    elif application.status in (ApplicationStatus.DECLINED, ApplicationStatus.LAPSED, ApplicationStatus.DUPLICATE):
        # Sending the form again must not wipe a decision the organisers made.
        raise DomainError(_(
            "You have applied for this event before and the organisers have already decided on your "
            "application. If you have a question, please write to %(contact)s.",
            contact=registration.event.contact_email))
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.decided_at = None
    application.decided_by_id = None
    application.withdrawn_at = None
    session.flush()
    return application


def mark_under_review(session: Session, application: Application) -> None:
    """A reviewer has started on it; no email (the applicant hears at the decision)."""
    if application.status is ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.UNDER_REVIEW
        session.flush()


def plan_decision(session: Session, event: Event, registration_ids: Collection[int], decision: Decision) -> DecisionPlan:
    """Check a decision on a selection without changing anything (refusals are the same as decide()'s)."""
    applications = _applications(session, event.id, registration_ids)
    _refuse_undecidable(event, applications)
    target = decision.status
    to_change = [a for a in applications if a.status is not target]
    unchanged = [a for a in applications if a.status is target]
    if decision is Decision.ACCEPT:
        _refuse_past_capacity(session, event, [a for a in to_change
                                               if a.registration.status is not RegistrationStatus.CONFIRMED])
    return DecisionPlan(to_change, unchanged)


def decide(
    session: Session, event_id: int, registration_ids: Collection[int], decision: Decision, *, actor: User, now: datetime
) -> list[Application]:
    """Accept, put on the reserve list or decline the selected applications; all of them or, on a refusal, none.

    Returns the applications that changed; each is emailed. Those already in that state are left alone.
    """
    event = lock_event(session, event_id)
    plan = plan_decision(session, event, registration_ids, decision)  # re-checked under the lock
    newly_confirmed: list[Registration] = []
    for application in plan.to_change:
        registration = application.registration
        had_place = registration.status is RegistrationStatus.CONFIRMED
        application.status = decision.status
        application.decided_at = now
        application.decided_by_id = actor.id
        if decision is Decision.ACCEPT:
            # A fresh deadline to confirm they are coming (confirmations.py), from this acceptance.
            application.confirm_by = event.confirmation_deadline(now)
            application.attendance_confirmed_at = None
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.cancelled_at = None
            newly_confirmed.append(registration)
        elif decision is Decision.WAITLIST:
            registration.status = RegistrationStatus.APPLIED
        else:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
        if had_place and decision is not Decision.ACCEPT:
            session.flush()
            programme.release_choices(session, registration, now=now)
    session.flush()
    if newly_confirmed:
        programme.seat_waiting_choices(session, newly_confirmed, now=now)
    for application in plan.to_change:
        notifications.queue(session, application.registration, EMAIL_KINDS[decision.status])
    if decision is Decision.DECLINE:  # no visa letter will be needed: the passport data goes now
        forget_passport_data(session, [a.registration_id for a in plan.to_change], now=now)
    return plan.to_change


def locked_application(session: Session, registration_id: int) -> Application:
    """The registration's application, read again under its event's lock (what the applicant does from their
    personal link is decided against the latest state)."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    lock_event(session, registration.event_id)
    session.refresh(registration)
    application = registration.application
    if application is None:
        raise DomainError(_("This registration is not an application."))
    session.refresh(application)
    return application


def withdraw(session: Session, registration_id: int, *, now: datetime) -> Application:
    """The applicant withdraws: any time before the event starts, even once accepted (the place goes
    back to the organisers, who choose from the reserve list: nobody moves up automatically)."""
    application = locked_application(session, registration_id)
    registration = application.registration
    if application.status is ApplicationStatus.WITHDRAWN:
        raise DomainError(_("You have already withdrawn this application."))
    if not application.can_be_withdrawn:
        raise DomainError(_("The organisers have already decided on this application, so there is nothing to withdraw."))
    if now >= registration.event.starts_at:
        raise DomainError(_("The event has started, so the application can no longer be withdrawn. "
                            "Please write to %(contact)s.", contact=registration.event.contact_email))
    had_place = registration.status is RegistrationStatus.CONFIRMED
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = now
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    session.flush()
    if had_place:
        programme.release_choices(session, registration, now=now)
    notifications.queue(session, registration, "application_withdrawn", was_accepted=had_place)
    forget_passport_data(session, [registration.id], now=now)
    if had_place:  # the place, and any travel support granted, are free again: the organisers decide
        organiser_alerts.place_given_up(session, registration, withdrawn=True)
    return application


def _applications(session: Session, event_id: int, registration_ids: Collection[int]) -> list[Application]:
    ids = set(registration_ids)
    if not ids:
        raise DomainError(_("Select at least one application first."))
    applications = list(session.scalars(
        sa.select(Application)
        .join(Application.registration)
        .where(Registration.event_id == event_id, Application.registration_id.in_(ids))
        .options(selectinload(Application.registration))
        .order_by(Registration.sort_name, Registration.id)
        .execution_options(populate_existing=True)  # current values, read under the lock by decide()
    ))
    if len(applications) != len(ids):
        raise DomainError(_("Some of the selected applications do not belong to this event any more. "
                            "Reload the list and select again."))
    return applications


def _refuse_undecidable(event: Event, applications: list[Application]) -> None:
    if not event.takes_applications:
        raise DomainError(_("This event takes registrations, not applications."))
    duplicates = [a.registration.full_name for a in applications if a.status is ApplicationStatus.DUPLICATE]
    if duplicates:
        raise DomainError(ngettext(
            "%(names)s is marked as a duplicate: undo that on the application's page first, or remove them from "
            "the selection.",
            "%(names)s are marked as a duplicate: undo that on the application's page first, or remove them from "
            "the selection.", len(duplicates), names=_names(duplicates)))
    withdrawn = [a.registration.full_name for a in applications if a.status is ApplicationStatus.WITHDRAWN]
    if withdrawn:
        raise DomainError(ngettext(
            "%(names)s withdrew their application: remove them from the selection first.",
            "%(names)s withdrew their applications: remove them from the selection first.",
            len(withdrawn), names=_names(withdrawn)))


def _refuse_past_capacity(session: Session, event: Event, to_accept: list[Application]) -> None:
    if event.capacity is None or not to_accept:
        return
    confirmed = count_confirmed(session, event.id)
    free = max(event.capacity - confirmed, 0)
    if free == 0:
        raise DomainError(_(
            "The event is full: %(taken)s of %(capacity)s places are taken. Raise the capacity first, "
            "or put these applicants on the reserve list.", taken=confirmed, capacity=event.capacity))
    if len(to_accept) > free:
        raise DomainError(ngettext(
            "Accepting %(accepting)s would go past the capacity: %(taken)s of %(capacity)s places are "
            "taken, so %(num)d is left. Select at most %(num)d, or raise the capacity first.",
            "Accepting %(accepting)s would go past the capacity: %(taken)s of %(capacity)s places are "
            "taken, so %(num)d are left. Select at most %(num)d, or raise the capacity first.",
            free, accepting=len(to_accept), taken=confirmed, capacity=event.capacity))


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (" " + _("and %(count)s more", count=len(names) - 3) if len(names) > 3 else "")
