"""What the attendee list makes once for speed must read exactly as what it replaced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict
from wtforms.widgets import Select

from app.models import RegistrationStatus
from app.organiser.forms import AttendeeFilterForm
from app.web import fill_row, local_dates

COUNTRIES = [("CI", "Côte d'Ivoire"), ("KE", "Kenya"), ("KR", "South Korea")]


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("args", [
    {}, {"status": "waitlisted"}, {"status": "nonsense"}, {"country": "KE"}, {"organisation_type": "university"},
    {"checked_in": "no"}, {"status": "cancelled", "organisation_type": "other", "checked_in": "yes", "country": "CI"},
])
def test_filter_selects_render_as_wtforms_would(app, language, args):
    with app.test_request_context("/", headers={"Cookie": f"lang={language}"}):
        for _ in range(2):  # the second time from what the first made
            form = AttendeeFilterForm(MultiDict(args), COUNTRIES)
            for field in (form.status, form.country, form.organisation_type, form.checked_in):
                assert str(field()) == str(Select()(field)), field.name


def test_filter_select_with_attributes_is_left_to_wtforms(app):
    with app.test_request_context("/"):
        form = AttendeeFilterForm(MultiDict({"status": "confirmed"}), COUNTRIES)
        assert str(form.status(class_="x")) == str(Select()(form.status, class_="x"))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_registration_days_read_as_the_local_filter(app, language):
    moments = [datetime(2026, 12, 31, 16, 0, tzinfo=UTC), datetime(2027, 1, 1, 14, 59, tzinfo=UTC), None]
    with app.test_request_context("/", headers={"Cookie": f"lang={language}"}):
        for fmt in ("%d %b %Y", "%d %b %Y, %H:%M"):
            made = local_dates("Asia/Seoul", fmt)
            for moment in moments:
                expected = render_template_string("{{ m | local('Asia/Seoul', fmt) }}", m=moment, fmt=fmt)
                assert made(moment) == expected


def test_a_row_filled_in_escapes_its_name(app):
    with app.test_request_context("/"):
        markup = render_template_string(
            "{% from 'organiser/_macros.html' import registration_actions %}"
            "{{ registration_actions(event, sample_row(status), '/back?a=1&b=2', texts=row_action_texts(),"
            " name=ROW_NAME) }}",
            event=_OpenEvent(), status=RegistrationStatus.WAITLISTED)
        row = fill_row(markup, 42, "O'Brien <b>&</b>")
    assert "/attendees/42/confirm" in row and "/attendees/42/cancel" in row
    assert "O&#39;Brien &lt;b&gt;&amp;&lt;/b&gt;" in row
    assert "987654321987" not in row


class _OpenEvent:
    id = 3
    takes_applications = False


def test_filter_select_is_made_once_per_language_and_choice(app):
    with app.test_request_context("/"):
        first = AttendeeFilterForm(MultiDict({"status": "confirmed"}), COUNTRIES).status()
        again = AttendeeFilterForm(MultiDict({"status": "confirmed"}), COUNTRIES).status()
        other = AttendeeFilterForm(MultiDict({"status": "cancelled"}), COUNTRIES).status()
    assert again is first
    assert other is not first and '<option selected value="cancelled">' in other
