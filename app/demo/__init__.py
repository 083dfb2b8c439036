"""Demo data for a fresh database: `flask --app wsgi seed-demo` (and `make run`).

Everything is generated from a fixed seed and dated relative to `now`, so every run looks
alike and the events are always in the right state: one workshop with few places left, one
full with a waiting list, one not yet open, the forum open and its last edition finished.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter, deque
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.demo import applications as demo_applications
from app.demo import audit as demo_audit
from app.demo import checkins as demo_checkins
from app.demo import corrections as demo_corrections
from app.demo import documents as demo_documents
from app.demo import events as demo_events
from app.demo import messages as demo_messages
from app.demo import privacy as demo_privacy
from app.demo import questions as demo_questions
from app.demo import series as demo_series
from app.demo import statistics as demo_statistics
from app.demo import teams as demo_teams
from app.demo.people import COUNTRIES, demo_reference, invent_people, with_names_as_written
from app.models import Event, Registration, RegistrationStatus, TeamMember, TeamRole, User
from app.models import OrganisationType as Org
from app.services.audit.actors import SYSTEM, acting_as
from app.services.errors import DomainError
from app.services.people.users import create_user

DEMO_EMAIL = "demo@wtanet.org"
DEMO_PASSWORD = "demo-organiser-2026"


def login_line(login_url: str) -> str:
    """What `make run` prints; login_url comes from APP_BASE_URL, which the Makefile sets from HOST and PORT."""
    return f"Demo organiser: {DEMO_EMAIL} / {DEMO_PASSWORD} (sign in at {login_url})"


WORKSHOP_COUNTRIES = ["VN", "KE", "BR", "ID", "TH", "MN", "UZ", "ET", "RW", "TZ", "UG", "NG", "GH", "SN", "CI",
                      "CO", "PE", "MX", "LK", "NP", "BD", "EG", "MA", "TN", "KZ", "MY", "OM", "IN"]
WORKSHOP_TYPES = {Org.SCIENCE_PARK: 35, Org.INCUBATOR: 30, Org.UNIVERSITY: 15, Org.GOVERNMENT: 15,
                  Org.INTERNATIONAL: 3, Org.OTHER: 2}
FORUM_TYPES = {Org.SCIENCE_PARK: 20, Org.INCUBATOR: 15, Org.UNIVERSITY: 25, Org.GOVERNMENT: 15,
               Org.COMPANY: 20, Org.INTERNATIONAL: 3, Org.OTHER: 2}


def seed(session: Session, *, now: datetime, login_url: str, if_empty: bool = False) -> str:
    """Fill an empty database with demo events, registrations and an organiser; returns a summary."""
    if _has_data(session):
        if not if_empty:
            raise DomainError(_("The database already has data; seed-demo only fills an empty database."))
        demo_user = session.scalar(sa.select(User.id).where(User.email == DEMO_EMAIL))
        return "The database already has data, so no demo data was loaded.\n" + (
            login_line(login_url) if demo_user else "Create an organiser with: flask --app wsgi user create EMAIL --admin"
        )

    # Loading the demo is not a string of decisions: the rows it creates are not logged one by one.
    with acting_as(dataclasses.replace(SYSTEM, label="Demo data", logs_new_rows=False)):
        return _seed(session, now=now, login_url=login_url)


def _seed(session: Session, *, now: datetime, login_url: str) -> str:
    rng = random.Random(2026)
    organiser = create_user(session, DEMO_EMAIL, DEMO_PASSWORD, name="Demo Organiser", is_admin=True)
    itw, national, regional = demo_events.workshops(now)
    forum, past_forum = demo_events.forums(now)
    older_forums = demo_series.older_forum_editions(past_forum)
    events = demo_events.published([itw, national, regional, forum, past_forum, *older_forums], now)
    for event in events:
        event.team.append(TeamMember(user=organiser, role=TeamRole.MANAGER))
    session.add_all(events)

    international = rng.sample(WORKSHOP_COUNTRIES, 17)
    everyone = sorted(COUNTRIES)
    forum_countries = ["KR"] * len(everyone) + everyone  # about half the forum comes from Korea
    plans = [
        # event, who, how many register, how many of them cancel later
        (itw, invent_people(rng, international, 49, type_weights=WORKSHOP_TYPES, visa_share=0.8), 3),
        (national, invent_people(rng, ["VN"], 38, type_weights=WORKSHOP_TYPES, home="VN"), 2),
        (forum, with_names_as_written(invent_people(rng, forum_countries, 160, type_weights=FORUM_TYPES,
                                                    visa_share=0.4)), 6),
        (past_forum, invent_people(rng, forum_countries, 240, type_weights=FORUM_TYPES, visa_share=0.4), 12),
    ] + [
        (older, invent_people(rng, forum_countries, rng.randrange(60, 110), type_weights=FORUM_TYPES), 3)
        for older in older_forums
    ]
    references: set[str] = set()
    registrations = []
    for event, people, cancellations in plans:
        window_end = min(event.registration_closes_at, now)
        registrations += _history(rng, event, people, cancellations, window_end, references)
    session.add_all(registrations)
    session.flush()
    # Each feature adds its demo data below, one call per line, each in its own demo_*.py module.
    demo_series.add_series(session, forums=[forum, past_forum, *older_forums], itw=itw,
                           registrations=registrations)
    demo_statistics.add_statistics_data([itw, forum, past_forum], [forum, past_forum, *older_forums], registrations,
                                        rng=random.Random(15))
    demo_checkins.add_check_ins(session, events, registrations, now=now, by=organiser)
    demo_questions.add_questions(session, events, registrations, now=now)
    demo_applications.add_applications(session, events, registrations, now=now, by=organiser)
    demo_documents.add_documents(session, events, registrations, now=now, by=organiser)
    demo_messages.add_messages(session, forum, now=now, by=organiser)
    demo_teams.add_teams(session, events, password=DEMO_PASSWORD)
    demo_corrections.add_corrections(session, forum, now=now, by=organiser)
    demo_audit.add_changes(session, events, registrations, by=organiser)
    session.flush()  # inside the demo's actor: what is still pending is demo data too
    demo_privacy.add_privacy(session, forum, registrations, now=now)
    return _summary(events, registrations, login_url)


def _has_data(session: Session) -> bool:
    return bool(session.scalar(sa.select(sa.exists().where(Event.id.isnot(None))))
                or session.scalar(sa.select(sa.exists().where(User.id.isnot(None)))))


def _history(rng: random.Random, event: Event, people: list, cancellations: int, window_end: datetime,
             references: set[str]) -> list[Registration]:
    """Replay registrations and cancellations in time order, with the rules of the real service:
    confirmed while places remain, then the waiting list; a freed place goes to the first in line."""
    span = (window_end - event.registration_opens_at).total_seconds()
    arrivals = sorted(event.registration_opens_at + timedelta(seconds=rng.uniform(0, span)) for _ in people)
    registrations = [
        Registration(
            event=event,
            reference=demo_reference(rng, event.code, references),
            consent_at=at,
            created_at=at,
            updated_at=at,
            **dataclasses.asdict(person),
        )
        for person, at in zip(people, arrivals, strict=True)
    ]
    steps = [(at, 0, i) for i, at in enumerate(arrivals)]
    for i in rng.sample(range(len(people)), cancellations):
        steps.append((arrivals[i] + (window_end - arrivals[i]) * rng.uniform(0.1, 0.9), 1, i))

    confirmed, waiting = 0, deque[Registration]()
    for at, is_cancellation, i in sorted(steps):
        registration = registrations[i]
        registration.updated_at = at
        if not is_cancellation:
            if event.capacity is None or confirmed < event.capacity:
                registration.status, registration.confirmed_at = RegistrationStatus.CONFIRMED, at
                confirmed += 1
            else:
                registration.status, registration.waitlisted_at = RegistrationStatus.WAITLISTED, at
                waiting.append(registration)
            continue
        if registration.status is RegistrationStatus.CONFIRMED:
            confirmed -= 1
            if waiting:
                promoted = waiting.popleft()
                promoted.status, promoted.confirmed_at, promoted.updated_at = RegistrationStatus.CONFIRMED, at, at
                confirmed += 1
        else:
            waiting.remove(registration)
        registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, at
    return registrations


def _summary(events: list[Event], registrations: list[Registration], login_url: str) -> str:
    by_event: dict[int, Counter] = {event.id: Counter() for event in events}
    for registration in registrations:
        by_event[registration.event.id][registration.status] += 1
    totals = Counter(registration.status for registration in registrations)
    countries = {registration.country for registration in registrations}
    lines = ["Demo data loaded into this local database (the password below is for the demo only):"]
    for event in events:
        counts = by_event[event.id]
        lines.append(
            f"  {event.title}: {counts[RegistrationStatus.CONFIRMED]} confirmed of {event.capacity}, "
            f"{counts[RegistrationStatus.WAITLISTED]} waiting, {counts[RegistrationStatus.CANCELLED]} cancelled"
        )
    lines.append(
        f"{len(events)} events, {len(registrations)} registrations from {len(countries)} countries "
        f"({totals[RegistrationStatus.CONFIRMED]} confirmed, {totals[RegistrationStatus.WAITLISTED]} waiting, "
        f"{totals[RegistrationStatus.CANCELLED]} cancelled); no emails were queued for them."
    )
    lines.append(login_line(login_url))
    return "\n".join(lines)
