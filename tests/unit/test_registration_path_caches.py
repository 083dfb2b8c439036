"""What the registration path caches for speed must read exactly as what it replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from wtforms.fields.core import Flags, Label
from wtforms.widgets import Select

from app.models import Event
from app.public.forms import RegistrationForm
from app.services.events.calendar import event_ics


@pytest.mark.parametrize("chosen", [None, "KE", "", "XX"])
def test_country_list_renders_as_wtforms_would(app, chosen):
    with app.test_request_context("/"):
        form = RegistrationForm(data=None if chosen is None else {"country": chosen})
        attrs = {"class_": "searchable", "data-searchable": "1"}
        assert str(form.country(**attrs)) == str(Select()(form.country, **attrs))


def test_country_chosen_before_is_still_chosen_when_the_form_comes_back(app):
    with app.test_request_context("/"):
        RegistrationForm().country()  # the shared option list is built from an empty form
        html = str(RegistrationForm(data={"country": "KE"}).country())
    assert '<option selected value="KE">Kenya</option>' in html
    assert html.count("selected") == 1


def _field_values(field) -> dict:
    """A field's attributes, its label and flags by their own (they have no ==), the form's left out."""
    return {name: vars(value) if isinstance(value, (Label, Flags)) else value
            for name, value in vars(field).items() if name not in ("_form", "meta")}


def test_a_form_s_fields_are_those_binding_makes_and_their_own(app):
    """Fields copied from ones bound once (app/public/forms.py) hold what binding them would, and what one form's
    request sets (data, errors, choices read) stays on that form."""
    with app.test_request_context("/", method="POST", data={"given_name": " Amina ", "country": "KE"}):
        first, second = RegistrationForm(), RegistrationForm(meta={"csrf": False})
        first.validate()
        for name in ("title", "given_name", "name_order", "organisation_type", "country", "language", "consent"):
            unbound = getattr(RegistrationForm, name)
            bound = unbound.bind(form=second, name=name, prefix="", translations=second.meta.get_translations(second))
            copied = second[name]
            assert copied._form is second and copied.meta is second.meta
            assert type(copied) is type(bound)
            fresh = _field_values(bound) | {"data": copied.data, "raw_data": copied.raw_data,
                                            "object_data": copied.object_data, "process_errors": copied.process_errors}
            assert {k: v for k, v in _field_values(copied).items() if not k.startswith("_choices")} == \
                {k: v for k, v in fresh.items() if not k.startswith("_choices")}
            assert list(getattr(copied, "choices", None) or []) == list(getattr(bound, "choices", None) or [])
        assert first.given_name.data == "Amina" and first.given_name.errors == []
        assert first.email.errors and not second.email.errors
        assert first.email is not second.email and first.email.flags is second.email.flags  # shared, never changed


def test_fixed_choices_are_checked_by_their_set(app):
    """The title, organisation type, name order and language lists are kept as they are (WTForms 3.3 copies a
    list given as choices), so a sent value is checked with one set look-up; a value not in them is refused
    with WTForms' own message."""
    from app.public.forms import _FIXED_CHOICES, TITLE_CHOICES
    with app.test_request_context("/", method="POST", data={"title": "Dr", "organisation_type": "nonsense"}):
        form = RegistrationForm(meta={"csrf": False})
        assert form.title.choices is TITLE_CHOICES and id(form.title.choices) in _FIXED_CHOICES
        form.validate()
        assert form.title.errors == []
        assert form.organisation_type.errors == ["Not a valid choice."]


def _event(timezone: str) -> Event:
    start = datetime(2026, 11, 3, 0, 30, tzinfo=UTC)
    return Event(id=7, title="Workshop", slug="workshop", summary="Lectures.", venue="Hall", city="Daejeon",
                 timezone=timezone, starts_at=start, ends_at=start + timedelta(days=4), contact_email="t@wtanet.org")


def _slow_ics(event: Event, stamp: datetime) -> str:
    """The file as icalendar builds it when asked to add the time zone itself."""
    calendar = icalendar.Calendar.from_ical(event_ics(event, url="http://x/e", uid_domain="x", stamp=stamp))
    for zone in calendar.walk("VTIMEZONE"):
        calendar.subcomponents.remove(zone)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


@pytest.mark.parametrize("timezone", ["Asia/Seoul", "Europe/Berlin", "America/Sao_Paulo"])
def test_calendar_file_carries_the_venue_time_zone(timezone):
    event, stamp = _event(timezone), datetime(2026, 5, 1, tzinfo=UTC)
    ics = event_ics(event, url="http://x/e", uid_domain="x", stamp=stamp)
    assert f"TZID:{timezone}" in ics and f"DTSTART;TZID={timezone}:" in ics
    assert ics.index("BEGIN:VTIMEZONE") < ics.index("BEGIN:VEVENT")
    assert ics == _slow_ics(event, stamp)


def test_calendar_file_in_utc_needs_no_time_zone():
    ics = event_ics(_event("UTC"), url="http://x/e", uid_domain="x", stamp=datetime(2026, 5, 1, tzinfo=UTC))
    assert "VTIMEZONE" not in ics and "DTSTART:20261103T003000Z" in ics
