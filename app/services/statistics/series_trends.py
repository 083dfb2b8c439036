"""A series across its editions: participants, countries and organisations per edition, who came back
(the same email at an earlier edition), the countries new to the series, and the programme sessions'
attendance. Five grouped queries for the whole series, whatever its size."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute

from app.database import Session
from app.models import CheckIn, Event, ProgrammeSession, Registration, Series
from app.services.statistics.charts import Chart, line_chart


@dataclass(frozen=True)
class EditionTrend:
    event: Event
    year: int
    participants: int
    countries: int
    organisations: int
    returning: int  # participants who had a place at an earlier edition (same email)
    first_time_countries: int  # countries no earlier edition had a participant from
    sessions: int
    session_check_ins: int  # people with a place checked in at the edition's sessions, all sessions together

    @property
    def returning_percent(self) -> int:
        return round(100 * self.returning / self.participants) if self.participants else 0


def series_trends(session: Session, series: Series, *, event_ids: set[int] | None = None) -> list[EditionTrend]:
    """Every edition, oldest first; `event_ids` keeps only those (the editions the viewer may manage),
    while "returning" and "first-time" still look at every earlier edition."""
    events = list(session.scalars(
        sa.select(Event).where(Event.series_id == series.id, Event.series_year.is_not(None))
        .order_by(Event.series_year)
    ))
    if not events:
        return []
    placed = sa.and_(Registration.has_place, Event.series_id == series.id)
    counts = {event_id: (people, countries, organisations) for event_id, people, countries, organisations in
              session.execute(
                  sa.select(Registration.event_id, sa.func.count(),
                            sa.func.count(sa.distinct(Registration.country)),
                            sa.func.count(sa.distinct(sa.func.lower(Registration.organisation))))
                  .join(Event).where(placed).group_by(Registration.event_id)
              ).tuples()}
    returning = _returning(session, series)
    first_countries = _first_time(session, series, Registration.country)
    programme = dict(session.execute(
        sa.select(ProgrammeSession.event_id, sa.func.count()).join(Event).where(Event.series_id == series.id)
        .group_by(ProgrammeSession.event_id)
    ).tuples().all())
    attended = dict(session.execute(
        sa.select(Registration.event_id, sa.func.count()).select_from(CheckIn).join(Registration).join(Event)
        .where(placed, CheckIn.session_id.is_not(None)).group_by(Registration.event_id)
    ).tuples().all())
    trends = []
    for event in events:
        people, countries, organisations = counts.get(event.id, (0, 0, 0))
        trends.append(EditionTrend(
            event, event.series_year or event.starts_at.year, people, countries, organisations,
            returning.get(event.id, 0), first_countries.get(event.id, 0), programme.get(event.id, 0),
            attended.get(event.id, 0),
        ))
    return [t for t in trends if event_ids is None or t.event.id in event_ids]


def _first_years(series: Series, column: sa.ColumnElement | InstrumentedAttribute) -> sa.Subquery:
    """The first edition year each value (an email, a country) had a participant with a place."""
    return (
        sa.select(column.label("value"), sa.func.min(Event.series_year).label("first_year"))
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.has_place, Event.series_id == series.id).group_by(column).subquery()
    )


def _returning(session: Session, series: Series) -> dict[int, int]:
    """Per edition: its participants whose email had a place at an earlier edition (an email is unique
    within an event, so counting rows counts people)."""
    first = _first_years(series, Registration.email)
    return dict(session.execute(
        sa.select(Registration.event_id, sa.func.count()).join(Event, Event.id == Registration.event_id)
        .join(first, first.c.value == Registration.email)
        .where(Registration.has_place, Event.series_id == series.id, first.c.first_year < Event.series_year)
        .group_by(Registration.event_id)
    ).tuples().all())


def _first_time(session: Session, series: Series, column: sa.ColumnElement | InstrumentedAttribute) -> dict[int, int]:
    """Per edition: the values (countries) first seen at that edition."""
    first = _first_years(series, column)
    return dict(session.execute(
        sa.select(Event.id, sa.func.count()).join(first, first.c.first_year == Event.series_year)
        .where(Event.series_id == series.id).group_by(Event.id)
    ).tuples().all())


def trends_chart(series: Series, trends: list[EditionTrend]) -> Chart:
    """Participants, countries, returning participants and session check-ins per edition."""
    years = [str(t.year) for t in trends]
    lines: dict[str, list[int | None]] = {
        _("Participants"): [t.participants for t in trends],
        _("Countries"): [t.countries for t in trends],
        _("Organisations"): [t.organisations for t in trends],
        _("Returning participants"): [t.returning for t in trends],
    }
    if any(t.sessions for t in trends):
        lines[_("Session check-ins")] = [t.session_check_ins for t in trends]
    header = (_("Edition"), _("Participants"), _("Countries"), _("New countries"), _("Organisations"), _("Returning"),
              _("Sessions"), _("Session check-ins"))
    rows = [(f"{t.year}", t.participants, t.countries, t.first_time_countries, t.organisations,
             f"{t.returning} ({t.returning_percent} %)", t.sessions, t.session_check_ins) for t in trends]
    first = trends[0].year if trends else series.first_year
    return line_chart(_("%(series)s since %(year)s", series=series.name, year=first), years, lines, header, rows)
