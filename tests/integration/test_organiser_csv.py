"""The attendee list as a CSV file that Excel opens correctly and safely."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from app.models import OrganisationType, RegistrationStatus
from app.services.attendees import csv_chunks, neutralise
from tests.integration.organiser_support import add_registrations


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def rows_of(response) -> list[dict]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_a_bom_keeps_korean_names_and_is_named_after_the_event(organiser, make_event, client):
    event = make_event(slug="dgif-2030", capacity=None)
    add_registrations(event, 1, given_name="민준", family_name="김", organisation="대덕연구개발특구", country="KR")
    add_registrations(event, 1, given_name="Chloé", family_name="Nguyễn", country="VN")

    response = client.get(f"/admin/events/{event.id}/attendees.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads Korean and accents right
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="dgif-2030-attendees-20')
    assert disposition.endswith('.csv"')
    rows = rows_of(response)
    assert [(r["Given name"], r["Family name"]) for r in rows] == [("Chloé", "Nguyễn"), ("민준", "김")]
    korean = rows[1]
    assert korean["Organisation"] == "대덕연구개발특구"
    assert korean["Country"] == "South Korea" and korean["Country code"] == "KR"
    assert korean["Status"] == "Confirmed" and korean["Organisation type"] == "Science / technology park"
    datetime.strptime(korean["Registered"], "%Y-%m-%d %H:%M")  # a date spreadsheets understand


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(organiser, make_event, client):
    event = make_event()
    add_registrations(event, 1, given_name="=HYPERLINK(\"http://evil.example\",\"click\")", family_name="+Plus",
                      organisation="@SUM(A1:A9)", position="-2+3", phone="+82 42 123 4567",
                      dietary_needs="\tTabbed", accessibility_needs="\rReturn")

    [row] = rows_of(client.get(f"/admin/events/{event.id}/attendees.csv"))

    assert row["Given name"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row["Family name"] == "'+Plus"
    assert row["Organisation"] == "'@SUM(A1:A9)"
    assert row["Position"] == "'-2+3"
    assert row["Phone"] == "'+82 42 123 4567"
    assert row["Dietary needs"] == "'\tTabbed"
    assert row["Accessibility needs"] == "'\rReturn"


def test_csv_exports_the_filtered_and_sorted_list(organiser, make_event, client):
    event = make_event()
    add_registrations(event, 2, country="GH", organisation="Accra Digital Centre")
    add_registrations(event, 1, country="GH", organisation="Accra Digital Centre", status=RegistrationStatus.WAITLISTED)
    add_registrations(event, 2, country="KE", organisation_type=OrganisationType.UNIVERSITY)

    page = client.get(f"/admin/events/{event.id}/attendees", query_string={"country": "GH", "q": "accra"})
    assert b"attendees.csv?q=accra&amp;country=GH" in page.data  # the download link carries the filters

    response = client.get(f"/admin/events/{event.id}/attendees.csv",
                          query_string={"country": "GH", "q": "accra", "status": "confirmed", "sort": "name",
                                        "dir": "desc"})
    rows = rows_of(response)
    assert len(rows) == 2
    assert {r["Country code"] for r in rows} == {"GH"} and {r["Status"] for r in rows} == {"Confirmed"}
    assert [r["Family name"] for r in rows] == sorted((r["Family name"] for r in rows), reverse=True)


def test_an_empty_list_still_gives_the_header(organiser, make_event, client):
    event = make_event()
    text = client.get(f"/admin/events/{event.id}/attendees.csv").data.decode("utf-8")
    assert text.startswith("\ufeffReference,Status,")
    assert text.count("\n") == 1


def test_rows_are_produced_in_batches(app, make_event):
    from app.extensions import db
    from app.services.attendees import AttendeeQuery

    event = make_event(capacity=None)
    add_registrations(event, 7)
    chunks = list(csv_chunks(db.session, event, AttendeeQuery(), batch_size=3))
    assert len(chunks) == 3  # 3 + 3 + 1 rows, the header and BOM with the first batch
    assert sum(chunk.count("\n") for chunk in chunks) == 8


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Kim", "Kim"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected
