"""Creating series, attaching editions and creating the next edition from the latest one.

Callers commit; a DomainError means nothing changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _

from app.database import Session
from app.models import (
    DocumentSettings,
    Event,
    EventKind,
    EventStatus,
    ProgrammeSession,
    Question,
    Registration,
    RegistrationStatus,
    Series,
    TeamMember,
    TeamRole,
    User,
    YearParity,
)
from app.models.series import DEFAULT_TITLE_PATTERN
from app.services.errors import DomainError, Problems
from app.services.events.events import free_slug, slug_from_title
from app.services.events.series import (
    describe_rule,
    edition_number,
    is_rule_year,
    next_rule_year,
    stands_for,
    theme_in_title,
    title_pattern_problem,
)
from app.services.korean_content import checked_korean
from app.services.mail.messages import copy_reminders

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
THEME_MAX = 200  # the events' title column


@dataclass(frozen=True)
class SeriesDetails:
    name: str
    code: str
    kind: EventKind
    first_year: int
    interval_years: int = 1
    year_parity: YearParity = YearParity.ANY
    usual_month: int | None = None
    description: str = ""
    slug: str = ""
    title_pattern: str = DEFAULT_TITLE_PATTERN
    # In Korean, each optional (app/models/bilingual.py); title_pattern_ko as title_pattern, for Korean titles.
    name_ko: str = ""
    description_ko: str = ""
    title_pattern_ko: str = ""


@dataclass(frozen=True)
class Edition:
    event: Event
    number: int | None
    confirmed: int
    attended: int | None  # None: attendance is not recorded for this edition


def create_series(session: Session, details: SeriesDetails) -> Series:
    series = Series(**_validated(session, details, None))
    session.add(series)
    session.flush()
    return series


def update_series(session: Session, series_id: int, details: SeriesDetails) -> Series:
    series = _series_or_error(session, series_id)
    values = _validated(session, details, series)
    old_rule = (series.first_year, series.interval_years, series.year_parity)
    for name, value in values.items():
        setattr(series, name, value)
    if series.asks_theme:  # a title "... on {theme}" needs every edition's theme
        for event in session.scalars(_editions_query(series.id)):
            if not event.own_title.strip():
                raise DomainError(
                    _("The %(year)s edition has no theme yet, so its title would read “%(title)s”. "
                      "Give it its theme on its Edit page first, or leave {theme} out.", year=event.series_year,
                      title=event.title), field="title_pattern")
    if (series.first_year, series.interval_years, series.year_parity) != old_rule:
        # Existing editions keep their year; a new rule must still account for each of them.
        for event in session.scalars(_editions_query(series.id)):
            if not event.off_rule_reason and not is_rule_year(series, event.series_year):
                raise DomainError(
                    _("The %(year)s edition would no longer fit the rule (%(rule)s). "
                      "Change the rule, or mark that edition as an exception first.", year=event.series_year,
                      rule=describe_rule(series)), field="interval_years")
    session.flush()
    return series


def add_edition(session: Session, series_id: int, event_id: int, *, off_rule_reason: str = "",
                theme: str = "") -> Event:
    """Make an existing event an edition of the series, in the year it takes place.

    Its number comes from the series. When the series' titles carry each edition's theme, the
    theme is the one given, or else read from the event's own title ("24th International Training
    Workshop on Science Park Management" -> "Science Park Management")."""
    series = _series_or_error(session, series_id)
    event = session.get(Event, event_id)
    if event is None:
        raise DomainError(_("Please choose an event."), field="event_id")
    if event.series_id is not None:
        raise DomainError(_("“%(title)s” is already an edition of a series.", title=event.title), field="event_id")
    year = event.local(event.starts_at).year
    event.series_year, event.off_rule_reason = stands_for(session, series, year, off_rule_reason.strip())
    if series.asks_theme:
        theme = " ".join(theme.split()) or theme_in_title(series, event.own_title)
        if not theme:
            raise DomainError(_("Give the theme of this edition: its title is “%(pattern)s”.",
                                pattern=series.title_pattern), field="theme")
        if len(theme) > THEME_MAX:
            raise DomainError(_("Please keep the theme under %(max)s characters.", max=THEME_MAX), field="theme")
        event.own_title = theme
    event.series = series
    session.flush()
    return event


def editions(session: Session, series_id: int) -> list[Edition]:
    """Every edition, newest first, with its confirmed registrations and attendance side by side."""
    series = _series_or_error(session, series_id)
    events = list(session.scalars(_editions_query(series_id)))
    ids = [e.id for e in events]
    confirmed = dict(session.execute(
        sa.select(Registration.event_id, sa.func.count())
        .where(Registration.event_id.in_(ids), Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.event_id)
    ).tuples().all()) if ids else {}
    attended = _attendance(session, ids)
    return [
        Edition(e, edition_number(series, e.series_year), confirmed.get(e.id, 0), attended.get(e.id))
        for e in events
    ]


