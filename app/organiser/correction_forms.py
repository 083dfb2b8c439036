"""The organisers' form to correct a registration: the registration form's fields, and the role on the badge."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired

from app.forms import CHOOSE
from app.i18n import lazy_label
from app.models import ParticipantRole, Registration
from app.public.forms import DetailsForm

ROLE_CHOICES = [CHOOSE, *((role.value, lazy_label(role)) for role in ParticipantRole)]


class RegistrationEditForm(DetailsForm):
    role = SelectField(_l("Role on the badge"), choices=ROLE_CHOICES, validators=[DataRequired(_l("Please choose a role."))])

    @staticmethod
    def values_of(registration: Registration) -> dict:
        return DetailsForm.values_of(registration) | {"role": registration.role.value}
