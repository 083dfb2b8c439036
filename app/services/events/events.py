"""Creating, changing, publishing and cancelling events. Callers commit; a DomainError means nothing changed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from app.database import Session
from app.models import (
    Event,
    EventKind,
    EventStatus,
    OrganiserAlerts,
    ProgrammeSession,
    Question,
    Registration,
    RegistrationMode,
    TeamMember,
    TeamRole,
    User,
)
from app.services.countries import COUNTRY_CODES, TIMEZONE_SET
from app.services.errors import DomainError, Problems, check_limit
from app.services.events.announcements import WhereAndWhen, announce, announce_move
from app.services.events.series import stands_for
from app.services.korean_content import checked_korean
from app.services.registration.locking import count_confirmed, lock_event
from app.services.registration.references import event_code_from_title
from app.services.registration.registration import promote_from_waiting_list

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,12}$")
SLUG_MAX = 120
# Auto slugs stay short enough to read in a link and to take a "-2" suffix.
AUTO_SLUG_MAX = 80
CANCELLATION_REASON_MAX = 1000


MAX_RETENTION_MONTHS = 600  # fifty years: anything longer is a typing mistake


@dataclass(frozen=True)
class EventDetails:
    """What an organiser types in. The four moments are naive wall-clock times at the venue,
    read in `timezone` (a datetime-local input has no zone)."""

    kind: EventKind
    title: str
    country: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    registration_opens_at: datetime
    registration_closes_at: datetime
    contact_email: str
    slug: str = ""  # blank: made from the title
    code: str = ""  # blank: initials of the title and the year, e.g. DGIF26
    summary: str = ""
    description: str = ""
    venue: str = ""
    city: str = ""
    capacity: int | None = None  # None: unlimited
    waiting_list_enabled: bool = True
    asks_gender: bool = False  # the optional gender question on the form (for the statistics)
    off_rule_reason: str = ""  # an edition of a series held in a year its rule does not give: why
    registration_mode: RegistrationMode = RegistrationMode.OPEN
    organiser_alerts: OrganiserAlerts = OrganiserAlerts.DAILY  # what the managers hear about new registrations
    # Until when participants correct their own details (wall clock at the venue; None: until registration closes),
    # and whether their names are final (docs/features/correcting-data.md).
    details_editable_until: datetime | None = None
    names_locked: bool = False
    retention_months: int | None = None  # after the end, until the purge anonymises; None: RETENTION_MONTHS
    # The same words in Korean, each optional: where one is empty the English shows (app/models/bilingual.py).
    title_ko: str = ""
    summary_ko: str = ""
    description_ko: str = ""
    venue_ko: str = ""
    city_ko: str = ""


@dataclass(frozen=True)
class EventUpdate:
    event: Event
    promoted: list[Registration] = field(default_factory=list)
    moved: int = 0  # emails queued with the new dates or place


@dataclass(frozen=True)
class Cancellation:
    event: Event
    emailed: int  # everyone who had a place or was waiting for one


def create_event(session: Session, details: EventDetails, *, actor: User) -> Event:
    """A new draft event, managed by the person who created it."""
    values = _validated(session, details, event=None, confirmed=0)
    event = Event(**values, status=EventStatus.DRAFT)
    event.team.append(TeamMember(user=actor, role=TeamRole.MANAGER))
    session.add(event)
    _flush_checking_slug(session)
    return event


def update_event(session: Session, event_id: int, details: EventDetails, *, now: datetime) -> EventUpdate:
    """Change an event; when seats were added, the waiting list moves up (and is emailed). When a published
    event moves (dates, times, venue or city), everyone expected is emailed the new ones with a calendar file."""
    event = lock_event(session, event_id)
    confirmed = count_confirmed(session, event.id)
    values = _validated(session, details, event=event, confirmed=confirmed)
    old_capacity = event.capacity
    before = WhereAndWhen.of(event)
    for name, value in values.items():
        setattr(event, name, value)
    _flush_checking_slug(session)
    seats_added = old_capacity is not None and (event.capacity is None or event.capacity > old_capacity)
    promoted: list[Registration] = []
    # A cancelled or finished event must not tell anyone "a place is yours".
    if seats_added and event.status is not EventStatus.CANCELLED and now < event.ends_at:
        promoted = promote_from_waiting_list(session, event, now=now)
    moved = 0
    if event.status is EventStatus.PUBLISHED and now < event.ends_at:
        # Those just promoted have the new dates in their "a place is yours" email already.
        moved = announce_move(session, event, before, leave_out={r.id for r in promoted})
    return EventUpdate(event, promoted, moved)


def publish(session: Session, event_id: int, *, now: datetime) -> Event:
    event = lock_event(session, event_id)
    if event.status is EventStatus.PUBLISHED:
        raise DomainError(_("This event is published already."))
    if event.status is not EventStatus.DRAFT:
        raise DomainError(_("An archived event cannot be published.") if event.status is EventStatus.ARCHIVED
                          else _("A %(status)s event cannot be published.", status=event.status.label.lower()))
    if now >= event.ends_at:
        raise DomainError(_("This event is over; change its dates before publishing it."))
    if event.series is not None and event.series.asks_theme and not event.own_title.strip():
        raise DomainError(_("Give this edition its theme (Edit event) before publishing it: its title is "
                            "“%(title)s”.", title=event.title))
    event.status = EventStatus.PUBLISHED
    session.flush()
    return event


def cancel_event(session: Session, event_id: int, *, reason: str) -> Cancellation:
    """Registration closes and the public page says so, with the reason. Registrations are kept as they
    are; everyone who had a place or was waiting for one is emailed the reason, with a calendar file that
    removes the event. Only a published event is cancelled: a draft nobody has seen is deleted."""
    event = lock_event(session, event_id)
    if event.status is EventStatus.CANCELLED:
        raise DomainError(_("This event is cancelled already."))
    if event.status is EventStatus.ARCHIVED:
        raise DomainError(_("An archived event cannot be cancelled."))
    if event.status is EventStatus.DRAFT:
        raise DomainError(_("This event was never published, so nobody has seen it: delete the draft instead."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please say why the event is cancelled: the public page shows it."), field="reason")
    if len(reason) > CANCELLATION_REASON_MAX:
        raise DomainError(_("Please keep the reason under %(max)s characters.", max=CANCELLATION_REASON_MAX),
                          field="reason")
    event.status = EventStatus.CANCELLED
    event.cancellation_reason = reason
    session.flush()  # the new status and updated_at: the calendar files cancel, with a higher SEQUENCE
    return Cancellation(event, announce(session, event, "event_cancelled", reason=reason))


@dataclass(frozen=True)
class DraftContents:
    """What deleting a draft takes with it, for the confirmation page."""

    programme_sessions: int
    questions: int
    registrations: int


def draft_contents(session: Session, event: Event) -> DraftContents:
    def count(model) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(model.event_id == event.id)) or 0

    return DraftContents(count(ProgrammeSession), count(Question), count(Registration))


def delete_draft(session: Session, event_id: int) -> str:
    """Remove a draft and everything in it; returns its title.

    A draft was never public, so any registrations in it can only be organisers trying the
    form: they go with it (their uploaded files are removed by `uploads clean`). A published
    event is never deleted: it is cancelled, so those who saw it learn why.
    """
    event = lock_event(session, event_id)
    if not event.is_draft:
        raise DomainError(_("Only a draft can be deleted; this event is %(status)s. "
                            "A published event is cancelled instead, so the people who saw it learn why.",
                            status=event.status.label.lower()))
    title = event.title
    session.delete(event)
    session.flush()
    return title


def slug_from_title(title: str) -> str:
    """'Forum 2026: Daejeon & Beyond' -> 'forum-2026-daejeon-beyond' (accents dropped, not the letters)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:AUTO_SLUG_MAX].rstrip("-") or "event"


