from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from app.forms import TrimmedForm
from app.services.people.passwords import min_length

PASSWORD_HINT = "At least {n} characters; a few unrelated words are easy to remember and hard to guess."
SAME_AGAIN = "The two passwords are not the same."


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Please enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Please enter your password.")])
    remember = BooleanField("Keep me signed in on this device")


class ForgotPasswordForm(TrimmedForm):
    email = EmailField("Email", validators=[DataRequired("Please enter your email address.")])


class NewPasswordForm(FlaskForm):
    """A password chosen twice; its rules (length, not a common one) are the service's."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.password.description = PASSWORD_HINT.format(n=min_length())  # PASSWORD_MIN_LENGTH, read per request

    password = PasswordField("New password", validators=[DataRequired("Please choose a password.")])
    confirm = PasswordField("The same password again", validators=[
        DataRequired("Please type the password again."), EqualTo("password", SAME_AGAIN)])


class AcceptInvitationForm(TrimmedForm, NewPasswordForm):
    name = StringField("Your name", validators=[DataRequired("Please give your name.")],
                       description="As your colleagues will see it on the organiser pages.")
    password = PasswordField("Choose a password", validators=[DataRequired("Please choose a password.")])


class AccountNameForm(TrimmedForm):
    name = StringField("Your name", validators=[DataRequired("Please give your name.")])


class ChangePasswordForm(FlaskForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.new_password.description = PASSWORD_HINT.format(n=min_length())

    current_password = PasswordField("Current password", validators=[
        DataRequired("Please enter your current password.")])
    new_password = PasswordField("New password", validators=[DataRequired("Please choose a new password.")])
    confirm = PasswordField("The new password again", validators=[
        DataRequired("Please type the new password again."), EqualTo("new_password", SAME_AGAIN)])
