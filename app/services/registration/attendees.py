"""An event's attendee list: search, filters, sort, pages, and the export (CSV, XLSX) of the same list."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NamedTuple, get_args

import sqlalchemy as sa

from app.database import Session
from app.models import (
    CheckIn,
    ChoiceStatus,
    CorrectionRequest,
    Event,
    OrganisationType,
    ProgrammeSession,
    Question,
    Registration,
    RegistrationCountChange,
    RegistrationStatus,
    SessionChoice,
    Title,
)
from app.models.base import stored_time, stored_value
from app.models.names import NameOrder, fold, full_name, titled, written_name
from app.services.countries import COUNTRIES, country_name, country_names
from app.services.paging import Page, paginate, paginate_counting_if_needed, paginate_with_total
from app.services.questions import answers
from app.services.questions.answer_columns import QuestionColumn, shown_questions
from app.services.registration import registration_counts
from app.services.registration.corrections import OpenRequest, RequestingPerson
from app.services.spreadsheets import Table, Value, zoned

SortKey = Literal["name", "registered", "country", "status"]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)

# Countries sort by the name people read, not by ISO code ("DE" Germany after "CI" Côte d'Ivoire).
_COUNTRY_ORDER = sa.case({code: i for i, (code, _name) in enumerate(COUNTRIES)},
                         value=Registration.country, else_=len(COUNTRIES))
_STATUS_ORDER = sa.case({status: i for i, status in enumerate(RegistrationStatus)},
                        value=Registration.status, else_=len(RegistrationStatus))
# sort_name: family then given name, accents and case folded, one-name people under their name (models/names.py).
_NAME_ORDER = (Registration.sort_name,)


@dataclass(frozen=True)
class AttendeeQuery:
    search: str = ""
    status: RegistrationStatus | None = None
    country: str | None = None
    organisation_type: OrganisationType | None = None
    checked_in: bool | None = None  # checked in at the door at least once (None: either)
    sort: SortKey = "name"
    descending: bool = False


def attendee_select(event_id: int, query: AttendeeQuery) -> sa.Select:
    """Registrations of the event matching the query, in the asked order (ties broken by id)."""
    statement = sa.select(Registration).where(Registration.event_id == event_id)
    return _ordered(_filtered(statement, query), query)


class ListedRegistration(NamedTuple):
    """A row of the attendee list: the columns it shows, read as plain values on the session's connection (an
    entity for each of 50 rows cost a third of the page's database work). Its names read as the
    registration's do (the same written_name)."""

    id: int
    reference: str
    title: Title | None
    given_name: str
    family_name: str
    name_order: NameOrder
    single_name: bool
    email: str
    organisation: str
    country: str
    organisation_type: OrganisationType
    status: RegistrationStatus
    created_at: datetime

    @property
    def full_name(self) -> str:  # as Registration.full_name
        return full_name(self.given_name, self.family_name, self.name_order, self.single_name)

    @property
    def display_name(self) -> str:  # as Registration.display_name
        return titled(self.title, self.full_name)


# In ListedRegistration's order.
_LISTED = (
    Registration.id, Registration.reference, Registration.title, Registration.given_name, Registration.family_name,
    Registration.name_order, Registration.single_name, Registration.email, Registration.organisation,
    Registration.country, Registration.organisation_type, Registration.status, Registration.created_at,
)


