"""Organiser forms for series: the series itself and adding an edition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import TrimmedForm, optional_int
from app.i18n import lazy_label
from app.models import EventKind, Series, YearParity
from app.models.series import DEFAULT_TITLE_PATTERN
from app.organiser.bilingual_forms import KoreanSeriesFields
from app.services.events.series import MONTHS
from app.services.events.series_editions import SeriesDetails


class SeriesForm(KoreanSeriesFields, TrimmedForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Please give the series a name.")), Length(max=200)],
                       description=_l("Without the year or number, e.g. Daejeon Global Innovation Forum."))
    code = StringField(_l("Short code"), validators=[DataRequired(_l("Please give a short code, e.g. DGIF.")), Length(max=8)],
                       description=_l("Starts the reference codes of every edition, with the year: DGIF26-7KQ3."))
    slug = StringField(_l("Web address"), validators=[Optional(), Length(max=120)],
                       description=_l("The end of the public link. Leave empty to make it from the name."))
    kind = SelectField(_l("Kind of event"), choices=[(k.value, lazy_label(k)) for k in EventKind])
    title_pattern = StringField(
        _l("Title of each edition"), default=DEFAULT_TITLE_PATTERN,
        validators=[DataRequired(_l("Please say how editions are titled, e.g. {ordinal} {name} {year}.")),
                    Length(max=300, message=_l("Please keep the pattern under 300 characters."))],
        description=_l("{ordinal} is the edition's number (24th), counted by the rule below; {number} the number "
                    "alone; {name} the series' name; {year} the year it is held; {theme} a theme given with each "
                    "edition. E.g. “{ordinal} {name} {year}” or “{ordinal} International Training Workshop on "
                    "{theme}”."))
    first_year = IntegerField(_l("Year of the first edition"), validators=[
        InputRequired(_l("Give the year of the first edition, e.g. 2014.")),
        NumberRange(min=1950, max=2100, message=_l("Give a year between 1950 and 2100."))])
    interval_years = IntegerField(_l("Every … years"), default=1, validators=[
        InputRequired(_l("Give the number of years between editions.")),
        NumberRange(min=1, max=10, message=_l("Choose an interval between 1 and 10 years."))])
    year_parity = SelectField(_l("Which years"), choices=[(p.value, lazy_label(p)) for p in YearParity])
    usual_month = SelectField(_l("Usual month"), choices=[("", "—")] + [(str(n), m) for n, m in enumerate(MONTHS, 1)])
    description = TextAreaField(_l("Description"), validators=[Optional()])

    def details(self) -> SeriesDetails:
        return SeriesDetails(
            name=self.name.data, code=self.code.data, slug=self.slug.data or "", kind=EventKind(self.kind.data),
            first_year=self.first_year.data, interval_years=self.interval_years.data,
            year_parity=YearParity(self.year_parity.data),
            usual_month=int(self.usual_month.data) if self.usual_month.data else None,
            description=self.description.data or "", title_pattern=self.title_pattern.data or "",
            **self.korean_details(),
        )

    @staticmethod
    def values_of(series: Series) -> dict:
        return dict(name=series.name, code=series.code, slug=series.slug, kind=series.kind.value,
                    first_year=series.first_year, interval_years=series.interval_years,
                    year_parity=series.year_parity.value,
                    usual_month=str(series.usual_month) if series.usual_month else "",
                    description=series.description, title_pattern=series.title_pattern,
                    **KoreanSeriesFields.korean_values_of(series))


class AddEditionForm(TrimmedForm):
    event_id = SelectField(_l("Event"), coerce=optional_int, validate_choice=False,
                           validators=[DataRequired(_l("Please choose an event."))])
    off_rule_reason = StringField(
        _l("Reason, if the year is an exception"), validators=[Optional(), Length(max=300)],
        description=_l("Only for an edition held in a year the rule does not give, e.g. “postponed from 2020 "
                    "because of the pandemic”."))
    theme = StringField(
        _l("Theme of this edition"), validators=[Optional(), Length(max=200)],
        description=_l("Part of its title. Leave empty to take it from the event's title, e.g. “Science Park "
                    "Management” from “24th International Training Workshop on Science Park Management”."))