def _validated(session: Session, details: EventDetails, *, event: Event | None, confirmed: int) -> dict:
    """The event's column values, or InvalidInput listing every problem (in the form's order)."""
    problems = Problems()
    title = _checked_title(details, event, problems)
    slug = _checked_slug(session, details, title, event, problems)
    code = _checked_contact_details(details, problems)
    check_limit(problems, details.capacity, taken=confirmed, field="capacity", negative_message=_("The capacity cannot be negative. Leave it empty for no limit."), taken_message=(
        f"{confirmed} {'person is' if confirmed == 1 else 'people are'} confirmed already, so the capacity "
        f"cannot be lower than {confirmed}. Cancel registrations first if you need fewer places."))
    if event is not None and details.registration_mode is not event.registration_mode:
        _check_mode_change(session, event, problems)
    if details.retention_months is not None and not 0 <= details.retention_months <= MAX_RETENTION_MONTHS:
        problems.add(_("Please give a number of months from 0 to %(max)s.", max=MAX_RETENTION_MONTHS),
                     "retention_months")
    moments = _checked_moments(details, event, problems)
    details_deadline = _checked_details_deadline(details, moments, problems)
    korean = checked_korean(details, KOREAN_LIMITS, problems)
    edition = _checked_edition(session, details, event, problems)
    problems.raise_if_any()
    year = details.starts_at.year
    return dict(
        kind=details.kind,
        title=title,
        slug=slug,
        code=code or event_code_from_title(title, year),
        summary=details.summary.strip(),
        description=details.description.strip(),
        venue=details.venue.strip(),
        city=details.city.strip(),
        country=details.country,
        timezone=details.timezone,
        capacity=details.capacity,
        waiting_list_enabled=details.waiting_list_enabled,
        asks_gender=details.asks_gender,
        registration_mode=details.registration_mode,
        organiser_alerts=details.organiser_alerts,
        retention_months=details.retention_months,
        contact_email=details.contact_email.strip().lower(),
        details_editable_until=details_deadline,
        names_locked=details.names_locked,
        **moments,
        **edition,
        **korean,
    )


