"""The forms of the messages pages: compose (or a reminder), and the send confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FileField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.forms import CHOOSE, DATETIME_ATTRIBUTES, TrimmedForm, TypedDateInput
from app.models import ReminderAnchor
from app.organiser.forms import DATETIME_LOCAL, MOMENT_HINT, lazy_label


class MessageForm(TrimmedForm):
    # validated by the service, next to the fields (empty, too long, unknown placeholder)
    subject = StringField(_l("Subject"))
    body = TextAreaField(_l("Message"), description=_l("Plain text; blank lines start new paragraphs and web addresses "
                                                "become links. Placeholders are filled for each person."))
    attachment = FileField(_l("Attachment (PDF, optional)"))
    remove_attachment = BooleanField(_l("Remove the attachment"))
    send_at = DateTimeLocalField(_l("Send at"), format=DATETIME_LOCAL, validators=[Optional()],
                                 invalid_value_message=_l("Write the date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-03 09:00."),
                                 widget=TypedDateInput(DATETIME_ATTRIBUTES))
    audience = HiddenField()
    action = HiddenField()


class ReminderForm(MessageForm):
    who = SelectField(_l("Send to"), choices=[CHOOSE], validators=[InputRequired(_l("Please choose who receives it."))])
    days = IntegerField(_l("Days"), validators=[InputRequired(_l("Please give a number of days.")),
                                             NumberRange(min=0, max=365, message=_l("Between 0 and 365 days."))])
    direction = SelectField(_l("Before or after"), choices=[("before", _l("before")), ("after", _l("after"))], default="before")
    anchor = SelectField(_l("Counted from"), choices=[(a.value, lazy_label(a)) for a in ReminderAnchor],
                         default=ReminderAnchor.START.value)

    @property
    def offset_days(self) -> int:
        days = self.days.data or 0
        return -days if self.direction.data == "before" else days


class ConfirmForm(FlaskForm):
    pass


HINT = MOMENT_HINT
