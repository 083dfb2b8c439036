from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from app.forms import TrimmedForm
from app.services.people.passwords import min_length

SAME_AGAIN = _l("The two passwords are not the same.")


def password_hint() -> str:
    return _("At least %(n)s characters; a few unrelated words are easy to remember and hard to guess.",
             n=min_length())  # PASSWORD_MIN_LENGTH, read per request


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Please enter your email address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(TrimmedForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Please enter your email address."))])


class NewPasswordForm(FlaskForm):
    """A password chosen twice; its rules (length, not a common one) are the service's."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.password.description = password_hint()

    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Please choose a password."))])
    confirm = PasswordField(_l("The same password again"), validators=[
        DataRequired(_l("Please type the password again.")), EqualTo("password", SAME_AGAIN)])


class AcceptInvitationForm(TrimmedForm, NewPasswordForm):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Please give your name."))],
                       description=_l("As your colleagues will see it on the organiser pages."))
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(_l("Please choose a password."))])


class AccountNameForm(TrimmedForm):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Please give your name."))])


class ChangePasswordForm(FlaskForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.new_password.description = password_hint()

    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Please enter your current password."))])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Please choose a new password."))])
    confirm = PasswordField(_l("The new password again"), validators=[
        DataRequired(_l("Please type the new password again.")), EqualTo("new_password", SAME_AGAIN)])