# The Korean fields and their lengths (None: no limit), as the columns allow.
KOREAN_LIMITS = {"title_ko": 200, "summary_ko": 500, "description_ko": None, "venue_ko": 200, "city_ko": 120}


def _checked_title(details: EventDetails, event: Event | None, problems: Problems) -> str:
    title = details.title.strip()
    if title:
        return title
    if event is None or event.series_id is None:  # an edition's title is derived; its own words are its theme
        problems.add(_("Please give the event a title."), "title")
    elif event.series is not None and event.series.asks_theme:
        problems.add(_("Please give this edition its theme: its title reads “%(pattern)s”.",
                       pattern=event.series.title_pattern), "title")
    return title


def _checked_slug(session: Session, details: EventDetails, title: str, event: Event | None,
                  problems: Problems) -> str:
    slug = details.slug.strip().lower()
    if not slug:
        return free_slug(session, slug_from_title(title), event)
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        problems.add(_("Use lower-case letters, digits and single hyphens, e.g. dgif-2026."), "slug")
    elif _slug_taken(session, slug, event):
        problems.add(_("Another event uses the address “%(slug)s” already. Choose another one.", slug=slug), "slug")
    return slug


def _checked_contact_details(details: EventDetails, problems: Problems) -> str:
    """The code, the country and the contact address; returns the code as typed (blank: made later)."""
    code = details.code.strip().upper()
    if code and not CODE_PATTERN.fullmatch(code):
        problems.add(_("Use 2 to 12 capital letters or digits, e.g. DGIF26."), "code")
    if details.country not in COUNTRY_CODES:
        problems.add(_("Please choose a country from the list."), "country")
    if "@" not in details.contact_email:
        problems.add(_("Please give a contact email address."), "contact_email")
    return code


def _check_mode_change(session: Session, event: Event, problems: Problems) -> None:
    # Registrations and applications follow different rules (places given vs. people selected):
    # switching under existing ones would leave some of them meaning something else.
    existing = session.scalar(sa.select(sa.func.count()).where(Registration.event_id == event.id)) or 0
    if existing:
        if event.takes_applications:
            message = ngettext(
                "This event already has %(num)d application, so it cannot switch to open registration. "
                "Create a new event instead, or keep the current mode.",
                "This event already has %(num)d applications, so it cannot switch to open registration. "
                "Create a new event instead, or keep the current mode.", existing)
        else:
            message = ngettext(
                "This event already has %(num)d registration, so it cannot switch to applications. "
                "Create a new event instead, or keep the current mode.",
                "This event already has %(num)d registrations, so it cannot switch to applications. "
                "Create a new event instead, or keep the current mode.", existing)
        problems.add(message, "registration_mode")


