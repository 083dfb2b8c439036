"""The forms of the team pages: add someone by email with a role, change a member's role."""

from __future__ import annotations

from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Length

from app.forms import CHOOSE, TrimmedForm, normalised_email
from app.models import TeamRole

ROLE_CHOICES = [(role.value, f"{role.label} — {role.description}") for role in TeamRole]


class AddMemberForm(TrimmedForm):
    email = EmailField("Email address", validators=[DataRequired("Please give the person's email address."),
                                                    Length(max=254), normalised_email])
    role = SelectField("Role", choices=[CHOOSE, *ROLE_CHOICES],
                       validators=[DataRequired("Please choose what they will do on the team.")])

    def chosen_role(self) -> TeamRole:
        return TeamRole(self.role.data)


class ChangeRoleForm(TrimmedForm):
    role = SelectField("Role", choices=[(role.value, role.label) for role in TeamRole],
                       validators=[DataRequired("Please choose a role.")])

    def chosen_role(self) -> TeamRole:
        return TeamRole(self.role.data)
