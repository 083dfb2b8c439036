"""One event's figures: registrations over time and by status, participants by country, region, income
group, organisation type and gender, attendance, certificates and session fill.

Every figure is an aggregate computed by the database (GROUP BY), so the page costs the same handful of
queries for 20 or 20,000 registrations; only the grouped rows (a few hundred at most) come to Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.database import Session
from app.models import (
    Application,
    ApplicationStatus,
    Certificate,
    CheckIn,
    Event,
    Gender,
    OrganisationType,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    SessionChoice,
)
from app.models.programme import ChoiceStatus
from app.services.attendance.attendance import event_days
from app.services.countries import country_name
from app.services.statistics.classification import INCOME_ORDER, N_, groups_of
from app.services.statistics.rounding import percentages


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: int  # whole percentages of one breakdown add up to 100


@dataclass(frozen=True)
class Breakdown:
    """Participants split one way (by country, by region...): what a chart and its table show."""

    title: str
    shares: list[Share]

    @property
    def total(self) -> int:
        return sum(share.count for share in self.shares)


def breakdown(title: str, counts: Iterable[tuple[str, int]], *, order: list[str] | None = None) -> Breakdown:
    """Shares with percentages that add up to 100: in `order` where given, else the largest first."""
    counted = [(label, count) for label, count in counts if count]
    if order is not None:
        counted.sort(key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order))
    else:
        counted.sort(key=lambda pair: (-pair[1], pair[0]))
    shares = percentages([count for _label, count in counted])
    return Breakdown(title, [Share(group_label(label), count, share)
                             for (label, count), share in zip(counted, shares, strict=True)])


# The groups' names as the reports print them, in the reader's language. The figures are counted and put in
# order under the English names (STATUS_ORDER, INCOME_ORDER); only what is shown is translated.
GROUP_LABELS = {
    "Confirmed": _l("Confirmed"), "Accepted": _l("Accepted"), "Applied": _l("Applied"),
    "Waiting list": _l("Waiting list"), "Reserve list": _l("Reserve list"), "Declined": _l("Declined"),
    "Withdrawn": _l("Withdrawn"), "Acceptance lapsed": _l("Acceptance lapsed"), "Duplicate": _l("Duplicate"),
    "Cancelled": _l("Cancelled"), "Not answered": _l("Not answered"), "Not classified": _l("Not classified"),
    "High income": _l("High income"), "Upper-middle income": _l("Upper-middle income"),
    "Lower-middle income": _l("Lower-middle income"), "Low income": _l("Low income"),
    # UN M49 regions and sub-regions
    "Africa": _l("Africa"), "Americas": _l("Americas"), "Asia": _l("Asia"), "Europe": _l("Europe"),
    "Oceania": _l("Oceania"), "Australia and New Zealand": _l("Australia and New Zealand"),
    "Central Asia": _l("Central Asia"), "Eastern Asia": _l("Eastern Asia"), "Eastern Europe": _l("Eastern Europe"),
    "Latin America and the Caribbean": _l("Latin America and the Caribbean"), "Melanesia": _l("Melanesia"),
    "Micronesia": _l("Micronesia"), "Northern Africa": _l("Northern Africa"),
    "Northern America": _l("Northern America"), "Northern Europe": _l("Northern Europe"),
    "Polynesia": _l("Polynesia"), "South-eastern Asia": _l("South-eastern Asia"),
    "Southern Asia": _l("Southern Asia"), "Southern Europe": _l("Southern Europe"),
    "Sub-Saharan Africa": _l("Sub-Saharan Africa"), "Western Asia": _l("Western Asia"),
    "Western Europe": _l("Western Europe"),
}


def group_label(label: str) -> str:
    known = GROUP_LABELS.get(str(label))
    return str(known) if known is not None else str(label)


@dataclass(frozen=True)
class DayCount:
    day: date
    new: int
    cumulative: int


@dataclass(frozen=True)
class SessionFill:
    session: ProgrammeSession
    seats_taken: int
    waiting: int
    checked_in: int

    @property
    def fill_percent(self) -> int | None:
        limit = self.session.seat_limit
        return round(100 * self.seats_taken / limit) if limit else None


@dataclass(frozen=True)
class Attendance:
    participants: int  # people with a place
    days: list[tuple[date, int]]  # checked in per event day
    attended: int  # seen at least once
    certificates: int

    @property
    def no_shows(self) -> int:
        return self.participants - self.attended

    @property
    def certificate_percent(self) -> int:
        return round(100 * self.certificates / self.participants) if self.participants else 0


@dataclass(frozen=True)
class EventStatistics:
    event: Event
    statuses: Breakdown
    over_time: list[DayCount]
    participants: int
    by_country: Breakdown
    by_region: Breakdown
    by_sub_region: Breakdown
    by_income: Breakdown
    by_organisation_type: Breakdown
    by_gender: Breakdown | None  # None where the event does not ask
    attendance: Attendance
    sessions: list[SessionFill] = field(default_factory=list)

    @property
    def countries(self) -> int:
        return len(self.by_country.shares)


def event_statistics(session: Session, event: Event) -> EventStatistics:
    """The whole page's figures in nine queries, whatever the number of registrations: one pass over the
    participants for every breakdown, one over all registrations for the statuses and the days."""
    people = _participant_groups(session, event)
    countries: Counter[str] = Counter()
    kinds: Counter[OrganisationType] = Counter()
    genders: Counter[Gender | None] = Counter()
    for (country, kind, gender), number in people.items():
        countries[country] += number
        kinds[kind] += number
        genders[gender] += number
    participants = sum(countries.values())
    statuses, over_time = _statuses_and_days(session, event)
    return EventStatistics(
        event=event,
        statuses=statuses,
        over_time=over_time,
        participants=participants,
        by_country=breakdown(_("Participants by country"), ((country_name(code), n) for code, n in countries.items())),
        by_region=_grouped(_("Participants by world region (UN M49)"), countries, lambda c: groups_of(c).region),
        by_sub_region=_grouped(_("Participants by sub-region (UN M49)"), countries, lambda c: groups_of(c).sub_region),
        by_income=_grouped(_("Participants by income group of the country (World Bank)"), countries,
                           lambda c: groups_of(c).income, order=INCOME_ORDER),
        by_organisation_type=breakdown(
            _("Participants by organisation type"), ((OrganisationType(kind).label, n) for kind, n in kinds.items()),
            order=[kind.label for kind in OrganisationType],
        ),
        by_gender=_gender(genders) if event.asks_gender else None,
        attendance=_attendance(session, event, participants),
        sessions=_session_fill(session, event),
    )


def _participant_groups(session: Session, event: Event) -> dict[tuple[str, OrganisationType, Gender | None], int]:
    """People with a place by country, organisation type and gender together: one scan, at most a few
    thousand groups, that every breakdown adds up from."""
    columns = (Registration.country, Registration.organisation_type, Registration.gender)
    return {(country, kind, gender): number for country, kind, gender, number in session.execute(
        sa.select(*columns, sa.func.count()).where(Registration.event_id == event.id, Registration.has_place)
        .group_by(*columns)
    ).tuples()}


def _grouped(title: str, countries: Counter[str], group_of, *, order: list[str] | None = None) -> Breakdown:
    counts: Counter[str] = Counter()
    for code, number in countries.items():
        counts[group_of(code)] += number
    return breakdown(title, counts.items(), order=order)


def _gender(counts: Counter[Gender | None]) -> Breakdown:
    return breakdown(
        _("Participants by gender"),
        [(gender.label, counts.get(gender, 0)) for gender in Gender] + [("Not answered", counts.get(None, 0))],
        order=[*(gender.label for gender in Gender), "Not answered"],
    )


# Where each registration stands, in the words of the issue: an application event's registrations are
# read through their application (reserve list, declined, withdrawn), an open event's through its status.
# Counted by these English words, translated when the breakdown is made (N_ marks them for the catalog).
_OPEN_EVENT_STATUSES = {
    RegistrationStatus.CONFIRMED: N_("Confirmed"),
    RegistrationStatus.WAITLISTED: N_("Waiting list"),
    RegistrationStatus.CANCELLED: N_("Cancelled"),
    RegistrationStatus.APPLIED: N_("Applied"),
}
_APPLICATION_STATUSES = {
    ApplicationStatus.SUBMITTED: N_("Applied"),
    ApplicationStatus.UNDER_REVIEW: N_("Applied"),
    ApplicationStatus.ACCEPTED: N_("Accepted"),
    ApplicationStatus.WAITLISTED: N_("Reserve list"),
    ApplicationStatus.DECLINED: N_("Declined"),
    ApplicationStatus.WITHDRAWN: N_("Withdrawn"),
    ApplicationStatus.LAPSED: N_("Acceptance lapsed"),
    ApplicationStatus.DUPLICATE: N_("Duplicate"),
}
STATUS_ORDER = ["Confirmed", "Accepted", "Applied", "Waiting list", "Reserve list", "Declined", "Withdrawn",
                "Acceptance lapsed", "Duplicate", "Cancelled"]


def _statuses_and_days(session: Session, event: Event) -> tuple[Breakdown, list[DayCount]]:
    """Every registration ever made by status (read through its application where it has one) and by the
    UTC day it was made: one pass, grouped by day and status, added up both ways. The days count every
    registration, whatever became of it: the cumulative line is how the interest grew."""
    day = sa.func.date(Registration.created_at)
    statuses: Counter[str] = Counter()
    per_day: Counter[date] = Counter()
    for made_on, status, decision, number in session.execute(
        sa.select(day, Registration.status, Application.status, sa.func.count())
        .outerjoin(Application, Application.registration_id == Registration.id)
        .where(Registration.event_id == event.id).group_by(day, Registration.status, Application.status)
    ).tuples():
        statuses[_status_label(status, decision)] += number
        per_day[made_on if isinstance(made_on, date) else date.fromisoformat(str(made_on))] += number
    days, running = [], 0
    for each_day in sorted(per_day):
        running += per_day[each_day]
        days.append(DayCount(each_day, per_day[each_day], running))
    title = _("Applications by status") if event.takes_applications else _("Registrations by status")
    return breakdown(title, statuses.items(), order=STATUS_ORDER), days


def _status_label(status: RegistrationStatus, decision: ApplicationStatus | None) -> str:
    if decision is None:
        return _OPEN_EVENT_STATUSES[status]
    # An accepted applicant who later cancelled has no place: the registration says so.
    if status is RegistrationStatus.CANCELLED and decision is ApplicationStatus.ACCEPTED:
        return "Cancelled"
    return _APPLICATION_STATUSES[decision]


def _attendance(session: Session, event: Event, participants: int) -> Attendance:
    placed = sa.and_(Registration.event_id == event.id, Registration.has_place)
    per_day = dict(session.execute(
        sa.select(CheckIn.day, sa.func.count(sa.distinct(CheckIn.registration_id)))
        .join(Registration).where(placed).group_by(CheckIn.day)
    ).tuples().all())
    attended = session.scalar(
        sa.select(sa.func.count(sa.distinct(CheckIn.registration_id))).join(Registration).where(placed)
    ) or 0
    certificates = session.scalar(
        sa.select(sa.func.count()).select_from(Certificate).join(Registration).where(placed)
    ) or 0
    return Attendance(participants, [(day, per_day.get(day, 0)) for day in event_days(event)], attended, certificates)


def _session_fill(session: Session, event: Event) -> list[SessionFill]:
    programme = list(session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ))
    if not programme:
        return []
    choices: Counter[tuple[int, ChoiceStatus]] = Counter()
    for session_id, status, number in session.execute(
        sa.select(SessionChoice.session_id, SessionChoice.status, sa.func.count())
        .join(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
        .group_by(SessionChoice.session_id, SessionChoice.status)
    ).tuples():
        choices[(session_id, status)] = number
    # By the sessions' ids (the index on session_id): only session check-ins are read, not the day's door ones.
    checked = dict(session.execute(
        sa.select(CheckIn.session_id, sa.func.count()).join(Registration)
        .where(CheckIn.session_id.in_([s.id for s in programme]), Registration.has_place).group_by(CheckIn.session_id)
    ).tuples().all())
    return [SessionFill(s, choices[(s.id, ChoiceStatus.CONFIRMED)], choices[(s.id, ChoiceStatus.WAITLISTED)],
                        checked.get(s.id, 0)) for s in programme]

