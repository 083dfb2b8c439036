"""What every form of the app shares: trimmed text, and email addresses checked the same way."""

from __future__ import annotations

from functools import cache

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import NumberRange, ValidationError
from wtforms.widgets import TextInput

from app.i18n import current_language
from app.services.applications.travel_support import currencies_in
from app.services.countries import COUNTRY_CODES, countries_in
from app.services.mail.email_addresses import UndeliverableAddress, deliverable_address
from app.services.numbers import MAX_DB_INT, small_int

_SINGLE_LINE_FIELDS = (StringField, EmailField)


@cache
def _country_choices_in(language: str) -> list[tuple[str, str]]:
    with force_locale(language):
        return [("", gettext("Choose a country…")), *countries_in(language)]


def COUNTRY_CHOICES() -> list[tuple[str, str]]:  # noqa: N802 (was a list; WTForms calls it for the choices)
    """The countries to choose from, named and ordered in the page's language (built once per language)."""
    return _country_choices_in(current_language())


def CURRENCY_CHOICES() -> list[tuple[str, str]]:  # noqa: N802 (called by WTForms, like COUNTRY_CHOICES)
    """The currencies to choose from, named in the page's language ("USD – 미국 달러")."""
    return list(currencies_in(current_language()))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _one_line(value):
    # A text input cannot hold a line break, so one that arrives came from a crafted request; kept,
    # it would end up in an email subject or a calendar entry (an event title) and break it there.
    return " ".join(value.split()) if isinstance(value, str) else value


class TrimmedForm(FlaskForm):
    """Every text field is trimmed: " Kim " and "Kim" are the same person.

    Single-line fields also have their line breaks and runs of spaces made into one space.
    """

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return bind_trimmed(form, unbound_field, options)


def bind_trimmed(form, unbound_field, options):
    """TrimmedForm's binding of a field: its text trimmed (see TrimmedForm)."""
    filters = unbound_field.kwargs.get("filters", [])
    tidy = _one_line if unbound_field.field_class in _SINGLE_LINE_FIELDS else _strip
    if unbound_field.field_class in (*_SINGLE_LINE_FIELDS, TextAreaField) and tidy not in filters:
        unbound_field.kwargs["filters"] = [*filters, tidy]
    return unbound_field.bind(form=form, **options)


# The first option of a required select: nothing chosen yet. A select that starts on a real value sends
# that value when nobody looked at it (an unnoticed "Accept"), and HTML requires a required select to
# start with an empty option.
CHOOSE = ("", _l("Choose…"))


def fits_a_count() -> NumberRange:
    """Validator of a typed count (a capacity, a seat limit): the database holds it (a 500 otherwise)."""
    return NumberRange(max=MAX_DB_INT, message=_l("Please give a number up to %(max)s.", max=format(MAX_DB_INT, ",")))


def optional_int(value) -> int | None:
    """Coerce for a select of ids that starts with CHOOSE: nothing chosen is None, for DataRequired to refuse."""
    if value in ("", None):
        return None
    number = small_int(value)
    if number is None:
        raise ValueError(_l("Not a valid choice."))  # WTForms shows it next to the field
    return number


def normalised_email(form, field) -> None:
    """Validator: an address our emails can reach, stored in lower case and in ASCII (see email_addresses)."""
    try:
        field.data = deliverable_address(field.data)
    except UndeliverableAddress as error:
        raise ValidationError(error.message) from None


def known_country(form, field) -> None:
    """Validator: an ISO 3166 code from our list (a tampered select sends anything)."""
    if field.data not in COUNTRY_CODES:
        raise ValidationError(_l("Please choose a country from the list."))


# Dates are typed as YYYY-MM-DD into a text box, not picked in <input type="date">: Chromium shows a
# date input in the browser's own locale (mm/dd/yyyy in en-US, dd/mm/yyyy elsewhere) whatever the page
# says, so the help could never say which order to use, and a passport's 04/05 must not be misread.
DATE_HINT = _l("Write the date as YYYY-MM-DD (year-month-day), e.g. 1985-04-23.")
DATE_ATTRIBUTES = {"pattern": r"\d{4}-\d{2}-\d{2}", "placeholder": "YYYY-MM-DD", "maxlength": "10",
                   "title": _l("A date as YYYY-MM-DD, e.g. 1985-04-23")}
DATETIME_ATTRIBUTES = {"pattern": r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", "placeholder": "YYYY-MM-DD HH:MM",
                       "title": _l("A date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-03 09:00")}


class TypedDateInput(TextInput):
    """A text box for a date (or date and time) in the one order the help text names."""

    def __init__(self, attributes: dict[str, str] = DATE_ATTRIBUTES) -> None:
        super().__init__()
        self.attributes = attributes

    def __call__(self, field, **kwargs):
        for name, value in self.attributes.items():
            kwargs.setdefault(name, value)
        return super().__call__(field, **kwargs)
