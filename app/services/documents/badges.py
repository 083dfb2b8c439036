"""Name badges: A6, one per page, or eight to an A4 sheet; the QR code carries only the reference."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.database import Session
from app.models import Event, ParticipantRole, Registration, TeamMember, TeamRole, User
from app.services.countries import country_name
from app.services.documents.document_wording import fill, settings_for, values_for
from app.services.documents.pdf import qr_data_uri, render_pdf
from app.services.errors import DomainError
from app.services.registration.attendees import AttendeeQuery, attendee_select

# Laying out a badge takes 20-40 ms: 400 make a PDF in about 15 s. More are printed in batches
# (by country, type or status) rather than holding a web worker for a minute.
MAX_BADGES = 400


class BadgeLayout(StrEnum):
    A6 = "a6"
    A4_SHEET = "a4"

    @property
    def label(self) -> LazyString:  # lazy: the organisers' form lists it once, at import
        return {"a6": _l("A6, one badge per page"), "a4": _l("A4 sheet of 8 badges (cut along the lines)")}[self.value]


@dataclass(frozen=True)
class Badge:
    heading: str
    # Large, then small under it (Registration.badge_lines): "Amina" over "Diallo"; "김민준" whole, nothing under.
    name_large: str
    name_small: str
    latin_name: str  # the passport's Latin form under a name in another script ("Kim Minjun"); else ""
    organisation: str
    country: str
    participant_type: str
    reference: str
    qr: str  # data URI
    role: ParticipantRole = ParticipantRole.PARTICIPANT  # its colour: the printed type is in the reader's language


def badge_role(registration: Registration, organiser_emails: set[str]) -> ParticipantRole:
    """The role the organisers gave the person (speaker, guest, press...); organisers of the event
    who registered themselves wear an 'Organiser' badge without anyone having to say so."""
    role = registration.role or ParticipantRole.PARTICIPANT  # a preview's sample is never saved
    if role is ParticipantRole.PARTICIPANT and registration.email in organiser_emails:
        return ParticipantRole.ORGANISER
    return role


def participant_type(registration: Registration, organiser_emails: set[str]) -> str:
    return str(badge_role(registration, organiser_emails).label)


def organiser_emails(session: Session, event_id: int) -> set[str]:
    series_id = sa.select(Event.series_id).where(Event.id == event_id).scalar_subquery()
    return set(session.scalars(
        sa.select(User.email).join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.role == TeamRole.MANAGER,
               sa.or_(TeamMember.event_id == event_id, TeamMember.series_id == series_id))
    ))


def badge_registrations(session: Session, event: Event, query: AttendeeQuery) -> list[Registration]:
    """The attendee list's selection, only people with a place: check-in refuses everyone else, so a
    badge for someone on the waiting or reserve list would only be turned away at the door."""
    statement = attendee_select(event.id, query).where(Registration.has_place)
    registrations = list(session.scalars(statement.limit(MAX_BADGES + 1)))
    if len(registrations) > MAX_BADGES:
        raise DomainError(_("That is more than %(max)d badges. Please print them in batches: "
                            "choose a country, a type of organisation or a status.", max=MAX_BADGES))
    return registrations


def badges_for(session: Session, event: Event, registrations: Sequence[Registration]) -> list[Badge]:
    heading = settings_for(session, event).text("badge_heading")
    organisers = organiser_emails(session, event.id)
    return [
        Badge(
            heading=fill(heading, values_for(r)),
            name_large=r.badge_lines[0],
            name_small=r.badge_lines[1],
            latin_name=r.latin_name,
            organisation=r.organisation,
            country=country_name(r.country),
            participant_type=participant_type(r, organisers),
            role=badge_role(r, organisers),
            reference=r.reference,
            qr=qr_data_uri(r.reference),
        )
        for r in registrations
    ]


def badge_pdf(session: Session, event: Event, registrations: Sequence[Registration], layout: BadgeLayout) -> bytes:
    badges = _badges_in_their_languages(session, event, registrations)
    per_page = 8 if layout is BadgeLayout.A4_SHEET else 1
    pages = [badges[i:i + per_page] for i in range(0, len(badges), per_page)]
    return render_pdf("badges.html", event=event, pages=pages, layout=layout.value)


def _badges_in_their_languages(session: Session, event: Event, registrations: Sequence[Registration]) -> list[Badge]:
    """Each badge in its holder's language (their country, their role), in the order given: one pass per language,
    so the event's settings are read once per language, not once per badge."""
    made: dict[str, Iterator[Badge]] = {}
    for language in {r.language for r in registrations}:
        with force_locale(language):
            made[language] = iter(badges_for(session, event, [r for r in registrations if r.language == language]))
    return [next(made[r.language]) for r in registrations]
