"""Correcting a registration's details: by its managers at any time, by the participant from the personal link
until the event's deadline, except the name once a document carries it; then a correction request instead.

Callers commit; a DomainError means nothing changed. The audit log records the changes by itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import (
    CorrectionRequest,
    Event,
    OrganisationType,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    Title,
    User,
)
from app.models.names import NameOrder, full_name, written_name
from app.services.documents.reissue import holds_issued_documents, reissue_after_name_change
from app.services.errors import DomainError
from app.services.formatting import format_local
from app.services.mail import notifications, organiser_alerts
from app.services.registration.locking import lock_event

NAME_FIELDS = ("title", "given_name", "family_name", "single_name", "name_order", "passport_given_name",
               "passport_family_name")
REQUEST_MAX = 2000


@dataclass(frozen=True)
class Details:
    """The standard fields of a registration, as the registration form asks them (without consent and the visa
    request, which have their own steps)."""

    title: Title | None
    given_name: str
    family_name: str
    email: str  # validated and normalised by the form
    organisation: str
    organisation_type: OrganisationType
    country: str
    position: str = ""
    phone: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""
    language: str | None = None  # of the emails and documents; None keeps the registration's
    single_name: bool = False
    name_order: NameOrder = NameOrder.GIVEN_FIRST
    passport_given_name: str = ""
    passport_family_name: str = ""

    @property
    def written_name(self) -> str:
        return written_name(self.given_name, self.family_name, self.name_order, single=self.single_name)

    @classmethod
    def of(cls, registration: Registration) -> Details:
        return cls(**{f.name: getattr(registration, f.name) for f in dataclasses.fields(cls)})


@dataclass(frozen=True)
class Correction:
    changed: list[str]  # the names of the fields that changed
    old_email: str | None = None  # when the address changed: both addresses were emailed
    reissued: int = 0  # documents issued again under the corrected name


def names_locked(session: Session, registration: Registration) -> bool:
    """The participant can no longer change their name: the event says names are final (badges printed), or a
    certificate or visa letter carries it."""
    return registration.event.names_locked or holds_issued_documents(session, registration.id)


def correct(session: Session, registration_id: int, details: Details, *, role: ParticipantRole | None = None,
            actor: User | None, now: datetime) -> Correction:
    """Change the registration's details: by a manager (`actor`), or by the participant (actor None), who may
    not change a locked name nor the email address, and only until the event's deadline."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    before = Details.of(registration)
    wanted = dataclasses.replace(details, email=details.email.strip().lower(),
                                 language=details.language or before.language)
    changed = [f.name for f in dataclasses.fields(Details) if getattr(wanted, f.name) != getattr(before, f.name)]
    if actor is None:
        _check_participant_may(session, registration, changed, now)
    if "email" in changed:
        # Under the event's lock, as register() checks the address: two requests cannot both take it.
        lock_event(session, registration.event_id)
        _check_email_free(session, registration, wanted.email)
    for name in changed:
        setattr(registration, name, getattr(wanted, name))
    if role is not None and role is not registration.role:
        registration.role = role
        changed.append("role")
    if not changed:
        return Correction([])
    session.flush()
    old_email = None
    if "email" in changed:
        old_email = before.email
        # The new address gets the personal link; the old one is told where the emails go now, without it.
        notifications.queue(session, registration, "email_changed_new", old_email=before.email,
                            new_email=registration.email)
        notifications.queue(session, registration, "email_changed_old", to=before.email, old_email=before.email,
                            new_email=registration.email)
    reissued = []
    old_name = before.written_name
    if registration.full_name != old_name or any(
            name in changed for name in ("passport_given_name", "passport_family_name")):
        reissued = reissue_after_name_change(session, registration, old_name, now=now)
    return Correction(changed, old_email=old_email, reissued=len(reissued))


