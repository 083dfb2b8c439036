"""What the registration path caches for speed must read exactly as what it replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
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
