"""The accepted participants with their travel support, for the finance team: CSV and XLSX.

Both files hold the same rows and columns. Cells are neutralised like the attendee CSV's
(attendees.neutralise): a name starting with "=" must stay a name in Excel, and openpyxl
would otherwise store it as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from app.models import Application, ApplicationStatus, Event, Registration, TravelSupportRequest
from app.services.attendees import _spreadsheet_time, neutralise
from app.services.countries import country_name

HEADER = (
    "Reference", "Title", "Given name", "Family name", "Email", "Organisation", "Position", "Organisation type",
    "Country code", "Country", "Phone", "Accepted on", "Travel support requested", "Support for",
    "Estimated amount", "Estimated currency", "Travel support decision", "Granted amount", "Granted currency",
    "Note to the participant",
)
AMOUNT_COLUMNS = (HEADER.index("Estimated amount"), HEADER.index("Granted amount"))


def accepted_rows(session: Session, event: Event) -> Iterator[list]:
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
            registration.phone, _spreadsheet_time(application.decided_at, event.tz),
            "yes" if travel else "no",
            ", ".join(travel.wanted) if travel else "",
            travel.estimated_amount if travel else None,
            travel.estimated_currency if travel and travel.estimated_amount is not None else "",
            travel.decision.label if travel else "",
            travel.granted_amount if travel and travel.is_granted else None,
            travel.granted_currency if travel and travel.is_granted else "",
            travel.note if travel else "",
        ]


def csv_text(session: Session, event: Event) -> str:
    """The whole file at once: an event accepts tens of people, not thousands. BOM first, for Excel."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in accepted_rows(session, event):
        writer.writerow([_text(cell) for cell in row])
    return buffer.getvalue()


def xlsx_bytes(session: Session, event: Event) -> bytes:
    """A workbook with the participants and, on a second sheet, the total granted per currency."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Accepted participants"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    totals: dict[str, Decimal] = {}
    granted_at, currency_at = HEADER.index("Granted amount"), HEADER.index("Granted currency")
    for row in accepted_rows(session, event):
        sheet.append([cell if isinstance(cell, Decimal) else _text(cell) for cell in row])
        if row[granted_at] is not None:
            totals[row[currency_at]] = totals.get(row[currency_at], Decimal(0)) + row[granted_at]
    for column in AMOUNT_COLUMNS:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = "#,##0.00"
    for index, title in enumerate(HEADER, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, min(len(title) + 2, 30))

    summary = workbook.create_sheet("Granted per currency")
    summary.append(("Currency", "Total granted"))
    for cell in summary[1]:
        cell.font = Font(bold=True)
    for currency, total in sorted(totals.items()):
        summary.append((currency, total))
        summary.cell(summary.max_row, 2).number_format = "#,##0.00"

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _text(cell) -> str:
    if cell is None:
        return ""
    return neutralise(str(cell))