def _checked_moments(details: EventDetails, event: Event | None, problems: Problems) -> dict[str, datetime]:
    """The four moments in UTC, in order, with the programme still inside the event's days."""
    if details.timezone not in TIMEZONE_SET:
        problems.add(_("Please choose a time zone from the list, e.g. Asia/Seoul."), "timezone")
        return {}
    moments = _to_utc(details, ZoneInfo(details.timezone), problems)
    if len(moments) < 4:
        return moments
    if moments["ends_at"] < moments["starts_at"]:
        problems.add(_("The event cannot end before it starts."), "ends_at")
    if moments["registration_closes_at"] > moments["ends_at"]:
        problems.add(_("Registration must close before the event ends."), "registration_closes_at")
    if moments["registration_opens_at"] >= moments["registration_closes_at"]:
        problems.add(_("Registration must open before it closes."), "registration_opens_at")
    if event is not None and event.programme:
        _check_programme_within_days(details, event, problems)
    return moments


def _checked_details_deadline(details: EventDetails, moments: dict[str, datetime],
                              problems: Problems) -> datetime | None:
    """The deadline for participants' corrections in UTC; before the event ends, as nothing is printed after it."""
    if details.details_editable_until is None or details.timezone not in TIMEZONE_SET:
        return None
    tz = ZoneInfo(details.timezone)
    wall_clock = details.details_editable_until.replace(tzinfo=None)
    moment = wall_clock.replace(tzinfo=tz).astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) != wall_clock:
        problems.add(_("%(moment)s does not exist in %(zone)s: the clocks change then.",
                       moment=f"{wall_clock:%d %b %Y %H:%M}", zone=tz.key), "details_editable_until")
    elif "ends_at" in moments and moment > moments["ends_at"]:
        problems.add(_("Corrections must end before the event ends."), "details_editable_until")
    return moment


def _check_programme_within_days(details: EventDetails, event: Event, problems: Problems) -> None:
    first_day, last_day = details.starts_at.date(), details.ends_at.date()
    outside = [s for s in event.programme
               if not first_day <= s.starts_at.astimezone(ZoneInfo(details.timezone)).date() <= last_day]
    if outside:
        problems.add(ngettext(
            "%(num)d programme session would fall outside these dates (“%(first)s” first). Move or remove it on "
            "the Programme page first.",
            "%(num)d programme sessions would fall outside these dates (“%(first)s” first). Move or remove them "
            "on the Programme page first.", len(outside), first=outside[0].title), "starts_at")


def _checked_edition(session: Session, details: EventDetails, event: Event | None, problems: Problems) -> dict:
    """An edition's year must fit its series' rule, or be an exception with a reason."""
    if event is None or event.series is None:
        return {}
    try:
        slot, reason = stands_for(session, event.series, details.starts_at.year, details.off_rule_reason.strip(),
                                  exclude_event_id=event.id)
    except DomainError as error:
        problems.add(error.message, "off_rule_reason" if error.field == "off_rule_reason" else "starts_at")
        return {}
    return dict(series_year=slot, off_rule_reason=reason)


def _to_utc(details: EventDetails, tz: ZoneInfo, problems: Problems) -> dict[str, datetime]:
    moments = {}
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        wall_clock: datetime = getattr(details, name).replace(tzinfo=None)
        moment = wall_clock.replace(tzinfo=tz).astimezone(UTC)
        # A time skipped when the clocks go forward does not come back unchanged.
        if moment.astimezone(tz).replace(tzinfo=None) != wall_clock:
            problems.add(_("%(moment)s does not exist in %(zone)s: the clocks change then.",
                           moment=f"{wall_clock:%d %b %Y %H:%M}", zone=tz.key), name)
        else:
            moments[name] = moment
    return moments


def _slug_taken(session: Session, slug: str, event: Event | None) -> bool:
    query = sa.select(Event.id).where(Event.slug == slug)
    if event is not None:
        query = query.where(Event.id != event.id)
    return session.scalar(query) is not None


def free_slug(session: Session, base: str, event: Event | None = None) -> str:
    """`base`, or `base-2`, `base-3` … whichever no other event uses (`event` may keep its own); one query."""
    taken = set(session.scalars(
        sa.select(Event.slug).where(sa.or_(Event.slug == base, Event.slug.like(f"{base}-%")))
        .where(Event.id != (event.id if event is not None else -1))
    ))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _flush_checking_slug(session: Session) -> None:
    # Two organisers saving the same address at the same moment: the unique index decides.
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise DomainError(_("Another event has just taken this address. Choose another one."), field="slug") from None
