"""The event, series and programme-session validators report every problem at once, each next to
its field and in the form's order: the messages people see, pinned one by one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from app.extensions import db
from app.models import EventKind, SessionKind, YearParity
from app.services.errors import DomainError
from app.services.events.events import EventDetails, create_event
from app.services.events.series_editions import SeriesDetails, create_series
from app.services.programme.programme_editing import SessionDetails, add_session
from tests.conftest import start_writing


def refusal(action) -> list[tuple[str | None, str]]:
    start_writing()
    with pytest.raises(DomainError) as raised:
        action()
    db.session.rollback()
    return [(problem.field, problem.message) for problem in raised.value.problems]


def event_details(**overrides) -> EventDetails:
    values = dict(
        kind=EventKind.INTERNATIONAL_WORKSHOP, title="Science City Governance", country="KR",
        timezone="Asia/Seoul", starts_at=datetime(2030, 11, 4, 9), ends_at=datetime(2030, 11, 8, 17),
        registration_opens_at=datetime(2030, 6, 1, 9), registration_closes_at=datetime(2030, 10, 1, 18),
        contact_email="training@wtanet.org",
    )
    values.update(overrides)
    return EventDetails(**values)


def test_every_problem_with_an_event_in_the_form_order(app, make_user):
    actor = make_user()
    details = event_details(title=" ", slug="Not A Slug", code="x", country="XX", contact_email="nobody",
                            capacity=-1, starts_at=datetime(2030, 11, 8, 9), ends_at=datetime(2030, 11, 4, 17),
                            registration_closes_at=datetime(2030, 11, 9, 9))

    assert refusal(lambda: create_event(db.session, details, actor=actor)) == [
        ("title", "Please give the event a title."),
        ("slug", "Use lower-case letters, digits and single hyphens, e.g. dgif-2026."),
        ("code", "Use 2 to 12 capital letters or digits, e.g. DGIF26."),
        ("country", "Please choose a country from the list."),
        ("contact_email", "Please give a contact email address."),
        ("capacity", "The capacity cannot be negative. Leave it empty for no limit."),
        ("ends_at", "The event cannot end before it starts."),
        ("registration_closes_at", "Registration must close before the event ends."),
    ]


def test_an_event_in_an_unknown_time_zone_or_at_a_skipped_time(app, make_user):
    actor = make_user()
    assert refusal(lambda: create_event(db.session, event_details(timezone="Mars/Olympus"), actor=actor)) == [
        ("timezone", "Please choose a time zone from the list, e.g. Asia/Seoul."),
    ]
    skipped = event_details(timezone="Europe/Paris", starts_at=datetime(2030, 3, 31, 2, 30),
                            ends_at=datetime(2030, 4, 2, 17), registration_opens_at=datetime(2030, 3, 31, 2, 0),
                            registration_closes_at=datetime(2030, 3, 31, 2, 0))
    assert refusal(lambda: create_event(db.session, skipped, actor=actor)) == [
        ("starts_at", "31 Mar 2030 02:30 does not exist in Europe/Paris: the clocks change then."),
        ("registration_opens_at", "31 Mar 2030 02:00 does not exist in Europe/Paris: the clocks change then."),
        ("registration_closes_at", "31 Mar 2030 02:00 does not exist in Europe/Paris: the clocks change then."),
    ]
    assert refusal(lambda: create_event(db.session, replace(
        event_details(), registration_opens_at=datetime(2030, 10, 1, 18)), actor=actor)) == [
        ("registration_opens_at", "Registration must open before it closes."),
    ]


def series_details(**overrides) -> SeriesDetails:
    values = dict(name="Daejeon Global Innovation Forum", code="DGIF", kind=EventKind.FORUM, first_year=2014,
                  interval_years=2, year_parity=YearParity.EVEN, usual_month=10)
    values.update(overrides)
    return SeriesDetails(**values)


def test_every_problem_with_a_series_in_the_form_order(app):
    details = series_details(name=" ", code="1X", slug="Bad Slug", interval_years=11, usual_month=13,
                             first_year=1900, title_pattern="x" * 301)
    assert refusal(lambda: create_series(db.session, details)) == [
        ("name", "Please give the series a name."),
        ("code", "Use 2 to 8 capital letters or digits, starting with a letter, e.g. DGIF."),
        ("slug", "Use lower-case letters, digits and single hyphens."),
        ("interval_years", "Choose an interval between 1 and 10 years."),
        ("usual_month", "Choose a month."),
        ("first_year", "Give the year of the first edition, e.g. 2014."),
        ("title_pattern", "Please keep the pattern under 300 characters."),
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (dict(first_year=2015), ("first_year", "The first edition (2015) must itself be in an even year.")),
        (dict(first_year=2015, year_parity=YearParity.ODD, interval_years=3),
         ("year_parity", "Every 3 years alternates between even and odd years; "
                         "choose an even interval, or any year.")),
    ],
)
def test_a_series_in_even_or_odd_years_only(app, overrides, expected):
    assert refusal(lambda: create_series(db.session, series_details(**overrides))) == [expected]


def test_a_taken_series_code_and_address(app):
    start_writing()
    create_series(db.session, series_details())
    db.session.commit()
    assert refusal(lambda: create_series(db.session, series_details(name="Other", slug="daejeon-global-innovation-forum"))) == [
        ("code", "Another series uses the code DGIF already."),
        ("slug", "Another series uses the address “daejeon-global-innovation-forum” already."),
    ]


def test_every_problem_with_a_programme_session_in_the_form_order(app, make_event):
    event = make_event(starts_at=datetime(2030, 11, 4, 0, 0, tzinfo=UTC),
                       ends_at=datetime(2030, 11, 8, 9, 0, tzinfo=UTC))
    details = SessionDetails(title="", kind=SessionKind.PLENARY, day=date(2030, 12, 1), starts=time(10),
                             ends=time(9), room="r" * 121, seat_limit=-2)
    problems = refusal(lambda: add_session(db.session, event.id, details))
    assert [field for field, _ in problems] == ["title", "room", "day", "ends", "seat_limit"]
    assert problems[0] == ("title", "Please give the session a title.")
    assert problems[1] == ("room", "Please keep the room under 120 characters.")
    assert problems[2][1].startswith("Choose a day of the event: ")
    assert problems[3:] == [
        ("ends", "The session must end after it starts (on the same day)."),
        ("seat_limit", "The seat limit cannot be negative. Leave it empty for no limit."),
    ]
