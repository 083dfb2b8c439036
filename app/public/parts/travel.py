"""Travel support on the application form of an application-mode event
(docs/features/applications.md).

Asked only where people apply: funded workshops select their participants, and the request
is part of what the organisers weigh. Open-registration events have no such form part.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.database import Session
from app.forms import CURRENCY_CHOICES
from app.models import Event, Registration
from app.public.forms import RegistrationForm
from app.public.parts.base import FormPart
from app.services.applications import travel_support
from app.services.errors import DomainError


def _amount_makes_sense(form: RegistrationForm, field: StringField) -> None:
    try:
        amount = travel_support.parse_amount(field.data, field="travel_amount")
    except DomainError as error:
        raise ValidationError(error.message) from None
    if amount is not None and not _wanted(form).anything:
        raise ValidationError(_("Tick what the support is for (flight, accommodation or per diem), or leave the amount "
                                "empty."))


def _known_currency(form: RegistrationForm, field: SelectField) -> None:
    if field.data not in travel_support.CURRENCY_CODES:
        raise ValidationError(_("Please choose a currency from the list."))


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


class TravelPart(FormPart):
    """Application-mode events only."""

    template = "public/_travel_support.html"

    @classmethod
    def for_event(cls, session: Session, event: Event) -> TravelPart | None:
        return cls() if event.takes_applications else None

    @staticmethod
    def add_fields(form_class: type[RegistrationForm], shape) -> None:
        form_class.travel_flight = BooleanField(_l("Flight"))
        form_class.travel_accommodation = BooleanField(_l("Accommodation"))
        form_class.travel_per_diem = BooleanField(_l("Per diem (daily allowance)"))
        form_class.travel_amount = StringField(
            _l("Estimated amount (optional)"), validators=[Optional(), Length(max=20)],
            description=_l("Your best estimate of the costs you ask us to cover, e.g. 1200."),
        )
        form_class.travel_currency = SelectField(_l("Currency"), choices=CURRENCY_CHOICES, default="USD")
        form_class.validate_travel_amount = _amount_makes_sense
        form_class.validate_travel_currency = _known_currency

    def save(self, session: Session, registration: Registration, form: RegistrationForm, *, now: datetime) -> None:
        travel_support.save_request(session, registration, _wanted(form), now=now)
