"""Organiser forms: the event form and the attendee list's filters."""

from __future__ import annotations

from functools import cached_property
from typing import cast

from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import Select

from app.forms import (
    CHOOSE,
    COUNTRY_CHOICES,
    DATETIME_ATTRIBUTES,
    TrimmedForm,
    TypedDateInput,
    fits_a_count,
    known_country,
    normalised_email,
)
from app.i18n import lazy_label
from app.models import (
    Event,
    EventKind,
    OrganisationType,
    OrganiserAlerts,
    RegistrationMode,
    RegistrationStatus,
    Series,
)
from app.organiser.bilingual_forms import KoreanEventFields
from app.services.countries import TIMEZONES
from app.services.events.events import EventDetails
from app.services.numbers import small_int
from app.services.registration.attendees import SORT_KEYS, AttendeeQuery, SortKey


def lazy_sentences(*sentences: object) -> LazyString:
    """Sentences translated one by one and joined when shown: a form defined at import time still speaks
    the language of the request that renders it (an f-string would freeze it in English)."""
    return LazyString(lambda: " ".join(str(sentence) for sentence in sentences))


# Built once at import: about 400 time zones (the countries once per language, app/forms.py).
KIND_CHOICES = [(kind.value, lazy_label(kind)) for kind in EventKind]
TIMEZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in TIMEZONES]
# Typed as "2026-11-03 09:00" (the first format is the one shown); what a datetime-local input sends
# ("2026-11-03T09:00", with seconds from some browsers) is accepted too.
DATETIME_LOCAL = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
MOMENT_HINT = _l("YYYY-MM-DD HH:MM, 24-hour clock, e.g. 2026-11-03 09:00.")
# Texts copied to the next edition of a series: placeholders keep them true (Event.fill_in).
PLACEHOLDER_HINT = _l("In an edition of a series, write {edition} for its number (e.g. 9th) and {year} for its year: "
                      "they stay right when the next edition is copied from this one.")
MOMENTS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")



def _moment(label: object, message: object, description: object | None = None) -> DateTimeLocalField:
    return DateTimeLocalField(
        label, format=DATETIME_LOCAL, validators=[InputRequired(message)],
        description=lazy_sentences(description, MOMENT_HINT) if description else MOMENT_HINT,
        invalid_value_message=_l("Write the date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-03 09:00."),
        widget=TypedDateInput(DATETIME_ATTRIBUTES),
    )


