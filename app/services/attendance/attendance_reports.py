"""What the check-ins add up to: live counts, who came on which day, and the export (CSV, XLSX) of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from app.database import Session
from app.models import CheckIn, Event, ProgrammeSession, Registration, SessionChoice
from app.models.programme import ChoiceStatus
from app.services.attendance.attendance import event_days
from app.services.countries import country_name
from app.services.paging import Page, paginate
from app.services.registration.locking import count_confirmed
from app.services.spreadsheets import Table, Value, zoned


@dataclass(frozen=True)
class SessionCount:
    session: ProgrammeSession
    checked_in: int
    seats_taken: int  # confirmed choices of the session: who is expected, where people choose sessions


@dataclass(frozen=True)
class LiveCounts:
    day: date
    is_event_day: bool
    checked_in: int
    expected: int
    sessions: list[SessionCount] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "is_event_day": self.is_event_day,
            "checked_in": self.checked_in,
            "expected": self.expected,
            "sessions": [{"id": c.session.id, "title": c.session.title, "checked_in": c.checked_in,
                          "seats_taken": c.seats_taken} for c in self.sessions],
        }


def live_counts(session: Session, event: Event, now: datetime) -> LiveCounts:
    """Checked in today (seen at the door or at a session) against the confirmed registrations;
    only people with a place count, also when an old check-in outlived their place."""
    today = event.local(now).date()
    checked_in = session.scalar(
        sa.select(sa.func.count(sa.distinct(CheckIn.registration_id)))
        .join(Registration).where(Registration.event_id == event.id, Registration.has_place, CheckIn.day == today)
    ) or 0
    return LiveCounts(today, today in event_days(event), checked_in, count_confirmed(session, event.id),
                      _session_counts(session, event, today))


def live_counts_on_event_day(session: Session, event: Event, now: datetime) -> LiveCounts | None:
    """Today's counts while the event is on; None, and no query, on every other day (the attendee
    list is also shown long before and after the event)."""
    if event.local(now).date() not in event_days(event):
        return None
    return live_counts(session, event, now)


def _session_counts(session: Session, event: Event, today: date) -> list[SessionCount]:
    sessions = [s for s in session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ) if event.local(s.starts_at).date() == today]
    if not sessions:
        return []
    ids = [s.id for s in sessions]
    checked = dict(session.execute(
        sa.select(CheckIn.session_id, sa.func.count()).join(Registration)
        .where(CheckIn.session_id.in_(ids), Registration.has_place).group_by(CheckIn.session_id)
    ).tuples().all())
    seats = dict(session.execute(
        sa.select(SessionChoice.session_id, sa.func.count())
        .where(SessionChoice.session_id.in_(ids), SessionChoice.status == ChoiceStatus.CONFIRMED)
        .group_by(SessionChoice.session_id)
    ).tuples().all())
    return [SessionCount(s, checked.get(s.id, 0), seats.get(s.id, 0)) for s in sessions]


def daily_totals(session: Session, event: Event) -> dict[date, int]:
    """People with a place checked in on each event day (a day with nobody is 0)."""
    counted = dict(session.execute(
        sa.select(CheckIn.day, sa.func.count(sa.distinct(CheckIn.registration_id)))
        .join(Registration).where(Registration.event_id == event.id, Registration.has_place).group_by(CheckIn.day)
    ).tuples().all())
    return {day: counted.get(day, 0) for day in event_days(event)}


def session_totals(session: Session, event: Event) -> list[tuple[ProgrammeSession, int]]:
    rows = session.execute(
        sa.select(ProgrammeSession, sa.func.count(Registration.id))
        .outerjoin(CheckIn, CheckIn.session_id == ProgrammeSession.id)
        .outerjoin(Registration, sa.and_(Registration.id == CheckIn.registration_id, Registration.has_place))
        .where(ProgrammeSession.event_id == event.id)
        .group_by(ProgrammeSession.id).order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ).tuples().all()
    return list(rows)


# --- who came on which day ----------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceRow:
    registration: Registration
    first_seen: dict[date, datetime]  # the day's first check-in, door or session

    def days(self) -> int:
        return len(self.first_seen)


def _attendee_rows(event_id: int, day: date | None = None, present: bool | None = None) -> sa.Select:
    # Only people with a place: a check-in that outlived a place (or was recorded before check-in
    # refused people without one) counts nowhere; the person's own page still shows it.
    statement = (
        sa.select(Registration)
        .where(Registration.event_id == event_id, Registration.has_place)
        .order_by(Registration.sort_name, Registration.id)
    )
    if day is not None and present is not None:
        came = Registration.id.in_(sa.select(CheckIn.registration_id).where(CheckIn.day == day))
        statement = statement.where(came if present else sa.not_(came))
    return statement


def attendance_page(session: Session, event: Event, *, page: int, per_page: int,
                    day: date | None = None, present: bool | None = None) -> Page[AttendanceRow]:
    """One page of the matrix; with a day and `present`, only those who came (or did not come) that day."""
    statement = _attendee_rows(event.id, day, present)
    total = session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())) or 0

    def rows(limit: int, offset: int) -> list[AttendanceRow]:
        registrations = list(session.scalars(statement.limit(limit).offset(offset)))
        seen = _first_seen(session, [r.id for r in registrations])
        return [AttendanceRow(r, seen.get(r.id, {})) for r in registrations]

    return paginate(total, page, per_page, rows)


def _first_seen(session: Session, registration_ids: list[int]) -> dict[int, dict[date, datetime]]:
    found: dict[int, dict[date, datetime]] = defaultdict(dict)
    if not registration_ids:
        return found
    for registration_id, day, at in session.execute(
        sa.select(CheckIn.registration_id, CheckIn.day, sa.func.min(CheckIn.checked_in_at))
        .where(CheckIn.registration_id.in_(registration_ids)).group_by(CheckIn.registration_id, CheckIn.day)
    ):
        found[registration_id][day] = at  # min() keeps the column's type: an aware UTC datetime
    return found


# --- export (CSV and XLSX) -----------------------------------------------------------------

def export_table(session: Session, event: Event, *, batch_size: int = 500) -> Table:
    """One row per person with a place: when first seen on each day and at each session."""
    days = event_days(event)
    programme = list(session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ))
    header = [
        "Reference", "Status", "Given name", "Family name", "Email", "Organisation", "Country code", "Country",
        *(zoned(f"Day {n}: {day.isoformat()}", event.tz) for n, day in enumerate(days, 1)), "Days attended",
        *(zoned(f"Session: {s.title}, {event.local(s.starts_at):%Y-%m-%d %H:%M}", event.tz) for s in programme),
    ]

    def rows() -> Iterator[list[Value]]:
        statement = _attendee_rows(event.id).execution_options(yield_per=batch_size)
        for partition in session.scalars(statement).partitions():
            seen = _first_seen(session, [r.id for r in partition])
            at_sessions = _session_times(session, [r.id for r in partition])
            for r in partition:
                days_seen = seen.get(r.id, {})
                yield [
                    r.reference, r.status.label, r.given_name, r.family_name, r.email, r.organisation, r.country,
                    country_name(r.country), *(days_seen.get(day) for day in days), len(days_seen),
                    *(at_sessions.get((r.id, s.id)) for s in programme),
                ]

    return Table("Attendance", header, rows(), event.tz)


def _session_times(session: Session, registration_ids: list[int]) -> dict[tuple[int, int], datetime]:
    if not registration_ids:
        return {}
    rows = session.execute(
        sa.select(CheckIn.registration_id, CheckIn.session_id, CheckIn.checked_in_at)
        .where(CheckIn.registration_id.in_(registration_ids), CheckIn.session_id.isnot(None))
    )
    return {(rid, sid): at for rid, sid, at in rows}