def next_due_year(session: Session, series: Series, *, now: datetime) -> int | None:
    """The rule year after the latest edition; for a series without editions, the first from this year on.

    Always after the latest edition, never a gap before it: a year skipped in the past is not
    "due" (offering it created a draft dated before the latest edition, numbered backwards).
    """
    latest = session.scalar(sa.select(sa.func.max(Event.series_year)).where(Event.series_id == series.id))
    return next_rule_year(series, latest if latest is not None else now.year - 1)


def create_next_edition(session: Session, series_id: int, *, actor: User, now: datetime) -> Event:
    """A draft copying the latest edition (texts, venue, capacity, sessions, settings, the form's own
    questions and the documents' wording), dates moved to the next due year. Registrations and
    anything else that belongs to one edition stay behind."""
    series = _series_or_error(session, series_id)
    latest = session.scalars(_editions_query(series.id).limit(1)).first()
    if latest is None:
        raise DomainError(_("This series has no edition yet to copy from. Add an existing event as its first "
                            "edition, or create the event and then add it here."))
    year = next_due_year(session, series, now=now)
    if year is None:
        raise DomainError(_("The rule of %(series)s gives no next edition year.", series=series.name))
    shift = _date_shift(latest, year)
    copy = Event(**{name: getattr(latest, name) for name in _copied_columns()})
    copy.own_title = ""
    copy.series = series
    copy.series_year = year
    copy.off_rule_reason = ""
    copy.status = EventStatus.DRAFT
    copy.slug = free_slug(session, f"{series.slug}-{year}")
    copy.code = f"{series.code}{year % 100:02d}"
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        setattr(copy, name, shift(getattr(latest, name)))
    if latest.details_editable_until is not None:
        copy.details_editable_until = shift(latest.details_editable_until)
    copy.created_at = copy.updated_at = now
    # The latest edition's own team carries over (the series' team reaches every edition by itself);
    # whoever creates the edition manages it.
    copy.team = [TeamMember(user=m.user, role=m.role, added_at=now) for m in latest.team if m.user_id != actor.id]
    copy.team.append(TeamMember(user=actor, role=TeamRole.MANAGER, added_at=now))
    session.add(copy)
    for item in latest.programme:
        copy.programme.append(ProgrammeSession(
            kind=item.kind, title=item.title, description=item.description, room=item.room,
            title_ko=item.title_ko, description_ko=item.description_ko, room_ko=item.room_ko,
            starts_at=shift(item.starts_at), ends_at=shift(item.ends_at), seat_limit=item.seat_limit,
        ))
    session.flush()
    _copy_form_and_wording(session, latest, copy)
    copy_reminders(session, latest, copy)
    return copy


def _copy_form_and_wording(session: Session, latest: Event, copy: Event) -> None:
    """The registration form's own questions (those still in use) and the documents' wording."""
    clones: dict[int | None, Question] = {}  # by the original's id; .get(None): no condition
    for question in session.scalars(
        sa.select(Question).where(Question.event_id == latest.id, Question.archived_at.is_(None))
        .order_by(Question.position, Question.id)
    ):
        clone = Question(**_row_values(question, skip={"condition_question_id"}), event_id=copy.id)
        # A follow-up always comes after the question it depends on: its clone exists already.
        clone.condition_question = clones.get(question.condition_question_id)
        session.add(clone)
        clones[question.id] = clone
    wording = session.get(DocumentSettings, latest.id)
    if wording is not None:
        session.add(DocumentSettings(**_row_values(wording), event_id=copy.id))
    session.flush()


def _row_values(row, *, skip: frozenset[str] | set[str] = frozenset()) -> dict:
    """A row's own values, without its identity, its event and its timestamps."""
    own = {"id", "event_id", "created_at", "updated_at", *skip}
    return {attr.key: getattr(row, attr.key) for attr in type(row).__mapper__.column_attrs if attr.key not in own}


def _copied_columns() -> list[str]:
    """Every column of an event except those that belong to one edition: new settings added to
    events later are carried to the next edition without anyone remembering to list them here."""
    own = {"id", "title", "title_ko", "slug", "code", "status", "series_id", "series_year", "off_rule_reason",
           "starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "created_at", "updated_at",
           "last_digest_at", "details_editable_until",
           "names_locked"}  # the new edition's badges are not printed yet
    return [column.key for column in Event.__mapper__.column_attrs if column.columns[0].name not in own]


def _date_shift(latest: Event, year: int):
    """Move moments by whole years, then to the same weekday (a Tuesday opening stays a Tuesday),
    keeping the wall-clock time at the venue."""
    start = latest.local(latest.starts_at)
    moved = start + relativedelta(years=year - start.year)
    delta_days = (start.weekday() - moved.weekday() + 3) % 7 - 3  # nearest same weekday, -3..+3 days
    offset = relativedelta(years=year - start.year, days=delta_days)

    def shift(moment: datetime) -> datetime:
        local = latest.local(moment).replace(tzinfo=None) + offset
        return local.replace(tzinfo=latest.tz).astimezone(moment.tzinfo)

    return shift