class EventForm(KoreanEventFields, TrimmedForm):
    kind = SelectField(_l("Kind of event"), choices=[CHOOSE, *KIND_CHOICES], validators=[DataRequired(_l("Please choose a kind."))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Please give the event a title.")), Length(max=200)])
    slug = StringField(
        _l("Web address"), validators=[Optional(), Length(max=120)],
        description=_l("The end of the public link, e.g. dgif-2026. Leave empty to make it from the title."),
    )
    code = StringField(
        _l("Reference prefix"), validators=[Optional(), Length(max=12)],
        description=_l("Starts every participant's reference, e.g. DGIF26. Leave empty for the title's initials and year."),
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=500)],
                            description=lazy_sentences(_l("One or two sentences for the list of events."), PLACEHOLDER_HINT))
    description = TextAreaField(_l("Description"), validators=[Optional()], description=PLACEHOLDER_HINT)
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    # validate_choice=False: our own messages below say more than WTForms' "Not a valid choice".
    country = SelectField(_l("Country"), choices=COUNTRY_CHOICES, default="KR", validate_choice=False,
                          validators=[DataRequired(_l("Please choose the country of the venue.")), known_country])
    timezone = SelectField(_l("Time zone of the venue"), choices=TIMEZONE_CHOICES, default="Asia/Seoul", validate_choice=False,
                           description=_l("The dates and times below are read in this time zone."))
    starts_at = _moment(_l("Starts"), _l("Please give the start date and time."))
    ends_at = _moment(_l("Ends"), _l("Please give the end date and time."))
    registration_opens_at = _moment(_l("Registration opens"), _l("Please say when registration opens."))
    registration_closes_at = _moment(_l("Registration closes"), _l("Please say when registration closes."),
                                     _l("For an event that takes applications: the application deadline."))
    details_editable_until = DateTimeLocalField(
        _l("Participants correct their details until"), format=DATETIME_LOCAL, validators=[Optional()],
        description=lazy_sentences(_l("From their personal link. Leave empty for when registration closes."), MOMENT_HINT),
        invalid_value_message=_l("Write the date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-03 09:00."),
        widget=TypedDateInput(DATETIME_ATTRIBUTES),
    )
    names_locked = BooleanField(
        _l("Names are final (e.g. the badges are printed)"),
        description=_l("Participants can then no longer change their name themselves: they request a correction, "
                    "and you make it. A certificate or visa letter locks the name of its holder anyway."),
    )
    capacity = IntegerField(
        _l("Capacity"), validators=[Optional(), NumberRange(min=0, message=_l("The capacity cannot be negative.")),
                                fits_a_count()],
        description=_l("Confirmed places. Leave empty for no limit."),
    )
    waiting_list_enabled = BooleanField(_l("Open a waiting list when the event is full"), default=True)
    asks_gender = BooleanField(
        _l("Ask for gender (optional for participants)"),
        description=_l("Woman, man, another gender or prefer not to say; never required. Only the event's managers see "
                    "each answer; the statistics show totals. Never printed on badges or certificates."))
    registration_mode = SelectField(
        _l("How people take part"), choices=[(mode.value, lazy_label(mode)) for mode in RegistrationMode], default="open",
        description=_l("With applications, “Registration closes” is the application deadline and nobody gets a place "
                    "until you accept them. It cannot change once people have registered or applied."),
    )
    contact_email = EmailField(_l("Contact email"), validators=[
        DataRequired(_l("Please give a contact email address.")), Length(max=254), normalised_email])
    off_rule_reason = StringField(
        _l("Reason, if this edition is held in a year its series does not give"), validators=[Optional(), Length(max=300)],
        description=_l("Only for an edition of a series, e.g. “postponed from 2020 because of the pandemic”."))
    retention_months = IntegerField(
        _l("Keep participants' data for (months after the event)"),
        validators=[Optional(), NumberRange(min=0, max=600, message=_l("Please give a number of months from 0 to 600."))],
        description=_l("Then their names, contact details, answers and files are deleted; the anonymous figures "
                    "(countries, types of organisation, attendance) stay. Leave empty for the site's default."),
    )
    organiser_alerts = SelectField(
        _l("Emails to the organisers about new registrations"),
        choices=[(choice.value, lazy_label(choice)) for choice in OrganiserAlerts], default=OrganiserAlerts.DAILY.value,
        description=_l("Sent to everyone who manages the event. Whatever you choose, you are emailed at once when "
                    "someone with a place cancels or an accepted applicant withdraws."),
    )

    def for_edition_of(self, series: Series) -> None:
        """An edition's title comes from its series: the title field asks only for its theme,
        required when the series' titles say it ("24th ... on {theme}")."""
        self.title.label.text = _l("Theme of this edition") if series.asks_theme else _l("Theme of this edition (optional)")
        if series.asks_theme:
            self.title.validators = [DataRequired(_l("Please give this edition its theme: it is part of its title.")),
                                     Length(max=200)]
            self.title.description = _("Part of the title, which reads “%(pattern)s”.", pattern=series.title_pattern)
        else:
            self.title.validators = [Optional(), Length(max=200)]
            self.title.description = _l("Shown under the title, which comes from the series.")
        self.title.flags.required = series.asks_theme

    def event_details(self) -> EventDetails:
        return EventDetails(
            kind=EventKind(self.kind.data),
            title=self.title.data,
            slug=self.slug.data or "",
            code=self.code.data or "",
            summary=self.summary.data or "",
            description=self.description.data or "",
            venue=self.venue.data or "",
            city=self.city.data or "",
            country=self.country.data,
            timezone=self.timezone.data,
            capacity=self.capacity.data,
            waiting_list_enabled=bool(self.waiting_list_enabled.data),
            asks_gender=bool(self.asks_gender.data),
            registration_mode=RegistrationMode(self.registration_mode.data),
            organiser_alerts=OrganiserAlerts(self.organiser_alerts.data),
            retention_months=self.retention_months.data,
            contact_email=self.contact_email.data,
            off_rule_reason=self.off_rule_reason.data or "",
            details_editable_until=self.details_editable_until.data,
            names_locked=bool(self.names_locked.data),
            **{name: getattr(self, name).data for name in MOMENTS},
            **self.korean_details(),
        )

    @staticmethod
    def values_of(event: Event) -> dict:
        """The event as the form shows it: times on the venue's clock."""
        values = {name: getattr(event, name) for name in (
            "title", "slug", "code", "summary", "description", "venue", "city", "country", "timezone",
            "capacity", "waiting_list_enabled", "asks_gender", "contact_email", "off_rule_reason", "names_locked",
            "retention_months")}
        values["kind"] = event.kind.value
        values["registration_mode"] = event.registration_mode.value
        values["organiser_alerts"] = event.organiser_alerts.value
        values["title"] = event.own_title  # for an edition, its theme: the title itself is derived
        values.update(KoreanEventFields.korean_values_of(event))
        values.update({name: event.local(getattr(event, name)).replace(tzinfo=None) for name in MOMENTS})
        if event.details_editable_until is not None:
            values["details_editable_until"] = event.local(event.details_editable_until).replace(tzinfo=None)
        return values