def _check_participant_may(session: Session, registration: Registration, changed: list[str], now: datetime) -> None:
    event: Event = registration.event
    if not registration.can_edit_details(now):
        raise DomainError(deadline_message(registration, now))
    if "email" in changed:
        # The address is what the personal link is sent to: changing it from that link would let whoever
        # holds the link take the registration away. The organisers change it (and both addresses are told).
        raise DomainError(_("To change your email address, please write to the organisers at %(contact)s.",
                            contact=event.contact_email), field="email")
    if any(name in changed for name in NAME_FIELDS) and names_locked(session, registration):
        raise DomainError(_("Your name can no longer be changed here: it is printed on your documents. "
                            "Please request a correction instead."), field="given_name")


def deadline_message(registration: Registration, now: datetime) -> str:
    event = registration.event
    if registration.status is RegistrationStatus.CANCELLED:
        return _("This registration is cancelled, so its details can no longer be changed.")
    return _("Your details could be changed until %(deadline)s. "
             "Please write to the organisers at %(contact)s if something must be corrected.",
             deadline=format_local(event.details_deadline, event.timezone), contact=event.contact_email)


def _check_email_free(session: Session, registration: Registration, email: str) -> None:
    taken = session.scalar(sa.select(Registration.id).where(
        Registration.event_id == registration.event_id, Registration.email == email, Registration.id != registration.id))
    if taken is not None:
        raise DomainError(_("Another registration for this event already uses %(email)s. Each address can be "
                            "registered once per event: correct or cancel that registration first.", email=email),
                          field="email")


# --- correction requests ----------------------------------------------------------------------------

def request_correction(session: Session, registration_id: int, message: str, *, now: datetime) -> CorrectionRequest:
    """The participant asks the organisers to correct what they cannot (a locked name); the managers are emailed."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    text = message.strip()
    if not text:
        raise DomainError(_("Please say what should be corrected."), field="message")
    if len(text) > REQUEST_MAX:
        raise DomainError(_("Please keep the request under %(max)s characters.", max=REQUEST_MAX), field="message")
    if registration.status is RegistrationStatus.CANCELLED:
        raise DomainError(_("This registration is cancelled: please write to the organisers instead."))
    request = CorrectionRequest(registration=registration, message=text, created_at=now)
    session.add(request)
    session.flush()
    organiser_alerts.correction_requested(session, registration, request)
    return request


def resolve_request(session: Session, request_id: int, *, registration_id: int, actor: User,
                    now: datetime) -> CorrectionRequest:
    request = session.get(CorrectionRequest, request_id)
    if request is None or request.registration_id != registration_id:
        raise LookupError(f"correction request {request_id} does not exist")
    if not request.is_open:
        raise DomainError(_("This correction request is already marked done."))
    request.resolved_at = now
    request.resolved_by_id = actor.id
    session.flush()
    return request


def requests_of(session: Session, registration_id: int) -> list[CorrectionRequest]:
    return list(session.scalars(sa.select(CorrectionRequest).where(CorrectionRequest.registration_id == registration_id)
                                .order_by(CorrectionRequest.created_at.desc(), CorrectionRequest.id.desc())))


class OpenRequest(NamedTuple):
    """An open request as the attendee list shows it (attendees.facets_and_notes reads them), read as plain values:
    its `registration` says the person's name."""

    id: int
    registration_id: int
    message: str
    created_at: datetime
    registration: RequestingPerson


class RequestingPerson(NamedTuple):
    given_name: str
    family_name: str
    name_order: NameOrder
    single_name: bool

    @property
    def full_name(self) -> str:  # as Registration.full_name
        return full_name(self.given_name, self.family_name, self.name_order, self.single_name)


def open_request_counts(session: Session, event_ids: list[int]) -> dict[int, int]:
    """Open requests per event, for the dashboard: one query."""
    if not event_ids:
        return {}
    rows = session.execute(
        sa.select(Registration.event_id, sa.func.count()).select_from(CorrectionRequest)
        .join(Registration, Registration.id == CorrectionRequest.registration_id)
        .where(Registration.event_id.in_(event_ids), CorrectionRequest.resolved_at.is_(None))
        .group_by(Registration.event_id)).tuples().all()
    return dict(rows)
