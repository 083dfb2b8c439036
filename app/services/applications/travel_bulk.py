"""One travel-support decision for a whole selection of applicants (the same amount for each), with what it
does to the budget. Each applicant's decision goes through travel_support.decide, so the rules and the
emails are the single decision's."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import Event, Registration, RegistrationStatus, TravelDecision, TravelSupportRequest, User
from app.services.applications import travel_support
from app.services.applications.travel_budget import GRANTED, TravelBudget, budget_of, counted_grant
from app.services.errors import DomainError
from app.services.registration.locking import lock_event


@dataclass(frozen=True)
class TravelPlan:
    to_decide: list[TravelSupportRequest]
    without_request: list[Registration] = field(default_factory=list)  # asked for nothing: left out
    budget_after: TravelBudget | None = None
    emails: int = 0  # accepted people whose decision changes hear of it now; the others with their acceptance


def plan(session: Session, event: Event, registration_ids: Collection[int], *, decision: TravelDecision,
         granted_amount: Decimal | None, granted_currency: str, note: str) -> TravelPlan:
    """What the decision would do, changing nothing; refused as the single decision would be."""
    travel_support.check_decision(decision, granted_amount, granted_currency, note)
    ids = set(registration_ids)
    if not ids:
        raise DomainError(_("Select at least one application first."))
    registrations = list(session.scalars(
        sa.select(Registration).where(Registration.event_id == event.id, Registration.id.in_(ids))
        .options(selectinload(Registration.travel_support))
        .order_by(Registration.sort_name, Registration.id)
    ))
    if len(registrations) != len(ids):
        raise DomainError(_("Some of the selected applications do not belong to this event any more. "
                            "Reload the list and select again."))
    requests = [r.travel_support for r in registrations if r.travel_support is not None]
    if not requests:
        raise DomainError(_("None of the selected applicants asked for travel support."))
    note = note.strip()
    granted = decision in GRANTED
    changes: dict[str, Decimal] = {}
    emails = 0
    for request in requests:
        after = (decision, granted_amount if granted else None,
                 granted_currency if granted else request.granted_currency, note)
        if (request.registration.status is RegistrationStatus.CONFIRMED
                and after != (request.decision, request.granted_amount, request.granted_currency, request.note)):
            emails += 1  # travel_support.decide's rule: only a change is emailed
        before = counted_grant(request)
        if before:
            changes[before[0]] = changes.get(before[0], Decimal("0")) - before[1]
        if (granted and granted_amount is not None
                and request.registration.status is not RegistrationStatus.CANCELLED):
            changes[granted_currency] = changes.get(granted_currency, Decimal("0")) + granted_amount
    return TravelPlan(requests, [r for r in registrations if r.travel_support is None],
                      budget_of(session, event).after(changes), emails)


def decide(session: Session, event_id: int, registration_ids: Collection[int], *, decision: TravelDecision,
           granted_amount: Decimal | None, granted_currency: str, note: str, actor: User,
           now: datetime) -> TravelPlan:
    """Decide for every selected applicant who asked; all of them or, on a refusal, none (the caller rolls back)."""
    event = lock_event(session, event_id)
    planned = plan(session, event, registration_ids, decision=decision, granted_amount=granted_amount,
                   granted_currency=granted_currency, note=note)
    for request in planned.to_decide:
        travel_support.decide(session, request.registration_id, decision=decision, granted_amount=granted_amount,
                              granted_currency=granted_currency, note=note, actor=actor, now=now)
    return planned