def attendee_page(session: Session, event_id: int, query: AttendeeQuery, *, page: int,
                  per_page: int, facets: Facets | None = None) -> Page[ListedRegistration]:
    """One page of the list: a count and one select, whatever the number of rows. With the event's
    `facets`, a list filtered by status and country at most takes its count from them: no count query; a search's
    page counts its matches itself; other lists (filtered by type or check-in) count only when their page is full
    or past the end."""
    shape = _shape(query)
    count, select = _page_statements(shape)
    values: dict[str, Any] = {"event_id": event_id, **_bound_values(query)}
    connection = session.connection()

    def read(limit: int, offset: int) -> Sequence[sa.Row[Any]]:
        # .all(): the rows fetched in one call, not one cursor fetch for each.
        return connection.execute(select, {**values, "limit": limit, "offset": offset}).all()

    def rows(limit: int, offset: int) -> list[ListedRegistration]:
        return [ListedRegistration(*row) for row in read(limit, offset)]

    def rows_and_total(limit: int, offset: int) -> tuple[list[ListedRegistration], int]:
        found = read(limit, offset)  # each row ends with the number of matches (_page_statements)
        return [ListedRegistration(*row[:-1]) for row in found], found[0][-1] if found else 0

    def counted() -> int:
        return connection.scalar(count, values) or 0

    total = facets.matching(query) if facets is not None else None
    if total is not None:
        return paginate(total, page, per_page, rows)
    if shape.search:
        return paginate_with_total(page, per_page, rows_and_total, counted)
    # The page stops at its 50th row, the count reads every match: asked only when the page does not say it.
    return paginate_counting_if_needed(page, per_page, rows, counted)


def _shape(query: AttendeeQuery) -> AttendeeQuery:
    """The query with what _page_statements binds (the search's terms, the country) replaced by placeholders:
    queries of one shape share their statements."""
    return dataclasses.replace(query, search=" ".join("x" for _term in query.search.split()),
                               country="?" if query.country else None)


def _bound_values(query: AttendeeQuery) -> dict[str, Any]:
    """The values of the parameters _filtered(bound=True) names."""
    values: dict[str, Any] = {"country": query.country}
    for i, term in enumerate(query.search.split()):
        values[f"name_{i}"] = _like_pattern(fold(term))
        values[f"term_{i}"] = _like_pattern(term.lower())
    return values


@functools.lru_cache(maxsize=512)
def _page_statements(shape: AttendeeQuery) -> tuple[sa.Select, sa.Select]:
    """The count and the page's select for queries of this shape, built once (building them cost more than
    sending them): the event, the search's terms, the country, LIMIT and OFFSET as parameters."""
    event = Registration.event_id == sa.bindparam("event_id")
    filtered = _filtered(sa.select(Registration.id).where(event), shape, bound=True)
    count = sa.select(sa.func.count()).select_from(filtered.subquery())
    limit: sa.BindParameter[int] = sa.bindparam("limit")
    offset: sa.BindParameter[int] = sa.bindparam("offset")
    if not shape.search:
        return count, _ordered(_filtered(sa.select(*_LISTED).where(event), shape, bound=True), shape).limit(
            limit).offset(offset)
    # A search's page counts its matches in the same statement, from one reading of them: the matches' ids and
    # sort keys are gathered once (from the trigram index, migration 0031), counted, and the page's rows taken
    # from them. Read twice, for the page and for its count, they cost twice. MATERIALIZED (PostgreSQL): the
    # matches are planned as a whole; planned with the LIMIT, PostgreSQL may walk the whole name order thinking
    # the LIMIT stops it early (20 ms instead of 1).
    keys: list[sa.Label[Any]] = [key.label(f"key_{i}") for i, key in enumerate(_sort_keys(shape))]
    matches = (_filtered(sa.select(Registration.id, *keys).where(event), shape, bound=True)
               .cte("matches").prefix_with("MATERIALIZED", dialect="postgresql"))
    page = (sa.select(matches).order_by(*_directed(list(matches.c)[1:], shape)).limit(limit).offset(offset)
            .subquery("page"))
    total = sa.select(sa.func.count()).select_from(matches).scalar_subquery().label("total")
    select = (sa.select(*_LISTED, total).join(page, page.c.id == Registration.id)
              .order_by(*_directed(list(page.c)[1:], shape)))
    return count, select


