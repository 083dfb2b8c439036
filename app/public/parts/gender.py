"""The optional gender question, where the event asks it (Event.asks_gender): for the participation
reports WTA sends to UNESCO and its funders. Never required, and "prefer not to say" is an answer."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import Optional

from app.database import Session
from app.models import Event, Gender, Registration
from app.public.forms import RegistrationForm
from app.public.parts.base import FormPart


class GenderPart(FormPart):
    template = "public/_gender.html"

    @classmethod
    def for_event(cls, session: Session, event: Event) -> GenderPart | None:
        return cls() if event.asks_gender else None

    @staticmethod
    def add_fields(form_class: type[RegistrationForm], shape) -> None:
        form_class.gender = RadioField(
            _l("Gender (optional)"), choices=[(gender.value, gender.label) for gender in Gender],
            validators=[Optional()], validate_choice=True,
            description=_l("Only the organisers see your answer; reports show totals only."),
        )

    def save(self, session: Session, registration: Registration, form: RegistrationForm, *, now: datetime) -> None:
        answer = form.gender.data
        registration.gender = Gender(answer) if answer else None
