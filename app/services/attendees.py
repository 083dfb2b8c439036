"""An event's attendee list: search, filters, sort, pages, and the CSV export of the same list."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import Event, OrganisationType, Registration, RegistrationStatus
from app.services import answers
from app.services.countries import COUNTRIES, country_name

SortKey = Literal["name", "registered", "country", "status"]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)

# Countries sort by the name people read, not by ISO code ("DE" Germany after "CI" Côte d'Ivoire).
_COUNTRY_ORDER = sa.case({code: i for i, (code, _name) in enumerate(COUNTRIES)},
                         value=Registration.country, else_=len(COUNTRIES))
_STATUS_ORDER = sa.case({status: i for i, status in enumerate(RegistrationStatus)},
                        value=Registration.status, else_=len(RegistrationStatus))
_NAME_ORDER = (sa.func.lower(Registration.family_name), sa.func.lower(Registration.given_name))


@dataclass(frozen=True)
class AttendeeQuery:
    search: str = ""
    status: RegistrationStatus | None = None
    country: str | None = None
    organisation_type: OrganisationType | None = None
    sort: SortKey = "name"
    descending: bool = False


@dataclass(frozen=True)
class AttendeePage:
    items: list[Registration]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.items) - 1 if self.items else 0


def attendee_select(event_id: int, query: AttendeeQuery) -> sa.Select:
    """Registrations of the event matching the query, in the asked order (ties broken by id)."""
    statement = sa.select(Registration).where(Registration.event_id == event_id)
    return _ordered(_filtered(statement, query), query)


def attendee_page(session: Session, event_id: int, query: AttendeeQuery, *, page: int, per_page: int) -> AttendeePage:
    """One page of the list: a count and one select, whatever the number of rows."""
    filtered = _filtered(sa.select(Registration.id).where(Registration.event_id == event_id), query)
    total = session.scalar(sa.select(sa.func.count()).select_from(filtered.subquery())) or 0
    page = min(max(page, 1), max(math.ceil(total / per_page), 1))  # a stale link past the end shows the last page
    items = list(session.scalars(attendee_select(event_id, query).limit(per_page).offset((page - 1) * per_page)))
    return AttendeePage(items, total, page, per_page)


def countries_present(session: Session, event_id: int) -> list[tuple[str, str]]:
    """(code, name) of the countries the event's participants come from, for the filter."""
    codes = session.scalars(sa.select(Registration.country).where(Registration.event_id == event_id).distinct())
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


def _filtered(statement: sa.Select, query: AttendeeQuery) -> sa.Select:
    for term in query.search.lower().split():
        # lower() on both sides: ILIKE does not exist on SQLite, LIKE's case rules differ between the two.
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        searched = (
            Registration.given_name + " " + Registration.family_name,
            Registration.email,
            Registration.organisation,
            Registration.reference,
        )
        statement = statement.where(sa.or_(*(sa.func.lower(col).like(pattern, escape="\\") for col in searched)))
    if query.status is not None:
        statement = statement.where(Registration.status == query.status)
    if query.country:
        statement = statement.where(Registration.country == query.country)
    if query.organisation_type is not None:
        statement = statement.where(Registration.organisation_type == query.organisation_type)
    return statement


def _ordered(statement: sa.Select, query: AttendeeQuery) -> sa.Select:
    keys = {
        "name": [*_NAME_ORDER],
        "registered": [Registration.created_at],
        "country": [_COUNTRY_ORDER, *_NAME_ORDER],
        "status": [_STATUS_ORDER, *_NAME_ORDER],
    }[query.sort]
    keys.append(Registration.id)
    return statement.order_by(*(key.desc() if query.descending else key.asc() for key in keys))


# --- CSV export --------------------------------------------------------------------

CSV_HEADER = (
    "Reference", "Status", "Title", "Given name", "Family name", "Email", "Organisation", "Position",
    "Organisation type", "Country code", "Country", "Phone", "Dietary needs", "Accessibility needs",
    "Visa letter", "Registered", "Confirmed",
)
# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_BATCH_SIZE = 500


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_chunks(session: Session, event: Event, query: AttendeeQuery, *, batch_size: int = CSV_BATCH_SIZE) -> Iterator[str]:
    """The list as CSV text, a batch of rows at a time, starting with a BOM so Excel reads UTF-8."""
    columns = sa.select(
        Registration.reference, Registration.status, Registration.title, Registration.given_name,
        Registration.family_name, Registration.email, Registration.organisation, Registration.position,
        Registration.organisation_type, Registration.country, Registration.phone, Registration.dietary_needs,
        Registration.accessibility_needs, Registration.needs_visa_letter, Registration.created_at,
        Registration.confirmed_at, Registration.id,
    ).where(Registration.event_id == event.id)
    statement = _ordered(_filtered(columns, query), query).execution_options(yield_per=batch_size)

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    questions = answers.export_questions(session, event.id)  # the event's own questions (issue 5)
    writer.writerow(CSV_HEADER + tuple(neutralise(q.label + (" (removed)" if q.is_archived else "")) for q in questions))
    for partition in session.execute(statement).partitions():
        answered = answers.answer_table(session, [row.id for row in partition], [q.id for q in questions])
        for row in partition:
            cells = _csv_cells(row, event.tz) + [answered.get((row.id, q.id), "") for q in questions]
            writer.writerow([neutralise(cell) for cell in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _csv_cells(row: sa.Row, tz: ZoneInfo) -> list[str]:
    return [
        row.reference, row.status.label, row.title.value if row.title else "", row.given_name, row.family_name,
        row.email, row.organisation, row.position, row.organisation_type.label, row.country,
        country_name(row.country), row.phone, row.dietary_needs, row.accessibility_needs,
        "yes" if row.needs_visa_letter else "no", _spreadsheet_time(row.created_at, tz),
        _spreadsheet_time(row.confirmed_at, tz),
    ]


def _spreadsheet_time(moment: datetime | None, tz: ZoneInfo) -> str:
    # At the venue, in a form spreadsheets recognise as a date and time.
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else ""
