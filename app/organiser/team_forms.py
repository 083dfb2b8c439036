"""The forms of the team pages: add someone by email with a role, change a member's role."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Length

from app.forms import CHOOSE, TrimmedForm, normalised_email
from app.models import TeamRole
from app.organiser.forms import lazy_label

# Read when shown (see lazy_label): the role names follow the language of each request.
ROLE_CHOICES = [(role.value, LazyString(lambda role=role: f"{role.label} — {role.description}")) for role in TeamRole]


class AddMemberForm(TrimmedForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Please give the person's email address.")),
                                                    Length(max=254), normalised_email])
    role = SelectField(_l("Role"), choices=[CHOOSE, *ROLE_CHOICES],
                       validators=[DataRequired(_l("Please choose what they will do on the team."))])

    def chosen_role(self) -> TeamRole:
        return TeamRole(self.role.data)


class ChangeRoleForm(TrimmedForm):
    role = SelectField(_l("Role"), choices=[(role.value, lazy_label(role)) for role in TeamRole],
                       validators=[DataRequired(_l("Please choose a role."))])

    def chosen_role(self) -> TeamRole:
        return TeamRole(self.role.data)
