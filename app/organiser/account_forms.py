from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import DataRequired

from app.forms import TrimmedForm, normalised_email


class InviteForm(TrimmedForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Please give the email address to invite.")),
                                                    normalised_email])
    name = StringField(_l("Name (optional)"), description=_l("They can change it when they accept the invitation."))
    is_admin = BooleanField(_l("Administrator: manages every event and every account"))
