"""Visa invitation letters: the request made at registration, approval, the letter, and wiping passport data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from app.database import Session
from app.models import Event, Registration, RegistrationStatus, User, VisaRequest, VisaRequestStatus
from app.services.audit import recorder
from app.services.countries import country_name
from app.services.documents import visa_letter_pdf
from app.services.documents.verification import new_code
from app.services.errors import DomainError
from app.services.mail import notifications
from app.services.paging import Page, paginate
from app.services.registration import fresh
from app.services.registration.locking import lock_event
from app.services.spreadsheets import Table, Value, zoned

OLDEST_AGE, YOUNGEST_AGE = 100, 14


@dataclass(frozen=True)
class PassportDetails:
    passport_name: str
    nationality: str
    date_of_birth: date
    passport_number: str
    passport_expiry: date


def birth_date_problem(event: Event, born: date) -> str | None:
    """Why a date of birth cannot be right for someone attending the event, or None."""
    day = event.local(event.starts_at).date()
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if born >= day or age < YOUNGEST_AGE:
        return _("Please check your date of birth: participants must be adults.")
    if age > OLDEST_AGE:
        return _("Please check the year of your date of birth.")
    return None


def expiry_problem(event: Event, expiry: date) -> str | None:
    """Why a passport expiry date will not do, or None. Consulates want it valid past the stay."""
    last_day = event.local(event.ends_at).date()
    if expiry <= last_day:
        day = format_date(last_day, _("dd MMM y"))
        return _("Your passport must still be valid after the event ends (%(day)s). "
                 "Please renew it before applying for a visa.", day=day)
    return None


def save_request(session: Session, registration: Registration, details: PassportDetails,
                 *, now: datetime) -> VisaRequest:
    """Record (or replace) the registration's request; a changed request needs approving again."""
    for problem in (birth_date_problem(registration.event, details.date_of_birth),
                    expiry_problem(registration.event, details.passport_expiry)):
        if problem:
            raise DomainError(problem)
    # A registration made in this transaction has none yet: not asked.
    request = None if fresh.is_fresh(session, registration.id) else session.scalar(
        sa.select(VisaRequest).where(VisaRequest.registration_id == registration.id))
    if request is None:
        request = VisaRequest(registration=registration, created_at=now)
        session.add(request)
    request.updated_at = now
    request.status = VisaRequestStatus.REQUESTED
    request.verification_code = None
    request.approved_at = None
    request.approved_by_id = None
    request.purged_at = None
    for name, value in vars(details).items():
        setattr(request, name, value)
    session.flush()
    return request


def withdraw_request(session: Session, registration: Registration) -> None:
    """Forget a request (and its passport data) the person no longer makes."""
    session.execute(sa.delete(VisaRequest).where(VisaRequest.registration_id == registration.id))


def requests_of(session: Session, event_id: int) -> list[VisaRequest]:
    return list(session.scalars(_requests_select(event_id)))


def _requests_select(event_id: int) -> sa.Select:
    return (
        sa.select(VisaRequest).join(VisaRequest.registration)
        .where(Registration.event_id == event_id)
        # "approved" sorts before "requested": pending ones first means descending.
        .order_by(VisaRequest.status.desc(), Registration.sort_name, Registration.id)
    )


def requests_page(session: Session, event_id: int, *, page: int, per_page: int) -> Page[VisaRequest]:
    """One page of the event's requests, pending ones first."""
    total = session.scalar(
        sa.select(sa.func.count()).select_from(VisaRequest).join(VisaRequest.registration)
        .where(Registration.event_id == event_id)
    ) or 0
    return paginate(total, page, per_page, lambda limit, offset: session.scalars(
        _requests_select(event_id).limit(limit).offset(offset)))


def request_of(session: Session, registration_id: int) -> VisaRequest | None:
    return session.scalar(sa.select(VisaRequest).where(VisaRequest.registration_id == registration_id))


def _approvable(request: VisaRequest) -> bool:
    return (request.status is VisaRequestStatus.REQUESTED and request.purged_at is None
            and request.registration.status is RegistrationStatus.CONFIRMED)


