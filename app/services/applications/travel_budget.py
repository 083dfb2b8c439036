"""An event's travel-support budget and what has been granted against it, by currency.

The budget warns, it never stops a decision: committees sometimes go over knowingly and find the
money elsewhere. Grants in another currency than the budget's are listed beside it, not converted
(no exchange rate here would be the finance office's rate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import Event, Registration, RegistrationStatus, TravelDecision, TravelSupportRequest
from app.models.applications import money_text
from app.services.applications.travel_support import CURRENCY_CODES, parse_amount
from app.services.errors import DomainError

GRANTED = (TravelDecision.GRANTED, TravelDecision.PARTLY)


@dataclass(frozen=True)
class TravelBudget:
    amount: Decimal | None  # None: the event has no budget
    currency: str
    granted: Mapping[str, Decimal] = field(default_factory=dict)  # by currency, biggest first

    @property
    def spent(self) -> Decimal:
        """Granted in the budget's currency."""
        return self.granted.get(self.currency, Decimal("0"))

    @property
    def left(self) -> Decimal | None:
        return None if self.amount is None else self.amount - self.spent

    @property
    def exceeded(self) -> bool:
        return self.amount is not None and self.spent > self.amount

    @property
    def other_currencies(self) -> list[str]:
        """Grants in other currencies, in words: listed beside the budget, not counted against it."""
        return [money_text(amount, currency) for currency, amount in self.granted.items() if currency != self.currency]

    @property
    def granted_texts(self) -> list[str]:
        return [money_text(amount, currency) for currency, amount in self.granted.items()]

    def text(self, amount: Decimal | None) -> str:
        return money_text(amount, self.currency)

    def after(self, changes: Mapping[str, Decimal]) -> TravelBudget:
        """The same budget with these amounts added to (or, negative, taken from) the grants."""
        granted = dict(self.granted)
        for currency, change in changes.items():
            granted[currency] = granted.get(currency, Decimal("0")) + change
        return TravelBudget(self.amount, self.currency, _ordered({c: a for c, a in granted.items() if a}))


def budget_of(session: Session, event: Event) -> TravelBudget:
    """The budget and the running total of grants by currency: one grouped query.

    Grants to people who withdrew or were declined no longer count: the money is free again."""
    rows = session.execute(
        sa.select(TravelSupportRequest.granted_currency, sa.func.sum(TravelSupportRequest.granted_amount))
        .join(Registration, Registration.id == TravelSupportRequest.registration_id)
        .where(Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED,
               TravelSupportRequest.decision.in_(GRANTED), TravelSupportRequest.granted_amount.is_not(None))
        .group_by(TravelSupportRequest.granted_currency)
    ).tuples().all()
    return TravelBudget(event.travel_budget_amount, event.travel_budget_currency,
                        _ordered({currency: Decimal(total) for currency, total in rows if total}))


def counted_grant(request: TravelSupportRequest) -> tuple[str, Decimal] | None:
    """What this request adds to the running total now (budget_of's rule, for one request)."""
    if (request.decision in GRANTED and request.granted_amount is not None
            and request.registration.status is not RegistrationStatus.CANCELLED):
        return request.granted_currency, request.granted_amount
    return None


BUDGET_LIMIT = Decimal("10000000000")  # what the column holds (12 digits, 2 after the point)


def set_budget(session: Session, event: Event, *, amount_text: str, currency: str) -> None:
    """Set or (no amount) remove the budget; amounts are written as for a grant, e.g. 20000 or 20,000.00.
    Callers commit."""
    amount = parse_amount(amount_text, field="amount", limit=BUDGET_LIMIT)
    if currency not in CURRENCY_CODES:
        raise DomainError(_("Please choose a currency from the list."), field="currency")
    event.travel_budget_amount = amount
    event.travel_budget_currency = currency
    session.flush()


def _ordered(granted: Mapping[str, Decimal]) -> dict[str, Decimal]:
    return dict(sorted(granted.items(), key=lambda item: (-item[1], item[0])))