class CancelEventForm(TrimmedForm):
    reason = TextAreaField(
        _l("Why is the event cancelled?"),
        validators=[DataRequired(_l("Please say why the event is cancelled: the public page shows it.")),
                    Length(max=1000, message=_l("Please keep the reason under 1000 characters."))],
        description=_l("Shown on the public page of the event, e.g. “Postponed to spring because of the typhoon "
                    "season; everyone registered will be invited again.”"),
    )


STATUS_CHOICES = [("", _l("Any status"))] + [(s.value, lazy_label(s)) for s in RegistrationStatus]
ORGANISATION_TYPE_CHOICES = [("", _l("Any type"))] + [(t.value, lazy_label(t)) for t in OrganisationType]
_STATUSES = {s.value for s in RegistrationStatus}
_ORGANISATION_TYPES = {t.value for t in OrganisationType}


CHECKED_IN_CHOICES = [("", _l("Anyone")), ("yes", _l("Checked in")), ("no", _l("Not checked in"))]


class PlainSelect(Select):
    """wtforms' Select with the same HTML, for a select of plain (value, label) pairs rendered with no extra
    attributes: written in one pass. Select works out its option renderer's signature with `inspect` and builds
    each option's attributes through html_params: the filter form's four selects were a sixth of the attendee
    list's rendering. Anything else (attributes, groups, required, disabled) is left to Select.

    `fixed_choices`: the field's choices are the same on every request (built at import, their words translated
    when shown), so the select is made once for each language and choice selected. An enum's label
    builds its table of words on every read: the status and organisation type selects cost 0.1-0.2 ms each."""

    def __init__(self, fixed_choices: bool = False) -> None:
        super().__init__()
        self.fixed_choices = fixed_choices
        self._made: dict[tuple[object, ...], Markup] = {}

    def __call__(self, field, **kwargs):
        choices = field.choices
        if kwargs or self.multiple or field.flags.required or field.flags.disabled or not isinstance(choices, list) \
                or not all(type(choice) is tuple and len(choice) == 2 for choice in choices):
            return super().__call__(field, **kwargs)
        data, coerce = field.data, field.coerce
        selected = tuple(coerce(value) == data for value, _label in choices)
        if not self.fixed_choices:
            return self._select(field, choices, selected)
        # The values are in the key (the labels are the language's): a field whose choices do change still
        # never shows another's.
        key = (str(get_locale()), field.id, field.name, tuple(value for value, _label in choices), selected)
        made = self._made.get(key)
        if made is None:
            if len(self._made) >= 256:  # bounded all the same
                self._made.clear()
            made = self._made[key] = self._select(field, choices, selected)
        return made

    @staticmethod
    def _select(field, choices: list[tuple[object, object]], selected: tuple[bool, ...]) -> Markup:
        html = [f'<select id="{escape(field.id)}" name="{escape(field.name)}">']
        for (value, label), chosen in zip(choices, selected, strict=True):
            shown = str(value) if isinstance(value, bool) else value
            html.append(f'<option{" selected" if chosen else ""} value="{escape(shown)}">{escape(label or shown)}</option>')
        html.append("</select>")
        return Markup("".join(html))


