from __future__ import annotations

from flask import current_app
from flask_babel import LazyString, get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import Select, html_params

from app.forms import TrimmedForm, known_country, normalised_email
from app.models import OrganisationType, Title
from app.public import bot_check
from app.services.countries import COUNTRIES, country_name
from app.services.registration.corrections import Details
from app.services.registration.registration import ParticipantDetails

# Choices are built once at import: the registration path must not rebuild 250 countries per request.
TITLE_CHOICES = [("", "—")] + [(t.value, t.value) for t in Title]
ORGANISATION_TYPE_CHOICES = [("", _l("Choose one…"))] + [(t.value, t.label) for t in OrganisationType]
# Each name in the page's language (PrerenderedSelect keeps one rendering per language).
COUNTRY_CHOICES = [("", _l("Choose a country…"))] + [(code, LazyString(country_name, code)) for code, _ in COUNTRIES]


class PrerenderedSelect(Select):
    """A <select> whose options are rendered once, for choices that never change.

    WTForms builds and escapes every option on every render: for 250 countries that was most
    of the time spent showing the registration page. Here each request only marks the
    chosen option. The HTML is the same as WTForms' own. Kept per language: the first option ("Choose a
    country…") and the names are the page's language.
    """

    def __init__(self) -> None:
        super().__init__()
        self._rendered: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}

    def __call__(self, field, **kwargs) -> Markup:
        language = str(get_locale() or "")
        if language not in self._rendered:
            self._rendered[language] = self._prerender(field)
        options, selected = self._rendered[language]
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in self.validation_attrs:
            if key not in kwargs and getattr(flags, key, False):
                kwargs[key] = getattr(flags, key)
        if isinstance(field.data, str) and field.data in selected:
            options = options.replace(*selected[field.data], 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")

    def _prerender(self, field) -> tuple[str, dict[str, tuple[str, str]]]:
        data, field.data = field.data, None  # nothing chosen while the shared HTML is built
        try:
            choices = list(field._iter_choices_normalized())
        finally:
            field.data = data
        selected = {
            str(c.value): (self.render_option(c), self.render_option(c._replace(selected=True))) for c in choices
        }
        return "".join(self.render_option(c) for c in choices), selected


class RegistrationForm(TrimmedForm):
    title = SelectField(lazy_pgettext("a person's title, e.g. Dr", "Title"), choices=TITLE_CHOICES, validators=[Optional()])
    given_name = StringField(
        _l("Given name(s)"), validators=[DataRequired(_l("Please enter your given name.")), Length(max=100)]
    )
    family_name = StringField(
        _l("Family name"), validators=[DataRequired(_l("Please enter your family name.")), Length(max=100)],
        description=_l("As written in your passport."),
    )
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Please enter your email address.")), Length(max=254), normalised_email]
    )
    organisation = StringField(
        _l("Organisation"), validators=[DataRequired(_l("Please enter your organisation.")), Length(max=200)]
    )
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    organisation_type = SelectField(
        _l("Type of organisation"),
        choices=ORGANISATION_TYPE_CHOICES,
        validators=[DataRequired(_l("Please choose the type of your organisation."))],
    )
    country = SelectField(
        _l("Country of your organisation"),
        choices=COUNTRY_CHOICES,
        # WTForms would check the answer by building an object for each of the ~250 choices on
        # every POST; known_country does it with one set look-up and a clearer message.
        validate_choice=False,
        widget=PrerenderedSelect(),
        validators=[DataRequired(_l("Please choose the country of your organisation.")), known_country],
    )
    phone = StringField(
        _l("Phone (optional)"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^\+?[0-9 ()./-]{5,}$", message=_l("Use digits, spaces and an optional leading +, e.g. +82 42 123 4567.")),
        ],
    )
    dietary_needs = TextAreaField(_l("Dietary needs (optional)"), validators=[Optional(), Length(max=500)])
    accessibility_needs = TextAreaField(_l("Accessibility needs (optional)"), validators=[Optional(), Length(max=500)])
    needs_visa_letter = BooleanField(_l("I need a visa invitation letter"))
    consent = BooleanField(
        _l("I agree that the organisers process my data to run this event."),
        validators=[DataRequired(_l("We can only register you with your consent."))],
    )
    website = bot_check.honeypot_field()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        refused = bot_check.refusal(self)  # checked after the fields, so nothing the person typed is lost
        if refused:
            self.form_errors.append(refused)
            return False
        return valid

    def participant_details(self) -> ParticipantDetails:
        return ParticipantDetails(
            title=Title(self.title.data) if self.title.data else None,
            given_name=self.given_name.data,
            family_name=self.family_name.data,
            email=self.email.data,
            organisation=self.organisation.data,
            position=self.position.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            country=self.country.data,
            phone=self.phone.data or "",
            dietary_needs=self.dietary_needs.data or "",
            accessibility_needs=self.accessibility_needs.data or "",
            needs_visa_letter=bool(self.needs_visa_letter.data),
            # The consent box was ticked beside this version of its text and this notice (both from config).
            consent_version=current_app.config["CONSENT_VERSION"],
            privacy_notice_url=current_app.config["PRIVACY_NOTICE_URL"],
        )


class DetailsForm(RegistrationForm):
    """The registration form's own fields, to correct them later (by the participant or the organisers): the same
    fields, checked the same way. Consent was given once; the visa request has its own step."""

    consent = None
    needs_visa_letter = None

    def details(self, registration) -> Details:
        """What was sent, with the registration's own values for the fields this form was shown without
        (a locked name, the address on the personal link)."""
        def value(name: str):
            return self[name].data if name in self else getattr(registration, name)

        title = value("title")
        return Details(
            title=Title(title) if title else None,
            given_name=value("given_name"),
            family_name=value("family_name"),
            email=value("email"),
            organisation=self.organisation.data,
            position=self.position.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            country=self.country.data,
            phone=self.phone.data or "",
            dietary_needs=self.dietary_needs.data or "",
            accessibility_needs=self.accessibility_needs.data or "",
        )

    @staticmethod
    def values_of(registration) -> dict:
        values = {name: getattr(registration, name) for name in (
            "given_name", "family_name", "email", "organisation", "position", "country", "phone", "dietary_needs",
            "accessibility_needs")}
        values["title"] = registration.title.value if registration.title else ""
        values["organisation_type"] = registration.organisation_type.value
        return values
