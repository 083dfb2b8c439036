"""What the attendee list makes once for speed must read exactly as what it replaced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import render_template_string
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms.widgets import Select

from app.organiser.forms import AttendeeFilterForm
from app.web import RowMarkup, local_dates

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


def test_row_markup_puts_in_each_rows_values_escaped():
    markup = Markup('<tr><td><a href="/r/987654321987">Zq9name9qZ</a></td><td title="Zq9email9qZ">x</td></tr>')
    written = RowMarkup(markup)({"id": 42, "name": "O'Brien <b>&</b> Zq9email9qZ", "email": 'a"b@c'})
    assert written == ('<tr><td><a href="/r/42">O&#39;Brien &lt;b&gt;&amp;&lt;/b&gt; Zq9email9qZ</a></td>'
                       '<td title="a&#34;b@c">x</td></tr>')


def test_filter_select_is_made_once_per_language_and_choice(app):
    with app.test_request_context("/"):
        first = AttendeeFilterForm(MultiDict({"status": "confirmed"}), COUNTRIES).status()
        again = AttendeeFilterForm(MultiDict({"status": "confirmed"}), COUNTRIES).status()
        other = AttendeeFilterForm(MultiDict({"status": "cancelled"}), COUNTRIES).status()
    assert again is first
    assert other is not first and '<option selected value="cancelled">' in other


@pytest.mark.parametrize("value", [
    "", "plain", "O'Brien", 'say "hi"', "a & b", "<script>alert(1)</script>", "&amp;", "김민준 <x>", "\x00&\n'\"<>",
    42, None, Markup("<b>safe</b>"), 3.5,
])
def test_row_values_are_escaped_as_markupsafe_does(value):
    assert RowMarkup(Markup("[Zq9v9qZ]"))({"v": value}) == Markup("[") + escape(value) + Markup("]")


@pytest.mark.parametrize("args", [
    {}, {"page": 2}, {"q": "Nguyễn Văn 김민준 a+b&c=d/e?f#g%", "sort": "country", "dir": "desc"},
    {"col": (3, 1), "status": "waitlisted", "page": None}, {"col": ()}, {"q": "!$'()*,/:;?@ ~"}, {"col": [5]},
])
def test_list_links_read_as_url_for_writes_them(app, args):
    from flask import url_for

    from app.web import query_url

    with app.test_request_context("/admin/events/7/attendees"):
        assert query_url("organiser.attendees", event_id=7)(args) == url_for("organiser.attendees", event_id=7, **args)