@dataclass(frozen=True)
class Facets:
    """What the list's filters offer and count: the event's registrations per status and country (none listed at 0)."""

    by_status_and_country: dict[tuple[RegistrationStatus, str], int]

    @property
    def status_counts(self) -> dict[RegistrationStatus, int]:
        counts = dict.fromkeys(RegistrationStatus, 0)
        for (status, _country), count in self.by_status_and_country.items():
            counts[status] += count
        return counts

    @property
    def countries(self) -> list[tuple[str, str]]:
        """(code, name) of the countries the event's participants come from, by name, for the filter."""
        codes = {country for _status, country in self.by_status_and_country}
        return _named_countries(codes)

    def matching(self, query: AttendeeQuery) -> int | None:
        """How many rows the query lists, when it filters by status and country only (else None)."""
        if query.search.strip() or query.organisation_type is not None or query.checked_in is not None:
            return None
        return sum(count for (status, country), count in self.by_status_and_country.items()
                   if (query.status is None or status is query.status)
                   and (not query.country or country == query.country))


class ListNotes(NamedTuple):
    """What the list shows beside its rows: the event's open correction requests, oldest first, and the questions
    its answer columns may show (answer_columns.shown_questions' choice and order)."""

    open_requests: list[OpenRequest]
    questions: list[QuestionColumn]


_NULL = sa.null()
# The facets (the event's counts per status and country, added up from their changes), the open
# correction requests and the questions, in one statement: one round trip instead of three on every page of the
# list (the last two most often empty). Built once and sent on the session's connection: plain rows, no ORM on
# the way. `part` tells a row's kind; the other kinds' columns are NULL, typed in the first SELECT (PostgreSQL
# finds no common type for NULL, NULL and a number; the rows are read with the first SELECT's types). Named with
# AS where ORDER BY names them: SQLite matches a compound select's ORDER BY to aliases.
_FACETS_AND_NOTES = sa.union_all(
    sa.select(sa.literal_column("0").label("part"),
              sa.type_coerce(sa.cast(_NULL, sa.String), Registration.status.type).label("status"),
              sa.cast(_NULL, sa.String).label("country"), sa.cast(_NULL, sa.BigInteger).label("count"),
              CorrectionRequest.id.label("id"), CorrectionRequest.registration_id,
              CorrectionRequest.message.label("text"), CorrectionRequest.created_at.label("created_at"),
              Registration.given_name, Registration.family_name, Registration.name_order, Registration.single_name,
              sa.literal_column("0").label("removed"), sa.literal_column("0").label("position"))
    .join(Registration, Registration.id == CorrectionRequest.registration_id)
    .where(Registration.event_id == sa.bindparam("event_id"), CorrectionRequest.resolved_at.is_(None)),
    sa.select(sa.literal_column("1"), _NULL, _NULL, _NULL, Question.id, _NULL, Question.label, _NULL, _NULL, _NULL,
              _NULL, _NULL, sa.case((Question.archived_at.is_(None), 0), else_=1), Question.position)
    .where(shown_questions(sa.bindparam("event_id"))),
    # The counts as the changes the database wrote add up (models/registration_counts.py), and how many rows
    # were read for them (in the `registration_id` column): a few hundred at most, before they are folded.
    sa.select(sa.literal_column("2"), RegistrationCountChange.status, RegistrationCountChange.country,
              sa.func.sum(RegistrationCountChange.change), _NULL, sa.func.count(), _NULL, _NULL, _NULL, _NULL, _NULL,
              _NULL, _NULL, _NULL)
    .where(RegistrationCountChange.event_id == sa.bindparam("event_id"))
    .group_by(RegistrationCountChange.status, RegistrationCountChange.country),
).order_by(sa.literal_column("part"), sa.literal_column("removed"), sa.literal_column("position"),
           sa.literal_column("created_at"), sa.literal_column("id"))


def facets_and_notes(session: Session, event_id: int) -> tuple[Facets, ListNotes]:
    """The list's facets, its open correction requests and its questions, in one query. When the counts' changes
    read for it have grown, they are folded afterwards (registration_counts.fold): the next page reads a few rows."""
    by_status_and_country: dict[tuple[RegistrationStatus, str], int] = {}
    requests: list[OpenRequest] = []
    questions: list[QuestionColumn] = []
    changes_read = 0
    for part, status, country, count, id_, registration_id, text, created_at, *person, _removed, _position in (
            session.connection().execute(_FACETS_AND_NOTES, {"event_id": event_id}).all()):
        if part == 2:
            changes_read += registration_id
            if count:
                by_status_and_country[status, country] = count
        elif part == 0:
            requests.append(OpenRequest(id_, registration_id, text, created_at, RequestingPerson(*person)))
        else:
            questions.append(QuestionColumn(id_, text))
    if changes_read > registration_counts.FOLD_AFTER:
        registration_counts.fold(session.get_bind(), event_id)
    return Facets(by_status_and_country), ListNotes(requests, questions)


