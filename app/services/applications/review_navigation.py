"""Next and previous application in the order of the organiser's list, so a reviewer goes through a filtered
list from the application pages without going back to it.

One query whatever the length of the list: the database numbers the rows (ROW_NUMBER, LAG and LEAD over the
list's own order) and hands back the current one with its two neighbours, instead of Python reading every id.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.database import Session
from app.models import Application, Registration, Review
from app.services.applications.application_list import ApplicationQuery, matching_ids, order_keys


@dataclass(frozen=True)
class Neighbours:
    previous_id: int | None
    next_id: int | None
    position: int | None  # 1-based place in the list; None when it no longer matches the filters
    total: int  # how many the list has

    def page(self, per_page: int) -> int:
        """The page of the list this application is on (back to the list lands there)."""
        return (self.position - 1) // per_page + 1 if self.position else 1


def neighbours(session: Session, event_id: int, query: ApplicationQuery, registration_id: int) -> Neighbours:
    """Where this application sits in the list with these filters and order, and the ones either side.

    The application is ranked among the matching ones even when it no longer matches (a reviewer on
    "not yet scored by me" has just scored it): next is then still the one after the place it had.
    """
    matches = matching_ids(event_id, query).whereclause  # the list's own filters, event included
    assert matches is not None
    listed = sa.case((matches, 1), else_=0)
    # The average score joined once per application: as a per-row subquery in four windows' ORDER BY,
    # the database would work it out again for each.
    averages = (
        sa.select(Review.application_id, sa.func.avg(Review.score).label("average"))
        .join(Application, Application.id == Review.application_id)
        .join(Registration, Registration.id == Application.registration_id)
        .where(Registration.event_id == event_id, Review.score.is_not(None))
        .group_by(Review.application_id)
        .subquery()
    )
    order = order_keys(query, average=averages.c.average)
    ranked = (
        sa.select(
            Registration.id.label("id"),
            listed.label("listed"),
            sa.func.row_number().over(order_by=order).label("position"),
            sa.func.lag(Registration.id).over(order_by=order).label("previous_id"),
            sa.func.lead(Registration.id).over(order_by=order).label("next_id"),
            # Over the same order as the others (whole frame), so the database sorts once for all four.
            sa.func.sum(listed).over(order_by=order, rows=(None, None)).label("total"),
        )
        .join(Application, Application.registration_id == Registration.id)
        .outerjoin(averages, averages.c.application_id == Application.id)
        .where(sa.or_(matches, sa.and_(Registration.event_id == event_id, Registration.id == registration_id)))
        .subquery()
    )
    row = session.execute(sa.select(ranked).where(ranked.c.id == registration_id)).one_or_none()
    if row is None:  # not an application of this event: nothing either side
        return Neighbours(None, None, None, 0)
    return Neighbours(row.previous_id, row.next_id, row.position if row.listed else None, row.total or 0)
