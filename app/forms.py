"""What every form of the app shares: trimmed text, and email addresses checked the same way."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from app.services.countries import COUNTRY_CODES

_TEXT_FIELDS = (StringField, EmailField, TextAreaField)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class TrimmedForm(FlaskForm):
    """Every text field is trimmed: " Kim " and "Kim" are the same person."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class in _TEXT_FIELDS and _strip not in filters:
                unbound_field.kwargs["filters"] = [*filters, _strip]
            return unbound_field.bind(form=form, **options)


def normalised_email(form, field) -> None:
    """Validator: a syntactically valid address, stored normalised and in lower case."""
    try:
        # No DNS look-up: it is slow, and a form must not fail because a resolver is.
        result = validate_email(field.data, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(f"This email address is not valid: {error}") from None
    field.data = result.normalized.lower()


def known_country(form, field) -> None:
    """Validator: an ISO 3166 code from our list (a tampered select sends anything)."""
    if field.data not in COUNTRY_CODES:
        raise ValidationError("Please choose a country from the list.")


# Dates are typed as YYYY-MM-DD into a text box, not picked in <input type="date">: Chromium shows a
# date input in the browser's own locale (mm/dd/yyyy in en-US, dd/mm/yyyy elsewhere) whatever the page
# says, so the help could never say which order to use, and a passport's 04/05 must not be misread.
DATE_HINT = "Write the date as YYYY-MM-DD (year-month-day), e.g. 1985-04-23."
DATE_ATTRIBUTES = {"pattern": r"\d{4}-\d{2}-\d{2}", "placeholder": "YYYY-MM-DD", "maxlength": "10",
                   "title": "A date as YYYY-MM-DD, e.g. 1985-04-23"}
DATETIME_ATTRIBUTES = {"pattern": r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", "placeholder": "YYYY-MM-DD HH:MM",
                       "title": "A date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-03 09:00"}


class TypedDateInput(TextInput):
    """A text box for a date (or date and time) in the one order the help text names."""

    def __init__(self, attributes: dict[str, str] = DATE_ATTRIBUTES) -> None:
        super().__init__()
        self.attributes = attributes

    def __call__(self, field, **kwargs):
        for name, value in self.attributes.items():
            kwargs.setdefault(name, value)
        return super().__call__(field, **kwargs)
