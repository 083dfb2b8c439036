from __future__ import annotations

from weakref import WeakKeyDictionary

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf.csrf import _FlaskFormCSRF
from markupsafe import Markup
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.core import Field, UnboundField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import Select, html_params

from app.forms import COUNTRY_CHOICES, TrimmedForm, bind_trimmed, known_country, normalised_email
from app.i18n import LANGUAGES, current_language, lazy_label, select_language
from app.models import NameOrder, OrganisationType, Title
from app.models.names import NAME_ORDER_LABELS, default_name_order, in_latin_letters, written_name
from app.public import bot_check
from app.services.registration.corrections import Details
from app.services.registration.registration import ParticipantDetails

# Choices are built once at import: the registration path must not rebuild 250 countries per request.
TITLE_CHOICES = [("", "—")] + [(t.value, t.value) for t in Title]
ORGANISATION_TYPE_CHOICES = [("", _l("Choose one…"))] + [(t.value, lazy_label(t)) for t in OrganisationType]


# "" lets the server choose from the script of the name (Hangul, Han, Kana: family name first); the live preview
# (static/js/name-preview.js) shows what that gives while the person types.
NAME_ORDER_CHOICES = [("", _l("As usual for the script of my name"))] + [
    (order.value, label) for order, label in NAME_ORDER_LABELS.items()]


_NAME_ORDERS = frozenset(order.value for order in NameOrder)

# Each language named in itself.
LANGUAGE_CHOICES = list(LANGUAGES.items())

# The values of the choice lists above, which never change: the lists themselves (by id, kept alive here) and
# the set of their values.
_FIXED_CHOICES = {id(choices): (choices, frozenset(value for value, _label in choices))
                  for choices in (TITLE_CHOICES, ORGANISATION_TYPE_CHOICES, NAME_ORDER_CHOICES, LANGUAGE_CHOICES)}


class _FixedChoices:
    """For a select or radio field whose choices are one of the lists above: the answer is checked with one set
    look-up. WTForms walks every choice, building each, on every POST. Same outcome, same message; a field
    given other choices is checked WTForms' way."""

    def pre_validate(self, form) -> None:
        fixed = _FIXED_CHOICES.get(id(self.choices))  # type: ignore[attr-defined]
        if fixed is None or fixed[0] is not self.choices or self.coerce is not str:  # type: ignore[attr-defined]
            super().pre_validate(form)  # type: ignore[misc]
            return
        if self.process_errors or not self.validate_choice:  # type: ignore[attr-defined]
            return
        if self.data not in fixed[1]:  # type: ignore[attr-defined]
            raise ValidationError(self.invalid_choice_message  # type: ignore[attr-defined]
                                  or self.gettext("Not a valid choice."))  # type: ignore[attr-defined]


def _share_fixed_choices(field, choices) -> None:
    """WTForms (3.3) gives each field a copy of a list of choices; one of the fixed lists above is kept itself,
    which _FixedChoices recognises (and nothing changes)."""
    if _FIXED_CHOICES.get(id(choices), (None,))[0] is choices:
        field._choices = choices


class FixedSelectField(_FixedChoices, SelectField):
    def __init__(self, *args, choices=None, **kwargs) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        _share_fixed_choices(self, choices)
        self.type = "SelectField"  # what the templates (_macros.html) render it by


class FixedRadioField(_FixedChoices, RadioField):
    def __init__(self, *args, choices=None, **kwargs) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        _share_fixed_choices(self, choices)
        self.type = "RadioField"  # what the templates (_macros.html) render it by


class _LanguageField(FixedRadioField):
    """Its default, the page's language, is worked out only when the form did not send one: on a POST that
    did, working out the visitor's locale (cookie, Accept-Language) would be for nothing. It is worked out by
    select_language(), flask-babel's locale selector, which current_language() asks too: the same code, without
    making the babel Locale a POST that shows no page never uses."""

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        if data is unset_value and formdata is not None and formdata.get(self.name):
            data = None  # the value sent replaces it just after (process_formdata)
        super().process(formdata, data, extra_filters)


def _latin_letters(form, field) -> None:
    if field.data and not in_latin_letters(field.data):
        raise ValidationError(_l("Please write it in Latin letters, as on your passport's photo page."))


