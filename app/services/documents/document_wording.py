"""Each event's wording for letters, badges and certificates, with {placeholders} filled per person."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.database import Session
from app.models import DocumentSettings, Event, Registration
from app.models.bilingual import localized
from app.services import placeholders
from app.services.countries import country_name
from app.services.errors import DomainError
from app.services.formatting import format_date_range


def N_(text: str) -> str:
    """Marks a default for the catalog; it is translated where it is used (settings_for), in the language the
    document is made in. The constant itself stays English: the organisers' form starts from it."""
    return text


# The placeholders organisers may use, with what each stands for (shown next to the form).
PLACEHOLDERS = {
    "given_name": _l("given name(s)"),
    "family_name": _l("family name"),
    "full_name": _l("the name as the person writes it, e.g. Amina Diallo, 김민준"),
    "organisation": _l("organisation"),
    "position": _l("position (may be empty)"),
    "country": _l("country of the organisation"),
    "reference": _l("registration reference, e.g. ITW27-UG4H"),
    "event_title": _l("title of the event"),
    "event_dates": _l("dates of the event, e.g. 3–7 Nov 2026"),
    "event_place": _l("venue, city and country"),
    "days_attended": _l("days the person was checked in (certificates)"),
    "days_total": _l("days of the event (certificates)"),
}

DEFAULT_LETTER = N_(
    "To the Embassy or Consulate of the Republic of Korea\n\n"
    "The World Technopolis Association (WTA) is pleased to invite {full_name} of {organisation}, {country}, "
    "to take part in the {event_title}, held in {event_place} from {event_dates}.\n\n"
    "The participant is registered under the reference {reference}. The passport details are given below.\n\n"
    "We kindly ask you to grant the visa needed to travel to the Republic of Korea for this event. "
    "Please do not hesitate to contact us should you need any further information."
)
DEFAULT_BADGE_HEADING = "{event_title}"
DEFAULT_CERTIFICATE = N_(
    "took part in the {event_title}, held in {event_place} from {event_dates}, "
    "and attended {days_attended} of its {days_total} days."
)
DEFAULT_SIGNATORY_NAME = N_("Secretary General")
DEFAULT_SIGNATORY_TITLE = N_("World Technopolis Association")
DEFAULT_THRESHOLD = 80
KOREAN = ("signatory_name_ko", "signatory_title_ko", "letter_body_ko", "badge_heading_ko", "certificate_body_ko")
EDITED_LANGUAGE = "en"  # the wording organisers edit and save


@dataclass(frozen=True)
class Wording:
    signatory_name: str
    signatory_title: str
    letter_body: str
    badge_heading: str
    certificate_body: str
    certificate_threshold: int
    # In Korean, for participants registered in Korean; each optional (the English is used where empty).
    signatory_name_ko: str = ""
    signatory_title_ko: str = ""
    letter_body_ko: str = ""
    badge_heading_ko: str = ""
    certificate_body_ko: str = ""

    def text(self, name: str) -> str:
        return localized(self, name)


def settings_for(session: Session, event: Event, *, language: str | None = None) -> DocumentSettings:
    """The event's settings; an unsaved row with the defaults when the organisers changed nothing, worded in
    `language` (else the current one: the document's). The organisers' form wants EDITED_LANGUAGE: what it
    saves is the English wording."""
    settings = session.get(DocumentSettings, event.id)
    if settings is None:
        with force_locale(language) if language else nullcontext():
            settings = DocumentSettings(
                event_id=event.id,
                signatory_name=_(DEFAULT_SIGNATORY_NAME),
                signatory_title=_(DEFAULT_SIGNATORY_TITLE),
                letter_body=_(DEFAULT_LETTER),
                badge_heading=DEFAULT_BADGE_HEADING,
                certificate_body=_(DEFAULT_CERTIFICATE),
                certificate_threshold=DEFAULT_THRESHOLD,
            )
    return settings


def save_settings(session: Session, event: Event, wording: Wording, *, today: date) -> DocumentSettings:
    """Save the wording; refused when a placeholder is unknown or the visa letter would not fit one page."""
    from app.services.documents.visa_letter_pdf import (
        overflow_problem,  # it lays letters out with this module's helpers
    )

    korean: dict[str, Any] = {name: (getattr(wording, name) or "").strip() for name in KOREAN}
    wording = replace(wording, **korean)
    for field in ("letter_body", "badge_heading", "certificate_body", "letter_body_ko", "badge_heading_ko",
                  "certificate_body_ko"):
        check_placeholders(getattr(wording, field), field=field)
    if not 1 <= wording.certificate_threshold <= 100:
        raise DomainError(_("Give a percentage between 1 and 100."), field="certificate_threshold")
    problem = overflow_problem(event, wording, today=today)
    if problem:
        raise DomainError(problem, field="letter_body")
    if wording.letter_body_ko:  # laid out as the Korean letter is: in its place
        problem = overflow_problem(event, replace(wording, letter_body=wording.letter_body_ko, letter_body_ko=""),
                                   today=today)
        if problem:
            raise DomainError(problem, field="letter_body_ko")
    settings = session.get(DocumentSettings, event.id)
    if settings is None:
        settings = DocumentSettings(event_id=event.id)
        session.add(settings)
    for name, value in vars(wording).items():
        setattr(settings, name, value)
    session.flush()
    return settings


def check_placeholders(text: str, *, field: str | None = None) -> None:
    placeholders.check_placeholders(text, PLACEHOLDERS, field=field)


def fill(text: str, values: dict[str, str]) -> str:
    return placeholders.fill(text, values)


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def event_place(event: Event) -> str:
    return ", ".join(part for part in (event.shown_venue, event.shown_city, country_name(event.country)) if part)


def values_for(registration: Registration, *, days_attended: int | None = None, days_total: int | None = None,
               full_name: str | None = None) -> dict:
    """`full_name`: another form of the name where the document needs it (the visa letter's passport name)."""
    event = registration.event
    return {
        "given_name": registration.given_name,
        "family_name": registration.family_name,
        "full_name": registration.full_name if full_name is None else full_name,
        "organisation": registration.organisation,
        "position": registration.position,
        "country": country_name(registration.country),
        "reference": registration.reference,
        "event_title": event.title,
        "event_dates": format_date_range(event.starts_at, event.ends_at, event.timezone),
        "event_place": event_place(event),
        "days_attended": "" if days_attended is None else str(days_attended),
        "days_total": "" if days_total is None else str(days_total),
    }
