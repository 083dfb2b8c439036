"""An organiser follows a series across its editions on the series page: participants, countries and
organisations per edition, who came back, which countries are new, and the sessions' attendance; as a
chart with its table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import CheckIn, EventKind, ProgrammeSession, RegistrationStatus, Series, YearParity
from tests.conftest import start_writing
from tests.integration.organiser_support import add_registrations
from tests.integration.statistics_support import tables


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def forum_series(make_event):
    start_writing()
    series = Series(name="Daejeon Global Innovation Forum", slug="dgif", code="DGIF", kind=EventKind.FORUM,
                    first_year=2014, interval_years=2, year_parity=YearParity.EVEN)
    db.session.add(series)
    db.session.commit()
    editions = {}
    for year in (2014, 2016, 2018):
        starts = datetime(year, 10, 20, 0, tzinfo=UTC)
        editions[year] = make_event(
            kind=EventKind.FORUM, title="", slug=f"dgif-{year}", code=f"DGIF{year % 100}", series_id=series.id,
            series_year=year, starts_at=starts, ends_at=starts + timedelta(days=1),
            registration_opens_at=starts - timedelta(days=60), registration_closes_at=starts - timedelta(days=5))
    return series, editions


def people(event, *pairs, status=RegistrationStatus.CONFIRMED):
    registrations = []
    for email, country, organisation in pairs:
        registrations += add_registrations(event, 1, status=status, email=email, country=country,
                                           organisation=organisation)
    return registrations


def test_the_series_page_shows_each_edition_with_returning_people_and_new_countries(organiser, make_event, client):
    series, editions = forum_series(make_event)
    people(editions[2014], ("a@x.org", "KR", "KAIST"), ("b@x.org", "KR", "ETRI"), ("c@x.org", "VN", "Hoa Lac"))
    people(editions[2016], ("a@x.org", "KR", "KAIST"), ("d@x.org", "NG", "Lagos Tech"))
    people(editions[2016], ("e@x.org", "FR", "Paris-Saclay"), status=RegistrationStatus.WAITLISTED)
    at_2018 = people(editions[2018], ("a@x.org", "KR", "kaist"), ("b@x.org", "KR", "ETRI"),
                     ("d@x.org", "NG", "Lagos Tech"), ("f@x.org", "FR", "Paris-Saclay"))
    start_writing()
    opening = ProgrammeSession(event_id=editions[2018].id, title="Opening", starts_at=editions[2018].starts_at,
                               ends_at=editions[2018].starts_at + timedelta(hours=1))
    plenary = ProgrammeSession(event_id=editions[2018].id, title="Plenary", starts_at=editions[2018].starts_at
                               + timedelta(hours=2), ends_at=editions[2018].starts_at + timedelta(hours=3))
    db.session.add_all([opening, plenary])
    db.session.flush()
    db.session.add_all([CheckIn(registration_id=at_2018[0].id, day=date(2018, 10, 20), session_id=opening.id),
                        CheckIn(registration_id=at_2018[1].id, day=date(2018, 10, 20), session_id=opening.id),
                        CheckIn(registration_id=at_2018[0].id, day=date(2018, 10, 20), session_id=plenary.id)])
    db.session.commit()

    page = client.get(f"/admin/series/{series.id}").get_data(as_text=True)

    assert 'alt="Chart: Daejeon Global Innovation Forum since 2014.' in page
    assert tables(page)["Daejeon Global Innovation Forum since 2014"] == [
        # Edition, participants, countries, new countries, organisations, returning, sessions, session check-ins
        ["2014", "3", "2", "2", "3", "0 (0 %)", "0", "0"],
        ["2016", "2", "2", "1", "2", "1 (50 %)", "0", "0"],  # the waiting Frenchwoman is no participant
        ["2018", "4", "3", "1", "4", "3 (75 %)", "2", "3"],  # "kaist" is KAIST: organisations compared in lower case
    ]


def test_the_series_page_costs_the_same_queries_with_more_people(organiser, make_event, client, count_queries):
    series, editions = forum_series(make_event)
    people(editions[2014], ("a@x.org", "KR", "KAIST"))
    few = count_queries(f"/admin/series/{series.id}")
    for year, edition in editions.items():
        add_registrations(edition, 60, country="VN" if year == 2016 else "KE")

    assert count_queries(f"/admin/series/{series.id}") == few