class PeopleFilterForm(FlaskForm):
    """The search box and filters of a list of people. A GET form: bookmarkable, no CSRF needed
    for reading. Subclasses add their status field and say how the list sorts by default."""

    class Meta:
        csrf = False

    sort_keys: frozenset[str] | tuple[str, ...] = ()
    default_sort = "name"

    q = SearchField(_l("Search"), description=_l("Name, email, organisation or reference"))
    country = SelectField(_l("Country"), choices=[("", _l("Any country"))], widget=PlainSelect())
    organisation_type = SelectField(_l("Organisation type"), choices=ORGANISATION_TYPE_CHOICES,
                                    widget=PlainSelect(fixed_choices=True))

    def __init__(self, args: MultiDict, countries: list[tuple[str, str]]) -> None:
        super().__init__(formdata=args)
        self.country.choices = [("", _l("Any country")), *countries]
        sort = args.get("sort", "")
        self.sort = sort if sort in self.sort_keys else self.default_sort
        self.descending = args.get("dir", self.default_direction(self.sort)) == "desc"
        self.page = small_int(args.get("page"), default=1) or 1

    @staticmethod
    def default_direction(sort: str) -> str:
        return "asc"

    def chosen_country(self) -> str | None:
        """Unknown values from an edited URL are ignored rather than refused: this only reads."""
        country = self.country.data
        return country if country and country in dict(self.country.choices) else None

    def chosen_organisation_type(self) -> OrganisationType | None:
        value = self.organisation_type.data
        return OrganisationType(value) if value in _ORGANISATION_TYPES else None


class AttendeeFilterForm(PeopleFilterForm):
    sort_keys = SORT_KEYS
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, widget=PlainSelect(fixed_choices=True))
    checked_in = SelectField(_l("Check-in"), choices=CHECKED_IN_CHOICES, widget=PlainSelect(fixed_choices=True))

    def __init__(self, args: MultiDict, countries: list[tuple[str, str]]) -> None:
        super().__init__(args, countries)
        # Answers to the event's own questions shown as extra columns: ids of questions.
        self.columns = tuple(dict.fromkeys(n for n in map(small_int, args.getlist("col")) if n is not None))[:12]

    @cached_property
    def _args(self) -> dict:
        # Worked out once: a list page asks for its arguments a dozen times (sort links, pages, downloads).
        query = self.attendee_query()
        return {
            "q": query.search, "status": query.status.value if query.status else "", "country": query.country or "",
            "organisation_type": query.organisation_type.value if query.organisation_type else "",
            "checked_in": "" if query.checked_in is None else ("yes" if query.checked_in else "no"),
            "sort": query.sort, "dir": "desc" if query.descending else "asc", "page": self.page,
            "col": self.columns,
        }

    def attendee_query(self) -> AttendeeQuery:
        """Unknown values from an edited URL are ignored rather than refused: this only reads."""
        status = self.status.data
        return AttendeeQuery(
            search=(self.q.data or "").strip()[:200],
            status=RegistrationStatus(status) if status in _STATUSES else None,
            country=self.chosen_country(),
            organisation_type=self.chosen_organisation_type(),
            checked_in={"yes": True, "no": False}.get(self.checked_in.data or ""),
            sort=cast(SortKey, self.sort),  # one of sort_keys: __init__ checked it
            descending=self.descending,
        )

    def args(self, **changes) -> dict:
        """The list's URL arguments with some changed: page links and sort links keep the filters."""
        args = dict(self._args)
        args.update(changes)
        defaults = {("page", 1), ("sort", "name"), ("dir", "asc"), ("col", ())}
        return {key: value for key, value in args.items() if value not in ("", None) and (key, value) not in defaults}
