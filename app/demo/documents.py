"""Demo documents: visa letter requests (some approved) and certificates for the last finished edition.

Written straight to the tables, like the rest of the demo data: no email is queued, and the PDFs
are made when someone downloads them.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from app.database import Session
from app.models import Certificate, Event, Registration, RegistrationStatus, User, VisaRequest, VisaRequestStatus
from app.services.documents import certificates
from app.services.documents.verification import new_code

APPROVED_SHARE = 0.6


def add_documents(session: Session, events: list[Event], registrations: list[Registration], *,
                  now: datetime, by: User) -> None:
    rng = random.Random(66)  # its own seed: the rest of the demo data stays as it was
    _visa_requests(session, rng, [r for r in registrations if r.needs_visa_letter and r.event.ends_at > now
                                  and r.status is not RegistrationStatus.CANCELLED], now, by)
    finished = [e for e in events if e.ends_at < now]
    if finished:
        _certificates(session, max(finished, key=lambda e: e.ends_at), now, by)
    session.flush()


def _visa_requests(session: Session, rng: random.Random, registrations: list[Registration], now: datetime,
                   by: User) -> None:
    for registration in registrations:
        last_day = registration.event.local(registration.event.ends_at).date()
        approved = registration.status is RegistrationStatus.CONFIRMED and rng.random() < APPROVED_SHARE
        session.add(VisaRequest(
            registration=registration,
            passport_name=f"{registration.family_name} {registration.given_name}".upper(),
            nationality=registration.country,
            date_of_birth=date(rng.randrange(1962, 1998), rng.randrange(1, 13), rng.randrange(1, 29)),
            passport_number=rng.choice("ABCEGKNPT") + "".join(rng.choice("0123456789") for _ in range(7)),
            passport_expiry=last_day + timedelta(days=rng.randrange(200, 3000)),
            status=VisaRequestStatus.APPROVED if approved else VisaRequestStatus.REQUESTED,
            verification_code=new_code() if approved else None,
            approved_at=now - timedelta(days=rng.randrange(1, 10)) if approved else None,
            approved_by_id=by.id if approved else None,
            created_at=registration.created_at,
        ))


def _certificates(session: Session, event: Event, now: datetime, by: User) -> None:
    session.flush()  # the check-ins are read back by the attendance service
    issued_at = min(event.ends_at + timedelta(days=2), now)
    session.add_all(
        Certificate(registration=item.registration, verification_code=new_code(), days_attended=item.days_attended,
                    days_total=item.days_total, issued_at=issued_at, issued_by_id=by.id)
        for item in certificates.attendance_of(session, event) if item.qualifies
    )
