"""Every date field shows the order its help text names: YYYY-MM-DD typed into a text box.

A browser's own date input (<input type="date">, "datetime-local") is shown in the browser's locale,
mm/dd/yyyy in an American Chromium, while the help said year-month-day.
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Question, QuestionKind
from tests.conftest import start_writing
from tests.integration.organiser_support import event_form, event_titled, post_form


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def date_inputs(html: str, names: list[str]) -> dict[str, str]:
    """The <input> tag of each named field, and the hint shown with it."""
    found = {}
    for name in names:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag, name
        field_id = re.search(r'id="([^"]+)"', tag.group(0)).group(1)
        hint = re.search(rf'<small class="hint" id="{field_id}-hint">(.*?)</small>', html, re.S)
        assert hint, f"no help next to {name}"
        found[name] = (tag.group(0), " ".join(hint.group(1).split()))
    return found


def assert_typed_as_the_help_says(html: str, names: list[str], shape: str) -> None:
    assert 'type="date"' not in html and 'type="datetime-local"' not in html
    for name, (tag, hint) in date_inputs(html, names).items():
        assert 'type="text"' in tag and f'placeholder="{shape}"' in tag and 'pattern="' in tag, tag
        assert shape in hint, (name, hint)


def test_the_registration_form_asks_for_dates_as_year_month_day_and_shows_them_so(make_event, client):
    event = make_event()
    start_writing()
    db.session.add(Question(event_id=event.id, position=1, kind=QuestionKind.DATE, label="Date your park opened",
                            help_text="The official opening."))
    db.session.commit()
    question = f"q_{db.session.query(Question.id).scalar()}"

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert_typed_as_the_help_says(page, ["visa_date_of_birth", "visa_passport_expiry", question], "YYYY-MM-DD")
    assert "The official opening. Write the date as YYYY-MM-DD" in page


def test_a_date_in_another_order_is_refused_with_the_format_to_use(make_event, register):
    from tests.integration.documents_support import visa_fields

    page = register(make_event(), **visa_fields(visa_date_of_birth="05/17/1984")).get_data(as_text=True)

    assert "Write the date as YYYY-MM-DD (year-month-day), e.g. 1985-04-23." in page
    assert 'value="05/17/1984"' in page  # what was typed stays, to be corrected


def test_the_organiser_event_form_shows_its_moments_as_the_help_says(organiser, client):
    page = client.get("/admin/events/new").get_data(as_text=True)
    moments = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]
    assert_typed_as_the_help_says(page, moments, "YYYY-MM-DD HH:MM")

    post_form(client, "/admin/events/new", event_form(starts_at="2030-11-03 09:00", ends_at="2030-11-07T18:00"))
    event = event_titled("International Training Workshop on STP Development")
    edit = client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2030-11-03 09:00"' in edit and 'value="2030-11-07 18:00"' in edit


def test_the_programme_session_form_asks_for_its_day_as_the_help_says(organiser, make_event, client):
    event = make_event()

    page = client.get(f"/admin/events/{event.id}/programme/new").get_data(as_text=True)

    assert_typed_as_the_help_says(page, ["day"], "YYYY-MM-DD")
    assert f"The event runs from {event.local(event.starts_at).date().isoformat()}" in page
