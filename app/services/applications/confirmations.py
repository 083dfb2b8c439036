"""Accepted applicants confirm they are coming; places not confirmed in time go to the reserve list. Callers commit.

The event sets how many days an accepted person has (Event.confirm_within_days); each acceptance stores
its own deadline (Application.confirm_by), so someone promoted from the reserve list later gets their own
days. Nothing lapses by itself: after the deadline the organisers look at who is overdue and release those
places in one step. The freed places go to the reserve list in its order (reserve_order), each promoted
applicant accepted the way a decision accepts (applications.decide: the acceptance email, a new deadline).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import Application, ApplicationStatus, Event, Registration, RegistrationStatus, Review, User
from app.services.applications import applications as application_service
from app.services.errors import DomainError
from app.services.mail import notifications
from app.services.programme import programme
from app.services.registration.locking import count_confirmed, lock_event

MAX_DAYS = 90


class Confirmation(enum.StrEnum):
    """The applications list's filter on accepted applicants (ApplicationQuery.confirmation)."""

    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"  # still within their deadline
    OVERDUE = "overdue"  # past it: their place may be released

    @property
    def label(self) -> str:
        # Lazy: the filter's choices read the labels once, at import; each page shows them in its language.
        return {"confirmed": _l("Confirmed they are coming"), "unconfirmed": _l("Not confirmed yet"),
                "overdue": _l("Not confirmed, past the deadline")}[self.value]


def condition(confirmation: Confirmation, now: datetime) -> sa.ColumnElement[bool]:
    """The SQL condition for the filter (the list joins Application)."""
    accepted = Application.status == ApplicationStatus.ACCEPTED
    if confirmation is Confirmation.CONFIRMED:
        return sa.and_(accepted, Application.attendance_confirmed_at.is_not(None))
    waiting = sa.and_(accepted, Application.attendance_confirmed_at.is_(None), Application.confirm_by.is_not(None))
    if confirmation is Confirmation.OVERDUE:
        return sa.and_(waiting, Application.confirm_by <= now)
    return sa.and_(waiting, Application.confirm_by > now)


@dataclass(frozen=True)
class ConfirmationCounts:
    confirmed: int
    unconfirmed: int
    overdue: int
    no_deadline: int  # accepted before the event asked for confirmation: nothing to confirm


def counts(session: Session, event_id: int, *, now: datetime) -> ConfirmationCounts:
    """One query over the accepted applications of the event."""
    def total(kind: Confirmation) -> sa.Label:
        return sa.func.coalesce(sa.func.sum(sa.case((condition(kind, now), 1), else_=0)), 0).label(kind.value)

    row = session.execute(
        sa.select(total(Confirmation.CONFIRMED), total(Confirmation.UNCONFIRMED), total(Confirmation.OVERDUE),
                  sa.func.count())
        .select_from(Application).join(Application.registration)
        .where(Registration.event_id == event_id, Application.status == ApplicationStatus.ACCEPTED)
    ).one()
    confirmed, unconfirmed, overdue, accepted = (int(value or 0) for value in row)
    return ConfirmationCounts(confirmed, unconfirmed, overdue, accepted - confirmed - unconfirmed - overdue)


def set_deadline(session: Session, event_id: int, days: int | None) -> Event:
    """How many days accepted applicants have to confirm; it applies to acceptances from now on."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise DomainError(_("Enter a number of days from 1 to %(max)s, or leave it empty.", max=MAX_DAYS),
                          field="confirm_within_days")
    event = lock_event(session, event_id)
    event.confirm_within_days = days
    session.flush()
    return event


def confirm_attendance(session: Session, registration_id: int, *, now: datetime) -> Application:
    """The applicant says they are coming (from their personal link)."""
    application = application_service.locked_application(session, registration_id)
    registration = application.registration
    if application.attendance_confirmed_at is not None and application.status is ApplicationStatus.ACCEPTED:
        return application  # pressed twice: already done
    if not application.can_confirm_attendance(now):
        if application.status is ApplicationStatus.LAPSED:
            raise DomainError(_("The deadline to confirm has passed and your place has been offered to someone "
                                "else. Please write to %(contact)s.", contact=registration.event.contact_email))
        raise DomainError(_("There is nothing to confirm for this application."))
    application.attendance_confirmed_at = now
    session.flush()
    return application


def reserve_order() -> list[sa.ColumnElement]:
    """The reserve list's order: put there first, first; among those put there together, the best average
    score first, then the earliest application."""
    average = (
        sa.select(sa.func.avg(Review.score))
        .where(Review.application_id == Application.id, Review.score.is_not(None))
        .correlate(Application).scalar_subquery()
    )
    return [Application.decided_at.asc(), average.is_(None), average.desc(), Application.submitted_at.asc(),
            Application.id.asc()]


@dataclass(frozen=True)
class ReleasePlan:
    """What releasing the overdue places would do, shown before anything changes."""

    to_lapse: list[Application]
    to_promote: list[Application]  # from the reserve list, in its order
    reserve_left: int  # still on the reserve list afterwards

    @property
    def emails(self) -> int:
        return len(self.to_lapse) + len(self.to_promote)


def plan_release(session: Session, event: Event, *, now: datetime) -> ReleasePlan:
    """The overdue acceptances, and who on the reserve list takes the places they free."""
    to_lapse = list(session.scalars(
        sa.select(Application).join(Application.registration)
        .where(Registration.event_id == event.id, condition(Confirmation.OVERDUE, now))
        .options(selectinload(Application.registration))
        .order_by(Application.confirm_by, Registration.sort_name, Registration.id)
        .execution_options(populate_existing=True)
    ))
    places = len(to_lapse)
    if event.capacity is not None:  # only the freed places, and never past the capacity
        places = min(places, max(event.capacity - (count_confirmed(session, event.id) - len(to_lapse)), 0))
    reserve = list(session.scalars(
        sa.select(Application).join(Application.registration)
        .where(Registration.event_id == event.id, Application.status == ApplicationStatus.WAITLISTED)
        .options(selectinload(Application.registration))
        .order_by(*reserve_order())
        .execution_options(populate_existing=True)
    ))
    return ReleasePlan(to_lapse, reserve[:places], max(len(reserve) - places, 0))


def release_overdue(session: Session, event_id: int, *, actor: User, now: datetime) -> ReleasePlan:
    """Lapse every overdue acceptance (each person emailed) and accept as many from the reserve list
    (each sent the acceptance email). All of it or, on a refusal, none."""
    event = lock_event(session, event_id)
    plan = plan_release(session, event, now=now)  # re-read under the lock
    if not plan.to_lapse:
        raise DomainError(_("No accepted applicant is past the deadline to confirm: there is no place to release."))
    for application in plan.to_lapse:
        registration = application.registration
        application.status = ApplicationStatus.LAPSED
        application.decided_at = now
        application.decided_by_id = actor.id
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        session.flush()
        programme.release_choices(session, registration, now=now)
        notifications.queue(session, registration, "application_lapsed")
    session.flush()
    if plan.to_promote:
        application_service.decide(session, event.id, [a.registration_id for a in plan.to_promote],
                                   application_service.Decision.ACCEPT, actor=actor, now=now)
    return plan
