"""Organisers find applications (filters, score order, pages), see the selection so far, export it for finance,
and cannot switch an event's mode once people have registered or applied."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import (
    ApplicationStatus,
    Event,
    OrganisationType,
    RegistrationMode,
    TravelDecision,
)
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_registrations, event_form, post_form


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


@pytest.fixture
def workshop(make_event):
    return make_event(registration_mode=RegistrationMode.APPLICATION, capacity=10)


def names_on(page) -> list[str]:
    return re.findall(r'<td class="person"><a href="[^"]+">([^<]+)</a>', page.data.decode())


def test_the_list_sorts_by_average_score_best_first_unscored_last(workshop, organiser, make_user, client):
    other = make_user("second@wtanet.org", name="Second")
    add_applications(workshop, 1, given_name="Low", family_name="Score", scores=[(organiser.id, 2)])
    add_applications(workshop, 1, given_name="Un", family_name="Scored")
    add_applications(workshop, 1, given_name="High", family_name="Score", scores=[(organiser.id, 5), (other.id, 4)])
    add_applications(workshop, 1, given_name="Mid", family_name="Score", scores=[(organiser.id, 3)])

    page = client.get(f"/admin/events/{workshop.id}/applications")
    assert names_on(page) == ["High Score", "Mid Score", "Low Score", "Un Scored"]
    assert "<strong>4.5</strong>" in page.data.decode()
    ascending = client.get(f"/admin/events/{workshop.id}/applications", query_string={"sort": "score", "dir": "asc"})
    assert names_on(ascending) == ["Low Score", "Mid Score", "High Score", "Un Scored"]
    by_name = client.get(f"/admin/events/{workshop.id}/applications", query_string={"sort": "name"})
    assert names_on(by_name) == ["High Score", "Low Score", "Mid Score", "Un Scored"]


@pytest.mark.parametrize(("args", "expected"), [
    ({"country": "KE"}, ["Kenyan Park"]),
    ({"organisation_type": "incubator"}, ["Ghana Incubator"]),
    ({"status": "accepted"}, ["Ghana Incubator"]),
    ({"travel": "y"}, ["Viet Traveller"]),
    ({"q": "traveller"}, ["Viet Traveller"]),
    ({"country": "KE", "travel": "y"}, []),
])
def test_filters_by_country_type_status_and_travel_support(workshop, organiser, client, args, expected):
    add_applications(workshop, 1, given_name="Kenyan", family_name="Park", country="KE")
    add_applications(workshop, 1, given_name="Ghana", family_name="Incubator", country="GH",
                     organisation_type=OrganisationType.INCUBATOR, status=ApplicationStatus.ACCEPTED)
    add_applications(workshop, 1, given_name="Viet", family_name="Traveller", country="VN",
                     travel={"wants_flight": True, "estimated_amount": Decimal("900"), "estimated_currency": "USD"})
    page = client.get(f"/admin/events/{workshop.id}/applications", query_string=args)
    assert names_on(page) == expected
    if not expected:
        assert "No application matches your search." in page.data.decode()


def test_long_lists_are_paginated(workshop, organiser, client, app):
    per_page = app.config["ATTENDEES_PER_PAGE"]
    add_applications(workshop, per_page + 3)
    first = client.get(f"/admin/events/{workshop.id}/applications")
    assert len(names_on(first)) == per_page
    assert f"Showing 1–{per_page} of {per_page + 3}." in first.data.decode()
    second = client.get(f"/admin/events/{workshop.id}/applications", query_string={"page": 2})
    assert len(names_on(second)) == 3


def test_an_event_without_applications_says_so(workshop, organiser, client):
    assert "No applications yet." in client.get(f"/admin/events/{workshop.id}/applications").data.decode()
    assert "No applications yet." in client.get(f"/admin/events/{workshop.id}/selection").data.decode()


def test_selection_overview_counts_accepted_by_country_and_type(workshop, organiser, client):
    add_applications(workshop, 3, country="KE", status=ApplicationStatus.ACCEPTED)
    add_applications(workshop, 1, country="KE", status=ApplicationStatus.WAITLISTED)
    add_applications(workshop, 2, country="GH", organisation_type=OrganisationType.INCUBATOR)
    add_applications(workshop, 1, country="GH", status=ApplicationStatus.DECLINED)

    page = client.get(f"/admin/events/{workshop.id}/selection").data.decode()
    assert "<strong>3</strong> accepted of 10 places" in page and "(7 left)" in page
    kenya = re.search(r"<td>Kenya</td>\s*<td class=\"num\">(\d+)</td>\s*<td class=\"num\">(\d+)%</td>\s*"
                      r"<td class=\"num\">(\d+)</td>\s*<td class=\"num\">(\d+)</td>", page)
    assert kenya.groups() == ("3", "30", "1", "4")
    ghana = re.search(r"<td>Ghana</td>\s*<td class=\"num\">(\d+)</td>\s*<td class=\"num\">(\d+)%</td>\s*"
                      r"<td class=\"num\">(\d+)</td>\s*<td class=\"num\">(\d+)</td>", page)
    assert ghana.groups() == ("0", "0", "2", "3")
    assert "Business incubator" in page


def test_the_shares_of_places_add_up_to_the_whole_group(make_event, organiser, client):
    """Eight countries with 5 of 40 places each: 12.5 % each, shown so that they add up to 100 %, not 8 × 12 %."""
    workshop = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=40)
    for country in ("KE", "GH", "SN", "VN", "ID", "BR", "MN", "UZ"):
        add_applications(workshop, 5, country=country, status=ApplicationStatus.ACCEPTED,
                         organisation_type=OrganisationType.INCUBATOR if country in ("KE", "GH", "SN")
                         else OrganisationType.SCIENCE_PARK)

    page = client.get(f"/admin/events/{workshop.id}/selection").data.decode()

    by_country = page[page.index('id="by-country"'):page.index('id="by-type"')]
    shares = [int(share) for share in re.findall(r'<td class="num">(\d+)%</td>', by_country)]
    assert sorted(shares) == [12, 12, 12, 12, 13, 13, 13, 13] and sum(shares) == 100
    by_type = page[page.index('id="by-type"'):]
    assert sorted(int(s) for s in re.findall(r'<td class="num">(\d+)%</td>', by_type)) == [37, 63]  # 37.5 + 62.5


@pytest.fixture
def accepted_with_travel(workshop, organiser):
    add_applications(workshop, 1, given_name="Amina", family_name="Diallo", country="SN",
                     status=ApplicationStatus.ACCEPTED,
                     travel={"wants_flight": True, "wants_per_diem": True, "estimated_amount": Decimal("1500.00"),
                             "estimated_currency": "EUR", "decision": TravelDecision.PARTLY,
                             "granted_amount": Decimal("1000.50"), "granted_currency": "USD", "note": "Flight only"})
    add_applications(workshop, 1, given_name="=cmd|' /C calc'!A0", family_name="Zed", country="KE",
                     status=ApplicationStatus.ACCEPTED,
                     travel={"wants_accommodation": True, "decision": TravelDecision.GRANTED,
                             "granted_amount": Decimal("250"), "granted_currency": "USD"})
    add_applications(workshop, 1, given_name="Kofi", family_name="Mensah", country="GH",
                     status=ApplicationStatus.ACCEPTED)
    add_applications(workshop, 1, given_name="Not", family_name="Accepted", status=ApplicationStatus.WAITLISTED,
                     travel={"wants_flight": True})
    return workshop


def test_csv_export_lists_accepted_participants_with_their_travel_support(accepted_with_travel, client):
    response = client.get(f"/admin/events/{accepted_with_travel.id}/applications/accepted.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["Family name"] for row in rows] == ["Diallo", "Mensah", "Zed"]
    amina = rows[0]
    assert amina["Travel support requested"] == "yes"
    assert amina["Support for"] == "flight, per diem"
    assert (amina["Estimated amount"], amina["Estimated currency"]) == ("1500.00", "EUR")
    assert amina["Travel support decision"] == "Partly granted"
    assert (amina["Granted amount"], amina["Granted currency"]) == ("1000.50", "USD")
    assert amina["Note to the participant"] == "Flight only"
    assert rows[1]["Travel support requested"] == "no" and rows[1]["Granted amount"] == ""
    assert rows[2]["Given name"].startswith("'=")  # never run as a formula


def test_xlsx_export_has_numbers_for_finance_and_totals_per_currency(accepted_with_travel, client):
    response = client.get(f"/admin/events/{accepted_with_travel.id}/applications/accepted.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["Accepted participants"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [r["Family name"] for r in records] == ["Diallo", "Mensah", "Zed"]
    assert records[0]["Granted amount"] == pytest.approx(1000.50)
    assert records[0]["Granted currency"] == "USD"
    assert records[0]["Support for"] == "flight, per diem"
    assert records[2]["Given name"] == "=cmd|' /C calc'!A0"  # as typed, and text, never a formula
    assert sheet.cell(4, header.index("Given name") + 1).data_type == "s"
    assert sheet.cell(2, header.index("Granted amount") + 1).data_type == "n"
    totals = list(workbook["Granted per currency"].iter_rows(values_only=True))
    assert totals[0] == ("Currency", "Total granted")
    assert totals[1][0] == "USD" and totals[1][1] == pytest.approx(1250.50)


def test_mode_cannot_switch_once_people_have_registered(make_event, organiser, client):
    event = make_event()
    add_registrations(event, 2)
    url = f"/admin/events/{event.id}/edit"
    page = post_form(client, url, event_form(title=event.title, slug=event.slug, code=event.code,
                                             registration_mode="application"))
    assert page.status_code == 422
    assert "already has 2 registrations, so it cannot switch to applications" in page.data.decode()
    db.session.expire_all()
    assert db.session.get(Event, event.id).registration_mode is RegistrationMode.OPEN


def test_mode_switches_while_nobody_has_registered(make_event, organiser, client):
    event = make_event()
    url = f"/admin/events/{event.id}/edit"
    page = post_form(client, url, event_form(title=event.title, slug=event.slug, code=event.code,
                                             registration_mode="application"), follow_redirects=True)
    assert "Your changes are saved." in page.data.decode()
    db.session.expire_all()
    assert db.session.get(Event, event.id).registration_mode is RegistrationMode.APPLICATION
    edit = client.get(url).data.decode()
    assert '<option selected value="application">' in edit


def test_the_number_of_queries_does_not_grow_with_the_applications(organiser, make_event, client, make_user,
                                                                   count_queries):

    small = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=None)
    add_applications(small, 3, scores=[(organiser.id, 4)], travel={"wants_flight": True})
    big = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=None)
    add_applications(big, 30, scores=[(organiser.id, 3)], travel={"wants_flight": True}, country="GH")
    add_applications(big, 10, status=ApplicationStatus.ACCEPTED, country="KE")

    for page in ("applications", "selection"):
        assert count_queries(f"/admin/events/{small.id}/{page}") == count_queries(
            f"/admin/events/{big.id}/{page}"), page
