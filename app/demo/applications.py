"""Demo data for applications and selection: the international workshop selects its participants.

Its registrations become applications: those who got a place are accepted, the cancelled ones
withdrew. About two dozen later applicants from more countries wait for a decision, are under
review or were declined, so the selection pages show every state. Some carry scores by the demo
organiser and travel-support requests, decided for most accepted people. No emails are queued.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta
from decimal import Decimal

from app.database import Session
from app.demo.people import COUNTRIES as DEMO_COUNTRIES
from app.demo.people import demo_reference, invent_people
from app.models import (
    Application,
    ApplicationStatus,
    Event,
    EventKind,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Review,
    TravelDecision,
    TravelSupportRequest,
    User,
)
from app.models import OrganisationType as Org

LATE_TYPES = {Org.SCIENCE_PARK: 40, Org.INCUBATOR: 35, Org.UNIVERSITY: 15, Org.GOVERNMENT: 10}
NOTES = [
    "Clear case, relevant to the programme.",
    "Good fit: runs an incubator with university partners.",
    "Case description is short; ask for more detail.",
    "Strong motivation, new park in planning.",
    "",
]


def add_applications(session: Session, events: list[Event], registrations: list[Registration], *, now: datetime,
                     by: User) -> None:
    rng = random.Random(55)
    workshop = next(e for e in events if e.kind is EventKind.INTERNATIONAL_WORKSHOP and e.starts_at > now)
    workshop.registration_mode = RegistrationMode.APPLICATION
    workshop.travel_budget_amount = Decimal("25000")  # the list and selection pages show the running total
    theirs = [r for r in registrations if r.event is workshop]
    taken = {r.reference for r in registrations}
    present = sorted({r.country for r in theirs})
    # A few countries new to the workshop, so the overview by country has something to weigh.
    new = [code for code in sorted(DEMO_COUNTRIES) if code != "KR" and code not in present][:4]
    late = _late_applicants(rng, workshop, new + rng.sample(present, 4), taken, now)
    session.add_all(late)
    session.flush()

    for registration in theirs + late:
        application = Application(registration=registration, submitted_at=registration.created_at,
                                  status=_state(rng, registration, late=registration in late))
        if application.status is ApplicationStatus.ACCEPTED:
            application.decided_at = registration.confirmed_at
            application.decided_by_id = by.id
        elif application.status is ApplicationStatus.WITHDRAWN:
            application.withdrawn_at = registration.cancelled_at
        elif application.status is ApplicationStatus.DECLINED:
            application.decided_at, application.decided_by_id = registration.cancelled_at, by.id
        session.add(application)
        if application.status is not ApplicationStatus.SUBMITTED and rng.random() < 0.7:
            session.add(Review(application=application, reviewer_id=by.id, score=rng.choice([2, 3, 3, 4, 4, 5]),
                               notes=rng.choice(NOTES), created_at=now, updated_at=now))
        if rng.random() < 0.45:
            session.add(_travel_request(rng, registration, application.status, by, now))
    session.flush()
    _end_of_selection(session, workshop, theirs + late, now=now)


def _end_of_selection(session: Session, workshop: Event, registrations: list[Registration], *, now: datetime) -> None:
    """Accepted people confirming they come (some overdue), a lapsed acceptance, a marked duplicate and a pair of
    likely duplicates, so the confirmation pages and the duplicate flags have something to show."""
    workshop.confirm_within_days = 14
    applications = [r.application for r in registrations if r.application is not None]
    accepted = [a for a in applications if a.status is ApplicationStatus.ACCEPTED]
    for n, application in enumerate(accepted):
        decided = application.decided_at or now
        application.confirm_by = workshop.confirmation_deadline(decided)
        if n % 3 != 2:
            application.attendance_confirmed_at = min(decided + timedelta(days=2), now)
        elif application.confirm_by is not None and application.confirm_by > now and n < 6:
            application.confirm_by = now - timedelta(days=1)  # overdue: its place can be released
    declined = [a for a in applications if a.status is ApplicationStatus.DECLINED]
    waiting = [a for a in applications if a.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)]
    if len(declined) >= 3 and len(waiting) >= 3:
        lapsed, duplicate = declined[0], declined[1]
        lapsed.status, lapsed.confirm_by = ApplicationStatus.LAPSED, lapsed.decided_at
        kept = waiting[0].registration
        duplicate.status, duplicate.duplicate_of_id = ApplicationStatus.DUPLICATE, kept.id
        duplicate.registration.given_name, duplicate.registration.family_name = kept.given_name, kept.family_name
        duplicate.registration.organisation = kept.organisation
        # Two open applications with one phone number written two ways: flagged as likely duplicates.
        waiting[1].registration.phone, waiting[2].registration.phone = "+82 42 555 0199", "+82-42-555-0199"
    session.flush()


def _state(rng: random.Random, registration: Registration, *, late: bool) -> ApplicationStatus:
    """Existing places stay places (the rule the rest of the demo relies on); late applicants vary."""
    if registration.status is RegistrationStatus.CONFIRMED:
        return ApplicationStatus.ACCEPTED
    if registration.status is RegistrationStatus.CANCELLED:
        return ApplicationStatus.DECLINED if late else ApplicationStatus.WITHDRAWN
    if registration.status is RegistrationStatus.WAITLISTED:
        registration.status = RegistrationStatus.APPLIED  # the reserve list, not the automatic waiting list
        return ApplicationStatus.WAITLISTED
    return rng.choice([ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WAITLISTED])


def _late_applicants(rng: random.Random, workshop: Event, countries: list[str], taken: set[str], now: datetime
                     ) -> list[Registration]:
    people = invent_people(rng, countries, 24, type_weights=LATE_TYPES, visa_share=0.8)
    start = max(workshop.registration_opens_at, now - timedelta(days=10))
    late = []
    for n, person in enumerate(people):
        at = start + (now - start) * rng.uniform(0.05, 0.95)
        declined = n % 6 == 5
        late.append(Registration(
            event=workshop,
            reference=demo_reference(rng, workshop.code, taken),
            status=RegistrationStatus.CANCELLED if declined else RegistrationStatus.APPLIED,
            consent_at=at, created_at=at, updated_at=at, cancelled_at=at + timedelta(days=1) if declined else None,
            **(dataclasses.asdict(person) | {"email": f"late.{n}.{person.email}"}),
        ))
    return late


def _travel_request(rng: random.Random, registration: Registration, status: ApplicationStatus, by: User,
                    now: datetime) -> TravelSupportRequest:
    estimate = Decimal(rng.randrange(600, 2400, 50))
    request = TravelSupportRequest(
        registration=registration, wants_flight=True, wants_accommodation=rng.random() < 0.6,
        wants_per_diem=rng.random() < 0.4, estimated_amount=estimate, estimated_currency="USD",
        created_at=registration.created_at, updated_at=registration.created_at,
    )
    if status is ApplicationStatus.ACCEPTED and rng.random() < 0.8:
        request.decision = rng.choice([TravelDecision.GRANTED, TravelDecision.GRANTED, TravelDecision.PARTLY,
                                       TravelDecision.DECLINED])
        if request.decision is TravelDecision.GRANTED:
            request.granted_amount, request.granted_currency = estimate, "USD"
        elif request.decision is TravelDecision.PARTLY:
            request.granted_amount, request.granted_currency = (estimate / 2).quantize(Decimal("1")), "USD"
            request.note = "Flight only; accommodation is on your organisation."
        request.decided_at, request.decided_by_id = now, by.id
    return request
