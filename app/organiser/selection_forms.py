"""Organiser forms for the end of the selection: the deadline to confirm, and marking a duplicate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import TrimmedForm
from app.services.applications.confirmations import MAX_DAYS


class ConfirmDeadlineForm(TrimmedForm):
    confirm_within_days = IntegerField(
        _l("Days to confirm after the acceptance email"),
        validators=[Optional(), NumberRange(min=1, max=MAX_DAYS,
                                            message=_l("Enter a number of days from 1 to %(max)s, or leave it empty.", max=MAX_DAYS))],
        invalid_value_message=_l("Enter a whole number of days, e.g. 7."),
        description=_l("The acceptance email and the applicant's page show the date. Never later than the start of "
                    "the event. Leave empty to ask for no confirmation. A change applies to acceptances from now on."),
    )


class DuplicateForm(TrimmedForm):
    of_reference = StringField(
        _l("Duplicate of (reference)"), validators=[Length(max=24)],
        description=_l("The reference of the application you keep, e.g. DGIF26-7KQ3. Nobody is emailed."),
    )
