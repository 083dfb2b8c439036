"""Organisers adding, changing and removing programme sessions. Callers commit; a DomainError means nothing changed.

Seat changes run under the event lock, the same lock the choosing of sessions takes, so a
seat limit is never lowered below the seats that are being taken at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.database import Session
from app.models import (
    ChoiceStatus,
    Event,
    EventStatus,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    SessionChoice,
    SessionKind,
)
from app.services.errors import DomainError, Problems, check_limit
from app.services.formatting import format_day
from app.services.korean_content import checked_korean
from app.services.mail import notifications
from app.services.programme import programme as programme_service
from app.services.programme.programme_listing import seats_of
from app.services.registration.locking import lock_event

TITLE_MAX = 200
ROOM_MAX = 120


@dataclass(frozen=True)
class SessionDetails:
    """What an organiser types in: the day and the two times are on the clock at the venue."""

    title: str
    kind: SessionKind
    day: date
    starts: time
    ends: time
    room: str = ""
    description: str = ""
    seat_limit: int | None = None  # None: no limit
    # In Korean, each optional: where one is empty the English shows (app/models/bilingual.py).
    title_ko: str = ""
    description_ko: str = ""
    room_ko: str = ""


@dataclass(frozen=True)
class SessionUpdate:
    programme_session: ProgrammeSession
    promoted: list[SessionChoice] = field(default_factory=list)  # moved from its waiting list to a seat


def add_session(session: Session, event_id: int, details: SessionDetails) -> ProgrammeSession:
    event = lock_event(session, event_id)
    programme_session = ProgrammeSession(event_id=event.id, **_validated(event, details, seats_taken=0))
    session.add(programme_session)
    session.flush()
    return programme_session


def update_session(session: Session, event_id: int, session_id: int, details: SessionDetails, *,
                   now: datetime) -> SessionUpdate:
    """Change a session; when seats were added, its waiting list moves up."""
    event = lock_event(session, event_id)
    programme_session = _session_of(session, event, session_id)
    seats_taken = seats_of(session, programme_session).confirmed
    values = _validated(event, details, seats_taken=seats_taken)
    _refuse_new_clashes(session, programme_session, values["starts_at"], values["ends_at"])
    old_limit = programme_session.seat_limit
    for name, value in values.items():
        setattr(programme_session, name, value)
    session.flush()
    seats_added = old_limit is not None and (programme_session.seat_limit is None
                                             or programme_session.seat_limit > old_limit)
    # Nobody is told "a seat is yours" for a session that is over or an event that is cancelled.
    if seats_added and now < programme_session.ends_at and event.status is not EventStatus.CANCELLED:
        return SessionUpdate(programme_session,
                             programme_service.promote_session_waiting_list(session, programme_session, now=now))
    return SessionUpdate(programme_session)


def _refuse_new_clashes(session: Session, programme_session: ProgrammeSession, starts_at: datetime,
                        ends_at: datetime) -> None:
    """A new time must not put this session on top of another one that the same people chose:
    they could no longer attend both, and nobody would have told them."""
    mine = sa.select(SessionChoice.registration_id).where(SessionChoice.session_id == programme_session.id)
    clashes = session.execute(
        sa.select(ProgrammeSession.title, sa.func.count(sa.distinct(SessionChoice.registration_id)))
        .join(SessionChoice, SessionChoice.session_id == ProgrammeSession.id)
        .where(ProgrammeSession.event_id == programme_session.event_id,
               ProgrammeSession.id != programme_session.id,
               ProgrammeSession.starts_at < ends_at, ProgrammeSession.ends_at > starts_at,
               SessionChoice.registration_id.in_(mine))
        .group_by(ProgrammeSession.id, ProgrammeSession.title)
        .order_by(ProgrammeSession.starts_at)
    ).first()
    if clashes is not None:
        title, people = clashes
        raise DomainError(ngettext(
            "At that time %(num)d person who chose this session also chose “%(title)s”, so they could not attend "
            "both. Choose another time, or ask them to change their sessions first.",
            "At that time %(num)d people who chose this session also chose “%(title)s”, so they could not attend "
            "both. Choose another time, or ask them to change their sessions first.",
            people, title=title), field="starts")


def delete_session(session: Session, event_id: int, session_id: int, *, people_shown: int) -> ProgrammeSession:
    """Remove a session and everyone's choice of it; each of them is emailed.

    `people_shown` is how many choices the confirmation page listed: if someone chose the
    session since, the organiser is asked again rather than removing a seat they never saw.
    """
    event = lock_event(session, event_id)
    programme_session = _session_of(session, event, session_id)
    counts = seats_of(session, programme_session)
    if counts.confirmed + counts.waiting != people_shown:
        raise DomainError(_("Someone chose this session while you were deciding. "
                            "Please check the numbers below and confirm again."))
    affected = list(session.execute(
        sa.select(Registration, SessionChoice.status).join(SessionChoice, SessionChoice.registration_id == Registration.id)
        .where(SessionChoice.session_id == programme_session.id, Registration.status != RegistrationStatus.CANCELLED)
    ).tuples())
    removed = {"title": programme_session.title, "starts_at": programme_session.starts_at,
               "ends_at": programme_session.ends_at}
    session.execute(sa.delete(SessionChoice).where(SessionChoice.session_id == programme_session.id))
    session.delete(programme_session)
    session.flush()
    # Written after the removal, so each email lists the sessions the person still has.
    for registration, status in affected:
        # Only a seat holder had the session in their calendar; the attached file cancels it there.
        notifications.queue(session, registration, "session_removed", removed_session=removed,
                            given_up=[programme_session] if status is ChoiceStatus.CONFIRMED else [])
    return programme_session


def _session_of(session: Session, event: Event, session_id: int) -> ProgrammeSession:
    programme_session = session.get(ProgrammeSession, session_id)
    if programme_session is None or programme_session.event_id != event.id:
        raise DomainError(_("This session is no longer in the programme."))
    return programme_session


def _validated(event: Event, details: SessionDetails, *, seats_taken: int) -> dict:
    """The session's column values, or InvalidInput listing every problem (in the form's order)."""
    problems = Problems()
    title = details.title.strip()
    if not title:
        problems.add(_("Please give the session a title."), "title")
    elif len(title) > TITLE_MAX:
        problems.add(_("Please keep the title under %(max)d characters.", max=TITLE_MAX), "title")
    room = details.room.strip()
    if len(room) > ROOM_MAX:
        problems.add(_("Please keep the room under %(max)d characters.", max=ROOM_MAX), "room")
    starts_at, ends_at = _checked_times(event, details, problems)
    korean = checked_korean(details, {"title_ko": TITLE_MAX, "description_ko": None, "room_ko": ROOM_MAX}, problems)
    check_limit(problems, details.seat_limit, taken=seats_taken, field="seat_limit", negative_message=_("The seat limit cannot be negative. Leave it empty for no limit."), taken_message=(
        ngettext("%(num)d person holds a seat in this session already, so the seat limit cannot be lower than %(num)d.",
                 "%(num)d people hold seats in this session already, so the seat limit cannot be lower than %(num)d.",
                 seats_taken)))
    problems.raise_if_any()
    return dict(
        title=title,
        kind=details.kind,
        room=room,
        description=details.description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        seat_limit=details.seat_limit,
        **korean,
    )


def _checked_times(event: Event, details: SessionDetails,
                   problems: Problems) -> tuple[datetime | None, datetime | None]:
    """The start and end in UTC, on a day of the event, in order (None for a time the clocks skip)."""
    first_day, last_day = event.local(event.starts_at).date(), event.local(event.ends_at).date()
    if not first_day <= details.day <= last_day:
        problems.add(_("Choose a day of the event: %(first)s to %(last)s.", first=_day(first_day), last=_day(last_day)), "day")
    starts_at = _venue_moment(details.day, details.starts, event.tz, "starts", problems)
    ends_at = _venue_moment(details.day, details.ends, event.tz, "ends", problems)
    if details.ends <= details.starts:
        problems.add(_("The session must end after it starts (on the same day)."), "ends")
    return starts_at, ends_at


def _venue_moment(day: date, wall_clock: time, tz: ZoneInfo, field_name: str, problems: Problems) -> datetime | None:
    local = datetime.combine(day, wall_clock.replace(second=0, microsecond=0))
    moment = local.replace(tzinfo=tz).astimezone(UTC)
    # A time skipped when the clocks go forward does not come back unchanged.
    if moment.astimezone(tz).replace(tzinfo=None) != local:
        wall_time = f"{local:%H:%M}"
        problems.add(_("%(time)s on %(day)s does not exist in %(zone)s: the clocks change then.",
                       time=wall_time, day=_day(day), zone=tz.key), field_name)
        return None
    return moment


def _day(day: date) -> str:
    return format_day(day, "%a %-d %b %Y")
