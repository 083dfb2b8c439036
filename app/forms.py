"""What every form of the app shares: trimmed text, and email addresses checked the same way."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import ValidationError

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


# The first option of a required select: nothing chosen yet. A select that starts on a real value sends
# that value when nobody looked at it (an unnoticed "Accept"), and HTML requires a required select to
# start with an empty option.
CHOOSE = ("", "Choose…")


def optional_int(value) -> int | None:
    """Coerce for a select of ids that starts with CHOOSE: nothing chosen is None, for DataRequired to refuse."""
    return None if value in ("", None) else int(value)


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
