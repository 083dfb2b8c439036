"""Attendance: checking participants in at the venue, per event day and per programme session.

The code on the badge's QR is the registration's reference (DGIF26-7KQ3). A check-in is
recorded for the venue's calendar day at `now`; scanning the same badge again records
nothing and says when the person was first checked in. Only people with a place
(Registration.has_place) are checked in, and at a session with a seat limit only those
holding one of its seats; everyone else is refused with their status. Callers commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from app.database import Session, assert_writer
from app.models import CheckIn, Event, ProgrammeSession, Registration, RegistrationStatus, User
from app.models.programme import ChoiceStatus, SessionChoice
from app.services.errors import DomainError
from app.services.registration.attendees import AttendeeQuery, attendee_select

NAME_MATCHES_SHOWN = 8


def event_days(event: Event) -> list[date]:
    """The event's calendar days at the venue, first to last."""
    first = event.local(event.starts_at).date()
    last = event.local(event.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def days_attended(session: Session, registration_id: int) -> set[date]:
    """The days the participant was checked in on, at the door or at any session."""
    return set(session.scalars(sa.select(CheckIn.day).where(CheckIn.registration_id == registration_id).distinct()))


def days_attended_by_registration(session: Session, registration_ids: list[int]) -> dict[int, set[date]]:
    """days_attended for many people in one query (bulk certificates, reports); absent ids map to set()."""
    found: dict[int, set[date]] = {registration_id: set() for registration_id in registration_ids}
    if registration_ids:
        for registration_id, day in session.execute(
            sa.select(CheckIn.registration_id, CheckIn.day).where(CheckIn.registration_id.in_(registration_ids)).distinct()
        ):
            found[registration_id].add(day)
    return found


def format_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


# --- finding the person ------------------------------------------------------------------

@dataclass(frozen=True)
class Lookup:
    """What a scan or typed text found: one person to check in at once, or people to choose from."""

    registration: Registration | None
    matches: list[Registration]


def look_up(session: Session, event: Event, text: str) -> Lookup:
    """A full reference code (typed in any case, with or without the hyphen, or inside a scanned
    link) finds its person; otherwise the last part of a code (7KQ3) or a name lists candidates.
    A bare last part alone is taken only when no name fits: "JUAN" may be a code's end and a name."""
    parts = _code_parts(text)
    if not parts:
        return Lookup(None, [])
    compact_reference = sa.func.replace(Registration.reference, "-", "")
    exact = session.scalar(
        sa.select(Registration).where(Registration.event_id == event.id, compact_reference.in_(parts))
    )
    if exact is not None:
        return Lookup(exact, [])
    suffixes = [part for part in parts if 4 <= len(part) <= 6]
    by_suffix = list(session.scalars(
        sa.select(Registration).where(
            Registration.event_id == event.id, sa.or_(*(Registration.reference.like(f"%-{s}") for s in suffixes)),
        ).limit(NAME_MATCHES_SHOWN)
    )) if suffixes else []
    by_name = search_by_name(session, event, text)  # also searches references: finds by_suffix again
    if len(by_suffix) == 1 and all(r.id == by_suffix[0].id for r in by_name):
        return Lookup(by_suffix[0], [])
    return Lookup(None, list({r.id: r for r in by_suffix + by_name}.values())[:NAME_MATCHES_SHOWN])


def _code_parts(text: str) -> set[str]:
    parts = set()
    for part in re.split(r"[/?#&=]", text.upper()):
        compact = re.sub(r"[^A-Z0-9]", "", part)  # spaces, hyphens, stray punctuation
        if compact:
            parts.add(compact)
    return parts


def search_by_name(session: Session, event: Event, text: str, *, limit: int = NAME_MATCHES_SHOWN) -> list[Registration]:
    """People a typed name (or organisation, email) fits, by name."""
    if not text.strip():
        return []
    return list(session.scalars(attendee_select(event.id, AttendeeQuery(search=text)).limit(limit)))


# --- checking in ---------------------------------------------------------------------------

class CheckInRefused(DomainError):
    """The person was found but may not be checked in; the page still shows who it is."""

    def __init__(self, message: str, registration: Registration) -> None:
        super().__init__(message)
        self.registration = registration


@dataclass(frozen=True)
class CheckInResult:
    registration: Registration
    check_in: CheckIn
    created: bool  # False: the person had already been checked in (a double scan)
    programme_session: ProgrammeSession | None

    def message(self, event: Event) -> str:
        session_title = self.programme_session.title if self.programme_session is not None else None
        if self.created:
            return _("Checked in for “%(session)s”", session=session_title) if session_title else _("Checked in")
        at = f"{event.local(self.check_in.checked_in_at):%H:%M}"
        if session_title:
            return _("Already checked in at %(time)s for “%(session)s”", time=at, session=session_title)
        return _("Already checked in at %(time)s", time=at)


def check_in(session: Session, event: Event, registration_id: int, *, now: datetime,
             by: User | None = None, session_id: int | None = None) -> CheckInResult:
    """Record that the person is here today (at the venue's clock), at the session if one is given.

    Race-safe: the insert does nothing when the row exists (a partial unique index is the
    conflict target), so two scans at the same moment give one row and two friendly answers.
    """
    assert_writer(session)
    registration = session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise DomainError(_("This person is not registered for this event."))
    today = event.local(now).date()
    _refuse_if_not_allowed(event, registration, today)
    programme_session = _session_of_today(session, event, session_id, today) if session_id else None
    if programme_session is not None:
        _refuse_without_seat(session, registration, programme_session)

    values = dict(registration_id=registration.id, day=today, session_id=session_id,
                  checked_in_at=now, checked_in_by_id=by.id if by else None)
    index_predicate = CheckIn.session_id.is_(None) if session_id is None else CheckIn.session_id.isnot(None)
    elements = ["registration_id", "day"] if session_id is None else ["registration_id", "day", "session_id"]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    inserted_id = session.scalar(
        insert(CheckIn).values(**values)
        .on_conflict_do_nothing(index_elements=elements, index_where=index_predicate)
        .returning(CheckIn.id)
    )
    row = session.scalars(  # inserted now or by the scan before: there is exactly one
        sa.select(CheckIn).where(
            CheckIn.registration_id == registration.id, CheckIn.day == today,
            CheckIn.session_id.is_(None) if session_id is None else CheckIn.session_id == session_id,
        ).execution_options(populate_existing=True)
    ).one()
    return CheckInResult(registration, row, inserted_id is not None, programme_session)


def _refuse_if_not_allowed(event: Event, registration: Registration, today: date) -> None:
    days = event_days(event)
    if today not in days:
        when = format_day(days[0]) if len(days) == 1 else _("%(first)s to %(last)s", first=format_day(days[0]),
                                                             last=format_day(days[-1]))
        raise CheckInRefused(
            _("Not checked in: check-in is only open on the days of the event (%(when)s). "
              "Today at the venue is %(today)s.", when=when, today=format_day(today)),
            registration,
        )
    if not registration.has_place:
        what_to_do = _WHAT_STAFF_CAN_DO[registration.status]
        message = _("Not checked in: %(why)s.", why=registration.why_no_place)
        raise CheckInRefused(f"{message} {what_to_do}" if what_to_do else message, registration)


# What the organisers can do about a refusal, where anything can be done today.
_WHAT_STAFF_CAN_DO = {
    RegistrationStatus.WAITLISTED: _l("Confirm their place on the attendee list first if there is room."),
    RegistrationStatus.APPLIED: _l("Accept the application first if a place is free."),
    RegistrationStatus.CANCELLED: "",
}


def _refuse_without_seat(session: Session, registration: Registration, programme_session: ProgrammeSession) -> None:
    """A session with a seat limit admits the people holding one of its seats; a session without
    one admits everyone with a place at the event."""
    if programme_session.seat_limit is None:
        return
    choice = session.scalar(sa.select(SessionChoice).where(
        SessionChoice.registration_id == registration.id, SessionChoice.session_id == programme_session.id,
    ))
    if choice is not None and choice.status is ChoiceStatus.CONFIRMED:
        return
    why = _("on its waiting list") if choice is not None else _("the session was not chosen")
    raise CheckInRefused(
        _("Not checked in for “%(session)s”: %(name)s has no seat in this session: %(why)s.",
          session=programme_session.title, name=registration.display_name, why=why), registration,
    )


def _session_of_today(session: Session, event: Event, session_id: int, today: date) -> ProgrammeSession:
    programme_session = session.get(ProgrammeSession, session_id)
    if programme_session is None or programme_session.event_id != event.id:
        raise DomainError(_("That session is not part of this event's programme."), field="session_id")
    held_on = event.local(programme_session.starts_at).date()
    if held_on != today:
        raise DomainError(
            _("“%(session)s” is on %(day)s, not today. Choose one of today's sessions.",
              session=programme_session.title, day=format_day(held_on)),
            field="session_id",
        )
    return programme_session


def undo_check_in(session: Session, event: Event, check_in_id: int) -> CheckIn:
    """Remove a check-in recorded by mistake; returns the removed row (detached) for the message."""
    row = check_in_of_event(session, event, check_in_id)
    if row is None:
        raise DomainError(_("This check-in no longer exists; it may have been undone already."))
    session.delete(row)
    session.flush()
    return row


def check_in_of_event(session: Session, event: Event, check_in_id: int) -> CheckIn | None:
    return session.scalar(
        sa.select(CheckIn).join(Registration).where(CheckIn.id == check_in_id, Registration.event_id == event.id)
    )


def todays_sessions(session: Session, event: Event, now: datetime) -> list[ProgrammeSession]:
    """Sessions starting on the venue's current day; all sessions when the event is not on today."""
    today = event.local(now).date()
    programme = list(session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ))
    return [s for s in programme if event.local(s.starts_at).date() == today]


def record_attendance(session: Session, registration_ids: list[int], day: date, *, at: datetime,
                      by: User | None = None) -> int:
    """Door check-ins for many people at once (demo data, past editions); skips those already in.

    Returns how many rows were added. No status or day checks: the caller states the facts.
    """
    already = set(session.scalars(
        sa.select(CheckIn.registration_id).where(
            CheckIn.registration_id.in_(registration_ids), CheckIn.day == day, CheckIn.session_id.is_(None),
        )
    ))
    rows = [CheckIn(registration_id=rid, day=day, checked_in_at=at, checked_in_by_id=by.id if by else None)
            for rid in dict.fromkeys(registration_ids) if rid not in already]
    session.add_all(rows)
    session.flush()
    return len(rows)
