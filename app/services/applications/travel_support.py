"""Travel support: what an applicant asks for, and what the organisers grant. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache

import pycountry
import sqlalchemy as sa
from babel.numbers import get_currency_name
from flask_babel import gettext as _

from app.database import Session
from app.models import Registration, RegistrationStatus, TravelDecision, TravelSupportRequest, User
from app.services.errors import DomainError
from app.services.mail import notifications
from app.services.registration.locking import lock_event

# The currencies people are most likely to quote come first; then every currency in circulation.
_COMMON = ("USD", "EUR", "KRW")
# ISO 4217 also lists what nobody is paid in: precious metals, units of account, the testing and
# "no currency" codes (X..), and funds codes. The X codes of real money stay: CFA francs, the East
# Caribbean dollar, the Caribbean guilder and the CFP franc.
_REAL_X_CODES = {"XAF", "XOF", "XCD", "XCG", "XPF"}
_FUNDS_CODES = {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "USS", "UYI", "UYW"}
_ALL = {
    c.alpha_3: c.name for c in pycountry.currencies
    if (not c.alpha_3.startswith("X") or c.alpha_3 in _REAL_X_CODES) and c.alpha_3 not in _FUNDS_CODES
}
CURRENCIES: tuple[tuple[str, str], ...] = tuple(
    [(code, f"{code} – {_ALL[code]}") for code in _COMMON]
    + sorted((code, f"{code} – {name}") for code, name in _ALL.items() if code not in _COMMON)
)
CURRENCY_CODES = frozenset(_ALL)


@cache
def currencies_in(language: str) -> tuple[tuple[str, str], ...]:
    """CURRENCIES with the names in `language` ("USD – 미국 달러"), in the same order; English names where the
    CLDR has none in that language."""
    if language == "en":
        return CURRENCIES
    return tuple((code, f"{code} – {_localised_name(code, language)}") for code, _label in CURRENCIES)


def _localised_name(code: str, language: str) -> str:
    name = get_currency_name(code, locale=language)
    return _ALL[code] if name == code else name
MAX_AMOUNT = Decimal("1000000")


@dataclass(frozen=True)
class SupportWanted:
    flight: bool = False
    accommodation: bool = False
    per_diem: bool = False
    estimated_amount: Decimal | None = None
    currency: str = "USD"

    @property
    def anything(self) -> bool:
        return self.flight or self.accommodation or self.per_diem


def parse_amount(text: str | None, *, field: str, limit: Decimal = MAX_AMOUNT) -> Decimal | None:
    """'1,250.50' -> Decimal('1250.50'); empty -> None; anything else is refused next to the field."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise DomainError(_("Enter an amount in figures, e.g. 1200 or 1200.50."), field=field) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("The amount cannot be negative."), field=field)
    if amount >= limit:
        raise DomainError(_("That amount is too large. Please check it."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Use at most two decimal places."), field=field)
    return amount.quantize(Decimal("0.01"))


def save_request(session: Session, registration: Registration, wanted: SupportWanted, *, now: datetime) -> None:
    """Store (or replace) the request made with an application; no request when nothing is asked for."""
    if wanted.currency not in CURRENCY_CODES:
        raise DomainError(_("Please choose a currency from the list."), field="travel_currency")
    request = session.scalar(sa.select(TravelSupportRequest).where(TravelSupportRequest.registration_id == registration.id))
    if not wanted.anything:
        if request is not None and request.decision is TravelDecision.PENDING:
            session.delete(request)
            session.flush()
        return
    if request is None:
        request = TravelSupportRequest(registration_id=registration.id, created_at=now)
        session.add(request)
    request.wants_flight = wanted.flight
    request.wants_accommodation = wanted.accommodation
    request.wants_per_diem = wanted.per_diem
    request.estimated_amount = wanted.estimated_amount
    request.estimated_currency = wanted.currency
    request.updated_at = now
    session.flush()


def check_decision(decision: TravelDecision, granted_amount: Decimal | None, granted_currency: str, note: str) -> str:
    """Refuse a decision that does not hold together (for one applicant or a whole selection); the note, trimmed."""
    note = note.strip()
    if len(note) > 1000:
        raise DomainError(_("The note can be at most 1,000 characters long."), field="note")
    if decision in (TravelDecision.GRANTED, TravelDecision.PARTLY):
        if granted_amount is None or granted_amount <= 0:
            raise DomainError(_("Enter the amount granted."), field="granted_amount")
        if granted_currency not in CURRENCY_CODES:
            raise DomainError(_("Please choose a currency from the list."), field="granted_currency")
    elif granted_amount:
        raise DomainError(_("Leave the amount empty when the decision is “%(decision)s”.", decision=decision.label),
                          field="granted_amount")
    return note


def decide(
    session: Session,
    registration_id: int,
    *,
    decision: TravelDecision,
    granted_amount: Decimal | None,
    granted_currency: str,
    note: str,
    actor: User,
    now: datetime,
) -> TravelSupportRequest:
    """Record the organisers' decision. An applicant learns it with the acceptance email; someone
    accepted already is emailed the decision now."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    lock_event(session, registration.event_id)  # grants are money: no two organisers half-overwriting each other
    request = session.scalar(sa.select(TravelSupportRequest).where(TravelSupportRequest.registration_id == registration.id))
    if request is None:
        raise DomainError(_("%(name)s did not ask for travel support.", name=registration.full_name))
    note = check_decision(decision, granted_amount, granted_currency, note)
    if decision in (TravelDecision.GRANTED, TravelDecision.PARTLY):
        request.granted_amount = granted_amount
        request.granted_currency = granted_currency
    else:
        request.granted_amount = None
    told_before = (request.decision, request.granted_amount, request.granted_currency, request.note)
    request.decision = decision
    request.note = note
    if decision is TravelDecision.PENDING:
        request.decided_at, request.decided_by_id = None, None
    else:
        request.decided_at, request.decided_by_id = now, actor.id
    request.updated_at = now
    session.flush()
    # Accepted people were told "still being considered" (or an earlier decision): they hear
    # of the decision now. Others learn it with their acceptance email.
    changed = told_before != (request.decision, request.granted_amount, request.granted_currency, request.note)
    if (changed and decision is not TravelDecision.PENDING
            and registration.status is RegistrationStatus.CONFIRMED):
        notifications.queue(session, registration, "travel_support_decided")
    return request

