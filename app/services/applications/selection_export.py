"""The accepted participants with their travel support, for the finance team: CSV and XLSX.

Both files hold the same rows and columns (app/services/spreadsheets.py writes them); amounts are
numbers in the XLSX, which adds a second sheet with the total granted per currency.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import sqlalchemy as sa

from app.database import Session
from app.models import Application, ApplicationStatus, Event, Registration, TravelSupportRequest
from app.services.countries import country_name
from app.services.spreadsheets import Table, Value, zoned

HEADER = (
    "Reference", "Title", "Given name", "Family name", "Email", "Organisation", "Position", "Organisation type",
    "Country code", "Country", "Phone", "Accepted on", "Travel support requested", "Support for",
    "Estimated amount", "Estimated currency", "Travel support decision", "Granted amount", "Granted currency",
    "Note to the participant",
)
_GRANTED_AT, _CURRENCY_AT = HEADER.index("Granted amount"), HEADER.index("Granted currency")


def accepted_rows(session: Session, event: Event) -> Iterator[list[Value]]:
    """One list of cells per accepted participant, by family name; amounts stay Decimal (or None)."""
    statement = (
        sa.select(Registration, Application, TravelSupportRequest)
        .join(Application, Application.registration_id == Registration.id)
        .outerjoin(TravelSupportRequest, TravelSupportRequest.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Application.status == ApplicationStatus.ACCEPTED)
        .order_by(sa.func.lower(Registration.family_name), sa.func.lower(Registration.given_name), Registration.id)
    )
    for registration, application, travel in session.execute(statement):
        yield [
            registration.reference, registration.title.value if registration.title else "", registration.given_name,
            registration.family_name, registration.email, registration.organisation, registration.position,
            registration.organisation_type.label, registration.country, country_name(registration.country),
            registration.phone, application.decided_at,
            "yes" if travel else "no",
            ", ".join(travel.wanted) if travel else "",
            travel.estimated_amount if travel else None,
            travel.estimated_currency if travel and travel.estimated_amount is not None else "",
            travel.decision.label if travel else "",
            travel.granted_amount if travel and travel.is_granted else None,
            travel.granted_currency if travel and travel.is_granted else "",
            travel.note if travel else "",
        ]


def accepted_table(session: Session, event: Event) -> Table:
    return Table("Accepted participants", _header(event), accepted_rows(session, event), event.tz)


def workbook_tables(session: Session, event: Event) -> Iterator[Table]:
    """The participants and, once their rows are written, the total granted per currency."""
    totals: dict[str, Decimal] = {}

    def counted() -> Iterator[list[Value]]:
        for row in accepted_rows(session, event):
            granted = row[_GRANTED_AT]
            if isinstance(granted, Decimal):
                currency = str(row[_CURRENCY_AT])
                totals[currency] = totals.get(currency, Decimal(0)) + granted
            yield row

    yield Table("Accepted participants", _header(event), counted(), event.tz)
    yield Table("Granted per currency", ("Currency", "Total granted"), sorted(totals.items()), event.tz)


def _header(event: Event) -> tuple[str, ...]:
    return tuple(zoned(title, event.tz) if title == "Accepted on" else title for title in HEADER)