class PrerenderedSelect(Select):
    """A <select> whose options are rendered once per language, for choices that never change.

    WTForms builds and escapes every option on every render: for 250 countries that was most
    of the time spent showing the registration page. Here each request only marks the
    chosen option. The HTML is the same as WTForms' own. Kept per language: the first option ("Choose a
    country…") and the names are the page's language.
    """

    def __init__(self) -> None:
        super().__init__()
        # language -> (the options, value -> (the option, the option selected))
        self._rendered: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}

    def __call__(self, field, **kwargs) -> Markup:
        language = current_language()
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


class _TokenMadeWhenShown(CSRFTokenField):
    """The form's CSRF token field, its token signed when the form is shown rather than when it is made: a
    registration sent and accepted is never shown again, and signing a token it would not use cost more than
    its checks. The request's token (CSRFProtect checks the one sent, before the view) is not affected."""

    _token: str | None = None

    def process(self, *args, **kwargs) -> None:
        HiddenField.process(self, *args, **kwargs)  # CSRFTokenField.process would sign the token now

    @property  # a class attribute (None) in CSRFTokenField
    def current_token(self) -> str:
        if self._token is None:
            self._token = self.csrf_impl.generate_csrf_token(self)
        return self._token

    @current_token.setter
    def current_token(self, token: str) -> None:
        self._token = token


class _FormCSRF(_FlaskFormCSRF):
    field_class = _TokenMadeWhenShown


# A bound field of each declared field, by its unbound field (a class attribute), then by its name and prefix:
# what every form's copy starts from. Weak: the fields of a form class that is dropped (form_parts keeps a bounded
# number) go with it.
_BOUND_ONCE: WeakKeyDictionary[UnboundField, dict[tuple[str, str], Field]] = WeakKeyDictionary()


def _bound_copy(form, unbound_field: UnboundField, options: dict, bind) -> Field:
    """The field `bind` would make for `form`, copied from one made once. Binding builds the field from its
    arguments (its flags, label, validators checked, choices copied), the same for every form: about 10 us a
    field, 0.2 ms for the registration form's 20-odd, on every request that makes one. The copy then gets this
    form's own (`_form`, `meta`, translations); what a request changes (data, errors, choices from a callable)
    is set on the copy, never on the shared values, which nothing changes once bound. Not for a field whose
    label comes from the translations when bound (no label given), nor the CSRF token (one per form)."""
    if issubclass(unbound_field.field_class, CSRFTokenField) or not (
            unbound_field.args or unbound_field.kwargs.get("label") is not None):
        return bind(form, unbound_field, options)
    by_name = _BOUND_ONCE.setdefault(unbound_field, {})
    key = (options["name"], options.get("prefix", ""))
    bound = by_name.get(key)
    if bound is None:
        bound = bind(form, unbound_field, options)
        bound.__dict__.pop("_form", None)  # kept without the form (and the request) it was made for
        bound.__dict__.pop("meta", None)
        by_name[key] = bound
    field = object.__new__(type(bound))  # Field.__new__ would give an UnboundField
    field.__dict__.update(bound.__dict__)
    field._form = form
    field.meta = form.meta
    if options.get("translations") is not None:  # as Field.__init__: None leaves the class's own
        field._translations = options["translations"]
    else:
        field.__dict__.pop("_translations", None)
    return field


