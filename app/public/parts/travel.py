"""Travel support on the application form of an application-mode event
(docs/features/applications.md).

Asked only where people apply: funded workshops select their participants, and the request
is part of what the organisers weigh. Open-registration events have no such form part.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.models import Event, Registration, utcnow
from app.public.form_parts import FormPart, register_part
from app.public.forms import RegistrationForm
from app.services.applications import travel_support
from app.services.errors import DomainError

CURRENCY_CHOICES = list(travel_support.CURRENCIES)


def add_travel_fields(form_class: type[RegistrationForm], event: Event) -> bool:
    if not event.takes_applications:
        return False
    form_class.travel_flight = BooleanField("Flight")
    form_class.travel_accommodation = BooleanField("Accommodation")
    form_class.travel_per_diem = BooleanField("Per diem (daily allowance)")
    form_class.travel_amount = StringField(
        "Estimated amount (optional)", validators=[Optional(), Length(max=20)],
        description="Your best estimate of the costs you ask us to cover, e.g. 1200.",
    )
    form_class.travel_currency = SelectField("Currency", choices=CURRENCY_CHOICES, default="USD")
    form_class.validate_travel_amount = _amount_makes_sense
    form_class.validate_travel_currency = _known_currency
    return True


def _amount_makes_sense(form: RegistrationForm, field: StringField) -> None:
    try:
        amount = travel_support.parse_amount(field.data, field="travel_amount")
    except DomainError as error:
        raise ValidationError(error.message) from None
    if amount is not None and not _wanted(form).anything:
        raise ValidationError("Tick what the support is for (flight, accommodation or per diem), or leave the amount empty.")


def _known_currency(form: RegistrationForm, field: SelectField) -> None:
    if field.data not in travel_support.CURRENCY_CODES:
        raise ValidationError("Please choose a currency from the list.")


def _wanted(form: RegistrationForm) -> travel_support.SupportWanted:
    try:
        amount = travel_support.parse_amount(form.travel_amount.data, field="travel_amount")
    except DomainError:
        amount = None
    return travel_support.SupportWanted(
        flight=bool(form.travel_flight.data),
        accommodation=bool(form.travel_accommodation.data),
        per_diem=bool(form.travel_per_diem.data),
        estimated_amount=amount,
        currency=form.travel_currency.data or "USD",
    )


def save_travel_request(session: Session, registration: Registration, form: RegistrationForm, event: Event) -> None:
    travel_support.save_request(session, registration, _wanted(form), now=utcnow())


register_part(FormPart(
    name="travel",
    template="public/_travel_support.html",
    add_fields=add_travel_fields,
    save=save_travel_request,
))
