"""Anonymising a registration: the person's data goes, what the statistics count stays.

Deleted: names, email address, phone, organisation name and position, needs, answers, uploaded files
(from disk too, once the transaction commits), passport data, travel-support notes, reviewers' notes and
the emails written to the person. Kept: country, organisation type, role, status and dates, session
choices and check-ins, so country / organisation-type counts and attendance figures still add up.
A verification code of a letter or certificate keeps confirming that it was issued (without a name).

The row is updated, never deleted, so nothing that points at it (check-ins, an append-only audit log) blocks
the purge. An audit log that records the old values of changed columns must not record these: see
docs/security.md, "Anonymise, not delete".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import (
    Answer,
    Application,
    Event,
    OutboxEmail,
    OutboxStatus,
    Registration,
    RegistrationStatus,
    Review,
    TravelSupportRequest,
    Upload,
)
from app.services.audit.erasure import erase_registration
from app.services.errors import DomainError
from app.services.privacy.passports import forget_passport_data
from app.services.questions.uploads import delete_after_commit

ANONYMOUS_NAME = "Anonymised"


def anonymous_email(registration_id: int) -> str:
    """A placeholder that keeps (event, email) unique and can never receive mail (.invalid, RFC 2606)."""
    return f"anonymised-{registration_id}@anonymised.invalid"


def can_be_anonymised(registration: Registration, now: datetime) -> bool:
    """Not while it still holds (or waits for) a place at an event to come: the organisers would be
    left with a nameless participant. Cancelled, or the event is over: yes."""
    return registration.status is RegistrationStatus.CANCELLED or registration.event.ends_at <= now


def anonymise(session: Session, registration: Registration, *, upload_folder: str, now: datetime) -> None:
    """Remove the person's data from a registration (and what hangs off it); nothing if already done."""
    if registration.is_anonymised:
        return
    if not can_be_anonymised(registration, now):
        raise DomainError(_("%(name)s is still registered for an event that has not ended. "
                            "Cancel the registration first, then delete the data.", name=registration.full_name))
    # The log keeps that the data was deleted, and who changed what before, but none of the values.
    erase_registration(session, registration.id, event_id=registration.event_id, reference=registration.reference,
                       now=now)
    registration.title = None
    registration.given_name = ANONYMOUS_NAME
    registration.family_name = ""
    registration.passport_given_name = ""  # the name keys (sort_name, search_name) follow by themselves
    registration.passport_family_name = ""
    registration.email = anonymous_email(registration.id)
    registration.organisation = ""
    registration.position = ""
    registration.phone = ""
    registration.dietary_needs = ""
    registration.accessibility_needs = ""
    registration.anonymised_at = now
    registration.updated_at = now
    rid = registration.id
    for upload in session.scalars(sa.select(Upload).where(Upload.registration_id == rid)):
        delete_after_commit(session, Path(upload_folder) / upload.stored_name)
    session.execute(sa.delete(Upload).where(Upload.registration_id == rid))
    session.execute(sa.delete(Answer).where(Answer.registration_id == rid))
    forget_passport_data(session, [rid], now=now)
    session.execute(sa.update(TravelSupportRequest).where(TravelSupportRequest.registration_id == rid)
                    .values(note=""))
    session.execute(sa.update(Review).where(Review.application_id.in_(
        sa.select(Application.id).where(Application.registration_id == rid))).values(notes=""))
    # The emails carried the name, the address and the personal link: nothing of them is kept.
    session.execute(sa.delete(OutboxEmail).where(OutboxEmail.registration_id == rid))
    session.flush()


def retention_months(event: Event, default_months: int) -> int:
    return event.retention_months if event.retention_months is not None else default_months


def retention_ends(event: Event, default_months: int) -> datetime:
    """When the event's registrations are anonymised: its end plus its retention period (in months)."""
    months = retention_months(event, default_months)
    ends = event.ends_at
    month_index = ends.month - 1 + months
    year, month = ends.year + month_index // 12, month_index % 12 + 1
    day = min(ends.day, _days_in_month(year, month))
    return ends.replace(year=year, month=month, day=day)


def _days_in_month(year: int, month: int) -> int:
    first_of_next = datetime(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - timedelta(days=1)).day


@dataclass(frozen=True)
class PurgePlan:
    """What the purge would do: registrations past their event's retention period, deletion requests
    not carried out yet, and old email bodies."""

    past_retention: list[Registration]
    requested: list[Registration]
    old_email_bodies: int

    @property
    def registrations(self) -> list[Registration]:
        return self.past_retention + self.requested


def plan_purge(session: Session, *, default_months: int, outbox_body_days: int, now: datetime) -> PurgePlan:
    live = sa.select(Registration).where(Registration.anonymised_at.is_(None)).order_by(Registration.id)
    past = list(session.scalars(live.where(Registration.event_id.in_(_events_past_retention(
        session, default_months, now)))))
    seen = {r.id for r in past}
    # A request waits while the registration still holds a place at an event to come (see can_be_anonymised).
    requested = [r for r in session.scalars(live.where(Registration.deletion_requested_at.is_not(None)))
                 if r.id not in seen and can_be_anonymised(r, now)]
    old_bodies = session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail).where(*_old_body_filter(
        outbox_body_days, now))) or 0
    return PurgePlan(past, requested, old_bodies)


def _events_past_retention(session: Session, default_months: int, now: datetime) -> list[int]:
    # Few events: the month arithmetic is done here rather than in each database's SQL dialect.
    ended = session.scalars(sa.select(Event).where(Event.ends_at < now))
    return [event.id for event in ended if retention_ends(event, default_months) <= now]


def _old_body_filter(outbox_body_days: int, now: datetime) -> list[sa.ColumnElement[bool]]:
    # Pending emails are still to be delivered; failed and sent ones are only a log once old.
    return [OutboxEmail.status != OutboxStatus.PENDING, OutboxEmail.created_at < now - timedelta(days=outbox_body_days),
            sa.or_(OutboxEmail.body_text != "", OutboxEmail.body_html != "")]


def purge(session: Session, *, default_months: int, outbox_body_days: int, upload_folder: str,
          now: datetime) -> PurgePlan:
    """Carry the plan out: anonymise those registrations and empty the old email bodies. Caller commits."""
    plan = plan_purge(session, default_months=default_months, outbox_body_days=outbox_body_days, now=now)
    for registration in plan.registrations:
        anonymise(session, registration, upload_folder=upload_folder, now=now)
    session.execute(sa.update(OutboxEmail).where(*_old_body_filter(outbox_body_days, now))
                    .values(body_text="", body_html="", attachments=[]))
    return plan