class RegistrationForm(TrimmedForm):
    class Meta:
        csrf_class = _FormCSRF

        def bind_field(self, form, unbound_field, options):
            return _bound_copy(form, unbound_field, options, bind_trimmed)  # TrimmedForm's, made once a field

    title = FixedSelectField(lazy_pgettext("a person's title, e.g. Dr", "Title"), choices=TITLE_CHOICES, validators=[Optional()])
    given_name = StringField(
        _l("Given name(s)"), validators=[DataRequired(_l("Please enter your given name.")), Length(max=100)]
    )
    family_name = StringField(
        _l("Family name"), validators=[Length(max=100)],
        description=_l("As written in your passport."),
    )
    single_name = BooleanField(
        _l("I have only one name"),
        description=_l("Write it as your given name and leave the family name empty."),
    )
    name_order = FixedRadioField(_l("How your name is written"), choices=NAME_ORDER_CHOICES, default="",
                            validators=[Optional()])
    passport_given_name = StringField(
        _l("Given names in your passport (optional)"), validators=[Optional(), Length(max=100), _latin_letters],
        description=_l("Only if your name above is not in Latin letters, or is spelt differently in your passport."),
    )
    passport_family_name = StringField(
        _l("Surname in your passport (optional)"), validators=[Optional(), Length(max=100), _latin_letters],
    )
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Please enter your email address.")), Length(max=254), normalised_email]
    )
    organisation = StringField(
        _l("Organisation"), validators=[DataRequired(_l("Please enter your organisation.")), Length(max=200)]
    )
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    organisation_type = FixedSelectField(
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
    # The page's language is chosen until the person picks another.
    language = _LanguageField(
        _l("Language for emails and documents"), choices=LANGUAGE_CHOICES, default=select_language,
        validators=[DataRequired(_l("Please choose the language of your emails and documents."))],
    )
    dietary_needs = TextAreaField(_l("Dietary needs (optional)"), validators=[Optional(), Length(max=500)])
    accessibility_needs = TextAreaField(_l("Accessibility needs (optional)"), validators=[Optional(), Length(max=500)])
    needs_visa_letter = BooleanField(_l("I need a visa invitation letter"))
    consent = BooleanField(
        _l("I agree that the organisers process my data to run this event."),
        validators=[DataRequired(_l("We can only register you with your consent."))],
    )
    website = bot_check.honeypot_field()

    def validate_family_name(self, field) -> None:
        if "single_name" not in self:  # a locked name: the form has none of the name fields
            return
        if self.single_name.data and field.data:
            raise ValidationError(_l("You ticked “I have only one name”: please leave the family name empty, "
                                     "or untick the box."))
        if not self.single_name.data and not field.data:
            raise ValidationError(_l("Please enter your family name, or tick “I have only one name”."))

    def validate_passport_family_name(self, field) -> None:
        if "single_name" in self and self.single_name.data and field.data:
            raise ValidationError(_l("You ticked “I have only one name”: give your passport name in the "
                                     "given name field only."))

    def chosen_name_order(self) -> NameOrder:
        """The order ticked, or the script's usual one when the person left it to us."""
        if self.name_order.data in _NAME_ORDERS:  # not a crafted value on a form shown again with its errors
            return NameOrder(self.name_order.data)
        return default_name_order(self.given_name.data or "", self.family_name.data or "")

    def name_preview(self) -> str:
        """The name as it will be written, for a form shown again (the live preview does it in the browser)."""
        if "given_name" not in self or not (self.given_name.data or self.family_name.data):
            return ""
        return written_name(self.given_name.data or "", self.family_name.data or "", self.chosen_name_order(),
                            single=bool(self.single_name.data))

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
            family_name="" if self.single_name.data else self.family_name.data or "",
            single_name=bool(self.single_name.data),
            name_order=self.chosen_name_order(),
            passport_given_name=self.passport_given_name.data or "",
            passport_family_name="" if self.single_name.data else self.passport_family_name.data or "",
            email=self.email.data,
            organisation=self.organisation.data,
            position=self.position.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            country=self.country.data,
            phone=self.phone.data or "",
            dietary_needs=self.dietary_needs.data or "",
            accessibility_needs=self.accessibility_needs.data or "",
            needs_visa_letter=bool(self.needs_visa_letter.data),
            language=self.language.data,
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
        if "given_name" in self:
            single = bool(self.single_name.data)
            names = dict(given_name=self.given_name.data, family_name="" if single else self.family_name.data or "",
                         single_name=single, name_order=self.chosen_name_order(),
                         passport_given_name=self.passport_given_name.data or "",
                         passport_family_name="" if single else self.passport_family_name.data or "")
        else:  # a locked name stays as it is
            names = {name: getattr(registration, name) for name in (
                "given_name", "family_name", "single_name", "name_order", "passport_given_name",
                "passport_family_name")}
        return Details(
            title=Title(title) if title else None,
            **names,
            email=value("email"),
            organisation=self.organisation.data,
            position=self.position.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            country=self.country.data,
            phone=self.phone.data or "",
            dietary_needs=self.dietary_needs.data or "",
            accessibility_needs=self.accessibility_needs.data or "",
            language=value("language"),
        )

    @staticmethod
    def values_of(registration) -> dict:
        values = {name: getattr(registration, name) for name in (
            "given_name", "family_name", "email", "organisation", "position", "country", "phone", "dietary_needs",
            "accessibility_needs", "language", "single_name", "passport_given_name", "passport_family_name")}
        values["title"] = registration.title.value if registration.title else ""
        values["name_order"] = registration.name_order.value
        values["organisation_type"] = registration.organisation_type.value
        return values
