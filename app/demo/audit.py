"""Demo lines in the audit log: a few corrections by the demo organiser and by a participant, and a look at the
passport data, so the Log pages have something to show. The rest of the demo is created without log lines
(as data loaded, not decisions taken)."""

from __future__ import annotations

from app.database import Session
from app.models import Event, Registration, RegistrationStatus, User
from app.services.audit.actors import PARTICIPANT, acting_as
from app.services.audit.recorder import record


def add_changes(session: Session, events: list[Event], registrations: list[Registration], *, by: User) -> None:
    for event in events[:4]:  # the current events: two workshops and the forum
        people = [r for r in registrations if r.event is event and r.status is RegistrationStatus.CONFIRMED][:3]
        if len(people) < 3:
            continue
        first, second, third = people
        with acting_as(by):
            first.dietary_needs = "Vegetarian, no nuts"
            second.accessibility_needs = "Step-free access to the venue"
            session.flush()
            visa = [r.reference for r in registrations if r.event is event and r.needs_visa_letter][:5]
            if visa:
                record(session, "passport data viewed", event_id=event.id, object_type="visa_requests",
                       details={"people": visa})
        with acting_as(PARTICIPANT):
            third.phone = "+82 42 868 0000"
            session.flush()
