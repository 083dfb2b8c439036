"""The selection so far: who is accepted, by country and by type of organisation, against the capacity.

Organisers read it while deciding, to keep the group diverse ("already four from Kenya").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa

from app.database import Session
from app.models import Application, ApplicationStatus, Event, OrganisationType, Registration
from app.services.countries import country_name
from app.services.formatting import rounded_percentages


@dataclass(frozen=True)
class SelectionRow:
    key: str
    label: str
    accepted: int
    open: int  # submitted, under review or on the reserve list: could still be accepted
    applications: int  # every application, whatever its state
    share: int | None = None  # percent of the places accepted; the rows' shares add up (largest remainder)


@dataclass(frozen=True)
class SelectionOverview:
    capacity: int | None
    by_status: dict[ApplicationStatus, int]
    by_country: list[SelectionRow]
    by_organisation_type: list[SelectionRow]

    @property
    def accepted(self) -> int:
        return self.by_status[ApplicationStatus.ACCEPTED]

    @property
    def applications(self) -> int:
        return sum(self.by_status.values())

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.accepted, 0)


def overview(session: Session, event: Event) -> SelectionOverview:
    """One grouped query; rows sorted by accepted (most first), then by name."""
    rows = session.execute(
        sa.select(Registration.country, Registration.organisation_type, Application.status, sa.func.count())
        .join(Application, Application.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
        .group_by(Registration.country, Registration.organisation_type, Application.status)
    ).all()
    by_status = dict.fromkeys(ApplicationStatus, 0)
    countries: dict[str, list[int]] = {}
    types: dict[str, list[int]] = {}
    for country, organisation_type, status, count in rows:
        by_status[status] += count
        for bucket, key in ((countries, country), (types, organisation_type.value)):
            totals = bucket.setdefault(key, [0, 0, 0])
            totals[0] += count if status is ApplicationStatus.ACCEPTED else 0
            totals[1] += count if status.is_open else 0
            totals[2] += count
    return SelectionOverview(
        capacity=event.capacity,
        by_status=by_status,
        by_country=_rows(countries, country_name, event.capacity),
        by_organisation_type=_rows(types, lambda key: OrganisationType(key).label, event.capacity),
    )


def _rows(buckets: dict[str, list[int]], label, capacity: int | None) -> list[SelectionRow]:
    rows = [SelectionRow(key, label(key), *totals) for key, totals in buckets.items()]
    rows.sort(key=lambda row: (-row.accepted, -row.open, row.label))
    if not capacity:
        return rows
    shares = rounded_percentages([row.accepted for row in rows], capacity)
    return [replace(row, share=share) for row, share in zip(rows, shares, strict=True)]
