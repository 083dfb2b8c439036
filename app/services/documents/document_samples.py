"""A made-up participant for previewing an event's documents before any is sent.

The objects are never added to the session: previews save nothing.
"""

from __future__ import annotations

from datetime import date

from app.i18n import current_language
from app.models import (
    Certificate,
    Event,
    OrganisationType,
    Registration,
    RegistrationStatus,
    Title,
    VisaRequest,
    utcnow,
)
from app.services.attendance.attendance import event_days


def sample_registration(event: Event) -> Registration:
    # A Vietnamese name: the preview shows at once whether the fonts carry every accent.
    return Registration(
        event=event, reference=f"{event.code}-SAMP", status=RegistrationStatus.CONFIRMED, title=Title.MS,
        given_name="Nguyễn Thị", family_name="Lan", email="sample@example.org",
        organisation="Hoa Lac Hi-Tech Park", position="Director of Incubation",
        organisation_type=OrganisationType.SCIENCE_PARK, country="VN", consent_at=utcnow(),
        language=current_language(),  # the preview speaks the organiser's language
    )


def sample_visa_request(event: Event) -> VisaRequest:
    starts = event.local(event.starts_at).date()
    return VisaRequest(
        registration=sample_registration(event), passport_name="NGUYEN THI LAN", nationality="VN",
        date_of_birth=date(1984, 5, 17), passport_number="C1234567",
        passport_expiry=date(starts.year + 5, starts.month, min(starts.day, 28)),
    )


def sample_certificate(event: Event) -> Certificate:
    days = len(event_days(event))
    return Certificate(
        registration=sample_registration(event), verification_code="SAMP-LE00-CODE",
        days_attended=days, days_total=days, issued_at=max(event.ends_at, utcnow()),
    )


def _as_long_as(column, words: str) -> str:
    """Text filling a column to its length, in real words so it wraps as a long name would."""
    length = column.type.length
    return (words + " ") * (length // (len(words) + 1)) + words[: length % (len(words) + 1)].rstrip()


def longest_visa_request(event: Event) -> VisaRequest:
    """The longest details the registration and visa forms accept, each at its column's length:
    wording whose letter fits one page for this person fits for everyone registered."""
    from app.services.countries import COUNTRIES

    columns = Registration.__table__.c
    code, _name = max(COUNTRIES, key=lambda item: len(item[1]))
    registration = sample_registration(event)
    registration.given_name = _as_long_as(columns.given_name, "Hubert Blaine")
    registration.family_name = _as_long_as(columns.family_name, "Wolfeschlegelsteinhausenbergerdorff")
    registration.organisation = _as_long_as(columns.organisation, "Mohammed Bin Rashid Innovation Foundation")
    registration.position = _as_long_as(columns.position, "Deputy Director of International Cooperation")
    registration.country = code
    request = sample_visa_request(event)
    request.registration = registration
    request.passport_name = _as_long_as(VisaRequest.__table__.c.passport_name, "WOLFESCHLEGELSTEINHAUSENBERGERDORFF")
    request.nationality = code
    request.passport_number = "W" * 20  # the registration form's longest passport number
    request.verification_code = "WWWW-WWWW-WWWW"  # an approved letter: its verification line is the longer one
    return request
