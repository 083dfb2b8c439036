"""Next and previous application in the order of the organiser's list, so a reviewer goes through a filtered
list from the application pages without going back to it.

One query whatever the length of the list: the database numbers the rows (ROW_NUMBER over the list's own
order) and hands back the current one and its two neighbours, instead of Python reading every id.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.database import Session
from app.models import Application, Registration
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
    listed = matching_ids(event_id, query).correlate(None)  # its own Registration, not the outer query's
    ranked = (
        sa.select(
            Registration.id.label("id"),
            Registration.id.in_(listed).label("listed"),
            sa.func.row_number().over(order_by=order_keys(query)).label("position"),
        )
        .join(Application, Application.registration_id == Registration.id)
        .where(Registration.event_id == event_id, sa.or_(Registration.id.in_(listed), Registration.id == registration_id))
        .cte("ranked")  # named once, read three times below
    )
    here = sa.select(ranked.c.position).where(ranked.c.id == registration_id).scalar_subquery()
    rows = session.execute(
        sa.select(ranked.c.id, ranked.c.listed, ranked.c.position,
                  sa.select(sa.func.count()).select_from(ranked).where(ranked.c.listed).scalar_subquery())
        .where(ranked.c.position.between(here - 1, here + 1))
        .order_by(ranked.c.position)
    ).all()
    current = next((row for row in rows if row.id == registration_id), None)
    if current is None:  # not an application of this event: nothing either side
        return Neighbours(None, None, None, 0)
    before = [row.id for row in rows if row.position < current.position]
    after = [row.id for row in rows if row.position > current.position]
    total = rows[0][3] or 0
    return Neighbours(
        previous_id=before[-1] if before else None,
        next_id=after[0] if after else None,
        position=current.position if current.listed else None,
        total=total,
    )