def _editions_query(series_id: int) -> sa.Select:
    return sa.select(Event).where(Event.series_id == series_id).order_by(Event.series_year.desc(), Event.id.desc())


def _attendance(session: Session, event_ids: list[int]) -> dict[int, int]:
    """People checked in at least once, per edition (only editions that used check-in)."""
    from app.models.attendance import CheckIn
    if not event_ids:
        return {}
    return dict(session.execute(
        sa.select(Registration.event_id, sa.func.count(sa.distinct(CheckIn.registration_id)))
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id)
    ).tuples().all())


def _series_or_error(session: Session, series_id: int) -> Series:
    series = session.get(Series, series_id)
    if series is None:
        raise LookupError(f"series {series_id} does not exist")
    return series


def _validated(session: Session, details: SeriesDetails, series: Series | None) -> dict:
    """The series' column values, or InvalidInput listing every problem (in the form's order)."""
    problems = Problems()
    own_id = series.id if series else 0
    name = details.name.strip()
    if not name:
        problems.add(_("Please give the series a name."), "name")
    code = _checked_code(session, details.code.strip().upper(), own_id, problems)
    slug = _checked_slug(session, details.slug.strip().lower() or slug_from_title(name), own_id, problems)
    _check_rule(details, problems)
    title_pattern = _checked_title_pattern(details.title_pattern, problems)
    korean = checked_korean(details, {"name_ko": 200, "description_ko": None, "title_pattern_ko": 300}, problems)
    korean["title_pattern_ko"] = " ".join(korean["title_pattern_ko"].split())
    if korean["title_pattern_ko"] and (pattern_problem := title_pattern_problem(korean["title_pattern_ko"])):
        problems.add(pattern_problem, "title_pattern_ko")
    problems.raise_if_any()
    return dict(
        name=name, title_pattern=title_pattern, code=code, slug=slug, kind=details.kind, description=details.description.strip(),
        first_year=details.first_year, interval_years=details.interval_years, year_parity=details.year_parity,
        usual_month=details.usual_month, **korean,
    )


def _checked_code(session: Session, code: str, own_id: int, problems: Problems) -> str:
    if not CODE_PATTERN.fullmatch(code):
        problems.add(_("Use 2 to 8 capital letters or digits, starting with a letter, e.g. DGIF."), "code")
    elif session.scalar(sa.select(sa.exists().where(Series.code == code, Series.id != own_id))):
        problems.add(_("Another series uses the code %(code)s already.", code=code), "code")
    return code


def _checked_slug(session: Session, slug: str, own_id: int, problems: Problems) -> str:
    if not SLUG_PATTERN.fullmatch(slug):
        problems.add(_("Use lower-case letters, digits and single hyphens."), "slug")
    elif session.scalar(sa.select(sa.exists().where(Series.slug == slug, Series.id != own_id))):
        problems.add(_("Another series uses the address “%(slug)s” already.", slug=slug), "slug")
    return slug


def _check_rule(details: SeriesDetails, problems: Problems) -> None:
    """The interval, the usual month, the first year and the parity of the years."""
    if not 1 <= details.interval_years <= 10:
        problems.add(_("Choose an interval between 1 and 10 years."), "interval_years")
    if details.usual_month is not None and not 1 <= details.usual_month <= 12:
        problems.add(_("Choose a month."), "usual_month")
    if not 1950 <= details.first_year <= 2100:
        problems.add(_("Give the year of the first edition, e.g. 2014."), "first_year")
    elif details.year_parity is not YearParity.ANY:
        _check_parity(details, problems)


def _check_parity(details: SeriesDetails, problems: Problems) -> None:
    """Even or odd years only: the first edition is in one, and the interval keeps to them."""
    if (details.first_year % 2 == 0) != (details.year_parity is YearParity.EVEN):
        problems.add(_("The first edition (%(year)s) must itself be in an even year.", year=details.first_year)
                     if details.year_parity.value == "even" else
                     _("The first edition (%(year)s) must itself be in an odd year.", year=details.first_year),
                     "first_year")
    elif details.interval_years % 2 == 1 and details.interval_years > 1:
        problems.add(_("Every %(interval)s years alternates between even and odd years; "
                       "choose an even interval, or any year.", interval=details.interval_years), "year_parity")


def _checked_title_pattern(typed: str, problems: Problems) -> str:
    title_pattern = " ".join(typed.split()) or DEFAULT_TITLE_PATTERN
    if len(title_pattern) > 300:
        problems.add(_("Please keep the pattern under 300 characters."), "title_pattern")
    elif (pattern_problem := title_pattern_problem(title_pattern)) is not None:
        problems.add(pattern_problem, "title_pattern")
    return title_pattern


def by_slug(session: Session, slug: str) -> Series | None:
    return session.scalar(sa.select(Series).where(Series.slug == slug))


def all_series(session: Session) -> list[Series]:
    return list(session.scalars(sa.select(Series).order_by(Series.name)))
