from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import DataRequired

from app.forms import TrimmedForm, normalised_email


class InviteForm(TrimmedForm):
    email = EmailField("Email address", validators=[DataRequired("Please give the email address to invite."),
                                                    normalised_email])
    name = StringField("Name (optional)", description="They can change it when they accept the invitation.")
    is_admin = BooleanField("Administrator: manages every event and every account")
