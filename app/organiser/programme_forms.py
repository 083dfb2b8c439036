"""The form for one programme session, as the organiser fills it in on the venue's clock."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms import TrimmedForm, TypedDateInput, fits_a_count
from app.i18n import lazy_label
from app.models import ProgrammeSession, SessionKind
from app.organiser.bilingual_forms import KoreanSessionFields
from app.services.programme.programme_editing import ROOM_MAX, TITLE_MAX, SessionDetails

SESSION_KIND_CHOICES = [(kind.value, lazy_label(kind)) for kind in SessionKind]
_KINDS = {kind.value for kind in SessionKind}
# What a time input sends; seconds are accepted from browsers that add them.
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


def _known_kind(form, field) -> None:
    if field.data not in _KINDS:
        raise ValidationError(_l("Please choose a kind of session from the list."))


class ProgrammeSessionForm(KoreanSessionFields, TrimmedForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Please give the session a title.")), Length(max=TITLE_MAX)])
    kind = SelectField(_l("Kind"), choices=SESSION_KIND_CHOICES, default=SessionKind.PLENARY.value,
                       validate_choice=False, validators=[_known_kind])
    day = DateField(_l("Day"), format="%Y-%m-%d", validators=[InputRequired(_l("Please give the day."))],
                    invalid_value_message=_l("Write the day as YYYY-MM-DD, e.g. 2026-11-03."),
                    description=_l("YYYY-MM-DD, e.g. 2026-11-03."), widget=TypedDateInput())
    starts = TimeField(_l("Starts"), format=TIME_FORMATS, validators=[InputRequired(_l("Please give the start time."))],
                       invalid_value_message=_l("Enter a time, e.g. 09:30."))
    ends = TimeField(_l("Ends"), format=TIME_FORMATS, validators=[InputRequired(_l("Please give the end time."))],
                     invalid_value_message=_l("Enter a time, e.g. 10:45."))
    room = StringField(_l("Room"), validators=[Optional(), Length(max=ROOM_MAX)],
                       description=_l("Shown on the programme and in calendars, e.g. Grand Ballroom, 2nd floor."))
    seat_limit = IntegerField(
        _l("Seat limit"), validators=[Optional(), NumberRange(min=0, message=_l("The seat limit cannot be negative.")),
                                  fits_a_count()],
        description=_l("Leave empty when everyone registered may attend."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional()])

    def session_details(self) -> SessionDetails:
        return SessionDetails(
            title=self.title.data or "",
            kind=SessionKind(self.kind.data),
            day=self.day.data,
            starts=self.starts.data,
            ends=self.ends.data,
            room=self.room.data or "",
            description=self.description.data or "",
            seat_limit=self.seat_limit.data,
            **self.korean_details(),
        )

    @staticmethod
    def values_of(programme_session: ProgrammeSession) -> dict:
        """The session as the form shows it: day and times on the venue's clock."""
        event = programme_session.event
        starts, ends = event.local(programme_session.starts_at), event.local(programme_session.ends_at)
        return dict(
            title=programme_session.title, kind=programme_session.kind.value, day=starts.date(),
            starts=starts.time(), ends=ends.time(), room=programme_session.room,
            description=programme_session.description, seat_limit=programme_session.seat_limit,
            **KoreanSessionFields.korean_values_of(programme_session),
        )
