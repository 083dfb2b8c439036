"""Certificates of attendance: who qualifies, issuing them (with the PDF emailed), and the PDF itself.

Attendance comes from the check-in service (app.services.attendance.attendance): the event's days at the
venue and the days each person was checked in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.database import Session
from app.models import Certificate, Event, Registration, RegistrationStatus, User
from app.services.documents.document_wording import fill, paragraphs, settings_for, values_for
from app.services.documents.pdf import render_pdf
from app.services.documents.verification import new_code
from app.services.errors import DomainError
from app.services.mail import mailer, notifications
from app.services.registration.locking import lock_event
from app.services.urls import external_url


@dataclass(frozen=True)
class Attendance:
    registration: Registration
    days_attended: int
    days_total: int
    qualifies: bool


def qualifies(days_attended: int, days_total: int, threshold_percent: int) -> bool:
    """At least `threshold_percent` of the days, compared in integers (4 of 5 days is exactly 80 %)."""
    return days_total > 0 and days_attended * 100 >= threshold_percent * days_total


def _attendance(registration: Registration, present: set[date], days: Sequence[date], threshold: int) -> Attendance:
    attended = len(present & set(days))
    return Attendance(registration, attended, len(days), qualifies(attended, len(days), threshold))


def attendance_of(session: Session, event: Event) -> list[Attendance]:
    """Every confirmed participant with the days they attended, in name order."""
    from app.services.attendance.attendance import days_attended_by_registration, event_days

    days = event_days(event)
    threshold = settings_for(session, event).certificate_threshold
    registrations = list(session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.sort_name, Registration.id)
    ))
    # The check-in feature owns the rule of "attended"; one query for everyone.
    present = days_attended_by_registration(session, [r.id for r in registrations])
    return [_attendance(r, present[r.id], days, threshold) for r in registrations]


def issued_ids(session: Session, event_id: int) -> set[int]:
    return set(session.scalars(
        sa.select(Certificate.registration_id).join(Certificate.registration).where(Registration.event_id == event_id)
    ))


def certificate_of(session: Session, registration_id: int) -> Certificate | None:
    return session.scalar(sa.select(Certificate).where(Certificate.registration_id == registration_id))


def issue_all(session: Session, event_id: int, *, actor: User, now: datetime) -> list[Certificate]:
    """Issue a certificate to everyone who qualifies and has none yet, each emailed with the PDF."""
    event = lock_event(session, event_id)
    if now < event.starts_at:
        raise DomainError(_("Certificates can only be issued once the event has started."))
    already = issued_ids(session, event.id)
    return [_issue(session, item, actor, now) for item in attendance_of(session, event)
            if item.qualifies and item.registration.id not in already]


def issue_one(session: Session, registration_id: int, *, actor: User, now: datetime) -> Certificate:
    """One person's certificate; refused, with the reason, when they did not attend enough."""
    registration = session.get_one(Registration, registration_id)
    event = lock_event(session, registration.event_id)
    existing = certificate_of(session, registration.id)
    if existing is not None:
        return existing
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise DomainError(_("%(name)s has no confirmed place, so no certificate can be issued.",
                                  name=registration.full_name))
    from app.services.attendance.attendance import days_attended, event_days

    threshold = settings_for(session, event).certificate_threshold
    item = _attendance(registration, days_attended(session, registration.id), event_days(event), threshold)
    if not item.qualifies:
        raise DomainError(_(
            "%(name)s attended %(attended)d of %(total)d days; a certificate needs at least %(threshold)d %% of the days.",
            name=registration.full_name, attended=item.days_attended, total=item.days_total, threshold=threshold))
    return _issue(session, item, actor, now)


def _issue(session: Session, item: Attendance, actor: User, now: datetime) -> Certificate:
    certificate = Certificate(
        registration=item.registration, verification_code=new_code(), days_attended=item.days_attended,
        days_total=item.days_total, issued_at=now, issued_by_id=actor.id,
    )
    session.add(certificate)
    session.flush()
    email_certificate(session, certificate)
    return certificate


def email_certificate(session: Session, certificate: Certificate) -> None:
    """Queue the certificate's email, the PDF attached (when issued, and again when re-issued with a corrected name).

    The PDF is made by the mail worker when it sends the email: laying out hundreds of them here would hold
    this request (and the event's lock) for minutes. The PDF shows the registration's name as it is then."""
    registration = certificate.registration
    verify_url = external_url("public.verify", code=certificate.verification_code)
    notifications.queue(session, registration, "certificate_issued", certificate=certificate,
                        verify_url=verify_url, attachments=[{
        "filename": f"certificate-{registration.reference}.pdf",
        "content_type": "application/pdf",
        "generated": "certificate",
        "id": certificate.id,
    }])


def certificate_pdf(session: Session, certificate: Certificate) -> bytes:
    """The certificate in its holder's language (their registration's), whoever asks for it."""
    with force_locale(certificate.registration.language):
        return _certificate_pdf(session, certificate)


def _certificate_pdf(session: Session, certificate: Certificate) -> bytes:
    registration = certificate.registration
    event = registration.event
    settings = settings_for(session, event)
    values = values_for(registration, days_attended=certificate.days_attended, days_total=certificate.days_total)
    return render_pdf(
        "certificate.html",
        certificate=certificate,
        registration=registration,
        event=event,
        settings=settings,
        body=[fill(p, values) for p in paragraphs(settings.text("certificate_body"))],
        issued_on=event.local(certificate.issued_at).date(),
        verify_url=external_url("public.verify", code=certificate.verification_code),
        preview=certificate.id is None,
    )


def _certificate_attachment(session: Session, certificate_id: int) -> bytes | None:
    certificate = session.get(Certificate, certificate_id)
    return certificate_pdf(session, certificate) if certificate is not None else None


mailer.GENERATED_ATTACHMENTS["certificate"] = _certificate_attachment
