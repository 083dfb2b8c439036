"""An event's applications for its organisers: filters, sort by average score, pages.

The search, country and organisation-type filters are the attendee list's own (attendees._filtered),
so both lists find the same people for the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

import sqlalchemy as sa

from app.database import Session
from app.models import Application, ApplicationStatus, OrganisationType, Registration, Review, TravelSupportRequest
from app.services.applications import confirmations, duplicates
from app.services.applications.confirmations import Confirmation
from app.services.paging import Page, paginate
from app.services.registration.attendees import _COUNTRY_ORDER, AttendeeQuery, _filtered

SortKey = Literal["score", "name", "submitted", "country"]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)


@dataclass(frozen=True)
class ApplicationQuery:
    search: str = ""
    status: ApplicationStatus | None = None
    country: str | None = None
    organisation_type: OrganisationType | None = None
    travel_requested: bool = False  # only those who asked for travel support
    confirmation: Confirmation | None = None  # accepted ones: confirmed they come, not yet, overdue
    likely_duplicates: bool = False  # only those that look like another application (duplicates.py)
    now: datetime | None = None  # what "overdue" is measured against; needed with `confirmation`
    not_scored_by: int | None = None  # a reviewer's user id: only what they have not scored yet
    sort: SortKey = "score"
    descending: bool = True  # best scores first


@dataclass(frozen=True)
class ApplicationRow:
    registration: Registration
    application: Application
    average: float | None
    reviews: int
    travel: TravelSupportRequest | None
    likely_duplicate: bool = False
    scored_by_me: bool = False  # the reviewer reading the list has given it a score


_AVERAGE = (
    sa.select(sa.func.avg(Review.score))
    .where(Review.application_id == Application.id, Review.score.is_not(None))
    .correlate(Application)
    .scalar_subquery()
)
_REVIEWS = (
    sa.select(sa.func.count(Review.id)).where(Review.application_id == Application.id).correlate(Application)
    .scalar_subquery()
)


def scored_by(reviewer_id: int) -> sa.ColumnElement[bool]:
    """The application (in the statement's FROM) has a score from this reviewer; notes alone are not a score."""
    return sa.exists(
        sa.select(Review.id).where(
            Review.application_id == Application.id, Review.reviewer_id == reviewer_id, Review.score.is_not(None)
        ).correlate(Application)
    )


def application_page(session: Session, event_id: int, query: ApplicationQuery, *, page: int,
                     per_page: int, reviewer_id: int | None = None) -> Page[ApplicationRow]:
    """One page of rows: a count and one select, whatever the number of applications.

    With reviewer_id, each row also says whether that reviewer has scored it."""
    total = session.scalar(sa.select(sa.func.count()).select_from(matching_ids(event_id, query).subquery())) or 0
    mine = scored_by(reviewer_id) if reviewer_id is not None else sa.false()
    statement = (
        sa.select(Registration, Application, _AVERAGE.label("average"), _REVIEWS.label("reviews"), TravelSupportRequest,
                  duplicates.likely_duplicate(event_id).label("likely_duplicate"), mine.label("mine"))
        .join(Application, Application.registration_id == Registration.id)
        .outerjoin(TravelSupportRequest, TravelSupportRequest.registration_id == Registration.id)
    )
    statement = _filters(statement, event_id, query).order_by(*order_keys(query))
    return paginate(total, page, per_page, lambda limit, offset: (
        ApplicationRow(registration, application, float(average) if average is not None else None, reviews or 0, travel,
                       bool(likely), bool(scored))
        for registration, application, average, reviews, travel, likely, scored
        in session.execute(statement.limit(limit).offset(offset))
    ))


def matching_ids(event_id: int, query: ApplicationQuery) -> sa.Select:
    """The registration ids the list shows for these filters, every page (a statement, to count or to read)."""
    return _filters(sa.select(Registration.id).join(Application, Application.registration_id == Registration.id),
                    event_id, query)


def _filters(statement: sa.Select, event_id: int, query: ApplicationQuery) -> sa.Select:
    statement = _filtered(
        statement.where(Registration.event_id == event_id),
        AttendeeQuery(search=query.search, country=query.country, organisation_type=query.organisation_type),
    )
    if query.status is not None:
        statement = statement.where(Application.status == query.status)
    if query.travel_requested:
        statement = statement.where(sa.exists(
            sa.select(TravelSupportRequest.id)
            .where(TravelSupportRequest.registration_id == Registration.id)
            .correlate(Registration)  # only Registration: the page query joins the request table too
        ))
    if query.confirmation is not None and query.now is not None:
        statement = statement.where(confirmations.condition(query.confirmation, query.now))
    if query.likely_duplicates:
        statement = statement.where(duplicates.likely_duplicate(event_id))
    if query.not_scored_by is not None:
        statement = statement.where(~scored_by(query.not_scored_by))
    return statement


def order_keys(query: ApplicationQuery, *, average: sa.ColumnElement = _AVERAGE) -> list[sa.ColumnElement]:
    """The list's order, ending with the id so that it is total: next / previous rank by the same keys.

    `average`: the average score as the statement has it (a joined column instead of the per-row subquery)."""
    name = [Registration.sort_name]
    direction = (lambda key: key.desc()) if query.descending else (lambda key: key.asc())
    if query.sort == "score":
        # Unscored applications last whichever way: they are the ones still to read, not the weakest.
        keys = [average.is_(None), direction(average), *(key.asc() for key in name)]
    elif query.sort == "submitted":
        keys = [direction(Application.submitted_at)]
    elif query.sort == "country":
        keys = [direction(_COUNTRY_ORDER), *(key.asc() for key in name)]  # by the name people read
    else:
        keys = [direction(key) for key in name]
    return [*keys, Registration.id.asc()]
