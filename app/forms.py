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