def pending_count(session: Session, event_id: int) -> int:
    """Requests an organiser can approve now (the same rule as _approvable, counted in SQL)."""
    return session.scalar(
        sa.select(sa.func.count()).select_from(VisaRequest).join(VisaRequest.registration).where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED,
            VisaRequest.status == VisaRequestStatus.REQUESTED, VisaRequest.purged_at.is_(None),
        )
    ) or 0


def approve(session: Session, event_id: int, request_ids: Iterable[int] | None, *, actor: User, now: datetime) -> list[VisaRequest]:
    """Approve the given requests (None: every pending one) and email each person their letter.

    Under the event's lock, so two organisers pressing "approve all" at once send one email each.
    """
    lock_event(session, event_id)
    wanted = None if request_ids is None else set(request_ids)
    # populate_existing: the view may have loaded these rows before the lock; read them afresh,
    # or a request approved meanwhile by someone else would look pending and be approved twice.
    statement = _requests_select(event_id).execution_options(populate_existing=True)
    if wanted is not None:
        statement = statement.where(VisaRequest.id.in_(wanted))
    candidates = list(session.scalars(statement))
    if wanted is not None and not candidates:
        raise DomainError(_("This visa request does not exist."))
    if wanted is not None:
        for request in candidates:
            if request.registration.status is not RegistrationStatus.CONFIRMED:
                raise DomainError(_("%(name)s has no confirmed place: confirm the registration before approving "
                                    "the letter.", name=request.registration.full_name))
            if request.purged_at is not None:
                raise DomainError(_("The passport data of this request was deleted; there is nothing to approve."))
    approved = []
    for request in candidates:
        if not _approvable(request):
            continue
        request.status = VisaRequestStatus.APPROVED
        request.verification_code = new_code()
        request.approved_at = now
        request.approved_by_id = actor.id
        approved.append(request)
    session.flush()
    for request in approved:
        notifications.queue(session, request.registration, "visa_letter_ready")
    return approved


def purge_passport_data(session: Session, event: Event, *, now: datetime) -> int:
    """Wipe the passport data of an event that has ended; letters stay verifiable by their code."""
    if now < event.ends_at:
        raise DomainError(_("Passport data can only be deleted once the event has ended: "
                            "participants may still need their letters."))
    ids = [r.id for r in requests_of(session, event.id) if r.purged_at is None]
    if ids:
        session.execute(
            sa.update(VisaRequest).where(VisaRequest.id.in_(ids)).values(
                passport_name=None, nationality=None, date_of_birth=None, passport_number=None,
                passport_expiry=None, purged_at=now, updated_at=now,
            )
        )
        # One bulk UPDATE, which the session's listener does not see: the log is told in so many words.
        recorder.record(session, "passport data deleted", event_id=event.id, object_type="visa_requests",
                        details={"requests": len(ids)})
    return len(ids)


def purge_events_ended_before(session: Session, day: datetime, *, now: datetime) -> dict[str, int]:
    """The CLI's purge: every event that ended before `day` (an aware datetime); {event title: count}."""
    events = session.scalars(sa.select(Event).where(Event.ends_at < min(day, now)).order_by(Event.ends_at))
    done = {}
    for event in events:
        count = purge_passport_data(session, event, now=now)
        if count:
            done[event.title] = count
    return done


def letter_pdf(session: Session, request: VisaRequest, *, today: date, image_folder: str) -> bytes:
    """The letter as a PDF of one page, with the event's signature and stamp images (from image_folder)."""
    return visa_letter_pdf.letter_pdf(session, request, today=today, image_folder=image_folder)


def export_table(session: Session, event: Event) -> Table:
    """The passport data of an event's requests: only ever exported on purpose, from the Documents page."""
    header = ("Reference", "Status", "Name in passport", "Nationality", "Date of birth", "Passport number",
              "Passport expiry", "Registration", "Email", "Organisation", zoned("Letter approved", event.tz))
    statement = (_requests_select(event.id).options(contains_eager(VisaRequest.registration))
                 .execution_options(yield_per=500))  # a batch at a time, while the file is written

    def rows() -> Iterator[list[Value]]:
        for r in session.scalars(statement):
            reg = r.registration
            yield [
                reg.reference, r.status.label, r.passport_name or "", country_name(r.nationality), r.date_of_birth,
                r.passport_number or "", r.passport_expiry, reg.status.label, reg.email, reg.organisation,
                r.approved_at,
            ]

    return Table("Visa letter requests", header, rows(), event.tz)
