"""Organiser forms for the end of the selection: the deadline to confirm, and marking a duplicate."""

from __future__ import annotations

from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import TrimmedForm
from app.services.applications.confirmations import MAX_DAYS


class ConfirmDeadlineForm(TrimmedForm):
    confirm_within_days = IntegerField(
        "Days to confirm after the acceptance email",
        validators=[Optional(), NumberRange(min=1, max=MAX_DAYS,
                                            message=f"Enter a number of days from 1 to {MAX_DAYS}, or leave it empty.")],
        invalid_value_message="Enter a whole number of days, e.g. 7.",
        description="The acceptance email and the applicant's page show the date. Never later than the start of "
                    "the event. Leave empty to ask for no confirmation. A change applies to acceptances from now on.",
    )


class DuplicateForm(TrimmedForm):
    of_reference = StringField(
        "Duplicate of (reference)", validators=[Length(max=24)],
        description="The reference of the application you keep, e.g. DGIF26-7KQ3. Nobody is emailed.",
    )
