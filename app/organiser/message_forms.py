"""The forms of the messages pages: compose (or a reminder), and the send confirmation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, FileField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.forms import CHOOSE, DATETIME_ATTRIBUTES, TrimmedForm, TypedDateInput
from app.models import ReminderAnchor
from app.organiser.forms import DATETIME_LOCAL, MOMENT_HINT


class MessageForm(TrimmedForm):
    # validated by the service, next to the fields (empty, too long, unknown placeholder)
    subject = StringField("Subject")
    body = TextAreaField("Message", description="Plain text; blank lines start new paragraphs and web addresses "
                                                "become links. Placeholders are filled for each person.")
    attachment = FileField("Attachment (PDF, optional)")
    remove_attachment = BooleanField("Remove the attachment")
    send_at = DateTimeLocalField("Send at", format=DATETIME_LOCAL, validators=[Optional()],
                                 invalid_value_message="Write the date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-03 09:00.",
                                 widget=TypedDateInput(DATETIME_ATTRIBUTES))
    audience = HiddenField()
    action = HiddenField()


class ReminderForm(MessageForm):
    who = SelectField("Send to", choices=[CHOOSE], validators=[InputRequired("Please choose who receives it.")])
    days = IntegerField("Days", validators=[InputRequired("Please give a number of days."),
                                             NumberRange(min=0, max=365, message="Between 0 and 365 days.")])
    direction = SelectField("Before or after", choices=[("before", "before"), ("after", "after")], default="before")
    anchor = SelectField("Counted from", choices=[(a.value, a.label) for a in ReminderAnchor],
                         default=ReminderAnchor.START.value)

    @property
    def offset_days(self) -> int:
        days = self.days.data or 0
        return -days if self.direction.data == "before" else days


class ConfirmForm(FlaskForm):
    pass


HINT = MOMENT_HINT
