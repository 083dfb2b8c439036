"""An organiser reads an event's statistics: who registered and when, who came from where (country, UN
region, World Bank income group), organisation types and gender, attendance and certificates; each chart
with its figures as a table, percentages that add up to 100, at a cost that does not grow with the event."""

from __future__ import annotations

import re

import pytest

from app.models import Event, RegistrationStatus
from tests.integration.organiser_support import add_manager, add_registrations
from tests.integration.statistics_support import known_workshop, tables, text_of


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def statistics_of(client, event: Event) -> str:
    response = client.get(f"/admin/events/{event.id}/statistics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_statistics_page_shows_the_figures_of_the_workshop(organiser, make_event, client):
    event, _ = known_workshop(make_event)

    page = statistics_of(client, event)
    figures = tables(page)

    assert "Participants (with a place) 6" in text_of(page)
    assert "No-shows 2" in text_of(page)
    assert "Certificate rate (%) 33" in text_of(page)
    assert figures["Applications by status"] == [
        ["Accepted", "6", "55 %"], ["Applied", "1", "9 %"], ["Reserve list", "2", "18 %"], ["Declined", "1", "9 %"],
        ["Withdrawn", "1", "9 %"], ["Total", "11", "100 %"]]
    # Read through the applications (the reserve list, declined, withdrawn), not the registrations' statuses.
    assert figures["Participants by country"] == [
        ["South Korea", "3", "50 %"], ["Nigeria", "2", "33 %"], ["France", "1", "17 %"], ["Total", "6", "100 %"]]
    assert figures["Participants by world region (UN M49)"] == [
        ["Asia", "3", "50 %"], ["Africa", "2", "33 %"], ["Europe", "1", "17 %"], ["Total", "6", "100 %"]]
    assert figures["Participants by income group of the country (World Bank)"] == [
        ["High income", "4", "67 %"], ["Lower-middle income", "2", "33 %"], ["Total", "6", "100 %"]]
    assert figures["Participants by organisation type"] == [
        ["University or research institute", "3", "50 %"], ["Government", "1", "17 %"], ["Company", "2", "33 %"],
        ["Total", "6", "100 %"]]
    # 2/6, then four of 1/6 (16.67 %): largest remainders, ties to the earlier, so 33 + 17 + 17 + 17 + 16 = 100.
    assert figures["Participants by gender"] == [
        ["Woman", "2", "33 %"], ["Man", "1", "17 %"], ["Another gender", "1", "17 %"],
        ["Prefer not to say", "1", "17 %"], ["Not answered", "1", "16 %"], ["Total", "6", "100 %"]]
    day_rows = figures["Participants checked in per day"]
    assert [row[1:] for row in day_rows[:3]] == [["4", "6"], ["3", "6"], ["0", "6"]]


def test_every_chart_has_its_table_and_every_share_adds_up_to_100(organiser, make_event, client):
    event, _ = known_workshop(make_event)

    page = statistics_of(client, event)

    charts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="Chart: ([^"]+)\. The figures', page)
    assert len(charts) >= 8
    assert [title.replace("&amp;", "&") for title in charts] == list(tables(page))
    for title, rows in tables(page).items():
        shares = [int(row[2].removesuffix(" %")) for row in rows[:-1] if len(row) == 3 and row[2].endswith("%")]
        if shares:
            assert sum(shares) == 100, title


def test_the_page_runs_as_many_queries_for_200_registrations_as_for_10(organiser, make_event, client, count_queries):
    small, large = make_event(title="Small workshop"), make_event(title="Large workshop", capacity=500)
    add_registrations(small, 10)
    add_registrations(large, 150)
    add_registrations(large, 30, status=RegistrationStatus.WAITLISTED, country="VN")
    add_registrations(large, 20, country="BR")

    assert count_queries(f"/admin/events/{small.id}/statistics") == count_queries(f"/admin/events/{large.id}/statistics")


def test_only_managers_of_the_event_see_its_statistics(make_user, auth, make_event, client):
    event = make_event()
    make_user(email="other@wtanet.org", admin=False)
    auth.login("other@wtanet.org")

    assert client.get(f"/admin/events/{event.id}/statistics").status_code == 404
    assert client.get(f"/admin/events/{event.id}/statistics/finance.xlsx").status_code == 404
    assert client.get(f"/admin/events/{event.id}/statistics/participation-report.pdf").status_code == 404

    add_manager(event, make_user(email="manager@wtanet.org", admin=False))
    auth.logout()
    auth.login("manager@wtanet.org")
    assert client.get(f"/admin/events/{event.id}/statistics").status_code == 200


def test_an_event_without_anyone_yet_shows_empty_tables(organiser, make_event, client):
    event = make_event(title="Nobody yet")

    page = statistics_of(client, event)

    assert "Participants (with a place) 0" in text_of(page)
    assert tables(page)["Participants by country"] == [["Total", "0", "–"]]
    assert "Participants by gender" not in tables(page)  # not asked


def test_sessions_show_their_fill_waiting_list_and_check_ins(organiser, make_event, client):
    from datetime import date

    from app.extensions import db
    from app.models import CheckIn, ChoiceStatus
    from tests.conftest import start_writing
    from tests.integration.programme_support import add_session, choose

    event = make_event(title="Forum with sessions")
    people = add_registrations(event, 6)
    full = add_session(event, title="Site visit", seat_limit=4)
    open_session = add_session(event, title="Plenary", start=(9, 0), end=(10, 0))
    choose(people[:4], full)
    choose(people[4:], full, status=ChoiceStatus.WAITLISTED)
    choose(people[:3], open_session)
    start_writing()
    db.session.add_all(CheckIn(registration_id=r.id, day=date(2030, 11, 4), session_id=full.id) for r in people[:3])
    db.session.commit()

    rows = tables(statistics_of(client, event))["Sessions: seats taken, waiting and checked in"]

    # Session, seat limit, seats taken, fill, waiting, checked in; in the programme's order.
    assert rows == [["Plenary", "no limit", "3", "–", "0", "0"], ["Site visit", "4", "4", "100 %", "2", "3"]]


def test_lapsed_acceptances_and_duplicates_have_their_own_rows(organiser, make_event, client):
    from app.models import ApplicationStatus, RegistrationMode
    from tests.integration.applications_support import add_applications

    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    add_applications(event, 2, status=ApplicationStatus.ACCEPTED)
    add_applications(event, 1, status=ApplicationStatus.LAPSED)  # did not confirm by the deadline
    add_applications(event, 1, status=ApplicationStatus.DUPLICATE)  # marked as another's duplicate

    figures = tables(statistics_of(client, event))  # these statuses came with the selection tools: a 500 before

    assert figures["Applications by status"] == [
        ["Accepted", "2", "50 %"], ["Acceptance lapsed", "1", "25 %"], ["Duplicate", "1", "25 %"],
        ["Total", "4", "100 %"]]
