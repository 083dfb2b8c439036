"""Programme sessions on the registration form: each participant picks the sessions they attend."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.database import Session
from app.models import Event, Registration
from app.public.forms import RegistrationForm
from app.public.parts.base import FormPart
from app.services.errors import DomainError
from app.services.programme import programme


class SessionsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        # Unknown ids are reported by the service in words a participant understands.
        pass


def _no_overlap(form: RegistrationForm, field: SessionsField) -> None:
    """Refused next to the field before anything is locked; the service checks again."""
    chosen = [s for s in form.event.programme if s.id in set(field.data or [])]
    try:
        programme.check_no_overlap(chosen)
    except DomainError as error:
        raise ValidationError(error.message) from None


class SessionsPart(FormPart):
    """Events with a programme. The seats left are counted by the view, for this part and the programme
    shown above the form alike."""

    template = "public/_session_choices.html"

    def __init__(self, choices: tuple[tuple[int, str], ...]) -> None:
        self.choices = choices

    @classmethod
    def for_event(cls, session: Session, event: Event) -> SessionsPart | None:
        return cls(tuple((s.id, s.shown_title) for s in event.programme)) if event.programme else None

    @property
    def shape(self) -> tuple[tuple[int, str], ...]:
        return self.choices

    @staticmethod
    def add_fields(form_class: type[RegistrationForm], shape: tuple[tuple[int, str], ...]) -> None:
        form_class.sessions = SessionsField(
            _l("Sessions you will attend"),
            choices=list(shape),
            coerce=int,
            description=_l("Sessions marked full put you on their waiting list; we email you if a seat frees."),
        )
        form_class.validate_sessions = _no_overlap

    def cache_key(self, seats) -> Hashable:
        # The checkboxes show each session's title, times, room and kind (any edit changes its updated_at) and
        # whether seats are left.
        return self.shape, tuple((item.session.id, item.session.updated_at, item.seats_left) for item in seats)

    def save(self, session: Session, registration: Registration, form: RegistrationForm, *, now: datetime) -> None:
        programme.choose_sessions(session, registration, form.sessions.data or [], now=now)
