"""The accepted participants with their travel support, for the finance team: CSV and XLSX.

Both files hold the same rows and columns (app/services/spreadsheets.py writes them); amounts are
numbers in the XLSX, which adds a second sheet with the total granted per currency.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import sqlalchemy as sa

from app.database import Session
from app.models import (
    Application,
    ApplicationStatus,
    Event,
    OrganisationType,
    Registration,
    TravelDecision,
    TravelSupportRequest,
)
from app.models.applications import support_words
from app.models.base import stored_time, stored_value
from app.services.countries import country_name, country_names
from app.services.spreadsheets import Table, Value, zoned

HEADER = (
    "Reference", "Title", "Given name", "Family name", "Email", "Organisation", "Position", "Organisation type",
    "Country code", "Country", "Phone", "Accepted on", "Travel support requested", "Support for",
    "Estimated amount", "Estimated currency", "Travel support decision", "Granted amount", "Granted currency",
    "Note to the participant",
)
_GRANTED_AT, _CURRENCY_AT = HEADER.index("Granted amount"), HEADER.index("Granted currency")


EXPORT_BATCH_SIZE = 1000


def accepted_rows(session: Session, event: Event, *, batch_size: int = EXPORT_BATCH_SIZE) -> Iterator[list[Value]]:
    """One list of cells per accepted participant, by family name; amounts stay Decimal (or None).

    Plain columns (no ORM objects), read a batch at a time while the file is written: 100,000 accepted
    people never sit in memory together."""
    statement = (
        sa.select(
            Registration.reference, stored_value(Registration.title), Registration.given_name,
            Registration.family_name, Registration.email, Registration.organisation, Registration.position,
            stored_value(Registration.organisation_type), Registration.country, Registration.phone,
            stored_time(Application.decided_at),
            TravelSupportRequest.id.label("travel_id"), TravelSupportRequest.wants_flight,
            TravelSupportRequest.wants_accommodation, TravelSupportRequest.wants_per_diem,
            TravelSupportRequest.estimated_amount, TravelSupportRequest.estimated_currency,
            stored_value(TravelSupportRequest.decision), TravelSupportRequest.granted_amount,
            TravelSupportRequest.granted_currency, TravelSupportRequest.note,
        )
        .join(Application, Application.registration_id == Registration.id)
        .outerjoin(TravelSupportRequest, TravelSupportRequest.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Registration.sort_name, Registration.id)
        .execution_options(yield_per=batch_size)
    )
    # Made once per export, in its language, keyed by the stored values the rows carry (the enums' `label`
    # makes a dict per call, country_name asks for the language each call).
    organisation_types = {kind.value: str(kind.label) for kind in OrganisationType}
    decisions = {decision.value: (str(decision.label), TravelSupportRequest.grants(decision))
                 for decision in TravelDecision}
    countries = country_names()
    # On the session's connection: plain rows, without the ORM's per-row work (nothing here is an entity),
    # unpacked by position in the order of the select above (a named lookup per cell costs more than the rest).
    for (reference, title, given_name, family_name, email, organisation, position, organisation_type, country,
         phone, decided_at, travel_id, wants_flight, wants_accommodation, wants_per_diem, estimated_amount,
         estimated_currency, decision, granted_amount, granted_currency, note) in session.connection().execute(statement):
        person: list[Value] = [
            reference, title or "", given_name, family_name, email, organisation, position,
            organisation_types[organisation_type], country, countries.get(country) or country_name(country), phone,
            decided_at,
        ]
        if travel_id is None:
            person.extend(_NO_TRAVEL)
            yield person
            continue
        label, granted = decisions[decision]
        person.extend((
            "yes", ", ".join(support_words(wants_flight, wants_accommodation, wants_per_diem)),
            estimated_amount, estimated_currency if estimated_amount is not None else "", label,
            granted_amount if granted else None, granted_currency if granted else "", note,
        ))
        yield person


# The travel columns of someone who asked for no support.
_NO_TRAVEL: tuple[Value, ...] = ("no", "", None, "", "", None, "", "")


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
