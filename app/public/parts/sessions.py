"""Programme sessions on the registration form: each participant picks the sessions they attend."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.database import Session
from app.extensions import db
from app.models import Event, Registration, utcnow
from app.public.form_parts import FormPart, register_part
from app.public.forms import RegistrationForm
from app.services.errors import DomainError
from app.services.programme import programme


class SessionsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        # Unknown ids are reported by the service in words a participant understands.
        pass


def add_session_fields(form_class: type[RegistrationForm], event: Event) -> bool:
    if not event.programme:
        return False
    form_class.sessions = SessionsField(
        "Sessions you will attend",
        choices=[(s.id, s.title) for s in event.programme],
        coerce=int,
        description="Sessions marked full put you on their waiting list; we email you if a seat frees.",
    )
    form_class.validate_sessions = _no_overlap
    # Seats left, for the template; the service decides again under the event lock.
    form_class.session_seats = programme.seats(db.session, event.id)
    return True


def _no_overlap(form: RegistrationForm, field: SessionsField) -> None:
    """Refused next to the field before anything is locked; the service checks again."""
    chosen = [s for s in form.event.programme if s.id in set(field.data or [])]
    try:
        programme.check_no_overlap(chosen)
    except DomainError as error:
        raise ValidationError(error.message) from None


def save_session_choices(session: Session, registration: Registration, form: RegistrationForm, event: Event) -> None:
    programme.choose_sessions(session, registration, form.sessions.data or [], now=utcnow())


register_part(FormPart(
    name="sessions",
    template="public/_session_choices.html",
    add_fields=add_session_fields,
    save=save_session_choices,
    order=10,  # what people come for comes first
))