def countries_present(session: Session, event_id: int) -> list[tuple[str, str]]:
    """(code, name) of the countries the event's participants come from, for the filter."""
    codes = session.scalars(sa.select(Registration.country).where(Registration.event_id == event_id).distinct())
    return _named_countries(codes)


def _named_countries(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) by name, as country_name says them: the language asked once, not for each country."""
    names = country_names()
    named = ((code, names.get(code.upper(), code) if code else "") for code in codes)
    return sorted(named, key=lambda pair: pair[1])


def _filtered(statement: sa.Select, query: AttendeeQuery, *, bound: bool = False) -> sa.Select:
    """`bound`: the search's terms and the country as named parameters (their values: _bound_values), for a
    statement built once for many queries (_page_statements)."""
    for i, term in enumerate(query.search.split()):
        # lower() on both sides: ILIKE does not exist on SQLite, LIKE's case rules differ between the two.
        # Names are searched in search_name, folded in Python as the term is ("nguyen" finds "Nguyễn", "김민준"
        # finds 민준 김 whichever order it was typed in); the other columns by lower() alone.
        name: Any = sa.bindparam(f"name_{i}") if bound else _like_pattern(fold(term))
        lowered: Any = sa.bindparam(f"term_{i}") if bound else _like_pattern(term.lower())
        searched = (
            (Registration.search_name, name),
            (sa.func.lower(Registration.email), lowered),
            (sa.func.lower(Registration.organisation), lowered),
            (sa.func.lower(Registration.reference), lowered),
        )
        statement = statement.where(sa.or_(*(col.like(pattern, escape="\\") for col, pattern in searched)))
    if query.status is not None:
        statement = statement.where(Registration.status == query.status)
    if query.country:
        statement = statement.where(Registration.country == (sa.bindparam("country") if bound else query.country))
    if query.organisation_type is not None:
        statement = statement.where(Registration.organisation_type == query.organisation_type)
    if query.checked_in is not None:
        came = sa.exists().where(CheckIn.registration_id == Registration.id)
        statement = statement.where(came if query.checked_in else ~came)
    return statement


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _ordered(statement: sa.Select, query: AttendeeQuery) -> sa.Select:
    return statement.order_by(*_directed(_sort_keys(query), query))


def _sort_keys(query: AttendeeQuery) -> list[sa.SQLColumnExpression[Any]]:
    """What the list is sorted by, the id last (a stable order for the pages)."""
    orders: dict[SortKey, list[sa.SQLColumnExpression[Any]]] = {
        "name": [*_NAME_ORDER],
        "registered": [Registration.created_at],
        "country": [_COUNTRY_ORDER, *_NAME_ORDER],
        "status": [_STATUS_ORDER, *_NAME_ORDER],
    }
    return [*orders[query.sort], Registration.id]


def _directed(keys: Sequence[sa.SQLColumnExpression[Any]], query: AttendeeQuery) -> list[sa.UnaryExpression[Any]]:
    return [key.desc() if query.descending else key.asc() for key in keys]


# --- export (CSV and XLSX) ------------------------------------------------------------

EXPORT_HEADER = (
    # "Name" as the person writes it (family name first, or their one name); the passport's Latin form beside it.
    "Reference", "Status", "Title", "Name", "Given name", "Family name", "Name in passport (Latin)", "Email",
    "Organisation", "Position",
    "Organisation type", "Country code", "Country", "Phone", "Dietary needs", "Accessibility needs",
    "Visa letter",
)
EXPORT_BATCH_SIZE = 500
# A person's place in each programme session, in the forum's export.
SEAT, WAITING, NO_CHOICE = "seat", "waiting", "none"


def export_table(session: Session, event: Event, query: AttendeeQuery, *,
                 batch_size: int = EXPORT_BATCH_SIZE) -> Table:
    """The list as filtered and sorted on the page, with the answers to the event's questions and,
    where the event has a programme, the person's place in each session.

    Rows are read a batch at a time; each batch's answers and session choices take one query each,
    whatever the number of people in it."""
    columns = sa.select(
        Registration.reference, stored_value(Registration.status), stored_value(Registration.title), Registration.given_name,
        Registration.family_name, Registration.email, Registration.organisation, Registration.position,
        stored_value(Registration.organisation_type), Registration.country, Registration.phone, Registration.dietary_needs,
        Registration.accessibility_needs, Registration.needs_visa_letter, stored_time(Registration.created_at),
        stored_time(Registration.confirmed_at), Registration.id, stored_value(Registration.name_order), Registration.single_name,
        Registration.passport_given_name, Registration.passport_family_name,
    ).where(Registration.event_id == event.id)
    statement = _ordered(_filtered(columns, query), query).execution_options(yield_per=batch_size)
    questions = answers.export_questions(session, event.id)  # the event's own questions, as extra columns
    sessions = list(session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ))
    header = (
        *EXPORT_HEADER, zoned("Registered", event.tz), zoned("Confirmed", event.tz),
        *(q.label + (" (removed)" if q.is_archived else "") for q in questions),
        # The session's start says its zone like every other time in the file (the cells are seats, not times).
        *(f"Session: {s.title} ({event.local(s.starts_at):%Y-%m-%d %H:%M %Z})" for s in sessions),
    )

    cells = _cells_maker()

    def rows() -> Iterator[list[Value]]:
        # On the session's connection: plain rows, without the ORM's per-row work (nothing here is an entity).
        for partition in session.connection().execute(statement).partitions():
            if not questions and not sessions:  # most events: no column to add to each row
                yield from map(cells, partition)
                continue
            ids = [row.id for row in partition]
            answered = answers.answer_table(session, ids, [q.id for q in questions])
            places = _session_places(session, ids) if sessions else {}
            for row in partition:
                yield [
                    *cells(row),
                    *(answered.get((row.id, q.id), "") for q in questions),
                    *(places.get((row.id, s.id), NO_CHOICE) for s in sessions),
                ]

    return Table("Attendees", header, rows(), event.tz)


def _cells_maker() -> Callable[[sa.Row], list[Value]]:
    # Labels looked up once per export, in the language the export is made in (the enums' `label` makes a
    # dict per call), keyed by the stored values the rows carry.
    statuses = {status.value: str(status.label) for status in RegistrationStatus}
    organisation_types = {kind.value: str(kind.label) for kind in OrganisationType}
    countries = country_names()  # code -> name, the language asked once (country_name asks it each call)

    def cells(row: sa.Row) -> list[Value]:
        # Unpacked by position, in the order of export_table's select: a named lookup per cell costs more than
        # the rest of the row (100,000 rows, 21 columns).
        (reference, status, title, given_name, family_name, email, organisation, position, organisation_type,
         country, phone, dietary_needs, accessibility_needs, needs_visa_letter, created_at, confirmed_at, _id,
         name_order, single_name, passport_given_name, passport_family_name) = row
        return [
            reference, statuses[status], title or "",
            written_name(given_name, family_name, name_order, single=single_name), given_name, family_name,
            written_name(passport_given_name, passport_family_name, name_order), email,
            organisation, position, organisation_types[organisation_type], country,
            countries.get(country) or country_name(country), phone,
            dietary_needs, accessibility_needs, "yes" if needs_visa_letter else "no", created_at, confirmed_at,
        ]

    return cells


def _session_places(session: Session, registration_ids: list[int]) -> dict[tuple[int, int], str]:
    rows = session.execute(
        sa.select(SessionChoice.registration_id, SessionChoice.session_id, SessionChoice.status)
        .where(SessionChoice.registration_id.in_(registration_ids))
    )
    return {(rid, sid): SEAT if status is ChoiceStatus.CONFIRMED else WAITING for rid, sid, status in rows}
