"""Visa invitation letter on the registration form: passport details, asked for only when a letter is wanted."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Regexp, StopValidation, ValidationError

from app.database import Session
from app.forms import DATE_HINT, TypedDateInput, known_country
from app.models import Event, Registration
from app.public.forms import COUNTRY_CHOICES, PrerenderedSelect, RegistrationForm
from app.public.parts.base import FormPart
from app.services.documents import visa_letters


def _only_when_requested(message: str):
    """Required when the visa letter box is ticked; otherwise whatever was typed is ignored."""

    def check(form: RegistrationForm, field) -> None:
        if not form.needs_visa_letter.data:
            field.errors[:] = []
            field.data = None
            raise StopValidation()
        if field.process_errors:  # not a date written as YYYY-MM-DD
            field.errors[:] = []
            raise StopValidation(DATE_HINT)
        if not field.data:
            raise StopValidation(message)

    return check


def _passport_number(form: RegistrationForm, field) -> None:
    if field.data:
        field.data = "".join(field.data.split()).upper()


# Built once at import, like the form's own fields: the nationality list's 250 options are rendered
# a single time by its PrerenderedSelect, not on every showing of the registration page.
VISA_FIELDS = {
    "visa_passport_name": StringField(
        _l("Full name as in your passport"),
        validators=[_only_when_requested(_l("Please enter your name exactly as in your passport.")), Length(max=200)],
        description=_l("Exactly as printed on the passport's photo page, all names included."),
    ),
    "visa_nationality": SelectField(
        _l("Nationality"), choices=COUNTRY_CHOICES, validate_choice=False, widget=PrerenderedSelect(),
        validators=[_only_when_requested(_l("Please choose your nationality.")), known_country],
    ),
    "visa_date_of_birth": DateField(
        _l("Date of birth"), validators=[_only_when_requested(_l("Please enter your date of birth."))],
        description=DATE_HINT, widget=TypedDateInput(),
    ),
    "visa_passport_number": StringField(
        _l("Passport number"),
        validators=[
            _only_when_requested(_l("Please enter your passport number.")), _passport_number,
            Regexp(r"^[A-Z0-9]{5,20}$", message=_l("A passport number has 5 to 20 letters and digits.")),
        ],
    ),
    "visa_passport_expiry": DateField(
        _l("Passport valid until"), validators=[_only_when_requested(_l("Please enter your passport's expiry date."))],
        description=_l("Your passport must still be valid after the event. Write the date as YYYY-MM-DD, "
                       "e.g. 2031-04-23."),
        widget=TypedDateInput(),
    ),
}


def _validate_visa_date_of_birth(form: RegistrationForm, field) -> None:
    problem = visa_letters.birth_date_problem(form.event, field.data)
    if problem:
        raise ValidationError(problem)


def _validate_visa_passport_expiry(form: RegistrationForm, field) -> None:
    problem = visa_letters.expiry_problem(form.event, field.data)
    if problem:
        raise ValidationError(problem)


class VisaPart(FormPart):
    """Every event: anyone may need a letter. Its fields are shown right after their tick box."""

    template = "public/_visa_request.html"

    @classmethod
    def for_event(cls, session: Session, event: Event) -> VisaPart:
        return cls()

    @staticmethod
    def add_fields(form_class: type[RegistrationForm], shape) -> None:
        for name, field in VISA_FIELDS.items():
            setattr(form_class, name, field)
        # Inline validators run after the field's own chain, which stops first when no letter is asked for.
        form_class.validate_visa_date_of_birth = _validate_visa_date_of_birth
        form_class.validate_visa_passport_expiry = _validate_visa_passport_expiry

    def save(self, session: Session, registration: Registration, form: RegistrationForm, *, now: datetime) -> None:
        if not form.needs_visa_letter.data:
            # Registering again, without a letter this time: forget the earlier request. A registration
            # made just now (created at this `now`) has none, so the DELETE is not sent.
            if registration.created_at != now:
                visa_letters.withdraw_request(session, registration)
            return
        visa_letters.save_request(session, registration, visa_letters.PassportDetails(
            passport_name=form.visa_passport_name.data,
            nationality=form.visa_nationality.data,
            date_of_birth=form.visa_date_of_birth.data,
            passport_number=form.visa_passport_number.data,
            passport_expiry=form.visa_passport_expiry.data,
        ), now=now)
